"""Where ``batch import`` puts works: a small interface, so the batch runner needs no library.

An importer is any callable ``importer(id, data, filename, metadata)``: ``data`` is the
original file's bytes, ``metadata`` the work's row (title, authors, person, warnings …) as
plain data. It is called on the client, once per good work, and must be idempotent by ``id``:
a resumed run may hand it again a work that was imported just before a kill.

The reading-room library (``ynsert.library``) is a separate package being built alongside;
when it is importable and offers ``batch_importer(target) -> Importer``, ``ynsert batch
import`` uses it. Until then the command says, in one line, that the library is not installed.

>>> import tempfile, json, pathlib
>>> folder = tempfile.mkdtemp()
>>> FolderImporter(folder)("a/b.txt", b"You ran.", "a/b.txt", {"title": "Run"})
>>> sorted(p.name for p in pathlib.Path(folder).rglob("*"))
['a', 'b.txt', 'b.txt.json']
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ynsert.batch.store import atomic_write, safe_relative
from ynsert.errors import YnsertError

Importer = Callable[[str, bytes, str | None, dict[str, Any]], None]


class LibraryMissing(YnsertError):
    """The reading-room library is not installed, or cannot take a batch import."""


def library_importer(target: str | None) -> Importer:
    """The reading-room library's importer for ``target`` (its database or folder)."""
    try:
        module = importlib.import_module("ynsert.library")
    except ModuleNotFoundError as error:
        if error.name not in ("ynsert.library", "ynsert"):
            raise
        raise LibraryMissing(
            "the reading-room library (ynsert.library) is not installed; "
            "batch import needs it (batch analyse and personalise work without it)"
        ) from None
    hook = getattr(module, "batch_importer", None)
    if not callable(hook):
        raise LibraryMissing(
            "this ynsert.library offers no batch_importer(target); it cannot take a batch import"
        )
    importer: Importer = hook(target)
    return importer


class FolderImporter:
    """Imports into a plain folder: the file under its id, its row beside it as JSON.

    The reference implementation of the interface, for archives without the reading room.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def __call__(
        self, work_id: str, data: bytes, filename: str | None, metadata: dict[str, Any]
    ) -> None:
        relative = safe_relative(work_id)
        atomic_write(self.folder / relative, data)
        sidecar = relative.with_name(relative.name + ".json")
        text = json.dumps({"filename": filename, **metadata}, ensure_ascii=False, indent=1)
        atomic_write(self.folder / sidecar, text.encode("utf-8"))
