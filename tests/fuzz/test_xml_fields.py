"""Control characters in every field that reaches XML (issue 20 item 9).

A story's title, authors, summary, fandom and tags, its file name, a profile's label, name and
placeholder values, and an OPDS search all end up in XML: the OPDS feeds and the EPUB a reader
downloads. Whatever characters they hold, each feed and each EPUB member parses as XML and
holds no character XML 1.0 forbids; a field the library cannot take is a ``LibraryError`` (a
4xx on the web), never a 500.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import tempfile
import warnings
import zipfile
from functools import cache
from html import escape

from argon2 import PasswordHasher
from fuzz_profiles import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from ynsert.errors import YnsertError
from ynsert.library import Library, LibraryError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx versions
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Every C0 control (tab and line breaks included), DEL, C1 controls and XML's non-characters.
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9b", "\ufffe", "\uffff"]
PIECES = ["Mara", "Kylo", " ", "é", "&amp;", "<b>", "]]>", '"', "/", "Y/N"]
#: Text that can travel as UTF-8 (a file name, a URL); the profile fields also get lone
#: surrogates. Header fields go without NUL: a file holding one is refused as binary.
fields = st.lists(st.sampled_from(CONTROLS) | st.sampled_from(PIECES), min_size=1, max_size=6).map(
    "".join
)
header_fields = fields.map(lambda text: text.replace("\x00", ""))
profile_fields = st.lists(
    st.sampled_from(CONTROLS + ["\ud800", "\udfff"]) | st.sampled_from(PIECES),
    min_size=1,
    max_size=6,
).map("".join)


@cache
def _reading_room() -> tuple[Library, TestClient, dict[str, str], int]:
    """One in-memory library, app and account for every example (the app is the slow part)."""
    from ynsert.web import create_app

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    # A file, as a reading room has: an in-memory database is one connection that the request
    # and the background job thread would share (and trip over: "SQL statements in progress").
    folder = tempfile.mkdtemp(prefix="ynsert-fuzz-")
    library = Library(f"sqlite:///{folder}/library.db", seed=False, hasher=hasher)
    account = library.create_account("mara", PASSWORD)
    token = base64.b64encode(f"mara:{PASSWORD}".encode()).decode()
    client = TestClient(create_app(library), raise_server_exceptions=False)
    return library, client, {"Authorization": f"Basic {token}"}, account.id


def _clean_xml(data: bytes, where: str) -> None:
    root = etree.fromstring(data)  # raises on anything not well-formed
    text = etree.tostring(root, encoding="unicode")
    assert not FORBIDDEN.search(text), where


def _story(kind: str, title: str, author: str, summary: str, fandom: str, tag: str) -> bytes:
    """A text file with a header, or an HTML page (title, author, a chapter heading)."""
    # Enough prose that a few control characters do not make the file look binary.
    prose = "You ran home, Y/N, and you smiled at the door.\n" * 60
    if kind == "html":
        title, author, summary, fandom = (escape(v) for v in (title, author, summary, fandom))
        head = f'<title>{title}</title><meta name="author" content="{author}">'
        body = f"<h2>{fandom}</h2><p>{summary}</p><p>{tag}</p><p>{prose}</p>"
        return f"<html><head>{head}</head><body>{body}</body></html>".encode()
    header = f"Title: {title}\nAuthor: {author}\nSummary: {summary}\nFandom: {fandom}\n"
    header += f"Additional Tags: {tag}\n\n"
    return (header + prose).encode()


@fuzz_settings(30)
@given(
    st.sampled_from(["txt", "html"]), *[header_fields] * 5, fields, profile_fields, profile_fields
)
@example("txt", "T\x1bx", "A\x01", "S\x02", "F\x0c", "\x85", "esc\x1b\x00", "Ma\x01ra", "N\x7f")
@example("html", "T\x1bx", "A\x01", "S\x02", "F\x0c", "\x85", "esc\x1b", "Ma\x01ra", "N\x7f")
def test_control_characters_never_reach_xml(
    kind: str,
    title: str,
    author: str,
    summary: str,
    fandom: str,
    tag: str,
    filename: str,
    label: str,
    name: str,
) -> None:
    library, client, auth, account = _reading_room()
    work = profile = None
    with contextlib.suppress(YnsertError):  # refused (looks binary, say): a one-line error
        story = _story(kind, title, author, summary, fandom, tag)
        work = library.import_work(account, story, f"{filename}.{kind}")
    try:
        data = {"label": label, "name": name, "values": {"Y/N": name, "H/C": label}}
        profile = library.create_profile(account, data)
    except LibraryError:
        pass
    for path, params in (
        ("/opds", {}),
        ("/opds/works", {}),
        ("/opds/search", {"q": title + fandom}),
        ("/opds/opensearch.xml", {}),
    ):
        response = client.get(path, params=params, headers=auth)
        assert response.status_code == 200, (path, response.text[:300])
        _clean_xml(response.content, path)
    if work is not None and profile is not None:
        url = f"/opds/works/{work.work.id}/profile/{profile.id}.epub"
        response = client.get(url, headers=auth)
        assert response.status_code == 200, response.text[:300]
        with zipfile.ZipFile(io.BytesIO(response.content)) as epub:
            for member in epub.namelist():
                if member.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                    _clean_xml(epub.read(member), member)


@fuzz_settings(30)
@given(profile_fields, profile_fields, fields, fields, fields)
@example("Ma\x01ra", "\ud800", "T\x1b", "a\x00b.txt", "\x00")
def test_control_characters_sent_to_the_api_never_reach_xml(
    label: str, name: str, title: str, filename: str, query: str
) -> None:
    """The same through HTTP: JSON profiles, pasted text, uploaded files, then the feeds."""
    library, client, auth, account = _reading_room()
    profile = {"label": label, "name": name, "to": "third", "values": {"Y/N": name}}
    body = json.dumps(profile)  # ASCII JSON: a lone surrogate travels as "\\ud800"
    headers = {**auth, "Content-Type": "application/json"}
    answer = client.post("/api/profiles", content=body, headers=headers)
    assert answer.status_code in (201, 422), answer.text[:300]
    pasted = {"text": f"Title: {title}\n\nYou sat by the door, Y/N.{title}", "filename": filename}
    answer = client.post("/api/works/text", json=pasted, headers=auth)
    assert answer.status_code in (201, 422), answer.text[:300]
    upload = [("files", (filename, f"You waited, Y/N. {title}".encode()))]
    answer = client.post("/api/works/many", files=upload, headers=auth)
    assert answer.status_code == 200, answer.text[:300]
    for path, params in (("/opds", {}), ("/opds/works", {}), ("/opds/search", {"q": query})):
        response = client.get(path, params=params, headers=auth)
        assert response.status_code == 200, (path, response.text[:300])
        _clean_xml(response.content, path)
