"""Rape/Non-Con and Underage cues on real passages: the rules against hand labels.

Usage: ``.venv/bin/python benchmarks/consent_passages.py``

``benchmarks/data/consent-passage-labels.tsv`` holds 137 passage labels made for issue 16 by a
helper reading real text: paragraphs of the AO3 dev works found by sexual, assault and age
words (``work_id:offset`` into the text ``api.open_work`` reads with the tags removed), and
passages of the trigger-passages data set (``tp:example_id``). Each is labelled ``sexual``,
``nonconsent`` (rape, assault, coercion, a partner unable to consent; dubcon counts) and
``minor`` (someone under 18 in the sexual content). The file holds ids and labels only; the
texts are read from the dev corpus and ``../shared/data/trigger-passages`` when present, and
the benchmark says what it skipped when they are not.

It scores ``consent.non_consent`` and ``consent.minor`` per passage (each passage analysed
alone, as one scene), and a tf-idf logistic regression (scikit-learn, word and character
n-grams, 5-fold cross-validation) beside them, to see whether learning from so few passages
could beat the rules. Only counts are printed, never text.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ao3_dev import DEFAULT_DIR, available, dev_works  # noqa: E402

LABELS = Path(__file__).resolve().parent / "data" / "consent-passage-labels.tsv"
PASSAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "trigger-passages"


def texts() -> dict[str, str]:
    from ynsert import api

    found: dict[str, str] = {}
    wanted = [row["id"] for row in _rows()]
    works = {i.split(":")[0] for i in wanted if not i.startswith("tp:")}
    if available():
        for work in dev_works(DEFAULT_DIR, include_unknown=True):
            if work.work_id in works:
                text = api.open_work(work.hidden, filename=work.file).text
                for key in (i for i in wanted if i.startswith(work.work_id + ":")):
                    start = int(key.split(":")[1])
                    end = text.find("\n", start)
                    found[key] = text[start : end if end >= 0 else len(text)]
    if (PASSAGES / "dataset.jsonl").is_file():
        for line in (PASSAGES / "dataset.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            key = f"tp:{record['example_id']}"
            if key in wanted:
                found[key] = record["text"]
    return found


def _rows() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _figures(gold: list[int], pred: list[int]) -> str:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    r = tp / (tp + fn) if tp + fn else 0.0
    p = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"{tp}/{tp + fn} found, recall {r:.2f}, precision {p:.2f}, F1 {f1:.2f}"


def main() -> int:
    from ynsert.analysis.consent import minor, non_consent, sexual_sentences
    from ynsert.analysis.parsed import parse_story
    from ynsert.document import Document

    rows, found = _rows(), texts()
    rows = [r for r in rows if r["id"] in found]
    if not rows:
        print("consent_passages: neither the dev corpus nor the trigger passages are here")
        return 0
    print(f"{len(rows)} labelled passages with text ({len(_rows()) - len(rows)} skipped)")
    rule_nc, rule_minor = [], []
    for row in rows:
        parsed = parse_story(Document(found[row["id"]]))
        sexual = sexual_sentences(parsed)
        rule_nc.append(int(non_consent(parsed, sexual) is not None))
        rule_minor.append(int(minor(parsed, sexual) is not None))
    for name, column, rule in (
        ("nonconsent", "nonconsent", rule_nc),
        ("minor", "minor", rule_minor),
    ):
        gold = [int(r[column]) for r in rows]
        print(
            f"{name:>10}: {sum(gold)} positives; rules: {_figures(gold, rule)}; "
            f"learned (5-fold CV): {_learned(rows, found, column)}"
        )
    return 0


def _learned(rows: list[dict[str, str]], found: dict[str, str], column: str) -> str:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    y = [int(r[column]) for r in rows]
    x = [found[r["id"]] for r in rows]
    model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2),
        LogisticRegression(C=3.0, class_weight="balanced", max_iter=2000),
    )
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    pred = cross_val_predict(model, x, y, cv=folds)
    return _figures(y, [int(p) for p in pred])


if __name__ == "__main__":
    raise SystemExit(main())
