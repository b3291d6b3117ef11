"""pytest set-up for the whole repository (tests in tests/, doctests in ynsert/).

``--doctest-modules`` (pyproject.toml) would also collect the ``conftest.py`` files as doctest
modules, and three of them share the name ``conftest`` without packages, which makes the
import clash. They hold no examples, so they are left out of doctest collection; pytest still
loads them as conftests.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.name == "conftest.py":
        return True
    return None
