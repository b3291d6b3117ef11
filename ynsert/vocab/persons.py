"""Pronoun sets: the five forms a rewrite needs, and how verbs agree with them.

>>> PronounSet.parse("xe/xem/xyr/xyrs/xemself").subject
'xe'
>>> PronounSet.parse("they").plural
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ynsert.errors import UnknownPronouns

Agreement = Literal["1sg", "2sg", "3sg", "plural"]


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
        """How verbs agree: you-forms (2sg: you are, you were) differ from they-forms only
        in the source's "I was" → "you were" / "they were", which both give."""
        if self.plural:
            return "plural"
        return {1: "1sg", 2: "2sg", 3: "3sg"}[self.person]

    def forms(self) -> tuple[str, ...]:
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
            return PronounSet(*preset.forms(), plural=plural)
        forms = [f.strip() for f in spec.split("/")]
        if len(forms) == 2 and forms[0].lower() in PRESETS:
            return cls.parse(forms[0], plural=plural)  # "she/her" means the she preset
        if len(forms) != 5 or not all(f.isalpha() for f in forms):
            raise UnknownPronouns(
                f"unknown pronoun set {spec!r}: use she, he, they, xe, ze, it, "
                "or five forms subject/object/determiner/pronoun/reflexive, "
                "e.g. xe/xem/xyr/xyrs/xemself"
            )
        return cls(*forms, plural=bool(plural) or forms[0].lower() == "they")


PRESETS: dict[str, PronounSet] = {
    "she": PronounSet("she", "her", "her", "hers", "herself"),
    "he": PronounSet("he", "him", "his", "his", "himself"),
    "they": PronounSet("they", "them", "their", "theirs", "themselves", plural=True),
    "xe": PronounSet("xe", "xem", "xyr", "xyrs", "xemself"),
    "ze": PronounSet("ze", "hir", "hir", "hirs", "hirself"),
    "it": PronounSet("it", "it", "its", "its", "itself"),
}

FIRST_PERSON = PronounSet("I", "me", "my", "mine", "myself", person=1)
#: The reader-insert's own person, for a story told in first person rewritten to "you".
SECOND_PERSON = PronounSet("you", "you", "your", "yours", "yourself", person=2)
#: Plural "you" (you both, the two of you) in each target person.
FIRST_PLURAL = PronounSet("we", "us", "our", "ours", "ourselves", plural=True, person=1)
SECOND_PLURAL = PronounSet("you", "you", "your", "yours", "yourselves", plural=True, person=2)
THIRD_PLURAL = PRESETS["they"]
