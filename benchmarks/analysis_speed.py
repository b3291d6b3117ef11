"""How much does ``analyse`` cost over the bare spaCy parse? (goal: at most 1.5x)

The corpus is the seed and the four public-domain stories from ../shared, joined by blank lines
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
from pathlib import Path

from ynsert import nlp as pipeline
from ynsert.analysis import analyse
from ynsert.story import split_paragraphs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SOURCES = [
    SHARED / "seed" / "seed.txt",
    *sorted((SHARED / "eval" / "pd").glob("*.txt")),
]


def corpus(min_words: int, seed_only: bool) -> str:
    stories = [p.read_text(encoding="utf-8") for p in SOURCES[: 1 if seed_only else None]]
    parts: list[str] = []
    words = 0
    while words < min_words:
        for story in stories:
            parts.append(story.strip())
            words += len(story.split())
    return "\n\n".join(parts)


def bare_parse(text: str) -> float:
    nlp = pipeline.load(with_entities=True)
    paragraphs = [text[s:e] for s, e in split_paragraphs(text)]
    start = time.perf_counter()
    for _ in nlp.pipe(paragraphs, batch_size=64):
        pass
    return time.perf_counter() - start


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
    parse = bare_parse(text)
    full = timed_analyse(text)
    print(f"corpus: {words:,} words")
    print(f"bare parse: {parse:6.2f} s  {words / parse:8,.0f} words/s")
    print(f"analyse:    {full:6.2f} s  {words / full:8,.0f} words/s")
    print(f"ratio analyse / bare parse: {full / parse:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
