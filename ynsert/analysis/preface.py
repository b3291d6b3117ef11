"""What the author tells readers before the story: warning cues in the summary and the notes.

Readers see a work's summary and notes before its first line, and authors use them to warn:
"major character death", "nobody dies", "warning for non-con", "they're sixteen". A cue there
is evidence for an archive warning in its own right (the sentence is shown as the evidence,
with ``source`` "summary" or "notes"), and a denial ("no one dies", "no MCD") is evidence
against it. Tags are not read here: a declared tag is what the analysis is checked against.

    >>> [(c.warning, c.strength, c.evidence.text) for c in cues(summary="Tony dies. Sorry.")]
    [('Major Character Death', 1.0, 'Tony dies.')]
    >>> [(c.warning, c.strength) for c in cues(notes="Don't worry: nobody dies in this one!")]
    [('Major Character Death', -1.0)]
    >>> cues(summary="Steve is dying to see the new exhibit.")
    []
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ynsert.analysis.base import Evidence

#: Per archive warning: (pattern, strength). Strength 1 names the warning or the event; 0.5 is
#: a word that often goes with it; -1 denies it. Matched case-insensitively, per sentence.
PATTERNS: dict[str, tuple[tuple[str, float], ...]] = {
    "Major Character Death": (
        (
            r"\b(?:no|not a|without|isn't a|there's no|zero) (?:major )?(?:character )?death"
            r"|\b(?:no ?one|nobody|no one important) (?:actually |really )?dies\b|\bno mcd\b"
            r"|\b(?:everyone|everybody) (?:lives|survives)\b|\bfake (?:character )?death\b",
            -1.0,
        ),
        (
            r"\b(?:major )?character deaths?\b|\bmcd\b|\bdeath ?fic\b|\bkill(?:s|ed|ing)? off\b"
            r"|\b(?:you|i|we|they|he|she) (?:will |both )?die\b"
            r"|\b(?:dies|died|is dead|was killed|gets killed|passes away|passed away)\b"
            r"|\bdeath of\b|\bafter (?:the|his|her|their) death\b",
            1.0,
        ),
        (
            r"\b(?:death|dead|dying|funeral|grie(?:f|ving|ves)|mourn\w*|loss|widow\w*|suicide)\b",
            0.5,
        ),
    ),
    "Graphic Depictions Of Violence": (
        (r"\bno (?:graphic )?violence\b", -1.0),
        (
            r"\bgraphic (?:violence|depictions?)\b|\bgore\b|\bgory\b|\btorture\w*\b"
            r"|\bviolence\b|\bbloody\b|\bbloodshed\b",
            1.0,
        ),
        (r"\b(?:blood|fight\w*|battle\w*|war|murder\w*|injur\w*|wound\w*|kill\w*)\b", 0.5),
    ),
    "Rape/Non-Con": (
        (r"\bno (?:non-?con|rape)\b|\bfully consensual\b", -1.0),
        (
            r"\brape\w*|\bnon-?con\w*|\bdub-?con\w*|\bdubious consent\b|\bsexual(?:ly)? assault\w*"
            r"|\bnon-?consensual\b",
            1.0,
        ),
        (r"\b(?:abuse\w*|assault\w*|coerc\w*|forced)\b", 0.5),
    ),
    "Underage": (
        (
            r"\bno underage\b|\b(?:all|both|everyone is|they're both) (?:of age|adults?|18\+?)\b"
            r"|\baged up\b",
            -1.0,
        ),
        (
            r"\bunder-?age\b|\bminors?\b|\b1[2-7][ -]years?[ -]old\b"
            r"|\b(?:thirteen|fourteen|fifteen|sixteen|seventeen)[ -]years?[ -]old\b",
            1.0,
        ),
        (r"\b(?:teen(?:age|ager|agers)?|high ?school|jailbait)\b", 0.5),
    ),
}
#: Figures of speech removed before matching: "dying to see", "to die for", "it kills me".
_FIGURATIVE = re.compile(
    r"\bdying (?:to|for|of (?:embarrassment|laughter|boredom))\b|\bto die for\b"
    r"|\bkill(?:s|ing|ed)? (?:me|it|time)\b|\bdeath by chocolate\b|\bbored to death\b",
    re.I,
)
_COMPILED = {
    warning: tuple((re.compile(p, re.I), s) for p, s in rows) for warning, rows in PATTERNS.items()
}
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)")


@dataclass(frozen=True)
class PrefaceCue:
    warning: str
    strength: float  # 1 names it, 0.5 suggests it, -1 denies it
    evidence: Evidence


def cues(*, summary: str = "", notes: str = "") -> list[PrefaceCue]:
    """The strongest cue per warning and sentence; a denial outranks a cue in its sentence."""
    found: list[PrefaceCue] = []
    for source, text in (("summary", summary), ("notes", notes)):
        for match in _SENTENCE.finditer(text or ""):
            sentence = match.group().strip()
            if sentence:
                found.extend(_sentence_cues(source, text, match.start(), match.end(), sentence))
    return found


def _sentence_cues(source: str, text: str, start: int, end: int, sentence: str) -> list[PrefaceCue]:
    out = []
    for warning, rows in _COMPILED.items():
        for pattern, strength in rows:  # denial first, then strong, then weak: first match wins
            match = pattern.search(_FIGURATIVE.sub(" ", sentence))
            if match:
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                note = f"{source}: {match.group()}"
                evidence = Evidence(start, end, line, column, sentence[:200], note, source)
                out.append(PrefaceCue(warning, strength, evidence))
                break
    return out


def strength(found: list[PrefaceCue], warning: str) -> float:
    """The work's preface signal for one warning: the strongest cue, and -1 for a denial."""
    values = [c.strength for c in found if c.warning == warning]
    if any(v < 0 for v in values):
        return -1.0
    return max(values, default=0.0)


def best(found: list[PrefaceCue], warning: str) -> PrefaceCue | None:
    positive = [c for c in found if c.warning == warning and c.strength > 0]
    return max(positive, key=lambda c: c.strength, default=None)
