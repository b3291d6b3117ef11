"""The formats with the real rewrite engine: the seed in AO3 HTML and EPUB rewrites exactly as
the plain text does, and nothing but story words changes in the container."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import pytest
from data import GOLDS
from lxml import etree
from make_fixtures import Ao3Work, ao3_epub, ao3_html, epub2, seed_ao3, seed_text

import ynsert
from ynsert.formats import read_work, write_work

FIXTURES = Path(__file__).parent / "fixtures"
PROFILES = {
    "third-she": {"to": "third", "name": "Mara", "pronouns": "she", "names": "first"},
    "first": {"to": "first"},
}


def rewrite(text: str, profile: str):
    return ynsert.rewrite(text, **PROFILES[profile])


# The containers seed_books() builds; named here so collection reads no file.
BOOKS = ["ao3-html", "ao3-epub", "plain-epub", "new-epub"]


@functools.cache
def seed_books() -> dict[str, bytes]:
    seed = seed_text()
    paragraph = seed.replace("&", "&amp;").replace("<", "&lt;")
    return {
        "ao3-html": ao3_html(seed_ao3(seed)),
        "ao3-epub": ao3_epub(seed_ao3(seed)),
        "plain-epub": epub2(
            [("seed.xhtml", "Seed", f"<p>{paragraph}</p>")],
            "<dc:title>Seed</dc:title><dc:identifier id='i'>urn:uuid:2</dc:identifier>"
            "<dc:language>en</dc:language>",
            "urn:uuid:2",
            "i",
        ),
        "new-epub": write_work(read_work(seed.encode()), "epub"),
    }


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("book", BOOKS)
def test_seed_in_any_container_rewrites_like_the_plain_text(book, profile):
    assert list(seed_books()) == BOOKS
    seed = seed_text()
    work = read_work(seed_books()[book])
    assert work.text == seed
    result = rewrite(work.text, profile)
    fmt = work.format
    again = read_work(write_work(work.apply(result.edits), fmt))
    assert again.text == rewrite(seed, profile).text


def test_seed_gold_file_through_epub():
    gold = GOLDS["third-she"].read_text(encoding="utf-8")
    work = read_work(seed_books()["ao3-epub"])
    out = write_work(work.apply(rewrite(work.text, "third-she").edits), "epub")
    assert read_work(out).text == gold.rstrip("\n")


def _without_story(page: bytes) -> bytes:
    """The page with the content of every story container emptied."""
    root = etree.fromstring(page, etree.HTMLParser())
    chapters = root.find(".//div[@id='chapters']")
    for div in chapters.findall("div[@class='userstuff']"):
        for child in list(div):
            div.remove(child)
        div.text = None
    return etree.tostring(copy.deepcopy(root))


def test_multi_chapter_rewrite_changes_only_story_text():
    work = read_work(ao3_html(Ao3Work()))
    result = rewrite(work.text, "third-she")
    assert result.edits
    before, after = write_work(work, "html"), write_work(work.apply(result.edits), "html")
    assert _without_story(after) == _without_story(before)  # notes keep their "you"
    edited = read_work(after)
    assert edited.text == result.text
    assert edited.metadata == work.metadata
    assert "Mara pulls her coat" in edited.chapters[0].text
    assert "*He said he would be here,*" in edited.text  # the thought is left alone


def test_fill_placeholders_in_text_keeps_bytes_outside_the_edits():
    data = (FIXTURES / "tumblr.txt").read_bytes().replace(b"\n", b"\r\n")
    work = read_work(data)
    filled = ynsert.fill(work.text, {"Y/N": "Mara"})
    out = write_work(work.apply(filled.edits), "txt")
    assert out == data.replace(b'"Y/N,"', b'"Mara,"')


def test_rewrite_of_an_epub_keeps_the_book_valid_and_complete():
    work = read_work(ao3_epub())
    result = rewrite(work.text, "first")
    edited = read_work(write_work(work.apply(result.edits), "epub"))
    assert edited.text == result.text
    assert [c.title for c in edited.chapters] == [c.title for c in work.chapters]
    assert edited.metadata == work.metadata


@pytest.mark.parametrize("name", ["tumblr-paste.html", "story.md", "tumblr.txt"])
def test_fill_works_in_every_format(name):
    work = read_work((FIXTURES / name).read_bytes(), name)
    filled = ynsert.fill(work.text, {"Y/N": "Mara"})
    assert filled.edits
    again = read_work(write_work(work.apply(filled.edits), work.format), name)
    assert again.text == filled.text
    assert "Mara" in again.text and "y/n" not in again.text.lower()
