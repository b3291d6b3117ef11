"""How fast is ``ynsert.rewrite`` next to a bare spaCy parse of the same text?

Both run in this process, one after the other, on the same corpus, so the ratio holds on a
noisy machine where absolute numbers do not.

Corpora (built from the bundled ``tests/data``; nothing is downloaded):
- ``mixed``: the seed and the four public-domain stories in tests/data/eval/pd, concatenated
  (blank line between), repeated until the text has at least 100,000 words. Most of its
  sentences do not mention "you", so this shows the gain from parsing only what is needed.
  The mix is mostly first-person prose, so the rewrite runs with ``force=True``: otherwise it
  would (rightly) leave the whole text alone after its point-of-view check.
- ``reader``: the seed and the second-person Hawthorne only, repeated to 100,000 words: the
  worst case, where nearly every sentence addresses the reader and must be parsed.

The baseline is the bare parse a naive tool would do: the full en_core_web_sm pipeline over
every paragraph with ``nlp.pipe``.

``--memory`` rewrites a 1,000,000-word reader corpus in a fresh process and prints its peak
resident memory (goal: under 1 GB).

    .venv/bin/python benchmarks/rewrite_speed.py [--words 100000] [--memory]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

from corpus import PUBLIC_DOMAIN, READER_STORIES, SEED, bare_parse_seconds, build

import ynsert
from ynsert.document import pipeline


def build_corpus(kind: str, words: int) -> str:
    return build([SEED, *PUBLIC_DOMAIN] if kind == "mixed" else READER_STORIES, words)


def rewrite(text: str) -> float:
    pipeline.load()  # model loading is not part of the rewrite's cost
    start = time.perf_counter()
    result = ynsert.rewrite(text, to="third", name="Mara", pronouns="she", force=True)
    result.text  # noqa: B018  (apply the edits: part of the job)
    return time.perf_counter() - start


def speed(kind: str, words: int) -> None:
    text = build_corpus(kind, words)
    count = len(text.split())
    parse_seconds = bare_parse_seconds(text)
    rewrite_seconds = rewrite(text)
    parse_wps, rewrite_wps = count / parse_seconds, count / rewrite_seconds
    print(
        f"{kind:7s} {count:>8,d} words  bare parse {parse_wps:>8,.0f} w/s  "
        f"rewrite {rewrite_wps:>8,.0f} w/s  ratio {rewrite_wps / parse_wps:.2f}x (goal >= 0.8x)"
    )


def memory(words: int) -> None:
    """Peak RSS of a fresh process that rewrites ``words`` words (spaCy model included)."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--peak-of", str(words)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
    print(
        f"memory  {words:>8,d} words  peak RSS {peak_mb:,.0f} MB (goal < 1024 MB), "
        f"{time.perf_counter() - start:.0f} s"
    )


def _rewrite_and_report_peak(words: int) -> None:
    text = build_corpus("reader", words)
    result = ynsert.rewrite(text, to="third", name="Mara", pronouns="she", force=True)
    assert len(result.text) > 0
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--memory", action="store_true", help="also the 1M-word peak memory")
    parser.add_argument("--peak-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_of:
        _rewrite_and_report_peak(args.peak_of)
        return
    for kind in ("mixed", "reader"):
        speed(kind, args.words)
    if args.memory:
        memory(1_000_000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"(this process peak RSS {peak} MB)")


if __name__ == "__main__":
    main()
