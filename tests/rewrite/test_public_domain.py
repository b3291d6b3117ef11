"""Real prose nobody here wrote: it must go through, and Poe's listener is not a reader."""

from __future__ import annotations

import pytest
from data import PD_DIR

import ynsert

STORIES = [
    "haunted-mind.second-person.txt",
    "david-swan.third-person.txt",
    "tell-tale-heart.first-person.txt",
    "vision-of-the-fountain.first-person.txt",
]


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("to", ["first", "third"])
def test_story_goes_through(name: str, to: str) -> None:
    text = (PD_DIR / name).read_text(encoding="utf-8")
    result = ynsert.rewrite(text, to=to, name="Mara", pronouns="they")
    assert all(text[e.start : e.end] == e.old for e in result.edits)


def test_poe_listener_is_left_alone_with_a_note() -> None:
    text = (PD_DIR / "tell-tale-heart.first-person.txt").read_text(encoding="utf-8")
    result = ynsert.rewrite(text, to="third", name="Mara")
    assert result.text == text
    assert any("listener" in note and "first person" in note for note in result.notes)


def test_second_person_hawthorne_is_rewritten() -> None:
    text = (PD_DIR / "haunted-mind.second-person.txt").read_text(encoding="utf-8")
    result = ynsert.rewrite(text, to="first")
    assert len(result.edits) >= 76  # reached now: fewer means reader references were missed
    assert "you" not in {e.new.lower() for e in result.edits}
    assert result.text.startswith("THE HAUNTED MIND.")
    assert "when I have hardly begun to\nrecollect myself" in result.text


def test_third_person_story_has_nothing_to_rewrite() -> None:
    text = (PD_DIR / "david-swan.third-person.txt").read_text(encoding="utf-8")
    result = ynsert.rewrite(text, to="first")
    narration_edits = [e for e in result.edits if not e.reason.startswith("placeholder")]
    # David Swan's narrator speaks to "you" only in passing; it must not become a reader-insert
    assert [(e.start, e.old, e.reason) for e in narration_edits] == []
