"""Getting bytes in and out safely: a path or stdin in, an atomic file out, one-line errors.

Decoding and format detection live in ``ynsert.formats``; this module only knows files.
Every read is bounded while it happens (``/dev/zero``, a FIFO or ``<(yes)`` cannot make it
read forever), and every write goes through a temporary file renamed over the target.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> write_atomic(os.path.join(folder, "out.txt"), b"You walk.")
>>> read_bytes(os.path.join(folder, "out.txt"))
b'You walk.'
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ynsert.errors import InputError

#: Larger inputs are refused rather than risking a laptop's memory (~30M words).
MAX_INPUT_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024
#: Temporary names stay short: a 250-character target name must still leave room (255 max).
_TEMP_PREFIX = ".ynsert-"


def _too_large(where: str, limit: int) -> InputError:
    return InputError(f"{where}: larger than {limit // 2**20} MB, refused")


def read_limited(handle: BinaryIO, where: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read at most ``limit`` bytes from any stream, refusing (not truncating) more."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = handle.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(where, limit)


def read_bytes(path: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a file, device, FIFO or ``"-"`` (standard input), at most ``limit``."""
    if path == "-":
        return read_limited(sys.stdin.buffer, "standard input", limit)
    file = Path(path)
    try:
        if file.is_dir():
            raise InputError(f"{path}: is a directory, not a story file")
        if not file.exists():
            raise InputError(f"{path}: no such file")
        with open(file, "rb") as handle:
            return read_limited(handle, path, limit)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


def check_target(path: str) -> None:
    """InputError now (before any work is done) if ``path`` cannot be written as output."""
    _resolve_target(path)


def _resolve_target(path: str) -> Path:
    """The file a write replaces: a symlink's target; non-regular files are refused."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise InputError(f"{path}: is a directory; give a file name for the output")
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        raise InputError(f"{path}: not a regular file (a FIFO, device or socket); refused")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    return target


def write_atomic(path: str, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file.

    The target keeps its permissions (a new file gets the usual ``0666 & ~umask``), a symlink
    is written through to its target, and SIGTERM during the write removes the temporary.
    """
    target = _resolve_target(path)
    mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
    fd, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=target.parent)
    with _removed_on_sigterm(temporary):
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _removed_on_sigterm(temporary: str) -> Iterator[None]:
    """SIGTERM becomes SystemExit while writing, so the ``except`` above cleans up."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
