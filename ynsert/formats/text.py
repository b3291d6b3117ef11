"""Plain text: Tumblr and Wattpad copies, notes-app drafts, anything saved as ``.txt``.

Reading decodes the bytes (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 when
the bytes are plausibly Windows text), normalises line breaks to ``\\n`` for the story
model and remembers the original ones, so writing an unchanged UTF-8 file gives back the
same bytes.  A header block of ``Label: value`` lines (``Title:``, ``Pairing:``,
``Warnings:`` ...) fills the metadata; it stays in the text, where the story model treats
it as a header.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html import escape

from ynsert.document.header import Metadata, parse_header
from ynsert.edits import Edit, apply_edits

from .errors import FormatError
from .work import CHAPTER_BREAK, Chapter, Work

MAX_CONTROL_RATIO = 0.01  # more C0 control characters than this means binary data
MAX_CP1252_NON_ASCII = 0.3  # cp1252 decodes anything; real Windows text is mostly ASCII
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_EMPHASIS = (
    re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=\S)_(?![\w_])"),
)
_BINARY_KINDS = {
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "a Word .doc file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def decode(data: bytes) -> tuple[str, bool]:
    """Decode story bytes; return the text and whether a UTF-8 BOM was stripped."""
    text, bom, _ = decode_with_notes(data)
    return text, bom


def decode_with_notes(data: bytes) -> tuple[str, bool, tuple[str, ...]]:
    """Decode story bytes: the text, whether a UTF-8 BOM was stripped, and notes for the user.

    UTF-8 is kept even when a few bytes are not UTF-8 (a stray cp1252 ``’`` pasted into a
    UTF-8 file): each stray byte is read as cp1252 where it stands, and a note says so.  A
    file that is cp1252 throughout decodes the same way, byte by byte.

    >>> decode_with_notes("Café ".encode() + b"\\x92")[0]
    'Café ’'
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), True, ()
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32"), False, ()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), False, ()
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), False, ()
    except UnicodeDecodeError as error:
        first = error.start
    text = data.decode("utf-8", errors=_STRAY_HANDLER)
    strays = text.count(_STRAY_MARK)
    if _UNDEFINED_MARK in text or strays > MAX_CP1252_NON_ASCII * len(text):
        raise FormatError(
            "cannot decode the text: it is not UTF-8, UTF-16 with a byte-order "
            "mark, or Windows cp1252; re-save it as UTF-8"
        )
    note = (
        f"{strays} byte(s) are not UTF-8 (first at byte {first}); read as Windows cp1252 "
        "where they stand (a personalised copy is written as UTF-8)"
    )
    return text.replace(_STRAY_MARK, ""), False, (note,)


# A stray byte decodes to its cp1252 character preceded by a private-use mark, counted and
# removed afterwards: one pass, no re-decoding of the whole file.
_STRAY_MARK = "\U0010fffd"
_UNDEFINED_MARK = "\U0010fffe"


def _stray_bytes(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    byte = error.object[error.start : error.start + 1]
    try:
        char = byte.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: another encoding
        char = _UNDEFINED_MARK
    return _STRAY_MARK + char, error.start + 1


_STRAY_HANDLER = "ynsert-stray-cp1252"
codecs.register_error(_STRAY_HANDLER, _stray_bytes)


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FormatError(
            f"cannot decode the text as {encoding.upper()} despite its "
            f"byte-order mark (byte {error.start})"
        ) from None
    return text.removeprefix("\ufeff")


def _refuse_binary(data: bytes) -> None:
    for magic, kind in _BINARY_KINDS.items():
        if data.startswith(magic):
            raise FormatError(f"binary data, not a story: this is {kind}")
    if b"\x00" in data:
        raise FormatError(
            "binary data, not a story: it contains NUL bytes "
            "(UTF-16 without a byte-order mark is not supported)"
        )
    controls = len(_CONTROL.findall(data.decode("latin-1")))
    if controls > MAX_CONTROL_RATIO * len(data):
        raise FormatError(
            f"binary data, not a story: {controls} control characters in {len(data)} bytes"
        )


def check_not_empty(text: str) -> None:
    if not text.strip():
        raise FormatError("empty story: the input has no text")


@dataclass(frozen=True)
class TextSource:
    """A decoded text file: the text with ``\\n`` line breaks and how to restore the bytes.

    ``raw`` is the decoded text with its original line breaks (None when they are all
    ``\\n``); edits are applied to both, so a line break no edit touched is written back
    exactly as it was read, whatever the edits insert.
    """

    text: str
    raw: str | None = None
    crlf: tuple[int, ...] = ()  # offsets in ``text`` of each "\\n" that was "\\r\\n"
    bom: bool = False
    format: str = "txt"
    original: bytes = field(default=b"", repr=False)
    notes: tuple[str, ...] = ()

    @classmethod
    def from_bytes(cls, data: bytes, format: str = "txt") -> TextSource:
        decoded, bom, notes = decode_with_notes(data)
        check_not_empty(decoded)
        if "\r" not in decoded:
            return cls(decoded, None, (), bom, format, data, notes)
        text, crlf = _normalise(decoded)
        return cls(text, decoded, crlf, bom, format, data, notes)

    def chapters(self) -> list[Chapter]:
        return [Chapter("", self.text)]

    def apply(self, edits: Sequence[Edit]) -> TextSource:
        if not edits:
            return self
        text = apply_edits(self.text, edits)
        if self.raw is None:
            return replace(self, text=text, original=b"")
        raw = _splice(self.raw, [(self._raw(e.start), self._raw(e.end), e.new) for e in edits])
        return replace(self, text=text, raw=raw, crlf=_normalise(raw)[1], original=b"")

    def _raw(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.crlf, offset)

    def fragments(self) -> list[tuple[str, str]]:
        _, header_end = parse_header(self.text)
        return [("", paragraphs_to_html(self.text[header_end:]))]

    def to_bytes(self, metadata: Metadata, personalised: bool) -> bytes:
        """The original bytes, give or take the edits (UTF-8; the BOM kept if there was one)."""
        if self.original:  # nothing was applied: not one byte changes
            return self.original
        text = self.text if self.raw is None else self.raw
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def _normalise(raw: str) -> tuple[str, tuple[int, ...]]:
    """``raw`` with ``\\n`` line breaks, and where each ``\\r\\n`` now is (one pass)."""
    crlf = tuple(match.start() - shift for shift, match in enumerate(_CRLF.finditer(raw)))
    return raw.replace("\r\n", "\n").replace("\r", "\n"), crlf


def _splice(text: str, replacements: list[tuple[int, int, str]]) -> str:
    pieces = []
    cursor = 0
    for start, end, new in sorted(replacements):
        pieces += [text[cursor:start], new]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


_CRLF = re.compile(r"\r\n")


def read_text(data: bytes) -> Work:
    source = TextSource.from_bytes(data, "txt")
    meta = parse_header(source.text)[0]
    return Work(meta, source.chapters(), "txt", source=source, notes=source.notes)


def render_inline(text: str) -> str:
    """Escape a line of story text, turning ``*thought*`` / ``_thought_`` into ``<em>``."""
    html = escape(text, quote=False)
    for pattern in _EMPHASIS:
        html = pattern.sub(r"<em>\1</em>", html)
    return html


def paragraphs_to_html(text: str, inline=render_inline) -> str:
    """Blank-line separated paragraphs as ``<p>`` elements; single breaks as ``<br/>``."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
    return "\n".join(
        "<p>" + "<br/>".join(inline(line.strip()) for line in p.strip().split("\n")) + "</p>"
        for p in paragraphs
    )


HEADER_LABELS = (
    ("Title", "title"),
    ("Author", "authors"),
    ("Rating", "rating"),
    ("Archive Warnings", "warnings"),
    ("Category", "categories"),
    ("Fandom", "fandoms"),
    ("Relationships", "relationships"),
    ("Characters", "characters"),
    ("Additional Tags", "tags"),
    ("Language", "language"),
    ("Words", "words"),
    ("Chapters", "chapters_declared"),
    ("Source", "source_url"),
    ("Summary", "summary"),
)


def header_lines(meta: Metadata, decorate: str = "") -> list[str]:
    """The metadata as a header block the reader above parses back."""
    lines = []
    for label, name in HEADER_LABELS:
        value = getattr(meta, name)
        if isinstance(value, list):
            value = ", ".join(value)
        if value not in ("", None):
            lines.append(f"{decorate}{label}:{decorate} {' '.join(str(value).split())}")
    return lines


def compose(meta: Metadata, chapters: list[Chapter], heading: str = "", decorate: str = "") -> str:
    """Header block, then each chapter under its title: a text or Markdown file from any Work."""
    blocks = ["\n".join(header_lines(meta, decorate))] if header_lines(meta) else []
    for chapter in chapters:
        title = f"{heading}{chapter.title}\n\n" if chapter.title else ""
        blocks.append(title + chapter.text)
    return CHAPTER_BREAK.join(blocks) + "\n"


def write_text(work: Work) -> bytes:
    """A ``.txt`` file: the original bytes for text input, else header block and chapters."""
    if isinstance(work.source, TextSource):
        return work.source.to_bytes(work.metadata, work.personalised)
    return compose(work.metadata, work.chapters).encode("utf-8")
