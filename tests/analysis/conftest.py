"""Fixtures for the analysis tests: parse an invented story (one parse per call)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ynsert.analysis.cast import CastAnalysis, analyse_cast
from ynsert.analysis.parsed import Parsed, parse_story
from ynsert.document import Document


def _parse(text: str) -> Parsed:
    return parse_story(Document(text))


def _cast_of(text: str) -> tuple[Parsed, CastAnalysis]:
    parsed = _parse(text)
    return parsed, analyse_cast(parsed)


@pytest.fixture
def parse() -> Callable[[str], Parsed]:
    return _parse


@pytest.fixture
def cast_of() -> Callable[[str], tuple[Parsed, CastAnalysis]]:
    return _cast_of
