"""Plain text and Markdown: decoding, byte-exact round trips, header blocks, sniffing."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ynsert.edits import Edit
from ynsert.formats import FormatError, read_work, sniff, write_work

FIXTURES = Path(__file__).parent / "fixtures"
STORY = "Title: Café\n\nYou wait by the “door”; your heart races — again.\n"


@pytest.mark.parametrize(
    "data",
    [
        STORY.encode("utf-8"),
        codecs.BOM_UTF8 + STORY.encode("utf-8"),
        STORY.replace("\n", "\r\n").encode("utf-8"),
        STORY.replace("\n", "\r").encode("utf-8"),
        b"You run.\r\nYou stop.\nYou turn.\rYou smile.",
        (FIXTURES / "tumblr.txt").read_bytes(),
        (FIXTURES / "story.md").read_bytes(),
    ],
    ids=["utf8", "bom", "crlf", "cr", "mixed", "tumblr", "markdown"],
)
def test_utf8_text_round_trips_byte_exactly(data):
    work = read_work(data)
    assert write_work(work, work.format) == data
    assert "\r" not in work.text  # the story model sees "\n" line breaks only


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-be", "utf-8-sig"])
def test_encodings_decode_to_the_same_text(encoding):
    data = STORY.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    work = read_work(data, "story.txt")
    assert work.text == STORY
    assert work.metadata.title == "Café"


def test_non_utf8_input_is_written_as_utf8_once_personalised():
    work = read_work(STORY.encode("cp1252"))
    assert work.text == STORY and work.notes
    assert write_work(work, "txt") == STORY.encode("cp1252")  # unchanged: the same bytes
    assert write_work(work.apply([]), "txt") == STORY.encode("cp1252")
    first = STORY.index("You")
    edited = work.apply([Edit(first, first + 3, "You", "She")])
    assert write_work(edited, "txt") == STORY.replace("You", "She", 1).encode("utf-8")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty story"),
        (b" \n\t\r\n", "empty story"),
        (STORY.encode("utf-16-le"), "binary data, not a story: it contains NUL bytes"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary data, not a story: this is a PDF"),
        (bytes(range(1, 32)) * 20, "binary data, not a story"),
        (codecs.BOM_UTF8 + b"caf\xe9", "cannot decode the text as UTF-8"),
        (b"You run \x81\x40 fast.", "cannot decode the text: it is not UTF-8"),
        ("Ты бежишь по коридору.".encode("koi8-r"), "cannot decode the text: it is not UTF-8"),
    ],
)
def test_unreadable_text_gives_one_clear_line(data, message):
    with pytest.raises(FormatError) as error:
        read_work(data, "story.txt")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_header_block_fills_metadata_and_stays_in_the_text():
    work = read_work((FIXTURES / "tumblr.txt").read_bytes())
    meta = work.metadata
    assert meta.title == "The Lighthouse Keeper"
    assert meta.relationships == ["Poe Dameron x Reader"]
    assert meta.warnings == ["none", "just fluff"]
    assert meta.words == 142
    assert meta.extra["requested by"] == "anon"
    assert work.text.startswith("Title: The Lighthouse Keeper\nPairing:")


def test_a_story_line_with_a_colon_is_not_a_header():
    work = read_work(b"He said: run.\n\nYou ran.")
    assert work.metadata.title == ""
    assert work.metadata.extra == {}


def test_text_edits_apply_and_keep_line_breaks():
    data = b"You run.\r\n\r\nYou stop."
    work = read_work(data)
    edited = work.apply([Edit(0, 3, "You", "She"), Edit(10, 13, "You", "She")])
    assert edited.text == "She run.\n\nShe stop."
    assert write_work(edited, "txt") == b"She run.\r\n\r\nShe stop."
    assert edited.personalised and not work.personalised


def test_markdown_keeps_emphasis_as_story_spans():
    work = read_work((FIXTURES / "story.md").read_bytes(), "story.md")
    assert work.format == "md"
    assert "_She'll never know,_ you think" in work.text
    assert work.metadata.title == "Orchard Weather"
    assert work.metadata.tags == ["Reader-Insert", "Gender-Neutral Reader"]


def test_markdown_renders_chapters_and_emphasis_into_html():
    work = read_work((FIXTURES / "story.md").read_bytes(), "story.md")
    page = read_work(write_work(work, "html"))
    assert [c.title for c in page.chapters] == ["Chapter 1: Windfall", "Chapter 2: Cider"]
    assert "*She'll never know,* you think" in page.chapters[0].text
    assert "**" not in page.text  # strong is not a thought
    assert page.metadata.title == "Orchard Weather"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"PK\x03\x04rest", "story.txt", "epub"),
        (b"<!DOCTYPE html><html><body><p>You</p></body></html>", "story.txt", "html"),
        (b"\xef\xbb\xbf<html><p>You</p></html>", None, "html"),
        (b"<p>You run.</p>\n<p>You stop.</p>\n<p><em>Why?</em></p>", None, "html"),
        (b"# Chapter 1\n\nYou run.", None, "md"),
        (b"# Chapter 1\n\nYou run.", "story.txt", "txt"),
        (b"You run. *Why?* you think.", "story.md", "md"),
        (b"You run. *Why?* you think.", None, "txt"),
        (b"You run <3 and he smiles.", "x.html", "txt"),
    ],
)
def test_sniff_prefers_content_over_extension(data, name, expected):
    assert sniff(data, name) == expected


def test_text_written_from_another_format_carries_a_header_block():
    html = b"<html><body><p>You run.</p><p>You <em>stop</em>.</p></body></html>"
    work = read_work(html)
    work.metadata.title = "Run"
    work.metadata.relationships = ["Kylo Ren/Reader"]
    text = write_work(work, "txt").decode()
    assert text == "Title: Run\nRelationships: Kylo Ren/Reader\n\n\nYou run.\n\nYou *stop*.\n"
    again = read_work(text.encode())
    assert again.metadata.title == "Run"
    assert again.metadata.relationships == ["Kylo Ren/Reader"]


def test_unknown_output_format_is_a_format_error():
    with pytest.raises(FormatError, match="unknown format 'pdf'"):
        write_work(read_work(b"You run."), "pdf")
