"""Who is asking, and what the browser may do: sessions, CSRF, Basic auth, rate limits, headers.

Pages use an HttpOnly, SameSite=Lax session cookie; every unsafe request from a page carries the
session's CSRF token (a hidden form field, or the ``X-CSRF-Token`` header from script). API and
OPDS clients may send HTTP Basic credentials instead (no cookie, so no CSRF to forge). Failed
logins are counted per client address and username; too many in a window answer 429. The
counts live in the library database, so every web process sees the same ones (sessions and
CSRF tokens are there too); the table is bounded whatever an attacker sends.

>>> from ynsert.library import Library
>>> limiter = RateLimiter(Library("sqlite://", seed=False), attempts=2, window=60)
>>> limiter.failed("1.2.3.4", "mara"); limiter.failed("1.2.3.4", "mara")
>>> limiter.blocked("1.2.3.4", "mara"), limiter.blocked("1.2.3.4", "kai")
(True, False)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from typing import Any

from fastapi import HTTPException, Request, Response
from starlette.datastructures import MutableHeaders

from ynsert.library import Library
from ynsert.library.models import Account

SESSION_COOKIE = "ynsert_session"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
#: Downloads (a story file in the browser) run nothing and load nothing.
DOWNLOAD_CSP = "sandbox; default-src 'none'"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


#: Verified HTTP Basic credentials remembered per process (a cache: derivable, bounded).
VERIFIED_IN_MEMORY = 1024


class RateLimiter:
    """At most ``attempts`` failures per (address, username) and per address in ``window`` s.

    A blocked key records nothing more, so one address adds at most ``attempts * 4`` rows
    per window however many usernames it tries; the library caps the table as a whole.
    """

    def __init__(self, library: Library, attempts: int = 5, window: float = 300.0) -> None:
        self.library = library
        self.attempts, self.window = attempts, window

    def blocked(self, address: str, username: str) -> bool:
        named, anyone = self.library.login_failures(address, username, time.time() - self.window)
        return named >= self.attempts or anyone >= self.attempts * 4

    def failed(self, address: str, username: str) -> None:
        if self.blocked(address, username):
            return
        now = time.time()
        self.library.record_login_failure(address, username, now, now - self.window)


class SecurityHeaders:
    """A strict CSP and the usual hardening headers on every response (plain ASGI: cheap)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith(("/api", "/opds"))

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if private or "set-cookie" in headers:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        username, _, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return username, password


class Authenticator:
    """Resolves the account behind a request (session cookie or HTTP Basic)."""

    def __init__(self, library: Library, limiter: RateLimiter) -> None:
        self.library = library
        self.limiter = limiter
        # Verified Basic credentials for a minute: argon2 is slow on purpose, API calls are many.
        self._verified: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def session(self, request: Request) -> tuple[Account, str] | None:
        return self.library.session_of(request.cookies.get(SESSION_COOKIE, ""))

    def login(self, request: Request, username: str, password: str) -> Account:
        """Check a password under the rate limit; 429 when blocked, 401 when wrong."""
        address = client_address(request)
        if self.limiter.blocked(address, username):
            raise HTTPException(429, "too many failed logins; wait a few minutes")
        account = self.library.authenticate(username, password)
        if account is None:
            self.limiter.failed(address, username)
            raise HTTPException(401, "wrong username or password")
        return account

    def basic(self, request: Request) -> Account | None:
        credentials = basic_credentials(request)
        if credentials is None:
            return None
        key = hashlib.sha256("\0".join(credentials).encode()).hexdigest()
        with self._lock:
            cached = self._verified.get(key)
        if cached and cached[0] > time.monotonic():
            return self.library.account(cached[1])
        account = self.login(request, *credentials)
        with self._lock:
            self._verified[key] = (time.monotonic() + 60, account.id)
            while len(self._verified) > VERIFIED_IN_MEMORY:
                self._verified.popitem(last=False)
        return account

    def account(self, request: Request, *, csrf_header: bool = True) -> Account:
        """The caller's account, or 401. Cookie-authenticated unsafe requests need CSRF."""
        account = self.basic(request)
        if account is not None:
            return account
        found = self.session(request)
        if found is None:
            raise HTTPException(
                401, "log in, or send HTTP Basic credentials", {"WWW-Authenticate": "Basic"}
            )
        account, csrf = found
        if csrf_header and request.method not in SAFE_METHODS:
            check_csrf(request.headers.get("x-csrf-token", ""), csrf)
        return account


def check_csrf(given: str, expected: str) -> None:
    if not given or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=60 * 60 * 24 * 30,
        path="/",
    )
