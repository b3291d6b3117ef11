"""The trained trigger-passage classifier, seen through one narrow door.

``ynsert.analysis.warnings_model`` (trained on the trigger-passages dataset) scores passages for
death, violence, abduction, war and four kinds of discrimination. Here the story is cut into
windows of a few sentences, the size of the dataset's passages, and each window is scored once;
only windows holding rule evidence are scored, which is the model's advice and most of its cost.
Evidence is always the story's own window; the dataset's passages never leave the model.

The model's own advice is followed: its scores are gated by rule evidence, so the classifier
raises or lowers the confidence of a trigger the rules found, and never raises one alone.

When the model is not installed (or fails to load), ``available`` is False and every score is
empty: the content analysis then stands on its rules alone and says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from types import ModuleType

from ynsert.analysis.parsed import Parsed, ParsedSentence

WINDOW = 5  # sentences per passage, like the dataset's (a keyword sentence ± 2)
#: Classifier label → the trigger name used in reports.
LABELS: dict[str, str] = {
    "death": "death",
    "violence": "violence",
    "abduction": "kidnapping",
    "kidnapping": "kidnapping",
    "war": "war",
    "misogyny": "misogyny",
    "racism": "racism",
    "ableism": "ableism",
    "homophobia": "homophobia",
}
_DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class WindowScore:
    start: int
    end: int
    scores: dict[str, float]  # trigger name → probability


@dataclass(frozen=True)
class ClassifierResult:
    available: bool
    windows: tuple[WindowScore, ...]
    thresholds: dict[str, float]

    def best(self, trigger: str, offsets: Sequence[int] = ()) -> WindowScore | None:
        """The highest-scoring window for ``trigger``, among those holding ``offsets`` if given."""
        scored = [
            w
            for w in self.windows
            if trigger in w.scores and (not offsets or any(w.start <= o < w.end for o in offsets))
        ]
        return max(scored, key=lambda w: w.scores[trigger]) if scored else None

    def passes(self, trigger: str, score: float) -> bool:
        return score >= self.thresholds.get(trigger, _DEFAULT_THRESHOLD)


def _load_model() -> ModuleType | None:
    try:
        return importlib.import_module("ynsert.analysis.warnings_model")
    except Exception:  # a missing or broken model must not break the analysis
        return None


def windows(parsed: Parsed, focus: Collection[int] | None = None) -> list[list[ParsedSentence]]:
    """Consecutive windows of ``WINDOW`` sentences; with ``focus``, only those holding one of
    those sentence indexes (the sentences where rules found evidence)."""
    sentences = parsed.sentences
    groups = [sentences[i : i + WINDOW] for i in range(0, len(sentences), WINDOW)]
    if focus is None:
        return groups
    return [g for g in groups if any(s.index in focus for s in g)]


def classify(
    parsed: Parsed, model: ModuleType | None = None, *, focus: Collection[int] | None = None
) -> ClassifierResult:
    """Score the story's windows (only those around ``focus`` sentences, when given)."""
    model = model or _load_model()
    scorer: Callable[[Sequence[str]], list[dict[str, float]]] | None = getattr(
        model, "score_passages", None
    )
    if scorer is None:
        return ClassifierResult(False, (), {})
    groups = windows(parsed, focus)
    texts = [parsed.text[g[0].start : g[-1].end] for g in groups]
    try:
        raw = scorer(texts) if texts else []
        thresholds = _renamed(_thresholds(model))
    except Exception:  # a missing model file or a model error degrades to rules only
        return ClassifierResult(False, (), {})
    scored = tuple(
        WindowScore(g[0].start, g[-1].end, _renamed(scores))
        for g, scores in zip(groups, raw, strict=True)
    )
    return ClassifierResult(True, scored, thresholds)


def _renamed(scores: dict[str, float]) -> dict[str, float]:
    return {LABELS[k]: float(v) for k, v in scores.items() if k in LABELS}


def _thresholds(model: ModuleType | None) -> dict[str, float]:
    for name in ("THRESHOLDS", "thresholds"):
        value = getattr(model, name, None)
        value = value() if callable(value) else value
        if isinstance(value, dict):
            return value
    return {}
