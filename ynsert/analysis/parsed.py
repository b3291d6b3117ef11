"""The one parse every analysis shares: each sentence of the story body, parsed once.

Sentences come from the story model (so their offsets index the original text) and from the
document's one parse (``ynsert.document.parse``), with named entities, because the cast needs
them; ``doc`` character offsets plus the sentence start are offsets into the story. Every
analysis reads ``Parsed``; none parses again.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from ynsert.analysis.base import TextIndex
from ynsert.document import Document
from ynsert.document.address import count_address
from ynsert.document.parse import ParsedSentence
from ynsert.document.segment import Story
from ynsert.placeholders import Placeholder

BATCH_SIZE = 256
_LONGEST = 16  # no placeholder is longer than this
_HAS_WORD = re.compile(r"[A-Za-z]")


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


def parse_story(document: Document) -> Parsed:
    """Every sentence of the story body from the document's one parse (entities on)."""
    story = document.story
    sentences = [s for s in story.sentences() if _HAS_WORD.search(story.text, s.start, s.end)]
    return Parsed(story, document.parse.parsed(sentences, entities=True), document.placeholders)
