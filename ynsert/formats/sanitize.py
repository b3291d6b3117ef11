"""Safe parsing and sanitising of (X)HTML, on the way in and on the way out.

Fan fiction files carry whatever authors pasted: ``<script>``, ``onload=``, ``<iframe>``
embeds, images hot-linked from other hosts, Word's ``MsoNormal`` junk.  Story markup goes
through nh3 (the Rust ``ammonia`` allow-list sanitiser) with an allow-list fitted to prose.

nh3 speaks HTML, EPUB speaks XHTML, so XHTML bodies are serialised for nh3 as XML with
explicit end tags (``<p></p>``, never ``<p/>``, which an HTML parser reads as an open
``<p>``), and nh3's output is parsed back and re-namespaced.

Pages that are not story (covers drawn in SVG, navigation documents) hold structures an
HTML allow-list would destroy, so they get a narrow deny-list pass instead
(``strip_active_content``) that only removes what can run or phone home.

XML is parsed by lxml with entity resolution, DTD loading and network access off, and any
document declaring entities is refused outright: the billion-laughs family needs
``<!ENTITY`` and no story needs it.
"""

from __future__ import annotations

import copy
import re
from html import escape

import nh3
from lxml import etree
from lxml import html as lxml_html

from .errors import FormatError
from .textmap import Skip, localname

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
XML_NS = "http://www.w3.org/XML/1998/namespace"

STORY_TAGS = (nh3.ALLOWED_TAGS - {"area", "map"}) | {"section", "main"}
STORY_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir", "style", "align", "epub:type", "xml:lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
STYLE_PROPERTIES = {
    "text-align",
    "font-style",
    "font-weight",
    "font-variant",
    "text-decoration",
    "text-indent",
    "margin-left",
    "margin-right",
    "color",
}
# Obsolete tags nh3 allows but XHTML 5 (and so epubcheck) does not.
RENAMED_TAGS = {"center": "div", "tt": "code", "strike": "s", "acronym": "abbr", "big": "span"}
ACTIVE_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "base",
        "portal",
    }
)
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data:text/html)", re.IGNORECASE)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
VOID_TAGS = frozenset(
    {
        "br",
        "hr",
        "img",
        "wbr",
        "col",
        "area",
        "input",
        "meta",
        "link",
        "source",
        "track",
        "embed",
        "param",
        "base",
    }
)


def _drop_remote_media(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: hot-linked images would track the reader and break offline."""
    if attribute == "src" and _REMOTE.match(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=STORY_TAGS,
    attributes=STORY_ATTRIBUTES,
    attribute_filter=_drop_remote_media,
    filter_style_properties=STYLE_PROPERTIES,
    link_rel=None,
    strip_comments=True,
)

XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=False
)
HTML_PARSER = lxml_html.HTMLParser(no_network=True, huge_tree=False, remove_pis=True)


def parse_xml(data: bytes, name: str) -> etree._ElementTree:
    """Parse an XML member of an EPUB, refusing entity declarations and broken XML."""
    if b"<!ENTITY" in data or "<!ENTITY".encode("utf-16-le") in data:
        raise FormatError(f"refusing {name}: it declares XML entities (possible entity bomb)")
    try:
        tree = etree.ElementTree(etree.fromstring(data, XML_PARSER))
    except etree.XMLSyntaxError as error:
        raise FormatError(f"broken EPUB: {name} is not well-formed XML ({error})") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FormatError(f"refusing {name}: it declares XML entities (possible entity bomb)")
    return tree


def clean_fragment(fragment: str) -> str:
    """Sanitise an HTML fragment of story markup (the nh3 pass)."""
    return _CLEANER.clean(_XML_INVALID.sub("", fragment))


def clean_fragment_tree(fragment: str) -> lxml_html.HtmlElement:
    """Sanitise a fragment and parse it into a ``<div>`` holding the cleaned content."""
    cleaned = clean_fragment(fragment)
    holder = lxml_html.fragment_fromstring(cleaned or "", create_parent="div", parser=HTML_PARSER)
    _modernise(holder)
    return holder


def _modernise(root: etree._Element) -> None:
    """Fix what nh3 keeps but XHTML 5 rejects: obsolete tags, ``align``, source-less images."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = localname(element)
        if name in RENAMED_TAGS:
            if name == "center":
                element.set("align", "center")
            element.tag = RENAMED_TAGS[name]
        align = element.attrib.pop("align", None)
        if align and align.lower() in {"left", "right", "center", "justify"}:
            style = element.get("style", "")
            element.set("style", f"text-align:{align.lower()}" + (f";{style}" if style else ""))
        if name == "img" and not element.get("src"):
            _remove(element)


def _remove(element: etree._Element) -> None:
    """Remove an element but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def inner_html(element: etree._Element) -> str:
    """The content of ``element`` as markup an HTML parser reads back the same way."""
    holder = copy.deepcopy(element)
    holder.tail = None
    for node in holder.iter():
        if (
            isinstance(node.tag, str)
            and node.text is None
            and len(node) == 0
            and localname(node) not in VOID_TAGS
        ):
            node.text = ""  # "<p></p>", since "<p/>" opens a paragraph in HTML
    parts = [escape(holder.text or "") if holder.text else ""]
    parts += [etree.tostring(child, method="xml", encoding="unicode") for child in holder]
    return "".join(parts)


def markup_of(element: etree._Element, skip: Skip | None = None, whole: bool = False) -> str:
    """Story markup of a chapter part: its content (or, if ``whole``, itself and its tail)."""
    if whole:
        holder = etree.Element("div")
        holder.append(copy.deepcopy(element))
    else:
        holder = copy.deepcopy(element)
    if skip is not None:
        for node in list(holder.iterdescendants()):
            if isinstance(node.tag, str) and skip(node):
                _remove(node)
    return inner_html(holder)


def fragment_to_xhtml(fragment: str) -> str:
    """Sanitise an HTML fragment and return it as XHTML markup (no namespace declarations)."""
    holder = clean_fragment_tree(fragment)
    parts = [escape(holder.text or "")]
    parts += [etree.tostring(child, method="xml", encoding="unicode") for child in holder]
    return _XML_INVALID.sub("", "".join(parts))


def xhtml_elements(markup: str) -> etree._Element:
    """Parse XHTML markup from ``fragment_to_xhtml`` into a namespaced ``<body>``."""
    wrapped = f'<body xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}">{markup}</body>'
    return etree.fromstring(wrapped.encode("utf-8"), XML_PARSER)


def clean_xhtml_body(tree: etree._ElementTree) -> bool:
    """Sanitise the ``<body>`` of an XHTML story document in place; True if it changed."""
    body = find_body(tree)
    if body is None:
        return False
    cleaned = xhtml_elements(fragment_to_xhtml(inner_html(body)))
    changed = strip_active_content(tree)
    if same_markup(body, cleaned):
        return changed
    for child in list(body):
        body.remove(child)
    body.text = cleaned.text
    body.extend(list(cleaned))
    return True


def find_body(tree: etree._ElementTree) -> etree._Element | None:
    """The ``<body>`` element of an XHTML or HTML document, namespaced or not."""
    for element in tree.getroot().iter():
        if localname(element) == "body":
            return element
    return None


def strip_active_content(tree: etree._ElementTree) -> bool:
    """Remove scripts, frames, event handlers and script URLs; True if anything went."""
    changed = False
    for element in list(tree.getroot().iter()):
        if not isinstance(element.tag, str):
            continue
        if localname(element) in ACTIVE_TAGS or _is_refresh(element):
            _remove(element)
            changed = True
            continue
        for attribute, value in list(element.attrib.items()):
            name = etree.QName(attribute).localname.lower()
            if name.startswith("on") or (name in {"href", "src"} and _UNSAFE_URL.match(value)):
                del element.attrib[attribute]
                changed = True
    return changed


def _is_refresh(element: etree._Element) -> bool:
    return localname(element) == "meta" and (element.get("http-equiv") or "").lower() == "refresh"


def same_markup(original: etree._Element, cleaned: etree._Element) -> bool:
    """Did sanitising keep everything but comments (which are inert, so may stay)?"""
    if not any(True for _ in original.iter(etree.Comment)):
        return same_content(original, cleaned)
    uncommented = copy.deepcopy(original)
    etree.strip_elements(uncommented, etree.Comment, with_tail=False)
    return same_content(uncommented, cleaned)


def same_content(a: etree._Element, b: etree._Element) -> bool:
    """Do two elements hold the same text, children and attributes (ignoring their own tag)?

    Whitespace-only text counts as equal to any other whitespace-only text: HTML parsers
    trim it at fragment edges, and keeping the original's is the faithful choice.
    """
    if not _same_text(a.text, b.text) or len(a) != len(b):
        return False
    return all(_same_node(x, y) for x, y in zip(a, b, strict=True))


def _same_text(a: str | None, b: str | None) -> bool:
    return (a or "") == (b or "") or not ((a or "").strip() or (b or "").strip())


def _same_node(a: etree._Element, b: etree._Element) -> bool:
    if type(a) is not type(b) or a.tag != b.tag or not _same_text(a.tail, b.tail):
        return False
    if isinstance(a.tag, str) and dict(a.attrib) != dict(b.attrib):
        return False
    return same_content(a, b)
