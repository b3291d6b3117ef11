"""The library service: the one layer the web pages, the JSON API and OPDS all call.

It owns accounts, works, analyses, profiles, reading progress and bookmarks, and calls
``ynsert.api`` (never the engine's internals) to read, analyse and personalise works.
Every method that takes an id also takes the caller's ``account_id`` and answers
``NotFound`` for another account's rows, so ids cannot be guessed across accounts.

>>> from ynsert.library import Library
>>> library = Library("sqlite://", seed=False)
>>> alice = library.create_account("alice", "correct horse battery")
>>> result = library.import_work(alice.id, b"Title: Home\\n\\nYou ran home, Y/N.", "home.txt")
>>> result.duplicate, result.work.title
(False, 'Home')
>>> library.import_work(alice.id, b"Title: Home\\n\\nYou ran home, Y/N.", "again.txt").duplicate
True
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, delete, exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ynsert import api
from ynsert.errors import InputError, YnsertError
from ynsert.library import search
from ynsert.library.clean import clean_data, clean_line, clean_text
from ynsert.library.db import open_database
from ynsert.library.errors import Busy, Conflict, Invalid, LibraryError, NotFound
from ynsert.library.jobs import Claim, JobQueue
from ynsert.library.models import (
    Account,
    Analysis,
    Bookmark,
    Job,
    LoginFailure,
    LoginSession,
    Profile,
    Progress,
    Rendition,
    StoredFile,
    Work,
    WorkTag,
)
from ynsert.vocab.labels import ARCHIVE_WARNINGS

#: Uploads larger than this are refused before they are read (the engine has its own cap too).
MAX_UPLOAD_BYTES = 16 * 2**20
DOWNLOAD_TYPES = {
    "epub": "application/epub+zip",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
PERSONS = ("first", "second", "third")
NAMING = ("first", "smart", "none")
THEMES = ("light", "sepia", "dark")
FONTS = ("serif", "sans", "mono", "dyslexic")
DISPLAY_DEFAULTS: dict[str, Any] = {
    "theme": "light",
    "font": "serif",
    "size": 3,
    "spacing": 2,
    "width": 2,
}
#: Renditions kept in memory per process (each a few hundred KB at most for a long work).
RENDITIONS_IN_MEMORY = 64
#: Work a web request may do itself: longer works are analysed and personalised by a job
#: (one account's 16 MB text must not hold a web process for minutes).
INLINE_WORDS = 20_000
#: Renditions and files kept per work for guests and "as written" (profiles keep their own).
GUEST_RENDERS_PER_WORK = 16
#: Failed logins remembered at most (whatever an attacker sends, the table stays this small).
MAX_LOGIN_FAILURES = 50_000
_AO3_ID = re.compile(r"archiveofourown\.org/works/(\d+)")
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")


@dataclass
class ImportResult:
    work: Work
    duplicate: bool


@dataclass
class Reading:
    """A work opened for reading: the row, the profile, the rendition and where they were.

    ``rendition`` is None while a job prepares it (``job``): the page shows its progress.
    """

    work: Work
    profile: Profile | None
    key: str
    rendition: dict[str, Any] | None
    progress: Progress | None
    job: Job | None = None


@dataclass
class WorkQuery:
    """What the library list asks for; every filter is optional."""

    q: str = ""
    warnings: list[str] = field(default_factory=list)
    exclude_warnings: list[str] = field(default_factory=list)
    exclude_tags: list[str] = field(default_factory=list)
    fandom: str = ""
    relationship: str = ""
    person: str = ""
    reader_gender: str = ""
    rating: str = ""
    trigger: str = ""
    min_words: int | None = None
    max_words: int | None = None
    status: str = ""  # read | unread | reading, for ``profile_id``
    profile_id: int | None = None
    apply_profile: bool = True  # the profile's saved "hide works with …"
    sort: str = "added"  # added | title | words
    limit: int = 200
    offset: int = 0


def version_string() -> str:
    """The engine version that analyses and renditions are stamped with."""
    return json.dumps(api.version_stamp(), sort_keys=True)


def reader_of(profile: Profile) -> api.ReaderProfile:
    return api.ReaderProfile.from_mapping(
        {
            "name": profile.name or None,
            "pronouns": profile.pronouns,
            "plural_verbs": profile.plural_verbs,
            "to": profile.person,
            "names": profile.names,
            "values": dict(profile.values or {}),
        }
    )


def display_of(profile: Profile | None) -> dict[str, Any]:
    return {**DISPLAY_DEFAULTS, **((profile.display if profile else None) or {})}


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Library:
    """All library operations over one database (thread-safe: one session per call)."""

    def __init__(
        self,
        url: str | Engine | None = None,
        *,
        seed: bool = True,
        hasher: PasswordHasher | None = None,
        jobs: str = "thread",
        migrate: bool = True,
    ) -> None:
        """``jobs``: "thread" runs queued jobs in a thread of this process (one library on
        its own: tests, scripts); "external" leaves them to ``ynsert worker`` processes."""
        self.engine = url if isinstance(url, Engine) else open_database(url, migrate=migrate)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.seed = seed
        self.hasher = hasher or PasswordHasher()
        self._locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self.queue = JobQueue(self.sessions)
        self._inline = _InlineWorkers(self) if jobs == "thread" else None
        self._version = version_string()
        self._renditions: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def close(self) -> None:
        if self._inline is not None:
            self._inline.stop()
        self.engine.dispose()

    def enqueue(
        self,
        kind: str,
        account_id: int,
        work_id: int | None = None,
        payload: dict[str, Any] | None = None,
        *,
        key: str | None = None,
    ) -> Job:
        """Queue a job (or find the live one with ``key``) and wake an in-process worker."""
        job = self.queue.enqueue(kind, account_id, work_id, payload, key=key)
        if self._inline is not None:
            self._inline.wake()
        return job

    # -- accounts and sessions -------------------------------------------------------------

    def create_account(self, username: str, password: str) -> Account:
        """A new account (with the bundled sample story in its library when ``seed``)."""
        if not _USERNAME.match(username or ""):
            raise Invalid("username: 2–40 letters, digits, '.', '_' or '-'")
        if not 8 <= len(password or "") <= 1000:
            raise Invalid("password: at least 8 characters")
        account = Account(username=username, password_hash=self.hasher.hash(password))
        try:
            with self.sessions.begin() as session:
                session.add(account)
        except IntegrityError:
            raise Conflict(f"the username {username!r} is taken") from None
        if self.seed:
            self.import_work(account.id, sample_bytes(), "seed.txt")
        return account

    def login_failures(self, address: str, username: str, since: float) -> tuple[int, int]:
        """Failed logins since ``since`` (epoch s): (for this address and username, address)."""
        with self.sessions() as session:
            recent = (LoginFailure.address == address[:64]) & (LoginFailure.at >= since)
            named = session.scalar(
                select(func.count(LoginFailure.id)).where(
                    recent, LoginFailure.username == username.lower()[:80]
                )
            )
            anyone = session.scalar(
                select(func.count(LoginFailure.id)).where(recent, LoginFailure.username == "")
            )
        return int(named or 0), int(anyone or 0)

    def record_login_failure(self, address: str, username: str, at: float, forget: float) -> None:
        """Count a failure for (address, username) and the address; drop those before
        ``forget`` and, past ``MAX_LOGIN_FAILURES`` rows, the oldest."""
        with self.sessions.begin() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.at < forget))
            session.add_all(
                [
                    LoginFailure(address=address[:64], username=username.lower()[:80], at=at),
                    LoginFailure(address=address[:64], username="", at=at),
                ]
            )
            session.flush()
            rows = session.scalar(select(func.count(LoginFailure.id))) or 0
            if rows > MAX_LOGIN_FAILURES:
                oldest = (
                    select(LoginFailure.id)
                    .order_by(LoginFailure.id)
                    .limit(rows - MAX_LOGIN_FAILURES)
                    .scalar_subquery()
                )
                session.execute(delete(LoginFailure).where(LoginFailure.id.in_(oldest)))

    def authenticate(self, username: str, password: str) -> Account | None:
        with self.sessions() as session:
            account = session.scalar(select(Account).where(Account.username == username))
        if account is None:
            self.hasher.hash(password or "x")  # same cost either way: no username probing
            return None
        try:
            self.hasher.verify(account.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return account

    def start_session(self, account_id: int) -> tuple[str, str]:
        """A new login session: (cookie token, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.sessions.begin() as session:
            session.add(
                LoginSession(token_hash=_hash_token(token), account_id=account_id, csrf=csrf)
            )
        return token, csrf

    def session_of(self, token: str) -> tuple[Account, str] | None:
        """(account, CSRF token) for a session cookie, or None."""
        if not token:
            return None
        with self.sessions() as session:
            found = session.execute(
                select(Account, LoginSession.csrf)
                .join(LoginSession, LoginSession.account_id == Account.id)
                .where(LoginSession.token_hash == _hash_token(token))
            ).first()
        return (found[0], found[1]) if found else None

    def end_session(self, token: str) -> None:
        with self.sessions.begin() as session:
            session.execute(
                delete(LoginSession).where(LoginSession.token_hash == _hash_token(token))
            )

    def account(self, account_id: int) -> Account:
        if not _valid_id(account_id):
            raise NotFound("no such account")
        with self.sessions() as session:
            account = session.get(Account, account_id)
        if account is None:
            raise NotFound("no such account")
        return account

    def set_sharing(self, account_id: int, enabled: bool) -> str | None:
        """Open (a new guest token) or close the library to read-only guests."""
        token = secrets.token_urlsafe(18) if enabled else None
        with self.sessions.begin() as session:
            account = session.get(Account, account_id)
            if account is None:
                raise NotFound("no such account")
            account.share_token = token
        return token

    def shared_account(self, token: str) -> Account:
        with self.sessions() as session:
            account = session.scalar(select(Account).where(Account.share_token == token))
        if not token or account is None:
            raise NotFound("no shared library at this address")
        return account

    # -- works -----------------------------------------------------------------------------

    def import_work(
        self,
        account_id: int,
        data: bytes,
        filename: str | None = None,
        format: str | None = None,
    ) -> ImportResult:
        """Store a work atomically (all of it or nothing); a duplicate returns the stored one."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise InputError(f"larger than {MAX_UPLOAD_BYTES // 2**20} MB, refused")
        filename = clean_line(filename) if filename else filename
        work = api.open_work(data, filename=filename, format=format)
        digest = hashlib.sha256(data).hexdigest()
        ao3_id = _ao3_id(work.metadata.source_url)
        with self.sessions.begin() as session:
            same = Work.sha256 == digest
            if ao3_id:
                same = same | (Work.ao3_id == ao3_id)
            existing = session.scalar(select(Work).where(Work.account_id == account_id, same))
            if existing is not None:
                return ImportResult(existing, duplicate=True)
            row = _work_row(account_id, work, data, digest, ao3_id, filename)
            session.add(row)
            session.flush()
            session.add_all(_declared_tags(row.id, work.metadata))
            self._index(session, row, clean_text(work.text))
        return ImportResult(row, duplicate=False)

    def _index(self, session: Session, row: Work, body: str) -> None:
        search.index(session, row.id, row.title, row.summary, _tag_text(row), body)

    def work(self, account_id: int, work_id: int) -> Work:
        if not _valid_id(work_id):
            raise NotFound(f"no work {work_id} in this library")
        with self.sessions() as session:
            row = session.scalar(
                select(Work).where(Work.id == work_id, Work.account_id == account_id)
            )
        if row is None:
            raise NotFound(f"no work {work_id} in this library")
        return row

    def delete_work(self, account_id: int, work_id: int) -> None:
        with self.sessions.begin() as session:
            row = session.scalar(
                select(Work).where(Work.id == work_id, Work.account_id == account_id)
            )
            if row is None:
                raise NotFound(f"no work {work_id} in this library")
            search.unindex(session, work_id)
            session.delete(row)
        with self._locks_guard:
            for key in [k for k in self._renditions if k.startswith(f"{work_id}:")]:
                del self._renditions[key]

    def list_works(self, account_id: int, query: WorkQuery | None = None) -> list[dict[str, Any]]:
        """Works matching ``query`` as summaries (title, tags, warnings, status …)."""
        query = _clean_query(query or WorkQuery())
        with self.sessions() as session:
            profile = self._profile_or_none(session, account_id, query.profile_id)
            statement = self._filtered(session, account_id, query, profile)
            rows = list(session.scalars(statement))
            return self._summaries(session, rows, profile)

    def _filtered(
        self, session: Session, account_id: int, query: WorkQuery, profile: Profile | None
    ) -> Any:
        statement = select(Work).where(Work.account_id == account_id)
        if query.q.strip():
            statement = statement.where(Work.id.in_(search.matching(session, query.q)))
        hidden_warnings = list(query.exclude_warnings)
        hidden_tags = list(query.exclude_tags)
        warn_at = profile.warn_at if profile is not None else None
        if profile is not None and query.apply_profile:
            hidden_warnings += profile.excluded_warnings or []
            hidden_tags += profile.excluded_tags or []
        if hidden_warnings:
            statement = statement.where(~_has_warning(hidden_warnings, warn_at))
            # Not analysed yet means not known to be safe: hide until the analysis is in.
            statement = statement.where(exists().where(Analysis.work_id == Work.id))
        if hidden_tags:
            statement = statement.where(~_has_tag(list(search.TAG_KINDS), hidden_tags))
        for kind, value in (
            ("fandom", query.fandom),
            ("relationship", query.relationship),
            ("person", query.person),
            ("reader_gender", query.reader_gender),
            ("rating", query.rating),
            ("trigger", query.trigger),
        ):
            if value:
                statement = statement.where(_has_tag([kind], [value]))
        for warning in query.warnings:
            statement = statement.where(_has_warning([warning], warn_at))
        if query.min_words is not None:
            statement = statement.where(Work.words >= query.min_words)
        if query.max_words is not None:
            statement = statement.where(Work.words <= query.max_words)
        statement = _by_status(statement, query.status, profile)
        order = {"title": func.lower(Work.title), "words": Work.words.desc()}.get(
            query.sort, Work.id.desc()
        )
        return statement.order_by(order, Work.id).limit(min(query.limit, 500)).offset(query.offset)

    def _summaries(
        self, session: Session, rows: Sequence[Work], profile: Profile | None
    ) -> list[dict[str, Any]]:
        ids = [row.id for row in rows]
        tags: dict[int, list[WorkTag]] = {i: [] for i in ids}
        warn_at = profile.warn_at if profile is not None else None
        for tag in session.scalars(select(WorkTag).where(WorkTag.work_id.in_(ids))):
            if _shown(tag, warn_at):
                tags[tag.work_id].append(tag)
        analysed = set(session.scalars(select(Analysis.work_id).where(Analysis.work_id.in_(ids))))
        progress: dict[int, Progress] = {}
        if profile is not None:
            for p in session.scalars(
                select(Progress).where(Progress.profile_id == profile.id, Progress.work_id.in_(ids))
            ):
                progress[p.work_id] = p
        else:  # "as written": where any of the account's profiles is, an unfinished one first
            for p in session.scalars(
                select(Progress).where(Progress.work_id.in_(ids)).order_by(Progress.finished)
            ):
                progress.setdefault(p.work_id, p)
        return [
            _summary(row, tags[row.id], row.id in analysed, progress.get(row.id)) for row in rows
        ]

    def facets(self, account_id: int) -> dict[str, list[str]]:
        """Every filter value present in the library, per kind (for the filter form)."""
        with self.sessions() as session:
            rows = session.execute(
                select(WorkTag.kind, WorkTag.value)
                .join(Work, Work.id == WorkTag.work_id)
                .where(Work.account_id == account_id)
                .distinct()
            )
            found: dict[str, set[str]] = {}
            for kind, value in rows:
                found.setdefault(kind, set()).add(value)
        return {kind: sorted(values, key=str.lower) for kind, values in found.items()}

    # -- analysis --------------------------------------------------------------------------

    def analysis(self, account_id: int, work_id: int) -> dict[str, Any]:
        """The stored analysis, recomputed first when missing or made by another engine."""
        row = self.work(account_id, work_id)
        with self.sessions() as session:
            stored = session.get(Analysis, work_id)
            if stored is not None and stored.version == self._version:
                return stored.data
        with self._lock(work_id):
            with self.sessions() as session:  # another thread may have finished it meanwhile
                stored = session.get(Analysis, work_id)
                if stored is not None and stored.version == self._version:
                    return stored.data
            data = api.tags(self._open(row))
            self._store_analysis(work_id, data)
        return data

    def analysis_ready(self, account_id: int, work_id: int) -> bool:
        self.work(account_id, work_id)
        with self.sessions() as session:
            stored = session.get(Analysis, work_id)
        return stored is not None and stored.version == self._version

    def analysis_or_job(self, account_id: int, work_id: int) -> dict[str, Any] | Job:
        """The analysis when stored or cheap (short work); else the job that makes it."""
        row = self.work(account_id, work_id)
        if row.words <= INLINE_WORDS or self.analysis_ready(account_id, work_id):
            return self.analysis(account_id, work_id)
        return self.analyse_later(account_id, work_id)

    def analyse_later(self, account_id: int, work_id: int) -> Job:
        """Queue the work's analysis (a worker process runs it), e.g. right after an import."""
        return self.enqueue("analyse", account_id, work_id, key=f"analyse:{work_id}")

    def analyse_soon(self, account_id: int, work_id: int) -> None:
        """After an import: queue the analysis, unless the account already has as many jobs as
        it may (a zip of a hundred works): the import stands, and the work's page queues its
        analysis when it is opened."""
        with contextlib.suppress(Busy):
            self.analyse_later(account_id, work_id)

    def analysis_job(self, account_id: int, work_id: int) -> dict[str, Any] | None:
        """The work's latest analysis job as its page shows it, if any."""
        self.work(account_id, work_id)
        with self.sessions() as session:
            job_id = session.scalar(
                select(Job.id)
                .where(Job.work_id == work_id, Job.kind == "analyse")
                .order_by(Job.id.desc())
                .limit(1)
            )
        return None if job_id is None else self.queue.status(job_id, account_id)

    def job(self, account_id: int, job_id: int) -> dict[str, Any]:
        """A job of this account as its page shows it (state, progress, reason …)."""
        return self.queue.status(job_id, account_id)

    def perform(self, claim: Claim, report: Callable[[float, str], Any]) -> dict[str, Any]:
        """Do one claimed job (in a worker); what it made, for ``Job.result``."""
        kind, account_id, work_id = claim.kind, claim.account_id, claim.work_id or 0
        payload = claim.payload
        if kind == "analyse":
            report(0.05, f"analysing {self.work(account_id, work_id).words:,} words")
            self.analysis(account_id, work_id)
            return {"work_id": work_id}
        if kind == "render":
            row = self.work(account_id, work_id)
            report(0.05, f"personalising {row.words:,} words")
            reader = api.ReaderProfile.model_validate(payload["reader"])
            self._personalise(row, reader, payload["key"], payload.get("profile_id"))
            return {"work_id": work_id}
        if kind == "file":
            row = self.work(account_id, work_id)
            report(0.05, f"making the {payload['format'].upper()} of {row.words:,} words")
            reader = api.ReaderProfile.model_validate(payload["reader"])
            self._make_file(
                row, reader, payload["key"], payload["format"], payload.get("profile_id")
            )
            return {"work_id": work_id}
        if kind == "import_url":
            from ynsert.library.links import fetch_work

            report(0.05, "fetching the work")
            data, name = fetch_work(payload["url"])
            report(0.5, "importing")
            result = self.import_work(account_id, data, name)
            if not result.duplicate:
                self.analyse_soon(account_id, result.work.id)
            return {"work_id": result.work.id, "duplicate": result.duplicate}
        raise Invalid(f"unknown job kind {kind!r}")

    def _store_analysis(self, work_id: int, data: dict[str, Any]) -> None:
        with self.sessions.begin() as session:
            session.execute(delete(Analysis).where(Analysis.work_id == work_id))
            session.execute(
                delete(WorkTag).where(WorkTag.work_id == work_id, WorkTag.origin == "detected")
            )
            session.add(Analysis(work_id=work_id, version=self._version, data=data))
            session.add_all(_detected_tags(work_id, data))

    def _lock(self, work_id: int) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(work_id, threading.Lock())

    def _open(self, row: Work) -> Any:
        with self.sessions() as session:
            data = session.scalar(select(Work.original).where(Work.id == row.id))
        if data is None:
            raise NotFound(f"no work {row.id} in this library")  # deleted meanwhile
        return api.open_work(data, filename=row.filename or None, format=row.format)

    # -- personalising ---------------------------------------------------------------------

    def rendition(self, account_id: int, work_id: int, profile_id: int | None) -> dict[str, Any]:
        """The work told for the profile: chapters as pieces (text, or edit with its reason).

        Stored per work, reader settings and engine version, so a second reading is a lookup.
        Computed here even for a long work (scripts); the web uses ``reading``, which leaves
        long works to a job.
        """
        reading = self.reading(account_id, work_id, profile_id, inline=False)
        assert reading.rendition is not None
        return reading.rendition

    def reading(
        self,
        account_id: int,
        work_id: int,
        profile_id: int | None,
        *,
        guest: api.ReaderProfile | None = None,
        inline: bool = True,
        character: str | None = None,
    ) -> Reading:
        """Everything the reading view needs, in one database session on the stored path.

        Not stored yet: computed here when the work has at most ``INLINE_WORDS`` words (or
        ``inline`` is False), otherwise a render job is queued and ``Reading.job`` is set.
        ``character``: read a third-person work as that character (the profile's person and
        pronouns; "you" when the profile is third person without a name)."""
        if not _valid_id(work_id):
            raise NotFound(f"no work {work_id} in this library")
        with self.sessions() as session:
            row = session.scalar(
                select(Work).where(Work.id == work_id, Work.account_id == account_id)
            )
            if row is None:
                raise NotFound(f"no work {work_id} in this library")
            profile = self._profile_or_none(session, account_id, profile_id)
            if profile_id is not None and profile is None:
                raise NotFound(f"no profile {profile_id} in this account")
            reader = guest or (reader_of(profile) if profile else api.ReaderProfile(to="second"))
            if character:
                to = "second" if reader.to == "third" and not reader.name else reader.to
                reader = reader.merged(character=character, to=to)
            key = self.render_key(reader)
            progress = None
            if profile is not None:
                progress = session.scalar(
                    select(Progress).where(
                        Progress.profile_id == profile.id, Progress.work_id == work_id
                    )
                )
            # The file's digest too: SQLite may give a deleted work's id to a new one.
            memory_key = f"{work_id}:{row.sha256}:{key}"
            data = self._renditions.get(memory_key)
            if data is None:
                data = session.scalar(
                    select(Rendition.data).where(Rendition.work_id == work_id, Rendition.key == key)
                )
        owner = profile.id if profile else None
        if data is None and inline and row.words > INLINE_WORDS:
            job = self.enqueue(
                "render",
                account_id,
                work_id,
                {"reader": reader.model_dump(mode="json"), "key": key, "profile_id": owner},
                key=f"render:{work_id}:{key}",
            )
            return Reading(row, profile, memory_key, None, progress, job)
        if data is None:
            data = self._personalise(row, reader, key, owner)
        self._remember(memory_key, data)
        return Reading(row, profile, memory_key, data, progress)

    def render_key(self, reader: api.ReaderProfile) -> str:
        """sha256 of the reader settings and the engine version: a stored render's key."""
        return hashlib.sha256((reader.model_dump_json() + self._version).encode()).hexdigest()

    def _personalise(
        self, row: Work, reader: api.ReaderProfile, key: str, profile_id: int | None = None
    ) -> dict[str, Any]:
        source = self._open(row)
        result = api.personalise(source, reader, force=True)
        data = {
            "chapters": _pieces(source, result.edits),
            "notes": list(result.notes),
            "edits": len(result.edits),
        }
        try:
            with self.sessions.begin() as session:
                _drop_stale(session, Rendition, row.id, key, profile_id)
                session.add(Rendition(work_id=row.id, key=key, profile_id=profile_id, data=data))
        except IntegrityError:
            pass  # computed twice at once; both are the same
        return data

    def _remember(self, key: str, data: dict[str, Any]) -> None:
        """Keep the most recently read renditions in memory (they never change for a key)."""
        with self._locks_guard:
            self._renditions[key] = data
            self._renditions.move_to_end(key)
            while len(self._renditions) > RENDITIONS_IN_MEMORY:
                self._renditions.popitem(last=False)

    def download(
        self, account_id: int, work_id: int, profile_id: int | None, format: str
    ) -> tuple[bytes, str, str]:
        """(bytes, file name, media type) of the work personalised for the profile.

        Computed here whatever the length (scripts, OPDS); pages use ``download_or_job``.
        """
        found = self.download_or_job(account_id, work_id, profile_id, format, inline=False)
        assert not isinstance(found, Job)
        return found

    def download_or_job(
        self,
        account_id: int,
        work_id: int,
        profile_id: int | None,
        format: str,
        *,
        guest: api.ReaderProfile | None = None,
        inline: bool = True,
    ) -> tuple[bytes, str, str] | Job:
        """The personalised file from the store; made here if short, else by a job."""
        if format not in DOWNLOAD_TYPES:
            raise Invalid(f"unknown format {format!r}; use one of: {', '.join(DOWNLOAD_TYPES)}")
        row = self.work(account_id, work_id)
        reader = guest or self._reader(account_id, profile_id)
        key = self.render_key(reader)
        name = f"{_slug(row.title or row.filename or f'work-{row.id}')}.{format}"
        with self.sessions() as session:
            data = session.scalar(
                select(StoredFile.data).where(
                    StoredFile.work_id == work_id,
                    StoredFile.key == key,
                    StoredFile.format == format,
                )
            )
        if data is None and inline and row.words > INLINE_WORDS:
            payload = {
                "reader": reader.model_dump(mode="json"),
                "key": key,
                "format": format,
                "profile_id": profile_id,
            }
            return self.enqueue(
                "file", account_id, work_id, payload, key=f"file:{work_id}:{key}:{format}"
            )
        if data is None:
            data = self._make_file(row, reader, key, format, profile_id)
        return data, name, DOWNLOAD_TYPES[format]

    def _make_file(
        self, row: Work, reader: api.ReaderProfile, key: str, format: str, profile_id: int | None
    ) -> bytes:
        data = api.personalise(self._open(row), reader, format=format, force=True).data
        try:
            with self.sessions.begin() as session:
                _drop_stale(session, StoredFile, row.id, key, profile_id, format)
                session.add(
                    StoredFile(
                        work_id=row.id, key=key, format=format, profile_id=profile_id, data=data
                    )
                )
        except IntegrityError:
            pass  # made twice at once; both are the same
        return data

    @staticmethod
    def personalise_text(text: str, profile: dict[str, Any]) -> dict[str, Any]:
        """Personalise raw text with a profile given as plain data (no library involved).

        Bounded: one request does at most ``INLINE_WORDS`` words of work (longer texts are
        imported, and a worker personalises them)."""
        data = text.encode("utf-8")
        if len(data) > MAX_UPLOAD_BYTES:
            raise InputError(f"larger than {MAX_UPLOAD_BYTES // 2**20} MB, refused")
        words = len(text.split())
        if words > INLINE_WORDS or len(data) > INLINE_WORDS * 40:
            raise Invalid(
                f"too long to personalise in one request ({words:,} words; at most "
                f"{INLINE_WORDS:,}): import it, and the library personalises it in the background"
            )
        result = api.personalise(api.open_work(data, format="txt"), profile, force=True)
        return {"text": result.text, **result.to_dict()}

    def _reader(self, account_id: int, profile_id: int | None) -> api.ReaderProfile:
        if profile_id is None:
            return api.ReaderProfile.from_mapping({"to": "second"})
        return reader_of(self.profile(account_id, profile_id))

    # -- profiles --------------------------------------------------------------------------

    def profiles(self, account_id: int) -> list[Profile]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(Profile).where(Profile.account_id == account_id).order_by(Profile.id)
                )
            )

    def profile(self, account_id: int, profile_id: int) -> Profile:
        with self.sessions() as session:
            row = self._profile_or_none(session, account_id, profile_id)
        if row is None:
            raise NotFound(f"no profile {profile_id} in this account")
        return row

    @staticmethod
    def _profile_or_none(
        session: Session, account_id: int, profile_id: int | None
    ) -> Profile | None:
        if profile_id is None or not _valid_id(profile_id):
            return None
        return session.scalar(
            select(Profile).where(Profile.id == profile_id, Profile.account_id == account_id)
        )

    def create_profile(self, account_id: int, data: dict[str, Any]) -> Profile:
        row = Profile(
            account_id=account_id,
            pronouns="she",
            person="third",
            names="smart",
            values={},
            excluded_warnings=[],
            excluded_tags=[],
            display=dict(DISPLAY_DEFAULTS),
        )
        _apply_profile(row, {"label": data.get("label") or data.get("name") or "Me", **data})
        with self.sessions.begin() as session:
            session.add(row)
        return row

    def update_profile(self, account_id: int, profile_id: int, data: dict[str, Any]) -> Profile:
        with self.sessions.begin() as session:
            row = self._profile_or_none(session, account_id, profile_id)
            if row is None:
                raise NotFound(f"no profile {profile_id} in this account")
            _apply_profile(row, data)
        return row

    def delete_profile(self, account_id: int, profile_id: int) -> None:
        with self.sessions.begin() as session:
            row = self._profile_or_none(session, account_id, profile_id)
            if row is None:
                raise NotFound(f"no profile {profile_id} in this account")
            session.delete(row)

    def profile_token(self, account_id: int, profile_id: int) -> str:
        """A new secret for the profile's OPDS address (the old one stops working)."""
        token = secrets.token_urlsafe(24)
        with self.sessions.begin() as session:
            row = self._profile_or_none(session, account_id, profile_id)
            if row is None:
                raise NotFound(f"no profile {profile_id} in this account")
            row.token_hash = _hash_token(token)
        return token

    def profile_by_token(self, token: str) -> Profile:
        with self.sessions() as session:
            row = session.scalar(select(Profile).where(Profile.token_hash == _hash_token(token)))
        if not token or row is None:
            raise NotFound("unknown profile token")
        return row

    # -- progress and bookmarks ------------------------------------------------------------

    def save_progress(
        self,
        account_id: int,
        profile_id: int,
        work_id: int,
        chapter: int,
        position: float = 0.0,
        finished: bool | None = None,
    ) -> Progress:
        work = self.work(account_id, work_id)
        self.profile(account_id, profile_id)
        chapters = max(1, len(work.chapter_titles))
        chapter = min(max(0, int(chapter)), chapters - 1)
        position = min(max(0.0, float(position)), 1.0)
        if finished is None:
            finished = chapter == chapters - 1 and position >= 0.98
        for attempt in (1, 2):  # two devices saving a first position at once: one inserts
            try:
                with self.sessions.begin() as session:
                    row = session.scalar(
                        select(Progress).where(
                            Progress.profile_id == profile_id, Progress.work_id == work_id
                        )
                    )
                    if row is None:
                        row = Progress(
                            account_id=account_id, profile_id=profile_id, work_id=work_id
                        )
                        session.add(row)
                    row.chapter, row.position, row.finished = chapter, position, finished
                    row.updated = datetime.now(UTC)
                return row
            except IntegrityError:  # the other one inserted first: update its row instead
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def progress(self, account_id: int, profile_id: int, work_id: int) -> Progress | None:
        self.work(account_id, work_id)
        self.profile(account_id, profile_id)
        with self.sessions() as session:
            return session.scalar(
                select(Progress).where(
                    Progress.profile_id == profile_id,
                    Progress.work_id == work_id,
                    Progress.account_id == account_id,
                )
            )

    def add_bookmark(
        self,
        account_id: int,
        profile_id: int,
        work_id: int,
        chapter: int,
        position: float,
        note: str,
    ) -> Bookmark:
        self.work(account_id, work_id)
        self.profile(account_id, profile_id)
        row = Bookmark(
            account_id=account_id,
            profile_id=profile_id,
            work_id=work_id,
            chapter=max(0, int(chapter)),
            position=min(max(0.0, float(position)), 1.0),
            note=clean_line(note or "")[:500],
        )
        with self.sessions.begin() as session:
            session.add(row)
        return row

    def bookmarks(self, account_id: int, work_id: int) -> list[Bookmark]:
        self.work(account_id, work_id)
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(Bookmark)
                    .where(Bookmark.account_id == account_id, Bookmark.work_id == work_id)
                    .order_by(Bookmark.chapter, Bookmark.position)
                )
            )

    def delete_bookmark(self, account_id: int, bookmark_id: int) -> None:
        if not _valid_id(bookmark_id):
            raise NotFound(f"no bookmark {bookmark_id} in this account")
        with self.sessions.begin() as session:
            row = session.scalar(
                select(Bookmark).where(
                    Bookmark.id == bookmark_id, Bookmark.account_id == account_id
                )
            )
            if row is None:
                raise NotFound(f"no bookmark {bookmark_id} in this account")
            session.delete(row)


class _InlineWorkers:
    """The job loop in a thread of this process, for a library used on its own."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.thread: threading.Thread | None = None
        self.halt = threading.Event()
        self.lock = threading.Lock()
        self.worker: Any = None

    def wake(self) -> None:
        from ynsert.library.worker import Worker

        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.worker = Worker(self.library, fork=False, poll=1.0)
                self.thread = threading.Thread(
                    target=self.worker.run, args=(self.halt,), name="ynsert-jobs", daemon=True
                )
                self.thread.start()
        self.worker.wake.set()

    def stop(self) -> None:
        self.halt.set()
        if self.worker is not None:
            self.worker.wake.set()


# -- helpers -------------------------------------------------------------------------------


def _drop_stale(
    session: Session,
    table: type[Rendition] | type[StoredFile],
    work_id: int,
    key: str,
    profile_id: int | None,
    format: str | None = None,
) -> None:
    """Before storing a render: a profile's older renders of this work are stale (its
    settings or the engine changed); guests' and "as written" keep the newest few."""
    mine: list[Any] = [table.work_id == work_id, table.key != key]
    if format is not None:
        mine.append(StoredFile.format == format)
    if profile_id is not None:
        session.execute(delete(table).where(*mine, table.profile_id == profile_id))
        return
    newest = (
        select(table.id)
        .where(*mine, table.profile_id.is_(None))
        .order_by(table.id.desc())
        .limit(GUEST_RENDERS_PER_WORK - 1)
    )
    keep = [i for i in session.scalars(newest)]
    session.execute(
        delete(table).where(*mine, table.profile_id.is_(None), table.id.not_in(keep or [0]))
    )


def _valid_id(value: int) -> bool:
    """Ids the database can hold (a huge number in a URL is "not found", not an overflow)."""
    return isinstance(value, int) and 0 < value < 2**31


def sample_bytes() -> bytes:
    """The bundled sample story (``examples/seed.txt``), in every new library."""
    return resources.files("ynsert.library").joinpath("data/seed.txt").read_bytes()


def _ao3_id(url: str) -> str | None:
    match = _AO3_ID.search(url or "")
    return match.group(1) if match else None


def _slug(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
    return slug[:60] or "work"


def _work_row(
    account_id: int, work: Any, data: bytes, digest: str, ao3_id: str | None, filename: str | None
) -> Work:
    meta = work.metadata
    stem = (filename or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Work(
        account_id=account_id,
        title=clean_line(meta.title or stem or "Untitled")[:500],
        authors=[clean_line(a) for a in meta.authors],
        summary=clean_text(meta.summary),
        rating=clean_line(meta.rating)[:100],
        format=work.format,
        filename=(filename or "")[:300],
        sha256=digest,
        ao3_id=ao3_id,
        words=len(work.text.split()),
        metadata_json=clean_data(asdict(meta)),
        chapter_titles=[clean_line(c.title) for c in work.chapters],
        original=data,
    )


def _declared_tags(work_id: int, meta: Any) -> list[WorkTag]:
    pairs: list[tuple[str, str]] = [("rating", meta.rating)] if meta.rating else []
    for kind, values in (
        ("warning", meta.warnings),
        ("category", meta.categories),
        ("fandom", meta.fandoms),
        ("relationship", meta.relationships),
        ("character", meta.characters),
        ("tag", meta.tags),
    ):
        pairs += [(kind, v) for v in values if v]
    return [
        WorkTag(work_id=work_id, kind=k, value=clean_line(v)[:300], origin="declared")
        for k, v in pairs
    ]


def _detected_tags(work_id: int, data: dict[str, Any]) -> list[WorkTag]:
    """The analysis facts the library filters on (detected warnings, triggers, person …)."""
    pairs: set[tuple[str, str]] = set()
    kinds = {
        "warning": "warning",
        "rating": "rating",
        "relationship": "relationship",
        "character": "character",
    }
    for item in data.get("tags") or []:
        kind = kinds.get(item.get("field"), "trigger")
        if item.get("name") and kind != "warning":
            pairs.add((kind, str(item["name"])))
    content = data.get("content") or {}
    pairs.update(
        ("trigger", str(i["name"])) for i in content.get("triggers") or [] if i.get("name")
    )
    narration = data.get("narration") or {}
    for key, kind in (("person", "person"), ("tense", "tense")):
        if isinstance(narration.get(key), str) and narration[key]:
            pairs.add((kind, narration[key]))
    gender = data.get("reader_gender") or {}
    for key in ("verdict", "gender", "label"):
        if isinstance(gender.get(key), str) and gender[key]:
            pairs.add(("reader_gender", gender[key]))
            break
    # every archive warning the analysis assessed, with its probability: whether it hides or
    # flags the work depends on the reader's own level (``Profile.warn_at``)
    warnings = [
        WorkTag(
            work_id=work_id,
            kind="warning",
            value=clean_line(str(item["name"]))[:300],
            origin="detected",
            confidence=float(item.get("confidence") or 0.0),
        )
        for item in content.get("assessed") or []
        if item.get("name")
    ]
    return warnings + [
        WorkTag(work_id=work_id, kind=k, value=clean_line(v)[:300], origin="detected")
        for k, v in sorted(pairs)
    ]


def _tag_text(row: Work) -> str:
    meta = row.metadata_json or {}
    parts: list[str] = [row.rating]
    for key in ("warnings", "categories", "fandoms", "relationships", "characters", "tags"):
        parts += meta.get(key) or []
    parts += row.authors or []
    # "Keeper/Reader" is one token (a file path) to PostgreSQL's parser: index both names.
    return re.sub(r"[/&]", " ", " | ".join(p for p in parts if p))


def _shown(tag: WorkTag, warn_at: float | None) -> bool:
    """A detected archive warning counts from the reader's level (else its default) up."""
    if tag.kind != "warning" or tag.origin != "detected" or tag.confidence is None:
        return True
    from ynsert.analysis.content import flag_level
    from ynsert.analysis.workmodel import load

    return tag.confidence >= (warn_at if warn_at is not None else flag_level(tag.value, load()))


def _has_warning(names: Iterable[str], warn_at: float | None) -> Any:
    """Works that carry one of these archive warnings: declared by the author, or detected at
    the reader's level (``warn_at``), else at each warning's default level."""
    from ynsert.analysis.content import flag_level
    from ynsert.analysis.workmodel import load

    model = load()
    levels = {name: warn_at if warn_at is not None else flag_level(name, model) for name in names}
    detected = or_(
        false(),
        *(
            and_(func.lower(WorkTag.value) == name.lower(), WorkTag.confidence >= level)
            for name, level in levels.items()
        ),
    )
    tagged = and_(
        WorkTag.work_id == Work.id,
        WorkTag.kind == "warning",
        or_(
            and_(
                WorkTag.origin == "declared",
                func.lower(WorkTag.value).in_([n.lower() for n in levels]),
            ),
            detected,
        ),
    )
    return exists().where(tagged)


def _has_tag(kinds: Iterable[str], values: Iterable[str]) -> Any:
    lowered = [v.lower() for v in values]
    return exists().where(
        WorkTag.work_id == Work.id,
        WorkTag.kind.in_(list(kinds)),
        func.lower(WorkTag.value).in_(lowered),
    )


def _by_status(statement: Any, status: str, profile: Profile | None) -> Any:
    """Read / reading / unread for the profile; "as written" (None): by any of the account's."""
    if not status:
        return statement
    if profile is None:
        mine = (Progress.work_id == Work.id) & (Progress.account_id == Work.account_id)
    else:
        mine = (Progress.work_id == Work.id) & (Progress.profile_id == profile.id)
    if status == "read":
        return statement.where(exists().where(mine, Progress.finished.is_(True)))
    if status == "reading":
        return statement.where(exists().where(mine, Progress.finished.is_(False)))
    if status == "unread":
        return statement.where(~exists().where(mine))
    raise Invalid("status: one of read, reading, unread")


def _summary(
    row: Work, tags: list[WorkTag], analysed: bool, progress: Progress | None
) -> dict[str, Any]:
    by_kind: dict[str, list[str]] = {}
    declared: dict[str, list[str]] = {}  # what the author said, told apart from ynsert's finds
    for tag in tags:
        values = by_kind.setdefault(tag.kind, [])
        if tag.value not in values:
            values.append(tag.value)
        if tag.origin == "declared":
            declared.setdefault(tag.kind, []).append(tag.value)
    status = "unread" if progress is None else ("read" if progress.finished else "reading")
    return {
        "id": row.id,
        "title": row.title,
        "authors": row.authors,
        "summary": row.summary,
        "rating": row.rating,
        "format": row.format,
        "words": row.words,
        "chapters": len(row.chapter_titles),
        "tags": by_kind,
        "declared": declared,
        "analysed": analysed,
        "status": status,
        "chapter": progress.chapter if progress else None,
    }


def _pieces(source: Any, edits: Sequence[Any]) -> list[dict[str, Any]]:
    """Per chapter: the personalised text as pieces, each edit with its code and reason."""
    text = source.text
    chapters = []
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    index = 0
    for (start, end), chapter in zip(source.chapter_ranges(), source.chapters, strict=True):
        pieces: list[list[str]] = []
        cursor = start
        while index < len(ordered) and ordered[index].end <= end:
            edit = ordered[index]
            if edit.start < start:  # an edit across a chapter break cannot be shown in one
                index += 1
                continue
            if edit.start > cursor:
                pieces.append([text[cursor : edit.start]])
            pieces.append([edit.new, edit.code, edit.reason, edit.old])
            cursor = edit.end
            index += 1
        if cursor < end:
            pieces.append([text[cursor:end]])
        chapters.append({"title": chapter.title, "pieces": pieces})
    return chapters


def _apply_profile(row: Profile, data: dict[str, Any]) -> None:
    """Validate and copy profile fields (the reader part through ``ReaderProfile``)."""
    fields = {
        "label": str,
        "name": str,
        "pronouns": str,
        "person": str,
        "names": str,
    }
    for key, kind in fields.items():
        if key in data and data[key] is not None:
            setattr(row, key, clean_line(kind(data[key])).strip()[:200])
    if "name" in data and not data["name"]:
        row.name = None
    if "plural_verbs" in data:
        row.plural_verbs = None if data["plural_verbs"] is None else bool(data["plural_verbs"])
    if "values" in data and data["values"] is not None:
        if not isinstance(data["values"], dict):
            raise Invalid("values: must map placeholders to strings")
        row.values = _values(data["values"])
    for key in ("excluded_warnings", "excluded_tags"):
        if key in data and data[key] is not None:
            row_values = [clean_line(str(v)).strip()[:300] for v in data[key]]
            row_values = [v for v in row_values if v]
            setattr(row, key, sorted(set(row_values), key=str.lower)[:200])
    if "display" in data and data["display"] is not None:
        row.display = _display(data["display"], row.display or {})
    if "warn_at" in data:
        row.warn_at = _warn_at(data["warn_at"])
    if not (row.label or "").strip():
        raise Invalid("label: give the profile a label")
    try:
        reader_of(row)
    except YnsertError as error:
        raise Invalid(str(error)) from None


def _warn_at(value: Any) -> float | None:
    """A probability from 0.1 to 1 (a percentage from 10 to 100 is read as one), or None."""
    if value is None or value == "":
        return None
    try:
        level = float(value)
    except (TypeError, ValueError):
        raise Invalid("warn_at: a probability from 0.1 to 1, or empty for the default") from None
    level = level / 100 if level > 1 else level
    if not 0.1 <= level <= 1:
        raise Invalid("warn_at: a probability from 0.1 to 1 (10 % to 100 %)")
    return round(level, 2)


#: Placeholder keys are short ("Y/N", "H/C", "fav_color"); a longer one is a mistake or abuse.
MAX_VALUE_KEY, MAX_VALUE_TEXT, MAX_VALUES = 40, 200, 200


def _values(given: dict[Any, Any]) -> dict[str, str]:
    """A profile's placeholder values, refused (not cut) when a key or value is too long."""
    if len(given) > MAX_VALUES:
        raise Invalid(f"values: at most {MAX_VALUES} placeholders")
    values = {}
    for key, value in given.items():
        name, text = clean_line(str(key)).strip(), clean_line(str(value)).strip()
        if not name or len(name) > MAX_VALUE_KEY:
            raise Invalid(f"values: a placeholder name has 1 to {MAX_VALUE_KEY} characters")
        if len(text) > MAX_VALUE_TEXT:
            raise Invalid(f"values: {name}: at most {MAX_VALUE_TEXT} characters")
        values[name] = text
    return values


def _clean_query(query: WorkQuery) -> WorkQuery:
    """The query's words without control characters (PostgreSQL refuses U+0000)."""
    cleaned: dict[str, Any] = {}
    for key, value in vars(query).items():
        if isinstance(value, str):
            cleaned[key] = clean_line(value)
        elif isinstance(value, list):
            cleaned[key] = [clean_line(str(item)) for item in value]
    return replace(query, **cleaned)


def _display(given: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    shown = {**DISPLAY_DEFAULTS, **current}
    if given.get("theme") in THEMES:
        shown["theme"] = given["theme"]
    if given.get("font") in FONTS:
        shown["font"] = given["font"]
    for key, top in (("size", 6), ("spacing", 4), ("width", 4)):
        try:
            value = int(given.get(key, shown[key]))
        except (TypeError, ValueError):
            raise Invalid(f"display.{key}: a number from 1 to {top}") from None
        if not 1 <= value <= top:
            raise Invalid(f"display.{key}: a number from 1 to {top}")
        shown[key] = value
    return shown


__all__ = [
    "ARCHIVE_WARNINGS",
    "Busy",
    "Conflict",
    "ImportResult",
    "Invalid",
    "Library",
    "LibraryError",
    "NotFound",
    "WorkQuery",
    "display_of",
    "reader_of",
    "sample_bytes",
    "version_string",
]
