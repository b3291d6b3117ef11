"""Hostile and broken EPUBs: each is refused with one clear line, quickly."""

from __future__ import annotations

import io
import zipfile

import pytest
from make_fixtures import (
    CONTAINER,
    billion_laughs_epub,
    fanficfare_epub,
    traversal_epub,
    truncated_epub,
    zip_bomb,
    zip_members,
)

from ynsert.formats import FormatError, read_work
from ynsert.formats.archive import MAX_TOTAL_UNCOMPRESSED


def replaced(name: str, data: bytes | None) -> bytes:
    """The FanFicFare fixture with one member replaced (or removed when ``data`` is None)."""
    with zipfile.ZipFile(io.BytesIO(fanficfare_epub())) as book:
        members = [(i.filename, book.read(i)) for i in book.infolist() if i.filename != "mimetype"]
    members = [(n, data if n == name else d) for n, d in members if n != name or data is not None]
    return zip_members(members)


XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&xxe;</p></body></html>'
)


@pytest.fixture(scope="module")
def big_bomb():
    return zip_bomb(MAX_TOTAL_UNCOMPRESSED + 50 * 1024 * 1024)


CASES = {
    "ratio-bomb": (lambda: zip_bomb(20 * 1024 * 1024), "possible zip bomb"),
    "path-traversal": (traversal_epub, "unsafe member name '../../etc/evil.sh'"),
    "billion-laughs": (billion_laughs_epub, "refusing OEBPS/file0001.xhtml: it declares XML"),
    "external-entity": (lambda: replaced("OEBPS/file0001.xhtml", XXE), "declares XML entities"),
    "truncated": (truncated_epub, "not an EPUB: the zip archive is truncated or damaged"),
    "no-container": (
        lambda: replaced("META-INF/container.xml", None),
        "not an EPUB: zip archive has no META-INF/container.xml",
    ),
    "word-document": (
        lambda: zip_members([("word/document.xml", b"<w/>")], stored_mimetype=False),
        "no META-INF/container.xml (it looks like a Word document)",
    ),
    "missing-opf": (
        lambda: replaced("OEBPS/content.opf", None),
        "the package document OEBPS/content.opf is missing",
    ),
    "broken-opf": (
        lambda: replaced("OEBPS/content.opf", b"<package><metadata>"),
        "broken EPUB: OEBPS/content.opf is not well-formed XML",
    ),
    "broken-container": (
        lambda: replaced("META-INF/container.xml", CONTAINER.encode()[:60]),
        "META-INF/container.xml is not well-formed XML",
    ),
    "broken-ncx": (
        lambda: replaced("OEBPS/toc.ncx", b"<ncx><navMap>"),
        "broken EPUB: OEBPS/toc.ncx is not well-formed XML",
    ),
    "missing-chapter": (
        lambda: replaced("OEBPS/file0002.xhtml", None),
        "OEBPS/file0002.xhtml is in the spine but not in the archive",
    ),
    "broken-chapter": (
        lambda: replaced("OEBPS/file0001.xhtml", b"<html><body><p>You run</body>"),
        "OEBPS/file0001.xhtml is not well-formed XML",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_epub_is_refused_with_one_line(case):
    build, message = CASES[case]
    with pytest.raises(FormatError) as error:
        read_work(build(), "book.epub")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_zip_bomb_over_the_size_cap_is_refused_before_inflating(big_bomb):
    with pytest.raises(FormatError, match=r"bytes uncompressed \(limit 209,715,200\)"):
        read_work(big_bomb, "book.epub")


def test_epub_whose_spine_has_no_story_is_refused():
    empty = b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    with zipfile.ZipFile(io.BytesIO(fanficfare_epub())) as book:
        members = [(i.filename, book.read(i)) for i in book.infolist() if i.filename != "mimetype"]
    members = [
        (n, empty if n.endswith(("file0001.xhtml", "file0002.xhtml")) else d) for n, d in members
    ]
    with pytest.raises(FormatError, match="no story text found in the EPUB"):
        read_work(zip_members(members))


def test_a_corrupted_member_is_caught_by_its_checksum():
    data = bytearray(fanficfare_epub())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as book:
        info = book.getinfo("OEBPS/file0001.xhtml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5 : start + 25] = b"\xff" * 20  # inside the deflate stream
    with pytest.raises(FormatError, match="broken EPUB: cannot read OEBPS/file0001.xhtml"):
        read_work(bytes(data))
