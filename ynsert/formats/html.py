"""HTML: AO3 "Download → HTML" files and generic pages pasted from Tumblr or Wattpad.

The document is sanitised as it is read (nh3 on the body, a rebuilt ``<head>`` that keeps
only the title and inert styles), and the cleaned tree is what the Work keeps: its text
slots are edited in place, so everything that is not story text is written back as it was
read.  Writing sanitises once more, so a Work built or modified in code cannot smuggle
markup out either.

AO3 files are recognised by their markup (``#preface``, ``#chapters``, ``div.userstuff``)
and read as formats.md describes; other pages are one chapter (the ``<body>``) whose
leading ``Label: value`` lines fill the metadata, as for plain text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from lxml import etree

from ynsert.document.header import Metadata
from ynsert.edits import Edit

from . import ao3
from .errors import FormatError
from .sanitize import (
    clean_fragment_tree,
    css_is_safe,
    find_body,
    inner_html,
    markup_of,
    parse_html_document,
)
from .text import check_not_empty, decode, paragraphs_to_html, parse_header
from .textmap import ChapterParts, Part, TextMap, localname
from .work import Chapter, Work

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
WRAPPER_TAGS = frozenset({"div", "section", "article", "main"})
STYLESHEET = """body { font-family: serif; line-height: 1.5; margin: 1em auto; max-width: 40em; }
#preface, #afterword { font-size: 0.9em; }
dl.tags dt { font-weight: bold; }
.userstuff p { margin: 0.8em 0; }
"""


def decode_html(data: bytes) -> str:
    """Decode by BOM, then by the declared ``<meta charset>``, then as text would be."""
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    boms = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if encoding not in {"utf-8", "utf8"} and not data.startswith(boms):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeError, ValueError):  # "undefined", "punycode" …: not ours
            pass
    return decode(data)[0]


def clean_document(markup: str) -> etree._ElementTree:
    """Parse a whole HTML page and return it sanitised: safe head, nh3-cleaned body."""
    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses str with an encoding
    page = parse_html_document(markup)
    body = find_body(page.getroottree())
    content = inner_html(clean_fragment_tree(inner_html(body))).strip() if body is not None else ""
    language = page.get("lang") or ""
    lang = f' lang="{language}"' if _LANGUAGE.match(language) else ""
    rebuilt = (
        f"<!DOCTYPE html>\n<html{lang}>"
        f'<head>\n<meta charset="utf-8"/>\n<title>{escape(_title(page))}</title>\n'
        f"{_safe_styles(page)}</head>\n<body>\n{content}\n</body>\n</html>\n"
    )
    return parse_html_document(rebuilt).getroottree()


def _title(page: etree._Element) -> str:
    title = page.find(".//title")
    return " ".join(title.text_content().split()) if title is not None else ""


def _safe_styles(page: etree._Element) -> str:
    """Inline stylesheets, minus any that could fetch, run or close the ``<style>`` early.

    Style content is raw text in HTML (no escaping), which is why ``</`` is refused.
    """
    styles = [s.text_content() for s in page.iter("style")]
    return "".join(f"<style>{css}</style>\n" for css in styles if css.strip() and css_is_safe(css))


def _chapters(root: etree._Element) -> list[ChapterParts]:
    """Chapter parts of a cleaned page: AO3's ``div.userstuff`` blocks, else the body."""
    if ao3.is_ao3(root):
        return [(title, [Part(0, div)]) for title, div in ao3.story_containers(root)]
    return [body_chapter(0, root.getroottree(), "")]


def body_chapter(index: int, tree: etree._ElementTree, label: str) -> ChapterParts:
    """A page's body as one chapter; a leading heading is its title, not story text.

    Single wrapper elements (FanFicFare's ``<div class="fff_chapter">``) are looked through.
    """
    content = find_body(tree)
    if content is None:
        return label, []
    while True:
        children = [c for c in content if isinstance(c.tag, str)]
        wrapper = children[0] if len(children) == 1 else None
        if wrapper is None or localname(wrapper) not in WRAPPER_TAGS:
            break
        if (content.text or "").strip() or (wrapper.tail or "").strip():
            break
        content = wrapper
    first = next((c for c in content if isinstance(c.tag, str)), None)
    if first is not None and localname(first) in HEADING_TAGS and ao3.text_of(first):
        return ao3.text_of(first), [Part(index, s, whole=True) for s in first.itersiblings()]
    return label, [Part(index, content)]


@dataclass(frozen=True)
class HtmlSource:
    """A sanitised HTML page and the map from its story text to its text nodes."""

    tree: etree._ElementTree
    textmap: TextMap
    format: str = "html"

    @classmethod
    def from_tree(cls, tree: etree._ElementTree) -> HtmlSource:
        root = tree.getroot()
        skip = ao3.not_story if ao3.is_ao3(root) else None
        return cls(tree, TextMap.build([tree], _chapters(root), skip))

    def chapters(self) -> list[Chapter]:
        return self.textmap.chapter_list()

    def apply(self, edits: Sequence[Edit]) -> HtmlSource:
        return HtmlSource.from_tree(self.textmap.apply(edits)[0])

    def fragments(self) -> list[tuple[str, str]]:
        return [
            (title, "".join(markup_of(p.element, self.textmap.skip, p.whole) for p in parts))
            for title, parts in self.textmap.chapters
        ]

    def to_bytes(self, metadata: Metadata, personalised: bool) -> bytes:
        markup = etree.tostring(self.tree, method="html", encoding="unicode")
        cleaned = clean_document(markup)  # sanitise again on the way out
        return etree.tostring(cleaned, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")


def metadata_of(source: HtmlSource) -> Metadata:
    """AO3 preface metadata, or the page title plus a header block of ``Label:`` lines."""
    root = source.tree.getroot()
    if ao3.is_ao3(root):
        return ao3.read_preface(root)
    meta, _ = parse_header(source.textmap.text)
    if not meta.title:
        heading = next((e for e in root.iter() if localname(e) in {"h1", "title"}), None)
        meta.title = ao3.text_of(heading)
    return meta


def read_html(data: bytes) -> Work:
    markup = decode_html(data)
    check_not_empty(markup)
    source = HtmlSource.from_tree(clean_document(markup))
    if not source.textmap.texts:
        raise FormatError("no story text found in the HTML")
    return Work(metadata_of(source), source.chapters(), "html", source=source)


def write_html(work: Work) -> bytes:
    """The original page for HTML input; otherwise a new page in AO3's layout."""
    if isinstance(work.source, HtmlSource):
        return work.source.to_bytes(work.metadata, work.personalised)
    chapters = "\n".join(ao3.chapter_markup(t, f) for t, f in fragments_of(work))
    page = (
        f"<!DOCTYPE html>\n<html><head><title>{escape(work.metadata.title)}</title>"
        f"<style>{STYLESHEET}</style></head><body>\n"
        f'<div id="preface">{ao3.preface_markup(work.metadata)}</div>\n'
        f'<div id="chapters" class="userstuff">\n{chapters}\n</div>\n'
        "</body></html>\n"
    )
    cleaned = clean_document(page)
    return etree.tostring(cleaned, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")


def fragments_of(work: Work) -> list[tuple[str, str]]:
    """``(title, html)`` per chapter from the Work's source, or from its plain chapters."""
    if work.source is not None:
        return work.source.fragments()
    return [(c.title, paragraphs_to_html(c.text)) for c in work.chapters]
