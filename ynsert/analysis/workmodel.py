"""A work-level model: every window of the work is read, the reads are pooled, and a small
calibrated logistic model weighs them together with the rules' evidence.

The rules (``deaths``, ``violence``, ``consent``) only see what their cues name; the shipped
passage model (``warnings_model``) reads any passage. Here it scores *every* window of five
sentences of the work (not only those holding rule evidence), and the scores are pooled per
work (the best window, the mean of the best three). With the rules' confidences these make a
few features per warning; a logistic model per warning turns them into a probability, and the
decision threshold was chosen on the workset's *dev* part (``scripts/train_workmodel.py``),
never on its held-out part.

What it is worth, measured (leave-one-out on the 41 dev works): MCD F1 0.97 against 0.93 for
the rules at their fixed 0.5 cut, but a logistic model on the two rule features alone also gets
0.97 — the gain is the calibration of the rules' confidences (a reader's fading without a
wound, 0.45, is a death more often than not), not the window reads. WordLlama embeddings
(0.3.9, bundled weights, loaded offline) in place of or beside the tf-idf reads changed nothing
either (AUC 0.944-0.946 for all three), so no embedding package is used. With 41 works the
comparison cannot show small gains.

    >>> from ynsert.analysis.workmodel import load, work_features  # doctest: +SKIP
    >>> model = load()
    >>> model.probability("mcd", features["mcd"])                     # doctest: +SKIP

Only ``mcd`` and ``graphic_violence`` have a model: the dev part holds one work each for
Rape/Non-Con and Underage, too few to learn from, so those stay on rules alone. Cost: about
0.5 ms per window (pure numpy), a few percent of the parse.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ynsert.analysis.deaths import Death
from ynsert.analysis.parsed import Parsed
from ynsert.analysis.violence import ViolentPassage

WINDOW = 5
MODEL_RESOURCE = "work_model.json"
#: warning key → the passage model's label read for it
PASSAGE_LABEL = {"mcd": "death", "graphic_violence": "violence"}
FEATURES: dict[str, tuple[str, ...]] = {
    "mcd": ("rule_major", "rule_other", "read_max", "read_top3"),
    "graphic_violence": ("rule_graphic", "rule_depicted", "read_max", "read_top3"),
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


def _pooled(reads: Sequence[WindowRead], label: str) -> tuple[float, float]:
    """The best window and the mean of the best three. (The share of windows above a cut was
    tried and dropped: it depends on the work's length, and a one-window text scored 1.0.)"""
    values = sorted((r.scores.get(label, 0.0) for r in reads), reverse=True)
    if not values:
        return 0.0, 0.0
    return values[0], sum(values[:3]) / len(values[:3])


def work_features(
    reads: Sequence[WindowRead],
    deaths: Sequence[Death],
    passages: Sequence[ViolentPassage],
    cuts: dict[str, float],
) -> dict[str, list[float]]:
    """Per warning key, the feature vector in ``FEATURES`` order."""
    major = max((d.confidence for d in deaths if d.major and d.status == "depicted"), default=0)
    other = max((d.confidence for d in deaths if not d.major), default=0.0)
    graphic = sum(p.grade == "graphic" for p in passages)
    depicted = sum(p.grade == "depicted" for p in passages)
    death = _pooled(reads, "death")
    violent = _pooled(reads, "violence")
    return {
        "mcd": [float(major), float(other), *death],
        "graphic_violence": [math.log1p(graphic), math.log1p(depicted), *violent],
    }


@dataclass(frozen=True)
class WorkModel:
    """Per warning: standardisation, logistic weights, bias and the dev-chosen threshold."""

    params: dict[str, dict[str, Any]]

    def probability(self, key: str, features: Sequence[float]) -> float | None:
        p = self.params.get(key)
        if p is None:
            return None
        z = p["bias"] + sum(
            w * (x - m) / s
            for w, x, m, s in zip(p["weights"], features, p["mean"], p["scale"], strict=True)
        )
        return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))

    def threshold(self, key: str) -> float:
        return float(self.params[key]["threshold"])

    def best_window(self, key: str, reads: Sequence[WindowRead]) -> WindowRead | None:
        label = PASSAGE_LABEL[key]
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
