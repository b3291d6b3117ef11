"""Batch runs on a real Dask LocalCluster (loopback): the acceptance checks at 300 works.

The full 10,000-work run is ``benchmarks/batch_acceptance.py``; this is the same set of checks
on a smaller archive so it fits in CI: every broken work reported, every good one present
exactly once, a client killed midway resumes to the same result without recomputing shards,
and a killed worker's shard is retried.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_synthetic import Synthetic, build_folder, works, write_zip

from ynsert import api, batch

COUNT = 300
SHARD = 10


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Synthetic]]:
    folder = tmp_path_factory.mktemp("archive") / "works"
    return folder, build_folder(folder, COUNT, max_words=250)


@pytest.fixture(scope="module")
def reference(
    archive: tuple[Path, list[Synthetic]], cluster: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """One uninterrupted run: the result every other run of this archive must equal."""
    output = tmp_path_factory.mktemp("reference")
    summary = batch.run(
        "analyse",
        archive[0],
        output,
        scheduler=cluster.scheduler_address,
        shard_size=SHARD,
        progress=False,
    )
    return output, summary


def stable(table: pa.Table) -> list[dict[str, Any]]:
    return table.drop_columns(list(batch.VOLATILE)).to_pylist()


def test_every_broken_work_reported_every_good_one_present_once(
    archive: tuple[Path, list[Synthetic]], reference: tuple[Path, dict[str, Any]]
) -> None:
    output, summary = reference
    rows = pq.read_table(output / "works.parquet").to_pylist()
    made = archive[1]
    broken = {w.path for w in made if w.broken}
    assert len(broken) == COUNT // 100
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)  # input (path) order
    assert sorted(r["id"] for r in rows) == sorted(w.path for w in made)  # each exactly once
    failed = {r["id"]: r for r in rows if r["error"]}
    assert set(failed) == broken
    assert all(r["error_kind"] == "format" for r in failed.values())
    good = [r for r in rows if not r["error"]]
    assert all(r["words"] > 0 and r["person"] and r["engine"] for r in good)
    assert {r["format"] for r in good} == {"txt", "md", "html", "epub"}
    assert {r["person"] for r in good} >= {"second", "third"}
    assert any(r["detections"] and r["detections"][0]["evidence"] for r in good)
    assert summary["works"] == COUNT and summary["failed"] == len(broken)
    assert summary["failures"] == {"format": len(broken)}
    assert json.loads((output / "summary.json").read_text()) == {
        k: summary[k] for k in json.loads((output / "summary.json").read_text())
    }
    assert "ynsert batch summary" in (output / "summary.txt").read_text()


def test_client_killed_midway_resumes_to_the_same_result(
    archive: tuple[Path, list[Synthetic]],
    reference: tuple[Path, dict[str, Any]],
    tmp_path: Path,
) -> None:
    output = tmp_path / "out"
    command = [sys.executable, "-m", "ynsert", "batch", "analyse", str(archive[0])]
    command += ["-o", str(output), "--workers", "2", "--shard-size", str(SHARD), "--quiet"]
    client = subprocess.Popen(command, stderr=subprocess.DEVNULL)  # never read: never blocks
    manifest = output / "manifest.jsonl"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and client.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 6:
            break
        time.sleep(0.2)
    assert client.poll() is None, "the run ended before it could be killed"
    family = psutil.Process(client.pid).children(recursive=True)
    client.send_signal(signal.SIGKILL)
    client.wait()
    gone, alive = psutil.wait_procs(family, timeout=60)
    assert not alive, f"processes left behind by the killed client: {alive}"
    before = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    assert 6 <= len(before) < COUNT // SHARD
    assert not (output / "works.parquet").exists()

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    entries = [json.loads(line) for line in manifest.read_text().splitlines()]
    runs = {e["run"] for e in entries}
    assert len(runs) == 2
    first = {e["index"] for e in entries if e["run"] == before[0]["run"]}
    second = [e["index"] for e in entries if e["run"] != before[0]["run"]]
    assert first.isdisjoint(second)  # finished shards were not recomputed
    assert sorted(first | set(second)) == list(range(COUNT // SHARD))
    assert f"{COUNT - 10 * len(first):,} computed" in resumed.stderr

    ours = pq.read_table(output / "works.parquet")
    theirs = pq.read_table(reference[0] / "works.parquet")
    assert stable(ours) == stable(theirs)
    assert json.loads((output / "summary.json").read_text()) == json.loads(
        (reference[0] / "summary.json").read_text()
    )


def test_personalise_mirrors_the_tree_and_reads_every_input_kind(
    cluster: Any, tmp_path: Path
) -> None:
    made = sorted(works(24, max_words=120), key=lambda w: w.path)
    write_zip(tmp_path / "in.zip", made)
    reader = {"name": "Mara", "pronouns": "she", "to": "third", "names": "none"}
    summary = batch.run(
        "personalise",
        tmp_path / "in.zip",
        tmp_path / "out",
        profile=reader,
        scheduler=cluster.scheduler_address,
        shard_size=5,
        jsonl=True,
        progress=False,
    )
    assert summary["works"] == 24
    rows = [json.loads(x) for x in (tmp_path / "out" / "works.jsonl").read_text().splitlines()]
    for work, row in zip(made, rows, strict=True):
        assert row["id"] == work.path
        if row["error"]:
            assert row["output_path"] is None
            continue
        assert row["output_path"] == work.path  # same path, same format as the input
        written = api.open_work(tmp_path / "out" / "files" / work.path)
        assert written.format == row["format"]
    assert sum(1 for r in rows if r["output_path"]) == 24 - sum(w.broken for w in made)

    records = [{"id": f"r{n}", "text": "You smile at Y/N.\n\nHe waves at you."} for n in range(4)]
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    batch.run(
        "personalise",
        tmp_path / "in.parquet",
        tmp_path / "pq",
        profile=reader,
        scheduler=cluster.scheduler_address,
        text_column=True,
        progress=False,
    )
    table = pq.read_table(tmp_path / "pq" / "works.parquet").to_pylist()
    expected = "She smiles at Mara.\n\nHe waves at her."
    assert [r["personalised_text"] for r in table] == [expected] * 4
    assert (tmp_path / "pq" / "files" / "r0.txt").read_text() == table[0]["personalised_text"]


def test_import_hands_every_good_work_to_the_importer(cluster: Any, tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"w{n}", "text": f"You meet Ana {n}."}) for n in range(5)]
    lines.append(json.dumps({"id": "bad", "text": "   "}))
    (tmp_path / "in.jsonl").write_text("\n".join(lines))
    seen: list[tuple[str, bytes, str | None, dict[str, Any]]] = []

    def importer(work_id: str, data: bytes, filename: str | None, meta: dict[str, Any]) -> None:
        if work_id == "w3":
            raise ValueError("duplicate title")
        seen.append((work_id, data, filename, meta))

    summary = batch.run(
        "import",
        tmp_path / "in.jsonl",
        tmp_path / "out",
        importer=importer,
        scheduler=cluster.scheduler_address,
        progress=False,
    )
    assert [s[0] for s in seen] == ["w0", "w1", "w2", "w4"]
    assert seen[0][1] == b"You meet Ana 0." and seen[0][3]["person"] == "second"
    assert summary["failures"] == {"format": 1, "import": 1}


def test_a_killed_worker_shard_is_retried(cluster: Any, tmp_path: Path) -> None:
    folder = tmp_path / "works"
    build_folder(folder, 60, max_words=150)
    from distributed import Client

    with Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
    manifest = tmp_path / "out" / "manifest.jsonl"
    killed: list[int] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if manifest.exists() and manifest.read_text().count("\n") >= 2:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    summary = batch.run(
        "analyse",
        folder,
        tmp_path / "out",
        scheduler=cluster.scheduler_address,
        shard_size=4,
        progress=False,
    )
    killer.join()
    assert killed, "the worker was never killed"
    assert summary["works"] == 60
    assert summary["failures"] == {"format": 1}  # the one broken work, nothing lost to the kill
