"""The output folder of a batch run: shard files, the manifest, the final table and summary.

    OUTPUT/
      run.json              what was asked (verb, input, shard size, profile): a resume must match
      manifest.jsonl        one line per finished shard (index, works, ids digest, seconds …)
      shards/00000012.parquet   one file per shard, written atomically before its manifest line
      files/…               personalised works, mirroring the input tree (personalise)
      works.parquet         every row, in input order (written at the end from the shards)
      works.jsonl           the same rows as JSON lines (--jsonl)
      summary.json, summary.txt   counts per warning, per person, failures by reason

A shard is *finished* when its manifest line is there; its file was renamed into place first,
so a run killed at any instant leaves only whole files and a shard is never half counted.

>>> import tempfile
>>> store = Store(tempfile.mkdtemp(), {"verb": "analyse"})
>>> store.finished()
{}
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ynsert.errors import InputError

EVIDENCE = pa.struct(
    [
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("line", pa.int64()),
        ("column", pa.int64()),
        ("text", pa.string()),
        ("note", pa.string()),
    ]
)
DETECTION = pa.struct(
    [
        ("kind", pa.string()),
        ("name", pa.string()),
        ("confidence", pa.float64()),
        ("status", pa.string()),
        ("evidence", pa.list_(EVIDENCE)),
    ]
)
FINDING = pa.struct(
    [
        ("code", pa.string()),
        ("kind", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("line", pa.int64()),
        ("column", pa.int64()),
    ]
)
STRINGS = pa.list_(pa.string())

#: One row per work; every shard file has exactly this schema, so they concatenate.
SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("format", pa.string()),
        ("bytes", pa.int64()),
        ("words", pa.int64()),
        ("chapters", pa.int64()),
        ("title", pa.string()),
        ("authors", STRINGS),
        ("declared", pa.string()),  # JSON object: the metadata the work declares
        ("declared_warnings", STRINGS),
        ("person", pa.string()),
        ("tense", pa.string()),
        ("warnings", STRINGS),  # detected archive warnings
        ("triggers", STRINGS),  # detected common triggers
        ("detections", pa.list_(DETECTION)),  # both, with confidence and evidence
        ("characters", STRINGS),
        ("cast", pa.string()),  # JSON object: characters, pronouns, mentions, the reader
        ("relationships", STRINGS),
        ("reader_gender", pa.string()),
        ("findings", pa.list_(FINDING)),
        ("edits", pa.int64()),
        ("notes", STRINGS),
        ("output_format", pa.string()),
        ("output_path", pa.string()),
        ("personalised_text", pa.string()),
        ("engine", pa.string()),
        ("seconds", pa.float64()),
        ("error_kind", pa.string()),
        ("error", pa.string()),
    ]
)
#: Columns that differ between two runs over the same input (timing only).
VOLATILE = ("seconds",)


def atomic_write(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, rename: a kill leaves the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def table_bytes(rows: list[dict[str, Any]]) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def safe_relative(name: str) -> PurePosixPath:
    """An input path or id as a path inside the output tree (no ``..``, no absolute root)."""
    parts = [
        p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..", "/")
    ]
    return PurePosixPath(*parts) if parts else PurePosixPath("work")


class Store:
    """One output folder; ``plan`` is what was asked, checked again on every resume."""

    def __init__(self, folder: str | os.PathLike[str], plan: dict[str, Any]) -> None:
        self.folder = Path(folder)
        self.plan = plan
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(f"{self.folder}: exists and is not a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shards = self.folder / "shards"
        self.files = self.folder / "files"
        self.manifest = self.folder / "manifest.jsonl"
        self._check_plan()

    def _check_plan(self) -> None:
        run = self.folder / "run.json"
        if run.exists():
            try:
                before = json.loads(run.read_text(encoding="utf-8"))
            except ValueError:
                before = None
            if before != self.plan:
                raise InputError(
                    f"{self.folder} holds a run with other arguments; "
                    "use another -o folder or --restart to discard it"
                )
        else:
            atomic_write(run, json.dumps(self.plan, indent=2, sort_keys=True).encode())

    def finished(self) -> dict[int, dict[str, Any]]:
        """Manifest entries by shard index (a torn last line from a kill is ignored)."""
        done: dict[int, dict[str, Any]] = {}
        if not self.manifest.exists():
            return done
        for line in self.manifest.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and self.shard_path(entry.get("index", -1)).exists():
                done[int(entry["index"])] = entry
        return done

    def shard_path(self, index: int) -> Path:
        return self.shards / f"{index:08d}.parquet"

    def write_file(self, relative: PurePosixPath, data: bytes) -> str:
        atomic_write(self.files / relative, data)
        return relative.as_posix()

    def write_shard(self, index: int, rows: list[dict[str, Any]], entry: dict[str, Any]) -> None:
        """The shard's rows, then its manifest line (fsynced): the order that makes resume safe."""
        atomic_write(self.shard_path(index), table_bytes(rows))
        line = json.dumps({"index": index, **entry}, sort_keys=True) + "\n"
        with self.manifest.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def tables(self, count: int) -> Iterator[pa.Table]:
        for index in range(count):
            yield pq.read_table(self.shard_path(index), schema=SCHEMA)

    def finalise(self, count: int, jsonl: bool) -> dict[str, Any]:
        """works.parquet (+ works.jsonl) from the shard files in order, and the summary."""
        summary = Summary()
        target = self.folder / "works.parquet"
        temporary = target.with_name(".works.parquet.tmp")
        lines = self.folder / ".works.jsonl.tmp"
        with pq.ParquetWriter(temporary, SCHEMA, compression="zstd") as writer:
            handle = lines.open("w", encoding="utf-8") if jsonl else None
            try:
                for table in self.tables(count):
                    writer.write_table(table)
                    rows = table.to_pylist()
                    summary.add(rows)
                    if handle:
                        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            finally:
                if handle:
                    handle.close()
        os.replace(temporary, target)
        if jsonl:
            os.replace(lines, self.folder / "works.jsonl")
        data = summary.to_dict()
        atomic_write(self.folder / "summary.json", json.dumps(data, indent=2).encode())
        atomic_write(self.folder / "summary.txt", summary.to_text().encode())
        return data


class Summary:
    """Counts over the final rows: works, words, per warning, per person, failures by reason."""

    def __init__(self) -> None:
        self.works = self.failed = self.words = 0
        self.warnings: Counter[str] = Counter()
        self.triggers: Counter[str] = Counter()
        self.persons: Counter[str] = Counter()
        self.reader_gender: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.formats: Counter[str] = Counter()

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.works += 1
            if row["error"]:
                self.failed += 1
                self.failures[row["error_kind"] or "unknown"] += 1
                continue
            self.words += row["words"] or 0
            self.warnings.update(row["warnings"] or [])
            self.triggers.update(row["triggers"] or [])
            self.persons[row["person"] or "unknown"] += 1
            self.reader_gender[row["reader_gender"] or "unknown"] += 1
            self.formats[row["format"] or "unknown"] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "works": self.works,
            "succeeded": self.works - self.failed,
            "failed": self.failed,
            "words": self.words,
            "warnings": dict(self.warnings.most_common()),
            "triggers": dict(self.triggers.most_common()),
            "person": dict(self.persons.most_common()),
            "reader_gender": dict(self.reader_gender.most_common()),
            "formats": dict(self.formats.most_common()),
            "failures": dict(self.failures.most_common()),
        }

    def to_text(self) -> str:
        """The summary as the table the terminal shows (plain text, for the output folder)."""
        from rich.console import Console

        console = Console(width=100, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(summary_table(self.to_dict()))
        return console.export_text()


def summary_table(data: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title="ynsert batch summary", show_lines=False)
    table.add_column("what")
    table.add_column("value")
    table.add_column("count", justify="right")
    table.add_row("works", "", f"{data['works']:,}")
    table.add_row("succeeded", "", f"{data['succeeded']:,}")
    table.add_row("failed", "", f"{data['failed']:,}")
    table.add_row("words", "", f"{data['words']:,}")
    for section in ("person", "warnings", "triggers", "reader_gender", "formats", "failures"):
        for name, count in data[section].items():
            table.add_row(section.replace("_", " "), name, f"{count:,}")
    return table
