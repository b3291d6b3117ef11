"""Which reader a file needs, decided by its bytes first and its name second.

Fans rename files, save HTML as ``.txt`` and paste Markdown into ``.txt``; a zip is
an EPUB candidate whatever it is called.  The extension only breaks the tie between
plain text and Markdown, which read the same anyway and differ only in how they render.
"""

from __future__ import annotations

import codecs
import re

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SAMPLE_SIZE = 8192
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?(?:p|div|br|span|em|i|b|strong|blockquote|h[1-6])\b[^>]*>", re.IGNORECASE)
# Only block structure says "this is a page": a text with a few ``<em>…</em>`` pasted into it
# reads fine as text, and reading it as HTML would merge its lines.
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|blockquote|h[1-6])\b[^>]*>", re.IGNORECASE)
_MARKDOWN = re.compile(r"^#{1,6}[ \t]+\S|\*\*\S[^*\n]*\*\*|\[[^\]\n]+\]\([^)\s]+\)", re.MULTILINE)


def sniff(data: bytes, filename: str | None = None) -> str:
    """Return ``"epub"``, ``"html"``, ``"md"`` or ``"txt"`` for these bytes."""
    if data.startswith(ZIP_MAGIC):
        return "epub"
    sample = _sample_text(data[:SAMPLE_SIZE])
    name = (filename or "").lower()
    if _HTML_START.match(sample) or len(_BLOCK_TAG.findall(sample)) >= 3:
        return "html"
    if name.endswith(HTML_SUFFIXES) and _TAG.search(sample):
        return "html"
    if name.endswith(MARKDOWN_SUFFIXES) or (not name.endswith(".txt") and _MARKDOWN.search(sample)):
        return "md"
    return "txt"


def _sample_text(head: bytes) -> str:
    """Decode the start of a file leniently, only to look at it."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")
