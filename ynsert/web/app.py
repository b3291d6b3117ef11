"""The reading room: a FastAPI app over one ``Library`` (pages, JSON API, OPDS catalog).

>>> from ynsert.web.app import create_app
>>> app = create_app("sqlite://")            # in-memory library; ``ynsert serve`` uses a file
>>> app.openapi()["info"]["title"], "/api/works" in app.openapi()["paths"]
('ynsert reading room', True)

Run it with ``ynsert serve [--host H] [--port P] [--database URL] [--workers N]``. With
several web processes, nothing they must share lives in one process's memory: sessions, CSRF
tokens, login failures, analyses, renders and jobs are rows of the library database; each
process only keeps derivable caches (rendered chapters, verified Basic credentials).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ynsert.errors import YnsertError
from ynsert.library import Library, LibraryError
from ynsert.web.security import Authenticator, RateLimiter, SecurityHeaders

HERE = Path(__file__).parent
#: Threads per web process running the (synchronous) pages and API calls.
THREADS = 8
#: How ``ynsert serve`` tells its web worker processes which database to open.
DATABASE_ENV = "YNSERT_SERVE_DATABASE"
#: Largest request body accepted (an upload plus its form fields).
MAX_BODY_BYTES = 17 * 2**20


def create_app(
    database: str | Library | None = None,
    *,
    login_attempts: int = 5,
    jobs: str = "thread",
    migrate: bool = True,
) -> FastAPI:
    """The app over ``database`` (a URL, a ``Library``, or None for the default SQLite file).

    ``jobs="thread"`` runs queued jobs in this process (one process on its own);
    ``"external"`` leaves them to ``ynsert worker`` processes, as ``ynsert serve`` does.
    """
    import ynsert
    from ynsert.web import api_routes, opds, pages

    if isinstance(database, Library):
        library = database
    else:
        library = Library(database, jobs=jobs, migrate=migrate)
    app = FastAPI(
        title="ynsert reading room",
        version=ynsert.__version__,
        description="Import reader-insert works, see their warnings first, read them told "
        "about you. Authenticate with HTTP Basic (or a page session plus X-CSRF-Token).",
        docs_url=None,  # served below from vendored Swagger UI (a CDN would break the CSP)
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.library = library
    app.state.auth = Authenticator(library, RateLimiter(library, attempts=login_attempts))
    app.state.chapters = OrderedDict()  # rendered chapter HTML, see pages._chapter
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api_routes.router)
    app.include_router(opds.router)
    app.include_router(pages.router)
    app.add_api_route("/api/docs", _api_docs, include_in_schema=False)
    _error_handlers(app)
    if not isinstance(database, Library):  # a library handed in belongs to the caller
        app.router.on_shutdown.append(library.close)
    app.router.on_startup.append(_fewer_threads)
    return app


def _api_docs(request: Request) -> Response:
    """Swagger UI from ``static/swagger`` (swagger-ui-dist 5.36.0, Apache-2.0), no CDN."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "api_docs.html", {})


async def _fewer_threads() -> None:
    """Pages are CPU work under one GIL: a few threads per process finish requests sooner
    than AnyIO's default forty, which only take turns (and queue for the database)."""
    from anyio import to_thread

    to_thread.current_default_thread_limiter().total_tokens = int(
        os.environ.get("YNSERT_WEB_THREADS") or THREADS
    )


def served_app() -> FastAPI:
    """The app of one ``ynsert serve`` web process (uvicorn's factory; jobs run elsewhere).

    ``ynsert serve`` has migrated the database before starting its processes.
    """
    from ynsert.web.serving import adopt

    adopt()
    return create_app(os.environ[DATABASE_ENV], jobs="external", migrate=False)


class BodyLimit:
    """Refuse request bodies over ``MAX_BODY_BYTES`` before they are read (413)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers") or []).get(b"content-length", b"0")
            if length.isdigit() and int(length) > MAX_BODY_BYTES:
                response = JSONResponse({"detail": "upload too large"}, status_code=413)
                await response(scope, receive, send)
                return
            receive = _counting(receive)
        await self.app(scope, receive, send)


def _counting(receive: Any) -> Any:
    seen = 0

    async def wrapped() -> dict[str, Any]:
        nonlocal seen
        message: dict[str, Any] = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY_BYTES:
            raise HTTPException(413, "upload too large")
        return message

    return wrapped


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api", "/opds")) and "text/html" in request.headers.get(
        "accept", "text/html"
    )


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_html(request):
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )
    return JSONResponse({"detail": message}, status_code=status)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LibraryError)
    async def _library_error(request: Request, error: LibraryError) -> Response:
        return error_response(request, error.status, str(error))

    @app.exception_handler(YnsertError)
    async def _ynsert_error(request: Request, error: YnsertError) -> Response:
        return error_response(request, 422, str(error))

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, error: HTTPException) -> Response:
        response = error_response(request, error.status_code, str(error.detail))
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        first = problems[0] if problems else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        if wants_html(request):
            return error_response(request, 422, message)
        return JSONResponse({"detail": message, "errors": _plain(problems)}, status_code=422)


def _plain(problems: Any) -> Any:
    """Validation errors as JSON (their ``ctx`` may hold exceptions)."""
    return [
        {"loc": list(p.get("loc", ())), "msg": str(p.get("msg")), "type": str(p.get("type"))}
        for p in problems
    ]
