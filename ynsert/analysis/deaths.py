"""Who dies on the page: the evidence for AO3's *Major Character Death*, the reader included.

Explicit deaths, with a person as the one who dies:

    He died in your arms.                        → he dies           (die-verb, subject)
    Kylo killed the guard.                       → the guard dies    (kill-verb, object)
    The old man was dead.  He was stone dead.    → the old man dies  (dead, of a subject)
    You died.  It killed you.                    → the reader dies
    He could have slain him.                     → nothing (hypothetical)
    The merchant had lost his only son.          → nothing (not a death word; backstory)

The reader's death is often never named. Near the end of a second-person story, a fading that
happens to the reader counts, more surely after the reader is hurt:

    Your vision starts to go dark around the edges.
    The last thing you see before you finally drift away is a tear.
    You drift off to sleep.                      → nothing (sleep)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ynsert.analysis.base import Evidence
from ynsert.analysis.events import event_status
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import PERSON_PRONOUNS
from ynsert.vocab.persons import SECOND_PERSON_ANALYSED as SECOND_PERSON

DIE_VERBS = words("die perish expire drown suffocate")
KILL_VERBS = words(
    "kill murder slay assassinate execute behead decapitate strangle slaughter butcher smother"
)
DEAD_WORDS = words("dead lifeless deceased")
PEOPLE = words(
    """man woman boy girl child person guard soldier officer king queen lady gentleman father
    mother son daughter brother sister husband wife friend lover stranger victim body"""
)
FADING = (
    "drift away",
    "slip away",
    "fade away",
    "last breath",
    "breathe your last",
    "go dark",
    "go black",
    "goes dark",
    "goes black",
    "went dark",
    "went black",
    "fades to black",
    "heart stops",
    "heart stopped",
    "last thing you",
    "for the last time",
    "never wake",
)
HURT = words(
    """pain wound stab stabbed blood bleed bleeding seared shot impaled pierce lightsaber
    fever sick illness disease cancer poison poisoned infection cough coughing"""
)
#: The body stopping, said of anyone: a death without a death word.
CESSATION = (
    "stopped breathing",
    "stops breathing",
    "breathing stopped",
    "breathing stops",
    "chest stopped moving",
    "chest stops moving",
    "heart stopped beating",
    "heart stops beating",
    "eyes went glassy",
    "eyes go glassy",
    "breathed his last",
    "breathed her last",
    "breathed their last",
    "passed away",
    "light left his",
    "light left her",
    "light left their",
    "light left your",
    "life left his",
    "life left her",
    "life left their",
    "life left your",
    "life drained from",
    "light faded from",
)
_SLEEP = words("sleep asleep slumber nap dream")
_ENDING_SHARE = 0.15  # the last 15% of the story's sentences
_MIN_ENDING = 6
_HURT_WINDOW = 15  # sentences before a fading in which the reader must have been hurt


@dataclass(frozen=True)
class Death:
    """One death on the page (or in the telling, when status is "mentioned")."""

    who: str  # "reader", a character name, or the words naming the person
    status: str  # depicted / mentioned
    confidence: float
    evidence: Evidence


def _victim(token: Token) -> Token | None:
    """The person who dies for a death word, if the parse names one."""
    lemma = token.lemma_.lower()
    deps = ("nsubj", "nsubjpass")
    if lemma in KILL_VERBS and token.pos_ == "VERB":
        deps = ("dobj", "nsubjpass") if token.tag_ != "VBN" else ("nsubjpass", "dobj")
    elif lemma in DEAD_WORDS and token.dep_ in ("acomp", "attr", "oprd"):
        token = token.head
    elif lemma not in DIE_VERBS or token.pos_ != "VERB":
        return None
    return next((c for c in token.children if c.dep_ in deps), None)


def _is_person(token: Token, names: set[str]) -> bool:
    if token.lower_ in SECOND_PERSON or token.lower_ in PERSON_PRONOUNS:
        return True
    if token.text in names or token.ent_type_ == "PERSON":
        return True
    return token.lemma_.lower() in PEOPLE and token.pos_ == "NOUN"


def _who(token: Token) -> str:
    if token.lower_ in SECOND_PERSON or token.lower_ == "your":
        return "reader"
    if token.pos_ == "PRON":
        return f"a character (“{token.text}”)"
    return token.doc[token.left_edge.i : token.i + 1].text


def explicit_deaths(parsed: Parsed, names: set[str]) -> Iterator[Death]:
    for sent in parsed.sentences:
        for token in sent.doc:
            victim = _victim(token)
            if victim is None or not _is_person(victim, names):
                continue
            status = event_status(sent, token)
            if status is None:
                continue
            who = _who(victim)
            named = who == "reader" or who in names
            confidence = (0.9 if named else 0.75) if status == "depicted" else 0.3
            start, end = sent.start, sent.end
            yield Death(who, status, confidence, parsed.index.evidence(start, end, token.text))


def reader_fading(parsed: Parsed) -> Iterator[Death]:
    """Fading euphemisms about the reader near the end; surer after the reader is hurt."""
    sentences = parsed.sentences
    ending = max(_MIN_ENDING, int(len(sentences) * _ENDING_SHARE))
    for position in range(max(0, len(sentences) - ending), len(sentences)):
        sent = sentences[position]
        lowered = sent.doc.text.lower()
        cue = next((f for f in FADING if f in lowered), None)
        if not cue or not _about_reader(sent) or any(w in _SLEEP for w in lowered.split()):
            continue
        hurt = _reader_hurt(sentences[max(0, position - _HURT_WINDOW) : position + 1])
        confidence = 0.85 if hurt else 0.45
        note = f"“{cue}” near the end" + (", after the reader is hurt" if hurt else "")
        yield Death(
            "reader", "depicted", confidence, parsed.index.evidence(sent.start, sent.end, note)
        )


def _about_reader(sent: ParsedSentence) -> bool:
    return any(t.lower_ in SECOND_PERSON for t in sent.narration())


def _reader_hurt(window: list[ParsedSentence]) -> bool:
    return any(
        _about_reader(s) and any(t.lower_ in HURT or t.lemma_ in HURT for t in s.narration())
        for s in window
    )


def bodily_cessation(parsed: Parsed, names: set[str]) -> Iterator[Death]:
    """ "His breathing stopped." "Her chest stopped moving." A person's body stopping in the
    narration is a death on the page, though no death word is used. "Had the dream passed
    away?" is not: the one who stops must be a person."""
    for sent in parsed.sentences:
        lowered = sent.doc.text.lower()
        cue = next((c for c in CESSATION if c in lowered), None)
        if cue is None or not sent.has_narration:
            continue
        person = _who_stops(sent, lowered.index(cue), names)
        if person is None:
            continue
        yield Death(_who(person), "depicted", 0.7, parsed.index.evidence(sent.start, sent.end, cue))


def _who_stops(sent: ParsedSentence, cue_at: int, names: set[str]) -> Token | None:
    """The person whose body stops: the verb's subject, or the owner of the body part."""
    verb = next((t for t in sent.doc if t.idx >= cue_at and t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and _is_person(subject, names):
        return subject
    # "his breathing stopped", "the light left her eyes", "the life drained from your face"
    parts = [subject, *(c for c in verb.children if c.dep_ == "dobj")]
    parts += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    owners = (o for part in parts if part is not None for o in part.children if o.dep_ == "poss")
    return next((o for o in owners if _is_person(o, names) or o.lower_ in _OWNERS), None)


_OWNERS = frozenset({"his", "her", "their", "your", "my"})


def find_deaths(parsed: Parsed, names: set[str]) -> list[Death]:
    deaths = list(explicit_deaths(parsed, names)) + list(reader_fading(parsed))
    deaths += bodily_cessation(parsed, names)
    return sorted(deaths, key=lambda d: (-d.confidence, d.evidence.start))
