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
from .textmap import XML_INVALID, Skip, localname

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
        "animate",
        "set",
        "animatemotion",
        "animatetransform",
        "handler",
        "listener",
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
# An EPUB holding a character XML forbids is malformed: they are dropped from anything written.
_XML_INVALID = XML_INVALID


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids.

    >>> xml_safe("A\x0cB\uffff")
    'AB'
    """
    return _XML_INVALID.sub("", text)


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
#: libxml2's nesting limit with ``huge_tree`` (256 without it, which messy pasted HTML with
#: hundreds of unclosed ``<span>`` exceeds).  A deeper page is refused with this number:
#: libxml2 would otherwise drop everything after that point without a word.
MAX_HTML_DEPTH = 2048


def html_parser() -> lxml_html.HTMLParser:
    """A fresh HTML parser (its error log then belongs to one parse): no network, no PIs."""
    return lxml_html.HTMLParser(no_network=True, huge_tree=True, remove_pis=True)


HTML_PARSER = html_parser()


#: No story element has this many attributes; libxml2's duplicate check is quadratic in them.
MAX_ATTRIBUTES = 1000
_TAG_TEXT = re.compile(rf"<[A-Za-z][^<>]{{{2 * MAX_ATTRIBUTES},}}")
_TAG_BYTES = re.compile(_TAG_TEXT.pattern.encode())


def refuse_attribute_floods(markup: str | bytes) -> None:
    """FormatError for an element with more than ``MAX_ATTRIBUTES`` attributes (one pass)."""
    pattern = _TAG_BYTES if isinstance(markup, bytes) else _TAG_TEXT
    equals = b"=" if isinstance(markup, bytes) else "="
    for tag in pattern.finditer(markup):  # type: ignore[arg-type]
        if tag.group().count(equals) > MAX_ATTRIBUTES:  # type: ignore[arg-type]
            raise FormatError(
                f"an element has more than {MAX_ATTRIBUTES} attributes; not a story page"
            )


def parse_html_document(markup: str) -> lxml_html.HtmlElement:
    """Parse a whole page; FormatError if it cannot be read completely."""
    refuse_attribute_floods(markup)
    parser = html_parser()
    try:
        page = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise FormatError(f"cannot parse the HTML: {error}") from None
    _refuse_truncated(parser)
    return page


def parse_html_fragment(markup: str) -> lxml_html.HtmlElement:
    """Parse markup into a ``<div>`` holding it (an empty one if there is nothing to hold)."""
    parser = html_parser()
    try:
        holder = lxml_html.fragment_fromstring(markup, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):  # "<!DOCTYPE html>" alone, only a comment …
        return lxml_html.Element("div")
    _refuse_truncated(parser)
    return holder


def _refuse_truncated(parser: etree._FeedParser) -> None:
    """libxml2 stops at a resource limit and keeps what it had: never let that pass silently."""
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            raise FormatError(
                f"the HTML is nested more than {MAX_HTML_DEPTH} elements deep; "
                "ynsert reads no further than that (close some tags and try again)"
            )


def parse_xml(data: bytes, name: str) -> etree._ElementTree:
    """Parse an XML member of an EPUB, refusing entity declarations and broken XML."""
    if b"<!ENTITY" in data or "<!ENTITY".encode("utf-16-le") in data:
        raise FormatError(f"refusing {name}: it declares XML entities (possible entity bomb)")
    refuse_attribute_floods(data)
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
    holder = parse_html_fragment(cleaned or "")
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
    """Remove what can run or phone home; True if anything went.

    Scripts, frames, forms, SVG animation (``<animate>`` can set an ``href`` to a script),
    event handlers, script URLs (also when hidden by tabs or line breaks, which browsers
    drop), remote media, and styles that could fetch or run (``@import``, ``url(`` to another
    host, ``expression(``), CSS escapes included.
    """
    changed = False
    for element in list(tree.getroot().iter()):
        if not isinstance(element.tag, str):
            continue
        name = localname(element)
        if name in ACTIVE_TAGS or _is_refresh(element):
            _remove(element)
            changed = True
            continue
        if name == "style" and not css_is_safe(element.text or "", local_urls=True):
            _remove(element)
            changed = True
            continue
        for attribute, value in list(element.attrib.items()):
            if _unsafe_attribute(name, etree.QName(attribute).localname.lower(), value):
                del element.attrib[attribute]
                changed = True
    return changed


def _unsafe_attribute(element: str, attribute: str, value: str) -> bool:
    if attribute.startswith("on"):
        return True
    if attribute == "style":
        return not css_is_safe(value, local_urls=True)
    if attribute in {"title", "alt", "content", "class", "id"}:
        return False
    squeezed = _URL_NOISE.sub("", value)
    if _UNSAFE_URL.match(squeezed):
        return True
    return element != "a" and attribute in _FETCHING and bool(_REMOTE.match(squeezed))


_URL_NOISE = re.compile(r"[\x00-\x20]+")
_FETCHING = frozenset({"src", "href", "poster", "data", "background", "srcset", "action"})
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
_CSS_ACTIVE = re.compile(
    r"@import|expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|</", re.I
)
_CSS_URL = re.compile(r"(?:url|image-set|image|src)\s*\(\s*(['\"]?)([^'\")]*)", re.I)


def _css_plain(css: str) -> str:
    """CSS with comments removed and escapes decoded (``u\\72l(`` is ``url(``)."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(2)
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub(" ", css))


def css_is_safe(css: str, local_urls: bool = False) -> bool:
    """Can this stylesheet neither run code nor fetch anything from another host?

    >>> css_is_safe("p { color: red }"), css_is_safe("p { background: u\\\\72l(//x.io/a) }")
    (True, False)
    """
    plain = _css_plain(css)
    if _CSS_ACTIVE.search(plain):
        return False
    for match in _CSS_URL.finditer(plain):
        target = _URL_NOISE.sub("", match.group(2))
        if not local_urls or _REMOTE.match(target) and not target.lower().startswith("data:image/"):
            return False
    return True


def clean_css(css: str) -> str:
    """A stylesheet member without what could run or fetch (like ``<style>``, rule by rule).

    A safe sheet comes back unchanged. Otherwise it is rebuilt from its plain form (comments
    gone, escapes decoded) keeping only safe rules and declarations: ``@import`` of another
    host goes (of a sheet in the book it stays), and so do ``expression()``, script URLs,
    ``behavior``, ``-moz-binding`` and remote fonts or images.  If the rebuilt sheet is
    still not safe, nothing of it is kept.

    >>> clean_css("p { color: red }")
    'p { color: red }'
    >>> clean_css('@import "//x.io/a.css"; p { color: red; background: u\\\\72l(//x.io/t) }')
    'p { color: red }'
    >>> clean_css("@import 'fonts.css' screen; @import url(http://x.io/b.css); p { color: red }")
    '@import url("fonts.css") screen;\\np { color: red }'
    """
    if css_is_safe(css, local_urls=True):
        return css
    kept = _safe_rules(_css_plain(css))
    checked = "\n".join(rule for rule in kept if not rule.startswith("@import "))
    return "\n".join(kept) if css_is_safe(checked, local_urls=True) else ""


#: At-rules whose block holds rules; ``@font-face``, ``@page`` and style rules hold declarations.
_NESTING_AT_RULES = ("@media", "@supports", "@layer", "@container", "@keyframes", "@-webkit-key")


#: ``@import "x.css" media`` or ``@import url(x.css) media``: quote, target, media queries.
_CSS_IMPORT = re.compile(
    r"""@import\s+(?:url\(\s*)?(['"]?)([^'"()\s\\]+)\1\s*\)?\s*([^;{}]*)""", re.I
)


def _local_import(head: str) -> str | None:
    """``@import`` of a sheet in the book (a relative path), rewritten plainly; else None."""
    match = _CSS_IMPORT.fullmatch(head)
    if match is None or _REMOTE.match(match.group(2)):
        return None
    media = match.group(3).strip()
    if not css_is_safe(media, local_urls=True):
        return None
    return f'@import url("{match.group(2)}"){" " + media if media else ""};'


def _safe_rules(css: str, top: bool = True) -> list[str]:
    kept = []
    for prelude, block in _css_statements(css):
        head = " ".join(prelude.split())
        local = _local_import(head) if top and block is None else None
        if local:  # checked here: the rebuilt sheet's check refuses every @import
            kept.append(local)
            continue
        if not head or not css_is_safe(head, local_urls=True):
            continue
        # A statement: @namespace is harmless; @charset goes, the rebuilt sheet is UTF-8.
        if block is None:
            if head.lower().startswith("@namespace"):
                kept.append(head + ";")
        elif head.lower().startswith(_NESTING_AT_RULES):
            inner = _safe_rules(block, top=False)
            if inner:
                kept.append(head + " { " + " ".join(inner) + " }")
        elif not head.startswith("@") or head.lower().startswith(("@font-face", "@page")):
            declarations = [d for d in _css_split(block) if css_is_safe(d, local_urls=True)]
            if declarations:
                kept.append(head + " { " + "; ".join(declarations) + " }")
    return kept


def _css_statements(css: str) -> list[tuple[str, str | None]]:
    """Top-level ``(prelude, block)`` pairs; ``block`` is None for a statement ending in ``;``.

    Quotes are respected; an unterminated block at the end is dropped.
    """
    found: list[tuple[str, str | None]] = []
    depth, start, opened, quote = 0, 0, 0, ""
    for i, char in enumerate(css):
        if quote:
            quote = "" if char in (quote, "\n") else quote
        elif char in "\"'":
            quote = char
        elif char == "{":
            opened = i if depth == 0 else opened
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                found.append((css[start:opened], css[opened + 1 : i]))
                start = i + 1
        elif char == ";" and depth == 0:
            found.append((css[start:i], None))
            start = i + 1
    if depth == 0 and css[start:].strip():
        found.append((css[start:], None))
    return found


def _css_split(block: str) -> list[str]:
    """A declaration block's declarations (``;`` inside quotes or brackets does not split)."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, char in enumerate(block):
        if quote:
            quote = "" if char in (quote, "\n") else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(block[start:i])
            start = i + 1
    parts.append(block[start:])
    return [" ".join(p.split()) for p in parts if p.strip()]


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
    trim it at fragment edges, and keeping the original's is the faithful choice.  The
    comparison keeps its own stack, so any depth the parser accepts can be compared.
    """
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if not _same_text(x.text, y.text) or len(x) != len(y):
            return False
        for p, q in zip(x, y, strict=True):
            if not _same_node(p, q):
                return False
            stack.append((p, q))
    return True


def _same_text(a: str | None, b: str | None) -> bool:
    return (a or "") == (b or "") or not ((a or "").strip() or (b or "").strip())


def _same_node(a: etree._Element, b: etree._Element) -> bool:
    """The node itself (type, tag, tail, attributes); its content is compared by the caller."""
    if type(a) is not type(b) or a.tag != b.tag or not _same_text(a.tail, b.tail):
        return False
    return not isinstance(a.tag, str) or dict(a.attrib) == dict(b.attrib)
