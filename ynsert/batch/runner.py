"""The batch run: shards out to Dask, rows and files back, written shard by shard, resumable.

The client streams the input shard by shard, keeps at most a few shards in flight per worker
(so memory stays bounded however large the archive), and writes each finished shard before
it is counted. Only plain data and bytes travel: item dicts out, row dicts and bytes back.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from rich.console import Console

from ynsert import api
from ynsert.batch.cluster import connect, default_memory, parse_memory, worker_count
from ynsert.batch.engine import VERBS, empty_row, engine_stamp
from ynsert.batch.library import Importer, library_importer
from ynsert.batch.progress import Tracker
from ynsert.batch.sources import Item, Shard, Source, open_source
from ynsert.batch.store import Store, safe_relative, summary_table
from ynsert.batch.worker import EngineConfig, EnginePlugin, run_shard
from ynsert.errors import InputError

DEFAULT_SHARD_SIZE = 50
#: Shards in flight per worker: one running, one queued, one travelling back.
IN_FLIGHT_PER_WORKER = 3


def run(
    verb: str,
    input: str | Path,
    output: str | Path,
    *,
    profile: api.ProfileLike = None,
    workers: int | None = None,
    scheduler: str | None = None,
    memory_per_worker: str | int | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    timeout: float = 600.0,
    jsonl: bool = False,
    text_column: bool = False,
    importer: Importer | None = None,
    library: str | None = None,
    restart: bool = False,
    progress: bool = True,
    console: Console | None = None,
) -> dict[str, Any]:
    """Run ``verb`` (analyse | personalise | import) over every work in ``input``.

    Returns the summary (counts per warning, person, failure reason) and the run's figures.
    Re-running with the same arguments resumes: finished shards are kept, not recomputed.
    """
    if verb not in VERBS:
        raise InputError(f"unknown batch verb {verb!r}; use one of: {', '.join(VERBS)}")
    if shard_size < 1:
        raise InputError("--shard-size must be at least 1")
    if verb == "import" and importer is None:
        importer = library_importer(library)  # before anything is started or written
    reader = _profile(verb, profile)
    source = open_source(input)
    plan = {
        "verb": verb,
        "input": source.describe(),
        "shard_size": shard_size,
        "profile": reader,
        "text_column": text_column,
        "engine": engine_stamp(),
    }
    if restart:
        _discard(Path(output))
    store = Store(output, plan)
    memory = parse_memory(memory_per_worker)
    console = console or Console(stderr=True)
    with connect(scheduler, workers, memory) as client:
        count = worker_count(client)
        limit = memory if memory or scheduler else default_memory(count)
        config = EngineConfig(verb, reader, timeout, limit, text_column)
        client.register_plugin(EnginePlugin(config))
        batch = _Batch(client, config, store, source, verb, importer, count)
        with Tracker(source.count(), console, enabled=progress) as tracker:
            batch.tracker = tracker
            shards = batch.dispatch(shard_size)
    summary = store.finalise(shards, jsonl)
    if progress:
        console.print(summary_table(summary))
    return {**summary, **batch.figures(shards, tracker)}


def _profile(verb: str, profile: api.ProfileLike) -> dict[str, Any] | None:
    if verb != "personalise":
        return None
    if isinstance(profile, str | Path):
        reader = api.load_profile(profile)
    elif isinstance(profile, api.ReaderProfile):
        reader = profile
    else:
        reader = api.ReaderProfile.from_mapping(profile or {})
    plain: dict[str, Any] = reader.model_dump()
    return plain


def _discard(folder: Path) -> None:
    """--restart: drop a previous run's files (only the names a run writes)."""
    for name in ("shards", "files"):
        shutil.rmtree(folder / name, ignore_errors=True)
    for name in ("run.json", "manifest.jsonl", "works.parquet", "works.jsonl", "summary.json"):
        (folder / name).unlink(missing_ok=True)
    (folder / "summary.txt").unlink(missing_ok=True)


class _Batch:
    """One run's dispatch loop and its bookkeeping."""

    def __init__(
        self,
        client: Any,
        config: EngineConfig,
        store: Store,
        source: Source,
        verb: str,
        importer: Importer | None,
        workers: int,
    ) -> None:
        self.client, self.config, self.store, self.source = client, config, store, source
        self.verb, self.importer, self.workers = verb, importer, workers
        self.run_id = uuid.uuid4().hex[:12]
        self.tracker: Tracker = Tracker(0, None, enabled=False)
        self.started = time.monotonic()
        self.stats: dict[str, int] = {"peak_engine_rss": 0, "peak_worker_rss": 0}
        self.engine_pids: set[int] = set()

    def dispatch(self, shard_size: int) -> int:
        """Every shard: skipped if finished, else sent; returns the number of shards."""
        from distributed import as_completed

        finished = self.store.finished()
        pending: dict[Any, tuple[Shard, list[Item]]] = {}
        queue = as_completed()
        total = 0
        for shard in self.source.shards(shard_size):
            total += 1
            entry = finished.get(shard.index)
            if entry is not None:
                self._skip(shard, entry)
                continue
            items = shard.load()
            future = self.client.submit(
                run_shard,
                self.config,
                shard.index,
                [item.to_plain() for item in items],
                key=f"ynsert-{self.run_id}-{shard.index}",
                pure=False,
                retries=2,
            )
            # the bytes now live on the cluster; keep them here only when import needs them
            pending[future] = (shard, items if self.verb == "import" else _light(items))
            queue.add(future)
            while len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                self._collect(next(queue), pending)
        for future in queue:
            self._collect(future, pending)
        return total

    def _skip(self, shard: Shard, entry: dict[str, Any]) -> None:
        if entry.get("ids") != shard.fingerprint():
            raise InputError(
                f"the input changed since this output was started (shard {shard.index} holds "
                "other works); use another -o folder or --restart"
            )
        self.tracker.shard(
            shard.index, entry["works"], entry["words"], entry["failed"], skipped=True
        )

    def _collect(self, future: Any, pending: dict[Any, tuple[Shard, list[Item]]]) -> None:
        shard, items = pending.pop(future)
        try:
            result = future.result()
        except Exception as error:  # the shard killed its workers every retry: record, go on
            result = _lost(shard, items, error)
        finally:
            future.release()
        rows = result["rows"]
        self._outputs(rows, result["files"], items)
        self.stats["peak_engine_rss"] = max(
            self.stats["peak_engine_rss"], result["peak_engine_rss"]
        )
        self.stats["peak_worker_rss"] = max(self.stats["peak_worker_rss"], result["worker_rss"])
        words = sum(r["words"] or 0 for r in rows if not r["error"])
        failed = sum(1 for r in rows if r["error"])
        entry = {
            "works": len(rows),
            "words": words,
            "failed": failed,
            "ids": shard.fingerprint(),
            "seconds": round(result["seconds"], 3),
            "pid": result["pid"],
            "run": self.run_id,
            "finished_at": time.time(),
        }
        self.store.write_shard(shard.index, rows, entry)
        self.tracker.shard(shard.index, len(rows), words, failed, skipped=False)

    def _outputs(self, rows: list[dict[str, Any]], files: list[Any], items: list[Item]) -> None:
        """Personalised files into the mirrored tree; works into the library for import."""
        for row, data, item in zip(rows, files, items, strict=True):
            if data is not None and not row["error"]:
                row["output_path"] = self.store.write_file(self._relative(row, item), data)
            if self.verb == "import" and self.importer and not row["error"]:
                try:
                    self.importer(row["id"], item.data or b"", item.filename, _metadata(row))
                except Exception as error:  # the library refused it: that work's error
                    row["error_kind"], row["error"] = "import", f"{type(error).__name__}: {error}"

    def _relative(self, row: dict[str, Any], item: Item) -> PurePosixPath:
        """The input's own path when it has one (suffix of the output format), else the id."""
        name = item.filename if self.source.kind in ("folder", "zip") or item.filename else None
        relative = safe_relative(name or row["id"])
        suffix = "." + (row["output_format"] or row["format"] or "txt")
        if relative.suffix.lower().lstrip(".") != suffix[1:]:
            relative = relative.with_name(relative.name + suffix)
        return relative

    def figures(self, shards: int, tracker: Tracker) -> dict[str, Any]:
        seconds = time.monotonic() - self.started
        return {
            "shards": shards,
            "computed_works": tracker.computed,
            "skipped_works": tracker.skipped,
            "seconds": round(seconds, 3),
            "works_per_second": round(tracker.computed / seconds, 3) if seconds else 0.0,
            "workers": self.workers,
            "run": self.run_id,
            **self.stats,
        }


def _light(items: list[Item]) -> list[Item]:
    """The items without their bytes: what the client keeps while a shard runs."""
    return [Item(i.id, i.source, i.filename, None, i.format, None, i.error) for i in items]


def _lost(shard: Shard, items: list[Item], error: Exception) -> dict[str, Any]:
    rows = []
    for item in items:
        row = empty_row(item.to_plain())
        row["error_kind"] = "crash"
        row["error"] = f"the shard's worker died on every retry ({type(error).__name__})"
        rows.append(row)
    return {
        "rows": rows,
        "files": [None] * len(rows),
        "seconds": 0.0,
        "pid": 0,
        "peak_engine_rss": 0,
        "worker_rss": 0,
    }


def _metadata(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("title", "authors", "format", "words", "chapters", "person", "tense", "warnings")
    more = ("triggers", "characters", "relationships", "reader_gender", "declared", "source")
    return {key: row[key] for key in keep + more}
