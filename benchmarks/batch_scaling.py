"""Does Dask pay for itself? The same works: a plain loop over the API, then Dask, 1 and 2 workers.

Goals (issue 10): Dask with 1 worker at least 0.9x the plain loop; 2 workers at least 1.8x one
worker on a 2-core machine; peak memory per worker under 600 MB. The works are the synthetic
archive of the batch tests (the repository's own texts, txt/md/html/epub, 1 % broken), written
to a temporary folder; all three runs read the same files in this one invocation.

    .venv/bin/python benchmarks/batch_scaling.py [--works 2000] [--max-words 250]

The plain loop is ``api.open_work`` + ``api.analyse_work(...).to_dict()`` per file in this
process (model loaded first, not timed). The Dask runs are ``ynsert.batch.run("analyse", …)``
end to end — cluster start, engine start, Parquet shards, manifest and final table included —
so their overheads count against them.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "batch"))

from batch_synthetic import build_folder  # noqa: E402

from ynsert import api, batch  # noqa: E402

AO3_WORKS, AO3_WORDS = 1_000_000, 5_000


def plain_loop(folder: Path, files: list[Path]) -> tuple[float, int, int]:
    api.analyse_work(api.open_work(b"You wake up, Y/N.", filename="warm.txt"))  # load the model
    words = failed = 0
    start = time.perf_counter()
    for file in files:
        try:
            work = api.open_work(file.read_bytes(), filename=file.name)
            api.analyse_work(work).to_dict()
            words += len(work.text.split())
        except api.YnsertError:
            failed += 1
    return time.perf_counter() - start, words, failed


def dask_run(folder: Path, workers: int) -> dict[str, object]:
    output = Path(tempfile.mkdtemp(prefix=f"ynsert-scaling-{workers}-"))
    try:
        return batch.run("analyse", folder, output, workers=workers, progress=False)
    finally:
        shutil.rmtree(output, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=2000)
    parser.add_argument("--max-words", type=int, default=250)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ynsert-scaling-works-"))
    try:
        build_folder(folder, args.works, max_words=args.max_words)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        seconds, words, failed = plain_loop(folder, files)
        loop_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        rows = [("plain loop", seconds, words, args.works, failed, loop_rss, 0)]
        for count in (1, 2):
            result = dask_run(folder, count)
            rows.append(
                (
                    f"dask, {count} worker{'s' * (count > 1)}",
                    float(result["seconds"]),  # type: ignore[arg-type]
                    int(result["words"]),  # type: ignore[call-overload]
                    int(result["works"]),  # type: ignore[call-overload]
                    int(result["failed"]),  # type: ignore[call-overload]
                    int(result["peak_engine_rss"]),  # type: ignore[call-overload]
                    int(result["peak_worker_rss"]),  # type: ignore[call-overload]
                )
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(rows, args)


def report(
    rows: list[tuple[str, float, int, int, int, int, int]], args: argparse.Namespace
) -> None:
    print(f"{args.works:,} works (max {args.max_words} words each, 1 % broken), one run each")
    print(
        f"{'run':<16}{'seconds':>9}{'works/s':>10}{'words/s':>10}{'failed':>8}"
        f"{'engine MB':>11}{'worker MB':>11}"
    )
    for name, seconds, words, works, failed, engine, worker in rows:
        print(
            f"{name:<16}{seconds:>9.1f}{works / seconds:>10.2f}{words / seconds:>10.0f}"
            f"{failed:>8}{engine / 2**20:>11.0f}{worker / 2**20:>11.0f}"
        )
    loop, one, two = (r[2] / r[1] for r in rows)  # words/s
    print(f"dask 1 worker / plain loop: {one / loop:.2f}x (goal >= 0.9x)")
    print(f"dask 2 workers / 1 worker:  {two / one:.2f}x (goal >= 1.8x)")
    peak = max(r[5] + r[6] for r in rows[1:])
    print(
        f"peak memory per worker (engine + Dask worker process): {peak / 2**20:.0f} MB "
        "(goal < 600 MB)"
    )
    hours = AO3_WORKS * AO3_WORDS / one / 3600
    both = AO3_WORKS * AO3_WORDS / two / 3600
    print(
        f"projected, 1M AO3 works x {AO3_WORDS:,} words: {hours:,.0f} hours on one worker-core "
        f"({one:.0f} words/s); {both:,.0f} hours on this machine with 2 workers ({two:.0f} words/s)"
    )


if __name__ == "__main__":
    main()
