"""The examples in the README and in module docstrings run as written."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ynsert
import ynsert.document.segment
import ynsert.placeholders
import ynsert.vocab.persons

REPO = Path(__file__).resolve().parents[1]
rewrite_package = __import__("ynsert.rewrite", fromlist=["rewrite"])


@pytest.mark.parametrize(
    "module",
    [ynsert, ynsert.document.segment, ynsert.vocab.persons, ynsert.placeholders, rewrite_package],
    ids=lambda m: m.__name__,
)
def test_module_examples(module) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_readme_examples() -> None:
    failures, tried = doctest.testfile(
        str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried > 0 and failures == 0
