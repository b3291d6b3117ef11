"""Deaths, triggers and archive warnings from rules alone (no classifier, no work model)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ynsert.analysis.classifier import ClassifierResult, WindowScore, classify
from ynsert.analysis.content import analyse_content
from ynsert.analysis.deaths import find_deaths
from ynsert.analysis.parsed import parse_story
from ynsert.analysis.triggers import find_hits
from ynsert.document import Document

NO_CLASSIFIER = ClassifierResult(False, (), {})


def content(text: str, scores: ClassifierResult = NO_CLASSIFIER):
    parsed = parse_story(Document(text))
    deaths = find_deaths(parsed, {"Finn"})
    return analyse_content(parsed, find_hits(parsed), deaths, scores, model=None)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("The blade came down. You died.", "reader"),
        ("Finn raised the gun. It killed you instantly.", "reader"),
        ("Finn stood over the bed. The old man was dead.", "The old man"),
        ("The guards fled. Finn died in your arms.", "Finn"),
    ],
)
def test_explicit_deaths(parse, text: str, who: str) -> None:
    deaths = [d for d in find_deaths(parse(text), {"Finn"}) if d.status == "depicted"]
    assert deaths and deaths[0].who == who


@pytest.mark.parametrize(
    "text",
    [
        "I could have slain him where he stood.",
        "Did her beauty gladden me and then die?",
        "He had died years before you were born.",
        '"They killed him," she said.',
        "Finn never died.",
    ],
)
def test_not_major_deaths_on_the_page(parse, text: str) -> None:
    # "They killed him," she said: an unknown "him" in dialogue is an unnamed death at most
    deaths = find_deaths(parse(text), {"Finn"})
    assert not [d for d in deaths if d.status == "depicted" and d.major]


def _story(ending: str) -> str:
    opening = " ".join(f"You walked past door {n}." for n in range(12))
    return f"{opening} {ending}"


def test_reader_fading_after_injury_is_a_death() -> None:
    text = _story(
        "A red-hot pain seared through your body. You fell into his arms. "
        "Your vision starts to go dark. The last thing you see before you drift away is his face."
    )
    result = content(text)
    mcd = result.warning("Major Character Death")
    assert mcd is not None and mcd.confidence >= 0.85  # reached now
    assert "the reader dies" in mcd.evidence[0].note


def test_drifting_off_to_sleep_is_not_a_death() -> None:
    text = _story("You lay down. Your thoughts slow. You drift away into sleep at last.")
    assert content(text).warning("Major Character Death") is None


def test_fading_without_injury_is_not_enough_for_the_rules(parse) -> None:
    # The rules stay unsure (below the report threshold); the work model may still weigh it,
    # and then says so in the warning's sources.
    text = _story("You lay down. The room goes dark. You drift away and smile.")
    deaths = find_deaths(parse(text), set())
    assert deaths and max(d.confidence for d in deaths) < 0.5
    mcd = content(text).warning("Major Character Death")
    assert mcd is None or "model" in mcd.sources


def test_torture_mentioned_not_figurative() -> None:
    result = content("He had tortured you for weeks. His tortured eyes met yours.")
    torture = result.warning("torture")
    assert torture is not None and torture.status == "mentioned"
    assert len(torture.evidence) == 1


def test_figurative_torture_alone_is_nothing() -> None:
    assert content("His tortured eyes met yours. You looked away.").warning("torture") is None


def test_negated_violence_is_nothing() -> None:
    assert content("He never stabbed anyone. You smiled.").warning("violence") is None


def test_depicted_violence_is_not_graphic_until_told_in_detail() -> None:
    plain = content("He stabbed the guard. He slashed the captain. Blood pooled on the floor.")
    assert plain.warning("Graphic Depictions Of Violence") is None
    assert plain.warning("violence").status == "depicted"
    text = "He stabbed the guard. The wound gaped, torn flesh and bone, blood spurting."
    assert content(text).warning("Graphic Depictions Of Violence") is not None


def test_common_words_alone_do_not_make_sexual_content() -> None:
    assert (
        content("You moaned about the weather. He thrust the door open.").warning("sexual content")
        is None
    )


def test_rape_depicted() -> None:
    result = content("He raped her in the cellar. She fled at dawn.")
    assert result.warning("Rape/Non-Con") is not None


def test_classifier_raises_and_lowers_rule_confidence(parse) -> None:
    text = "He had tortured you for weeks. He stabbed the guard."
    parsed = parse(text)
    window = WindowScore(0, len(text), {"violence": 0.9})
    agree = ClassifierResult(True, (window,), {"violence": 0.5})
    disagree = ClassifierResult(
        True, (WindowScore(0, len(text), {"violence": 0.1}),), {"violence": 0.5}
    )
    hits, deaths = find_hits(parsed), find_deaths(parsed, set())
    plain = analyse_content(parsed, hits, deaths, NO_CLASSIFIER).warning("violence")
    up = analyse_content(parsed, hits, deaths, agree).warning("violence")
    down = analyse_content(parsed, hits, deaths, disagree).warning("violence")
    assert up.confidence > plain.confidence
    assert "classifier" in up.sources
    assert down is None or down.confidence < plain.confidence


def test_classifier_never_raises_a_trigger_alone() -> None:
    text = "You walked in the garden. The flowers were bright."
    scores = ClassifierResult(True, (WindowScore(0, len(text), {"war": 0.99}),), {"war": 0.5})
    assert content(text, scores).warning("war") is None


def test_classify_adapts_the_model_api(parse) -> None:
    model = SimpleNamespace(
        score_passages=lambda texts: [{"abduction": 0.7, "unknown": 1.0} for _ in texts],
        thresholds=lambda rule="majority": {"abduction": 0.4},
    )
    result = classify(parse("They took you from the road. You woke in a cell."), model)
    assert result.available and result.thresholds == {"kidnapping": 0.4}
    assert result.windows[0].scores == {"kidnapping": 0.7}


def test_broken_model_falls_back_to_rules(parse) -> None:
    def broken(texts):
        raise FileNotFoundError("warnings_model.json")

    result = classify(parse("You ran."), SimpleNamespace(score_passages=broken))
    assert not result.available


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("The arrows struck Finn. His breathing stopped.", "Finn"),
        ("You held her hand. Her chest stopped moving.", "a character (“Her”)"),
        ("The fever burned for days. Your heart stopped beating.", "reader"),
    ],
)
def test_a_body_stopping_is_a_death(parse, text: str, who: str) -> None:
    deaths = find_deaths(parse(text), {"Finn"})
    assert [
        d.who
        for d in deaths
        if d.evidence.note in ("breathing stopped", "chest stopped moving", "heart stopped beating")
    ] == [who]


@pytest.mark.parametrize(
    "text",
    ["Had the dream passed away, or only faded?", "The rain stopped. The engine stopped."],
)
def test_things_stopping_are_not_deaths(parse, text: str) -> None:
    assert find_deaths(parse(text), set()) == []


def test_reader_fading_after_illness_is_a_death(parse) -> None:
    text = (
        "The fever came back in winter. You cough until your ribs ache. Eliot reads to you. "
        "The nights grow long. Eliot holds your hand. The candle burns low. You smile at him. "
        "Your eyes close, and you drift away."
    )
    deaths = [d for d in find_deaths(parse(text), set()) if d.who == "reader"]
    assert deaths and deaths[0].confidence >= 0.85  # reached now


def test_several_suggestive_words_make_sexual_content() -> None:
    text = (
        "You straddle him on the bed, both of you naked. He cups your breast and you moan, "
        "grinding against him."
    )
    assert content(text).warning("sexual content") is not None


def test_one_suggestive_word_does_not() -> None:
    assert (
        content("The trees stood naked in the frost. You walked on.").warning("sexual content")
        is None
    )


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Finn gasped once. The light left his eyes.", "Finn"),
        ("The life drained from your face.", "reader"),
    ],
)
def test_light_or_life_leaving_a_body_is_a_death(parse, text: str, who: str) -> None:
    assert [d.who for d in find_deaths(parse(text), {"Finn"})] == [who]


def test_colour_draining_from_a_face_is_not(parse) -> None:
    assert find_deaths(parse("The colour drained from your face."), set()) == []
