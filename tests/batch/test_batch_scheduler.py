"""``--scheduler``: a real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_synthetic import build_folder

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def scheduler() -> Iterator[str]:
    if not DASK.exists():
        pytest.fail(f"{DASK} not found: the dask command comes with the pinned dask package")
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    started = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
            **quiet,
        )
    ]
    worker = [str(DASK), "worker", address, "--nthreads", "1", "--host", "127.0.0.1"]
    worker += ["--no-dashboard", "--memory-limit", "2GB"]
    started += [subprocess.Popen(worker, **quiet) for _ in range(2)]
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_batch_runs_on_an_existing_cluster(scheduler: str, tmp_path: Path) -> None:
    made = build_folder(tmp_path / "works", 40, max_words=120)
    output = tmp_path / "out"
    command = [sys.executable, "-m", "ynsert", "batch", "analyse", str(tmp_path / "works")]
    command += ["-o", str(output), "--scheduler", scheduler, "--shard-size", "4", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = pq.read_table(output / "works.parquet").to_pylist()
    assert sorted(r["id"] for r in rows) == sorted(w.path for w in made)
    assert {r["id"] for r in rows if r["error"]} == {w.path for w in made if w.broken}
    from distributed import Client

    with Client(scheduler) as client:
        workers = set(client.run(os.getpid).values())
    entries = [json.loads(x) for x in (output / "manifest.jsonl").read_text().splitlines()]
    assert {e["pid"] for e in entries} == workers  # both workers took shards, nothing ran locally
    assert os.getpid() not in workers


def test_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("You ran.")
    started = time.monotonic()
    command = [sys.executable, "-m", "ynsert", "batch", "analyse", str(tmp_path), "-o"]
    command += [str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{_free_port()}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith(
        "ynsert: error: cannot reach the Dask scheduler at tcp://127.0.0.1:"
    )
    assert time.monotonic() - started < 100
