"""Narrative person and tense, per sentence and paragraph of narration, and every slip.

Only the narrator's words count: dialogue and italic thoughts are left out, so
``"I love you," you whisper.`` is second person, present tense.

Person of a sentence (the protagonist's pronouns in its narration):

    I raced down the corridor.                     → first
    You raced down the corridor.                   → second
    He raced down the corridor.                    → third (compatible with any work)

Tense of a sentence (a vote of its finite narrative verbs, main clauses counting double;
could/would abstain, being as often conditional as past; questions and asides abstain):

    You knew you were running out of time.         → past
    You brush his cheek; it becomes difficult.     → present
    You knew that the planet is breaking apart.    → past (the main clause counts double)
    How, then, am I mad?                           → none (a rhetorical question)
    The sting of a bee is sometimes deadly.        → none (gnomic present)

The dominant person: first when "I" sentences are at least as many as "you" sentences (a
narrator who talks to a listener, as in "The Tell-Tale Heart", is first person); second when
"you" sentences are; third when neither reaches a fifth of the narration. The dominant tense
is the majority.

A slip is a run of narration that leaves the dominant person or tense. A run survives one
sentence back in the dominant voice when the next one leaves again (writers drifting into the
present often have a past-tense subordinate sentence in the middle), and ends at two:

    You stopped. Then, the heat disappears. After he knelt, you found yourself in his lap.
    You brush his cheek.                            → one slip of 3 sentences from "Then"
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import word_list
from ynsert.vocab.persons import FIRST_PERSON_WORDS as FIRST_PERSON
from ynsert.vocab.persons import SECOND_PERSON_ANALYSED as SECOND_PERSON

Person = Literal["first", "second", "third"]
Tense = Literal["past", "present"]

_PRESENT_MODALS = word_list("present_modals")
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})
_MAIN_CLAUSE = frozenset({"ROOT", "parataxis"})
_AUTHORIAL = frozenset({"we", "us"})
_GNOMIC = frozenset({"always", "sometimes", "often", "usually", "never", "seldom", "rarely"})
_GENERIC_YOU_MIN_SHARE = 0.2  # below this share of sentences, "you"/"I" is incidental
_GAP = 1  # sentences back in the dominant voice that a slip survives
#: A lone sentence off the dominant tense is as often a deliberate aside ("From my childhood I
#: have loved to gaze into a spring.") as a slip: it is reported as info, not printed by check.
_MIN_WARNED = 2


@dataclass(frozen=True)
class SentenceVoice:
    start: int
    end: int
    paragraph: int
    person: Person
    tense: Tense | None


@dataclass(frozen=True)
class ParagraphVoice:
    start: int
    end: int
    person: Person | None
    tense: Tense | None


@dataclass(frozen=True)
class Slip:
    """A run of narration in another person or tense than the work's."""

    aspect: Literal["person", "tense"]
    dominant: str
    found: str
    start: int
    end: int
    sentences: int  # sentences the run spans
    off_sentences: int  # of which leave the dominant voice
    first_sentence: Evidence


@dataclass(frozen=True)
class Narration:
    person: Person
    tense: Tense | None
    sentences: tuple[SentenceVoice, ...]
    paragraphs: tuple[ParagraphVoice, ...]
    slips: tuple[Slip, ...]


# --- one sentence ---------------------------------------------------------------------------


def sentence_person(sent: ParsedSentence) -> Person:
    """First if the narration says I/me/my, else second if it says you, else third."""
    words = {t.lower_ for t in sent.narration() if t.pos_ == "PRON"}
    if words & FIRST_PERSON:
        return "first"
    return "second" if words & SECOND_PERSON else "third"


def verb_tense(token: Token) -> Tense | None:
    """The tense a finite verb form carries; None for non-finite forms and could/would."""
    tag = token.tag_
    if tag == "VBD":
        return "past"
    if tag in ("VBZ", "VBP"):
        return "present"
    if tag == "MD":  # could/would/might are as often conditional as past: no vote
        return "present" if token.lower_ in _PRESENT_MODALS else None
    if tag == "VB" and _has_own_subject(token):
        return "present"  # "you brush his cheek" mis-tagged as a bare form
    return None


def _has_own_subject(token: Token) -> bool:
    children = list(token.children)
    return any(c.dep_ in _SUBJECTS for c in children) and not any(
        c.dep_ in ("aux", "auxpass") for c in children
    )


def _clause(token: Token) -> Token:
    return token.head if token.dep_ in ("aux", "auxpass") else token


def _commentary(clause: Token, tense: Tense, listener: bool) -> bool:
    """Present-tense asides that are not narration slipping: we-the-author, gnomic, to "you".

    We can be but partially acquainted with the events.   (authorial we)
    The sting of a bee is sometimes deadly.               (gnomic)
    Now you may think that I drew back.                   (a first-person narrator's listener)
    """
    if tense != "present":
        return False
    children = list(clause.children)
    subjects = {c.lower_ for c in children if c.dep_ in _SUBJECTS}
    if subjects & _AUTHORIAL or (listener and subjects & SECOND_PERSON):
        return True
    return any(c.lower_ in _GNOMIC for c in children if c.dep_ == "advmod")


def _is_main(clause: Token) -> bool:
    """The root clause or one coordinated with it ("He froze and you saw him")."""
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    return clause.dep_ in _MAIN_CLAUSE


def sentence_tense(sent: ParsedSentence, *, listener: bool = False) -> Tense | None:
    """Vote of finite narrative verbs, main clauses counting double; questions abstain.

    ``listener``: the work is first person, so "you" is someone the narrator talks to.
    """
    if sent.doc.text.rstrip(" \"'”’*_)").endswith("?"):
        return None  # rhetorical questions live in the narrator's present
    votes: Counter[Tense] = Counter()
    for token in sent.narration():
        tense = verb_tense(token) if token.pos_ in ("VERB", "AUX") else None
        clause = _clause(token)
        if tense is None or _commentary(clause, tense, listener):
            continue
        votes[tense] += 2 if _is_main(clause) else 1
    ranked = votes.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# --- the work ---------------------------------------------------------------------------------


def dominant_person(persons: Sequence[Person]) -> Person:
    counts = Counter(persons)
    total = max(1, len(persons))
    first, second = counts["first"], counts["second"]
    if max(first, second) / total < _GENERIC_YOU_MIN_SHARE:
        return "third"
    return "first" if first >= second else "second"


def dominant_tense(voices: Sequence[SentenceVoice]) -> Tense | None:
    counts = Counter(v.tense for v in voices if v.tense)
    return counts.most_common(1)[0][0] if counts else None


def person_leaves(dominant: Person, person: Person) -> bool | None:
    """True off, False on, None neutral: which sentences count for a person slip.

    Third-person sentences fit every work ("He froze." in a second-person story), and "you"
    fits a first-person work (the narrator's listener).
    """
    if person == dominant:
        return False
    if person == "third" or (dominant == "first" and person == "second"):
        return None
    return True


def find_slips(
    voices: Sequence[SentenceVoice],
    state: Callable[[SentenceVoice], bool | None],
) -> list[list[tuple[SentenceVoice, bool | None]]]:
    """Runs that start off the dominant voice and end at ``_GAP + 1`` sentences back on it."""
    runs: list[list[tuple[SentenceVoice, bool | None]]] = []
    current: list[tuple[SentenceVoice, bool | None]] = []
    on_streak = 0
    for voice in voices:
        off = state(voice)
        if not current:
            if off:
                current, on_streak = [(voice, off)], 0
            continue
        current.append((voice, off))
        on_streak = on_streak + 1 if off is False else 0 if off else on_streak
        if on_streak > _GAP:
            runs.append(_trim(current))
            current, on_streak = [], 0
    if current:
        runs.append(_trim(current))
    return runs


def _trim(
    run: list[tuple[SentenceVoice, bool | None]],
) -> list[tuple[SentenceVoice, bool | None]]:
    """Drop trailing sentences that are not off the dominant voice."""
    while run and not run[-1][1]:
        run.pop()
    return run


def _slip(
    aspect: Literal["person", "tense"],
    dominant: str,
    run: list[tuple[SentenceVoice, bool | None]],
    index: TextIndex,
) -> Slip:
    first, last = run[0][0], run[-1][0]
    found = getattr(first, aspect)
    return Slip(
        aspect,
        dominant,
        str(found),
        first.start,
        last.end,
        len(run),
        sum(1 for _, off in run if off),
        index.evidence(first.start, first.end),
    )


def analyse_narration(parsed: Parsed) -> Narration:
    sentences = parsed.narration_sentences()
    persons = [sentence_person(s) for s in sentences]
    person = dominant_person(persons)
    voices = [
        SentenceVoice(s.start, s.end, s.paragraph, p, sentence_tense(s, listener=person == "first"))
        for s, p in zip(sentences, persons, strict=True)
    ]
    tense = dominant_tense(voices)
    slips = [
        _slip("person", person, run, parsed.index)
        for run in find_slips(voices, lambda v: person_leaves(person, v.person))
    ]
    if tense:
        tense_runs = find_slips(voices, lambda v: None if v.tense is None else v.tense != tense)
        slips += [_slip("tense", tense, run, parsed.index) for run in tense_runs]
    slips.sort(key=lambda s: s.start)
    return Narration(person, tense, tuple(voices), _paragraphs(parsed, voices), tuple(slips))


def _paragraphs(parsed: Parsed, voices: Sequence[SentenceVoice]) -> tuple[ParagraphVoice, ...]:
    by_paragraph: dict[int, list[SentenceVoice]] = {}
    for voice in voices:
        by_paragraph.setdefault(voice.paragraph, []).append(voice)
    result = []
    for number, group in sorted(by_paragraph.items()):
        paragraph = parsed.story.paragraphs[number]
        persons = Counter(v.person for v in group if v.person != "third")
        person = persons.most_common(1)[0][0] if persons else "third"
        result.append(ParagraphVoice(paragraph.start, paragraph.end, person, dominant_tense(group)))
    return tuple(result)


def slip_findings(narration: Narration, index: TextIndex) -> list[Finding]:
    findings = []
    for slip in narration.slips:
        code = "YN101" if slip.aspect == "tense" else "YN102"
        message = (
            f"narration slips from {slip.dominant} into {slip.found} {slip.aspect} for "
            f"{slip.sentences} sentence{'s' if slip.sentences != 1 else ''}"
            f" ({slip.off_sentences} in the {slip.found}): “{_opening(slip.first_sentence.text)}”"
        )
        severity: Severity = "warning" if slip.off_sentences >= _MIN_WARNED else "info"
        evidence = (slip.first_sentence,)
        findings.append(
            Finding.at(
                index, code, message, slip.start, slip.end, severity=severity, evidence=evidence
            )
        )
    return findings


def _opening(sentence: str, words: int = 8) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


@register("narration", order=10)
def _component(context: Context, results: Mapping[str, Any]) -> Narration:
    return analyse_narration(context.parsed)


@findings_of("narration")
def _findings(result: Narration, context: Context, results: Mapping[str, Any]) -> list[Finding]:
    return slip_findings(result, context.index)
