"""Benchmark corpora and the bare-parse baseline, shared by the speed benchmarks.

Corpora are built from the bundled test data, ``tests/data`` (nothing is downloaded):
stories joined by blank lines and repeated whole until the text has the words asked for.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# Data paths are defined once, in tests/data/__init__.py (a package named ``data`` there).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from data import HAUNTED_MIND, PUBLIC_DOMAIN, SEED  # noqa: E402

from ynsert.document import pipeline  # noqa: E402
from ynsert.document.segment import split_paragraphs  # noqa: E402

__all__ = ["PUBLIC_DOMAIN", "READER_STORIES", "SEED", "bare_parse_seconds", "build"]

READER_STORIES = [SEED, HAUNTED_MIND]


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
