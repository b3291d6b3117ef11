"""The one parse every analysis shares: each sentence of the story body, parsed once.

Sentences come from the story model (so their offsets index the original text) and go through
``nlp.pipe`` in batches with named entities on, because the cast needs them. The text handed to
spaCy is masked as for the rewrite (``ynsert.parsing``), so ``doc`` character offsets plus the
sentence start are offsets into the story. Every analysis reads ``Parsed``; none parses again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc, Token

from ynsert import nlp as pipeline
from ynsert.analysis.report import TextIndex
from ynsert.parsing import SentenceMasker
from ynsert.placeholders import Placeholder, find_placeholders
from ynsert.pov import count_address
from ynsert.story import Sentence, Story

BATCH_SIZE = 256
_LONGEST = 16  # no placeholder is longer than this
_HAS_WORD = re.compile(r"[A-Za-z]")

#: Words that refer to the reader in second-person narration.
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "ya", "y'all"})
#: First person singular: a narrator "I".
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})


@dataclass
class ParsedSentence:
    """A story sentence with its doc; ``base`` turns doc offsets into story offsets."""

    sentence: Sentence
    doc: Doc
    narrative: list[bool]  # per token: does the narrator say it (not dialogue or thought)?
    index: int

    @property
    def base(self) -> int:
        return self.sentence.start

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph

    def span(self, token: Token) -> tuple[int, int]:
        return self.base + token.idx, self.base + token.idx + len(token)

    def narration(self) -> Iterator[Token]:
        return (t for t in self.doc if self.narrative[t.i])

    def dialogue(self) -> Iterator[Token]:
        return (t for t in self.doc if not self.narrative[t.i])

    @cached_property
    def has_narration(self) -> bool:
        return any(self.narrative[t.i] and t.is_alpha for t in self.doc)


@dataclass
class Parsed:
    """A story, its sentences parsed once, and the indexes every analysis needs."""

    story: Story
    sentences: list[ParsedSentence]
    placeholders: list[Placeholder]
    index: TextIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = TextIndex(self.story.text)

    @property
    def text(self) -> str:
        return self.story.text

    def narration_sentences(self) -> list[ParsedSentence]:
        return [s for s in self.sentences if s.has_narration]

    def placeholder_at(self, start: int, end: int) -> Placeholder | None:
        """The placeholder overlapping ``[start, end)``, if any (by bisection)."""
        i = bisect.bisect_right(self._placeholder_starts, max(0, start - _LONGEST))
        for ph in self.placeholders[i:]:
            if ph.start >= end:
                return None
            if start < ph.end:
                return ph
        return None

    @cached_property
    def _placeholder_starts(self) -> list[int]:
        return [ph.start for ph in self.placeholders]

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> int:
        """Position in ``sentences`` of the sentence holding (or nearest before) ``offset``."""
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    @cached_property
    def reader_insert(self) -> bool:
        """Told to "you" rather than by an "I" who addresses a listener now and then."""
        return count_address(self.story).is_reader_insert


def parse_story(story: Story, nlp: Language | None = None) -> Parsed:
    """Parse every sentence of the story body once (NER on); the header is left out."""
    nlp = nlp or pipeline.load(with_entities=True)
    body = story.header.end if story.header else 0
    placeholders = [ph for ph in find_placeholders(story.text) if ph.start >= body]
    sentences = [s for s in story.sentences() if _HAS_WORD.search(story.text, s.start, s.end)]
    masker = SentenceMasker(story, placeholders)
    docs = nlp.pipe((masker(s) for s in sentences), batch_size=BATCH_SIZE)
    parsed = [
        ParsedSentence(sentence, doc, _narrative_mask(story, sentence, doc), i)
        for i, (sentence, doc) in enumerate(zip(sentences, docs, strict=True))
    ]
    return Parsed(story, parsed, placeholders)


def _narrative_mask(story: Story, sentence: Sentence, doc: Doc) -> list[bool]:
    base = sentence.start
    return [story.is_narrative(base + t.idx, base + t.idx + len(t)) for t in doc]
