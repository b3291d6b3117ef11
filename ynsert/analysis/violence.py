"""Violence graded by how it is told: mentioned, depicted, or graphic.

AO3's *Graphic Depictions Of Violence* is about the telling, not the act: a killing in one plain
line is violence, a wound described in its flesh and blood is graphic. Each sentence of the
narration is graded:

    "He stabbed a man once," she said.                        → mentioned (told, in dialogue)
    He hit the guard and the guard went down.                 → depicted
    The gash was gaping, the edges torn, blood welling up.    → graphic (two details of a wound)
    The crimson panes glowed like blood.                      → nothing (no wound, no act)

A sentence is *graphic* when it speaks of a wound, blood or a body hurt (``WOUND``) and gives at
least two details of it (``DETAIL``: torn, gaping, flesh, bone, spurting …), or one word that is
gore by itself (``GORE``: entrails, eviscerated …). "I cut off the head and the arms and the
legs" is told in one plain line: depicted, not graphic (the workset's adjudicated call). Dreams,
fiction and dialogue are never graphic depictions. Evidence is the sentence; a warning needs one
graphic sentence at least.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ynsert.analysis.base import Evidence
from ynsert.analysis.deaths import fiction_positions
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import words

Grade = Literal["mentioned", "depicted", "graphic"]

WOUND = words(
    """wound wounds gash gashes blood bleeding bled bleed stab stabbed slash slashed cut flesh
    skin throat bone bones injury laceration gore wrist teeth knife blade bullet claw claws"""
)
DETAIL = words(
    """gaping ragged torn tore flesh meat bone bones tendon tendons muscle fat gristle spurt
    spurted spurting pulses pulsing welling welled gushing gushed pooled pooling soaked splinter
    crunch crunched blistered blackened split splitting mangled shredded pulp clotted oozing
    arterial slick severed skull socket sinew marrow intestines raw exposed dripping sprayed
    shattered snapped broken pours poured pouring streaming bubbling"""
)
GORE = words(
    """gore gory entrails intestines viscera eviscerated disemboweled disembowelled innards
    guts brains"""
)
_MIN_DETAILS = 2


@dataclass(frozen=True)
class ViolentPassage:
    grade: Grade
    evidence: Evidence
    details: tuple[str, ...]


def _words(sent: ParsedSentence) -> list[str]:
    return [t.lower_ for t in sent.narration()]


def grade(sent: ParsedSentence) -> tuple[Grade, tuple[str, ...]] | None:
    """The sentence's grade and the details that made it graphic (None: no violence here)."""
    said = _words(sent)
    if not said:
        return None
    wound = [w for w in said if w in WOUND]
    gore = tuple(dict.fromkeys(w for w in said if w in GORE))
    details = tuple(dict.fromkeys(w for w in said if w in DETAIL))
    if gore or (wound and len(set(details) - {wound[0]}) >= _MIN_DETAILS):
        return "graphic", gore + details
    if wound:
        return "depicted", ()
    return None


def violent_passages(parsed: Parsed) -> Iterator[ViolentPassage]:
    """Every graded sentence outside dreams and fiction."""
    fiction = fiction_positions(parsed)
    dreamt = _dream_positions(parsed)
    for sent in parsed.sentences:
        graded = grade(sent)
        if graded is None or sent.index in dreamt:
            continue
        if len(fiction) >= 3 and any(abs(f - sent.index) <= 10 for f in fiction):
            continue
        kind, details = graded
        note = f"{kind}: {', '.join(details[:4])}" if details else kind
        yield ViolentPassage(kind, parsed.index.evidence(sent.start, sent.end, note), details)


def _dream_positions(parsed: Parsed) -> set[int]:
    """Sentences within four of a dream or nightmare."""
    marks = [
        s.index
        for s in parsed.sentences
        if any(t.lower_ in ("dream", "dreamt", "dreamed", "nightmare") for t in s.doc)
    ]
    return {i for m in marks for i in range(m - 1, m + 5)}
