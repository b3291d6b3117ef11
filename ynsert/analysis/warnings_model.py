"""Passage-level content-warning scores from a small shipped linear model.

What it catches: whether a passage of about five sentences *depicts* one of eight warnings of
the trigger-passages data set (Wiegmann et al. 2024) -- ``death``, ``violence``, ``abduction``,
``war``, ``misogyny``, ``racism``, ``ableism``, ``homophobia`` -- rather than merely using a
word that sounds like it. It was trained on passages that all contain a keyword for their
warning, so it is best at telling a literal use from a figurative one. For example (invented
sentences, not from the data set)::

    >>> s = score_passage("He drove the knife into your side and you screamed as blood ran.")
    >>> s["violence"] > score_passage("You killed it at karaoke, everyone cheered.")["violence"]
    True

Each score is the model's estimate of the share of three annotators who would flag the
passage for that warning (it was trained on the vote share, not on one yes/no label), so it is a
probability in [0, 1]. ``thresholds("majority")`` (would most annotators flag it?, the default)
and ``thresholds("minority")`` (would anyone?) turn scores into decisions; both were tuned on
out-of-fold training predictions (folds holding out whole keywords) for balanced accuracy,
never on test data.

Limits:

* It is a bag of word and character n-grams: it does not parse, so negation, who does what to
  whom and sarcasm are invisible to it. Rules over the spaCy parse should supply evidence.
* Training data are small (1,818 passages, 68-675 per warning) and annotators agreed only
  weakly (Krippendorff's alpha 0.35), so scores are noisy: on passages found by keywords it
  was not trained on, balanced accuracy is roughly 0.55-0.65 (see
  ``benchmarks/warnings_eval.py``). The discrimination warnings are the weakest.
* Scores only mean something for passages that plausibly concern the warning: every training
  passage contained a keyword for its warning. On unrelated text they sit near the
  per-warning bias, often close to the threshold, so gate them with keyword or rule evidence
  and use the score as the confidence of that evidence, never as a detector on its own.
* ``racism`` is uninformative: ``train.jsonl`` has 2 racism negatives in 68 passages. Training
  uses the other warnings' passages as extra negatives, but the model still scores almost
  every passage about 0.5-0.6 for racism, above its threshold. Do not use it without evidence.
* It covers the data set's eight warnings, not AO3's archive warnings as such.

Inference is pure Python and numpy: the vectoriser below mirrors
scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (smooth idf, l2 norm per block), and
``scripts/train_warnings.py`` checks that it reproduces scikit-learn's probabilities.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

MODEL_RESOURCE = "warnings_model.json"

# The data set's texts were normalised like this before release; inference must match it.
_QUOTES = str.maketrans({"\u201c": "'", "\u201d": "'", "\u2018": "'", "\u2019": "'", '"': "'"})
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-"})
_WORD_RE = re.compile(r"(?u)\b\w\w+\b")
_SPACE_RE = re.compile(r"\s\s+")


def normalise(text: str) -> str:
    """Lowercase and normalise quotes, dashes and ellipses as the training passages were."""
    text = text.lower().translate(_QUOTES).translate(_DASHES)
    return text.replace("\u2026", "...")


def word_ngrams(text: str, max_n: int = 2) -> list[str]:
    """Word 1..max_n-grams of an already normalised text (scikit-learn's default tokens)."""
    tokens = _WORD_RE.findall(text)
    grams = list(tokens)
    for n in range(2, max_n + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_ngrams(text: str, min_n: int = 2, max_n: int = 5) -> list[str]:
    """Character n-grams inside space-padded words, exactly like scikit-learn's ``char_wb``.

    Character n-grams let unseen inflections ("strangled", "strangling") share evidence.
    """
    grams: list[str] = []
    for word in _SPACE_RE.sub(" ", text).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(min_n, max_n + 1):
            if size <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def _char_analyzer(text: str) -> list[str]:
    return char_ngrams(text)


def _word_analyzer(text: str) -> list[str]:
    return word_ngrams(text)


# Block name -> analyzer. The training script builds its vectorisers from these same functions,
# so training and inference cannot drift apart.
ANALYZERS = {"word": _word_analyzer, "char": _char_analyzer}


def _block_features(
    grams: Iterable[str], vocab: dict[str, int], idf: list[float]
) -> dict[int, float]:
    """Sublinear tf-idf of one block, l2-normalised over the block's known terms."""
    counts = Counter(g for g in grams if g in vocab)
    feats = {vocab[g]: (1.0 + math.log(c)) * idf[vocab[g]] for g, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in feats.values()))
    return {i: v / norm for i, v in feats.items()} if norm else {}


class WarningsModel:
    """A loaded model: per-block vocabularies, idf and weight matrices; per-warning bias."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self.blocks: dict[str, tuple[dict[str, int], list[float]]] = {
            name: ({t: i for i, t in enumerate(b["terms"])}, b["idf"])
            for name, b in data["blocks"].items()
        }
        # One dense (terms x labels) matrix per block: a passage then costs one small matrix
        # product instead of a dictionary lookup per feature and label.
        self.weights: dict[str, np.ndarray] = {
            name: _dense_weights(data["weights"], self.labels, name, len(b["terms"]))
            for name, b in data["blocks"].items()
        }
        self.bias = np.array([data["bias"][label] for label in self.labels])
        self.thresholds: dict[str, dict[str, float]] = data["thresholds"]

    def features(self, text: str) -> dict[str, dict[int, float]]:
        """The normalised tf-idf vector of ``text``, one sparse dict per block."""
        text = normalise(text)
        return {
            name: _block_features(ANALYZERS[name](text), vocab, idf)
            for name, (vocab, idf) in self.blocks.items()
        }

    def score(self, text: str) -> dict[str, float]:
        """Probability per warning (the expected share of annotators who would flag it)."""
        z = self.bias.copy()
        for name, vector in self.features(text).items():
            if vector:
                index = np.fromiter(vector.keys(), dtype=np.intp, count=len(vector))
                values = np.fromiter(vector.values(), dtype=np.float64, count=len(vector))
                z += values @ self.weights[name][index]
        return {label: _sigmoid(float(v)) for label, v in zip(self.labels, z, strict=True)}


def _dense_weights(
    weights: dict[str, Any], labels: tuple[str, ...], block: str, size: int
) -> np.ndarray:
    """Scatter the file's sparse per-label weights of one block into a (size x labels) matrix."""
    matrix = np.zeros((size, len(labels)))
    for column, label in enumerate(labels):
        sparse = weights[label][block]
        matrix[sparse["index"], column] = sparse["value"]
    return matrix


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


@cache
def load_model() -> WarningsModel:
    """Load the shipped model once per process."""
    ref = resources.files("ynsert.analysis").joinpath("data", MODEL_RESOURCE)
    return WarningsModel(json.loads(ref.read_text(encoding="utf-8")))


def score_passage(text: str) -> dict[str, float]:
    """Score one passage (ideally 3-6 sentences) for every warning in ``WARNING_LABELS``."""
    return load_model().score(text)


def score_passages(texts: list[str]) -> list[dict[str, float]]:
    """Score many passages; see :func:`score_passage`. A passage scored before (the gated
    classifier and the work model read the same windows) is not scored again."""
    return [dict(_cached_score(t)) for t in texts]


@lru_cache(maxsize=4096)
def _cached_score(text: str) -> tuple[tuple[str, float], ...]:
    return tuple(load_model().score(text).items())


WARNING_LABELS: tuple[str, ...] = (
    "death",
    "violence",
    "abduction",
    "war",
    "misogyny",
    "racism",
    "ableism",
    "homophobia",
)


def thresholds(rule: str = "majority") -> dict[str, float]:
    """Per-warning decision thresholds; ``rule`` is "majority" or "minority"."""
    return dict(load_model().thresholds[rule])
