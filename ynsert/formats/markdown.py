"""Markdown: text with ``*emphasis*``, ``# headings`` and the odd link.

A Markdown story is read exactly like plain text (same decoding, same byte-exact round
trip, same header block) because the story model already reads ``*…*`` and ``_…_`` as
thoughts and emphasis; keeping them in ``work.text`` is what keeps them as spans.

Only when a Markdown story is written into HTML or EPUB is the Markdown rendered: headings
of the top one or two levels start chapters, ``**strong**`` and ``*em*`` become tags, and
``***`` / ``---`` become scene breaks.  The renderer is deliberately small: stories use a
sliver of Markdown, and a full CommonMark engine would be one more dependency to trust.
"""

from __future__ import annotations

import bisect
import re

from .text import (
    TextSource,
    compose,
    paragraphs_to_html,
    parse_header,
    render_inline,
)
from .work import Work

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*([*_-])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_PRIVATE_USE = 0xE000  # escaped characters hide here while emphasis is matched


class MarkdownSource(TextSource):
    """A Markdown file; identical to text except in how it renders into HTML."""

    def fragments(self) -> list[tuple[str, str]]:
        _, header_end = parse_header(self.text)
        return split_chapters(self.text[header_end:])


def render_markdown_inline(text: str) -> str:
    """Inline Markdown (escapes, links, strong, emphasis) as HTML."""
    hidden = _ESCAPE.sub(lambda m: chr(_PRIVATE_USE + ord(m.group(1))), text)
    html = render_inline(_strong(hidden))
    html = html.replace("\x02", "<strong>").replace("\x03", "</strong>")
    html = _LINK.sub(r'<a href="\2">\1</a>', html)
    return re.sub("[\ue000-\ue07f]", lambda m: f"&#{ord(m.group()) - _PRIVATE_USE};", html)


_STRONG_OPEN = re.compile(r"(\*\*|__)(?=\S)")
_STRONG_CLOSE = {m: re.compile(r"(?<=\S)(?=" + re.escape(m) + ")") for m in ("**", "__")}


def _strong(line: str) -> str:
    """``**…**`` / ``__…__`` marked with \\x02 … \\x03, pairing each opener with the first closer
    after it (as ``_STRONG`` would), closers found once and bisected: linear, not quadratic.
    """
    closers = {m: [c.start() for c in p.finditer(line)] for m, p in _STRONG_CLOSE.items()}
    pieces = []
    cursor = pos = 0
    while (opener := _STRONG_OPEN.search(line, pos)) is not None:
        p, marker = opener.start(), opener.group(1)
        found = closers[marker]
        k = bisect.bisect_left(found, p + 3)
        if k == len(found):
            pos = p + 1
            continue
        j = found[k]
        pieces += [line[cursor:p], "\x02", line[p + 2 : j], "\x03"]
        cursor = pos = j + 2
    pieces.append(line[cursor:])
    return "".join(pieces)


def render_block(text: str) -> str:
    """Paragraphs, scene-break rules and deeper headings of one chapter as HTML."""
    text = _RULE.sub("\n\n<hr/>\n\n", text)
    text = _HEADING.sub(lambda m: f"\n\n\x01{len(m.group(1))}{m.group(2)}\n\n", text)
    html = paragraphs_to_html(text, inline=render_markdown_inline)
    html = re.sub(r"<p>&lt;hr/&gt;</p>", "<hr/>", html)
    return re.sub(r"<p>\x01(\d)(.*?)</p>", r"<h\1>\2</h\1>", html)


def split_chapters(text: str) -> list[tuple[str, str]]:
    """Split at the top heading level used (if any) into ``(title, html)`` chapters."""
    levels = [len(m.group(1)) for m in _HEADING.finditer(text)]
    if not levels:
        return [("", render_block(text))]
    top = "#" * min(levels)
    marks = [m for m in _HEADING.finditer(text) if m.group(1) == top]
    chapters = []
    if text[: marks[0].start()].strip():
        chapters.append(("", render_block(text[: marks[0].start()])))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end() : following.start() if following else len(text)]
        chapters.append((mark.group(2), render_block(body)))
    return chapters


def read_markdown(data: bytes) -> Work:
    source = MarkdownSource.from_bytes(data, "md")
    meta = parse_header(source.text)[0]
    return Work(meta, source.chapters(), "md", source=source, notes=source.notes)


def write_markdown(work: Work) -> bytes:
    """A ``.md`` file: the original bytes for text input, else header block and chapters."""
    if isinstance(work.source, TextSource):
        return work.source.to_bytes(work.metadata, work.personalised)
    return compose(work.metadata, work.chapters, heading="## ", decorate="**").encode("utf-8")
