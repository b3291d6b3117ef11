"""Benchmark corpora and the bare-parse baseline, shared by the speed benchmarks.

Corpora are built from ../shared (nothing is downloaded): stories joined by blank lines and
repeated whole until the text has the words asked for.
"""

from __future__ import annotations

import time
from pathlib import Path

from ynsert.document import pipeline
from ynsert.document.segment import split_paragraphs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "seed.txt"
PUBLIC_DOMAIN = sorted((SHARED / "eval" / "pd").glob("*.txt"))
READER_STORIES = [SEED, SHARED / "eval" / "pd" / "haunted-mind.second-person.txt"]


def build(files: list[Path], min_words: int) -> str:
    """The stories, joined by blank lines, repeated whole to at least ``min_words`` words."""
    unit = "\n\n".join(f.read_text(encoding="utf-8").strip() for f in files)
    copies = -(-min_words // len(unit.split()))
    return "\n\n".join([unit] * copies)


def bare_parse_seconds(text: str) -> float:
    """The naive baseline: the full pipeline (NER included) over every paragraph."""
    nlp = pipeline.load()
    paragraphs = [text[s:e] for s, e in split_paragraphs(text)]
    start = time.perf_counter()
    for _ in nlp.pipe(paragraphs, batch_size=64):
        pass
    return time.perf_counter() - start
