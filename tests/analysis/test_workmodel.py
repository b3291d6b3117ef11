"""The shipped work model agrees with the code that computes its signals."""

from __future__ import annotations

import json
from importlib import resources

from ynsert.analysis import workmodel
from ynsert.analysis.content import SHOWN_FROM, flag_level
from ynsert.document import Document


def test_the_shipped_model_reads_the_signals_the_analysis_computes() -> None:
    model = workmodel.load()
    assert model is not None and set(model.params) <= set(workmodel.KEYS)
    from ynsert.analysis import analyse

    signals = analyse(Document("He stabbed you. You died in his arms.")).content.signals
    for key, params in model.params.items():
        # a model fitted on other signals than these would silently read zeros
        assert params["features"] == list(workmodel.FEATURES[key])
        assert set(params["features"]) <= set(signals[key])
        assert all(w >= 0 for w in params["weights"])  # evidence never lowers the probability
        assert SHOWN_FROM <= flag_level(workmodel.KEYS[key], model) < 1


def test_the_model_file_holds_numbers_and_ids_only() -> None:
    ref = resources.files("ynsert.analysis").joinpath("data", workmodel.MODEL_RESOURCE)
    data = json.loads(ref.read_text(encoding="utf-8"))
    assert data["source"].startswith("scripts/train_workmodel.py")
    assert all(w.isdigit() for w in data["trained_on"])  # AO3 work ids, no titles or text
    strings = [s for p in data["warnings"].values() for s in p["features"]]
    assert set(strings) <= {f for names in workmodel.FEATURES.values() for f in names}
