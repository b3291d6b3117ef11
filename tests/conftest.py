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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-campaign",
        action="store_true",
        help="run tests/fuzz with the long 'campaign' hypothesis profile (default: 'ci')",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-campaign", default=False):
        import os

        os.environ["YNSERT_FUZZ"] = "campaign"
