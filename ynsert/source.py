"""Reading what users hand us: a path or stdin, as text, with one-line errors for bad input.

Fans' files come from Windows editors (cp1252, UTF-16 with BOM), phones (UTF-8 with BOM) and
copy-paste. We decode what is plainly text and refuse, in one sentence, what is not.
"""

from __future__ import annotations

import codecs
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Larger inputs are refused rather than risking a laptop's memory (~30M words).
MAX_INPUT_BYTES = 200 * 1024 * 1024
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


class InputError(Exception):
    """A user-facing problem with the input; ``str(error)`` is the whole one-line message."""


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str  # what we decoded it as
    bom: bytes = b""  # kept so a UTF-8 file with a BOM is written back the same


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


def decode(data: bytes, where: str = "input") -> Source:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 if it is plainly text."""
    if not data.strip():
        raise InputError(f"{where}: empty, there is no story to read")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_decode(data[3:], "utf-8", where), "utf-8", where, codecs.BOM_UTF8)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_decode(data, "utf-16", where), "utf-16", where)
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: binary data, not a text story")
    try:
        return _checked(data.decode("utf-8"), "utf-8", where)
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("cp1252"), "cp1252", where)
    except UnicodeDecodeError:
        raise InputError(
            f"{where}: not UTF-8, UTF-16 or Windows-1252 text; convert it to UTF-8"
        ) from None


def _decode(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{where}: starts with a {encoding} mark but is not {encoding}") from None


def _checked(text: str, encoding: str, where: str, bom: bytes = b"") -> Source:
    sample = text[:8192]
    if sum(ch in _CONTROL for ch in sample) > max(2, len(sample) // 100):
        raise InputError(f"{where}: binary data, not a text story")
    if not text.strip():
        raise InputError(f"{where}: empty, there is no story to read")
    return Source(text, encoding, bom)


def read_text(path: str) -> Source:
    return decode(read_bytes(path), "standard input" if path == "-" else path)


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
