"""Placeholders (rewrite.md §4): any bracket style and case, 's kept, capitals by position."""

from __future__ import annotations

import pytest

import ynsert
from ynsert.placeholders import find_placeholders

VALUES = {"Y/N": "Mara", "L/N": "Okafor", "H/C": "auburn", "E/C": "grey"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Y/N smiled.", "Mara smiled."),
        ("(y/n) smiled.", "Mara smiled."),
        ("[Y/N] smiled.", "Mara smiled."),
        ("{y/n} smiled.", "Mara smiled."),
        ('"(y/n)?" she asked.', '"Mara?" she asked.'),
        ("It was Y/N's turn.", "It was Mara's turn."),
        ("It was (Y/N)'s turn.", "It was Mara's turn."),
        ("Y/N L/N, please stand.", "Mara Okafor, please stand."),
        ("She had (h/c) hair.", "She had auburn hair."),
        ("H/C curls fell loose.", "Auburn curls fell loose."),
        ("He said, 'Y/N, wait.'", "He said, 'Mara, wait.'"),
        ("Your (E/C) eyes.", "Your grey eyes."),
    ],
)
def test_fill(source: str, expected: str) -> None:
    assert ynsert.fill(source, VALUES).text == expected


def test_capital_placeholder_never_capitalises_the_value() -> None:
    assert ynsert.fill("the Y/N kind", {"Y/N": "mara"}).text == "the mara kind"
    assert ynsert.fill("they called Y/N.", {"Y/N": "de Vries"}).text == "they called de Vries."


def test_unfilled_placeholders_are_reported_and_kept() -> None:
    result = ynsert.fill("Y/N had (F/C) ribbons and E/C eyes.", {"Y/N": "Mara"})
    assert result.text == "Mara had (F/C) ribbons and E/C eyes."
    assert result.unfilled == ["F/C", "E/C"]


def test_custom_placeholders_in_capitals_or_brackets() -> None:
    found = {p.key for p in find_placeholders("Your (fav/s) and Y/P/N and (y/b/f).")}
    assert {"Y/P/N", "Y/B/F"} <= found
    assert ynsert.fill("Bring (Y/P) now.", {"Y/P": "Rex"}).text == "Bring Rex now."


@pytest.mark.parametrize("text", ["w/o sugar", "A/N: thanks!", "she is 25 y/o", "n/a", "and/or"])
def test_slash_abbreviations_are_not_placeholders(text: str) -> None:
    assert find_placeholders(text) == []


def test_first_name_defaults_to_y_n() -> None:
    assert ynsert.fill("F/N L/N", {"Y/N": "Mara", "L/N": "Okafor"}).text == "Mara Okafor"
