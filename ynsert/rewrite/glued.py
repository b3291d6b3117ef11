"""Reader words glued to a neighbour by a missing space: the typo stays, the reader changes.

    Jaemin sits behind you, brushingyour hair.  →  brushingher hair (a determiner after a verb)
    He tosses the potion toyou.                 →  toher (an object after a preposition)
    Thorin left andyou cried.                   →  andshe cried (a subject after "and")
    Yourhands are freezing.                     →  Herhands (a determiner before a noun)
    the bayou, a younger sister, his youth      →  unchanged (nothing glued to a reader word)
    YOU’RE THE ONE WHO SAID YES                 →  SHE’S / I’M (a contraction left whole)

Only a glue of two real words counts: the other part must be a function word that opens the
reader word's phrase (a preposition or a conjunction), a verb form ending in -ing/-ed, or, after
"your", a noun. Missing spaces are never added: rewriting is not proofreading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ynsert.rewrite.grammar import lemmas_of
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import SECOND_PERSON, SECOND_PERSON_FORMS

GluedForm = Literal["subject", "object", "determiner", "pronoun", "reflexive"]

_SINGULAR = (SECOND_PERSON.reflexive, SECOND_PERSON.pronoun, SECOND_PERSON.determiner)
#: A candidate: a word glued before a reader word, or "your" glued before a word.
GLUED = re.compile(
    rf"\b(?P<pre>[A-Za-z]{{2,}}?)(?P<you>(?i:{'|'.join((*_SINGULAR, SECOND_PERSON.subject))}))\b"
    rf"|\b(?P<your>(?i:{SECOND_PERSON.determiner}))(?P<post>[a-z]{{3,}})\b"
)
_PREPOSITIONS = words(
    "to at for with from into onto behind about toward towards around beside near like of on "
    "in over under upon against without beneath above after before through"
)
_CONJUNCTIONS = words("and but so then when while because if as or until though")
_LEXICAL: dict[str, GluedForm] = SECOND_PERSON_FORMS  # type: ignore[assignment]


@dataclass(frozen=True)
class Glued:
    """A reader word inside a token: where it starts in the token, its text and its form."""

    offset: int
    word: str
    form: GluedForm
    #: The glued neighbour, for the edit's reason.
    neighbour: str


def glued_reader(token: str) -> Glued | None:
    """The reader word glued inside ``token`` ("brushingyour"), or None."""
    match = GLUED.fullmatch(token)
    if match is None:
        return None
    if match.group("your"):
        post = match.group("post")
        if "NOUN" not in lemmas_of(post):
            return None
        return Glued(0, match.group("your"), "determiner", post)
    pre, word = match.group("pre"), match.group("you")
    form = _form_after(pre.lower(), word.lower())
    if form is None:
        return None
    return Glued(len(pre), word, form, pre)


#: "YOU’RE", "YOU'VE": spaCy splits a contraction in lower or title case, not in capitals.
_UNSPLIT = re.compile(rf"(?i:{SECOND_PERSON.subject})(['’])(?i:(re|ve|d|ll))")


def unsplit_contraction(token: str) -> tuple[str, str] | None:
    """ "YOU’RE" → ("YOU", "RE"): the subject and the clitic of a contraction left whole."""
    match = _UNSPLIT.fullmatch(token)
    if match is None:
        return None
    return token[: match.start(1)], match.group(2)


def _form_after(pre: str, word: str) -> GluedForm | None:
    if pre in _CONJUNCTIONS:
        return _LEXICAL.get(word, "subject")
    if pre in _PREPOSITIONS or (pre.endswith(("ing", "ed")) and "VERB" in lemmas_of(pre)):
        return _LEXICAL.get(word, "object")
    return None
