"""The JSON HTTP API under ``/api``: the Python API's verbs over the library.

Import, list/search, analyse, personalise (a stored work or a raw text), profiles, progress
and bookmarks. Work too long for one request (analysing or personalising a long work, an
import by link) is a job: the answer is 202 with the job, ``GET /api/jobs/{id}`` follows it,
and the same request again returns the result once the job is done.

Authenticate with HTTP Basic, or from a logged-in page with the session cookie plus
``X-CSRF-Token`` on unsafe methods. The schema is at ``/api/openapi.json``.

    curl -u mara:secret -F file=@story.epub http://127.0.0.1:8000/api/works
    curl -u mara:secret 'http://127.0.0.1:8000/api/works?q=kylo&exclude_warning=Major+Character+Death'
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ynsert.library import Library, WorkQuery
from ynsert.library.clean import clean_text
from ynsert.library.models import Account, Bookmark, Job, Profile, Progress
from ynsert.library.service import MAX_UPLOAD_BYTES, display_of, version_string
from ynsert.library.uploads import import_all
from ynsert.web.security import DOWNLOAD_CSP

router = APIRouter(prefix="/api", tags=["api"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not authenticated"},
    403: {"description": "Missing CSRF token"},
    404: {"description": "Not in this account"},
    422: {"description": "Invalid input"},
    429: {"description": "Too many jobs of this account are waiting"},
}
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class JobOut(BaseModel):
    """A job: ``state`` is queued, running, done, failed (``message`` says why) or cancelled."""

    id: int
    kind: str
    work_id: int | None
    state: str
    progress: float
    message: str
    ahead: int
    attempts: int
    seconds: float
    result: dict[str, Any]
    url: str = ""


class Accepted(BaseModel):
    job: JobOut


#: The answer of a request handed to a job (202, ``Location`` is the job).
LATER: dict[int | str, dict[str, Any]] = {
    202: {"model": Accepted, "description": "Handed to a job; follow it at Location"}
}


def _later(library: Library, job: Job) -> JSONResponse:
    status = library.queue.status(job.id)
    return JSONResponse(
        {"job": status}, status_code=202, headers={"Location": f"/api/jobs/{job.id}"}
    )


def _account(request: Request) -> Account:
    account: Account = request.app.state.auth.account(request)
    return account


def _library(request: Request) -> Library:
    library: Library = request.app.state.library
    return library


Me = Annotated[Account, Depends(_account)]
Lib = Annotated[Library, Depends(_library)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
WorkId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ProfileId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BookmarkId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkOut(BaseModel):
    id: int
    title: str
    authors: list[str]
    summary: str
    rating: str
    format: str
    words: int
    chapters: int
    tags: dict[str, list[str]] = {}
    #: The part of ``tags`` the work's author declared (the rest ynsert found in the text).
    declared: dict[str, list[str]] = {}
    analysed: bool = False
    status: str = "unread"
    chapter: int | None = None


class ImportOut(BaseModel):
    work: WorkOut
    duplicate: bool


class LinkImport(Strict):
    url: str = Field(max_length=500, description="https://archiveofourown.org/works/ID")


class TextImport(Strict):
    text: str = Field(min_length=1, max_length=MAX_UPLOAD_BYTES)
    filename: str = Field(default="pasted.txt", max_length=300)
    format: Literal["txt", "md", "html"] | None = None


#: Placeholder names ("Y/N", "fav_color") are short; the library refuses longer ones too.
ValueKey = Annotated[str, Field(min_length=1, max_length=40)]
Values = dict[ValueKey, Annotated[str, Field(max_length=200)]]
Person = Literal["first", "second", "third"]


class ReaderIn(Strict):
    """A reader profile as plain data (the same fields as a profile TOML file)."""

    name: str | None = Field(default=None, max_length=200)
    pronouns: str = Field(default="she", max_length=200)
    plural_verbs: bool | None = None
    to: Literal["first", "second", "third"] = "third"
    names: Literal["first", "smart", "none"] = "smart"
    values: Values = Field(default={}, max_length=200)


class Display(Strict):
    theme: Literal["light", "sepia", "dark"] = "light"
    font: Literal["serif", "sans", "mono", "dyslexic"] = "serif"
    size: int = Field(default=3, ge=1, le=6)
    spacing: int = Field(default=2, ge=1, le=4)
    width: int = Field(default=2, ge=1, le=4)


class ProfileIn(Strict):
    label: str = Field(min_length=1, max_length=100)
    name: str | None = Field(default=None, max_length=200)
    pronouns: str = Field(default="she", max_length=200)
    plural_verbs: bool | None = None
    #: The person to tell the story in: ``to``, as in ``/api/personalise`` and profile files.
    to: Person | None = None
    person: Person | None = Field(
        default=None,
        description="Deprecated: the older name of `to` (still accepted).",
        json_schema_extra={"deprecated": True},
    )
    names: Literal["first", "smart", "none"] = "smart"
    values: Values = Field(default={}, max_length=200)
    excluded_warnings: list[Annotated[str, Field(max_length=300)]] = Field(
        default=[], max_length=200
    )
    excluded_tags: list[Annotated[str, Field(max_length=300)]] = Field(default=[], max_length=200)
    #: from which probability a detected archive warning hides or flags a work (None: default)
    warn_at: float | None = Field(default=None, ge=0.1, le=1.0)
    display: Display | None = None

    @model_validator(mode="after")
    def _one_person(self) -> ProfileIn:
        if self.to and self.person and self.to != self.person:
            raise ValueError("give `to` (or the deprecated `person`), not both with other values")
        return self

    def data(self) -> dict[str, Any]:
        """The library's fields: ``person`` is the stored column's name."""
        fields = self.model_dump(exclude={"to"})
        fields["person"] = self.to or self.person or "third"
        return fields


class ProfileOut(BaseModel):
    id: int
    label: str
    name: str | None
    pronouns: str
    plural_verbs: bool | None
    to: str
    person: str = Field(description="Deprecated: the same as `to`.")
    names: str
    values: dict[str, str]
    excluded_warnings: list[str]
    excluded_tags: list[str]
    warn_at: float | None
    display: dict[str, Any]


class PersonaliseIn(Strict):
    profile_id: Id | None = None
    profile: ReaderIn | None = None


class TextPersonaliseIn(Strict):
    text: str = Field(min_length=1, max_length=MAX_UPLOAD_BYTES)
    profile: ReaderIn = ReaderIn()


class PersonalisedOut(BaseModel):
    text: str
    edits: list[dict[str, Any]]
    notes: list[str]
    format: str | None = None


class ProgressIn(Strict):
    profile_id: Id
    chapter: int = Field(ge=0, le=100_000)
    position: float = Field(default=0.0, ge=0.0, le=1.0)
    finished: bool | None = None


class ProgressOut(BaseModel):
    work_id: WorkId
    profile_id: int
    chapter: int
    position: float
    finished: bool


class BookmarkIn(Strict):
    profile_id: Id
    chapter: int = Field(default=0, ge=0, le=100_000)
    position: float = Field(default=0.0, ge=0.0, le=1.0)
    note: str = Field(default="", max_length=500)


class BookmarkOut(BaseModel):
    id: int
    work_id: WorkId
    profile_id: int
    chapter: int
    position: float
    note: str


def _profile_out(row: Profile) -> ProfileOut:
    return ProfileOut(
        id=row.id,
        label=row.label,
        name=row.name,
        pronouns=row.pronouns,
        plural_verbs=row.plural_verbs,
        to=row.person,
        person=row.person,
        names=row.names,
        values=dict(row.values or {}),
        excluded_warnings=list(row.excluded_warnings or []),
        warn_at=row.warn_at,
        excluded_tags=list(row.excluded_tags or []),
        display=display_of(row),
    )


def _progress_out(row: Progress) -> ProgressOut:
    return ProgressOut(
        work_id=row.work_id,
        profile_id=row.profile_id,
        chapter=row.chapter,
        position=row.position,
        finished=row.finished,
    )


def _bookmark_out(row: Bookmark) -> BookmarkOut:
    return BookmarkOut(
        id=row.id,
        work_id=row.work_id,
        profile_id=row.profile_id,
        chapter=row.chapter,
        position=row.position,
        note=row.note,
    )


def _work_out(library: Library, account_id: int, work_id: int) -> WorkOut:
    for summary in library.list_works(account_id, WorkQuery(limit=500)):
        if summary["id"] == work_id:
            return WorkOut(**summary)
    row = library.work(account_id, work_id)  # NotFound for another account's id
    return WorkOut(
        id=row.id,
        title=row.title,
        authors=row.authors,
        summary=row.summary,
        rating=row.rating,
        format=row.format,
        words=row.words,
        chapters=len(row.chapter_titles),
    )


@router.get("/version", responses=ERRORS)
def version() -> dict[str, Any]:
    """The engine version stored analyses are stamped with."""
    import json

    return {"version": json.loads(version_string())}


@router.post("/works", status_code=201, responses=ERRORS)
def import_file(me: Me, library: Lib, file: Annotated[UploadFile, File()]) -> ImportOut:
    """Import an uploaded txt, md, html or epub file (a duplicate returns the stored work)."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    result = library.import_work(me.id, data, file.filename or None)
    if not result.duplicate:
        library.analyse_soon(me.id, result.work.id)
    return ImportOut(work=_work_out(library, me.id, result.work.id), duplicate=result.duplicate)


class ManyOut(BaseModel):
    """One uploaded file (or zip member): the work it became, or why it did not."""

    name: str
    work: WorkOut | None = None
    duplicate: bool = False
    error: str | None = None


@router.post("/works/many", responses=ERRORS)
def import_files(me: Me, library: Lib, files: Annotated[list[UploadFile], File()]) -> list[ManyOut]:
    """Import several files at once; a ``.zip`` adds each story file in it (up to 100 works)."""
    given = [(f.filename or "upload", f.file.read(MAX_UPLOAD_BYTES + 1)) for f in files]
    return [
        ManyOut(
            name=r.name,
            work=_work_out(library, me.id, r.work_id) if r.work_id else None,
            duplicate=r.duplicate,
            error=r.error,
        )
        for r in import_all(library, me.id, given)
    ]


@router.post("/works/text", status_code=201, responses=ERRORS)
def import_text(me: Me, library: Lib, body: TextImport) -> ImportOut:
    """Import pasted text (or HTML / Markdown given as text)."""
    text = clean_text(body.text)  # pasted text: control characters are noise, not a story
    result = library.import_work(me.id, text.encode(), body.filename, body.format)
    if not result.duplicate:
        library.analyse_soon(me.id, result.work.id)
    return ImportOut(work=_work_out(library, me.id, result.work.id), duplicate=result.duplicate)


@router.get("/works", responses=ERRORS)
def list_works(
    me: Me,
    library: Lib,
    q: Annotated[str, Query(max_length=200)] = "",
    warning: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    exclude_warning: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    exclude_tag: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    fandom: Annotated[str, Query(max_length=300)] = "",
    relationship: Annotated[str, Query(max_length=300)] = "",
    person: Annotated[str, Query(max_length=20)] = "",
    reader_gender: Annotated[str, Query(max_length=40)] = "",
    rating: Annotated[str, Query(max_length=100)] = "",
    min_words: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    max_words: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    status: Literal["", "read", "reading", "unread"] = "",
    profile_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    sort: Literal["added", "title", "words"] = "added",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
) -> list[WorkOut]:
    """List and search the library; ``exclude_*`` hide works, a profile adds its saved hides."""
    if profile_id is not None:
        library.profile(me.id, profile_id)
    query = WorkQuery(
        q=q,
        warnings=warning,
        exclude_warnings=exclude_warning,
        exclude_tags=exclude_tag,
        fandom=fandom,
        relationship=relationship,
        person=person,
        reader_gender=reader_gender,
        rating=rating,
        min_words=min_words,
        max_words=max_words,
        status=status,
        profile_id=profile_id,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return [WorkOut(**w) for w in library.list_works(me.id, query)]


@router.get("/works/{work_id}", responses=ERRORS)
def get_work(me: Me, library: Lib, work_id: WorkId) -> WorkOut:
    return _work_out(library, me.id, work_id)


@router.delete("/works/{work_id}", status_code=204, responses=ERRORS)
def delete_work(me: Me, library: Lib, work_id: WorkId) -> Response:
    library.delete_work(me.id, work_id)
    return Response(status_code=204)


@router.post("/works/link", status_code=202, responses=ERRORS)
def import_link(me: Me, library: Lib, body: LinkImport) -> Accepted:
    """Import an AO3 work by its address (a job: fetching takes a while)."""
    from ynsert.library.links import work_url

    job = library.enqueue("import_url", me.id, payload={"url": work_url(body.url)})
    return Accepted(job=JobOut(**library.queue.status(job.id)))


@router.get("/jobs/{job_id}", responses=ERRORS)
def job(me: Me, library: Lib, job_id: JobId) -> JobOut:
    """A job's state and progress; a failed job's ``message`` is its one-line reason."""
    return JobOut(**library.job(me.id, job_id))


@router.delete("/jobs/{job_id}", status_code=204, responses=ERRORS)
def cancel_job(me: Me, library: Lib, job_id: JobId) -> Response:
    """Stop a waiting or running job (its worker stops it within seconds)."""
    library.job(me.id, job_id)
    library.queue.cancel(job_id)
    return Response(status_code=204)


@router.get("/works/{work_id}/analysis", responses={**ERRORS, **LATER})
def analysis(me: Me, library: Lib, work_id: WorkId) -> Any:
    """The stored analysis (warnings with evidence, cast, person, tense …); fresh if stale.

    A long work not analysed yet: 202 and the job that analyses it."""
    found = library.analysis_or_job(me.id, work_id)
    return _later(library, found) if isinstance(found, Job) else found


@router.post(
    "/works/{work_id}/personalise",
    responses={**ERRORS, **LATER},
    response_model=PersonalisedOut,
)
def personalise_work(me: Me, library: Lib, work_id: WorkId, body: PersonaliseIn) -> Any:
    """The work told for a stored profile (``profile_id``); no profile: placeholders only.

    A long work not personalised for these settings yet: 202 and the job that does it."""
    reading = library.reading(me.id, work_id, body.profile_id)
    if reading.rendition is None:
        assert reading.job is not None
        return _later(library, reading.job)
    rendition = reading.rendition
    chapters = ["".join(str(p[0]) for p in c["pieces"]) for c in rendition["chapters"]]
    edits = [
        {"chapter": i, "new": p[0], "code": p[1], "reason": p[2], "old": p[3]}
        for i, c in enumerate(rendition["chapters"])
        for p in c["pieces"]
        if len(p) > 1
    ]
    return PersonalisedOut(text="\n\n\n".join(chapters), edits=edits, notes=rendition["notes"])


@router.get("/works/{work_id}/download", responses={**ERRORS, **LATER})
def download(
    me: Me,
    library: Lib,
    work_id: WorkId,
    profile_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    format: Literal["epub", "html", "md", "txt"] = "epub",
) -> Response:
    """The personalised file (EPUB, HTML, Markdown or text); a long work's first: 202, a job."""
    found = library.download_or_job(me.id, work_id, profile_id, format)
    if isinstance(found, Job):
        return _later(library, found)
    data, name, media = found
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": DOWNLOAD_CSP,
        },
    )


@router.post("/personalise", responses=ERRORS)
def personalise_text(me: Me, library: Lib, body: TextPersonaliseIn) -> PersonalisedOut:
    """Personalise a raw text with a profile given inline (nothing is stored)."""
    result = library.personalise_text(body.text, body.profile.model_dump())
    return PersonalisedOut(**result)


@router.get("/profiles", responses=ERRORS)
def list_profiles(me: Me, library: Lib) -> list[ProfileOut]:
    return [_profile_out(p) for p in library.profiles(me.id)]


@router.post("/profiles", status_code=201, responses=ERRORS)
def create_profile(me: Me, library: Lib, body: ProfileIn, response: Response) -> ProfileOut:
    """A new profile; ``to`` is the person to tell stories in (``person`` is deprecated)."""
    _deprecation(body, response)
    return _profile_out(library.create_profile(me.id, body.data()))


@router.get("/profiles/{profile_id}", responses=ERRORS)
def get_profile(me: Me, library: Lib, profile_id: ProfileId) -> ProfileOut:
    return _profile_out(library.profile(me.id, profile_id))


@router.put("/profiles/{profile_id}", responses=ERRORS)
def update_profile(
    me: Me, library: Lib, profile_id: ProfileId, body: ProfileIn, response: Response
) -> ProfileOut:
    _deprecation(body, response)
    return _profile_out(library.update_profile(me.id, profile_id, body.data()))


def _deprecation(body: ProfileIn, response: Response) -> None:
    """Tell clients still sending ``person`` (RFC 9745's header plus a readable warning)."""
    if body.person is not None:
        response.headers["Deprecation"] = "true"
        response.headers["Warning"] = '299 - "person is deprecated: send to (same values)"'


@router.delete("/profiles/{profile_id}", status_code=204, responses=ERRORS)
def delete_profile(me: Me, library: Lib, profile_id: ProfileId) -> Response:
    library.delete_profile(me.id, profile_id)
    return Response(status_code=204)


@router.get("/works/{work_id}/progress", responses=ERRORS)
def get_progress(
    me: Me, library: Lib, work_id: WorkId, profile_id: Annotated[int, Query(ge=1, le=2**31 - 1)]
) -> ProgressOut | None:
    """Where the profile left this work (null when never opened)."""
    row = library.progress(me.id, profile_id, work_id)
    return _progress_out(row) if row else None


@router.put("/works/{work_id}/progress", responses=ERRORS)
def put_progress(me: Me, library: Lib, work_id: WorkId, body: ProgressIn) -> ProgressOut:
    row = library.save_progress(
        me.id, body.profile_id, work_id, body.chapter, body.position, body.finished
    )
    return _progress_out(row)


@router.get("/works/{work_id}/bookmarks", responses=ERRORS)
def list_bookmarks(me: Me, library: Lib, work_id: WorkId) -> list[BookmarkOut]:
    return [_bookmark_out(b) for b in library.bookmarks(me.id, work_id)]


@router.post("/works/{work_id}/bookmarks", status_code=201, responses=ERRORS)
def add_bookmark(me: Me, library: Lib, work_id: WorkId, body: BookmarkIn) -> BookmarkOut:
    row = library.add_bookmark(
        me.id, body.profile_id, work_id, body.chapter, body.position, body.note
    )
    return _bookmark_out(row)


@router.delete("/bookmarks/{bookmark_id}", status_code=204, responses=ERRORS)
def delete_bookmark(me: Me, library: Lib, bookmark_id: BookmarkId) -> Response:
    library.delete_bookmark(me.id, bookmark_id)
    return Response(status_code=204)
