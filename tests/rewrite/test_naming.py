"""The three naming policies of rewrite.md §5."""

from __future__ import annotations

import ynsert
from ynsert.document import Document
from ynsert.rewrite.engine import Profile
from ynsert.rewrite.naming import pronouns_of_names
from ynsert.vocab.persons import PronounSet

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


# --- smart: the name where the clash with another "she" is ------------------------------------


def smart(text: str, name: str = "Mara") -> str:
    return ynsert.rewrite(text, to="third", name=name, pronouns="she", names="smart").text


def test_smart_names_the_reference_after_the_clash_not_the_first_of_the_sentence() -> None:
    assert smart("You came home late. You watched her leave, and you sighed.") == (
        "Mara came home late. She watched her leave, and Mara sighed."
    )


def test_smart_names_the_last_reference_when_the_clash_comes_after_it() -> None:
    assert smart("You came home late. You smiled, and she laughed.") == (
        "Mara came home late. Mara smiled, and she laughed."
    )


def test_smart_uses_the_pronoun_again_once_the_clash_is_resolved() -> None:
    assert smart("You sat down. She handed you the cup, and you drank it.") == (
        "Mara sat down. She handed Mara the cup, and she drank it."
    )


def test_smart_names_the_reader_right_after_another_womans_action() -> None:
    source = "You sat down. Lucy was tired; she had worked all night. Lucy slammed the door. "
    assert smart(source + "You flinched.").endswith("Lucy slammed the door. Mara flinched.")
    # her pronoun can be learnt after the sentence too
    late = "You sat down. Lucy slammed the door. You flinched. Lucy sighed; she was tired."
    assert smart(late) == (
        "Mara sat down. Lucy slammed the door. Mara flinched. Lucy sighed; she was tired."
    )


def test_smart_a_man_or_a_name_of_unknown_pronoun_is_no_clash() -> None:
    he = "You sat down. Tom was tired; he had worked all night. Tom slammed the door. You flinched."
    assert smart(he).endswith("Tom slammed the door. She flinched.")
    unknown = "You sat down. Lucy slammed the door. You flinched."
    assert smart(unknown) == "Mara sat down. Lucy slammed the door. She flinched."


def test_smart_does_not_double_a_name_the_sentence_already_fills() -> None:
    for policy in ("smart", "first"):
        result = ynsert.rewrite("You ran, Y/N.", to="third", name="Kai", names=policy)
        assert result.text == "She ran, Kai.", policy
    assert smart("She laughed. Y/N waved, and you smiled.", name="Kai") == (
        "She laughed. Kai waved, and she smiled."
    )


def test_pronouns_of_names_reads_he_and_she_after_one_name() -> None:
    story = Document(
        'Lucy was tired. She yawned. Tom and Kylo argued. He left. "Ben," she said. '
        "Ben frowned at you, and he turned away. The Park was empty; we walked the park."
    ).story
    # Tom/Kylo: two names before "He"; "Park" is written in lower case too
    assert pronouns_of_names(story) == {"Lucy": "she", "Ben": "he"}
    # the "Y" and "N" of Y/N are not names
    assert pronouns_of_names(Document("Y/N met Lucy. She smiled.").story) == {"Lucy": "she"}


def test_same_pronoun_pattern_takes_names_of_the_readers_pronoun_only() -> None:
    profile = Profile(to="third", pronouns=PronounSet.parse("she"), name="Mara")
    pattern = profile.same_pronoun_pattern({"Lucy": "she", "Tom": "he", "Mara": "she"})
    assert pattern is not None
    found = [m.group() for m in pattern.finditer("Lucy met Tom and Mara; SHE smiled at her.")]
    assert found == ["Lucy", "SHE", "her"]
    assert Profile(to="first").same_pronoun_pattern({"Lucy": "she"}) is None


def test_smart_an_object_of_the_clashs_own_clause_keeps_the_pronoun() -> None:
    # "she's been expecting you": "her" cannot be the "she" of its clause, so the name goes on
    # the reference before the clash
    source = "You sat down. Lucy waves at you like she has been expecting you all day."
    assert smart(source) == (
        "Mara sat down. Lucy waves at Mara like she has been expecting her all day."
    )


def test_smart_a_name_under_first_is_not_doubled_by_a_clash_at_the_end() -> None:
    assert smart("Your alarm rings, because you and Juvia train at five. Juvia is tired.") == (
        "Mara's alarm rings, because she and Juvia train at five. Juvia is tired."
    )
