"""The reader's relationships, as AO3 tags: ``Kylo Ren/Reader`` (romantic) or ``Kylo Ren & Reader``.

A sentence is an *interaction* between the reader and a character when it refers to the reader
and the character is referred to in it or in the sentence before (by name or by a pronoun the
cast gave them). Interactions are read with a lexicon of romantic acts and words:

    "I love you," you choke out.                    strong: love, kiss, darling, husband …
    He kissed you.                                   strong
    You longed to take his hand.                     weak: long, caress, cheek, lap, tenderly …
    He gently lowered you into his lap.              weak
    He handed you the datapad.                       no cue (an interaction only)
    He never kissed you.                             no cue (negated)

Romantic (``/``) with one strong cue or weak cues in three sentences; otherwise platonic (``&``)
when they interact in at least three sentences; otherwise no tag. Between family ("Love you,
kid." "Love you too, Dad.") love is platonic unless a word only romance uses appears.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from spacy.tokens import Token

from ynsert.analysis.base import Context, Evidence, register
from ynsert.analysis.cast import READER, CastAnalysis, Character
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import negated, words

STRONG = words(
    """kiss love lover beloved darling sweetheart boyfriend girlfriend husband wife fiance
    fiancee marry romance romantic seduce flirt crush passion desire arouse makeout"""
)
WEAK = words(
    """caress embrace cuddle nuzzle tender tenderly long yearn blush breathless lap cheek lip
    tuck stroke intimate swoon adore"""
)
_VERB_ONLY = words("long")  # "you longed to", not "his long hair"
#: Family words: between these two, "love" and a kiss on the forehead are not romance.
FAMILY = words(
    """dad daddy father mom mommy mum mother kid kiddo son daughter sister brother sis bro
    uncle aunt auntie grandpa grandma grandfather grandmother papa mama"""
)
#: Words only a romance uses, family or not.
ONLY_ROMANTIC = words(
    "lover boyfriend girlfriend husband wife fiance fiancee marry romance romantic seduce "
    "flirt crush arouse makeout"
)
_MIN_WEAK_SENTENCES = 3
_MIN_INTERACTIONS = 3
_MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Relationship:
    tag: str
    character: str
    kind: Literal["romantic", "platonic"]
    confidence: float
    interactions: int
    evidence: tuple[Evidence, ...]


def romance_cues(sent: ParsedSentence) -> tuple[list[Token], list[Token]]:
    """Strong and weak romantic words in a sentence, skipping negated ones."""
    strong, weak = [], []
    for token in sent.doc:
        lemma = token.lemma_.lower()
        if lemma in ("lovely", "loving") or _negated(token):
            continue
        if lemma in STRONG and token.pos_ in ("VERB", "NOUN", "ADJ"):
            strong.append(token)
        elif lemma in WEAK and (lemma not in _VERB_ONLY or token.pos_ == "VERB"):
            weak.append(token)
    return strong, weak


def _family(sentences: list[ParsedSentence]) -> bool:
    """They call each other kid, Dad, sis… in what they say (a brother merely mentioned in the
    narration says nothing about the two of them)."""
    return any(t.lower_ in FAMILY and not s.narrative[t.i] for s in sentences for t in s.doc)


def _only_romantic(cued: list[tuple[ParsedSentence, list[Token]]]) -> bool:
    return any(t.lemma_.lower() in ONLY_ROMANTIC for _, tokens in cued for t in tokens)


def _negated(token: Token) -> bool:
    return negated(token if token.pos_ in ("VERB", "AUX") else token.head)


def analyse_relationships(parsed: Parsed, cast: CastAnalysis) -> list[Relationship]:
    if cast.cast.reader is None:
        return []
    partners = _partners(parsed, cast)
    result = []
    for character in cast.cast.characters:
        sentences = [s for s in parsed.sentences if partners.get(s.index) == character.name]
        relationship = _relationship(parsed, character, sentences)
        if relationship:
            result.append(relationship)
    result.sort(key=lambda r: (r.kind != "romantic", -r.interactions))
    return result


def _partners(parsed: Parsed, cast: CastAnalysis) -> dict[int, str]:
    """Sentence index → the character the reader shares it with (latest referred to)."""
    latest: dict[int, tuple[int, str]] = {}
    for name, refs in cast.references.items():
        if name == READER:
            continue
        for sentence, offset in refs:
            if sentence not in latest or latest[sentence][0] < offset:
                latest[sentence] = (offset, name)
    reader = {sentence for sentence, _ in cast.references.get(READER, [])}
    partners = {}
    for index in sorted(reader):
        here = latest.get(index) or latest.get(index - 1)
        if here:
            partners[index] = here[1]
    return partners


def _relationship(
    parsed: Parsed, character: Character, sentences: list[ParsedSentence]
) -> Relationship | None:
    if character.status != "present" or not sentences:
        return None
    strong_sentences, weak_sentences = [], []
    for sent in sentences:
        strong, weak = romance_cues(sent)
        if strong:
            strong_sentences.append((sent, strong))
        elif weak:
            weak_sentences.append((sent, weak))
    romantic = bool(strong_sentences) or len(weak_sentences) >= _MIN_WEAK_SENTENCES
    if romantic and _family(sentences) and not _only_romantic(strong_sentences):
        romantic = False  # "Love you, kid." "Love you too, Dad."
        strong_sentences, weak_sentences = [], []
    if not romantic and len(sentences) < _MIN_INTERACTIONS:
        return None
    cued = (strong_sentences + weak_sentences)[:_MAX_EVIDENCE]
    evidence = tuple(
        parsed.index.evidence(s.start, s.end, "romantic: " + ", ".join(t.text for t in cues))
        for s, cues in sorted(cued, key=lambda pair: pair[0].start)
    )
    if romantic:
        score = (2 * len(strong_sentences) + len(weak_sentences)) / 5
        return Relationship(
            f"{character.name}/{READER}",
            character.name,
            "romantic",
            round(min(1.0, score), 2),
            len(sentences),
            evidence,
        )
    sample = tuple(parsed.index.evidence(s.start, s.end) for s in sentences[:3])
    return Relationship(
        f"{character.name} & {READER}",
        character.name,
        "platonic",
        round(min(1.0, len(sentences) / 10), 2),
        len(sentences),
        sample,
    )


@register("relationships", needs=("cast_analysis",), order=30)
def _component(context: Context, results: Mapping[str, Any]) -> list[Relationship]:
    return analyse_relationships(context.parsed, results["cast_analysis"])
