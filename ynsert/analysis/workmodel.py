"""The work-level decision: every signal a work gives for an archive warning, weighed together.

A warning is a claim about a whole work, and real fan works earn one in many ways: a death told
on the page, in passing, or only in the summary; a fight scene; a minor's age implied far from
the sex. No single rule sees all of it, so each warning gets a few work-level *signals*:

* the rules' evidence (``deaths``: who dies, how major they are by their share of the cast's
  mentions; ``violence``: graphic and depicted sentences; ``consent``: non-consent and age cues),
* the passage model (``warnings_model``) read over every window of five sentences, pooled
  (the best window, the mean of the best three),
* how often the work's narration speaks of the thing at all (hits per 1,000 words),
* what the author tells readers in the summary and notes (``preface``: a cue, or a denial).

A logistic model per warning, fitted with scikit-learn on the real AO3 works of the dev split
(``scripts/train_workmodel.py``; cross-validated by work, never scored on a work it saw), turns
them into a probability, which is the confidence shown to readers. Inference is numpy-free
arithmetic over a handful of numbers.

    >>> model = load()
    >>> quiet = {name: 0.0 for name in FEATURES["mcd"]}
    >>> told = {**quiet, "preface": 1.0, "rule_major": 0.9, "major_share": 0.3}
    >>> model.probability("mcd", told) > model.probability("mcd", quiet)
    True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ynsert.analysis.parsed import Parsed
from ynsert.vocab.labels import ARCHIVE_WARNINGS

WINDOW = 5
MODEL_RESOURCE = "work_model.json"
#: warning key → archive warning name, and the passage model's label read for it
KEYS = dict(
    zip(("mcd", "graphic_violence", "rape_noncon", "underage"), ARCHIVE_WARNINGS, strict=True)
)
PASSAGE_LABEL = {"mcd": "death", "graphic_violence": "violence"}
FEATURES: dict[str, tuple[str, ...]] = {
    "mcd": (
        "rule_major",
        "major_share",
        "read_max",
        "density",
        "narrated",
        "mourning",
        "preface",
    ),
    "graphic_violence": (
        "rule_graphic",
        "rule_depicted",
        "read_max",
        "density",
        "narrated",
        "preface",
    ),
    "rape_noncon": ("rule_cue", "sexual", "preface"),
    "underage": ("rule_cue", "sexual", "preface"),
}


@dataclass(frozen=True)
class WindowRead:
    start: int
    end: int
    scores: dict[str, float]


def read_windows(parsed: Parsed, scorer: Any) -> list[WindowRead]:
    """Score every window of ``WINDOW`` sentences with the passage model."""
    sentences = parsed.sentences
    groups = [sentences[i : i + WINDOW] for i in range(0, len(sentences), WINDOW)]
    texts = [parsed.text[g[0].start : g[-1].end] for g in groups]
    scores = scorer(texts) if texts else []
    return [WindowRead(g[0].start, g[-1].end, dict(s)) for g, s in zip(groups, scores, strict=True)]


def pooled(reads: Sequence[WindowRead], label: str) -> tuple[float, float]:
    """The best window and the mean of the best three. (The share of windows above a cut was
    tried and dropped: it depends on the work's length, and a one-window text scored 1.0.)"""
    values = sorted((r.scores.get(label, 0.0) for r in reads), reverse=True)
    if not values:
        return 0.0, 0.0
    return values[0], sum(values[:3]) / len(values[:3])


def per_thousand(count: int, words: int) -> float:
    """A count as log(1 + hits per 1,000 words): long works are not warned for length alone."""
    return math.log1p(1000 * count / max(words, 200))


@dataclass(frozen=True)
class WorkModel:
    """Per warning: feature names, standardisation, logistic weights, bias and threshold."""

    params: dict[str, dict[str, Any]]

    def probability(self, key: str, signals: Mapping[str, float]) -> float | None:
        p = self.params.get(key)
        if p is None:
            return None
        z = p["bias"] + sum(
            w * (signals.get(name, 0.0) - m) / s
            for name, w, m, s in zip(
                p["features"], p["weights"], p["mean"], p["scale"], strict=True
            )
        )
        return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))

    def rules_precision(self, key: str) -> float:
        """The share of the rules' detections that were right on the dev works."""
        return float(self.params[key].get("rules_precision", 1.0))

    def threshold(self, key: str) -> float:
        return float(self.params[key]["threshold"])

    def best_window(self, key: str, reads: Sequence[WindowRead]) -> WindowRead | None:
        label = PASSAGE_LABEL.get(key)
        if label is None:
            return None
        return max(reads, key=lambda r: r.scores.get(label, 0.0), default=None)


@cache
def load() -> WorkModel | None:
    """The shipped work model, or None when it is missing or unreadable (rules only then)."""
    try:
        ref = resources.files("ynsert.analysis").joinpath("data", MODEL_RESOURCE)
        data = json.loads(ref.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
    return WorkModel(data["warnings"])
