"""Reading and writing the files fans keep stories in: text, Markdown, HTML and EPUB.

>>> from ynsert.formats import read_work, write_work
>>> work = read_work(b"Title: Home\\n\\nYou ran.", "home.txt")
>>> work.metadata.title, work.text
('Home', 'Title: Home\\n\\nYou ran.')
>>> write_work(work, "txt")
b'Title: Home\\n\\nYou ran.'

A personalised copy is ``write_work(work.apply(ynsert.rewrite(work.text).edits), fmt)``:
the rewrite runs once over the whole story, and ``apply`` puts each edit back into the
original markup so nothing but story words changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ynsert.document.header import Metadata
from ynsert.source import MAX_INPUT_BYTES

from .epub import read_epub, write_epub
from .errors import FormatError
from .html import read_html, write_html
from .markdown import read_markdown, write_markdown
from .sniff import sniff
from .text import read_text, write_text
from .work import Chapter, Work

FORMATS = ("txt", "md", "html", "epub")
ALIASES = {"text": "txt", "markdown": "md", "htm": "html", "xhtml": "html"}
READERS: dict[str, Callable[[bytes], Work]] = {
    "txt": read_text,
    "md": read_markdown,
    "html": read_html,
    "epub": read_epub,
}
WRITERS: dict[str, Callable[[Work], bytes]] = {
    "txt": write_text,
    "md": write_markdown,
    "html": write_html,
    "epub": write_epub,
}


def format_name(name: str) -> str:
    """Canonical format name (``"markdown"`` → ``"md"``); FormatError if unknown."""
    key = ALIASES.get(name.lower().lstrip("."), name.lower().lstrip("."))
    if key not in FORMATS:
        raise FormatError(f"unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return key


def format_for(filename: str | None) -> str | None:
    """The format an output name asks for (``mine.epub`` → ``"epub"``), or None."""
    suffix = (filename or "").rpartition(".")[2].lower() if "." in (filename or "") else ""
    name = ALIASES.get(suffix, suffix)
    return name if name in FORMATS else None


def read_work(data: bytes, filename: str | None = None, format: str | None = None) -> Work:
    """Read a story file; the format is sniffed from the bytes unless given."""
    if len(data) > MAX_INPUT_BYTES:
        raise FormatError(f"larger than {MAX_INPUT_BYTES // 2**20} MB, refused")
    if not data.strip():
        raise FormatError("empty story: the input has no text")
    name = format_name(format) if format else sniff(data, filename)
    return replace(READERS[name](data), original=bytes(data))


def write_work(work: Work, format: str) -> bytes:
    """Write ``work`` as ``format``; the same format as read gives back the original file."""
    return WRITERS[format_name(format)](work)


__all__ = [
    "FORMATS",
    "Chapter",
    "FormatError",
    "Metadata",
    "Work",
    "format_for",
    "format_name",
    "read_work",
    "sniff",
    "write_work",
]
