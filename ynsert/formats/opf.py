"""The EPUB package document (OPF), its table of contents (NCX or nav), and their updates.

Reading yields the manifest, the spine in reading order, TOC labels and the Dublin Core
metadata.  Personalising a book changes only what must change: a new ``dc:identifier``
(``urn:uuid``), the matching ``dtb:uid`` in the NCX, ``dcterms:modified`` and two
``<meta name="ynsert:…">`` notes recording what was done.  When sanitising removed scripts,
SVG or remote resources from a document, its manifest ``properties`` follow (epubcheck
rejects a declared property the document no longer needs).  OPF2-style ``name``/``content``
metas are valid in EPUB 2 and 3 alike, so the same note fits both.
"""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from lxml import etree

from ynsert.document.header import Metadata

from .archive import Member, resolve
from .errors import FormatError
from .sanitize import parse_html_fragment, parse_xml
from .textmap import localname

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
NCX_TYPE = "application/x-dtbncx+xml"


@dataclass(frozen=True)
class Item:
    """A manifest entry, with its href resolved to an archive member name."""

    id: str
    path: str
    media_type: str
    properties: frozenset[str] = frozenset()


@dataclass
class Package:
    """What the OPF says: where things are and in which order they are read."""

    path: str
    tree: etree._ElementTree
    version: str
    manifest: dict[str, Item]
    spine: list[tuple[Item, bool]]  # (item, linear)
    toc_id: str | None = None
    guide: dict[str, str] = field(default_factory=dict)  # path -> guide type


def rootfile_path(members: dict[str, Member]) -> str:
    """The OPF named by ``META-INF/container.xml``."""
    container = members.get("META-INF/container.xml")
    if container is None:
        hint = " (it looks like a Word document)" if "word/document.xml" in members else ""
        raise FormatError(f"not an EPUB: zip archive has no META-INF/container.xml{hint}")
    root = parse_xml(container.data, "META-INF/container.xml").getroot()
    for rootfile in root.iter(f"{{{CONTAINER_NS}}}rootfile"):
        if rootfile.get("full-path"):
            return unquote(rootfile.get("full-path"))
    raise FormatError("broken EPUB: META-INF/container.xml names no package document")


def read_package(members: dict[str, Member]) -> Package:
    path = rootfile_path(members)
    if path not in members:
        raise FormatError(f"broken EPUB: the package document {path} is missing")
    tree = parse_xml(members[path].data, path)
    root = tree.getroot()
    if root.tag != f"{{{OPF_NS}}}package":
        raise FormatError(f"broken EPUB: {path} is not an OPF package document")
    manifest = _manifest(root, path)
    spine_element = root.find(f"{{{OPF_NS}}}spine")
    if spine_element is None:
        raise FormatError(f"broken EPUB: {path} has no spine (no reading order)")
    spine = []
    seen: set[str] = set()
    for itemref in spine_element.iter(f"{{{OPF_NS}}}itemref"):
        item = manifest.get(itemref.get("idref", ""))
        if item is None:
            raise FormatError(
                f"broken EPUB: spine refers to {itemref.get('idref')!r}, which the manifest lacks"
            )
        if item.path in seen:  # a document read twice is a trick, not a book: read it once
            continue
        seen.add(item.path)
        spine.append((item, itemref.get("linear", "yes") != "no"))
    guide = {
        resolve(path, unquote(ref.get("href", "").split("#")[0])): ref.get("type", "")
        for ref in root.iter(f"{{{OPF_NS}}}reference")
        if ref.get("href")
    }
    return Package(
        path, tree, root.get("version", "2.0"), manifest, spine, spine_element.get("toc"), guide
    )


def _manifest(root: etree._Element, opf_path: str) -> dict[str, Item]:
    items = {}
    for element in root.iter(f"{{{OPF_NS}}}item"):
        href = element.get("href")
        if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            continue  # remote resources are not members
        items[element.get("id", "")] = Item(
            element.get("id", ""),
            resolve(opf_path, unquote(href.split("#")[0])),
            element.get("media-type", ""),
            frozenset((element.get("properties") or "").split()),
        )
    return items


# --- metadata ------------------------------------------------------------------------


def read_metadata(package: Package) -> Metadata:
    """Dublin Core metadata; subjects all become tags (the OPF does not say which is which)."""
    root = package.tree.getroot()

    def dc(name: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in root.iter(f"{{{DC_NS}}}{name}")]

    meta = Metadata(title=next(iter(dc("title")), ""), authors=dc("creator"), tags=dc("subject"))
    meta.language = next(iter(dc("language")), "")
    meta.summary = _plain(next(iter(root.iter(f"{{{DC_NS}}}description")), None))
    urls = [u for u in dc("source") + dc("identifier") if re.match(r"https?://", u)]
    meta.source_url = next(iter(urls), "")
    meta.published = next(iter(dc("date")), "")[:10]
    for element in root.iter(f"{{{OPF_NS}}}meta"):
        if element.get("name") == "calibre:series" and element.get("content"):
            meta.series = [element.get("content")]
    return meta


def _plain(element: etree._Element | None) -> str:
    """A description may hold escaped HTML (FanFicFare does this); keep its paragraphs."""
    if element is None or not "".join(element.itertext()).strip():
        return ""
    text = "".join(element.itertext())
    holder = parse_html_fragment(text)
    paragraphs = [" ".join(p.text_content().split()) for p in holder.iter("p")]
    return "\n\n".join(p for p in paragraphs if p) or " ".join(holder.text_content().split())


# --- table of contents ---------------------------------------------------------------


def toc_labels(package: Package, members: dict[str, Member]) -> dict[str, str]:
    """Member path -> first TOC label pointing into it, from the nav document or the NCX."""
    labels: dict[str, str] = {}
    for item in package.manifest.values():
        if item.path not in members:
            continue
        if "nav" in item.properties:
            _nav_labels(item.path, members[item.path].data, labels)
        elif item.media_type == NCX_TYPE or item.id == package.toc_id:
            _ncx_labels(item.path, members[item.path].data, labels)
    return labels


def _nav_labels(path: str, data: bytes, labels: dict[str, str]) -> None:
    for element in parse_xml(data, path).getroot().iter():
        if localname(element) == "a" and element.get("href"):
            _add_label(labels, path, element.get("href"), "".join(element.itertext()))


def _ncx_labels(path: str, data: bytes, labels: dict[str, str]) -> None:
    for point in parse_xml(data, path).getroot().iter(f"{{{NCX_NS}}}navPoint"):
        content = point.find(f"{{{NCX_NS}}}content")
        text = point.find(f"{{{NCX_NS}}}navLabel/{{{NCX_NS}}}text")
        if content is not None and content.get("src") and text is not None:
            _add_label(labels, path, content.get("src"), "".join(text.itertext()))


def _add_label(labels: dict[str, str], base: str, href: str, label: str) -> None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
        return
    target = resolve(base, unquote(href.split("#")[0]))
    labels.setdefault(target, " ".join(label.split()))


# --- personalising -------------------------------------------------------------------


def updated_package(
    package: Package, personalise: bool, properties: dict[str, frozenset[str]]
) -> tuple[bytes, str | None]:
    """The OPF with new manifest ``properties`` (path -> set) and, when ``personalise``, a
    new identifier and ynsert's note.  Returns the bytes and the new identifier (or None)."""
    tree = copy.deepcopy(package.tree)
    root = tree.getroot()
    for element in root.iter(f"{{{OPF_NS}}}item"):
        item = package.manifest.get(element.get("id", ""))
        if item is not None and item.path in properties:
            if properties[item.path]:
                element.set("properties", " ".join(sorted(properties[item.path])))
            else:
                element.attrib.pop("properties", None)
    new_id = _personalise(root, package.path) if personalise else None
    return serialise(tree), new_id


def _personalise(root: etree._Element, path: str) -> str:
    metadata = root.find(f"{{{OPF_NS}}}metadata")
    if metadata is None:
        raise FormatError(f"broken EPUB: {path} has no metadata")
    identifier = _unique_identifier(root, metadata)
    previous = (identifier.text or "").strip()
    new_id = f"urn:uuid:{uuid.uuid4()}"
    identifier.text = new_id
    if identifier.get(f"{{{OPF_NS}}}scheme"):
        identifier.set(f"{{{OPF_NS}}}scheme", "uuid")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for element in metadata.iter(f"{{{OPF_NS}}}meta"):
        if element.get("property") == "dcterms:modified":
            element.text = now
    _note(metadata, "ynsert:personalised", f"{now}: story text personalised by ynsert")
    if previous:
        _note(metadata, "ynsert:original-identifier", previous)
    return new_id


def _unique_identifier(root: etree._Element, metadata: etree._Element) -> etree._Element:
    identifiers = list(metadata.iter(f"{{{DC_NS}}}identifier"))
    wanted = root.get("unique-identifier")
    for element in identifiers:
        if element.get("id") == wanted:
            return element
    if identifiers:
        return identifiers[0]
    element = etree.SubElement(metadata, f"{{{DC_NS}}}identifier", id=wanted or "ynsert-id")
    root.set("unique-identifier", element.get("id"))
    return element


def _note(metadata: etree._Element, name: str, content: str) -> None:
    # nsmap keeps the default namespace: without it lxml writes "opf:meta" when the
    # metadata element also declares the opf prefix (calibre and FanFicFare do).
    note = etree.SubElement(
        metadata, f"{{{OPF_NS}}}meta", nsmap={None: OPF_NS}, name=name, content=content
    )
    note.tail = "\n"


def update_ncx_uid(data: bytes, path: str, new_id: str) -> bytes:
    """The NCX with ``dtb:uid`` matching the package's new identifier (epubcheck NCX-001)."""
    tree = parse_xml(data, path)
    for meta in tree.getroot().iter(f"{{{NCX_NS}}}meta"):
        if meta.get("name") == "dtb:uid":
            meta.set("content", new_id)
    return serialise(tree)


def serialise(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
