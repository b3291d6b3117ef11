"""The OPDS 1.2 catalog: e-reader apps browse, search and download works told about you.

Point KOReader, Moon+ Reader or Thorium at ``http://HOST:PORT/opds`` (HTTP Basic: your
username and password) or at a profile's own address ``http://HOST:PORT/opds/t/TOKEN``
(made on the profile page; for apps that cannot send a password). Each work entry has one
acquisition link per profile: the EPUB personalised for that reader.

Feeds are built with lxml, so every title and summary is escaped XML, never markup.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from lxml import etree

from ynsert.library import Library, WorkQuery
from ynsert.library.clean import clean_line, clean_text
from ynsert.library.models import Account, Profile
from ynsert.web.security import DOWNLOAD_CSP

router = APIRouter(prefix="/opds", include_in_schema=False)
ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DC = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NAV_TYPE = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQ_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUISITION = "http://opds-spec.org/acquisition"
PAGE = 50
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Token = Annotated[str, Path(min_length=8, max_length=100)]


class Reader:
    """Who browses: an account, and the profiles whose acquisition links the feeds show."""

    def __init__(
        self, account_id: int, profiles: list[Profile], base: str, *, token: bool = False
    ) -> None:
        self.account_id, self.profiles, self.base = account_id, profiles, base
        #: A profile's own address: its saved "hide works with …" always applies.
        self.token = token


def _library(request: Request) -> Library:
    library: Library = request.app.state.library
    return library


def _basic(request: Request) -> Reader:
    account: Account | None = request.app.state.auth.basic(request)
    if account is None:
        raise HTTPException(
            401, "send your username and password", {"WWW-Authenticate": 'Basic realm="ynsert"'}
        )
    return Reader(account.id, _library(request).profiles(account.id), "/opds")


def _token(request: Request, token: str) -> Reader:
    profile = _library(request).profile_by_token(token)
    return Reader(profile.account_id, [profile], f"/opds/t/{token}", token=True)


def _xml(root: etree._Element, kind: str = "application/atom+xml;charset=utf-8") -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return Response(body, media_type=kind)


def _feed(
    request: Request, reader: Reader, ident: str, title: str, self_href: str, kind: str
) -> etree._Element:
    nsmap = {None: ATOM, "opds": OPDS, "dc": DC, "opensearch": OPENSEARCH}
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)
    _text(feed, "id", f"urn:ynsert:{reader.account_id}:{ident}")
    _text(feed, "title", title)
    _text(feed, "updated", _now())
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "ynsert reading room")
    _link(feed, "self", self_href, kind)
    _link(feed, "start", reader.base, NAV_TYPE)
    _link(feed, "search", f"{reader.base}/opensearch.xml", "application/opensearchdescription+xml")
    return feed


def _text(parent: etree._Element, name: str, value: str, ns: str = ATOM) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    element.text = clean_text(value)  # rows stored before input cleaning may still hold controls
    return element


def _link(parent: etree._Element, rel: str, href: str, kind: str, title: str = "") -> None:
    link = etree.SubElement(parent, f"{{{ATOM}}}link", rel=rel, href=clean_line(href), type=kind)
    if title:
        link.set("title", clean_line(title))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _root(request: Request, reader: Reader) -> Response:
    feed = _feed(request, reader, "root", "ynsert library", reader.base, NAV_TYPE)
    entries = [("all", "All works", f"{reader.base}/works", "Every work in your library")]
    entries += [
        (
            f"profile-{p.id}",
            f"For {p.label}",
            f"{reader.base}/works?profile={p.id}",
            f"Works {p.label} does not hide, told about {p.name or 'them'}",
        )
        for p in reader.profiles
    ]
    for ident, title, href, summary in entries:
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", title)
        _text(entry, "id", f"urn:ynsert:{reader.account_id}:{ident}")
        _text(entry, "updated", _now())
        _text(entry, "content", summary).set("type", "text")
        _link(entry, "subsection", href, ACQ_TYPE)
    return _xml(feed, NAV_TYPE)


def _works(request: Request, reader: Reader, q: str, profile: int | None, page: int) -> Response:
    library = _library(request)
    chosen = [p for p in reader.profiles if p.id == profile] if profile else reader.profiles
    if profile and not chosen:
        raise HTTPException(404, f"no profile {profile} here")
    query = WorkQuery(
        q=q,
        profile_id=chosen[0].id if profile or reader.token else None,
        limit=PAGE + 1,
        offset=(page - 1) * PAGE,
    )
    works = library.list_works(reader.account_id, query)
    params = urlencode({k: v for k, v in (("q", q), ("profile", profile)) if v})
    here = f"{reader.base}/{'search' if q else 'works'}?{params + '&' if params else ''}page={page}"
    title = f"Search: {q}" if q else "All works"
    feed = _feed(request, reader, f"works:{q}:{profile}:{page}", title, here, ACQ_TYPE)
    if len(works) > PAGE:
        _link(feed, "next", here.replace(f"page={page}", f"page={page + 1}"), ACQ_TYPE)
    for work in works[:PAGE]:
        _entry(feed, reader, work, chosen)
    return _xml(feed, ACQ_TYPE)


def _entry(
    feed: etree._Element, reader: Reader, work: dict[str, Any], profiles: list[Profile]
) -> None:
    entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "title", work["title"])
    _text(entry, "id", f"urn:ynsert:{reader.account_id}:work:{work['id']}")
    _text(entry, "updated", _now())
    for name in work["authors"] or ["Anonymous"]:
        author = etree.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", name)
    said, found = _warnings(work)
    for kind in ("warning", "rating", "fandom", "relationship"):
        for value in said + found if kind == "warning" else work["tags"].get(kind, []):
            value = clean_line(value)
            etree.SubElement(entry, f"{{{ATOM}}}category", term=value, label=value, scheme=kind)
    warnings = f"Author's warnings: {', '.join(said)}. " if said else ""
    if work["analysed"]:
        warnings += f"Found by ynsert: {', '.join(found) or 'none'}. "
    summary = f"{warnings}{work['words']} words. {work['summary']}".strip()
    _text(entry, "summary", summary).set("type", "text")
    for profile in profiles:
        _link(
            entry,
            ACQUISITION,
            f"{reader.base}/works/{work['id']}/profile/{profile.id}.epub",
            "application/epub+zip",
            f"For {profile.label}",
        )
    if len(profiles) != 1:
        _link(
            entry,
            ACQUISITION,
            f"{reader.base}/works/{work['id']}/original.epub",
            "application/epub+zip",
            "As written",
        )


def _warnings(work: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(the author's warnings, ynsert's finds); ynsert's "none found" suggestion is not a find.

    AO3's "No Archive Warnings Apply" is the author's statement; ynsert suggests it when it
    found nothing, which must not read as the author's word (or contradict "chose not to warn").
    """
    said = work["declared"].get("warning", [])
    found = [w for w in work["tags"].get("warning", []) if w not in said]
    return said, [w for w in found if w != "No Archive Warnings Apply"]


def _opensearch(reader: Reader) -> Response:
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = etree.Element(f"{{{ns}}}OpenSearchDescription", nsmap={None: ns})
    _text(root, "ShortName", "ynsert", ns)
    _text(root, "Description", "Search your ynsert library", ns)
    _text(root, "InputEncoding", "UTF-8", ns)
    etree.SubElement(
        root, f"{{{ns}}}Url", type=ACQ_TYPE, template=f"{reader.base}/search?q={{searchTerms}}"
    )
    return _xml(root, "application/opensearchdescription+xml")


def _epub(request: Request, reader: Reader, work_id: int, profile_id: int | None) -> Response:
    if profile_id is not None and profile_id not in {p.id for p in reader.profiles}:
        raise HTTPException(404, f"no profile {profile_id} here")
    data, name, media = _library(request).download(reader.account_id, work_id, profile_id, "epub")
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": DOWNLOAD_CSP,
        },
    )


Q = Annotated[str, Query(max_length=200)]
PageNo = Annotated[int, Query(ge=1, le=10_000)]
ProfileQ = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("")
def root(request: Request) -> Response:
    return _root(request, _basic(request))


@router.get("/opensearch.xml")
def opensearch(request: Request) -> Response:
    return _opensearch(_basic(request))


@router.get("/works")
def works(request: Request, profile: ProfileQ = None, page: PageNo = 1) -> Response:
    return _works(request, _basic(request), "", profile, page)


@router.get("/search")
def search(request: Request, q: Q = "", profile: ProfileQ = None, page: PageNo = 1) -> Response:
    return _works(request, _basic(request), q, profile, page)


@router.get("/works/{work_id}/profile/{profile_id}.epub")
def personalised(request: Request, work_id: Id, profile_id: Id) -> Response:
    return _epub(request, _basic(request), work_id, profile_id)


@router.get("/works/{work_id}/original.epub")
def original(request: Request, work_id: Id) -> Response:
    return _epub(request, _basic(request), work_id, None)


@router.get("/t/{token}")
def token_root(request: Request, token: Token) -> Response:
    return _root(request, _token(request, token))


@router.get("/t/{token}/opensearch.xml")
def token_opensearch(request: Request, token: Token) -> Response:
    return _opensearch(_token(request, token))


@router.get("/t/{token}/works")
def token_works(request: Request, token: Token, page: PageNo = 1) -> Response:
    return _works(request, _token(request, token), "", None, page)


@router.get("/t/{token}/search")
def token_search(request: Request, token: Token, q: Q = "", page: PageNo = 1) -> Response:
    return _works(request, _token(request, token), q, None, page)


@router.get("/t/{token}/works/{work_id}/profile/{profile_id}.epub")
def token_personalised(request: Request, token: Token, work_id: Id, profile_id: Id) -> Response:
    return _epub(request, _token(request, token), work_id, profile_id)
