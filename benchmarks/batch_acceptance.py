"""Issue 10's acceptance run: 10,000 synthetic works end to end, a client killed midway, resumed.

Checks, printing each with its figure: every broken work is reported (error column), every good
one is present exactly once; a run whose client is SIGKILLed midway and then re-run equals an
uninterrupted run (every column but timing), and the shards finished before the kill were not
recomputed (from the manifest: which run wrote each shard, and the resumed run's own count).
The same checks at 300 works run in CI: tests/batch/test_batch_run.py.

    .venv/bin/python benchmarks/batch_acceptance.py [--works 10000] [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "batch"))

from batch_synthetic import build_folder  # noqa: E402

from ynsert import batch  # noqa: E402


def check(label: str, ok: bool, detail: str = "") -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {label}{': ' + detail if detail else ''}", flush=True)
    return ok


def killed_then_resumed(folder: Path, output: Path, workers: int, shard: int, at: float) -> float:
    """Run the CLI, SIGKILL it once ``at`` of the shards are in the manifest, run it again."""
    command = [sys.executable, "-m", "ynsert", "batch", "analyse", str(folder), "-o", str(output)]
    command += ["--workers", str(workers), "--shard-size", str(shard), "--quiet"]
    total = -(-sum(1 for p in folder.rglob("*") if p.is_file()) // shard)
    client = subprocess.Popen(command)
    manifest = output / "manifest.jsonl"
    while client.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= total * at:
            family = psutil.Process(client.pid).children(recursive=True)
            client.send_signal(signal.SIGKILL)
            client.wait()
            psutil.wait_procs(family, timeout=60)
            break
        time.sleep(0.5)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--shard-size", type=int, default=50)
    parser.add_argument("--max-words", type=int, default=250)
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder, kept.")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="ynsert-acceptance-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        made = build_folder(root / "works", args.works, max_words=args.max_words)
        print(f"{len(made):,} works, {sum(w.broken for w in made)} broken, in {root}", flush=True)
        ok = run_checks(root, made, args)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if ok else 1)


def run_checks(root: Path, made: list, args: argparse.Namespace) -> bool:  # type: ignore[type-arg]
    reference = batch.run(
        "analyse",
        root / "works",
        root / "reference",
        workers=args.workers,
        shard_size=args.shard_size,
        restart=True,
    )
    print(json.dumps({k: reference[k] for k in ("works", "failed", "seconds", "works_per_second")}))
    rows = pq.read_table(root / "reference" / "works.parquet").to_pylist()
    broken = {w.path for w in made if w.broken}
    ids = [r["id"] for r in rows]
    results = [
        check(
            "every broken work reported",
            {r["id"] for r in rows if r["error"]} == broken,
            f"{len(broken)} broken, {sum(1 for r in rows if r['error'])} rows with an error",
        ),
        check(
            "every good work present exactly once",
            sorted(ids) == sorted(w.path for w in made) and len(set(ids)) == len(ids),
            f"{len(ids):,} rows for {len(made):,} works",
        ),
    ]
    resumed_seconds = killed_then_resumed(
        root / "works", root / "resumed", args.workers or 2, args.shard_size, 0.5
    )
    entries = [
        json.loads(x)
        for x in (root / "resumed" / "manifest.jsonl").read_text().split("\n")
        if x.strip()
    ]
    by_run: dict[str, list[int]] = {}
    for entry in entries:
        by_run.setdefault(entry["run"], []).append(entry["index"])
    first, *rest = by_run.values()
    again = [i for r in rest for i in r]
    results.append(
        check(
            "finished shards not recomputed",
            not set(first) & set(again) and len(by_run) == 2,
            f"{len(first)} shards before the kill, {len(again)} after; resumed run took "
            f"{resumed_seconds:.0f} s vs {reference['seconds']:.0f} s uninterrupted",
        )
    )
    ours = pq.read_table(root / "resumed" / "works.parquet").drop_columns(list(batch.VOLATILE))
    theirs = pq.read_table(root / "reference" / "works.parquet").drop_columns(list(batch.VOLATILE))
    results.append(
        check(
            "killed + resumed equals uninterrupted",
            ours.equals(theirs),
            f"{ours.num_rows:,} rows compared, every column but timing",
        )
    )
    return all(results)


if __name__ == "__main__":
    main()
