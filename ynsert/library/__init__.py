"""The reading room's library: works, analyses, profiles, progress (``Library`` is the service).

>>> from ynsert.library import Library
>>> Library("sqlite://", seed=False).list_works(1)
[]
"""

from ynsert.library.batch import batch_importer
from ynsert.library.service import (
    Conflict,
    ImportResult,
    Invalid,
    Library,
    LibraryError,
    NotFound,
    WorkQuery,
)

__all__ = [
    "Conflict",
    "ImportResult",
    "Invalid",
    "Library",
    "LibraryError",
    "NotFound",
    "WorkQuery",
    "batch_importer",
]
