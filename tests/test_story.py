"""The story model: paragraphs, dialogue vs apostrophes, thoughts, headers, offsets."""

from __future__ import annotations

import pytest

from ynsert.document.segment import Story


def kinds(text: str) -> list[tuple[str, str]]:
    story = Story.from_text(text)
    return [(s.kind, text[s.start : s.end]) for p in story.paragraphs for s in p.spans]


def test_straight_and_curly_double_quotes() -> None:
    assert kinds('"Stay," he said. “Go,” you say.') == [
        ("dialogue", '"Stay,"'),
        ("narration", " he said. "),
        ("dialogue", "“Go,”"),
        ("narration", " you say."),
    ]


@pytest.mark.parametrize(
    ("text", "dialogue"),
    [
        ("'Don't you dare,' he warned, but you'd jumped.", ["'Don't you dare,'"]),
        ("You weren't there when Rose said 'I'm leaving,' and you're sorry.", ["'I'm leaving,'"]),
        ("‘Come here,’ Kylo's voice said.", ["‘Come here,’"]),
        ("He said nothin' to 'em, and you didn't ask.", []),
        ("The boys' coats and Kylo's mask lay there.", []),
        ("'Cause you're worth it, you think.", []),
    ],
)
def test_single_quotes_are_told_from_apostrophes(text: str, dialogue: list[str]) -> None:
    assert [t for k, t in kinds(text) if k == "dialogue"] == dialogue


def test_speech_over_several_paragraphs_without_closing_quote() -> None:
    text = '"It began long ago,\n\n"and it never ended," he said. You nod.'
    story = Story.from_text(text)
    first, second = story.paragraphs
    assert [s.kind for s in first.spans] == ["dialogue"]
    assert second.spans[0].kind == "dialogue"
    assert story.is_narrative(text.index("You"))


def test_italic_thoughts_and_emphasis() -> None:
    assert kinds("*Why did you come?* you ask. He stared at *you*. _I knew it,_ you think.") == [
        ("thought", "*Why did you come?*"),
        ("narration", " you ask. He stared at "),
        ("emphasis", "*you*"),
        ("narration", ". "),
        ("thought", "_I knew it,_"),
        ("narration", " you think."),
    ]


def test_scene_break_is_not_italics() -> None:
    assert [k for k, _ in kinds("* * *")] == ["narration"]


def test_header_block() -> None:
    text = "Title: Ashes\nPairing: Kylo Ren x Reader\nWarnings: none\n\nYou wake."
    story = Story.from_text(text)
    assert story.header is not None
    assert text[story.header.start : story.header.end].endswith("Warnings: none")
    assert story.kind_at(text.index("You")) == "narration"


def test_story_opening_with_a_colon_is_not_a_header() -> None:
    assert Story.from_text("Monday: you wake late.").header is None


def test_paragraphs_by_blank_lines_or_by_lines() -> None:
    assert len(Story.from_text("One.\n\nTwo.\r\n\r\nThree.").paragraphs) == 3
    assert len(Story.from_text("One.\nTwo.\nThree.").paragraphs) == 3
    wrapped = "A long line\nwrapped here.\n\nNext."
    assert len(Story.from_text(wrapped).paragraphs) == 2


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = 'Mr. Solo waved. "Kylo!" You ran... and ran! Then you stopped.'
    story = Story.from_text(text)
    sentences = [text[s.start : s.end] for s in story.sentences()]
    assert sentences == ["Mr. Solo waved.", '"Kylo!"', "You ran... and ran!", "Then you stopped."]


def test_hard_wrap_without_blank_lines_keeps_the_sentence_together() -> None:
    text = "The clock strikes. You\nquestion yourself.\nHe sleeps."
    spans = [text[s:e] for s, e in ((p.start, p.end) for p in Story.from_text(text).paragraphs)]
    assert spans == ["The clock strikes. You\nquestion yourself.", "He sleeps."]


def test_html_italics_pasted_as_text_are_thoughts_or_emphasis() -> None:
    assert kinds("<em>Why are you like this?</em> you wonder. He saw <i>you</i>.") == [
        ("thought", "<em>Why are you like this?</em>"),
        ("narration", " you wonder. He saw "),
        ("emphasis", "<i>you</i>"),
        ("narration", "."),
    ]
