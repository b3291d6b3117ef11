"""Opening EPUB zip archives without trusting them.

An EPUB is a zip file from a stranger.  Before any member is parsed the whole archive is
checked against module limits: member count, total uncompressed size, compression ratio
(zip bombs), member names (absolute paths, ``..`` segments, backslashes, duplicates) and
encryption.  Declared sizes bound what is inflated: ``zipfile`` stops at a member's
declared size and its CRC check catches a member that lies about it.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass

from .errors import FormatError

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, summed over all members
MAX_RATIO = 100  # uncompressed : compressed, for the archive and for any large member
RATIO_CHECK_MIN_SIZE = 1024 * 1024  # small members may compress better than MAX_RATIO
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Member:
    """One archive member: its zip header (name, date, compression) and its bytes."""

    info: zipfile.ZipInfo
    data: bytes


def open_archive(data: bytes) -> dict[str, Member]:
    """Check and read every member of a zip archive, in archive order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FormatError(
            f"not an EPUB: the zip archive is truncated or damaged ({error})"
        ) from None
    with archive:
        infos = archive.infolist()
        check_limits(infos, len(data))
        return {info.filename: Member(info, _read(archive, info)) for info in infos}


def check_limits(infos: list[zipfile.ZipInfo], archive_size: int) -> None:
    """Refuse archives that are too big, too compressed, encrypted or badly named."""
    if len(infos) > MAX_MEMBERS:
        raise FormatError(f"refusing EPUB: {len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise FormatError(
            f"refusing EPUB: {total:,} bytes uncompressed (limit {MAX_TOTAL_UNCOMPRESSED:,}); "
            "possible zip bomb"
        )
    if total > RATIO_CHECK_MIN_SIZE and total > MAX_RATIO * max(archive_size, 1):
        raise FormatError(f"refusing EPUB: compression ratio over {MAX_RATIO}:1; possible zip bomb")
    seen: set[str] = set()
    for info in infos:
        check_name(info.filename)
        if info.filename in seen:
            raise FormatError(f"refusing EPUB: member {info.filename!r} appears twice")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise FormatError(
                "refusing EPUB: it is encrypted (DRM-protected books are not supported)"
            )
        if info.file_size > RATIO_CHECK_MIN_SIZE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise FormatError(
                f"refusing EPUB: member {info.filename!r} expands over {MAX_RATIO}:1; "
                "possible zip bomb"
            )


def check_name(name: str) -> None:
    """Member names must be relative paths that stay inside the archive."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or _DRIVE.match(name)
        or ".." in parts
    ):
        raise FormatError(f"refusing EPUB: unsafe member name {name!r} (path traversal)")


def resolve(base: str, href: str) -> str:
    """Resolve a relative ``href`` (already URL-decoded) against the member ``base``."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    if path.startswith("../") or path == ".." or path.startswith("/"):
        raise FormatError(f"refusing EPUB: {href!r} in {base} points outside the book")
    return path


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        raise FormatError(f"broken EPUB: cannot read {info.filename} ({error})") from None


def write_archive(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """A zip with ``mimetype`` first and stored, as the EPUB container format requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        mimetype = zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0))
        archive.writestr(mimetype, b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for info, data in members:
            if info.filename == "mimetype":
                continue
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.external_attr = _regular(info.external_attr)
            method = info.compress_type
            if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                method = zipfile.ZIP_DEFLATED
            archive.writestr(copy, data, compress_type=method)
    return buffer.getvalue()


def _regular(external_attr: int) -> int:
    """Zip metadata with a symlink's file type turned into a regular file's (mode 0644).

    An unpacked symlink member can point anywhere on the reader's disk; no book needs one.
    """
    mode = external_attr >> 16
    if stat.S_ISLNK(mode):
        return (stat.S_IFREG | 0o644) << 16 | (external_attr & 0xFFFF)
    return external_attr
