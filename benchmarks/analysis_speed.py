"""How much does ``analyse`` cost over the bare spaCy parse? (goal: at most 1.5x)

The corpus is the seed and the four public-domain stories from ``tests/data``, joined by blank lines
and repeated whole until it has at least 100,000 words (the seed once per round, so the mix of
reader-insert and classic prose stays the same). Both timings run in this one process with the
pipeline already loaded:

- bare parse: the full pipeline (tagger, parser, NER …) over every paragraph with ``nlp.pipe``;
- analyse: ``ynsert.analysis.analyse`` on the whole corpus text (its one parse plus every
  analysis, the classifier included when installed).

    .venv/bin/python benchmarks/analysis_speed.py [--words 100000] [--seed-only]
"""

from __future__ import annotations

import argparse
import time

from corpus import PUBLIC_DOMAIN, SEED, bare_parse_seconds, build

from ynsert.analysis import analyse


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


if __name__ == "__main__":
    main()
