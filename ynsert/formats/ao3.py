"""The Archive of Our Own layout: preface, chapters, afterword (see docs formats.md).

Used for AO3 "Download → HTML" files, the XHTML inside AO3's EPUBs (calibre splits the same
markup over several files), and for the files ynsert itself writes: AO3's layout is the
richest one readers already know, and writing it means ynsert reads its own output back
with every tag in the right field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape

from lxml import etree

from ynsert.document.header import Metadata, assign, normalise_label, split_list
from ynsert.vocab.labels import LABELS

from .textmap import localname

_STATS = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*(\S+)")
_NOT_STORY_IDS = frozenset({"preface", "afterword"})
PREFACE_ROWS = (
    ("Rating", "rating"),
    ("Archive Warnings", "warnings"),
    ("Category", "categories"),
    ("Fandoms", "fandoms"),
    ("Relationships", "relationships"),
    ("Characters", "characters"),
    ("Additional Tags", "tags"),
    ("Language", "language"),
    ("Series", "series"),
    ("Collections", "collections"),
)


def classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def elements(root: etree._Element, name: str) -> Iterator[etree._Element]:
    """Descendants called ``name``, whatever their namespace."""
    return (e for e in root.iter() if localname(e) == name)


def by_id(root: etree._Element, ident: str) -> etree._Element | None:
    return next((e for e in root.iter() if isinstance(e.tag, str) and e.get("id") == ident), None)


def text_of(element: etree._Element | None) -> str:
    """Visible text with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def is_ao3(root: etree._Element) -> bool:
    """Does this (X)HTML document use AO3's preface/chapters/userstuff markup?"""
    return any(
        isinstance(e.tag, str)
        and (e.get("id") in {"preface", "chapters", "afterword"} or "userstuff" in classes(e))
        for e in root.iter()
    )


# --- reading -------------------------------------------------------------------------


def read_preface(root: etree._Element) -> Metadata:
    """Title, byline, tags, stats, summary and notes from ``#preface`` (or the whole page)."""
    preface = by_id(root, "preface")
    scope = preface if preface is not None else root
    meta = Metadata()
    for dl in elements(scope, "dl"):
        if "tags" in classes(dl) or is_tag_list(dl):
            _read_tags(dl, meta)
    meta.title = text_of(next(elements(scope, "h1"), None)) or _message_title(scope)
    meta.authors = [
        text_of(a)
        for div in elements(scope, "div")
        if "byline" in classes(div)
        for a in elements(div, "a")
    ]
    meta.source_url = _work_url(scope)
    meta.summary = _labelled_block(scope, "summary")
    meta.notes = _labelled_block(scope, "notes")
    return meta


def is_tag_list(dl: etree._Element) -> bool:
    """A ``dl`` of AO3 labels (``Rating:``, ``Fandom:`` ...), even without its class."""
    labels = [normalise_label(text_of(dt)) for dt in dl if localname(dt) == "dt"]
    return sum(label in LABELS or label == "stats" for label in labels) >= 3


def has_tag_list(root: etree._Element) -> bool:
    return any(is_tag_list(dl) for dl in elements(root, "dl"))


def _read_tags(dl: etree._Element, meta: Metadata) -> None:
    label = ""
    for child in dl:
        name = localname(child)
        if name == "dt":
            label = normalise_label(text_of(child))
        elif name == "dd" and label == "stats":
            for key, value in _STATS.findall(text_of(child)):
                if not assign(meta, key, value):
                    meta.extra[key.lower()] = value
        elif name == "dd":
            links = [text_of(a) for a in elements(child, "a")]
            assign(meta, label, links or split_list(text_of(child)))


def _message_title(scope: etree._Element) -> str:
    for p in elements(scope, "p"):
        if "message" in classes(p):
            return text_of(next(elements(p, "b"), None))
    return ""


def _work_url(scope: etree._Element) -> str:
    for p in elements(scope, "p"):
        if "message" in classes(p):
            for a in elements(p, "a"):
                if "/works/" in (a.get("href") or ""):
                    return a.get("href")
    return ""


def _labelled_block(scope: etree._Element, label: str) -> str:
    """The ``blockquote.userstuff`` after a ``<p>Summary</p>`` (or ``Notes``) label."""
    for p in elements(scope, "p"):
        if normalise_label(text_of(p)) == label:
            quote = p.getnext()
            if quote is not None and localname(quote) == "blockquote":
                return block_text(quote)
    return ""


def block_text(element: etree._Element) -> str:
    """Paragraph texts of a note or summary, blank-line separated."""
    paragraphs = [text_of(p) for p in elements(element, "p")]
    return "\n\n".join(p for p in paragraphs if p) or text_of(element)


def story_containers(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """``(chapter title, div.userstuff)`` for each chapter's story text, in order.

    Only ``div.userstuff`` children of ``#chapters`` are story.  Files split by calibre
    lose ``#chapters``; there the story is every innermost ``div.userstuff`` outside the
    preface, afterword, chapter meta blocks and note blockquotes.
    """
    chapters = by_id(root, "chapters")
    if chapters is not None:
        direct = [c for c in chapters if _is_userstuff_div(c)]
        containers = direct or [chapters]
    else:
        containers = [e for e in root.iter() if _is_userstuff_div(e) and _is_story_leaf(e)]
    return [(_chapter_title(c), c) for c in containers]


def _is_userstuff_div(element: etree._Element) -> bool:
    return localname(element) == "div" and "userstuff" in classes(element)


def _is_story_leaf(element: etree._Element) -> bool:
    if any(_is_userstuff_div(d) for d in element.iterdescendants()):
        return False
    for ancestor in element.iterancestors():
        if (
            ancestor.get("id") in _NOT_STORY_IDS
            or "meta" in classes(ancestor)
            or localname(ancestor) == "blockquote"
        ):
            return False
    return True


def _chapter_title(container: etree._Element) -> str:
    """The ``h2.heading`` of the ``div.meta`` block just before this chapter's text."""
    for sibling in container.itersiblings(preceding=True):
        if _is_userstuff_div(sibling):
            return ""
        if "meta" in classes(sibling):
            heading = next((h for h in elements(sibling, "h2") if "heading" in classes(h)), None)
            return text_of(heading)
    return ""


def not_story(element: etree._Element) -> bool:
    """Headings AO3 puts inside story containers ("Chapter Text", the work title)."""
    names = classes(element)
    return bool(names & {"landmark", "toc-heading"}) or (
        "meta" in names and localname(element) == "div"
    )


# --- writing -------------------------------------------------------------------------


def preface_markup(meta: Metadata) -> str:
    """``#preface`` for a work ynsert writes: the same structure AO3 downloads use."""
    rows = []
    for label, name in PREFACE_ROWS:
        value = getattr(meta, name)
        values = value if isinstance(value, list) else [value]
        if any(values):
            rows.append(f"<dt>{label}:</dt><dd>{escape(', '.join(v for v in values if v))}</dd>")
    stats = [
        f"{k}: {v}"
        for k, v in (
            ("Published", meta.published),
            ("Updated", meta.updated),
            ("Words", meta.words),
            ("Chapters", meta.chapters_declared),
        )
        if v
    ]
    if stats:
        rows.append(f"<dt>Stats:</dt><dd>{escape(' '.join(map(str, stats)))}</dd>")
    parts = [
        '<div class="meta">',
        f'<dl class="tags">{"".join(rows)}</dl>' if rows else "",
        f"<h1>{escape(meta.title)}</h1>",
    ]
    if meta.authors:
        authors = ", ".join(f"<a>{escape(a)}</a>" for a in meta.authors)
        parts.append(f'<div class="byline">by {authors}</div>')
    for label, text in (("Summary", meta.summary), ("Notes", meta.notes)):
        if text:
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
            parts.append(f'<p>{label}</p><blockquote class="userstuff">{paragraphs}</blockquote>')
    parts.append("</div>")
    if meta.source_url:
        url = escape(meta.source_url)
        parts.insert(
            0,
            f'<p class="message"><b>{escape(meta.title)}</b><br/>'
            f'Source: <a href="{url}">{url}</a></p>',
        )
    return "".join(parts)


def chapter_markup(title: str, fragment: str) -> str:
    """One chapter as AO3 writes it: a ``div.meta.group`` heading, then ``div.userstuff``."""
    heading = (
        f'<div class="meta group"><h2 class="heading">{escape(title)}</h2></div>' if title else ""
    )
    return f'{heading}<div class="userstuff">{fragment}</div>'
