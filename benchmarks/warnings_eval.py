"""Archive warnings on whole works (the workset), analysis speed, and the passage model.

Usage: ``.venv/bin/python benchmarks/warnings_eval.py [--passages [DATA_DIR]] [--id] [--all]``

By default: the **work-level set** (``tests/analysis/workset``, 63 works, adjudicated labels;
``benchmarks/workset.py``), per archive warning precision, recall, F1 and the false-alarm rate
on works with no warning at all, on the *dev* part and the *held-out* part separately (the
split is a fixed hash of each id, except the works developed on before the split, which are dev:
``workset.DEV_OVERRIDES``; nothing was tuned on held-out works), beside the figures
measured before this detector existed (``BEFORE``); then the analysis speed on those works
(analyse ÷ bare parse). ``--all`` also lists each work's misses and false alarms (dev only
unless ``--show-held-out``).

``--passages`` adds the trigger-passages benchmark (it needs ../shared/data/trigger-passages).
Every table prints accuracy, balanced accuracy and positive-class F1 beside the trivial answers
on the same passages: always yes, always no, and the majority class of the training passages.
On a balanced set always yes scores F1 0.667 (accuracy and balanced accuracy 0.5), so an F1
alone says little there:

* The shipped model was trained on ``train.jsonl`` (``set_id`` 0) only, so the comparable
  settings of Wiegmann et al. (2024) are the **out-of-distribution** ones (``ood-majority``,
  ``ood-minority``): train on ``set_id`` 0, test on balanced 20+20 samples per warning of
  ``set_id`` 1, mean over 5 seeds. We use the data set's re-derived balanced ids; they are not
  the authors' exact samples, so the comparison is approximate.
* The **full test split** (2,317 passages, natural class balance) has no published figures;
  our scores there are printed alone.
* ``--id`` adds the **in-distribution** settings. The shipped model has seen most of those
  test passages, so for each seed the same recipe (``scripts/train_warnings.py``) is retrained
  on all passages minus that seed's test set. This needs scikit-learn and takes minutes.
* The authors' "best non-LLM model" is the RoBERTa variant with the highest accuracy averaged
  over the four settings, leaving out "multiclass", whose scores the data set's README shows to
  be inflated by the authors' evaluation code.

Only aggregate numbers are printed, never passage text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))  # data paths are defined once, in tests/data

import workset  # noqa: E402
from corpus import bare_parse_seconds  # noqa: E402
from data import TRIGGER_PASSAGES  # noqa: E402

from ynsert.analysis import analyse  # noqa: E402
from ynsert.analysis.warnings_model import WARNING_LABELS, load_model  # noqa: E402

DEFAULT_DATA = TRIGGER_PASSAGES  # opt-in, not in the repository: ../shared beside the clone
RULES = {"majority": 2, "minority": 1}
NON_LLM = ("binary", "binary-extended", "multilabel", "multilabel-extended")
LLM = ("gpt3-5-turbo", "gpt4-turbo", "mistral-7b", "mixtral-8x7b", "llama-7b", "llama-13b")
SETTINGS = ("ood-majority", "ood-minority", "id-majority", "id-minority")

Record = dict[str, Any]
Scorer = Callable[[list[Record]], list[float]]


def load_jsonl(path: Path) -> list[Record]:
    """Read a JSON-lines file of passages."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def label(record: Record, rule: str) -> int:
    """The gold label of a passage under a vote rule."""
    return int(sum(record["labels"]) >= RULES[rule])


#: Accuracy, balanced accuracy (mean of the recalls of the classes present), positive-class F1.
Metrics = tuple[float, float, float]
#: Answers that read no text. On a balanced set "always yes" scores F1 0.667 and accuracy 0.5,
#: so an F1 says something only beside it; "majority class" answers the class most passages of
#: that warning had in the training passages.
BASELINES = ("always yes", "always no", "majority class")
SYSTEMS = ("ours", *BASELINES)


def metrics(gold: list[int], pred: list[int]) -> Metrics:
    """Accuracy, balanced accuracy and positive-class F1."""
    pairs = list(zip(gold, pred, strict=True))
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    acc = sum(g == p for g, p in pairs) / len(pairs)
    recalls = [
        sum(p == c for g, p in pairs if g == c) / sum(g == c for g in gold)
        for c in (0, 1)
        if c in gold
    ]
    return acc, statistics.fmean(recalls), (2 * tp / (2 * tp + fp + fn) if tp else 0.0)


def majority_class(training: list[Record], rule: str) -> dict[str, int]:
    """Per warning, the label most training passages have under ``rule`` (ties: yes)."""
    out = {}
    for w in WARNING_LABELS:
        gold = [label(r, rule) for r in training if r["warning"] == w]
        out[w] = int(2 * sum(gold) >= len(gold))
    return out


Scores = dict[str, dict[str, Metrics]]  # warning → system (ours or a baseline) → metrics


def per_warning(
    records: list[Record],
    scores: list[float],
    rule: str,
    cut: dict[str, float],
    majority: dict[str, int],
) -> Scores:
    """Per warning, our metrics and the trivial baselines' on the same passages."""
    out: Scores = {}
    for w in WARNING_LABELS:
        rows = [i for i, r in enumerate(records) if r["warning"] == w]
        gold = [label(records[i], rule) for i in rows]
        answers = {
            "ours": [int(scores[i] >= cut[w]) for i in rows],
            "always yes": [1] * len(rows),
            "always no": [0] * len(rows),
            "majority class": [majority[w]] * len(rows),
        }
        out[w] = {system: metrics(gold, pred) for system, pred in answers.items()}
    return out


def mean_over_seeds(runs: list[Scores]) -> Scores:
    """Average every metric per warning and system over seeds, as the paper does."""
    return {
        w: {system: _mean([r[w][system] for r in runs]) for system in SYSTEMS}
        for w in WARNING_LABELS
    }


def mean_over_warnings(scores: Scores, system: str) -> Metrics:
    return _mean([scores[w][system] for w in WARNING_LABELS])


def _mean(rows: list[Metrics]) -> Metrics:
    acc, bal, f1 = (statistics.fmean(row[k] for row in rows) for k in range(3))
    return acc, bal, f1


def shipped_scorer() -> tuple[Scorer, dict[str, dict[str, float]]]:
    """Score each passage for its own warning with the shipped model."""
    model = load_model()

    def score(records: list[Record]) -> list[float]:
        return [model.score(r["text"])[r["warning"]] for r in records]

    return score, model.thresholds


def balanced_sets(data: Path, setting: str, by_id: dict[int, Record]) -> list[list[Record]]:
    """The five seeds' balanced test sets of one setting."""
    ids = json.loads((data / "balanced_test_ids.json").read_text())[setting]
    return [[by_id[i] for i in ids[seed]] for seed in sorted(ids)]


def eval_ood(data: Path, by_id: dict[int, Record], setting: str) -> Scores:
    """Shipped model (trained on ``train.jsonl``) on the five balanced OOD sets of ``setting``."""
    score, thresholds = shipped_scorer()
    rule = setting.split("-")[1]
    majority = majority_class(load_jsonl(data / "train.jsonl"), rule)
    runs = []
    for records in balanced_sets(data, setting, by_id):
        runs.append(per_warning(records, score(records), rule, thresholds[rule], majority))
    return mean_over_seeds(runs)


def eval_id(data: Path, by_id: dict[int, Record], setting: str) -> Scores:
    """Retrain the recipe per seed on all passages but that seed's test set, then score it."""
    sys.path.insert(0, str(REPO / "scripts"))
    import train_warnings  # needs scikit-learn, so only imported for --id

    rule = setting.split("-")[1]
    keywords = train_warnings.load_keywords(data)
    runs = []
    for records in balanced_sets(data, setting, by_id):
        held = {r["example_id"] for r in records}
        rest = [r for r in by_id.values() if r["example_id"] not in held]
        trained = train_warnings.train(rest, keywords=keywords)
        scores = trained.predict_proba(
            [r["text"] for r in records], [r["warning"] for r in records]
        )
        majority = majority_class(rest, rule)
        runs.append(per_warning(records, scores.tolist(), rule, trained.thresholds[rule], majority))
    return mean_over_seeds(runs)


def best_non_llm(authors: dict[str, Any]) -> str:
    """The authors' non-LLM model with the highest accuracy averaged over the four settings."""
    return max(
        NON_LLM, key=lambda m: statistics.fmean(authors[s][m]["total"]["acc"] for s in SETTINGS)
    )


def print_baselines(scores: Scores) -> None:
    """Mean over warnings of each trivial baseline, in the columns of our mean row."""
    for system in BASELINES:
        acc, bal, f1 = mean_over_warnings(scores, system)
        print(f"  {system:<15} acc {acc:5.3f}  bal-acc {bal:5.3f}  F1+ {f1:5.3f}")


def print_setting(name: str, ours: Scores, authors: dict[str, Any], note: str = "") -> None:
    """One table: per warning, our accuracy, balanced accuracy and F1 next to the authors' best
    non-LLM model, then the trivial baselines on the same passages."""
    ref = best_non_llm(authors)
    theirs = authors[name][ref]
    print(f"\n## {name}{note}  (ours vs {ref}; authors' F1 derived from their stored runs)")
    head = f"{'acc ours':>8} {'acc them':>8} {'bal-acc':>8} {'F1 ours':>8} {'F1 them':>8}"
    print(f"{'warning':<11} {head}")
    for w in WARNING_LABELS:
        a, b, f = ours[w]["ours"]
        print(
            f"{w:<11} {a:8.3f} {theirs[w]['acc']:8.3f} {b:8.3f} {f:8.3f} {theirs[w]['f1_pos']:8.3f}"
        )
    mean_a, mean_b, mean_f = mean_over_warnings(ours, "ours")
    print(
        f"{'mean':<11} {mean_a:8.3f} {theirs['total']['acc']:8.3f} {mean_b:8.3f} {mean_f:8.3f} "
        f"{statistics.fmean(theirs[w]['f1_pos'] for w in WARNING_LABELS):8.3f}"
    )
    print_baselines(ours)
    for group, models in (("non-LLM", NON_LLM), ("LLM", LLM)):
        best = max(models, key=lambda m: authors[name][m]["total"]["acc"])
        print(
            f"  best {group} accuracy in this setting: {best} "
            f"{authors[name][best]['total']['acc']:.3f}"
        )


def eval_test_split(data: Path) -> dict[str, Scores]:
    """The shipped model on the whole test split, natural class balance, per vote rule."""
    records = load_jsonl(data / "test.jsonl")
    training = load_jsonl(data / "train.jsonl")
    score, thresholds = shipped_scorer()
    scores = score(records)
    return {
        rule: per_warning(records, scores, rule, thresholds[rule], majority_class(training, rule))
        for rule in RULES
    }


def print_test_split(data: Path, results: dict[str, Scores]) -> None:
    """Per warning and rule: passages, positives, accuracy, balanced accuracy, F1; then the
    baselines (no published figures for this split)."""
    records = load_jsonl(data / "test.jsonl")
    print(f"\n## full test split ({len(records)} passages, natural balance; no authors' figures)")
    print(
        f"{'warning':<11} {'n':>5} "
        + " ".join(f"{r[:3]}+ {'acc':>5} {'bal':>5} {'F1':>5}" for r in RULES)
    )
    for w in WARNING_LABELS:
        rows = [r for r in records if r["warning"] == w]
        cells = [
            f"{sum(label(r, rule) for r in rows):4d} {acc:5.3f} {bal:5.3f} {f1:5.3f}"
            for rule in RULES
            for acc, bal, f1 in [results[rule][w]["ours"]]
        ]
        print(f"{w:<11} {len(rows):5d} " + " ".join(cells))
    for system in SYSTEMS:  # under the columns above: the label takes the first count's place
        cells = [
            "{:5.3f} {:5.3f} {:5.3f}".format(*mean_over_warnings(results[rule], system))
            for rule in RULES
        ]
        print(f"{'mean ' + system:<22} " + f" {'':4} ".join(cells))


def print_summary(settings: dict[str, Scores]) -> None:
    """Mean over the settings run: ours beside each baseline (the README's figures)."""
    print(f"\n## mean over {', '.join(settings)}")
    for system in SYSTEMS:
        acc, bal, f1 = _mean([mean_over_warnings(s, system) for s in settings.values()])
        print(f"  {system:<15} acc {acc:5.3f}  bal-acc {bal:5.3f}  F1+ {f1:5.3f}")


# --- the work-level set ------------------------------------------------------------------------

#: Figures of the detector before issue 11 (commit 1b4b389, rules + gated passage classifier),
#: measured with this script's workset part: (precision, recall, F1) per label, then the
#: false-alarm rate on works with no warning. Kept as data so every run prints before/after.
BEFORE: dict[str, dict[str, tuple[float, float, float]]] = {
    "dev": {
        "mcd": (0.56, 0.33, 0.42),
        "graphic_violence": (0.33, 0.14, 0.20),
        "rape_noncon": (0.0, 0.0, 0.0),
        "underage": (0.0, 0.0, 0.0),
    },
    "held-out": {
        "mcd": (0.40, 0.40, 0.40),
        "graphic_violence": (1.00, 0.25, 0.40),
        "rape_noncon": (0.0, 0.0, 0.0),
        "underage": (0.0, 0.0, 0.0),
    },
    "all": {
        "mcd": (0.50, 0.35, 0.41),
        "graphic_violence": (0.50, 0.18, 0.27),
        "rape_noncon": (0.0, 0.0, 0.0),
        "underage": (0.0, 0.0, 0.0),
    },
}
#: pd-david-swan (no warning) moved from held-out to dev after these were measured; the
#: detector of 1b4b389 raised nothing on it (re-run), so it adds one clean work to dev's count.
BEFORE_FALSE_ALARMS: dict[str, float] = {"dev": 4 / 21, "held-out": 3 / 11, "all": 7 / 32}


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1


def detect(works: list[workset.Work]) -> dict[str, set[str]]:
    """Work id → the label keys the current analysis reports."""
    names = {v: k for k, v in workset.WARNINGS.items()}
    found = {}
    for work in works:
        report = analyse(work.text)
        found[work.id] = {names[w.name] for w in report.content.archive if w.name in names}
    return found


def print_workset(
    part: str, works: list[workset.Work], found: dict[str, set[str]], show: bool
) -> None:
    clean = [w for w in works if w.clean]
    alarms = sum(bool(found[w.id]) for w in clean)
    print(f"\n## workset, {part}: {len(works)} works ({len(clean)} with no warning)")
    head = f"{'P':>5} {'R':>5} {'F1':>5}"
    print(f"{'label':<17} {'n':>3} {head}   before: {head}")
    for key in workset.LABELS:
        gold = [w.labels[key] for w in works]
        p, r, f = prf(gold, [key in found[w.id] for w in works])
        before = BEFORE.get(part, {}).get(key)
        was = " ".join(f"{v:5.2f}" for v in before) if before else "    -"
        print(f"{key:<17} {sum(gold):3d} {p:5.2f} {r:5.2f} {f:5.2f}           {was}")
    rate = alarms / len(clean) if clean else 0.0
    was_rate = BEFORE_FALSE_ALARMS.get(part)
    was = f"{was_rate:.0%}" if was_rate is not None else "-"
    print(f"false alarms on works with no warning: {alarms}/{len(clean)} = {rate:.0%}", end="")
    print(f" (before {was})")
    if show:
        for w in works:
            gold = {k for k, v in w.labels.items() if v}
            if gold != found[w.id]:
                missed, extra = sorted(gold - found[w.id]), sorted(found[w.id] - gold)
                print(f"  {w.id}: missed {missed or '-'}, false {extra or '-'}")


def print_speed(works: list[workset.Work]) -> None:
    """Analyse ÷ bare parse over the workset's texts (goal ≤ 1.5x)."""
    text = "\n\n".join(w.text.strip() for w in works)
    words = len(text.split())
    analyse("You wake. He is there.")  # load the pipeline and the models before timing
    parse = bare_parse_seconds(text)
    started = time.perf_counter()
    analyse(text)
    full = time.perf_counter() - started
    print(f"\n## speed on the workset texts joined ({words:,} words)")
    print(f"bare parse {parse:.2f} s, analyse {full:.2f} s: ", end="")
    print(f"ratio {full / parse:.2f}x (goal <= 1.5x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", nargs="?", type=Path, const=DEFAULT_DATA, default=None)
    parser.add_argument("--id", action="store_true", help="also retrain for the ID settings")
    parser.add_argument("--all", action="store_true", help="list each work's errors (dev)")
    parser.add_argument("--show-held-out", action="store_true", help="and the held-out ones")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    works = workset.load()
    found = detect(works)
    dev = [w for w in works if not w.held_out]
    held = [w for w in works if w.held_out]
    for work_id, reason in workset.DEV_OVERRIDES.items():
        print(f"{work_id} is dev whatever its hash: {reason}")
    print_workset("dev", dev, found, args.all)
    print_workset("held-out", held, found, args.all and args.show_held_out)
    print_workset("all", works, found, False)
    if not args.no_speed:
        print_speed(works)
    if args.passages is not None:
        data = args.passages.resolve()
        authors = json.loads((data / "authors_results.json").read_text())
        by_id = {r["example_id"]: r for r in load_jsonl(data / "dataset.jsonl")}
        print(f"\nauthors' best non-LLM model (mean accuracy, 4 settings): {best_non_llm(authors)}")
        print_test_split(data, eval_test_split(data))
        settings = {s: eval_ood(data, by_id, s) for s in ("ood-majority", "ood-minority")}
        for setting, scores in settings.items():
            print_setting(setting, scores, authors)
        if args.id:
            for setting in ("id-majority", "id-minority"):
                settings[setting] = eval_id(data, by_id, setting)
                print_setting(setting, settings[setting], authors, " (retrained)")
        print_summary(settings)
    print(f"\n(done in {time.perf_counter() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
