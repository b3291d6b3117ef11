"""Person and tense per sentence, dominant voice and slips (invented sentences)."""

from __future__ import annotations

import pytest

from ynsert.analysis.narration import analyse_narration, sentence_person, sentence_tense


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("I raced down the corridor.", "first"),
        ("You raced down the corridor.", "second"),
        ("He raced down the corridor.", "third"),
        ('"I love you," she said.', "third"),  # dialogue does not count
        ('"Stay," he said, and you stayed.', "second"),
    ],
)
def test_sentence_person(parse, text: str, person: str) -> None:
    assert sentence_person(parse(text).sentences[0]) == person


@pytest.mark.parametrize(
    ("text", "tense"),
    [
        ("You knew you were running out of time.", "past"),
        ("You brush his cheek and it becomes difficult to breathe.", "present"),
        ("You knew that the planet is breaking apart.", "past"),  # main clause counts double
        ('"I am here," you said.', "past"),
        ("How, then, am I mad?", None),
        ("The sting of a bee is sometimes deadly.", None),
        ("We can be but partially acquainted with the events.", None),
    ],
)
def test_sentence_tense(parse, text: str, tense: str | None) -> None:
    assert sentence_tense(parse(text).sentences[0]) == tense


def test_tense_slip_runs_from_first_present_sentence(parse) -> None:
    text = (
        "You ran down the hall. You stopped at the door. He turned to you. You waited. "
        "Then the lights go out and you feel his hand. After he spoke, you found the wall. "
        "You breathe slowly. The dark presses in."
    )
    narration = analyse_narration(parse(text))
    assert (narration.person, narration.tense) == ("second", "past")
    [slip] = narration.slips
    assert slip.aspect == "tense" and slip.found == "present"
    assert text[slip.start :].startswith("Then the lights go out")
    assert (slip.sentences, slip.off_sentences) == (4, 3)


def test_no_slip_in_consistent_story(parse) -> None:
    text = "You ran. He followed you. You hid behind the door. He passed by."
    assert analyse_narration(parse(text)).slips == ()


def test_person_slip_into_first_person(parse) -> None:
    text = "You ran. You hid. He followed you. I stopped and I waited. I hid. You breathed."
    narration = analyse_narration(parse(text))
    assert narration.person == "second"
    assert [s.aspect for s in narration.slips] == ["person"]


def test_narrator_with_listener_is_first_person(parse) -> None:
    text = (
        "You will say that I am mad. I watched him every night. I was careful. "
        "I opened the door. You would have laughed. I waited."
    )
    narration = analyse_narration(parse(text))
    assert narration.person == "first"
    assert not [s for s in narration.slips if s.aspect == "person"]


def test_third_person_with_few_you_words(parse) -> None:
    text = "He walked. She laughed at him. They ate. He slept. She left. He woke. You see?"
    assert analyse_narration(parse(text)).person == "third"
