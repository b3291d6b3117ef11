"""Tests for the shipped content-warning model (ynsert.analysis.warnings_model)."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections.abc import Iterable, Iterator
from importlib import resources
from types import ModuleType
from typing import Any

import pytest
from data import REPO, require_trigger_passages

from ynsert.analysis import warnings_model as wm

WINDOW = 12

# Invented sentences, not from the data set.
VIOLENT = "He drove the knife into your side and you screamed as the blood ran down your arm."
NEUTRAL = "You make a cup of tea and watch the rain from the window."
FIGURATIVE = "You killed it at karaoke last night, everyone cheered."


def _model_text() -> str:
    ref = resources.files("ynsert.analysis").joinpath("data", wm.MODEL_RESOURCE)
    return ref.read_text(encoding="utf-8")


def _strings(node: Any) -> Iterator[str]:
    """Every string (keys and values) in a JSON tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _train_module() -> ModuleType:
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location(
        "train_warnings", REPO / "scripts" / "train_warnings.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def test_model_loads_with_the_documented_labels() -> None:
    model = wm.load_model()
    assert model.labels == wm.WARNING_LABELS
    for rule in ("majority", "minority"):
        assert set(wm.thresholds(rule)) == set(wm.WARNING_LABELS)
        assert all(0.0 < t < 1.0 for t in wm.thresholds(rule).values())


def test_scores_are_probabilities_and_batch_matches_single() -> None:
    texts = [VIOLENT, NEUTRAL, FIGURATIVE, ""]
    batch = wm.score_passages(texts)
    assert batch == [wm.score_passage(t) for t in texts]
    for scores in batch:
        assert set(scores) == set(wm.WARNING_LABELS)
        assert all(0.0 <= p <= 1.0 for p in scores.values())


def test_violent_sentence_outscores_neutral_and_figurative_ones() -> None:
    violent = wm.score_passage(VIOLENT)["violence"]
    assert violent > wm.score_passage(NEUTRAL)["violence"]
    assert violent > wm.score_passage(FIGURATIVE)["violence"]
    assert violent >= wm.thresholds("majority")["violence"]


def test_normalisation_matches_the_data_set() -> None:
    text = '\u201cNo\u201d \u2014 she said\u2026 \u2018Don\u2019t\u2019 \u2013 "ok"'
    assert wm.normalise(text) == "'no' - she said... 'don't' - 'ok'"
    assert wm.score_passage(text) == wm.score_passage(wm.normalise(text))


def test_ngrams_match_scikit_learn() -> None:
    text_mod = pytest.importorskip("sklearn.feature_extraction.text")
    text = wm.normalise("You ran  -- a b it's the end, isn't it? Ünïcode too.")
    char = text_mod.CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    word = text_mod.CountVectorizer(ngram_range=(1, 2)).build_analyzer()
    assert sorted(wm.char_ngrams(text)) == sorted(char(text))
    assert sorted(wm.word_ngrams(text)) == sorted(word(text))


def _tokens(text: str) -> list[str]:
    """Words as the model's word n-grams see them (normalised, two characters or more)."""
    return wm.word_ngrams(wm.normalise(text), max_n=1)


def leaks(model: Any, passages: Iterable[str]) -> list[int]:
    """Positions of the passages that share a ``WINDOW``-word run with the model's strings.

    The strings are read in file order as one run of words, across string boundaries, so a
    passage is found whether it sits in one string or is spread over consecutive terms. Only
    positions are returned: a failure never prints passage text.
    """
    run = [word for string in _strings(model) for word in _tokens(string)]
    windows = {tuple(run[i : i + WINDOW]) for i in range(len(run) - WINDOW + 1)}
    found = []
    for position, text in enumerate(passages):
        words = _tokens(text)
        if any(tuple(words[i : i + WINDOW]) in windows for i in range(len(words) - WINDOW + 1)):
            found.append(position)
    return found


def _poisoned(passage: str, *, spread: bool) -> dict[str, Any]:
    """The shipped model with the passage's first ``WINDOW`` words added: as one string, or
    spread as two-word terms in passage order (as a vocabulary kept in text order would be)."""
    model = json.loads(_model_text())
    words = _tokens(passage)[:WINDOW]
    if spread:
        pairs = [" ".join(words[i : i + 2]) for i in range(0, WINDOW, 2)]
        model["blocks"]["word"]["terms"][100:100] = pairs
    else:
        model["about"] += " " + " ".join(words)
    return model


def test_the_leak_check_finds_a_window_and_nothing_shorter() -> None:
    passages = [NEUTRAL, VIOLENT, "Some eleven words of text that are not long enough here."]
    shipped = json.loads(_model_text())
    assert leaks(shipped, passages) == []
    assert leaks(_poisoned(VIOLENT, spread=False), passages) == [1]
    assert leaks(_poisoned(VIOLENT, spread=True), passages) == [1]
    short = json.loads(_model_text())
    short["about"] += " " + " ".join(_tokens(VIOLENT)[: WINDOW - 1])
    assert leaks(short, passages) == []


def test_model_file_holds_no_passage_text() -> None:
    data = require_trigger_passages("dataset.jsonl")
    with (data / "dataset.jsonl").open(encoding="utf-8") as fh:
        passages = [json.loads(line)["text"] for line in fh]
    long_enough = [i for i, p in enumerate(passages) if len(_tokens(p)) >= WINDOW]
    assert len(long_enough) > 0.9 * len(passages)
    assert leaks(json.loads(_model_text()), passages) == []
    # the same check on a model that holds one real passage's window finds that passage
    target = random.Random(11).choice(long_enough)
    for spread in (False, True):
        assert target in leaks(_poisoned(passages[target], spread=spread), passages)


def test_retraining_is_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    data = require_trigger_passages("train.jsonl")
    train_warnings = _train_module()
    # A small vocabulary and 2 folds keep this fast; the code path is the shipped one.
    monkeypatch.setattr(train_warnings, "MAX_FEATURES", {"word": 300, "char": 500})
    monkeypatch.setattr(train_warnings, "FOLDS", 2)
    records = train_warnings.load_records(data / "train.jsonl")
    rng = random.Random(7)
    by_warning = {w: [r for r in records if r["warning"] == w] for w in wm.WARNING_LABELS}
    subset = [r for w in wm.WARNING_LABELS for r in rng.sample(by_warning[w], 12)]
    trained = train_warnings.train(subset)
    first = train_warnings.export(trained)
    assert first == train_warnings.export(train_warnings.train(list(subset)))
    assert train_warnings.check_export(trained, first, [r["text"] for r in subset]) < 1e-6
