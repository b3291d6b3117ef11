"""Shared test set-up.

Test data paths are defined once in ``tests/data/__init__.py`` (imported as ``data``): the
seed, golds, dev sentences and public-domain stories are bundled in the repository; the
trigger-passages data set is opt-in and read from ``../shared`` when present.

``--fuzz-campaign`` runs ``tests/fuzz`` with the long hypothesis profile (``YNSERT_FUZZ``).
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-campaign",
        action="store_true",
        help="run tests/fuzz with the long 'campaign' hypothesis profile (default: 'ci')",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-campaign", default=False):
        os.environ["YNSERT_FUZZ"] = "campaign"
