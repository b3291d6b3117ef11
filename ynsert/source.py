"""Getting bytes in and out safely: a path or stdin in, an atomic file out, one-line errors.

Decoding and format detection live in ``ynsert.formats``; this module only knows files.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ynsert.errors import InputError

#: Larger inputs are refused rather than risking a laptop's memory (~30M words).
MAX_INPUT_BYTES = 200 * 1024 * 1024


def read_bytes(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        where = "standard input"
    else:
        where = path
        file = Path(path)
        if not file.exists():
            raise InputError(f"{path}: no such file")
        if file.is_dir():
            raise InputError(f"{path}: is a directory, not a story file")
        try:
            if file.stat().st_size > MAX_INPUT_BYTES:
                raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // 2**20} MB, refused")
            data = file.read_bytes()
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{where}: larger than {MAX_INPUT_BYTES // 2**20} MB, refused")
    return data


def write_atomic(path: str, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{path}: is a directory; give a file name for the output")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
