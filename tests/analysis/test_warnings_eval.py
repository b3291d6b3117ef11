"""The passage benchmark prints its figures beside the answers that read no text.

On a balanced set, always answering "yes" scores F1 0.667: a model's F1 there means something
only beside it and beside balanced accuracy. These tests run the benchmark's own code on a tiny
data folder of invented passages (the trigger-passages data set is not needed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from data import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import warnings_eval as ev  # noqa: E402

from ynsert.analysis.warnings_model import WARNING_LABELS  # noqa: E402

YES, NO = [1, 1, 1], [0, 0, 0]


def _record(i: int, warning: str, votes: list[int], set_id: int) -> dict[str, Any]:
    text = f"invented passage {i}: you walk home and think about {warning} for a while."
    return {"warning": warning, "labels": votes, "text": text, "example_id": i, "set_id": set_id}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Test: two yes and two no per warning (balanced); train: one yes and two no."""
    path = tmp_path_factory.mktemp("passages")
    test = [
        _record(100 * n + k, w, YES if k < 2 else NO, 1)
        for n, w in enumerate(WARNING_LABELS)
        for k in range(4)
    ]
    train = [
        _record(10_000 + 100 * n + k, w, YES if k == 0 else NO, 0)
        for n, w in enumerate(WARNING_LABELS)
        for k in range(3)
    ]
    for name, rows in (("test.jsonl", test), ("train.jsonl", train)):
        (path / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    ids = [r["example_id"] for r in test]
    balanced = {s: {"43": ids, "44": ids} for s in ("ood-majority", "ood-minority")}
    (path / "balanced_test_ids.json").write_text(json.dumps(balanced))
    return path


def _authors() -> dict[str, Any]:
    per_model = {w: {"acc": 0.5, "f1_pos": 0.5} for w in WARNING_LABELS}
    per_model["total"] = {"acc": 0.5}
    return {s: {m: per_model for m in (*ev.NON_LLM, *ev.LLM)} for s in ev.SETTINGS}


def test_metrics_and_the_always_yes_figure_on_a_balanced_set() -> None:
    assert ev.metrics([1, 1, 0, 0], [1, 1, 1, 1]) == (0.5, 0.5, pytest.approx(2 / 3))
    assert ev.metrics([1, 1, 0, 0], [0, 0, 0, 0]) == (0.5, 0.5, 0.0)
    assert ev.metrics([1, 0, 0, 0], [1, 1, 0, 0]) == (0.75, pytest.approx(5 / 6), 2 / 3)
    assert ev.metrics([0, 0], [0, 1]) == (0.5, 0.5, 0.0)  # one class present: its recall


def test_balanced_sets_print_balanced_accuracy_and_the_baselines(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [json.loads(line) for line in (folder / "test.jsonl").read_text().splitlines()]
    scores = ev.eval_ood(folder, {r["example_id"]: r for r in records}, "ood-majority")
    for w in WARNING_LABELS:
        assert scores[w]["always yes"] == (0.5, 0.5, pytest.approx(2 / 3))
        assert scores[w]["always no"] == (0.5, 0.5, 0.0)
        assert scores[w]["majority class"] == scores[w]["always no"]  # train is mostly "no"
    ev.print_setting("ood-majority", scores, _authors())
    ev.print_summary({"ood-majority": scores})
    out = capsys.readouterr().out
    assert "bal-acc" in out
    assert "always yes      acc 0.500  bal-acc 0.500  F1+ 0.667" in out
    assert "majority class  acc 0.500  bal-acc 0.500  F1+ 0.000" in out


def test_the_natural_split_prints_the_baselines_too(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = ev.eval_test_split(folder)
    assert set(results) == set(ev.RULES)
    ev.print_test_split(folder, results)
    out = capsys.readouterr().out
    for system in ev.SYSTEMS:
        assert f"mean {system}" in out
