"""``Work``: one story as read from any container, beside (not inside) the story model.

A ``Work`` carries what every format has in common (metadata and chapters of plain story
text) and, privately, a *source*: the parsed container it came from.  The source is what
lets ``write_work`` give back the original file with only the story words changed, so a
rewritten EPUB keeps its styles, images and navigation byte for byte.

The story text seen by the rewrite engine is ``work.text``: chapters joined by
``CHAPTER_BREAK``, paragraphs by ``PARAGRAPH_BREAK``, italics marked ``*…*``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Protocol, Self

from ynsert.document import Document
from ynsert.document.header import Metadata
from ynsert.edits import Edit, apply_edits

CHAPTER_BREAK = "\n\n\n"
PARAGRAPH_BREAK = "\n\n"


@dataclass
class Chapter:
    """One chapter: its title (may be empty) and its story text."""

    title: str
    text: str


class Source(Protocol):
    """The parsed original container behind a Work (one implementation per format)."""

    @property
    def format(self) -> str:
        """The container's format name (txt, md, html, epub)."""
        ...

    def chapters(self) -> list[Chapter]:
        """The story text of each chapter, in reading order."""
        ...

    def apply(self, edits: Sequence[Edit]) -> Self:
        """A new source whose story text has ``edits`` (offsets into ``Work.text``) applied."""
        ...

    def fragments(self) -> list[tuple[str, str]]:
        """``(title, sanitised HTML)`` per chapter, for writing into another container."""
        ...

    def to_bytes(self, metadata: Metadata, personalised: bool) -> bytes:
        """The original container with the current story text."""
        ...


@dataclass
class Work:
    """A story with its metadata, as read from (and written back to) a file.

    A Work read by ``read_work`` keeps its ``original`` bytes and the ``applied`` edits, so it
    crosses process boundaries (pickle, a batch worker, a web job) as bytes + plain data and is
    rebuilt on the other side; the parsed container (lxml trees) never travels.
    """

    metadata: Metadata
    chapters: list[Chapter]
    format: str = "txt"
    personalised: bool = False
    source: Source | None = field(default=None, repr=False, compare=False)
    original: bytes = field(default=b"", repr=False, compare=False)
    applied: tuple[Edit, ...] = field(default=(), repr=False, compare=False)
    #: What the reader had to repair or guess (a stray non-UTF-8 byte …), for the user.
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        if self.original:
            return (_rebuild, (self.original, self.format, self.applied))
        if self.source is not None:
            raise TypeError("a Work built around a parsed source without its bytes cannot travel")
        return (Work, (self.metadata, self.chapters, self.format, self.personalised))

    @property
    def text(self) -> str:
        """The whole story as one string: what ``ynsert.rewrite`` and ``ynsert.fill`` take."""
        return CHAPTER_BREAK.join(chapter.text for chapter in self.chapters)

    @cached_property
    def document(self) -> Document:
        """The story text's document model and its one parse, shared by every verb."""
        return Document(self.text, declared=self.metadata)

    def chapter_ranges(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each chapter's text inside ``self.text``."""
        ranges = []
        start = 0
        for chapter in self.chapters:
            ranges.append((start, start + len(chapter.text)))
            start += len(chapter.text) + len(CHAPTER_BREAK)
        return ranges

    def apply(self, edits: Sequence[Edit]) -> Work:
        """Return a personalised copy with ``edits`` applied to the story text.

        Offsets refer to ``self.text``.  The original container is edited in place of the
        words only, so markup, styles and metadata stay as they were.
        """
        apply_edits(self.text, edits)  # validates offsets and ``old`` before touching markup
        if self.applied:
            raise ValueError("edits apply to a work as read; this one is already personalised")
        applied = tuple(sorted(edits))
        if self.source is None:
            chapters = _apply_to_chapters(self.chapters, edits)
            return replace(self, chapters=chapters, personalised=True, applied=applied)
        source = self.source.apply(edits)
        return replace(
            self, chapters=source.chapters(), source=source, personalised=True, applied=applied
        )


def _rebuild(original: bytes, format: str, applied: tuple[Edit, ...]) -> Work:
    """The other side of ``Work.__reduce__``: read the bytes again, re-apply the edits."""
    from ynsert.formats import read_work

    work = read_work(original, format=format)
    return work.apply(applied) if applied else work


def _apply_to_chapters(chapters: list[Chapter], edits: Sequence[Edit]) -> list[Chapter]:
    """Apply edits to a Work without a source: chapter by chapter, shifting offsets."""
    result: list[Chapter] = []
    placed = 0
    start = 0
    for chapter in chapters:
        end = start + len(chapter.text)
        mine = [
            replace(e, start=e.start - start, end=e.end - start)
            for e in edits
            if start <= e.start and e.end <= end
        ]
        placed += len(mine)
        result.append(Chapter(chapter.title, apply_edits(chapter.text, mine)))
        start = end + len(CHAPTER_BREAK)
    if placed != len(edits):
        raise ValueError("an edit spans a chapter break; chapters cannot be merged by edits")
    return result
