"""The library's tables (SQLAlchemy 2): accounts, sessions, works, analyses, profiles …

Every row a reader owns carries ``account_id``; the service layer filters on it in every
query, so one account never sees another's works, profiles, positions or bookmarks.

The same models serve SQLite and PostgreSQL; only the full-text index differs (an FTS5
virtual table on SQLite, a ``tsvector`` table on PostgreSQL), created by the migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    #: When set, guests with this token may browse and read (never change) the library.
    share_token: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class LoginSession(Base):
    __tablename__ = "sessions"

    #: sha256 of the cookie value: a leaked database does not give away live sessions.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Work(Base):
    __tablename__ = "works"
    __table_args__ = (
        UniqueConstraint("account_id", "sha256", name="uq_work_bytes"),
        Index("ix_work_account_ao3", "account_id", "ao3_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500), default="")
    authors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[str] = mapped_column(String(100), default="")
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    ao3_id: Mapped[str | None] = mapped_column(String(20), default=None)
    words: Mapped[int] = mapped_column(Integer, default=0)
    metadata_json: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    chapter_titles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: Deferred: listing and reading never load the file, only personalising does.
    original: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    tags: Mapped[list[WorkTag]] = relationship(
        back_populates="work", cascade="all, delete-orphan", passive_deletes=True
    )


class WorkTag(Base):
    """One filterable fact: a declared or detected warning, a fandom, the person …"""

    __tablename__ = "work_tags"
    __table_args__ = (Index("ix_tag_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(300))
    #: "declared" (the work's own header) or "detected" (ynsert's analysis).
    origin: Mapped[str] = mapped_column(String(10), default="declared")
    #: For a detected archive warning: the probability that it applies (a reader's profile
    #: chooses from which probability it hides or flags the work).
    confidence: Mapped[float | None] = mapped_column(Float, default=None)

    work: Mapped[Work] = relationship(back_populates="tags")


class Analysis(Base):
    __tablename__ = "analyses"

    work_id: Mapped[int] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), primary_key=True
    )
    #: What produced it (``ynsert.api.version_stamp()`` as a string); stale when it differs.
    version: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Profile(Base):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    pronouns: Mapped[str] = mapped_column(String(200), default="she")
    plural_verbs: Mapped[bool | None] = mapped_column(Boolean, default=None)
    person: Mapped[str] = mapped_column(String(10), default="third")
    names: Mapped[str] = mapped_column(String(10), default="smart")
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    excluded_warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    excluded_tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: From which probability a detected archive warning counts ("warn me at 30 % and up");
    #: None: each warning's default level.
    warn_at: Mapped[float | None] = mapped_column(Float, default=None)
    display: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Secret for OPDS readers that cannot send a password (sha256 stored, like sessions).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Rendition(Base):
    """A cached personalisation: the chapters and edits for one work and one profile."""

    __tablename__ = "renditions"
    __table_args__ = (UniqueConstraint("work_id", "key", name="uq_rendition"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    #: sha256 of the reader settings and the engine version that produced it.
    key: Mapped[str] = mapped_column(String(64))
    #: The profile it was made for (None: a guest or "as written"); old keys are dropped.
    profile_id: Mapped[int | None] = mapped_column(Integer, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Progress(Base):
    __tablename__ = "progress"
    __table_args__ = (UniqueConstraint("profile_id", "work_id", name="uq_progress"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    chapter: Mapped[int] = mapped_column(Integer, default=0)
    #: How far through the chapter, 0.0–1.0 (scroll fraction: device-independent).
    position: Mapped[float] = mapped_column(Float, default=0.0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Bookmark(Base):
    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    chapter: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str] = mapped_column(String(500), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Job(Base):
    """A unit of heavy work (analyse, render, file, import by link) for the worker processes.

    ``active_key`` is set while the job is queued or running and cleared when it ends: the
    unique index makes "one live job per thing" hold across every process and machine.
    A running job holds a lease (``lease_until``, epoch seconds) that its worker renews; a
    worker killed mid-job stops renewing, the lease runs out and another worker retries it.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_job_claim", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    work_id: Mapped[int | None] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), index=True, default=None
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    #: queued | running | done | failed | cancelled
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    lease_until: Mapped[float] = mapped_column(Float, default=0.0)
    worker: Mapped[str] = mapped_column(String(100), default="")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    #: What it is doing now, or (failed) the one-line reason shown to the reader.
    message: Mapped[str] = mapped_column(String(300), default="")
    #: What it made, for the caller (a work id for an import by link …).
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created: Mapped[float] = mapped_column(Float, default=0.0)
    started: Mapped[float] = mapped_column(Float, default=0.0)
    finished: Mapped[float] = mapped_column(Float, default=0.0)


class JobRun(Base):
    """One attempt at a job by one worker: the audit trail that shows no job ran twice at once."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(100))
    started: Mapped[float] = mapped_column(Float)
    #: When the attempt ended (0 while running, or when its worker died).
    ended: Mapped[float] = mapped_column(Float, default=0.0)
    #: done | failed | lost (lease ran out: its worker died) | stopped (handed back) | cancelled
    outcome: Mapped[str] = mapped_column(String(10), default="")


class LoginFailure(Base):
    """A failed login, kept for the rate-limit window only (shared by every web process)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failure_key", "address", "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    #: Lower case; "" counts against the address whatever the username.
    username: Mapped[str] = mapped_column(String(80))
    at: Mapped[float] = mapped_column(Float, index=True)


class StoredFile(Base):
    """A personalised download (EPUB …) made once by a worker, per work × reader × engine."""

    __tablename__ = "stored_files"
    __table_args__ = (UniqueConstraint("work_id", "key", "format", name="uq_stored_file"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(10))
    #: The profile it was made for (None: a guest or "as written"); old keys are dropped.
    profile_id: Mapped[int | None] = mapped_column(Integer, default=None)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
