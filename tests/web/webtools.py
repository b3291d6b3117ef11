"""Helpers the web tests share (a module of its own: ``conftest`` is not importable by name
when several test folders have one)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from argon2 import PasswordHasher

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx versions
    from fastapi.testclient import TestClient

DATA = Path(__file__).parent / "data"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "correct horse battery"
#: Still argon2id, with test-sized costs.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf" value="([^"]+)"', html
    )
    assert found, "no CSRF token in the page"
    return found.group(1)


__all__ = ["CHEAP", "DATA", "PASSWORD", "SCREENSHOTS", "TestClient", "csrf_of"]
