"""Reader gender: each rule's positive and negative examples."""

from __future__ import annotations

import pytest

from ynsert.analysis.cast import analyse_cast
from ynsert.analysis.parsed import parse_story
from ynsert.analysis.reader_gender import analyse_reader_gender
from ynsert.document import Document


def cues(text: str) -> list[tuple[str, str]]:
    parsed = parse_story(Document(text))
    cast = analyse_cast(parsed)
    return [(c.rule, c.gender) for c in analyse_reader_gender(parsed, cast).cues]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You were the prettiest girl in the room. You smiled.", [("predicate", "female")]),
        ('"You\'re a good boy," he said. You nodded.', [("predicate", "male")]),
        ('"Good girl," he murmured. You smiled at him.', [("address", "female")]),
        ('"Come here, princess." You went to him.', [("address", "female")]),
        ("He admired your dress. You blushed.", [("belonging", "female")]),
        ("Your beard itched. You scratched it.", [("belonging", "male")]),
        (
            '"She\'s with me," Kylo said, nodding at you. You glared at Kylo.',
            [("pronoun", "female")],
        ),
        ("Y/N smiled. She knew. You were fine.", [("pronoun", "female")]),
    ],
)
def test_gendering(text: str, expected: list[tuple[str, str]]) -> None:
    assert cues(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You saw a girl in the crowd. You waved.",
        '"Yes, sir," you said. He nodded at you.',
        "You touched her dress. She smiled at you.",
        "Y/N looked at Kylo Ren. He smiled. Kylo Ren left. You stayed.",
        "Well for the wakeful one if the devils do not surround him. You sleep.",
        "The fiend came in woman's garments and lay down by your side. You woke.",
    ],
)
def test_not_gendering(text: str) -> None:
    assert cues(text) == []


def test_not_a_reader_insert(cast_of) -> None:
    parsed, cast = cast_of("She wore a dress. She was the prettiest girl. She smiled.")
    assert analyse_reader_gender(parsed, cast).verdict == "not a reader-insert"
