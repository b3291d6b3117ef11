"""Fixtures for the web tests: an app over a temporary SQLite library, logged-in clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from webtools import CHEAP, PASSWORD, TestClient, csrf_of

from ynsert.library import Library
from ynsert.web import create_app


@pytest.fixture
def library(tmp_path) -> Iterator[Library]:
    lib = Library(f"sqlite:///{tmp_path / 'library.db'}", hasher=CHEAP)
    yield lib
    lib.close()


@pytest.fixture
def app(library: Library):
    return create_app(library)


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
