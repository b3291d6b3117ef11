"""EPUB: AO3 and FanFicFare layouts, faithful round trips, validity, conversions."""

from __future__ import annotations

import io
import zipfile

import pytest
from make_fixtures import (
    Ao3Work,
    ao3_epub,
    ao3_html,
    epub2,
    epub3,
    fanficfare_epub,
    xhtml,
    zip_members,
)

from ynsert.edits import Edit
from ynsert.formats import read_work, write_work

BOOKS = {"ao3": ao3_epub, "fanficfare": fanficfare_epub}


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def personalise(work):
    """A stand-in rewrite: the first "You" of each chapter becomes "She"."""
    edits, offset = [], 0
    for chapter in work.chapters:
        index = chapter.text.index("You")
        edits.append(Edit(offset + index, offset + index + 3, "You", "She"))
        offset += len(chapter.text) + 3
    return work.apply(edits)


def test_ao3_epub_chapters_and_metadata():
    work = read_work(ao3_epub(), "work.epub")
    assert work.format == "epub"
    assert [c.title for c in work.chapters] == ["Chapter 1: Arrival", "Chapter 2: Snow"]
    assert work.text == read_work(ao3_html()).text  # the same work as the HTML download
    meta = work.metadata
    assert meta.relationships == ["Ben Solo/Reader"]
    assert meta.tags == ["Reader-Insert", "Second Person", "Fluff"]  # not every dc:subject
    assert meta.source_url == "https://archiveofourown.org/works/4242"
    assert meta.language == "en"


def test_fanficfare_epub_chapters_and_metadata():
    work = read_work(fanficfare_epub())
    assert [c.title for c in work.chapters] == ["Running", "Falling"]
    assert not work.chapters[0].text.startswith("Running")  # the heading is not story
    meta = work.metadata
    assert (meta.title, meta.authors) == ("Starkiller", ["kyloswife"])
    assert meta.fandoms == ["Star Wars - All Media Types"]  # FanFicFare's "Category"
    assert meta.tags == ["Reader-Insert", "Angst"]  # FanFicFare's "Genre"
    assert meta.relationships == ["Kylo Ren/Reader"]
    assert meta.warnings == ["Major Character Death"]
    assert meta.rating == "Mature"
    assert meta.words == 2345
    assert meta.summary == "You run, he follows."
    assert meta.source_url == "https://archiveofourown.org/works/9999"


def test_generic_epub_uses_toc_labels_for_untitled_chapters():
    files = [
        ("one.xhtml", "Part One", "<p>You wake.</p>"),
        ("two.xhtml", "Part Two", "<p>You sleep.</p>"),
    ]
    work = read_work(
        epub2(
            files,
            "<dc:title>Two</dc:title><dc:identifier id='i'>x"
            "</dc:identifier><dc:language>en</dc:language>",
            "x",
            "i",
        )
    )
    assert [(c.title, c.text) for c in work.chapters] == [
        ("Part One", "You wake."),
        ("Part Two", "You sleep."),
    ]


@pytest.mark.parametrize("book", BOOKS)
def test_unchanged_round_trip_keeps_every_member_byte_identical(book):
    original = BOOKS[book]()
    work = read_work(original)
    out = write_work(work, "epub")
    assert members(out) == members(original)
    again = read_work(out)
    assert (again.text, again.metadata, again.chapters) == (work.text, work.metadata, work.chapters)


@pytest.mark.parametrize("book", BOOKS)
def test_personalised_book_changes_only_story_documents_and_package(book):
    original = BOOKS[book]()
    work = read_work(original)
    edited = personalise(work)
    out = write_work(edited, "epub")
    before, after = members(original), members(out)
    changed = {name for name in before if before[name] != after[name]}
    story_files = {
        "ao3": {"OEBPS/split_001.xhtml", "OEBPS/split_002.xhtml"},
        "fanficfare": {"OEBPS/file0001.xhtml", "OEBPS/file0002.xhtml"},
    }[book]
    assert changed == story_files | {"OEBPS/content.opf", "OEBPS/toc.ncx"}
    assert list(after) == list(before)  # same members, same order, mimetype first
    again = read_work(out)
    assert again.text == edited.text
    assert again.metadata == work.metadata


def test_personalised_package_has_new_identifier_and_a_note():
    original = fanficfare_epub()
    out = write_work(personalise(read_work(original)), "epub")
    opf = members(out)["OEBPS/content.opf"].decode()
    ncx = members(out)["OEBPS/toc.ncx"].decode()
    new_id = opf.split('id="fanficdownloader-uuid">')[1].split("<")[0]
    assert new_id.startswith("urn:uuid:")
    assert f'<meta name="dtb:uid" content="{new_id}"/>' in ncx
    assert '<meta name="ynsert:personalised"' in opf
    assert 'content="fanficdownloader-uuid:archiveofourown.org-u1-s9999"' in opf


TEXT_WITH_HEADER = (
    "Title: Orchard\nAuthor: quietfox\nFandom: Original Work\nPairing: Mira/Reader\n"
    "Tags: Reader-Insert, Fluff\nSummary: Apples.\n\nYou pick *one* apple.\n\nYou eat it."
)
LINKS_AND_IMAGES = '<p>You <a href="ch2.html">go on</a>.</p><p><img src="pic.png" alt=""/>Look.</p>'
HOSTILE_BOOK = epub2(
    [("c.xhtml", "C", '<p onclick="x()">You hide.</p><script>steal()</script>')],
    "<dc:title>T</dc:title><dc:identifier id='i'>urn:uuid:1</dc:identifier>"
    "<dc:language>en</dc:language>",
    "urn:uuid:1",
    "i",
)


SCRIPTED = '<p>You <b>wake</b>.</p><script>track()</script><img src="https://cdn.example/x.png"/>'
EPUB3_BOOK = epub3(
    [
        ("night1.xhtml", "First Night", "scripted remote-resources", SCRIPTED),
        ("night2.xhtml", "Second Night", "", "<p>You sleep.</p>"),
    ]
)


def written_books() -> dict[str, bytes]:
    """Every kind of EPUB ynsert writes: edited originals (EPUB 2) and new books (EPUB 3)."""
    return {
        "ao3-personalised": write_work(personalise(read_work(ao3_epub())), "epub"),
        "fanficfare-personalised": write_work(personalise(read_work(fanficfare_epub())), "epub"),
        "sanitised-story-document": write_work(personalise(read_work(HOSTILE_BOOK)), "epub"),
        "sanitised-epub3-unpersonalised": write_work(read_work(EPUB3_BOOK), "epub"),
        "epub3-personalised": write_work(personalise(read_work(EPUB3_BOOK)), "epub"),
        "new-from-ao3-html": write_work(read_work(ao3_html()), "epub"),
        "new-from-markdown": write_work(
            read_work(write_work(read_work(fanficfare_epub()), "md")), "epub"
        ),
        "new-from-text-personalised": write_work(
            personalise(read_work(TEXT_WITH_HEADER.encode())), "epub"
        ),
        "new-epub-personalised-again": write_work(
            personalise(read_work(write_work(read_work(ao3_html()), "epub"))), "epub"
        ),
        "new-with-links-and-images": write_work(
            read_work(ao3_html(Ao3Work(chapters=[("", [LINKS_AND_IMAGES])]))), "epub"
        ),
    }


@pytest.fixture(scope="module")
def epubcheck_reports(epubcheck):
    return epubcheck(written_books())


@pytest.mark.parametrize("name", list(written_books()))
def test_every_written_epub_passes_epubcheck(name, epubcheck_reports):
    ok, report = epubcheck_reports[name]
    assert ok, report


def test_new_epub_from_text_reads_back_with_metadata():
    work = read_work(TEXT_WITH_HEADER.encode(), "orchard.txt")
    out = write_work(personalise(work), "epub")
    book = read_work(out)
    assert book.text == "She pick *one* apple.\n\nYou eat it."  # the header became metadata
    for field in ("title", "authors", "fandoms", "relationships", "tags", "summary"):
        assert getattr(book.metadata, field) == getattr(work.metadata, field), field
    assert b"ynsert:personalised" in members(out)["OEBPS/content.opf"]


def test_html_images_and_relative_links_are_dropped_from_a_new_epub():
    work = read_work(ao3_html(Ao3Work(chapters=[("", [LINKS_AND_IMAGES])])))
    out = write_work(work, "epub")
    chapter = members(out)["OEBPS/chapter_001.xhtml"]
    assert b"<img" not in chapter and b"ch2.html" not in chapter
    assert read_work(out).text == work.text


def test_calibre_reads_title_and_tags(ebook_meta):
    for data in (ao3_epub(), write_work(personalise(read_work(ao3_epub())), "epub")):
        report = ebook_meta(data)
        assert "The Last Train" in report
        assert "Reader-Insert" in report


def test_story_document_with_a_script_is_cleaned_and_rewritten():
    work = read_work(HOSTILE_BOOK)
    assert work.text == "You hide."
    out = members(write_work(work, "epub"))["OEBPS/c.xhtml"]
    assert b"script" not in out and b"onclick" not in out
    assert b"<p>You hide.</p>" in out


def test_xhtml_parse_keeps_entities_safe():
    page = xhtml("t", "<p>You&#160;run &amp; hide.</p>")
    files = [("c.xhtml", "C", "")]
    data = epub2(
        files,
        "<dc:title>T</dc:title><dc:identifier id='i'>u</dc:identifier>"
        "<dc:language>en</dc:language>",
        "u",
        "i",
    )
    book = members(data)
    book["OEBPS/c.xhtml"] = page
    work = read_work(zip_members([(k, v) for k, v in book.items() if k != "mimetype"]))
    assert work.text == "You\xa0run & hide."


def test_epub3_nav_labels_title_untitled_chapters():
    work = read_work(EPUB3_BOOK)
    assert [(c.title, c.text) for c in work.chapters] == [
        ("First Night", "You wake."),
        ("Second Night", "You sleep."),
    ]
    assert (work.metadata.title, work.metadata.tags) == ("Nights", ["Reader-Insert"])


def test_sanitised_epub3_document_loses_its_stale_manifest_properties():
    out = write_work(read_work(EPUB3_BOOK), "epub")  # epubcheck: see written_books()
    book = members(out)
    assert b"<script" not in book["EPUB/night1.xhtml"]
    assert b"cdn.example" not in book["EPUB/night1.xhtml"]
    assert b"scripted" not in book["EPUB/package.opf"]
    assert book["EPUB/night2.xhtml"] == members(EPUB3_BOOK)["EPUB/night2.xhtml"]
