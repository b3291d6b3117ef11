"""How much does ``analyse`` cost over the bare spaCy parse? (goal: at most 1.5x)

The corpus is the seed and the four public-domain stories from ``tests/data``, joined by blank lines
and repeated whole until it has at least 100,000 words (the seed once per round, so the mix of
reader-insert and classic prose stays the same). Both timings run in this one process with the
pipeline already loaded:

- bare parse: the full pipeline (tagger, parser, NER …) over every paragraph with ``nlp.pipe``;
- analyse: ``ynsert.analysis.analyse`` on the whole corpus text (its one parse plus every
  analysis, the classifier included when installed).

A second corpus is one long multi-chapter work: the 63 works of the warnings development set
(tests/analysis/workset/) as chapters of one EPUB, repeated to at least 150,000 words, analysed
through the API (``ynsert.api.analyse_work``) as a reader's import would be.

A third, when the AO3 dev corpus is unpacked (``benchmarks/ao3_dev.py``; it is never in the
repository): the five longest real dev works, tags removed as in ``warnings_real.py``, each
analysed through the API against the bare parse of its own text.

    .venv/bin/python benchmarks/analysis_speed.py [--words 100000] [--seed-only] [--no-real]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from corpus import PUBLIC_DOMAIN, SEED, bare_parse_seconds, build

from ynsert import api
from ynsert.analysis import analyse
from ynsert.formats import Chapter, Metadata, Work, read_work, write_work

WORKSET = Path(__file__).resolve().parents[1] / "tests" / "analysis" / "workset"


def multi_chapter_work(min_words: int) -> Work:
    """The workset's stories as the chapters of one EPUB, repeated to ``min_words`` words."""
    stories = [path.read_text(encoding="utf-8").strip() for path in sorted(WORKSET.glob("*.txt"))]
    chapters: list[Chapter] = []
    while sum(len(c.text.split()) for c in chapters) < min_words:
        chapters += [Chapter(f"Chapter {len(chapters) + i + 1}", s) for i, s in enumerate(stories)]
    book = write_work(Work(Metadata(title="Long work"), chapters, "txt"), "epub")
    return read_work(book, "long.epub")


def corpus(min_words: int, seed_only: bool) -> str:
    return build([SEED] if seed_only else [SEED, *PUBLIC_DOMAIN], min_words)


def timed_analyse(text: str) -> float:
    start = time.perf_counter()
    analyse(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--seed-only", action="store_true", help="the seed story, once")
    parser.add_argument("--no-real", action="store_true", help="skip the real AO3 dev works")
    args = parser.parse_args()
    text = corpus(1 if args.seed_only else args.words, args.seed_only)
    words = len(text.split())
    analyse("You wake. He is there.")  # load the pipeline and the classifier before timing
    parse = bare_parse_seconds(text)
    full = timed_analyse(text)
    print(f"corpus: {words:,} words")
    print(f"bare parse: {parse:6.2f} s  {words / parse:8,.0f} words/s")
    print(f"analyse:    {full:6.2f} s  {words / full:8,.0f} words/s")
    print(f"ratio analyse / bare parse: {full / parse:.2f}x (goal <= 1.5x)")
    work = multi_chapter_work(150_000)
    words = len(work.text.split())
    parse = bare_parse_seconds(work.text)
    start = time.perf_counter()
    api.analyse_work(work)
    full = time.perf_counter() - start
    print(f"long work: {len(work.chapters)} chapters, {words:,} words")
    print(f"bare parse: {parse:6.2f} s  {words / parse:8,.0f} words/s")
    print(f"analyse:    {full:6.2f} s  {words / full:8,.0f} words/s")
    print(
        f"ratio analyse / bare parse (long multi-chapter work): {full / parse:.2f}x (goal <= 1.5x)"
    )
    if not args.no_real:
        real_works()


def real_works() -> None:
    """The five longest real AO3 dev works, when the corpus is here."""
    from ao3_dev import DEFAULT_DIR, available, dev_works

    if not available(DEFAULT_DIR):
        print("real works: the AO3 dev corpus is not unpacked here; skipped")
        return
    works = sorted(dev_works(DEFAULT_DIR, include_unknown=True), key=lambda w: -len(w.hidden))[:5]
    parse = full = 0.0
    words = 0
    for dev in works:
        work = api.open_work(dev.hidden, filename=dev.file)
        words += len(work.text.split())
        parse += bare_parse_seconds(work.text)
        start = time.perf_counter()
        api.analyse_work(work)
        full += time.perf_counter() - start
    print(f"real works: the {len(works)} longest AO3 dev works, {words:,} words")
    print(f"ratio analyse / bare parse (long real works): {full / parse:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
