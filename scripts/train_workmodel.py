"""Train the work-level warning model (``ynsert/analysis/data/work_model.json``) on the workset's
dev part only; the held-out part is never read here.

    .venv/bin/python scripts/train_workmodel.py [--check]

Per warning with enough dev examples (MCD, Graphic Violence): features from the rules and from
the passage model read over every window (``ynsert.analysis.workmodel.work_features``), a
standardised L2 logistic regression (Newton steps, numpy only), and a decision threshold chosen
on leave-one-out predictions over the dev works: the best F1 with at most 5% false alarms on
the dev works without that warning. The leave-one-out F1 of the model and of the rules alone
are printed, so whether the model pays off is measured, not assumed. ``--check`` prints them
without writing the file. Deterministic: no randomness anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import workset  # noqa: E402

from ynsert.analysis import warnings_model, workmodel  # noqa: E402
from ynsert.analysis.cast import analyse_cast  # noqa: E402
from ynsert.analysis.deaths import find_deaths  # noqa: E402
from ynsert.analysis.parsed import parse_story  # noqa: E402
from ynsert.analysis.violence import violent_passages  # noqa: E402
from ynsert.document import Document  # noqa: E402

OUT = REPO / "ynsert" / "analysis" / "data" / workmodel.MODEL_RESOURCE
L2 = 1.0
MAX_FALSE_ALARMS = 0.05


def features_of(text: str) -> dict[str, list[float]]:
    parsed = parse_story(Document(text))
    cast = analyse_cast(parsed).cast
    names = {w for c in cast.characters for n in (c.name, *c.aliases) for w in n.split()}
    reads = workmodel.read_windows(parsed, warnings_model.score_passages)
    return workmodel.work_features(
        reads,
        find_deaths(parsed, names),
        list(violent_passages(parsed)),
        warnings_model.thresholds(),
    )


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Standardised L2 logistic regression by Newton's method."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    design = np.hstack([np.ones((len(z), 1)), z])
    w = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * L2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        grad = design.T @ (p - y) + penalty @ w
        hess = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w[1:], float(w[0]), mean, scale


def predict(params: tuple[np.ndarray, float, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    w, b, mean, scale = params
    return 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))


def leave_one_out(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros(len(y))
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        out[i] = predict(fit(x[keep], y[keep]), x[i : i + 1])[0]
    return out


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int((y & pred).sum())
    return 2 * tp / (2 * tp + int((pred & ~y).sum()) + int((~pred & y).sum())) if tp else 0.0


def choose_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """Best leave-one-out F1 with at most 5% false alarms; of equal ones the highest threshold
    (the most conservative: a small dev set must not buy recall with a low cut)."""
    negatives = max(1, int((~y).sum()))
    best = (-1.0, 0.5)
    for cut in sorted(set(np.round(p, 4))):
        pred = p >= cut
        if (pred & ~y).sum() / negatives > MAX_FALSE_ALARMS:
            continue
        score = f1(y, pred)
        if score >= best[0]:
            best = (score, float(cut))
    return best[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print figures, write nothing")
    args = parser.parse_args(argv)
    dev = [w for w in workset.load() if not w.held_out]
    rows = [features_of(w.text) for w in dev]
    params: dict[str, dict[str, object]] = {}
    for key, names in workmodel.FEATURES.items():
        x = np.array([r[key] for r in rows])
        y = np.array([w.labels[key] for w in dev])
        loo = leave_one_out(x, y)
        cut = choose_threshold(y, loo)
        rules = x[:, 0] >= 0.5 if key == "mcd" else x[:, 0] > 0
        print(
            f"{key}: dev n={len(y)} positives={int(y.sum())}  leave-one-out F1 "
            f"model {f1(y, loo >= cut):.2f} (threshold {cut:.3f})  rules alone {f1(y, rules):.2f}"
        )
        w, b, mean, scale = fit(x, y)
        params[key] = {
            "features": list(names),
            "weights": [round(float(v), 6) for v in w],
            "bias": round(b, 6),
            "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "threshold": cut,
            "loo_f1_model": round(f1(y, loo >= cut), 3),
            "loo_f1_rules": round(f1(y, rules), 3),
        }
    if not args.check:
        data = {"trained_on": sorted(w.id for w in dev), "warnings": params}
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
