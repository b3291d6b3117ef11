"""Persons: pronoun sets (the five forms a rewrite needs), their words, and verb agreement.

The one definition of every person word in ynsert: the rewrite, the story model, the
point-of-view check and every analysis take their "you", "I" and he/she words from here.

>>> PronounSet.parse("xe/xem/xyr/xyrs/xemself").subject
'xe'
>>> PronounSet.parse("they").plural
True
>>> sorted(SECOND_PERSON_WORDS)
['you', 'your', 'yours', 'yourself', 'yourselves']
>>> be_form("are", "3sg"), be_form("is", "plural"), be_form("was", "2"), be_form("am", "plural")
('is', 'are', 'were', 'are')
>>> THIRD_PERSON_GENDER["himself"], THIRD_PERSON_GENDER["hers"]
('he', 'she')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ynsert.errors import UnknownPronouns

#: How a verb agrees with its subject: I (1sg), she/he/xe (3sg), you/we/they ("plural").
Agreement = Literal["1sg", "3sg", "plural"]


@dataclass(frozen=True)
class PronounSet:
    subject: str  # she
    object: str  # her
    determiner: str  # her (her hand)
    pronoun: str  # hers (the hand is hers)
    reflexive: str  # herself
    plural: bool = False  # verbs agree in the plural (they are)
    person: Literal[1, 2, 3] = 3

    @property
    def agreement(self) -> Agreement:
        if self.plural or self.person == 2:
            return "plural"
        return "1sg" if self.person == 1 else "3sg"

    def forms(self) -> tuple[str, str, str, str, str]:
        return (self.subject, self.object, self.determiner, self.pronoun, self.reflexive)

    @classmethod
    def parse(cls, spec: str, *, plural: bool | None = None) -> PronounSet:
        """A preset name (she, he, they, xe, …) or five forms ``subj/obj/det/pron/refl``.

        ``plural`` forces verb agreement; by default only "they" agrees in the plural.
        """
        key = spec.strip().lower()
        if key in PRESETS:
            preset = PRESETS[key]
            if plural is None or plural == preset.plural:
                return preset
            subject, obj, determiner, pronoun, reflexive = preset.forms()
            return PronounSet(subject, obj, determiner, pronoun, reflexive, plural=plural)
        forms = [f.strip() for f in spec.split("/")]
        if len(forms) == 2 and forms[0].lower() in PRESETS:
            return cls.parse(forms[0], plural=plural)  # "she/her" means the she preset
        if len(forms) != 5 or not all(f.isalpha() for f in forms):
            raise UnknownPronouns(
                f"unknown pronoun set {spec!r}: use she, he, they, xe, ze, it, "
                "or five forms subject/object/determiner/pronoun/reflexive, "
                "e.g. xe/xem/xyr/xyrs/xemself"
            )
        subject, obj, determiner, pronoun, reflexive = forms
        they = bool(plural) or subject.lower() == "they"
        return cls(subject, obj, determiner, pronoun, reflexive, plural=they)


PRESETS: dict[str, PronounSet] = {
    "she": PronounSet("she", "her", "her", "hers", "herself"),
    "he": PronounSet("he", "him", "his", "his", "himself"),
    "they": PronounSet("they", "them", "their", "theirs", "themselves", plural=True),
    "xe": PronounSet("xe", "xem", "xyr", "xyrs", "xemself"),
    "ze": PronounSet("ze", "hir", "hir", "hirs", "hirself"),
    "it": PronounSet("it", "it", "its", "its", "itself"),
}

FIRST_PERSON = PronounSet("I", "me", "my", "mine", "myself", person=1)
#: Plural "you" (you both, the two of you) in each target person.
FIRST_PLURAL = PronounSet("we", "us", "our", "ours", "ourselves", plural=True, person=1)
THIRD_PLURAL = PRESETS["they"]

#: The reader-insert's "you" (singular or plural: the verbs agree in the plural either way).
SECOND_PERSON = PronounSet("you", "you", "your", "yours", "yourself", person=2)
SECOND_PLURAL = PronounSet("you", "you", "your", "yours", "yourselves", plural=True, person=2)

#: Words of each person, lower case.
SECOND_PERSON_WORDS = frozenset({*SECOND_PERSON.forms(), SECOND_PLURAL.reflexive})
#: Informal spellings of "you" that the analyses count but the rewrite leaves alone.
SECOND_PERSON_INFORMAL = frozenset({"ya", "y'all"})
#: What the analyses count as the reader's "you".
SECOND_PERSON_ANALYSED = SECOND_PERSON_WORDS | SECOND_PERSON_INFORMAL
FIRST_PERSON_WORDS = frozenset(form.lower() for form in FIRST_PERSON.forms())
FIRST_PLURAL_WORDS = frozenset(FIRST_PLURAL.forms())
#: Pronouns that stand for a person as subject or object: he, him, she, her, I, me.
PERSON_PRONOUNS = frozenset(
    {*(f for key in ("he", "she") for f in (PRESETS[key].subject, PRESETS[key].object))}
    | {FIRST_PERSON.subject.lower(), FIRST_PERSON.object}
)
#: Second-person words that show their grammatical form by themselves (not "you").
SECOND_PERSON_FORMS: dict[str, str] = {
    SECOND_PERSON.determiner: "determiner",
    SECOND_PERSON.pronoun: "pronoun",
    SECOND_PERSON.reflexive: "reflexive",
    SECOND_PLURAL.reflexive: "reflexive",
}
#: he/she words → the preset they belong to (the cast attributes pronouns with it).
THIRD_PERSON_GENDER: dict[str, str] = {
    form: key for key in ("he", "she") for form in PRESETS[key].forms()
}

#: ``be`` by agreement and tense: the table both directions of the rewrite read.
BE_FORMS: dict[str, dict[str, str]] = {
    "present": {"1sg": "am", "3sg": "is", "plural": "are"},
    "past": {"1sg": "was", "3sg": "was", "plural": "were"},
}
#: Contracted ``be`` after a pronoun: I'm, she's, you're.
CONTRACTED_BE: dict[str, str] = {"1sg": "m", "3sg": "s", "plural": "re"}


def be_form(word: str, agreement: Agreement | Literal["2"]) -> str | None:
    """The form of ``be`` (``am``/``is``/``are``/``was``/``were``) for another agreement.

    ``"2"`` (you) agrees like the plural. None for a word that is not a finite ``be``.
    """
    target = "plural" if agreement == "2" else agreement
    lower = word.lower()
    for forms in BE_FORMS.values():
        if lower in forms.values():
            return forms[target]
    return None


def words_pattern(words: frozenset[str]) -> str:
    """A regular expression matching any of ``words`` as a whole word (longest first)."""
    import re

    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return rf"\b(?:{alternatives})\b"
