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

import hashlib
import json
import queue
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ynsert import api
from ynsert.errors import InputError, YnsertError
from ynsert.library import search
from ynsert.library.db import open_database
from ynsert.library.models import (
    Account,
    Analysis,
    Bookmark,
    LoginSession,
    Profile,
    Progress,
    Rendition,
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
_AO3_ID = re.compile(r"archiveofourown\.org/works/(\d+)")
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")


class LibraryError(YnsertError):
    """A request the library cannot carry out (the web layer maps these to 4xx)."""

    status = 400


class NotFound(LibraryError):
    status = 404


class Conflict(LibraryError):
    status = 409


class Invalid(LibraryError):
    status = 422


@dataclass
class ImportResult:
    work: Work
    duplicate: bool


@dataclass
class Reading:
    """A work opened for reading: the row, the profile, the rendition and where they were."""

    work: Work
    profile: Profile | None
    key: str
    rendition: dict[str, Any]
    progress: Progress | None


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
    ) -> None:
        self.engine = url if isinstance(url, Engine) else open_database(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.seed = seed
        self.hasher = hasher or PasswordHasher()
        self._locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._jobs = Analyser(self)
        self._version = version_string()
        self._renditions: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def close(self) -> None:
        self._jobs.stop()
        self.engine.dispose()

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
            self._index(session, row, work.text)
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
        query = query or WorkQuery()
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
        if profile is not None and query.apply_profile:
            hidden_warnings += profile.excluded_warnings or []
            hidden_tags += profile.excluded_tags or []
        if hidden_warnings:
            statement = statement.where(~_has_tag(["warning"], hidden_warnings))
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
            statement = statement.where(_has_tag(["warning"], [warning]))
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
        for tag in session.scalars(select(WorkTag).where(WorkTag.work_id.in_(ids))):
            tags[tag.work_id].append(tag)
        analysed = set(session.scalars(select(Analysis.work_id).where(Analysis.work_id.in_(ids))))
        progress: dict[int, Progress] = {}
        if profile is not None:
            for p in session.scalars(
                select(Progress).where(Progress.profile_id == profile.id, Progress.work_id.in_(ids))
            ):
                progress[p.work_id] = p
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

    def analyse_later(self, account_id: int, work_id: int) -> Future[dict[str, Any]]:
        """Analyse in the background (one at a time), e.g. right after an import."""
        return self._jobs.submit(account_id, work_id)

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

        Cached per work, reader settings and engine version, so a second reading is a lookup.
        """
        return self.reading(account_id, work_id, profile_id).rendition

    def reading(
        self, account_id: int, work_id: int, profile_id: int | None, character: str | None = None
    ) -> Reading:
        """Everything the reading view needs, in one database session on the cached path.

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
            reader = reader_of(profile) if profile else api.ReaderProfile(to="second")
            if character:
                to = "second" if reader.to == "third" and not reader.name else reader.to
                reader = reader.merged(character=character, to=to)
            key = hashlib.sha256((reader.model_dump_json() + self._version).encode()).hexdigest()
            key = f"{work_id}:{key}"
            progress = None
            if profile is not None:
                progress = session.scalar(
                    select(Progress).where(
                        Progress.profile_id == profile.id, Progress.work_id == work_id
                    )
                )
            data = self._renditions.get(key)
            if data is None:
                data = session.scalar(
                    select(Rendition.data).where(
                        Rendition.work_id == work_id, Rendition.key == key.split(":")[1]
                    )
                )
        if data is None:
            data = self._personalise(row, reader, key.split(":")[1])
        self._remember(key, data)
        return Reading(row, profile, key, data, progress)

    def _personalise(self, row: Work, reader: api.ReaderProfile, key: str) -> dict[str, Any]:
        source = self._open(row)
        result = api.personalise(source, reader, force=True)
        data = {
            "chapters": _pieces(source, result.edits),
            "notes": list(result.notes),
            "edits": len(result.edits),
        }
        try:
            with self.sessions.begin() as session:
                session.add(Rendition(work_id=row.id, key=key, data=data))
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
        """(bytes, file name, media type) of the work personalised for the profile."""
        if format not in DOWNLOAD_TYPES:
            raise Invalid(f"unknown format {format!r}; use one of: {', '.join(DOWNLOAD_TYPES)}")
        row = self.work(account_id, work_id)
        reader = self._reader(account_id, profile_id)
        result = api.personalise(self._open(row), reader, format=format, force=True)
        name = _slug(row.title or row.filename or f"work-{row.id}")
        return result.data, f"{name}.{format}", DOWNLOAD_TYPES[format]

    @staticmethod
    def personalise_text(text: str, profile: dict[str, Any]) -> dict[str, Any]:
        """Personalise raw text with a profile given as plain data (no library involved)."""
        data = text.encode("utf-8")
        if len(data) > MAX_UPLOAD_BYTES:
            raise InputError(f"larger than {MAX_UPLOAD_BYTES // 2**20} MB, refused")
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
        with self.sessions.begin() as session:
            row = session.scalar(
                select(Progress).where(
                    Progress.profile_id == profile_id, Progress.work_id == work_id
                )
            )
            if row is None:
                row = Progress(account_id=account_id, profile_id=profile_id, work_id=work_id)
                session.add(row)
            row.chapter, row.position, row.finished = chapter, position, finished
            row.updated = datetime.now(UTC)
        return row

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
            note=(note or "")[:500],
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


class Analyser:
    """One background thread analysing works after import, one at a time.

    A daemon thread, so stopping the server never waits for a long analysis: an analysis cut
    short is simply not stored, and the work page starts it again.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self.jobs: queue.Queue[tuple[int, int, Future[dict[str, Any]]] | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, account_id: int, work_id: int) -> Future[dict[str, Any]]:
        future: Future[dict[str, Any]] = Future()
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="ynsert-analyse", daemon=True)
                self.thread.start()
        self.jobs.put((account_id, work_id, future))
        return future

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            account_id, work_id, future = job
            try:
                future.set_result(self.library.analysis(account_id, work_id))
            except BaseException as error:  # the work was deleted meanwhile, or worse
                future.set_exception(error)

    def stop(self) -> None:
        self.jobs.put(None)


# -- helpers -------------------------------------------------------------------------------


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
        title=(meta.title or stem or "Untitled")[:500],
        authors=list(meta.authors),
        summary=meta.summary,
        rating=meta.rating[:100],
        format=work.format,
        filename=(filename or "")[:300],
        sha256=digest,
        ao3_id=ao3_id,
        words=len(work.text.split()),
        metadata_json=asdict(meta),
        chapter_titles=[c.title for c in work.chapters],
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
    return [WorkTag(work_id=work_id, kind=k, value=v[:300], origin="declared") for k, v in pairs]


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
        if item.get("name"):
            pairs.add((kind, str(item["name"])))
    content = data.get("content") or {}
    for key, kind in (("archive", "warning"), ("triggers", "trigger")):
        pairs.update((kind, str(i["name"])) for i in content.get(key) or [] if i.get("name"))
    narration = data.get("narration") or {}
    for key, kind in (("person", "person"), ("tense", "tense")):
        if isinstance(narration.get(key), str) and narration[key]:
            pairs.add((kind, narration[key]))
    gender = data.get("reader_gender") or {}
    for key in ("verdict", "gender", "label"):
        if isinstance(gender.get(key), str) and gender[key]:
            pairs.add(("reader_gender", gender[key]))
            break
    return [
        WorkTag(work_id=work_id, kind=k, value=v[:300], origin="detected") for k, v in sorted(pairs)
    ]


def _tag_text(row: Work) -> str:
    meta = row.metadata_json or {}
    parts: list[str] = [row.rating]
    for key in ("warnings", "categories", "fandoms", "relationships", "characters", "tags"):
        parts += meta.get(key) or []
    parts += row.authors or []
    # "Keeper/Reader" is one token (a file path) to PostgreSQL's parser: index both names.
    return re.sub(r"[/&]", " ", " | ".join(p for p in parts if p))


def _has_tag(kinds: Iterable[str], values: Iterable[str]) -> Any:
    lowered = [v.lower() for v in values]
    return exists().where(
        WorkTag.work_id == Work.id,
        WorkTag.kind.in_(list(kinds)),
        func.lower(WorkTag.value).in_(lowered),
    )


def _by_status(statement: Any, status: str, profile: Profile | None) -> Any:
    if not status or profile is None:
        return statement
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
    for tag in tags:
        values = by_kind.setdefault(tag.kind, [])
        if tag.value not in values:
            values.append(tag.value)
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
            setattr(row, key, kind(data[key])[:200])
    if "name" in data and not data["name"]:
        row.name = None
    if "plural_verbs" in data:
        row.plural_verbs = None if data["plural_verbs"] is None else bool(data["plural_verbs"])
    if "values" in data and data["values"] is not None:
        if not isinstance(data["values"], dict):
            raise Invalid("values: must map placeholders to strings")
        row.values = {str(k)[:40]: str(v)[:200] for k, v in list(data["values"].items())[:200]}
    for key in ("excluded_warnings", "excluded_tags"):
        if key in data and data[key] is not None:
            row_values = [str(v).strip()[:300] for v in data[key] if str(v).strip()]
            setattr(row, key, sorted(set(row_values), key=str.lower)[:200])
    if "display" in data and data["display"] is not None:
        row.display = _display(data["display"], row.display or {})
    if not (row.label or "").strip():
        raise Invalid("label: give the profile a label")
    try:
        reader_of(row)
    except YnsertError as error:
        raise Invalid(str(error)) from None


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
