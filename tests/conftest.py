"""Shared test fixtures: where the shared gold, eval and spec files live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seed" / "seed.txt").exists():
        pytest.fail(f"shared data not found at {SHARED}: tests need ../shared beside the repo")
    return SHARED
