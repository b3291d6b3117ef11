"""Works built in code (no source file) and the Metadata helpers."""

from __future__ import annotations

import pytest

from ynsert.edits import Edit
from ynsert.formats import Chapter, Metadata, Work, format_for, read_work, write_work

WORK = Work(
    Metadata(title="Two Rooms", authors=["quietfox"], tags=["Reader-Insert"]),
    [Chapter("One", "You *run*.\n\nYou stop."), Chapter("Two", "You turn & smile.")],
)


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_a_work_built_in_code_writes_and_reads_back(fmt):
    again = read_work(write_work(WORK, fmt))
    assert again.chapters == WORK.chapters
    assert (again.metadata.title, again.metadata.authors) == ("Two Rooms", ["quietfox"])
    assert again.metadata.tags == ["Reader-Insert"]


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_a_work_built_in_code_writes_text_with_a_header(fmt):
    text = write_work(WORK, fmt).decode()
    again = read_work(text.encode(), f"work.{fmt}")
    assert again.metadata.title == "Two Rooms"
    assert "You *run*.\n\nYou stop." in again.text


def test_sourceless_apply_edits_each_chapter():
    two = WORK.text.index("You turn")
    edited = WORK.apply([Edit(0, 3, "You", "She"), Edit(two, two + 3, "You", "She")])
    assert [c.text for c in edited.chapters] == [
        "She *run*.\n\nYou stop.",
        "She turn & smile.",
    ]


def test_sourceless_apply_refuses_an_edit_across_chapters():
    start = WORK.text.index("stop.")
    with pytest.raises(ValueError, match="spans a chapter break"):
        WORK.apply([Edit(start, start + 9, "stop.\n\n\nY", "x")])


def test_merge_prefers_the_richer_non_empty_fields():
    opf = Metadata(title="T", tags=["a"], language="en")
    preface = Metadata(title="T2", tags=["b"], words=5)
    merged = opf.merge(preface)
    assert (merged.title, merged.tags, merged.language, merged.words) == ("T2", ["b"], "en", 5)
    assert opf.title == "T"  # merge copies


def test_subjects_list_every_tag_once_in_ao3_order():
    meta = Metadata(rating="Mature", warnings=["W"], fandoms=["F"], tags=["F", "T"])
    assert meta.subjects() == ["Mature", "W", "F", "T"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mine.epub", "epub"),
        ("a.b/Story.MARKDOWN", "md"),
        ("x.htm", "html"),
        ("x.pdf", None),
        ("-", None),
        (None, None),
    ],
)
def test_format_for_an_output_name(name, expected):
    assert format_for(name) == expected


@pytest.mark.parametrize(
    ("warnings", "unknown"),
    [
        (["Creator Chose Not To Use Archive Warnings"], True),
        (["Choose Not To Use Archive Warnings"], True),
        (["No Archive Warnings Apply"], False),
        ([], False),
    ],
)
def test_chose_not_to_warn_means_unknown_not_none(warnings, unknown):
    assert Metadata(warnings=warnings).warnings_unknown is unknown
