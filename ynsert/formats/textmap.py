"""Story text out of markup, and edits on that text back into the markup.

HTML and XHTML keep story words in the ``.text`` and ``.tail`` slots of lxml elements.
``TextMap.build`` walks the chapter containers in reading order and produces the plain
story text the rewrite engine sees, recording for every run of characters which slot (and
which offset in it) they came from:

- block elements (``p``, ``div``, headings, ...) become paragraph breaks (``\\n\\n``);
- ``<br>`` becomes a line break (two in a row at most: one more would read as a chapter);
- ``em``/``i`` with visible text are wrapped in ``*…*`` so the story model sees thoughts;
- whitespace collapses as a browser would collapse it.

The inserted breaks and ``*`` markers map to nothing, so markup is never edited.
``TextMap.apply`` turns each ``Edit`` (offsets into the story text) into replacements of
slot substrings on a deep copy of the documents; an edit that crosses an inline tag puts its
new text in the first slot and deletes the rest.
"""

from __future__ import annotations

import bisect
import copy
import html
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from ynsert.edits import Edit

from .work import CHAPTER_BREAK, PARAGRAPH_BREAK, Chapter

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "rt", "rp"})
EMPHASIS_TAGS = frozenset({"em", "i"})
EMPHASIS_MARK = "*"
_SPACE = " \t\n\r\f"  # HTML whitespace; a no-break space is a character, not a gap
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_IRREGULAR_SPACE = re.compile(r"[\t\n\r\f]|  ")

Skip = Callable[[etree._Element], bool]


def localname(element: etree._Element) -> str:
    """Tag name without namespace; "" for comments, processing instructions and entities."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


@dataclass(frozen=True)
class Segment:
    """``text[start:start+length]`` is ``slot_value[offset:offset+length]`` of ``node``."""

    start: int
    length: int
    doc: int
    node: etree._Element
    slot: str  # "text" or "tail"
    offset: int


@dataclass(frozen=True)
class Part:
    """What a chapter is made of: a container's content, or a node with its tail."""

    doc: int
    element: etree._Element
    whole: bool = False  # True: walk the element itself and its tail; False: its content


ChapterParts = tuple[str, list[Part]]
SlotKey = tuple[int, etree._Element, str]  # (document index, element, "text" or "tail")


@dataclass
class _Builder:
    """Accumulates story text and segments while the walker visits slots in order."""

    pieces: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    pos: int = 0
    para_has_text: bool = False
    chapter_has_text: bool = False
    pending_space: tuple[int, etree._Element, str, int] | None = None
    pending_newlines: int = 0
    pending_paragraph: bool = False
    pending_marks: int = 0
    emphasis_depth: int = 0
    emphasis_written: list[bool] = field(default_factory=list)

    def _emit(self, text: str) -> None:
        self.pieces.append(text)
        self.pos += len(text)

    def _emit_mapped(
        self, text: str, doc: int, node: etree._Element, slot: str, offset: int
    ) -> None:
        last = self.segments[-1] if self.segments else None
        if (
            last is not None
            and last.node is node
            and last.slot == slot
            and last.start + last.length == self.pos
            and last.offset + last.length == offset
        ):
            self.segments[-1] = Segment(
                last.start, last.length + len(text), doc, node, slot, last.offset
            )
        else:
            self.segments.append(Segment(self.pos, len(text), doc, node, slot, offset))
        self._emit(text)

    def _flush(self) -> None:
        """Write the separators and markers owed before the next visible character."""
        if self.pending_paragraph and self.chapter_has_text:
            self._emit(PARAGRAPH_BREAK)
        elif self.pending_newlines and self.para_has_text:
            self._emit("\n" * min(self.pending_newlines, 2))
        elif self.pending_space and self.para_has_text:
            self._emit_mapped(" ", *self.pending_space)
        self.pending_paragraph = False
        self.pending_newlines = 0
        self.pending_space = None
        if self.pending_marks:
            self._emit(EMPHASIS_MARK)
            self.emphasis_written[-1] = True
            self.pending_marks = 0
        self.para_has_text = self.chapter_has_text = True

    def add_text(self, doc: int, node: etree._Element, slot: str, value: str) -> None:
        """Map one slot's text, collapsing whitespace runs to one space as browsers do.

        Most slots need one segment: their inner whitespace is already single spaces.
        """
        core = value.strip(_SPACE)
        lead = len(value) - len(value.lstrip(_SPACE))
        if lead and self.para_has_text and not self.pending_space:
            self.pending_space = (doc, node, slot, 0)
        if not core:
            return
        self._flush()
        if not _IRREGULAR_SPACE.search(core):
            self._emit_mapped(core, doc, node, slot, lead)
        else:
            position = 0
            for run in _SPACE_RUN.finditer(core):
                self._emit_mapped(core[position : run.start()], doc, node, slot, lead + position)
                self._emit_mapped(" ", doc, node, slot, lead + run.start())
                position = run.end()
            self._emit_mapped(core[position:], doc, node, slot, lead + position)
        if lead + len(core) < len(value):
            self.pending_space = (doc, node, slot, lead + len(core))

    def add_unmapped(self, text: str) -> None:
        """Visible text that is not in a slot (an unresolved ``&nbsp;`` entity)."""
        self._flush()
        self._emit(text)

    def paragraph_break(self) -> None:
        if self.para_has_text:
            self.pending_paragraph = True
        self.para_has_text = False
        self.pending_space = None
        self.pending_newlines = 0

    def line_break(self) -> None:
        if self.para_has_text:
            self.pending_newlines += 1
            self.pending_space = None

    def open_emphasis(self) -> None:
        self.emphasis_depth += 1
        if self.emphasis_depth == 1:
            self.pending_marks = 1
            self.emphasis_written.append(False)

    def close_emphasis(self) -> None:
        self.emphasis_depth -= 1
        if self.emphasis_depth == 0:
            self.pending_marks = 0
            if self.emphasis_written.pop():
                self._emit(EMPHASIS_MARK)

    def begin_chapter(self, first: bool) -> tuple[int, int, int]:
        """Start a chapter (after a chapter break unless it is the first); returns a checkpoint."""
        checkpoint = (len(self.pieces), len(self.segments), self.pos)
        if not first:
            self._emit(CHAPTER_BREAK)
        return checkpoint

    def end_chapter(self, checkpoint: tuple[int, int, int]) -> str:
        """The chapter's text; a chapter without text is rolled back, break and all."""
        self.paragraph_break()
        self.pending_paragraph = self.chapter_has_text = False
        pieces, segments, pos = checkpoint
        text = "".join(self.pieces[pieces:]).removeprefix(CHAPTER_BREAK)
        if not text:
            del self.pieces[pieces:], self.segments[segments:]
            self.pos = pos
        return text


class _Walker:
    """Visits the slots of one document in reading order, feeding a ``_Builder``."""

    def __init__(self, builder: _Builder, doc: int, skip: Skip | None) -> None:
        self.builder = builder
        self.doc = doc
        self.skip = skip or (lambda element: False)

    def content(self, element: etree._Element) -> None:
        if element.text:
            self.builder.add_text(self.doc, element, "text", element.text)
        for child in element:
            self.node(child)

    def node(self, element: etree._Element) -> None:
        """Walk ``element`` and then its tail (the text after it, inside its parent)."""
        self._element(element)
        if element.tail:
            self.builder.add_text(self.doc, element, "tail", element.tail)

    def _element(self, element: etree._Element) -> None:
        if isinstance(element, etree._Entity):
            self.builder.add_unmapped(html.unescape(element.text))
            return
        name = localname(element)
        if not name or name in SKIPPED_TAGS or self.skip(element):
            return
        if name == "br":
            self.builder.line_break()
            return
        block = name in BLOCK_TAGS
        if block:
            self.builder.paragraph_break()
        if name in EMPHASIS_TAGS:
            self.builder.open_emphasis()
            self.content(element)
            self.builder.close_emphasis()
        else:
            self.content(element)
        if block:
            self.builder.paragraph_break()


@dataclass
class TextMap:
    """The story text of a set of documents and where each character of it lives."""

    docs: list[etree._ElementTree]
    chapters: list[ChapterParts]
    texts: list[str]
    segments: list[Segment]
    skip: Skip | None = None

    def __post_init__(self) -> None:
        self._starts = [segment.start for segment in self.segments]

    @classmethod
    def build(
        cls, docs: list[etree._ElementTree], chapters: list[ChapterParts], skip: Skip | None = None
    ) -> TextMap:
        """Map ``chapters`` (title and parts of ``docs``); chapters without text are dropped."""
        builder = _Builder()
        kept: list[ChapterParts] = []
        texts: list[str] = []
        for title, parts in chapters:
            checkpoint = builder.begin_chapter(first=not kept)
            for part in parts:
                builder.paragraph_break()
                walker = _Walker(builder, part.doc, skip)
                if part.whole:
                    walker.node(part.element)
                else:
                    walker.content(part.element)
            text = builder.end_chapter(checkpoint)
            if text:
                kept.append((title, parts))
                texts.append(text)
        return cls(docs, kept, texts, builder.segments, skip)

    @property
    def text(self) -> str:
        return CHAPTER_BREAK.join(self.texts)

    def chapter_list(self) -> list[Chapter]:
        return [
            Chapter(title, text) for (title, _), text in zip(self.chapters, self.texts, strict=True)
        ]

    def apply(self, edits: Sequence[Edit]) -> list[etree._ElementTree]:
        """Return the documents with ``edits`` applied; untouched documents are shared."""
        replacements: dict[SlotKey, list[tuple[int, int, str]]] = defaultdict(list)
        for edit in edits:
            for key, span in self.locate(edit).items():
                replacements[key].append(span)
        touched = {doc for doc, _, _ in replacements}
        docs = list(self.docs)
        for doc in touched:
            docs[doc] = _copy_and_edit(self.docs[doc], doc, replacements)
        return docs

    def locate(self, edit: Edit) -> dict[SlotKey, tuple[int, int, str]]:
        """Slot ranges covered by one edit; the first slot receives the new text.

        Public so a page can highlight each change in the original markup: the keys are
        ``(document, element, "text" | "tail")``, the values ``(start, end, new text)``.
        """
        found: dict[SlotKey, tuple[int, int, str]] = {}
        for segment, lo, hi in self._overlapping(edit.start, edit.end):
            key = (segment.doc, segment.node, segment.slot)
            start = segment.offset + lo - segment.start
            end = segment.offset + hi - segment.start
            if key in found:  # same slot, split by collapsed whitespace: widen the range
                first_start, _, new = found[key]
                found[key] = (first_start, end, new)
            else:
                found[key] = (start, end, "" if found else edit.new)
        if not found:
            raise ValueError(
                f"edit at {edit.start} ({edit.old!r}) touches no story text, only markup"
            )
        return found

    def _overlapping(self, start: int, end: int) -> Iterable[tuple[Segment, int, int]]:
        """Segments overlapping ``[start, end)``, with the overlap; insertions get one."""
        index = max(bisect.bisect_right(self._starts, start) - 1, 0)
        if start == end:  # attach an insertion to the character before it, else after it
            near = self.segments[max(index - 1, 0) : index + 1]
            after = [s for s in near if s.start < start <= s.start + s.length]
            before = [s for s in near if s.start == start]
            yield from ((s, start, start) for s in (after or before)[:1])
            return
        for segment in self.segments[index:]:
            if segment.start >= end:
                break
            lo, hi = max(start, segment.start), min(end, segment.start + segment.length)
            if lo < hi:
                yield segment, lo, hi


def _copy_and_edit(
    tree: etree._ElementTree,
    doc: int,
    replacements: dict[SlotKey, list[tuple[int, int, str]]],
) -> etree._ElementTree:
    """Deep-copy one document and rewrite the slots named in ``replacements``."""
    ordinal = {node: i for i, node in enumerate(tree.getroot().iter())}
    twin_tree = copy.deepcopy(tree)
    twins = list(twin_tree.getroot().iter())
    for (key_doc, node, slot), spans in replacements.items():
        if key_doc != doc:
            continue
        twin = twins[ordinal[node]]
        value = getattr(twin, slot)
        for start, end, new in sorted(spans, reverse=True):
            value = value[:start] + new + value[end:]
        setattr(twin, slot, value)
    return twin_tree
