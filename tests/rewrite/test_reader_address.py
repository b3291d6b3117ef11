"""Issue 20 items 2 and 12: a work is rewritten only when it is a reader-insert, and inside one
each block of paragraphs is rewritten from its own person (or left, with a note saying so)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ynsert
from ynsert import api
from ynsert.document.address import paragraph_persons
from ynsert.document.segment import Story
from ynsert.edits import Rewrite
from ynsert.formats import read_work, write_work

THIRD = (
    "Mara walked into the great hall. The old queen watched her from the dais. "
    "The courtiers whispered behind their fans. Mara bowed low and waited. "
    "Nobody spoke for a long time. The candles guttered in the draught."
)
#: A third-person story whose only "you" is generic (issue 20: "a crown of your own").
GENERIC = THIRD + "\n\nShe had always wanted a crown of your own, as the saying went. She smiled."
#: A letter inside a third-person story ("I'll come to you").
LETTER = (
    THIRD + "\n\nThe letter read: I miss the sea. I'll come to you when the snow melts. "
    "Wait for me.\n\nShe folded it away and went to bed."
)
#: A first-person narrator talking to a listener ("aren't you bringing…").
LISTENER = (
    "I told him the truth. I always do. Aren't you bringing the wine, I asked you then, "
    "and you laughed. I remember it well. My hands were cold. I waited for the train."
)
TOLD_TO_YOU = (
    "You walk into the great hall. The old queen watches you from the dais. "
    "You bow low and wait. Your hands are cold. Nobody speaks for a long time."
)


def _third(text: str, **extra: Any) -> Rewrite:
    return ynsert.rewrite(text, to="third", name="Mara", pronouns="she", **extra)


@pytest.mark.parametrize("text", [GENERIC, LETTER, LISTENER], ids=["generic", "letter", "listener"])
def test_a_work_that_is_not_a_reader_insert_is_left_as_written_with_the_reason(text: str) -> None:
    result = _third(text)
    assert result.text == text
    assert result.address is not None and result.address["reader_insert"] is False
    assert result.address["reason"]
    assert any(note.startswith("not a reader-insert (") for note in result.notes)


@pytest.mark.parametrize("text", [GENERIC, LETTER, LISTENER], ids=["generic", "letter", "listener"])
def test_the_reader_can_still_ask_for_the_rewrite(text: str) -> None:
    assert _third(text, force=True).text != text
    assert _third(text, source="second").text != text


def test_a_story_told_to_you_is_still_rewritten() -> None:
    result = _third(TOLD_TO_YOU)
    assert result.text.startswith("Mara walks into the great hall. The old queen watches her")
    assert result.address is not None and result.address["reader_insert"] is True


def test_tags_naming_characters_but_no_reader_mean_a_character_is_you() -> None:
    pov = "Characters: Katniss Everdeen, Peeta Mellark\n\n" + TOLD_TO_YOU
    result = _third(pov)
    assert result.text == pov
    assert result.address is not None and "tags name characters" in result.address["reason"]
    reader = "Characters: Kylo Ren, Reader\n\n" + TOLD_TO_YOU
    assert _third(reader).text != reader


def test_an_ao3_pages_own_tags_count() -> None:
    """The page's tags are not in the story text: they come from the container's metadata."""
    tagged = read_work(f"Characters: Katniss Everdeen\n\n{TOLD_TO_YOU}".encode(), "a.txt")
    work = read_work(write_work(tagged, "html"), "a.html")  # AO3's layout, tags in the preface
    assert work.metadata.characters == ["Katniss Everdeen"] and work.text == TOLD_TO_YOU
    result = api.personalise(work, {"name": "Mara", "pronouns": "she"})
    assert result.edits == []
    assert result.to_dict()["address"]["reader_insert"] is False
    assert api.personalise(TOLD_TO_YOU.encode(), {"name": "Mara"}).edits  # untagged: rewritten


def test_the_api_and_the_cli_say_why(tmp_path: Path) -> None:
    data = api.personalise(GENERIC.encode(), {"name": "Mara"}).to_dict()
    assert data["address"]["reader_insert"] is False and data["edits"] == []
    story = tmp_path / "generic.txt"
    story.write_text(GENERIC, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ynsert", "rewrite", str(story), "--name", "Mara"],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert done.stdout.decode() == GENERIC
    lines = done.stderr.decode().splitlines()
    assert [line for line in lines if "not a reader-insert" in line] == [lines[0]]
    assert lines[0].startswith("ynsert: not a reader-insert (")


# --- item 12: mixed persons under --from auto ---------------------------------------------------

ASIDE = "I wrote this at three in the morning and I hope you like it. I really do."
FIRST_BLOCK = "I walk into the kitchen. I see her there. My heart sinks. I sit down."


def test_an_authors_aside_is_left_and_the_readers_you_is_rewritten() -> None:
    text = f"{TOLD_TO_YOU}\n\n{ASIDE}\n\n{TOLD_TO_YOU}"
    result = _third(text)
    first, aside, last = result.text.split("\n\n")
    assert aside == ASIDE
    assert first.startswith("Mara walks") and last.startswith("She walks")
    left = result.address["left"] if result.address else []
    assert [block["lines"] for block in left] == [[3, 3]]
    assert any("left as written (an 'I' speaking to 'you'" in note for note in result.notes)


def test_a_second_and_a_first_person_block_of_a_reader_insert_are_both_converted() -> None:
    text = f"Y/N is late again.\n\n{TOLD_TO_YOU}\n\n{FIRST_BLOCK}"
    result = _third(text)
    _, second, first = result.text.split("\n\n")
    assert "you" not in second.lower().split() and " I " not in f" {first} "
    assert first.startswith("She walks into the kitchen")
    assert result.address is not None
    assert [b["from"] for b in result.address["converted"]] == ["second", "first"]
    assert any("rewritten from 'you'" in n and "rewritten from 'I'" in n for n in result.notes)


def test_an_unmarked_first_person_block_is_left_with_a_note() -> None:
    text = f"{TOLD_TO_YOU}\n\n{TOLD_TO_YOU}\n\n{FIRST_BLOCK}"
    result = _third(text)
    assert result.text.split("\n\n")[2] == FIRST_BLOCK
    assert any("told by 'I', who is not marked as the reader" in n for n in result.notes)


def test_chapters_told_in_different_persons_are_each_followed(tmp_path: Path) -> None:
    chapters = [
        f"Y/N waits.\n\n{TOLD_TO_YOU}\n\n{TOLD_TO_YOU}",
        f"{FIRST_BLOCK}\n\n{FIRST_BLOCK}",
    ]
    body = "".join(
        f"<h2>Chapter {n}</h2>" + "".join(f"<p>{p}</p>" for p in chapter.split("\n\n"))
        for n, chapter in enumerate(chapters, 1)
    )
    page = f"<html><body>{body}</body></html>".encode()
    work = api.open_work(page, filename="w.html")
    result = api.personalise(work, {"name": "Mara", "pronouns": "she", "to": "first"})
    text = result.text
    assert "You walk" not in text and "I walk into the great hall" in text
    assert "I walk into the kitchen" in text  # already first person: kept
    third = api.personalise(work, {"name": "Mara", "pronouns": "she"}).text
    assert "I walk" not in third and "You walk" not in third


def test_paragraph_persons_count_narrated_sentences_only() -> None:
    story = Story.from_text('"I love you," he says. You smile.\n\nI hope you liked it.')
    kinds = [(p.narrated, p.second, p.first, p.kind) for p in paragraph_persons(story)]
    assert kinds == [(2, 1, 0, "second"), (1, 1, 1, "address")]


def test_the_api_judges_a_work_without_rewriting_it() -> None:
    assert api.reader_address(GENERIC.encode())["reader_insert"] is False
    judged = api.reader_address(TOLD_TO_YOU.encode())
    assert judged["reader_insert"] is True and judged["person"] == "second"
