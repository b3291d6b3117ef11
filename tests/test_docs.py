"""The examples in the README and in module docstrings run as written.

Module docstrings are run by pytest itself (``--doctest-modules`` over ``ynsert/`` in
pyproject.toml); this file checks that the modules a newcomer reads first keep examples, and
runs the README's Python examples. The README's console examples: tests/test_readme.py.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WITH_EXAMPLES = [
    "ynsert",
    "ynsert.document.segment",
    "ynsert.document.header",
    "ynsert.vocab.persons",
    "ynsert.placeholders",
    "ynsert.rewrite",
]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_module_keeps_its_examples(name: str) -> None:
    module = importlib.import_module(name)
    examples = [e for t in doctest.DocTestFinder().find(module) for e in t.examples]
    assert examples, f"{name} has no docstring examples"


def test_readme_examples() -> None:
    failures, tried = doctest.testfile(
        str(REPO / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried > 0 and failures == 0
