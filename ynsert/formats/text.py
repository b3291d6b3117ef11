"""Plain text: Tumblr and Wattpad copies, notes-app drafts, anything saved as ``.txt``.

Reading decodes the bytes (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 when
the bytes are plausibly Windows text), normalises line breaks to ``\\n`` for the story
model and remembers the original ones, so writing an unchanged UTF-8 file gives back the
same bytes.  A header block of ``Label: value`` lines (``Title:``, ``Pairing:``,
``Warnings:`` ...) fills the metadata; it stays in the text, where the story model treats
it as a header.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from ynsert.document.header import Metadata, parse_header
from ynsert.edits import Edit, apply_edits

from .errors import FormatError
from .work import CHAPTER_BREAK, Chapter, Work

MAX_CONTROL_RATIO = 0.01  # more C0 control characters than this means binary data
MAX_CP1252_NON_ASCII = 0.3  # cp1252 decodes anything; real Windows text is mostly ASCII
_NEWLINE = re.compile(r"\r\n|\r|\n")
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
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), True
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(data, "utf-32"), False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), False
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    text = _cp1252(data)
    if text is None:
        raise FormatError(
            "cannot decode the text: it is not UTF-8, UTF-16 with a byte-order "
            "mark, or Windows cp1252; re-save it as UTF-8"
        )
    return text, False


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


def _cp1252(data: bytes) -> str | None:
    """Decode as cp1252 only when the result reads like Windows-saved prose."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return None
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return text if non_ascii <= MAX_CP1252_NON_ASCII * len(text) else None


def check_not_empty(text: str) -> None:
    if not text.strip():
        raise FormatError("empty story: the input has no text")


@dataclass(frozen=True)
class TextSource:
    """A decoded text file: the text with ``\\n`` line breaks and how to restore the bytes."""

    text: str
    newlines: tuple[str, ...]  # one terminator per "\n" in the original, or () if all "\n"
    bom: bool = False
    format: str = "txt"

    @classmethod
    def from_bytes(cls, data: bytes, format: str = "txt") -> TextSource:
        text, bom = decode(data)
        check_not_empty(text)
        terminators = tuple(_NEWLINE.findall(text))
        newlines = () if all(t == "\n" for t in terminators) else terminators
        return cls(_NEWLINE.sub("\n", text), newlines, bom, format)

    def chapters(self) -> list[Chapter]:
        return [Chapter("", self.text)]

    def apply(self, edits: Sequence[Edit]) -> TextSource:
        return replace(self, text=apply_edits(self.text, edits))

    def fragments(self) -> list[tuple[str, str]]:
        _, header_end = parse_header(self.text)
        return [("", paragraphs_to_html(self.text[header_end:]))]

    def to_bytes(self, metadata: Metadata, personalised: bool) -> bytes:
        """The original bytes, give or take the edits (UTF-8; the BOM kept if there was one)."""
        lines = self.text.split("\n")
        if len(lines) - 1 == len(self.newlines):
            text = "".join(
                line + end for line, end in zip(lines, self.newlines + ("",), strict=True)
            )
        else:  # edits changed the line count: use the commonest original line break
            common = max(set(self.newlines), key=self.newlines.count) if self.newlines else "\n"
            text = common.join(lines)
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def read_text(data: bytes) -> Work:
    source = TextSource.from_bytes(data, "txt")
    return Work(parse_header(source.text)[0], source.chapters(), "txt", source=source)


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
