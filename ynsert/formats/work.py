"""``Work``: one story as read from any container, beside (not inside) the story model.

A ``Work`` carries what every format has in common (metadata and chapters of plain story
text) and, privately, a *source*: the parsed container it came from.  The source is what
lets ``write_work`` give back the original file with only the story words changed, so a
rewritten EPUB keeps its styles, images and navigation byte for byte.

The story text seen by the rewrite engine is ``work.text``: chapters joined by
``CHAPTER_BREAK``, paragraphs by ``PARAGRAPH_BREAK``, italics marked ``*…*``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Protocol

from ynsert.edits import Edit, apply_edits

CHAPTER_BREAK = "\n\n\n"
PARAGRAPH_BREAK = "\n\n"


UNKNOWN_WARNINGS = frozenset(
    {"creator chose not to use archive warnings", "choose not to use archive warnings"}
)


@dataclass
class Metadata:
    """What archives and e-reader libraries know about a work; empty values mean "not given"."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    words: int | None = None
    chapters_declared: str = ""
    source_url: str = ""
    language: str = ""
    published: str = ""
    updated: str = ""
    series: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def warnings_unknown(self) -> bool:
        """AO3's "Creator Chose Not To Use Archive Warnings" means unknown, not none."""
        return any(normalise_label(w) in UNKNOWN_WARNINGS for w in self.warnings)

    def subjects(self) -> list[str]:
        """Every tag in AO3's order, as an e-reader library files them (``dc:subject``)."""
        ordered = [
            self.rating,
            *self.warnings,
            *self.categories,
            *self.fandoms,
            *self.relationships,
            *self.characters,
            *self.tags,
        ]
        return list(dict.fromkeys(s for s in ordered if s))

    def merge(self, other: Metadata) -> Metadata:
        """Return a copy where every non-empty field of ``other`` wins."""
        merged = replace(self, extra={**self.extra, **other.extra})
        for f in fields(self):
            value = getattr(other, f.name)
            if f.name != "extra" and value not in ("", None, []):
                setattr(merged, f.name, value)
        return merged


# Labels used by AO3 (``dt``), FanFicFare title pages and Tumblr header blocks, lower-cased
# and without the colon, mapped to Metadata fields.  Singular and plural forms both occur.
LABELS: dict[str, str] = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "writer": "authors",
    "summary": "summary",
    "description": "summary",
    "rating": "rating",
    "rated": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "tw": "warnings",
    "cw": "warnings",
    "trigger warnings": "warnings",
    "content warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "tags",
    "additional tag": "tags",
    "tags": "tags",
    "freeform tags": "tags",
    "words": "words",
    "word count": "words",
    "chapters": "chapters_declared",
    "language": "language",
    "published": "published",
    "updated": "updated",
    "series": "series",
    "collections": "collections",
    "collection": "collections",
    "source": "source_url",
    "url": "source_url",
    "story url": "source_url",
    "link": "source_url",
    "notes": "notes",
    "author's note": "notes",
    "a/n": "notes",
}

_LIST_FIELDS = {f.name for f in fields(Metadata) if f.type == "list[str]"}


def assign(
    meta: Metadata, label: str, value: str | Sequence[str], labels: dict[str, str] = LABELS
) -> bool:
    """Store ``value`` under the field ``label`` names; return False for unknown labels.

    Unknown labels the caller still wants to keep (``Requested by``) go to ``extra``.
    """
    name = labels.get(normalise_label(label))
    if name is None:
        return False
    if name in _LIST_FIELDS:
        values = split_list(value) if isinstance(value, str) else [v.strip() for v in value]
        current = getattr(meta, name)
        current.extend(v for v in values if v and v not in current)
    elif name == "words":
        meta.words = parse_int(value if isinstance(value, str) else " ".join(value))
    else:
        text = value if isinstance(value, str) else ", ".join(value)
        setattr(meta, name, text.strip())
    return True


def normalise_label(label: str) -> str:
    """``"**Archive Warnings:**"`` → ``"archive warnings"``."""
    return " ".join(label.strip(" \t*_:#>").lower().split())


def split_list(value: str) -> list[str]:
    """Split a comma (or semicolon) separated tag line."""
    return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]


def parse_int(value: str) -> int | None:
    """``"12,345"`` → 12345; None when there is no number."""
    digits = re.sub(r"[,.\s\u202f\xa0]", "", value)
    match = re.match(r"\d+", digits)
    return int(match.group()) if match else None


@dataclass
class Chapter:
    """One chapter: its title (may be empty) and its story text."""

    title: str
    text: str


class Source(Protocol):
    """The parsed original container behind a Work (one implementation per format)."""

    format: str

    def chapters(self) -> list[Chapter]:
        """The story text of each chapter, in reading order."""
        ...

    def apply(self, edits: Sequence[Edit]) -> Source:
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
    """A story with its metadata, as read from (and written back to) a file."""

    metadata: Metadata
    chapters: list[Chapter]
    format: str = "txt"
    personalised: bool = False
    source: Source | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The whole story as one string: what ``ynsert.rewrite`` and ``ynsert.fill`` take."""
        return CHAPTER_BREAK.join(chapter.text for chapter in self.chapters)

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
        if self.source is None:
            return replace(
                self, chapters=_apply_to_chapters(self.chapters, edits), personalised=True
            )
        source = self.source.apply(edits)
        return replace(self, chapters=source.chapters(), source=source, personalised=True)


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
