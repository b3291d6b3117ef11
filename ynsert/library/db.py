"""Opening a library database (SQLite by default, PostgreSQL by URL) and migrating it.

>>> from ynsert.library.db import open_database
>>> engine = open_database("sqlite://")      # in memory, migrated to the newest schema
>>> engine.dialect.name
'sqlite'
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from ynsert.errors import InputError

MIGRATIONS = Path(__file__).parent / "migrations"


def default_url() -> str:
    """SQLite in the user's data directory (``$XDG_DATA_HOME/ynsert/library.db``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    folder = Path(base) / "ynsert"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'library.db'}"


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_database(url: str | None = None, *, migrate: bool = True) -> Engine:
    """An engine for ``url`` with the schema migrated to the newest revision."""
    url = normalise_url(url or default_url())
    try:
        parsed = make_url(url)
    except Exception as error:  # SQLAlchemy's ArgumentError: say it in one line
        raise InputError(f"not a database URL: {url!r} ({error})") from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise InputError(
            f"unsupported database {parsed.get_backend_name()!r}; use sqlite or postgresql"
        )
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"))
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    if migrate:
        upgrade(engine)
    return engine


def _sqlite_engine(url: str, *, in_memory: bool) -> Engine:
    extra = {"poolclass": StaticPool} if in_memory else {}
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **extra)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for an import
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` on ``engine``.

    Several processes may start at once (web workers, job workers, another machine): one
    migrates while the others wait, then find nothing left to do.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # held until this transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(7964217)"))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock file beside a SQLite database file (nothing to lock otherwise)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
