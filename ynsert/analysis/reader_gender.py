"""Does the text gender its reader? ``neutral`` unless it does, with every place and why.

Four rules, each about the reader (never about whoever else is in the sentence):

    predicate   You were the prettiest girl in the room.        → female
                "You're a good boy," he said.                   → male
                You saw a girl in the crowd.                    → nothing (not said of you)
    address     "Good girl," he murmured.                       → female
                "Yes, my king."  (said to the reader)            → male
                "Yes, sir," you said.                           → nothing (the reader speaks)
    belonging   He admired your dress.  Your beard itched.      → female / male
                You touched her dress.                          → nothing (not yours)
    pronoun     "She's with me," Kylo said, nodding at you.     → female
                Y/N smiled. She knew.                           → female
                Y/N looked at Kylo. He smiled.                  → nothing (Kylo is nearer)

Dialogue counts only when someone other than the reader speaks it: in the reader's own lines
"you" and "your" are somebody else. For a work declared gender-neutral (tags or header), every
finding is an error.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from spacy.tokens import Token

from ynsert.analysis.base import (
    Context,
    Evidence,
    Finding,
    Severity,
    TextIndex,
    findings_of,
    register,
)
from ynsert.analysis.cast import CastAnalysis
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import SECOND_PERSON_ANALYSED as SECOND_PERSON
from ynsert.vocab.persons import THIRD_PERSON_GENDER
from ynsert.vocab.placeholders import READER_NAME_KEYS

Gender = Literal["female", "male"]

FEMALE_NOUNS = words(
    """girl woman lady queen princess wife girlfriend mother mom mum daughter sister bride
    mistress duchess heroine waitress actress goddess empress lass maiden madam ma'am miss missy
    gal babygirl"""
)
MALE_NOUNS = words(
    """boy man gentleman king prince husband boyfriend father dad son brother groom duke
    emperor lad sir mister lord"""
)
FEMALE_THINGS = words(
    """dress skirt bra blouse gown heels lipstick panties bikini breasts boobs tits cleavage
    pussy clit womb vagina nipples"""
)
MALE_THINGS = words("""beard stubble moustache mustache cock dick balls""")
_COPULAS = words("be become seem remain")
_GESTURES = words("nod point gesture glance jerk tilt motion look wave indicate")
_GESTURE_PREPS = words("at to toward towards")
_PRONOUN_GENDER: dict[str, Gender] = {
    word: "female" if preset == "she" else "male" for word, preset in THIRD_PERSON_GENDER.items()
}
_READER_NAMES = READER_NAME_KEYS


@dataclass(frozen=True)
class GenderCue:
    rule: Literal["predicate", "address", "belonging", "pronoun"]
    gender: Gender
    reason: str
    evidence: Evidence


@dataclass(frozen=True)
class ReaderGender:
    verdict: Literal["neutral", "female", "male", "mixed", "not a reader-insert"]
    cues: tuple[GenderCue, ...]


def noun_gender(word: str) -> Gender | None:
    lower = word.lower()
    if lower in FEMALE_NOUNS:
        return "female"
    return "male" if lower in MALE_NOUNS else None


def thing_gender(word: str) -> Gender | None:
    lower = word.lower()
    if lower in FEMALE_THINGS:
        return "female"
    return "male" if lower in MALE_THINGS else None


# --- who speaks ---------------------------------------------------------------------------------


def reader_speaks(parsed: Parsed) -> dict[int, bool]:
    """Sentence index → does the reader speak its dialogue? (attribution subject is "you")

    A sentence without narration inherits the speaker of the sentence before it in the same
    paragraph, or else takes the next one's.
    """
    own = {s.index: _attribution(s) for s in parsed.sentences}
    result: dict[int, bool] = {}
    sentences = parsed.sentences
    for i, sent in enumerate(sentences):
        speaker = own[sent.index]
        if speaker is None and i and sentences[i - 1].paragraph == sent.paragraph:
            speaker = result.get(sentences[i - 1].index)
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        if speaker is None and following and following.paragraph == sent.paragraph:
            speaker = own[following.index]
        result[sent.index] = bool(speaker)
    return result


def _attribution(sent: ParsedSentence) -> bool | None:
    """True if the sentence's first narrative subject is the reader, None with no subject."""
    if not any(not n for n in sent.narrative):
        return None
    for token in sent.narration():
        if token.dep_ in ("nsubj", "nsubjpass"):
            return token.lower_ in SECOND_PERSON
    return None


# --- the rules --------------------------------------------------------------------------------


def predicate_cues(sent: ParsedSentence, reader_speaking: bool) -> Iterator[tuple[Token, str]]:
    """ "You were the prettiest girl": a gendered noun predicated of the reader."""
    for token in sent.doc:
        if (
            token.lower_ != "you"
            or token.dep_ != "nsubj"
            or not _counts(sent, token, reader_speaking)
        ):
            continue
        verb = token.head
        if verb.lemma_ not in _COPULAS:
            continue
        for attr in verb.children:
            if attr.dep_ in ("attr", "oprd") and noun_gender(attr.lemma_):
                yield attr, f"“{_phrase(attr)}” is said of the reader"


def address_cues(sent: ParsedSentence, reader_speaking: bool) -> Iterator[tuple[Token, str]]:
    """ "Good girl," he murmured: a gendered word used to address the reader."""
    if reader_speaking:
        return
    for token in sent.dialogue():
        if noun_gender(token.lower_) and token.pos_ in ("NOUN", "PROPN") and _set_off(token):
            yield token, f"the reader is addressed as “{_phrase(token)}”"


def belonging_cues(sent: ParsedSentence, reader_speaking: bool) -> Iterator[tuple[Token, str]]:
    """ "your dress", "your beard": gendered clothing or anatomy that belongs to the reader."""
    for token in sent.doc:
        if token.lower_ != "your" or not _counts(sent, token, reader_speaking):
            continue
        owned = token.head
        if owned.i > token.i and thing_gender(owned.text):
            yield owned, f"the reader's “{owned.text}”"


def gesture_pronoun_cues(
    sent: ParsedSentence, reader_speaking: bool
) -> Iterator[tuple[Token, str]]:
    """ "She's with me," he said, nodding at you: another character calls the reader she/he."""
    if reader_speaking or not any(_gestures_at_reader(t) for t in sent.narration()):
        return
    for token in sent.dialogue():
        if token.lower_ in _PRONOUN_GENDER and token.pos_ == "PRON":
            yield token, f"another character calls the reader “{token.text}”"
            return


def _gestures_at_reader(token: Token) -> bool:
    if token.lemma_ not in _GESTURES:
        return False
    return any(
        p.lower_ in _GESTURE_PREPS and any(c.lower_ == "you" for c in p.children)
        for p in token.children
    )


def placeholder_pronoun_cues(
    parsed: Parsed, cast: CastAnalysis
) -> Iterator[tuple[int, int, Gender, str]]:
    """ "Y/N smiled. She knew.": the next he/she after the reader's name, no one else between."""
    names = sorted(off for refs in cast.references.values() for _, off in refs)
    readers = [ph for ph in parsed.placeholders if ph.key in _READER_NAMES]
    for ph in readers:
        pronoun = _next_pronoun(parsed, ph.end)
        if not pronoun:
            continue
        start, end, gender, word = pronoun
        if bisect.bisect_left(names, ph.end) == bisect.bisect_left(names, start):  # none between
            yield start, end, gender, f"the reader ({ph.spelling}) is called “{word}”"


def _next_pronoun(parsed: Parsed, offset: int) -> tuple[int, int, Gender, str] | None:
    """The first he/she in narration after ``offset``, in its sentence or the next."""
    first = parsed.sentence_at(offset)
    for sent in parsed.sentences[first : first + 2]:
        for token in sent.narration():
            start, end = sent.span(token)
            if start >= offset and token.lower_ in _PRONOUN_GENDER and token.pos_ == "PRON":
                return start, end, _PRONOUN_GENDER[token.lower_], token.text
    return None


def _counts(sent: ParsedSentence, token: Token, reader_speaking: bool) -> bool:
    """Narration always speaks of the reader; dialogue only when someone else speaks."""
    return sent.narrative[token.i] or not reader_speaking


def _set_off(token: Token) -> bool:
    """A word (with its modifiers) bounded by punctuation: "Good girl." / "Come here, princess."""
    doc = token.doc
    left, right = token.left_edge, token
    before = doc[left.i - 1] if left.i > 0 else None
    after = doc[right.i + 1] if right.i + 1 < len(doc) else None
    opens = before is None or before.is_punct or before.is_quote
    closes = after is None or after.is_punct or after.is_quote
    return opens and closes


def _phrase(token: Token) -> str:
    return token.doc[token.left_edge.i : token.i + 1].text


# --- the analysis -----------------------------------------------------------------------------

_SENTENCE_RULES = (
    ("predicate", predicate_cues, noun_gender),
    ("address", address_cues, noun_gender),
    ("belonging", belonging_cues, thing_gender),
    ("pronoun", gesture_pronoun_cues, lambda w: _PRONOUN_GENDER.get(w.lower())),
)


def analyse_reader_gender(parsed: Parsed, cast: CastAnalysis) -> ReaderGender:
    if cast.cast.reader is None:
        return ReaderGender("not a reader-insert", ())
    speaking = reader_speaks(parsed)
    cues: list[GenderCue] = []
    for sent in parsed.sentences:
        for rule, find, gender_of in _SENTENCE_RULES:
            for token, reason in find(sent, speaking[sent.index]):
                word = token.lemma_ if rule != "pronoun" else token.text
                gender = gender_of(word) or gender_of(token.text)
                start, end = sent.span(token)
                evidence = parsed.index.evidence(start, end, reason)
                cues.append(GenderCue(rule, gender, reason, evidence))  # type: ignore[arg-type]
    for start, end, gender, reason in placeholder_pronoun_cues(parsed, cast):
        cues.append(GenderCue("pronoun", gender, reason, parsed.index.evidence(start, end, reason)))
    cues.sort(key=lambda c: c.evidence.start)
    genders = {c.gender for c in cues}
    verdict = "neutral" if not genders else genders.pop() if len(genders) == 1 else "mixed"
    return ReaderGender(verdict, tuple(cues))  # type: ignore[arg-type]


def gender_findings(result: ReaderGender, declared: str | None, index: TextIndex) -> list[Finding]:
    """YN201 per cue: an error when the work says its reader is neutral (or another gender)."""
    findings = []
    for cue in result.cues:
        if declared == cue.gender:
            continue
        severity: Severity = "error" if declared else "warning"
        said = f" in a work declared {declared}-reader" if declared else ""
        message = f"reader gendered {cue.gender}{said}: {cue.reason} ({cue.rule})"
        evidence = cue.evidence
        findings.append(
            Finding.at(index, "YN201", message, evidence.start, evidence.end, severity=severity)
        )
    return findings


@register("reader_gender", needs=("cast_analysis",), order=40)
def _component(context: Context, results: Mapping[str, Any]) -> ReaderGender:
    return analyse_reader_gender(context.parsed, results["cast_analysis"])


@findings_of("reader_gender")
def _findings(result: ReaderGender, context: Context, results: Mapping[str, Any]) -> list[Finding]:
    declared = results.get("declared")
    return gender_findings(result, declared.reader_gender if declared else None, context.index)
