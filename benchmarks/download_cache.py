"""Download cache: a personalised EPUB built once, then served from the cache (issue 20).

In one process over a temporary SQLite library: the sample story repeated into a longer work
(``--copies`` times, default 10, about 12k words). A first profile's download loads the
language pipeline (not timed); a second profile's first download builds its EPUB (timed),
and its next ``--repeats`` are the kept file. Prints both times and their ratio.

    .venv/bin/python benchmarks/download_cache.py
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from ynsert.library import Library

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    story = (REPO / "tests/web/data/seed.txt").read_text()
    text = "Title: Long\n\n" + "\n\n".join(
        f"Chapter {i + 1}\n\n{story}" for i in range(args.copies)
    )
    with tempfile.TemporaryDirectory() as folder:
        library = Library(f"sqlite:///{folder}/library.db", seed=False)
        account = library.create_account("bench", "benchmark password")
        work = library.import_work(account.id, text.encode(), "long.txt").work
        warm = library.create_profile(account.id, {"label": "Kai", "name": "Kai"})
        library.download(account.id, work.id, warm.id, "epub")  # loads spaCy once
        profile = library.create_profile(account.id, {"label": "Mara", "name": "Mara"})
        start = time.perf_counter()
        first, _, _ = library.download(account.id, work.id, profile.id, "epub")
        built = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(args.repeats):
            again, _, _ = library.download(account.id, work.id, profile.id, "epub")
            assert again == first
        kept = (time.perf_counter() - start) / args.repeats
        library.close()
    print(f"work: {work.words:,} words; EPUB {len(first):,} bytes")
    print(f"first download (built): {built * 1000:,.1f} ms")
    print(f"next downloads (kept):  {kept * 1000:,.2f} ms each ({args.repeats} runs)")
    print(f"ratio built / kept: {built / kept:,.0f}x")


if __name__ == "__main__":
    main()
