"""What runs on a Dask worker: a shard task over the worker's one engine process.

``run_shard`` is the task: a shard's works go in as plain dicts with their bytes, rows and
personalised bytes come out. The engine (``ynsert.batch.child``) is started once per worker
process by ``EnginePlugin`` — or on the first shard, if the plugin could not be registered —
and reused by every shard after that, so the spaCy pipeline is loaded once per worker.

>>> engine = Engine(EngineConfig("analyse", None, timeout=60, memory_limit=2**31))
>>> rows, files = engine.run_items([{"id": "a", "source": "a", "filename": "a.txt",
...                                  "data": b"You smile."}])
>>> rows[0]["person"], rows[0]["error"]
('second', None)
>>> engine.close()
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from ynsert.batch.engine import empty_row
from ynsert.batch.protocol import HEADER, write_frame

#: How long a fresh engine may take to load the spaCy pipeline (a busy 2-core laptop: ~15 s).
START_TIMEOUT = 300.0
#: How often a running work's memory is checked.
TICK = 0.2


@dataclass(frozen=True)
class EngineConfig:
    """Everything an engine needs, as plain data (it travels to every worker)."""

    verb: str
    profile: dict[str, Any] | None
    timeout: float = 600.0
    memory_limit: int | None = None  # bytes for one engine process; None: no limit
    text_column: bool = False

    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


class EngineDied(Exception):
    """The engine process ended (killed for memory, or crashed) before answering."""


class Engine:
    """The worker's side of one engine process: start, send a work, wait with limits."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None
        self.peak_rss = 0
        self.starts = 0
        self._buffer = b""

    def start(self) -> None:
        self.close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ynsert.batch.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal is for the client, not engines
        )
        self.starts += 1
        self._buffer = b""
        plain = {k: v for k, v in asdict(self.config).items() if k != "memory_limit"}
        self._send(plain)
        ready = self._receive(START_TIMEOUT, None)
        if not isinstance(ready, dict) or "ready" not in ready:
            raise EngineDied("the engine process did not start")

    def close(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def run_items(self, items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
        rows, files = [], []
        for item in items:
            row, data = self.run(item)
            rows.append(row)
            files.append(data)
        return rows, files

    def run(self, item: dict[str, Any]) -> tuple[dict[str, Any], bytes | None]:
        """One work; a timeout, a memory overrun or a crash becomes that work's error."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        started = time.perf_counter()
        try:
            self._send(item)
            row, data = self._receive(self.config.timeout, self.config.memory_limit)
            return row, data
        except TimeoutError:
            self.kill()
            kind, message = "timeout", f"no result after {self.config.timeout:g} s"
        except MemoryError:
            self.kill()
            limit = (self.config.memory_limit or 0) // 2**20
            kind, message = "memory", f"needed more than {limit} MB (memory per worker)"
        except (EngineDied, BrokenPipeError):
            code = self.process.wait() if self.process else None
            self.process = None
            kind, message = "crash", f"engine process died (exit status {code})"
        row = empty_row(item)
        row["error_kind"], row["error"] = kind, message
        row["seconds"] = round(time.perf_counter() - started, 4)
        return row, None

    def _send(self, value: Any) -> None:
        assert self.process is not None and self.process.stdin is not None
        write_frame(self.process.stdin, value)

    def _receive(self, timeout: float, memory_limit: int | None) -> Any:
        """Read one frame, checking the clock and the engine's memory while waiting."""
        import pickle

        import psutil

        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        watched = psutil.Process(self.process.pid)
        deadline = time.monotonic() + timeout
        while True:
            frame = self._frame()
            if frame is not None:
                self.peak_rss = max(self.peak_rss, _rss(watched))  # short works count too
                return pickle.loads(frame)
            if time.monotonic() > deadline:
                raise TimeoutError
            readable, _, _ = select.select([fd], [], [], TICK)
            if readable:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise EngineDied
                self._buffer += chunk
                continue
            rss = _rss(watched)
            self.peak_rss = max(self.peak_rss, rss)
            if memory_limit and rss > memory_limit:
                raise MemoryError

    def _frame(self) -> bytes | None:
        if len(self._buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self._buffer)
        end = HEADER.size + size
        if len(self._buffer) < end:
            return None
        frame, self._buffer = self._buffer[HEADER.size : end], self._buffer[end:]
        return frame


def _rss(process: Any) -> int:
    try:
        return int(process.memory_info().rss)
    except Exception:  # psutil.NoSuchProcess: the engine just ended; the read will say so
        return 0


#: The engine of this worker process (one per process; tasks run one at a time per thread).
_ENGINES: dict[str, Engine] = {}


def engine_for(config: EngineConfig) -> Engine:
    engine = _ENGINES.get(config.key())
    if engine is None:
        for other in _ENGINES.values():  # a new run on a long-lived cluster: one engine at a time
            other.close()
        _ENGINES.clear()
        engine = _ENGINES[config.key()] = Engine(config)
    return engine


def close_engines() -> None:
    for engine in _ENGINES.values():
        engine.close()
    _ENGINES.clear()


def run_shard(config: EngineConfig, index: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The task: every work of one shard, in order, on this worker's engine."""
    import psutil

    engine = engine_for(config)
    started = time.perf_counter()
    rows, files = engine.run_items(items)
    worker_rss = psutil.Process().memory_info().rss
    return {
        "index": index,
        "rows": rows,
        "files": files,
        "seconds": time.perf_counter() - started,
        "pid": os.getpid(),
        "engine_starts": engine.starts,
        "peak_engine_rss": engine.peak_rss,
        "worker_rss": worker_rss,
    }


class EnginePlugin(WorkerPlugin):
    """A Dask WorkerPlugin: start and warm the engine when a worker joins, stop it at the end."""

    name = "ynsert-engine"

    def __init__(self, config: EngineConfig) -> None:
        self.config = config

    def setup(self, worker: Any) -> None:
        engine = engine_for(self.config)
        if engine.process is None:
            engine.start()

    def teardown(self, worker: Any) -> None:
        close_engines()
