"""The work-level warning set (``tests/analysis/workset``): works, adjudicated labels, the split.

The split is fixed by a hash of each work's id, so it never depends on results: a work is
*held out* when the first byte of ``sha256(id)`` is below 86 (about a third of the works). Rules,
features and thresholds may be looked at and tuned on the *dev* part only; the held-out part is
scored at the end and reported beside it, never used to choose anything. A work that was
developed on before the split existed cannot be held out, whatever its hash: those are listed,
each with its reason, in ``DEV_OVERRIDES``.

    >>> works = load()                                   # doctest: +SKIP
    >>> dev = [w for w in works if not w.held_out]        # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

WORKSET = Path(__file__).resolve().parents[1] / "tests" / "analysis" / "workset"
LABELS = ("mcd", "graphic_violence", "rape_noncon", "underage")
#: Label key → the archive warning's name in a report.
WARNINGS = {
    "mcd": "Major Character Death",
    "graphic_violence": "Graphic Depictions Of Violence",
    "rape_noncon": "Rape/Non-Con",
    "underage": "Underage",
}
_HELD_OUT_BELOW = 86  # of 256: about a third
#: Works in the dev part whatever their hash, and why (they can only be moved *to* dev).
DEV_OVERRIDES: dict[str, str] = {
    "pd-david-swan": (
        "developed on before it landed in the held-out part: the same text is a dev case of the "
        "rewrite and of the narration analysis (tests/data/eval/pd/david-swan.third-person.txt, "
        "tests/rewrite/test_public_domain.py, tests/analysis/test_acceptance.py); issue 20"
    ),
}


@dataclass(frozen=True)
class Work:
    id: str
    text: str
    labels: dict[str, bool]
    evidence: dict[str, str]

    @property
    def held_out(self) -> bool:
        return held_out(self.id)

    @property
    def clean(self) -> bool:
        """No archive warning at all (where a detection is a false alarm)."""
        return not any(self.labels.values())


def held_out(work_id: str) -> bool:
    return work_id not in DEV_OVERRIDES and hashed_out(work_id)


def hashed_out(work_id: str) -> bool:
    """Where the hash alone would put the work: held out below the cut."""
    return hashlib.sha256(work_id.encode()).digest()[0] < _HELD_OUT_BELOW


def load(directory: Path = WORKSET) -> list[Work]:
    """Every work with its adjudicated labels (A or B with C, disagreements decided)."""
    works = []
    for line in (directory / "adjudicated.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = (directory / f"{row['id']}.txt").read_text(encoding="utf-8")
        labels = {k: bool(row[k]) for k in LABELS}
        works.append(Work(row["id"], text, labels, row.get("evidence", {})))
    return works
