"""The three naming policies of rewrite.md §5."""

from __future__ import annotations

import ynsert

STORY = "You wake before him. He is still asleep, and you watch him breathe. Your coffee is cold."


def rewrite(policy: str, pronouns: str = "she", name: str = "Mara") -> str:
    return ynsert.rewrite(STORY, to="third", name=name, pronouns=pronouns, names=policy).text


def test_first_names_only_the_first_reference() -> None:
    assert rewrite("first") == (
        "Mara wakes before him. He is still asleep, and she watches him breathe. "
        "Her coffee is cold."
    )


def test_none_never_names() -> None:
    assert rewrite("none").startswith("She wakes before him.")


def test_smart_names_where_the_pronoun_would_be_ambiguous() -> None:
    # a he-reader beside another "he": the name, in that sentence and the next
    assert rewrite("smart", pronouns="he", name="Max") == (
        "Max wakes before him. He is still asleep, and Max watches him breathe. "
        "Max's coffee is cold."
    )
    # a she-reader beside a "he" is not ambiguous
    assert rewrite("smart") == rewrite("first")


def test_name_takes_singular_verbs_even_for_they() -> None:
    text = ynsert.rewrite(
        "You are here. You are late.", to="third", name="Sam", pronouns="they", names="first"
    ).text
    assert text == "Sam is here. They are late."


def test_name_expands_contractions_that_read_badly() -> None:
    text = ynsert.rewrite("You'll see.", to="third", name="Sam", names="first").text
    assert text == "Sam will see."


def test_y_n_for_another_character_is_left_and_reported() -> None:
    result = ynsert.rewrite(
        "Your girlfriend Y/N took you out. You smiled.",
        to="third",
        name="Sam",
        pronouns="they",
        names="first",
    )
    assert result.text == "Sam's girlfriend Y/N took them out. They smiled."
    assert any("another character" in n for n in result.notes)


def test_y_n_that_is_the_reader_is_filled() -> None:
    result = ynsert.rewrite(
        "Y/N's tea was cold, but you drank it.", to="first", values={"Y/N": "Mara"}
    )
    assert result.text == "Mara's tea was cold, but I drank it."


def test_y_n_beside_or_acted_on_by_the_reader_is_another_character() -> None:
    for source in ("You and Y/N went to the mall.", "You hugged Y/N goodbye."):
        result = ynsert.rewrite(source, to="third", name="Sam", names="first")
        assert "Y/N" in result.text, source
        assert any("another character" in n for n in result.notes)


def test_you_are_y_n_is_the_reader() -> None:
    result = ynsert.rewrite("You are Y/N.", to="first", values={"Y/N": "Mara"})
    assert result.text == "I am Mara."


def test_a_filled_y_n_in_narration_counts_as_the_first_naming() -> None:
    result = ynsert.rewrite(
        "Y/N's tea was cold, but you drank it.", to="third", name="Mara", names="first"
    )
    assert result.text == "Mara's tea was cold, but she drank it."
