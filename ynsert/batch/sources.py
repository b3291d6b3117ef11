"""Batch inputs, streamed: a folder tree, a zip, JSONL or Parquet, cut into fixed shards.

A source yields cheap *references* in a fixed order (a relative path, a zip member name, a
JSONL line, a Parquet row); the bytes of a work are read only when its shard is about to run,
so neither the list of works nor their texts is ever held whole. The same input and shard size
always give the same shards, which is what lets a run resume.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> lines = [json.dumps({"id": "w1", "text": "You ran."}), json.dumps({"id": "w2", "text": "Hi"})]
>>> _ = (folder / "works.jsonl").write_text("\\n".join(lines))
>>> source = open_source(folder / "works.jsonl")
>>> source.kind, source.count()
('jsonl', 2)
>>> [[item.id for item in shard.load()] for shard in source.shards(1)]
[['w1'], ['w2']]
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any

from ynsert.errors import InputError
from ynsert.source import MAX_INPUT_BYTES, read_limited

#: Story files a folder or zip may hold; anything else (images, notes) is not a work.
STORY_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"}
)


@dataclass
class Item:
    """One work as plain data: what crosses to a worker (bytes, strings, a dict)."""

    id: str
    source: str
    filename: str | None
    data: bytes | None = None
    format: str | None = None
    metadata: dict[str, Any] | None = None
    error: str | None = None  # the client could not even read it: reported, not run

    def to_plain(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "filename": self.filename,
            "data": self.data,
            "format": self.format,
            "metadata": self.metadata,
            "error": self.error,
        }


@dataclass
class Shard:
    """A fixed slice of the input: its index and the references to load when it runs."""

    index: int
    refs: list[Any]
    source: Source = field(repr=False)

    @property
    def ids(self) -> list[str]:
        return [self.source.ref_id(ref, self.index, n) for n, ref in enumerate(self.refs)]

    def fingerprint(self) -> str:
        """A digest of the works' ids: a resumed run checks its shards still hold the same."""
        return hashlib.sha256("\n".join(self.ids).encode()).hexdigest()[:16]

    def load(self) -> list[Item]:
        return self.source.load_all(self.refs, self.index)


class Source:
    """Base: subclasses yield references in a fixed order and load one into an ``Item``."""

    kind = ""

    def __init__(self, path: Path) -> None:
        self.path = path

    def refs(self) -> Iterator[Any]:
        raise NotImplementedError

    def ref_id(self, ref: Any, shard: int, position: int) -> str:
        raise NotImplementedError

    def load(self, ref: Any, shard: int, position: int) -> Item:
        raise NotImplementedError

    def load_all(self, refs: list[Any], shard: int) -> list[Item]:
        return [self.load(ref, shard, n) for n, ref in enumerate(refs)]

    def count(self) -> int:
        """How many works: one streaming pass over the references (for progress and ETA)."""
        return sum(1 for _ in self.refs())

    def shards(self, size: int) -> Iterator[Shard]:
        refs = self.refs()
        index = 0
        while chunk := list(islice(refs, size)):
            yield Shard(index, chunk, self)
            index += 1

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path.resolve())}


class FolderSource(Source):
    """Every story file under a folder, in sorted path order; ids are the relative paths.

    Only regular files are read: a FIFO or a device with a story suffix is that work's error
    (reading a FIFO would wait forever for a writer), and so is a symlink that leads out of
    the folder (the input tree is what was given, not the files its links point at).
    """

    kind = "folder"

    def refs(self) -> Iterator[str]:
        for folder, dirs, files in os.walk(self.path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in STORY_SUFFIXES:
                    yield Path(folder, name).relative_to(self.path).as_posix()

    def ref_id(self, ref: str, shard: int, position: int) -> str:
        return ref

    def load(self, ref: str, shard: int, position: int) -> Item:
        item = Item(ref, ref, ref)
        file = self.path / ref
        try:
            if not file.resolve().is_relative_to(self.path.resolve()):
                item.error = "a symlink to a file outside the input folder, not read"
                return item
            item.data = read_regular_file(file)
        except InputError as error:
            item.error = str(error)
        except OSError as error:
            item.error = f"cannot read ({error.strerror})"
        return item


def read_regular_file(file: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_INPUT_BYTES``; InputError otherwise.

    The file is opened without blocking and checked on the open descriptor, so a FIFO (or a
    file swapped for one after listing) is refused instead of waiting for a writer.
    """
    descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"not a regular file ({_file_kind(info.st_mode)}), not read")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputError(f"larger than {MAX_INPUT_BYTES // 2**20} MB, refused")
        return read_limited(handle, "the file")


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a directory" if stat.S_ISDIR(mode) else "not a file"


class ZipSource(Source):
    """Every story file inside a zip, in sorted member order; ids are the member names.

    A zip may hold several members of the same name (``zip`` appends, it does not replace):
    each is its own work, referred to by its position in the archive, and every one after the
    first gets an id that says which copy it is ("a (2).txt"), so none is lost or counted twice.
    """

    kind = "zip"

    def refs(self) -> Iterator[tuple[int, str]]:
        with zipfile.ZipFile(self.path) as archive:
            members = [
                (position, info.filename)
                for position, info in enumerate(archive.infolist())
                if not info.is_dir()
                and PurePosixPath(info.filename).suffix.lower() in STORY_SUFFIXES
                and not PurePosixPath(info.filename).name.startswith(".")
            ]
        yield from _unique_names(sorted(members, key=lambda m: (m[1], m[0])))

    def ref_id(self, ref: tuple[int, str], shard: int, position: int) -> str:
        return ref[1]

    def load_all(self, refs: list[Any], shard: int) -> list[Item]:
        with zipfile.ZipFile(self.path) as archive:  # opened once per shard, not per work
            infos = archive.infolist()
            return [self._member(archive, infos, ref) for ref in refs]

    def load(self, ref: tuple[int, str], shard: int, position: int) -> Item:
        return self.load_all([ref], shard)[0]

    def _member(
        self, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], ref: tuple[int, str]
    ) -> Item:
        position, name = ref
        item = Item(name, infos[position].filename if position < len(infos) else name, name)
        try:
            info = infos[position]
            if info.file_size > MAX_INPUT_BYTES:
                item.error = f"larger than {MAX_INPUT_BYTES // 2**20} MB, refused"
            else:
                # read() stops at the declared size, so a zip bomb cannot outgrow it
                item.data = archive.read(info)
        except (OSError, zipfile.BadZipFile, IndexError, RuntimeError) as error:
            item.error = f"cannot read from the zip ({error})"
        return item


def _unique_names(members: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """``(position, id)``: a repeated member name becomes "name (2).txt", "name (3).txt" …"""
    taken = {name for _, name in members}
    seen: set[str] = set()
    for position, name in members:
        unique, copy = name, 1
        while unique in seen:
            copy += 1
            path = PurePosixPath(name)
            unique = str(path.with_name(f"{path.stem} ({copy}){path.suffix}"))
            if unique in taken and unique not in seen:
                unique = name  # a member really has that name: keep counting
        seen.add(unique)
        yield position, unique


class RecordSource(Source):
    """Records (JSONL lines, Parquet rows): ``id``, ``text`` or ``path``, optional metadata."""

    def ref_id(self, ref: Any, shard: int, position: int) -> str:
        record = self.record(ref)
        given = record.get("id") if isinstance(record, dict) else None
        return str(given) if given not in (None, "") else f"record-{shard:06d}-{position:04d}"

    def record(self, ref: Any) -> dict[str, Any] | None:
        return ref if isinstance(ref, dict) else None

    def load(self, ref: Any, shard: int, position: int) -> Item:
        work_id = self.ref_id(ref, shard, position)
        record = self.record(ref)
        if record is None:
            return Item(work_id, work_id, None, error="not a JSON object with id and text or path")
        item = Item(work_id, str(record.get("path") or work_id), None)
        item.format = record.get("format") or None
        item.metadata = _metadata(record.get("metadata"))
        text, path = record.get("text"), record.get("path")
        if isinstance(text, str) and text:
            item.data = text.encode("utf-8")
            item.filename = record.get("filename") or None
        elif isinstance(path, str) and path:
            item.filename = path
            self._read_path(item, path)
        else:
            item.error = "record has neither text nor path"
        return item

    def _read_path(self, item: Item, path: str) -> None:
        file = Path(path) if Path(path).is_absolute() else self.path.parent / path
        try:
            item.data = read_regular_file(file)
        except InputError as error:
            item.error = f"{path}: {error}"
        except OSError as error:
            item.error = f"{path}: cannot read ({error.strerror})"


class JsonlSource(RecordSource):
    """One work per line; a line that is not a JSON object is reported as that work's error."""

    kind = "jsonl"

    def refs(self) -> Iterator[bytes]:
        with self.path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    yield line

    def record(self, ref: bytes) -> dict[str, Any] | None:
        try:
            value = json.loads(ref)
        except (ValueError, UnicodeDecodeError):
            return None
        return value if isinstance(value, dict) else None


class ParquetSource(RecordSource):
    """One work per row, read batch by batch (only the columns a work needs)."""

    kind = "parquet"
    COLUMNS = ("id", "text", "path", "filename", "format", "metadata")

    def _file(self) -> Any:
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(self.path)
        except Exception as error:  # pyarrow raises ArrowInvalid & co, not one base class
            raise InputError(f"{self.path}: not a readable Parquet file ({error})") from None

    def count(self) -> int:
        return int(self._file().metadata.num_rows)

    def refs(self) -> Iterator[dict[str, Any]]:
        file = self._file()
        columns = [c for c in self.COLUMNS if c in file.schema_arrow.names]
        if "text" not in columns and "path" not in columns:
            raise InputError(f"{self.path}: a Parquet input needs a text or path column")
        for batch in file.iter_batches(batch_size=256, columns=columns):
            yield from batch.to_pylist()


def _metadata(value: Any) -> dict[str, Any] | None:
    """Declared metadata: a mapping, or a JSON object written as a string."""
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return dict(value) if isinstance(value, dict) else None


def open_source(path: str | os.PathLike[str]) -> Source:
    """The source for ``path``: a folder, ``.zip``, ``.jsonl``/``.ndjson`` or ``.parquet``."""
    where = Path(path)
    if not where.exists():
        raise InputError(f"{where}: no such file or folder")
    if where.is_dir():
        return FolderSource(where)
    suffix = where.suffix.lower()
    if suffix == ".zip":
        if not zipfile.is_zipfile(where):
            raise InputError(f"{where}: not a readable zip file")
        return ZipSource(where)
    if suffix in {".jsonl", ".ndjson"}:
        return JsonlSource(where)
    if suffix in {".parquet", ".pq"}:
        return ParquetSource(where)
    raise InputError(f"{where}: give a folder, a .zip, a .jsonl or a .parquet file")
