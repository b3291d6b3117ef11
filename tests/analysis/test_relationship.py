"""Relationship tags: romantic (/) or platonic (&) by a lexicon over shared sentences."""

from __future__ import annotations

from ynsert.analysis.cast import analyse_cast
from ynsert.analysis.parsed import parse_story
from ynsert.analysis.relationship import analyse_relationships
from ynsert.document import Document


def relationships(text: str) -> list[tuple[str, str]]:
    parsed = parse_story(Document(text))
    cast = analyse_cast(parsed)
    return [(r.tag, r.kind) for r in analyse_relationships(parsed, cast)]


def test_romantic_with_a_strong_cue() -> None:
    text = "Finn took your hand. Finn kissed you softly. You smiled at Finn."
    assert relationships(text) == [("Finn/Reader", "romantic")]


def test_romantic_with_weak_cues() -> None:
    text = (
        "Finn brushed your cheek. You longed to hold Finn. Finn pulled you into his lap. "
        "Finn tenderly lowered you to the floor."
    )
    assert relationships(text) == [("Finn/Reader", "romantic")]


def test_platonic_when_they_only_interact() -> None:
    text = (
        "Finn handed you the map. You thanked Finn. Finn showed you the path. "
        "You followed Finn up the hill. Finn laughed at your joke."
    )
    assert relationships(text) == [("Finn & Reader", "platonic")]


def test_negated_romance_is_not_romance() -> None:
    text = "Finn never kissed you. You nodded at Finn. Finn waved at you. You left."
    assert relationships(text) == [("Finn & Reader", "platonic")]


def test_no_tag_without_interaction() -> None:
    assert relationships("You slept. Finn ran far away. Finn laughed alone.") == []


def test_family_love_is_platonic() -> None:
    import ynsert

    text = (
        'Tony Stark ruffles your hair. "Love you, kid," he says. You grin at him. '
        '"Love you too, Dad." He hugs you. You laugh and he lets go.'
    )
    tags = [t.name for t in ynsert.analyse(text).tags if t.field == "relationship"]
    assert tags == ["Tony Stark & Reader"]


def test_one_named_character_keeps_its_pronouns_across_sentences() -> None:
    import ynsert

    text = (
        "Bucky Barnes waits by the door. The rain falls. The street is empty. The lamps "
        "flicker. He kisses you softly."
    )
    tags = [t.name for t in ynsert.analyse(text).tags if t.field == "relationship"]
    assert tags == ["Bucky Barnes/Reader"]
