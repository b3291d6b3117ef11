"""Issue 20 item 13: memory that grew with the line count, and a header value cut at a form feed.

The growth in *time* (``rewrite`` ×2.15–3.06 per doubling on short paragraphs, a span list sliced
once per sentence in the smart-naming walk) is measured by ``benchmarks/heavy_inputs.py``
(``--shapes shortparas``), never by a timed test; here its output is checked against the walk
it replaced.
"""

from __future__ import annotations

import tracemalloc

import pytest

from ynsert.document import Document
from ynsert.document import parse as parse_module
from ynsert.document.header import parse_header
from ynsert.document.segment import Story
from ynsert.rewrite import rewrite
from ynsert.rewrite.naming import _narration_words

SHORT = ["You nod.", "He waits.", "Your turn.", "Okay."]


def _short_lines(count: int, separator: str = "\n") -> str:
    return separator.join(SHORT[i % len(SHORT)] for i in range(count))


def test_the_story_model_of_short_lines_holds_no_object_per_line() -> None:
    text = _short_lines(100_000)
    tracemalloc.start()
    try:
        story = Story.from_text(text)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(story.paragraphs) == 100_000
    # a Paragraph, its list and a Span per line cost ~330 bytes; flat arrays ~45
    assert held / 100_000 < 80, f"{held / 100_000:.0f} bytes a line"


def test_the_story_model_hands_out_the_same_paragraphs_and_spans() -> None:
    text = 'Title: T\n\n"Stay," he said. You nod.\n\n*Why did I come?* You sit.\n\nOkay.'
    story = Story.from_text(text)
    paragraphs = story.paragraphs
    assert len(paragraphs) == 3 and paragraphs[-1] == paragraphs[2]
    assert [p.start for p in paragraphs[0:2]] == [p.start for p in list(paragraphs)[:2]]
    with pytest.raises(IndexError):
        paragraphs[3]
    kinds = [s.kind for p in paragraphs for s in p.spans]
    assert kinds == ["dialogue", "narration", "thought", "narration", "narration"]
    assert [s.kind for s in story.spans()] == ["header", *kinds]
    assert story.kind_at(text.index("Stay")) == "dialogue"
    assert story.is_narrative(text.index("You nod"), text.index("You nod") + 3)
    assert story.span_at(text.index("\n\n*")) is None


def test_the_parse_keeps_docs_only_up_to_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _short_lines(400)
    expected = rewrite(text, to="third", name="Mara", pronouns="she").text
    monkeypatch.setattr(parse_module, "KEEP_TOKENS", 60)
    document = Document(text)
    assert rewrite(document, to="third", name="Mara", pronouns="she").text == expected
    kept = len(document.parse._docs)
    assert 0 < kept <= 60 // parse_module.DOC_COST + 1
    assert document.parse.sentences_parsed == 200  # each "You …"/"Your …" line, parsed once


def test_the_smart_naming_walk_gives_every_sentence_its_narration_words() -> None:
    text = _short_lines(2_000, "\n\n") + '\n\n"Lucy," you say. She waves.'
    story = Story.from_text(text)
    walked = list(_narration_words(story))
    spans = list(story.spans("narration", "emphasis"))
    brute = [
        [
            word
            for s in spans
            for word in text[max(s.start, sentence.start) : min(s.end, sentence.end)].split()
            if max(s.start, sentence.start) < min(s.end, sentence.end)
        ]
        for sentence in story.sentences()
    ]
    assert [[w.strip(".,") for w in words] for words in brute] == walked


@pytest.mark.parametrize("breaker", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_a_line_breaking_control_character_does_not_cut_a_header_value(breaker: str) -> None:
    meta, end = parse_header(f"Title: Ashes{breaker}and Dust\nRated: M\n\nYou wake.")
    assert meta.title == f"Ashes{breaker}and Dust"
    assert meta.rating == "M" and end == len(f"Title: Ashes{breaker}and Dust\nRated: M")
