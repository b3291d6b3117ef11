"""Fixtures for the web tests: an app over a temporary SQLite library, logged-in clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx versions
    from fastapi.testclient import TestClient

from ynsert.library import Library
from ynsert.web import create_app

DATA = Path(__file__).parent / "data"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "correct horse battery"
#: Still argon2id, with test-sized costs.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def library(tmp_path) -> Iterator[Library]:
    lib = Library(f"sqlite:///{tmp_path / 'library.db'}", hasher=CHEAP)
    yield lib
    lib.close()


@pytest.fixture
def app(library: Library):
    return create_app(library)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf" value="([^"]+)"', html
    )
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def signup(app) -> Callable[[str], tuple[TestClient, str]]:
    """A new account logged in on its own client: (client, CSRF token)."""

    def make(username: str) -> tuple[TestClient, str]:
        client = TestClient(app)
        page = client.get("/register")
        response = client.post(
            "/register",
            data={"username": username, "password": PASSWORD, "csrf": csrf_of(page.text)},
        )
        assert response.status_code == 200, response.text
        return client, csrf_of(response.text)

    return make
