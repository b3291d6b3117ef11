"""The library suite runs once on SQLite and once on PostgreSQL (a throwaway cluster)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from pgcluster import cluster

from ynsert.library import Library

_counter = itertools.count()
#: Still argon2id, with test-sized costs (the default costs are for real passwords).
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[str | None, str]]:
    with cluster() as found:
        yield found


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.db'}"
        return
    server, why = request.getfixturevalue("postgres_server")
    if server is None:
        pytest.skip(why)
    import psycopg

    name = f"ynsert_test_{next(_counter)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def library(database_url: str) -> Iterator[Library]:
    lib = Library(database_url, seed=False, hasher=CHEAP)
    yield lib
    lib.close()
