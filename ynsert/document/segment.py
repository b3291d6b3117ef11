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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

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


@dataclass
class Story:
    text: str
    header: Span | None
    paragraphs: list[Paragraph]

    def __post_init__(self) -> None:
        spans = [span for p in self.paragraphs for span in p.spans]
        if self.header:
            spans.insert(0, self.header)
        self._span_starts = [s.start for s in spans]
        self._spans = spans

    @classmethod
    def from_text(cls, text: str) -> Story:
        header = find_header(text)
        body_start = header.end if header else 0
        paragraphs = [
            Paragraph(start, end, segment_paragraph(text, start, end))
            for start, end in split_paragraphs(text, body_start)
        ]
        return cls(text, header, paragraphs)

    def span_at(self, offset: int) -> Span | None:
        """The span holding ``offset``, or None between paragraphs."""
        i = bisect.bisect_right(self._span_starts, offset) - 1
        if i >= 0 and offset < self._spans[i].end:
            return self._spans[i]
        return None

    def kind_at(self, offset: int) -> Kind | None:
        span = self.span_at(offset)
        return span.kind if span else None

    def is_narrative(self, start: int, end: int | None = None) -> bool:
        """True when every character of ``text[start:end]`` belongs to the narrator."""
        end = start + 1 if end is None else end
        span = self.span_at(start)
        return span is not None and span.kind in NARRATIVE_KINDS and end <= span.end

    def spans(self, *kinds: Kind) -> Iterator[Span]:
        return (s for s in self._spans if not kinds or s.kind in kinds)

    def sentences(self) -> Iterator[Sentence]:
        for index, paragraph in enumerate(self.paragraphs):
            for start, end in split_sentences(self.text, paragraph.start, paragraph.end):
                yield Sentence(start, end, index)


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
    if _BLANK_LINE.search(text, start):
        return _blocks(text, start, _BLANK_LINE)
    lines = _blocks(text, start, _LINE_BREAK)
    merged: list[tuple[int, int]] = []
    open_quote = False  # speech still open at the end of the paragraph so far
    joined = 0  # lines joined only because speech was open
    for line in lines:
        speech_goes_on = open_quote and joined < MAX_WRAPPED_SPEECH_LINES
        if merged and (speech_goes_on or _wraps_on(text, merged[-1][1], line[0])):
            merged[-1] = (merged[-1][0], line[1])
            joined = joined + 1 if speech_goes_on else 0
        else:
            merged.append(line)
            open_quote, joined = False, 0
        open_quote = _still_open(text, line[0], line[1], open_quote)
    return merged


#: Hard-wrapped speech ("Not after\nStarkiller.") keeps its lines together for this long; an
#: unbalanced quote must not swallow the rest of the story.
MAX_WRAPPED_SPEECH_LINES = 12


def _still_open(text: str, start: int, end: int, open_before: bool) -> bool:
    """Is a double quote open after ``text[start:end]``, given whether one was before it?"""
    line = text[start:end]
    straight = line.count('"') % 2 == 1
    curly = line.count("“") - line.count("”")
    return open_before != straight if curly == 0 else curly > 0


def _blocks(text: str, start: int, separators: re.Pattern[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in separators.finditer(text, start):
        spans.extend(_trimmed(text, cursor, match.start()))
        cursor = match.end()
    spans.extend(_trimmed(text, cursor, len(text)))
    return spans


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
