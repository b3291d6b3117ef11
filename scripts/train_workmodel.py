"""Fit the work-level warning model (``ynsert/analysis/data/work_model.json``) on real AO3 works.

    .venv/bin/python scripts/train_workmodel.py collect [DIR]   # signals of every dev work
    .venv/bin/python scripts/train_workmodel.py fit [--check]   # cross-validate, then write

``collect`` reads the dev split (``benchmarks/ao3_dev.py``: only the works listed in
``../shared/eval/ao3-dev.tsv``, declared tags removed, story + summary + notes kept), runs the
analysis on each exactly as ``api.analyse_work`` does and keeps, per work, the signals
``content.archive_signals`` computes (a handful of numbers per warning, no text) and the
declared warnings, in ``~/.cache/ynsert-dev/warning-signals.json`` (outside the repository).

``fit``, per warning with enough positives (MCD, Graphic Violence): a standardised L2 logistic
regression (scikit-learn) on ``workmodel.FEATURES``. Its figures are stratified 5-fold
cross-validation **by work** (each work is one row, so no work is ever scored by a model that
saw it), and the decision threshold inside each fold is chosen on that fold's training part
only (its own inner out-of-fold predictions): the best F1 with at most 3 % false alarms. The
rules alone at their fixed 0.5 cut are printed beside it. The shipped model is then fitted on
every dev work, with the threshold chosen the same way on all of them, but only where its
cross-validated F1 beats the rules alone: otherwise that warning stays on the rules (a fitted
model that loses to the rules on unseen works is not worth its weights). Rape/Non-Con and
Underage (1 and 4 dev positives) stay on rules and the author's words; nothing is fitted.

Deterministic (fixed folds, lbfgs, rounded output): two runs write the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from ao3_dev import DEFAULT_DIR, DevWork, available, dev_works  # noqa: E402

from ynsert.analysis import workmodel  # noqa: E402

OUT = REPO / "ynsert" / "analysis" / "data" / workmodel.MODEL_RESOURCE
SIGNALS = DEFAULT_DIR.parent.parent / "warning-signals.json"
FITTED = ("mcd", "graphic_violence")
MAX_FALSE_ALARMS = 0.03
C = 0.3  # L2 strength: few positives, so a strong prior towards small weights
FOLDS = 5


def _signals_of(work: DevWork) -> dict[str, Any] | None:
    from ynsert import api
    from ynsert.errors import YnsertError

    try:
        report = api.analyse_work(api.open_work(work.hidden, filename=work.file))
    except YnsertError:
        return None
    return {
        "id": work.work_id,
        "declared": sorted(work.declared),
        "signals": report.content.signals,
        "rules": report.content.rules,  # the rules' own decisions, whatever model is shipped
    }


def collect(directory: Path) -> None:
    works = list(dev_works(directory))
    with ProcessPoolExecutor(2) as pool:
        rows = [r for r in pool.map(_signals_of, works, chunksize=2) if r and r["signals"]]
    SIGNALS.write_text(json.dumps(rows, indent=0), encoding="utf-8")
    print(f"{len(rows)} dev works' signals written to {SIGNALS}")


def _matrix(rows: list[dict[str, Any]], key: str) -> tuple[np.ndarray, np.ndarray]:
    names = workmodel.FEATURES[key]
    x = np.array([[r["signals"][key].get(n, 0.0) for n in names] for r in rows], dtype=float)
    y = np.array([workmodel.KEYS[key] in r["declared"] for r in rows], dtype=int)
    return x, y


class NonNegativeLogistic:
    """A standardised L2 logistic regression (scikit-learn) whose weights are all ≥ 0: every
    signal is evidence *for* its warning, so more of it must never lower the probability. With
    a few dozen positives an unconstrained fit gives some signals negative weights (the rules'
    "a major character dies" fired on more false alarms than true deaths), and the seed story,
    where the reader dies, came out at 2 %. A signal whose weight comes out negative is dropped
    (weight 0) and the rest refitted, until none is negative (an active-set fit)."""

    def fit(self, x: np.ndarray, y: np.ndarray) -> NonNegativeLogistic:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        self.scaler = StandardScaler().fit(x)
        z = self.scaler.transform(x)
        active = list(range(x.shape[1]))
        while True:
            model = LogisticRegression(C=C, max_iter=1000).fit(z[:, active], y)
            negative = [a for a, w in zip(active, model.coef_[0], strict=True) if w < 0]
            if not negative or len(active) == 1:
                break
            active = [a for a in active if a not in negative]
        self.coef = np.zeros(x.shape[1])
        self.coef[active] = np.maximum(model.coef_[0], 0.0)
        self.intercept = float(model.intercept_[0])
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = self.scaler.transform(x) @ self.coef + self.intercept
        p = 1 / (1 + np.exp(-z))
        return np.column_stack([1 - p, p])


def _model() -> NonNegativeLogistic:
    return NonNegativeLogistic()


def _threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The best-F1 cut with at most MAX_FALSE_ALARMS of the negatives flagged (ties: higher)."""
    best, best_f1 = 1.0, -1.0
    negatives = max(1, int((y == 0).sum()))
    for cut in sorted(set(np.round(p, 6)), reverse=True):
        flagged = p >= cut
        fp = int((flagged & (y == 0)).sum())
        if fp / negatives > MAX_FALSE_ALARMS:
            continue
        tp = int((flagged & (y == 1)).sum())
        f1 = 2 * tp / (flagged.sum() + y.sum()) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best


def _oof(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(y))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(x, y):
        p[test] = _model().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return p


def cross_validate(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Outer folds by work; each fold's threshold from inner folds of its training part."""
    from sklearn.model_selection import StratifiedKFold

    flagged = np.zeros(len(y), dtype=bool)
    p_out = np.zeros(len(y))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(x, y):
        cut = _threshold(_oof(x[train], y[train], seed=1), y[train])
        p_out[test] = _model().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
        flagged[test] = p_out[test] >= cut
    return _figures(flagged, y) | {"auc": _auc(p_out, y)}


def _figures(flagged: np.ndarray, y: np.ndarray) -> dict[str, float]:
    tp = int((flagged & (y == 1)).sum())
    fp = int((flagged & (y == 0)).sum())
    fn = int((~flagged & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fa = fp / max(1, int((y == 0).sum()))
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "recall": recall,
        "precision": precision,
        "f1": f1,
        "false_alarms": fa,
    }


def _auc(p: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else 0.0


def _row(name: str, f: dict[str, float]) -> str:
    auc = f" | {f['auc']:.2f}" if "auc" in f else " | –"
    return (
        f"| {name} | {f['tp']}/{f['tp'] + f['fn']} | {f['recall']:.2f} | {f['precision']:.2f} "
        f"| **{f['f1']:.2f}** | {f['false_alarms']:.1%}{auc} |"
    )


def fit(check: bool) -> None:
    rows = json.loads(SIGNALS.read_text(encoding="utf-8"))
    print(f"{len(rows)} dev works; {FOLDS}-fold cross-validation by work\n")
    print("| warning | found | recall | precision | F1 | false alarms | AUC |")
    print("|---|---|---|---|---|---|---|")
    params: dict[str, Any] = {}
    for key in FITTED:
        x, y = _matrix(rows, key)
        name = workmodel.KEYS[key]
        rules = np.array([r["rules"].get(name, 0.0) >= 0.5 for r in rows])
        print(_row(f"{name}, rules alone", _figures(rules, y)))
        figures = cross_validate(x, y)
        print(_row(f"{name}, work model (CV)", figures))
        ruled = _figures(rules, y)
        if figures["f1"] <= ruled["f1"]:
            print(f"| {name}: the model does not beat the rules in cross-validation; not shipped |")
            continue
        model = _model().fit(x, y)
        scaler = model.scaler
        params[key] = {
            "features": list(workmodel.FEATURES[key]),
            "mean": _rounded(scaler.mean_),
            "scale": _rounded(scaler.scale_),
            "weights": _rounded(model.coef),
            "bias": round(model.intercept, 10),
            "threshold": round(_threshold(_oof(x, y, seed=1), y), 6),
            "cross_validated": {k: round(float(v), 4) for k, v in figures.items()},
            "positives": int(y.sum()),
            # how often the rules alone are right on these works: a rule detection the model
            # does not confirm is shown as "possible" at this share of its confidence
            "rules_precision": round(_figures(rules, y)["precision"], 4),
        }
    if check:
        return
    data = {
        "source": "scripts/train_workmodel.py on the dev split of real AO3 works "
        "(../shared/eval/ao3-dev.tsv; signals only, no text)",
        "trained_on": sorted(r["id"] for r in rows),
        "warnings": params,
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 10) for v in values]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("collect", "fit"))
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--check", action="store_true", help="print figures, write nothing")
    args = parser.parse_args()
    if args.step == "collect":
        if not available(args.dir):
            print(f"no dev corpus at {args.dir}: see benchmarks/ao3_dev.py")
            return 1
        collect(args.dir)
    else:
        fit(args.check)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
