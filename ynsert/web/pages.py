"""The server-rendered pages: log in, library, import, work page, reading view, profiles.

Every page works without JavaScript (plain links and forms); ``static/app.js`` adds keyboard
shortcuts, the change-highlight toggle without a reload, and saving the scroll position.
Every form carries the session's CSRF token; anonymous forms (log in, sign up) a
double-submit cookie token.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ynsert import api
from ynsert.errors import YnsertError
from ynsert.library import Library, LibraryError, NotFound, WorkQuery
from ynsert.library.clean import clean_line, clean_text
from ynsert.library.models import Account, Job, Profile
from ynsert.library.service import (
    ARCHIVE_WARNINGS,
    FONTS,
    MAX_UPLOAD_BYTES,
    NAMING,
    PERSONS,
    THEMES,
    display_of,
)
from ynsert.library.uploads import import_all, is_zip
from ynsert.web.render import chapter_html
from ynsert.web.security import (
    DOWNLOAD_CSP,
    SESSION_COOKIE,
    check_csrf,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
PROFILE_COOKIE = "ynsert_profile"
ANON_CSRF_COOKIE = "ynsert_csrf"
#: A guest's own name and pronouns for a shared library, kept in their browser only.
GUEST_COOKIE = "ynsert_guest"
#: Rendered chapters kept per process (a chapter is tens of KB of HTML).
CHAPTERS_IN_MEMORY = 256

FormStr = Annotated[str, Form()]
Csrf = Annotated[str, Form(max_length=200)]


def _library(request: Request) -> Library:
    library: Library = request.app.state.library
    return library


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status)
    return response


def _user(request: Request) -> tuple[Account, str]:
    """The logged-in account and its CSRF token, or a redirect to the login page."""
    found = request.app.state.auth.session(request)
    if found is None:
        target = "/login?" + urlencode({"next": _local(str(request.url.path))})
        raise HTTPException(303, "log in first", {"Location": target})
    account: Account
    csrf: str
    account, csrf = found
    return account, csrf


def _posting(request: Request, csrf: str) -> Account:
    account, expected = _user(request)
    check_csrf(csrf, expected)
    return account


def _local(target: str | None) -> str:
    """Only same-site paths as redirect targets (no ``//host`` or ``https:`` tricks)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _redirect(target: str) -> RedirectResponse:
    return RedirectResponse(_local(target), status_code=303)


def _chosen_profile(
    request: Request, account: Account, asked: int | None, profiles: list[Profile]
) -> Profile | None:
    """The profile asked for, else the one last used on this device, else the first."""
    by_id = {p.id: p for p in profiles}
    if asked is not None:
        if asked == 0:
            return None  # "as written"
        if asked not in by_id:
            raise NotFound(f"no profile {asked} in this account")
        return by_id[asked]
    remembered = request.cookies.get(PROFILE_COOKIE, "")
    if remembered.isdigit() and int(remembered) in by_id:
        return by_id[int(remembered)]
    if remembered == "0":
        return None
    return profiles[0] if profiles else None


def _remember(response: Response, profile: Profile | None) -> Response:
    value = str(profile.id) if profile else "0"
    response.set_cookie(PROFILE_COOKIE, value, httponly=True, samesite="lax", max_age=31536000)
    return response


# -- accounts --------------------------------------------------------------------------------


def _anonymous_form(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    token = request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = _render(request, name, status, csrf=token, **context)
    response.set_cookie(ANON_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


def _check_anonymous(request: Request, csrf: str) -> None:
    check_csrf(csrf, request.cookies.get(ANON_CSRF_COOKIE, ""))


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _anonymous_form(request, "login.html", next=_local(next))


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Csrf,
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    _check_anonymous(request, csrf)
    try:
        account = request.app.state.auth.login(request, username, password)
    except HTTPException as error:
        return _anonymous_form(
            request, "login.html", error.status_code, error=error.detail, next=_local(next)
        )
    return _logged_in(request, account, next)


def _logged_in(request: Request, account: Account, target: str) -> Response:
    token, _ = _library(request).start_session(account.id)
    response = _redirect(target)
    set_session_cookie(response, token, secure=request.url.scheme == "https")
    response.delete_cookie(PROFILE_COOKIE)
    return response


@router.get("/register")
def register_page(request: Request) -> Response:
    return _anonymous_form(request, "register.html")


@router.post("/register")
def register(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Csrf,
) -> Response:
    _check_anonymous(request, csrf)
    try:
        account = _library(request).create_account(username, password)
    except LibraryError as error:
        return _anonymous_form(
            request, "register.html", error.status, error=str(error), username=username
        )
    return _logged_in(request, account, "/profiles?welcome=1")


@router.post("/logout")
def logout(request: Request, csrf: Csrf) -> Response:
    _posting(request, csrf)
    _library(request).end_session(request.cookies.get(SESSION_COOKIE, ""))
    response = _redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


# -- library ---------------------------------------------------------------------------------


@router.get("/")
def library_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    warning: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    exclude: Annotated[list[str], Query()] = [],  # noqa: B006
    exclude_tag: Annotated[list[str], Query()] = [],  # noqa: B006
    fandom: str = "",
    relationship: str = "",
    person: str = "",
    reader_gender: str = "",
    rating: str = "",
    trigger: str = "",
    min_words: Annotated[str, Query(max_length=20)] = "",
    max_words: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(pattern="^(|read|reading|unread)$")] = "",
    sort: Annotated[str, Query(pattern="^(added|title|words)$")] = "added",
    profile: int | None = None,
    show_hidden: bool = False,
) -> Response:
    account, csrf = _user(request)
    library = _library(request)
    profiles = library.profiles(account.id)
    chosen = _chosen_profile(request, account, profile, profiles)
    query = WorkQuery(
        q=q,
        warnings=warning,
        exclude_warnings=exclude,
        exclude_tags=exclude_tag,
        fandom=fandom,
        relationship=relationship,
        person=person,
        reader_gender=reader_gender,
        rating=rating,
        trigger=trigger,
        min_words=_count("min_words", min_words),
        max_words=_count("max_words", max_words),
        status=status,
        profile_id=chosen.id if chosen else None,
        apply_profile=not show_hidden,
        sort=sort,
    )
    works = library.list_works(account.id, query)
    everything = len(library.list_works(account.id, WorkQuery(limit=500)))
    response = _render(
        request,
        "library.html",
        account=account,
        csrf=csrf,
        works=works,
        hidden=everything - len(works) if not any([q, warning, fandom, relationship]) else 0,
        total=everything,
        facets=library.facets(account.id),
        archive_warnings=ARCHIVE_WARNINGS,
        profiles=profiles,
        profile=chosen,
        query=query,
        show_hidden=show_hidden,
    )
    return _remember(response, chosen)


def _count(field: str, given: str) -> int | None:
    """A word-count box: empty (the form always sends it) means no bound."""
    given = given.strip().replace(",", "")
    if not given:
        return None
    if not (given.isascii() and given.isdigit()) or len(given) > 9:
        raise HTTPException(422, f"{field}: a whole number of words, or leave it empty")
    return int(given)


@router.post("/profiles/{profile_id}/hide")
def save_hidden(
    request: Request,
    profile_id: int,
    csrf: Csrf,
    warnings: Annotated[list[str], Form()] = [],  # noqa: B006
    tags: Annotated[str, Form(max_length=5000)] = "",
    warn_at: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    account = _posting(request, csrf)
    excluded_tags = [t.strip() for t in tags.replace("\n", ",").split(",") if t.strip()]
    _library(request).update_profile(
        account.id,
        profile_id,
        {"excluded_warnings": warnings, "excluded_tags": excluded_tags, "warn_at": warn_at},
    )
    return _redirect(f"/?profile={profile_id}")


# -- import ----------------------------------------------------------------------------------


@router.get("/import")
def import_page(request: Request) -> Response:
    account, csrf = _user(request)
    return _render(
        request, "import.html", account=account, csrf=csrf, limit=MAX_UPLOAD_BYTES // 2**20
    )


@router.post("/import")
def import_work(
    request: Request,
    csrf: Csrf,
    file: Annotated[list[UploadFile] | None, File()] = None,
    text: Annotated[str, Form(max_length=MAX_UPLOAD_BYTES)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    account, token = _user(request)
    check_csrf(csrf, token)
    library = _library(request)
    chosen = [f for f in file or [] if f.filename]
    if len(chosen) > 1 or (chosen and is_zip(chosen[0].filename or "")):
        files = [(f.filename or "", f.file.read(MAX_UPLOAD_BYTES + 1)) for f in chosen]
        results = import_all(library, account.id, files)
        status = 200 if any(r.work_id for r in results) else 422
        return _render(
            request,
            "import.html",
            status,
            account=account,
            csrf=token,
            limit=MAX_UPLOAD_BYTES // 2**20,
            results=results,
        )
    if chosen:
        data = chosen[0].file.read(MAX_UPLOAD_BYTES + 1)
        name = chosen[0].filename or ""
    elif text.strip():
        title, text = clean_line(title).strip(), clean_text(text)  # pasted: controls are noise
        data = (f"Title: {title}\n\n" if title else "").encode() + text.encode()
        name = "pasted.txt"
    else:
        return _render(
            request,
            "import.html",
            422,
            account=account,
            csrf=token,
            limit=MAX_UPLOAD_BYTES // 2**20,
            error="choose a file or paste a story",
        )
    try:
        result = library.import_work(account.id, data, name)
    except YnsertError as error:  # not a story file, too large, undecodable …
        return _render(
            request,
            "import.html",
            422,
            account=account,
            csrf=token,
            limit=MAX_UPLOAD_BYTES // 2**20,
            error=f"{name}: {error}",
        )
    if not result.duplicate:
        library.analyse_soon(account.id, result.work.id)
    suffix = "?duplicate=1" if result.duplicate else ""
    return _redirect(f"/works/{result.work.id}{suffix}")


@router.post("/import/link")
def import_link(
    request: Request, csrf: Csrf, url: Annotated[str, Form(max_length=500)]
) -> Response:
    """Import an AO3 work by its address: a job fetches it; its page shows the progress."""
    from ynsert.library.links import work_url

    account = _posting(request, csrf)
    job = _library(request).enqueue("import_url", account.id, payload={"url": work_url(url)})
    return _redirect(f"/imports/{job.id}")


@router.get("/imports/{job_id}")
def importing(request: Request, job_id: int) -> Response:
    account, csrf = _user(request)
    job = _library(request).job(account.id, job_id)
    if job["state"] == "done":
        suffix = "?duplicate=1" if job["result"].get("duplicate") else ""
        return _redirect(f"/works/{job['result']['work_id']}{suffix}")
    return _render(
        request,
        "importing.html",
        account=account,
        csrf=csrf,
        job=job,
        url=job.get("url", ""),
        what=_what(job),
        poll=f"/jobs/{job_id}?next=/imports/{job_id}",
        done=f"/imports/{job_id}",
    )


# -- work page -------------------------------------------------------------------------------


@router.get("/works/{work_id}")
def work_page(
    request: Request, work_id: int, profile: int | None = None, duplicate: bool = False
) -> Response:
    account, csrf = _user(request)
    library = _library(request)
    work = library.work(account.id, work_id)
    profiles = library.profiles(account.id)
    chosen = _chosen_profile(request, account, profile, profiles)
    found = library.analysis_or_job(account.id, work_id)
    analysis, job = (None, found) if isinstance(found, Job) else (found, None)
    progress = library.progress(account.id, chosen.id, work_id) if chosen else None
    response = _render(
        request,
        "work.html",
        account=account,
        csrf=csrf,
        work=work,
        meta=work.metadata_json,
        analysis=analysis,
        profiles=profiles,
        profile=chosen,
        progress=progress,
        duplicate=duplicate,
        bookmarks=library.bookmarks(account.id, work_id),
        excluded=_excluded(chosen, work.metadata_json, analysis),
        work_id=work_id,
        job=library.job(account.id, job.id) if job else None,
        **_warnings_shown(analysis, chosen.warn_at if chosen else None),
    )
    return _remember(response, chosen)


def _warnings_shown(analysis: Any, warn_at: float | None) -> dict[str, Any]:
    """What the work page lists: warnings that count for this reader, and the ones assessed
    below their level ("possible"), each with its probability and evidence."""
    if not analysis:
        return {"warnings": [], "possible": []}
    counted = flagged(analysis, warn_at)
    names = {w["name"] for w in counted}
    assessed = (analysis.get("content") or {}).get("assessed") or []
    return {"warnings": counted, "possible": [w for w in assessed if w["name"] not in names]}


def flagged(analysis: dict[str, Any], warn_at: float | None) -> list[dict[str, Any]]:
    """The archive warnings that count for this reader: from their level up, or at each
    warning's default level (the analysis's own ``archive``) when they chose none."""
    content = analysis.get("content") or {}
    if warn_at is None:
        return list(content.get("archive") or [])
    return [w for w in content.get("assessed") or [] if w.get("confidence", 0) >= warn_at]


def _excluded(profile: Profile | None, meta: dict[str, Any], analysis: Any) -> set[str]:
    """Warnings and tags of this work that the profile hides (lower case)."""
    if profile is None:
        return set()
    hidden = {w.lower() for w in (profile.excluded_warnings or []) + (profile.excluded_tags or [])}
    present = {w.lower() for w in meta.get("warnings", []) + meta.get("tags", [])}
    if analysis:
        present |= {i["name"].lower() for i in flagged(analysis, profile.warn_at)}
        present |= {i["name"].lower() for i in analysis["content"].get("triggers", [])}
        present |= {t["name"].lower() for t in analysis.get("tags", [])}
    return hidden & present


@router.get("/works/{work_id}/status")
def work_status(request: Request, work_id: int) -> Response:
    account, _ = _user(request)
    library = _library(request)
    if library.analysis_ready(account.id, work_id):
        return HTMLResponse("<p>Analysis ready.</p>", headers={"HX-Refresh": "true"})
    job = library.analysis_job(account.id, work_id)
    return _job_fragment(
        request,
        job,
        "Reading the whole work for warnings, cast and tags",
        f"/works/{work_id}/status",
        f"/works/{work_id}",
    )


def _job_fragment(
    request: Request, job: dict[str, Any] | None, what: str, poll: str, done: str
) -> Response:
    """A job's progress (polled by htmx); a finished job reloads the page it is on."""
    if job is None or job["state"] == "done":
        return HTMLResponse("<p>Ready.</p>", headers={"HX-Refresh": "true"})
    return _render(request, "_job.html", job=job, what=what, poll=poll, done=done)


@router.get("/jobs/{job_id}")
def job_status(request: Request, job_id: int, next: str = "/") -> Response:
    """Progress of one of this account's jobs (the reading view and downloads poll it)."""
    account, _ = _user(request)
    job = _library(request).job(account.id, job_id)
    target = _local(next)
    poll = f"/jobs/{job_id}?" + urlencode({"next": target})
    return _job_fragment(request, job, _what(job), poll, target)


def _what(job: dict[str, Any]) -> str:
    return {
        "analyse": "Reading the whole work for warnings, cast and tags",
        "render": "Telling the story about you",
        "file": "Making your file",
        "import_url": "Importing the work",
    }.get(job["kind"], "Working")


def _preparing(
    request: Request, work: Any, job: Job, poll: str, done: str, **context: Any
) -> Response:
    """The page shown while a worker prepares a long work (202: come back for it)."""
    status = _library(request).queue.status(job.id)
    return _render(
        request,
        "preparing.html",
        202,
        work=work,
        job=status,
        what=_what(status),
        poll=poll,
        done=done,
        **context,
    )


@router.post("/works/{work_id}/delete")
def delete_work(request: Request, work_id: int, csrf: Csrf) -> Response:
    account = _posting(request, csrf)
    _library(request).delete_work(account.id, work_id)
    return _redirect("/")


# -- reading ---------------------------------------------------------------------------------


@router.get("/read/{work_id}")
def read_page(
    request: Request,
    work_id: int,
    profile: int | None = None,
    chapter: Annotated[int | None, Query(ge=0)] = None,
    changes: bool = False,
    character: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    account, csrf = _user(request)
    library = _library(request)
    profiles = library.profiles(account.id)
    chosen = _chosen_profile(request, account, profile, profiles)
    reading = library.reading(
        account.id, work_id, chosen.id if chosen else None, character=character
    )
    work, rendition, saved = reading.work, reading.rendition, reading.progress
    if rendition is None:
        assert reading.job is not None
        here = _local(str(request.url.path) + "?" + request.url.query)
        poll = f"/jobs/{reading.job.id}?" + urlencode({"next": here})
        page = _preparing(request, work, reading.job, poll, here, account=account, csrf=csrf)
        return _remember(page, chosen)
    chapters = rendition["chapters"]
    position = 0.0
    if chapter is None:
        chapter = saved.chapter if saved else 0
    chapter = min(chapter, len(chapters) - 1)
    if saved is not None and saved.chapter == chapter:
        position = saved.position
    if chosen is not None and (saved is None or saved.chapter != chapter):
        library.save_progress(account.id, chosen.id, work_id, chapter, 0.0)
    response = _render(
        request,
        "read.html",
        account=account,
        csrf=csrf,
        work=work,
        profile=chosen,
        profiles=profiles,
        display=display_of(chosen),
        chapter=chapter,
        chapters=chapters,
        story=_chapter(request, reading.key, chapter, chapters),
        notes=rendition["notes"],
        edits=rendition["edits"],
        position=position,
        changes=changes,
        character=character,
        themes=THEMES,
        fonts=FONTS,
    )
    return _remember(response, chosen)


def _chapter(request: Request, key: str, chapter: int, chapters: list[dict[str, Any]]) -> str:
    """A chapter's HTML, cached per rendition: a second reader gets it without re-rendering."""
    cache: OrderedDict[tuple[str, int], str] = request.app.state.chapters
    found = cache.get((key, chapter))
    if found is None:
        found = chapter_html(chapters[chapter]["pieces"])
        cache[(key, chapter)] = found
        while len(cache) > CHAPTERS_IN_MEMORY:
            cache.popitem(last=False)
    return found


@router.post("/works/{work_id}/progress")
def save_progress(
    request: Request,
    work_id: int,
    csrf: Csrf,
    profile: Annotated[int, Form()],
    chapter: Annotated[int, Form(ge=0)],
    position: Annotated[float, Form(ge=0, le=1)] = 0.0,
    finished: Annotated[bool | None, Form()] = None,
) -> Response:
    account = _posting(request, csrf)
    _library(request).save_progress(account.id, profile, work_id, chapter, position, finished)
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204)
    return _redirect(f"/read/{work_id}?profile={profile}&chapter={chapter}")


@router.post("/profiles/{profile_id}/display")
def save_display(
    request: Request,
    profile_id: int,
    csrf: Csrf,
    theme: Annotated[str, Form()] = "light",
    font: Annotated[str, Form()] = "serif",
    size: Annotated[int, Form(ge=1, le=6)] = 3,
    spacing: Annotated[int, Form(ge=1, le=4)] = 2,
    width: Annotated[int, Form(ge=1, le=4)] = 2,
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    account = _posting(request, csrf)
    display = {"theme": theme, "font": font, "size": size, "spacing": spacing, "width": width}
    _library(request).update_profile(account.id, profile_id, {"display": display})
    return _redirect(next)


@router.post("/works/{work_id}/bookmarks")
def add_bookmark(
    request: Request,
    work_id: int,
    csrf: Csrf,
    profile: Annotated[int, Form()],
    chapter: Annotated[int, Form(ge=0)] = 0,
    position: Annotated[float, Form(ge=0, le=1)] = 0.0,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    account = _posting(request, csrf)
    _library(request).add_bookmark(account.id, profile, work_id, chapter, position, note)
    return _redirect(f"/works/{work_id}?profile={profile}")


@router.post("/bookmarks/{bookmark_id}/delete")
def delete_bookmark(request: Request, bookmark_id: int, csrf: Csrf, work: int = Form()) -> Response:
    account = _posting(request, csrf)
    _library(request).delete_bookmark(account.id, bookmark_id)
    return _redirect(f"/works/{work}")


@router.get("/works/{work_id}/download")
def download(
    request: Request,
    work_id: int,
    profile: int | None = None,
    format: Annotated[str, Query(pattern="^(epub|html|md|txt)$")] = "epub",
) -> Response:
    account, csrf = _user(request)
    library = _library(request)
    found = library.download_or_job(account.id, work_id, profile or None, format)
    if isinstance(found, Job):
        here = _local(str(request.url.path) + "?" + request.url.query)
        poll = f"/jobs/{found.id}?" + urlencode({"next": here})
        work = library.work(account.id, work_id)
        return _preparing(request, work, found, poll, here, account=account, csrf=csrf)
    return _file(*found)


def _file(data: bytes, name: str, media: str) -> Response:
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": DOWNLOAD_CSP,
        },
    )


# -- profiles --------------------------------------------------------------------------------


@router.get("/profiles")
def profiles_page(request: Request, welcome: bool = False) -> Response:
    account, csrf = _user(request)
    library = _library(request)
    return _render(
        request,
        "profiles.html",
        account=account,
        csrf=csrf,
        profiles=library.profiles(account.id),
        persons=PERSONS,
        naming=NAMING,
        welcome=welcome,
        share_token=library.account(account.id).share_token,
        base=str(request.base_url).rstrip("/"),
    )


def _profile_data(
    label: str, name: str, pronouns: str, person: str, names: str, values: str
) -> dict[str, Any]:
    pairs = {}
    for line in values.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            pairs[key.strip()] = value.strip()
    return {
        "label": label.strip() or name.strip() or "Me",
        "name": name.strip() or None,
        "pronouns": pronouns.strip() or "she",
        "person": person,
        "names": names,
        "values": pairs,
    }


@router.post("/profiles")
def create_profile(
    request: Request,
    csrf: Csrf,
    label: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    pronouns: Annotated[str, Form(max_length=200)] = "she",
    person: Annotated[str, Form(pattern="^(first|second|third)$")] = "third",
    names: Annotated[str, Form(pattern="^(first|smart|none)$")] = "smart",
    values: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    account = _posting(request, csrf)
    data = _profile_data(label, name, pronouns, person, names, values)
    profile = _library(request).create_profile(account.id, data)
    return _remember(_redirect(f"/?profile={profile.id}"), profile)


@router.get("/profiles/{profile_id}")
def profile_page(request: Request, profile_id: int, token: str = "") -> Response:
    account, csrf = _user(request)
    profile = _library(request).profile(account.id, profile_id)
    values = "\n".join(f"{k}={v}" for k, v in (profile.values or {}).items())
    return _render(
        request,
        "profile.html",
        account=account,
        csrf=csrf,
        profile=profile,
        values=values,
        persons=PERSONS,
        naming=NAMING,
        base=str(request.base_url).rstrip("/"),
    )


@router.post("/profiles/{profile_id}")
def update_profile(
    request: Request,
    profile_id: int,
    csrf: Csrf,
    label: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    pronouns: Annotated[str, Form(max_length=200)] = "she",
    person: Annotated[str, Form(pattern="^(first|second|third)$")] = "third",
    names: Annotated[str, Form(pattern="^(first|smart|none)$")] = "smart",
    values: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    account = _posting(request, csrf)
    data = _profile_data(label, name, pronouns, person, names, values)
    _library(request).update_profile(account.id, profile_id, data)
    return _redirect("/profiles")


@router.post("/profiles/{profile_id}/delete")
def delete_profile(request: Request, profile_id: int, csrf: Csrf) -> Response:
    account = _posting(request, csrf)
    _library(request).delete_profile(account.id, profile_id)
    response = _redirect("/profiles")
    response.delete_cookie(PROFILE_COOKIE)
    return response


@router.post("/profiles/{profile_id}/token")
def new_token(request: Request, profile_id: int, csrf: Csrf) -> Response:
    account, expected = _user(request)
    check_csrf(csrf, expected)
    library = _library(request)
    token = library.profile_token(account.id, profile_id)
    profile = library.profile(account.id, profile_id)
    return _render(
        request,
        "token.html",
        account=account,
        csrf=expected,
        profile=profile,
        url=f"{str(request.base_url).rstrip('/')}/opds/t/{token}",
    )


@router.post("/sharing")
def sharing(request: Request, csrf: Csrf, enabled: Annotated[bool, Form()] = False) -> Response:
    account = _posting(request, csrf)
    _library(request).set_sharing(account.id, enabled)
    return _redirect("/profiles")


# -- read-only guests ------------------------------------------------------------------------


def _guest_reader(request: Request) -> api.ReaderProfile | None:
    """The guest's own name and pronouns from their cookie (None: read as written)."""
    saved = request.cookies.get(GUEST_COOKIE, "")
    if not saved:
        return None
    values = dict(parse_qsl(saved))
    try:
        return api.ReaderProfile.from_mapping(
            {
                "name": values.get("name") or None,
                "pronouns": values.get("pronouns") or "she",
                "to": "third",
                "names": "smart",
            }
        )
    except YnsertError:
        return None  # a cookie from an older version, or edited by hand: read as written


def _guest_context(request: Request, token: str, next: str) -> dict[str, Any]:
    anonymous = request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(24)
    request.state.guest_csrf = anonymous
    return {
        "guest": token,
        "token": token,
        "reader": _guest_reader(request),
        "guest_csrf": anonymous,
        "next": next,
    }


def _guest_page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    response = _render(request, name, status, **context)
    response.set_cookie(
        ANON_CSRF_COOKIE, context["guest_csrf"], httponly=True, samesite="strict", max_age=3600
    )
    return response


@router.post("/shared/{token}/reader")
def guest_reader(
    request: Request,
    token: str,
    csrf: Csrf,
    name: Annotated[str, Form(max_length=100)] = "",
    pronouns: Annotated[str, Form(max_length=50)] = "she",
    clear: Annotated[bool, Form()] = False,
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Remember who the guest is, in their browser only (no account, nothing stored here)."""
    _check_anonymous(request, csrf)
    _library(request).shared_account(token)
    target = _local(next) if next.startswith(f"/shared/{token}") else f"/shared/{token}"
    response = _redirect(target)
    if clear:
        response.delete_cookie(GUEST_COOKIE)
        return response
    values = {"name": name.strip(), "pronouns": pronouns.strip() or "she"}
    try:
        api.ReaderProfile.from_mapping({**values, "name": values["name"] or None, "to": "third"})
    except YnsertError as error:
        raise HTTPException(422, str(error)) from None
    response.set_cookie(
        GUEST_COOKIE, urlencode(values), httponly=True, samesite="lax", max_age=31536000
    )
    return response


@router.get("/shared/{token}")
def shared_library(
    request: Request, token: str, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    library = _library(request)
    owner = library.shared_account(token)
    works = library.list_works(owner.id, WorkQuery(q=q))
    context = _guest_context(request, token, f"/shared/{token}")
    return _guest_page(request, "shared.html", owner=owner, works=works, q=q, **context)


@router.get("/shared/{token}/works/{work_id}")
def shared_work(request: Request, token: str, work_id: int) -> Response:
    library = _library(request)
    owner = library.shared_account(token)
    work = library.work(owner.id, work_id)
    found = library.analysis_or_job(owner.id, work_id)
    analysis, job = (None, found) if isinstance(found, Job) else (found, None)
    here = f"/shared/{token}/works/{work_id}"
    return _guest_page(
        request,
        "work.html",
        work=work,
        meta=work.metadata_json,
        analysis=analysis,
        profiles=[],
        profile=None,
        progress=None,
        duplicate=False,
        bookmarks=[],
        excluded=set(),
        work_id=work_id,
        job=library.queue.status(job.id) if job else None,
        guest_poll=f"/shared/{token}/jobs/{job.id}?next={here}" if job else "",
        **_warnings_shown(analysis, None),
        **_guest_context(request, token, here),
    )


@router.get("/shared/{token}/jobs/{job_id}")
def shared_job(request: Request, token: str, job_id: int, next: str = "") -> Response:
    owner = _library(request).shared_account(token)
    job = _library(request).job(owner.id, job_id)
    target = _local(next) if next.startswith(f"/shared/{token}") else f"/shared/{token}"
    poll = f"/shared/{token}/jobs/{job_id}?" + urlencode({"next": target})
    return _job_fragment(request, job, _what(job), poll, target)


@router.get("/shared/{token}/read/{work_id}")
def shared_read(
    request: Request, token: str, work_id: int, chapter: Annotated[int, Query(ge=0)] = 0
) -> Response:
    library = _library(request)
    owner = library.shared_account(token)
    reader = _guest_reader(request)
    reading = library.reading(owner.id, work_id, None, guest=reader)
    here = f"/shared/{token}/read/{work_id}?chapter={chapter}"
    context = _guest_context(request, token, here)
    if reading.rendition is None:
        assert reading.job is not None
        poll = f"/shared/{token}/jobs/{reading.job.id}?" + urlencode({"next": here})
        return _preparing(request, reading.work, reading.job, poll, here, **context)
    chapters = reading.rendition["chapters"]
    chapter = min(chapter, len(chapters) - 1)
    return _guest_page(
        request,
        "read.html",
        work=reading.work,
        profile=None,
        profiles=[],
        display=display_of(None),
        chapter=chapter,
        chapters=chapters,
        story=_chapter(request, reading.key, chapter, chapters),
        notes=reading.rendition["notes"] if reader else [],
        edits=reading.rendition["edits"] if reader else 0,
        position=0.0,
        changes=False,
        themes=THEMES,
        fonts=FONTS,
        **context,
    )
