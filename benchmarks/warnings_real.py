"""Archive warnings on real AO3 works: the dev split, with the held-out measurement's protocol.

Usage: ``.venv/bin/python benchmarks/warnings_real.py [DIR] [--works] [--jobs N] [--limit N]``

``DIR`` defaults to ``~/.cache/ynsert-dev/ao3/Fanfic_HTML`` (unpacked by
``../shared/eval/ao3-dev-unpack.sh``); only the works of ``../shared/eval/ao3-dev.tsv`` are
read (``benchmarks/ao3_dev.py``). When the corpus is absent it says so and exits 0: CI has no
copy, and the repository holds none of its text.

Each work's declared tags are removed from the file; the engine reads the rest (story, summary,
notes) through ``api.open_work`` and ``api.analyse_work`` exactly as the reading room does, and
its detected archive warnings are scored against what the author declared. Per warning: recall,
precision, F1 and the false-alarm rate (detections on works that do not carry the warning).
``--works`` lists every miss and false alarm with the evidence the engine gave: that prints
the works' own sentences, for the developer's screen only: never paste it into a file of the
repository.

The shipped work model was fitted on these dev works. Its honest figure is therefore not this
run but ``scripts/train_warnings_real.py --cv``, which refits it with k-fold cross-validation by
work and scores each work only with a model that never saw it; this benchmark prints the rules
alone beside the shipped model so that both are in view.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ao3_dev import ARCHIVE, DEFAULT_DIR, DevWork, available, dev_works  # noqa: E402


@dataclass(frozen=True)
class Detection:
    warning: str
    confidence: float
    evidence: str  # the sentence the engine gave (screen only)


@dataclass(frozen=True)
class Outcome:
    work: DevWork
    detected: dict[str, Detection]
    words: int
    seconds: float
    error: str = ""


def _analyse(work: DevWork) -> Outcome:
    from ynsert import api
    from ynsert.errors import YnsertError

    started = time.process_time()
    try:
        opened = api.open_work(work.hidden, filename=work.file)
        report = api.analyse_work(opened)
    except YnsertError as exc:
        return Outcome(work, {}, 0, 0.0, str(exc))
    found = {
        w.name: Detection(w.name, w.confidence, w.evidence[0].text if w.evidence else "")
        for w in report.content.archive
    }
    words = len(opened.document.text.split())
    return Outcome(work, found, words, time.process_time() - started)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    negatives: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted
        self.negatives += not gold

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_alarms(self) -> float:
        return self.fp / self.negatives if self.negatives else 0.0

    def row(self, name: str) -> str:
        return (
            f"| {name} | {self.tp + self.fn} | {self.recall:.2f} | {self.precision:.2f} "
            f"| **{self.f1:.2f}** | {self.false_alarms:.1%} | {self.tp} | {self.fp} |"
        )


HEADER = (
    "| warning | positives | recall | precision | F1 | false alarms | found | false |\n"
    "|---|---|---|---|---|---|---|---|"
)


def score(outcomes: Iterable[Outcome], at: float = 0.0) -> dict[str, Score]:
    """Per warning, counting a detection when its confidence is at least ``at``."""
    scores = {name: Score() for name in ARCHIVE}
    for outcome in outcomes:
        for name in ARCHIVE:
            found = outcome.detected.get(name)
            scores[name].add(outcome.work.has(name), bool(found and found.confidence >= at))
    return scores


def print_table(title: str, scores: dict[str, Score]) -> None:
    print(f"\n{title}\n\n{HEADER}")
    for name in ARCHIVE:
        print(scores[name].row(name))


def print_works(outcomes: list[Outcome]) -> None:
    """Every miss and false alarm (screen only: it prints the works' sentences)."""
    for outcome in outcomes:
        for name in ARCHIVE:
            gold, found = outcome.work.has(name), outcome.detected.get(name)
            if gold and not found:
                print(f"MISS  {name:32} {outcome.work.work_id:>9} {outcome.work.file}")
            elif found and not gold:
                print(
                    f"FALSE {name:32} {outcome.work.work_id:>9} {outcome.work.file} "
                    f"({found.confidence:.2f}): {found.evidence[:200]}"
                )


def run(works: list[DevWork], jobs: int) -> list[Outcome]:
    if jobs <= 1:
        return [_analyse(w) for w in works]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_analyse, works, chunksize=4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--works", action="store_true", help="list misses and false alarms")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    if not available(args.dir):
        print(f"warnings_real: no dev corpus at {args.dir}; nothing measured (see ao3_dev.py)")
        return 0
    works = list(dev_works(args.dir))
    if args.limit:
        works = works[: args.limit]
    outcomes = run(works, args.jobs)
    failed = [o for o in outcomes if o.error or not o.words]
    scored = [o for o in outcomes if o not in failed]
    print(f"{len(scored)} dev works with text and declared warnings ({len(failed)} unreadable)")
    print_table("Shipped engine (detected at any confidence)", score(scored))
    for at in (0.3, 0.5, 0.7):
        print_table(f"Detected at confidence ≥ {at:.0%}", score(scored, at))
    words = sum(o.words for o in scored)
    print(f"\n{words:,} words, {sum(o.seconds for o in scored):.0f} CPU s of analysis")
    if args.works:
        print()
        print_works(scored)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
