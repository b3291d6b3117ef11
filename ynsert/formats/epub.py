"""EPUB 2 and 3: AO3's calibre-made books, FanFicFare's books, and any valid EPUB.

Why zipfile + lxml and not EbookLib: a personalised book must be the original book with
only story words changed.  EbookLib reads a book into its own model and writes a new one
(new file names, regenerated nav, dropped members it does not know), and it parses XML with
settings we do not control.  Working on the members directly keeps every byte we do not
need to touch (CSS, fonts, images, cover, nav) identical, and keeps parsing inside
``archive.open_archive`` (zip-bomb and path checks) and ``sanitize.parse_xml`` (no entities).

Reading: the spine gives the reading order.  Each XHTML document in it is one of

- AO3 markup (``#preface``, ``div.userstuff``): the preface gives the metadata, each story
  ``div.userstuff`` a chapter (a headless one continuing the previous chapter, as calibre
  splits long chapters over files);
- a title page (FanFicFare's ``title_page.xhtml``, ``<b>Label:</b> value`` lines): metadata;
- anything else with text: one chapter, titled by its leading heading or the TOC.

Writing back: only documents whose text was edited (or whose markup sanitising changed)
are re-serialised; a personalised book also gets a new identifier (see ``opf``).  A Work
from another format is written as a fresh EPUB 3 (with an NCX for EPUB 2 readers) in AO3's
layout, which this module reads back losslessly.
"""

from __future__ import annotations

import copy
import posixpath
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html import escape

from lxml import etree

from ynsert.document.header import Metadata, assign, normalise_label
from ynsert.edits import Edit
from ynsert.source import MAX_INPUT_BYTES
from ynsert.vocab.labels import FANFICFARE_LABELS

from . import ao3, opf
from .archive import Member, open_archive, write_archive
from .errors import FormatError
from .html import HEADING_TAGS, STYLESHEET, body_chapter, fragments_of
from .sanitize import (
    clean_css,
    clean_xhtml_body,
    find_body,
    fragment_to_xhtml,
    markup_of,
    parse_xml,
    strip_active_content,
    xml_safe,
)
from .textmap import ChapterParts, Part, TextMap, localname
from .work import Chapter, Work

STORY, PAGE = "story", "page"
CONTENT_PROPERTIES = frozenset({"scripted", "svg", "mathml", "remote-resources"})
REMOTE_URL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_TITLE_PAGE = re.compile(r"title_?page", re.IGNORECASE)
CONTENTS_LINK_SHARE = 0.6  # a page whose text is mostly link text is a table of contents
LANGUAGE_CODES = {
    "english": "en",
    "español": "es",
    "deutsch": "de",
    "français": "fr",
    "italiano": "it",
    "português brasileiro": "pt-BR",
    "русский": "ru",
    "中文-普通话 國語": "zh",
    "日本語": "ja",
    "polski": "pl",
    "nederlands": "nl",
}


@dataclass(frozen=True)
class Document:
    """A spine XHTML document: where it lives, its tree, and what it is to the story."""

    path: str
    tree: etree._ElementTree
    kind: str  # STORY or PAGE
    dirty: bool = False  # must be re-serialised (sanitised or edited)


@dataclass(frozen=True)
class EpubSource:
    """The original book: its members, package, parsed spine documents and text map."""

    members: dict[str, Member]
    package: opf.Package
    documents: tuple[Document, ...]
    toc: dict[str, str]
    textmap: TextMap
    format: str = "epub"
    #: Every other XHTML/SVG document (nav, non-linear, off-spine), sanitised where it had to be,
    #: and the members whose content is dropped (scripts): written in place of the original.
    pages: tuple[tuple[str, etree._ElementTree], ...] = ()
    emptied: frozenset[str] = frozenset()
    #: Stylesheet members rewritten by ``sanitize.clean_css`` (only those that had to change).
    styles: tuple[tuple[str, bytes], ...] = ()

    def chapters(self) -> list[Chapter]:
        return self.textmap.chapter_list()

    def apply(self, edits: Sequence[Edit]) -> EpubSource:
        trees = self.textmap.apply(edits)
        documents = tuple(
            replace(doc, tree=tree, dirty=doc.dirty or tree is not doc.tree)
            for doc, tree in zip(self.documents, trees, strict=True)
        )
        return replace(self, documents=documents, textmap=build_textmap(documents, self.toc))

    def fragments(self) -> list[tuple[str, str]]:
        return [
            (title, "".join(markup_of(p.element, self.textmap.skip, p.whole) for p in parts))
            for title, parts in self.textmap.chapters
        ]

    def to_bytes(self, metadata: Metadata, personalised: bool) -> bytes:
        cleaned = {doc.path: _cleaned_copy(doc) for doc in self.documents if doc.dirty}
        cleaned.update(self.pages)
        replaced = {path: opf.serialise(tree) for path, tree in cleaned.items()}
        replaced.update(dict.fromkeys(self.emptied, b""))
        replaced.update(self.styles)
        properties = self._stale_properties(cleaned)
        if personalised or properties:
            package, new_id = opf.updated_package(self.package, personalised, properties)
            replaced[self.package.path] = package
            if new_id:
                replaced.update(self._ncx_with_uid(new_id))
        return write_archive(
            [(m.info, replaced.get(name, m.data)) for name, m in self.members.items()]
        )

    def _stale_properties(
        self, cleaned: dict[str, etree._ElementTree]
    ) -> dict[str, frozenset[str]]:
        """Manifest properties of re-written documents that no longer match their content."""
        stale = {}
        for item in self.package.manifest.values():
            if item.path in cleaned:
                wanted = (item.properties - CONTENT_PROPERTIES) | content_properties(
                    cleaned[item.path]
                )
                if wanted != item.properties:
                    stale[item.path] = wanted
        return stale

    def _ncx_with_uid(self, new_id: str) -> dict[str, bytes]:
        return {
            item.path: opf.update_ncx_uid(self.members[item.path].data, item.path, new_id)
            for item in self.package.manifest.values()
            if item.media_type == opf.NCX_TYPE and item.path in self.members
        }


def _cleaned_copy(doc: Document) -> etree._ElementTree:
    """Sanitise once more, on a copy (the original DOCTYPE is kept)."""
    tree = copy.deepcopy(doc.tree)
    if doc.kind == STORY:
        clean_xhtml_body(tree)
    else:
        strip_active_content(tree)
    return tree


def content_properties(tree: etree._ElementTree) -> frozenset[str]:
    """The EPUB 3 manifest properties a content document's markup calls for."""
    found = set()
    for element in tree.getroot().iter():
        name = localname(element)
        if name in {"script", "form"}:
            found.add("scripted")
        elif name in {"svg", "math"}:
            found.add("svg" if name == "svg" else "mathml")
        remote = (REMOTE_URL.match(element.get(attr) or "") for attr in ("src", "href"))
        if name and name != "a" and any(remote):  # a link to a page is not a resource
            found.add("remote-resources")
    return frozenset(found)


# --- reading -------------------------------------------------------------------------


def read_epub(data: bytes) -> Work:
    members = open_archive(data)
    package = opf.read_package(members)
    toc = opf.toc_labels(package, members)
    documents = tuple(_documents(package, members))
    textmap = build_textmap(documents, toc)
    if not textmap.texts:
        raise FormatError("no story text found in the EPUB")
    pages, emptied = _other_documents(package, members, {doc.path for doc in documents})
    styles = _stylesheets(package, members)
    source = EpubSource(members, package, documents, toc, textmap, "epub", pages, emptied, styles)
    return Work(_metadata(package, documents), source.chapters(), "epub", source=source)


def _documents(package: opf.Package, members: dict[str, Member]) -> list[Document]:
    """Parse and sanitise the linear XHTML documents of the spine (each once)."""
    documents = []
    expanded = 0
    for item, linear in package.spine:
        if item.media_type not in opf.XHTML_TYPES or "nav" in item.properties or not linear:
            continue
        if item.path not in members:
            raise FormatError(f"broken EPUB: {item.path} is in the spine but not in the archive")
        expanded += len(members[item.path].data)
        if expanded > MAX_INPUT_BYTES:
            raise FormatError(
                f"refusing EPUB: its documents hold over {MAX_INPUT_BYTES // 2**20} MB of markup"
            )
        tree = parse_xml(members[item.path].data, item.path)
        kind = STORY if _is_story(item.path, tree, package) else PAGE
        dirty = clean_xhtml_body(tree) if kind == STORY else strip_active_content(tree)
        documents.append(Document(item.path, tree, kind, dirty))
    return documents


_PAGE_SUFFIXES = (".xhtml", ".html", ".htm", ".xml", ".svg")
_PAGE_TYPES = opf.XHTML_TYPES | {"image/svg+xml"}
_SCRIPT_SUFFIXES = (".js", ".mjs")


def _other_documents(
    package: opf.Package, members: dict[str, Member], done: set[str]
) -> tuple[tuple[tuple[str, etree._ElementTree], ...], frozenset[str]]:
    """Sanitise every document the reader could open that is not a chapter or page read above.

    Title pages, contents, nav, ``linear="no"`` and off-spine documents reach the reader too.
    One that cannot be parsed safely (broken, declares entities) is emptied, as are scripts.
    """
    typed = {item.path: item.media_type for item in package.manifest.values()}
    pages: list[tuple[str, etree._ElementTree]] = []
    emptied = set()
    for name, member in members.items():
        media_type = typed.get(name, "")
        if name in done or name == package.path:
            continue
        if name.lower().endswith(_SCRIPT_SUFFIXES) or "javascript" in media_type:
            emptied.add(name)
        elif media_type in _PAGE_TYPES or (
            name.lower().endswith(_PAGE_SUFFIXES) and not name.startswith("META-INF/")
        ):
            if media_type == "application/x-dtbncx+xml" or name.lower().endswith(".ncx"):
                continue
            try:
                tree = parse_xml(member.data, name)
            except FormatError:
                emptied.add(name)
                continue
            if strip_active_content(tree):
                pages.append((name, tree))
    return tuple(pages), frozenset(emptied)


def _stylesheets(package: opf.Package, members: dict[str, Member]) -> tuple[tuple[str, bytes], ...]:
    """Every CSS member cleaned like a ``<style>`` element; only the changed ones are listed."""
    typed = {item.path: item.media_type for item in package.manifest.values()}
    changed = []
    for name, member in members.items():
        if typed.get(name) != "text/css" and not name.lower().endswith(".css"):
            continue
        try:
            css = member.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            css = member.data.decode("latin-1")  # every byte is a character: still checked
        cleaned = clean_css(css)
        if cleaned != css:
            changed.append((name, cleaned.encode("utf-8")))
    return tuple(changed)


def _is_story(path: str, tree: etree._ElementTree, package: opf.Package) -> bool:
    root = tree.getroot()
    if ao3.is_ao3(root):
        return bool(ao3.story_containers(root))
    if _is_title_page(path, root) or package.guide.get(path) in {"cover", "title-page", "toc"}:
        return False
    body = find_body(tree)
    return body is not None and bool(ao3.text_of(body)) and not _is_contents_page(body)


def _is_contents_page(body: etree._Element) -> bool:
    """A page that is mostly links, like FanFicFare's ``toc_page.xhtml``, is not a chapter."""
    headings = sum(len(ao3.text_of(h)) for h in body.iter() if localname(h) in HEADING_TAGS)
    links = sum(len(ao3.text_of(a)) for a in body.iter() if localname(a) == "a")
    rest = len(ao3.text_of(body)) - headings
    return rest > 0 and links >= CONTENTS_LINK_SHARE * rest


def _is_title_page(path: str, root: etree._Element) -> bool:
    """FanFicFare's title page, or any page listing the tags (an AO3 preface without classes)."""
    if _TITLE_PAGE.search(posixpath.basename(path)) or ao3.has_tag_list(root):
        return True
    labels = [ao3.text_of(b) for b in root.iter() if localname(b) in {"b", "strong"}]
    known = [x for x in labels if x.endswith(":") and normalise_label(x) in FANFICFARE_LABELS]
    return len(known) >= 3


def build_textmap(documents: Sequence[Document], toc: dict[str, str]) -> TextMap:
    """Chapters of all story documents, in spine order, over one text."""
    chapters: list[ChapterParts] = []
    for index, doc in enumerate(documents):
        if doc.kind != STORY:
            continue
        root = doc.tree.getroot()
        if ao3.is_ao3(root):
            _ao3_chapters(index, root, toc.get(doc.path, ""), chapters)
        else:
            chapters.append(body_chapter(index, doc.tree, toc.get(doc.path, "")))
    return TextMap.build([doc.tree for doc in documents], chapters, ao3.not_story)


def _ao3_chapters(
    index: int, root: etree._Element, label: str, chapters: list[ChapterParts]
) -> None:
    """Append this document's AO3 chapters; a headless first one continues the last."""
    for position, (title, container) in enumerate(ao3.story_containers(root)):
        if not title and position == 0 and chapters:  # calibre split a chapter over files
            chapters[-1][1].append(Part(index, container))
        else:
            chapters.append((title or label, [Part(index, container)]))


def _metadata(package: opf.Package, documents: Sequence[Document]) -> Metadata:
    """OPF metadata, refined by an AO3 preface or a FanFicFare title page if there is one."""
    meta = opf.read_metadata(package)
    for doc in documents:
        root = doc.tree.getroot()
        if ao3.by_id(root, "preface") is not None or ao3.has_tag_list(root):
            return replace(meta, tags=[]).merge(ao3.read_preface(root))
        if doc.kind == PAGE and _is_title_page(doc.path, root):
            return replace(meta, tags=[]).merge(_title_page(doc))
    return meta


def _title_page(doc: Document) -> Metadata:
    """FanFicFare's ``<b>Label:</b> value<br/>`` lines."""
    body = find_body(doc.tree)
    lines = TextMap.build([doc.tree], [("", [Part(0, body)])]).text.split("\n")
    meta = Metadata()
    for line in lines:
        label, colon, value = line.partition(":")
        if colon and value.strip():
            assign(meta, label, value.strip(), FANFICFARE_LABELS)
    return meta


# --- writing a new book --------------------------------------------------------------


def write_epub(work: Work) -> bytes:
    """The original book for EPUB input; otherwise a new EPUB 3 in AO3's layout."""
    if isinstance(work.source, EpubSource):
        return work.source.to_bytes(work.metadata, work.personalised)
    return new_epub(work.metadata, fragments_of(work), work.personalised)


def new_epub(meta: Metadata, chapters: list[tuple[str, str]], personalised: bool) -> bytes:
    identifier = f"urn:uuid:{uuid.uuid4()}"
    language = _language_code(meta.language)
    title = meta.title or (chapters[0][0] if chapters else "") or "Untitled"
    files = [("preface.xhtml", "Preface", f'<div id="preface">{ao3.preface_markup(meta)}</div>')]
    for number, (chapter_title, fragment) in enumerate(chapters, start=1):
        body = ao3.chapter_markup(chapter_title, _offline(fragment))
        files.append(
            (
                f"chapter_{number:03d}.xhtml",
                chapter_title or f"Chapter {number}",
                f'<div id="chapters" class="userstuff">{body}</div>',
            )
        )
    members = {
        "META-INF/container.xml": CONTAINER_XML,
        "OEBPS/style.css": STYLESHEET,
        "OEBPS/nav.xhtml": _nav(title, files, language),
        "OEBPS/toc.ncx": _ncx(title, identifier, files),
        "OEBPS/content.opf": _package(meta, title, identifier, language, files, personalised),
    }
    for name, _, body in files:
        members[f"OEBPS/{name}"] = _xhtml(title, fragment_to_xhtml(body), language)
    stamp = (2000, 1, 1, 0, 0, 0)
    return write_archive(
        [
            (zipfile.ZipInfo(name, stamp), xml_safe(text).encode("utf-8"))
            for name, text in members.items()
        ]
    )


def _offline(fragment: str) -> str:
    """Drop images and relative links: their targets are not in the new book."""
    fragment = re.sub(r"<img\b[^>]*>", "", fragment)
    return re.sub(r'<a\b[^>]*href="(?![a-z][a-z0-9+.-]*:)[^"]*"[^>]*>', "<a>", fragment, flags=re.I)


def _language_code(language: str) -> str:
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language or ""):
        return language
    return LANGUAGE_CODES.get((language or "").strip().lower(), "en")


CONTAINER_XML = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _xhtml(title: str, body: str, language: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{language}" lang="{language}">\n<head>\n<title>{escape(title)}</title>\n'
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _nav(title: str, files: list[tuple[str, str, str]], language: str) -> str:
    links = "\n".join(f'<li><a href="{n}">{escape(label)}</a></li>' for n, label, _ in files)
    body = f'<nav epub:type="toc" id="toc"><h1>{escape(title)}</h1>\n<ol>\n{links}\n</ol></nav>'
    return _xhtml(title, body, language)


def _ncx(title: str, identifier: str, files: list[tuple[str, str, str]]) -> str:
    points = "\n".join(
        f'<navPoint id="p{i}" playOrder="{i}"><navLabel><text>{escape(label)}</text></navLabel>'
        f'<content src="{name}"/></navPoint>'
        for i, (name, label, _) in enumerate(files, start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n'
        f'<head><meta name="dtb:uid" content="{escape(identifier)}"/></head>\n'
        f"<docTitle><text>{escape(title)}</text></docTitle>\n<navMap>\n{points}\n</navMap>\n</ncx>\n"
    )


def _package(
    meta: Metadata,
    title: str,
    identifier: str,
    language: str,
    files: list[tuple[str, str, str]],
    personalised: bool,
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dc = [
        f'<dc:identifier id="bookid">{identifier}</dc:identifier>',
        f"<dc:title>{escape(title)}</dc:title>",
        f"<dc:language>{language}</dc:language>",
    ]
    dc += [f"<dc:creator>{escape(a)}</dc:creator>" for a in meta.authors]
    dc += [f"<dc:subject>{escape(s)}</dc:subject>" for s in meta.subjects()]
    if meta.summary:
        dc.append(f"<dc:description>{escape(meta.summary)}</dc:description>")
    if meta.source_url:
        dc.append(f"<dc:source>{escape(meta.source_url)}</dc:source>")
    dc.append(f'<meta property="dcterms:modified">{now}</meta>')
    if personalised:
        dc.append(
            f'<meta name="ynsert:personalised" content="{now}: story text personalised by ynsert"/>'
        )
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    items += [
        f'<item id="f{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, (name, _, _) in enumerate(files)
    ]
    spine = "".join(f'<itemref idref="f{i}"/>' for i in range(len(files)))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(dc)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(items)
        + f'\n</manifest>\n<spine toc="ncx">{spine}</spine>\n</package>\n'
    )
