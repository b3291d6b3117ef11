"""Several works in one upload: many files at once, or a zip of story files.

A zip is a stranger's archive: its member count, total inflated size and compression ratio
are checked before anything is inflated, each member is read no further than its declared
size (``zipfile`` checks the CRC), and only story files (``.txt``, ``.md``, ``.html``,
``.epub`` …) are taken; other members, folders and hidden files are passed over. A bad
member is that member's error, never the whole upload's.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     archive.writestr("works/one.txt", "You ran, Y/N.")
...     archive.writestr("works/cover.png", b"...")
>>> [(u.name, u.data) for u in expand("shelf.zip", buffer.getvalue())]
[('shelf.zip: works/one.txt', b'You ran, Y/N.')]
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from ynsert import api
from ynsert.errors import YnsertError
from ynsert.library.clean import clean_line
from ynsert.library.service import MAX_UPLOAD_BYTES, Library

#: Works one request may import (files plus zip members); the request body is bounded too.
MAX_WORKS_PER_UPLOAD = 100
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_UNCOMPRESSED = 256 * 2**20
MAX_ZIP_RATIO = 100  # inflated : compressed, over the whole archive
MAX_MEMBER_BYTES = MAX_UPLOAD_BYTES
_UNREADABLE = (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError)


@dataclass(frozen=True)
class Upload:
    """One work to import: a label for the reader, the file name the engine sees, its bytes."""

    name: str
    filename: str
    data: bytes | None
    error: str | None = None


@dataclass(frozen=True)
class Imported:
    """What became of one upload: the work (new or already there), or why not."""

    name: str
    work_id: int | None = None
    title: str = ""
    duplicate: bool = False
    error: str | None = None


def import_all(library: Library, account_id: int, files: list[tuple[str, bytes]]) -> list[Imported]:
    """Import every file, a zip's story files each as a work; new works are analysed later."""
    uploads: list[Upload] = []
    for name, data in files:
        uploads += expand(name, data) if is_zip(name) else [Upload(name, name, data)]
    results = [_import(library, account_id, u) for u in uploads[:MAX_WORKS_PER_UPLOAD]]
    if len(uploads) > MAX_WORKS_PER_UPLOAD:
        more = len(uploads) - MAX_WORKS_PER_UPLOAD
        error = f"not imported: at most {MAX_WORKS_PER_UPLOAD} works per upload"
        results.append(Imported(f"{more} more file{'s' if more != 1 else ''}", error=error))
    return results


def _import(library: Library, account_id: int, upload: Upload) -> Imported:
    if upload.data is None:
        return Imported(upload.name, error=upload.error)
    try:
        result = library.import_work(account_id, upload.data, upload.filename)
    except YnsertError as error:  # not a story file, too large, undecodable …
        return Imported(upload.name, error=str(error))
    if not result.duplicate:
        library.analyse_soon(account_id, result.work.id)
    return Imported(upload.name, result.work.id, result.work.title, result.duplicate)


def is_zip(filename: str) -> bool:
    return filename.lower().endswith(".zip")


def expand(name: str, data: bytes) -> list[Upload]:
    """The story files of the zip ``data`` (each its own ``Upload``), or one error."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return [Upload(name, name, None, f"not a readable zip archive ({error})")]
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        refused = _refused(infos, len(data))
        if refused:
            return [Upload(name, name, None, refused)]
        return [_member(archive, name, info) for info in infos if _is_story(info.filename)]


def _refused(infos: list[zipfile.ZipInfo], size: int) -> str | None:
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"{len(infos):,} files in the zip (limit {MAX_ZIP_MEMBERS:,})"
    if total > MAX_ZIP_UNCOMPRESSED or total > MAX_ZIP_RATIO * max(size, 1):
        return f"{total:,} bytes once unpacked from {size:,}; refused (possible zip bomb)"
    return None


def _is_story(member: str) -> bool:
    base = member.rsplit("/", 1)[-1]
    hidden = base.startswith(".") or member.startswith("__MACOSX/")
    return not hidden and api.format_for(base) is not None


def _member(archive: zipfile.ZipFile, name: str, info: zipfile.ZipInfo) -> Upload:
    label = clean_line(f"{name}: {info.filename}")
    filename = clean_line(info.filename.rsplit("/", 1)[-1])
    if info.flag_bits & 0x1:
        return Upload(label, filename, None, "encrypted; not read")
    if info.file_size > MAX_MEMBER_BYTES:
        return Upload(label, filename, None, f"larger than {MAX_MEMBER_BYTES // 2**20} MB")
    try:
        with archive.open(info) as member:
            return Upload(label, filename, member.read(MAX_MEMBER_BYTES + 1))
    except _UNREADABLE as error:
        return Upload(label, filename, None, f"cannot be unpacked ({error})")
