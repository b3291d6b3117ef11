"""What the library answers when it cannot do a request (the web layer maps these to 4xx)."""

from __future__ import annotations

from ynsert.errors import YnsertError


class LibraryError(YnsertError):
    """A request the library cannot carry out (the web layer maps these to 4xx)."""

    status = 400


class NotFound(LibraryError):
    status = 404


class Conflict(LibraryError):
    status = 409


class Invalid(LibraryError):
    status = 422


class Busy(LibraryError):
    """Too much queued work for one account: wait for some of it to finish."""

    status = 429
