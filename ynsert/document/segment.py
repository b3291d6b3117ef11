"""The story model: text → header → paragraphs → narration / dialogue / thought spans → sentences.

Everything carries character offsets into the untouched original text, so every later stage
(analysis, rewrite, format writers) can point back at the exact bytes it is talking about.
Segmentation here is deliberately cheap (no parser): it decides *where* the reader can be
rewritten; the spaCy parse later decides *how*.

    >>> story = Story.from_text('"Stay," he said. You nod.')
    >>> [(s.kind, story.text[s.start:s.end]) for s in story.paragraphs[0].spans]
    [('dialogue', '"Stay,"'), ('narration', ' he said. You nod.')]
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, overload

from ynsert.document.header import header_end
from ynsert.vocab.persons import (
    FIRST_PERSON_WORDS,
    FIRST_PLURAL_WORDS,
    SECOND_PERSON_WORDS,
    words_pattern,
)

Kind = Literal["narration", "dialogue", "thought", "emphasis", "header"]

#: Kinds whose text belongs to the narrator and may be rewritten.
NARRATIVE_KINDS: frozenset[str] = frozenset({"narration", "emphasis"})

_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n|\r\n[ \t]*\r\n|\r[ \t]*\r")
_LINE = re.compile(r"[^\r\n]+")

# Leading elisions that start with an apostrophe, not an opening single quote.
_LEADING_ELISIONS = frozenset(
    [
        "cause",
        "cos",
        "coz",
        "em",
        "til",
        "tis",
        "twas",
        "bout",
        "round",
        "n",
        "cept",
        "kay",
        "ere",
        "fore",
        "ow",
        "nuff",
        "s",
        "ya",
        "gainst",
    ]
)
_LETTER = re.compile(r"\w")
_OPEN_CONTEXT = set(' \t\r\n([{—–-"“')
_CLOSE_PUNCT = set(".,!?;:…—–-")


@dataclass(frozen=True)
class Span:
    """A run of one kind of text inside a paragraph, as offsets into the original."""

    start: int
    end: int
    kind: Kind


@dataclass
class Paragraph:
    start: int
    end: int
    spans: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph (it may contain dialogue), found without a parser."""

    start: int
    end: int
    paragraph: int


_KINDS: tuple[Kind, ...] = ("narration", "dialogue", "thought", "emphasis", "header")
_KIND_CODE: dict[str, int] = {kind: code for code, kind in enumerate(_KINDS)}
_NARRATIVE_CODES = frozenset(_KIND_CODE[k] for k in NARRATIVE_KINDS)


class Story:
    """The segmented story: header, paragraphs and their spans, as offsets into ``text``.

    Spans and paragraphs are kept in flat arrays (8 bytes an offset, a byte a kind), not as
    objects: a work of 5M short lines has 5M paragraphs, and an object each would cost a
    gigabyte. ``paragraphs``, ``spans()`` and ``span_at`` hand out small objects on demand.
    """

    def __init__(self, text: str, header: Span | None, paragraphs: Iterable[Paragraph]) -> None:
        self.text = text
        self.header = header
        self._starts = array("q")
        self._ends = array("q")
        self._kinds = bytearray()
        if header:
            self._add(header)
        self._paragraph_bounds = array("q")  # start, end of each paragraph, in turn
        self._first_span = array("q")  # index of each paragraph's first span (+ the end)
        for paragraph in paragraphs:
            self._paragraph_bounds.extend((paragraph.start, paragraph.end))
            self._first_span.append(len(self._kinds))
            for span in paragraph.spans:
                self._add(span)
        self._first_span.append(len(self._kinds))
        self.paragraphs: Sequence[Paragraph] = _Paragraphs(self)

    def _add(self, span: Span) -> None:
        self._starts.append(span.start)
        self._ends.append(span.end)
        self._kinds.append(_KIND_CODE[span.kind])

    def _span(self, index: int) -> Span:
        return Span(self._starts[index], self._ends[index], _KINDS[self._kinds[index]])

    def _paragraph(self, index: int) -> Paragraph:
        bounds, first = self._paragraph_bounds, self._first_span
        spans = [self._span(i) for i in range(first[index], first[index + 1])]
        return Paragraph(bounds[2 * index], bounds[2 * index + 1], spans)

    @classmethod
    def from_text(cls, text: str) -> Story:
        header = find_header(text)
        body_start = header.end if header else 0
        paragraphs = (
            Paragraph(start, end, segment_paragraph(text, start, end))
            for start, end in iter_paragraphs(text, body_start)
        )
        return cls(text, header, paragraphs)

    def _index_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i if i >= 0 and offset < self._ends[i] else None

    def span_at(self, offset: int) -> Span | None:
        """The span holding ``offset``, or None between paragraphs."""
        i = self._index_at(offset)
        return None if i is None else self._span(i)

    def kind_at(self, offset: int) -> Kind | None:
        i = self._index_at(offset)
        return None if i is None else _KINDS[self._kinds[i]]

    def is_narrative(self, start: int, end: int | None = None) -> bool:
        """True when every character of ``text[start:end]`` belongs to the narrator."""
        end = start + 1 if end is None else end
        i = self._index_at(start)
        return i is not None and self._kinds[i] in _NARRATIVE_CODES and end <= self._ends[i]

    def spans(self, *kinds: Kind) -> Iterator[Span]:
        codes = {_KIND_CODE[k] for k in kinds} if kinds else None
        return (
            self._span(i) for i, code in enumerate(self._kinds) if codes is None or code in codes
        )

    def sentences(self) -> Iterator[Sentence]:
        bounds = self._paragraph_bounds
        for index in range(len(bounds) // 2):
            for start, end in split_sentences(self.text, bounds[2 * index], bounds[2 * index + 1]):
                yield Sentence(start, end, index)


class _Paragraphs(Sequence[Paragraph]):
    """The story's paragraphs as a read-only sequence, each built when asked for."""

    def __init__(self, story: Story) -> None:
        self._story = story

    def __len__(self) -> int:
        return len(self._story._paragraph_bounds) // 2

    @overload
    def __getitem__(self, index: int) -> Paragraph: ...

    @overload
    def __getitem__(self, index: slice) -> list[Paragraph]: ...

    def __getitem__(self, index: int | slice) -> Paragraph | list[Paragraph]:
        if isinstance(index, slice):
            return [self._story._paragraph(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("paragraph index out of range")
        return self._story._paragraph(index)


# --- header block ---------------------------------------------------------------------------


def find_header(text: str) -> Span | None:
    """The header block (``ynsert.document.header``): known ``Label: value`` lines on top."""
    end = header_end(text)
    if end == 0:
        return None
    start = len(text) - len(text.lstrip())
    return Span(start, end, "header")


# --- paragraphs -----------------------------------------------------------------------------


def split_paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; if the text has none, its lines.

    Without blank lines a line break still does not end a paragraph in the middle of a
    sentence (a hard-wrapped line that stops without punctuation and goes on in lower case).
    """
    return list(iter_paragraphs(text, start))


def iter_paragraphs(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """``split_paragraphs`` one at a time (5M lines are 5M paragraphs: no list of them)."""
    if _BLANK_LINE.search(text, start):
        yield from _blocks(text, start, _BLANK_LINE)
        return
    current: tuple[int, int] | None = None
    open_quote = False  # speech still open at the end of the paragraph so far
    joined = 0  # lines joined only because speech was open
    for line in _blocks(text, start, _LINE_BREAK):
        speech_goes_on = open_quote and joined < MAX_WRAPPED_SPEECH_LINES
        if current and (speech_goes_on or _wraps_on(text, current[1], line[0])):
            current = (current[0], line[1])
            joined = joined + 1 if speech_goes_on else 0
        else:
            if current:
                yield current
            current = line
            open_quote, joined = False, 0
        open_quote = _still_open(text, line[0], line[1], open_quote)
    if current:
        yield current


#: Hard-wrapped speech ("Not after\nStarkiller.") keeps its lines together for this long; an
#: unbalanced quote must not swallow the rest of the story.
MAX_WRAPPED_SPEECH_LINES = 12


def _still_open(text: str, start: int, end: int, open_before: bool) -> bool:
    """Is a double quote open after ``text[start:end]``, given whether one was before it?"""
    line = text[start:end]
    straight = line.count('"') % 2 == 1
    curly = line.count("“") - line.count("”")
    return open_before != straight if curly == 0 else curly > 0


def _blocks(text: str, start: int, separators: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    cursor = start
    for match in separators.finditer(text, start):
        yield from _trimmed(text, cursor, match.start())
        cursor = match.end()
    yield from _trimmed(text, cursor, len(text))


def _wraps_on(text: str, previous_end: int, next_start: int) -> bool:
    return text[previous_end - 1] not in _PARAGRAPH_END and text[next_start].islower()


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PARAGRAPH_END = set(".!?…:;\"”’')]*_-—")


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []


# --- dialogue, thoughts -----------------------------------------------------------------------


def segment_paragraph(text: str, start: int, end: int) -> list[Span]:
    """Partition ``text[start:end]`` into narration, dialogue, thought and emphasis spans.

    Dialogue that is still open at the end of the paragraph runs to its end: that is how
    speech running over several paragraphs is written ("… no closing quote, and the next
    paragraph opens with a quote again).
    """
    quoted = _dialogue_ranges(text, start, end)
    spans: list[Span] = []
    cursor = start
    for q_start, q_end in quoted:
        spans.extend(_narration_spans(text, cursor, q_start))
        spans.append(Span(q_start, q_end, "dialogue"))
        cursor = q_end
    spans.extend(_narration_spans(text, cursor, end))
    return spans


def _dialogue_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    unbalanced = _unbalanced(text, start, end)
    i = start
    # once a single quote found no closer up to ``end``, no later one can (its candidates are
    # a subset): remembering that keeps unclosed 'quotes linear instead of quadratic
    unclosable = end
    while i < end:
        ch = text[i]
        close = None
        if _orphan_closer(text, i, start, end, unbalanced):
            # '…stubborn," Levi sighed': the opening quote is missing, so the speech is what
            # came before the closer, from the paragraph's start (or the last dialogue's end)
            ranges.append((ranges[-1][1] if ranges else start, i + 1))
            i += 1
            continue
        if ch in '"“':
            close = _find_double_close(text, i + 1, end, ch)
            if unbalanced:  # a closing quote is missing: the speech ends at its tag
                tag = _SPEECH_TAG.search(text, i + 1, close)
                close = tag.start() if tag else close
        elif ch in "'‘" and i < unclosable and _opens_single_quote(text, i, start):
            close = _find_single_close(text, i + 1, end)
            if close is None:
                unclosable = i
        if close is None:
            i += 1
            continue
        ranges.append((i, close))
        i = close
    return ranges


#: A speech tag right after speech punctuation: '…rubbish, he admitted, …', '…you? Sirius
#: demanded.', past or present ('he says').
_SPEECH_TAG = re.compile(
    r"(?<=[,!?…])(?=\s+(?:he|she|they|[A-Z][a-z]+)\s+(?:\w+ly\s+)?"
    r"(?:said|says|asked|asks|told|tells|admit(?:ted|s)|repl(?:ied|ies)|"
    r"(?:whisper|mutter|murmur|add|call|answer|shout|insist|demand|yell|growl|snarl|scoff|"
    r"gasp|hiss)(?:ed|e?s)|"
    r"snap(?:ped|s)|sigh(?:ed|s)|laugh(?:ed|s)|groan(?:ed|s)|"
    r"(?:grumble|tease|breathe|chuckle|mumble|giggle)[ds]?)\b)"
)


def _orphan_closer(text: str, i: int, start: int, end: int, unbalanced: bool) -> bool:
    """A closing quote with no opening one: a curly ” with nothing open, or in a paragraph
    whose straight quotes do not pair, a " right after speech punctuation and before a space."""
    ch = text[i]
    if ch not in '"”' or (ch == '"' and not unbalanced) or i == start:
        return False
    after = text[i + 1] if i + 1 < end else " "
    return text[i - 1] in _SPEECH_END and (after.isspace() or after in _CLOSE_PUNCT)


_SPEECH_END = set(",.!?…—–-")


def _unbalanced(text: str, start: int, end: int) -> bool:
    """Do the paragraph's double quotes fail to pair up (one closing quote missing)?"""
    chunk = text[start:end]
    straight, opening, closing = chunk.count('"'), chunk.count("“"), chunk.count("”")
    return (straight + opening + closing) % 2 == 1 and (straight == 0 or opening + closing == 0)


def _find_double_close(text: str, i: int, end: int, opener: str) -> int:
    closers = '”"' if opener == "“" else '"”'
    for j in range(i, end):
        if text[j] in closers:
            return j + 1
    return end


def _opens_single_quote(text: str, i: int, para_start: int) -> bool:
    before = text[i - 1] if i > para_start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before not in _OPEN_CONTEXT or not (_LETTER.match(after) or after in "¿¡…."):
        return False
    word = re.match(r"[A-Za-z]+", text[i + 1 : i + 12])
    return not (word and word.group().lower() in _LEADING_ELISIONS and _is_elision(text, i))


def _is_elision(text: str, i: int) -> bool:
    """'em, 'cause … are elisions unless the quote closes right after the word ('Em!')."""
    tail = text[i + 1 : i + 14]
    return not re.match(r"[A-Za-z]+[.,!?]['’]", tail)


def _find_single_close(text: str, i: int, end: int) -> int | None:
    """The closing single quote: a quote after punctuation, else after a word (not nothin')."""
    fallback = None
    for j in range(i, end):
        if text[j] not in "'’":
            continue
        before = text[j - 1]
        after = text[j + 1] if j + 1 < end else " "
        if _LETTER.match(after):
            continue  # apostrophe inside a word: don't, Kylo's
        if before in _CLOSE_PUNCT:
            return j + 1
        if fallback is None and _LETTER.match(before) and not _g_dropped(text, j):
            fallback = j + 1
    return fallback


def _g_dropped(text: str, j: int) -> bool:
    """nothin', somethin', the boys' — a trailing apostrophe that is part of the word."""
    word = re.search(r"[A-Za-z]+$", text[max(0, j - 20) : j])
    return word is not None and word.group().lower().endswith(("in", "s"))


# Italics: ``*…*``, ``**…**``, ``_…_`` and ``<em>…</em>`` in pasted HTML. Each opener pairs with
# the first closer of its kind after it (what a lazy regex would find), but closers are found
# once per paragraph and looked up by bisection, so unclosed openers cost nothing: linear time.
_OPENER = re.compile(r"(?<![\w*])(?:\*{1,2}|_)(?=\S)|<(em|i)\b[^>]{0,500}>", re.IGNORECASE)
_CLOSERS = {
    "**": re.compile(r"(?<=\S)\*\*(?![\w*])"),
    "*": re.compile(r"(?<=\S)\*(?![\w*])"),
    "_": re.compile(r"(?<=\S)_(?![\w*])"),
}
_TAG_CLOSER = re.compile(r"</(em|i)\s*>", re.IGNORECASE)


def _italics(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """``(start, end, inner text)`` of each italic span in ``text[start:end]``, in order."""
    closers: dict[str, tuple[list[int], list[int]]] = {}
    for marker, pattern in _CLOSERS.items():
        found = [m.start() for m in pattern.finditer(text, start, end)]
        closers[marker] = (found, [j + len(marker) for j in found])
    for tag in ("em", "i"):
        closers[tag] = ([], [])
    for match in _TAG_CLOSER.finditer(text, start, end):
        closers[match.group(1).lower()][0].append(match.start())
        closers[match.group(1).lower()][1].append(match.end())
    pos = start
    while (opener := _OPENER.search(text, pos, end)) is not None:
        span = _pair(text, opener, closers, end)
        if span is None:
            pos = opener.start() + 1
            continue
        yield span
        pos = span[1]


def _pair(
    text: str, opener: re.Match[str], closers: dict[str, tuple[list[int], list[int]]], end: int
) -> tuple[int, int, str] | None:
    """The italic span this opener starts, closed by the first closer of its kind, if any."""
    p = opener.start()
    if opener.group(1):  # <em …> or <i …>
        starts, ends = closers[opener.group(1).lower()]
        k = bisect.bisect_left(starts, opener.end() + 1)
        return (p, ends[k], text[opener.end() : starts[k]]) if k < len(starts) else None
    markers = ("**", "*") if opener.group() == "**" else (opener.group(),)
    for marker in markers:
        inner = p + len(marker)
        if inner >= end or text[inner].isspace():
            continue
        starts, ends = closers[marker]
        k = bisect.bisect_left(starts, inner + 1)
        if k < len(starts):
            return p, ends[k], text[inner : starts[k]]
    return None


_PERSONAL = re.compile(
    words_pattern(SECOND_PERSON_WORDS | FIRST_PERSON_WORDS | FIRST_PLURAL_WORDS), re.IGNORECASE
)


def _narration_spans(text: str, start: int, end: int) -> list[Span]:
    """Narration with italic thoughts (``*…*``, ``_…_``, ``<em>…</em>``) and emphasis split out."""
    if start >= end:
        return []
    spans: list[Span] = []
    cursor = start
    for italic_start, italic_end, inner in _italics(text, start, end):
        spans.extend(_span(cursor, italic_start, "narration"))
        spans.append(Span(italic_start, italic_end, _italic_kind(inner)))
        cursor = italic_end
    spans.extend(_span(cursor, end, "narration"))
    return spans


def _italic_kind(inner: str) -> Kind:
    """A clause in first or second person is a thought; a stressed word is emphasis."""
    words = inner.split()
    if len(words) >= 3 and _PERSONAL.search(inner):
        return "thought"
    return "emphasis"


def _span(start: int, end: int, kind: Kind) -> list[Span]:
    return [Span(start, end, kind)] if start < end else []


# --- sentences ------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "prof",
        "capt",
        "gen",
        "lt",
        "col",
        "sgt",
        "mt",
    ]
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]*_]*(?=\s+[\"'“‘(\[*_]*[A-Z0-9])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence boundaries inside a paragraph, by punctuation followed by a capital."""
    result: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = re.search(r"(\w+)\W*$", text[max(cursor, match.start() - 12) : match.start() + 1])
        if word and word.group(1).lower() in _ABBREVIATIONS and text[match.start()] == ".":
            continue
        result.append((cursor, match.end()))
        cursor = match.end()
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        result.append((cursor, end))
    return result
