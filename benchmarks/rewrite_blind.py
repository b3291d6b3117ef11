"""Score the rewrite on the blind passages (tests/rewrite/blind/): errors per 1,000 words.

The passages and their golds were written by testers who had not seen the rules. An error is
one word of the gold that the output gets wrong (a replaced, missing or extra word, counted
on the longer side of each difference). Run: ``.venv/bin/python benchmarks/rewrite_blind.py``.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import ynsert
from ynsert import api

BLIND = Path(__file__).resolve().parent.parent / "tests" / "rewrite" / "blind"
PROFILES = {
    "she": {"to": "third", "name": "Mara", "pronouns": "she", "names": "first"},
    "first": {"to": "first", "values": {"Y/N": "Mara"}},
    "second": {"to": "second", "name": "Mara"},
}


def word_errors(output: str, gold: str) -> int:
    out, want = output.split(), gold.split()
    errors = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, out, want, autojunk=False
    ).get_opcodes():
        if tag != "equal":
            errors += max(i2 - i1, j2 - j1)
    return errors


def rewritten(source: str, profile: dict[str, object]) -> str:
    """The passage rewritten as the plain-text file it is (an inline <em> in a pasted passage
    would otherwise make the sniffer read the whole passage as HTML)."""
    work = api.open_work(source.encode(), filename="passage.txt", format="txt")
    return api.personalise(work, profile).text


def score(
    kinds: tuple[str, ...] = ("she", "first", "second"),
) -> dict[str, tuple[int, int, int, int]]:
    totals: dict[str, list[int]] = {}
    for gold_path in sorted(BLIND.glob("*.*.txt")):
        number, kind = gold_path.name.split(".")[:2]
        if kind not in kinds:
            continue
        source = (BLIND / f"{number}.txt").read_text(encoding="utf-8")
        gold = gold_path.read_text(encoding="utf-8")
        output = rewritten(source, PROFILES[kind])
        errors = word_errors(output, gold)
        words = len(source.split())
        row = totals.setdefault(kind, [0, 0, 0, 0])
        row[0] += errors
        row[1] += words
        row[2] += errors == 0
        row[3] += 1
        if "-v" in sys.argv and errors:
            print(f"  {number}.{kind}: {errors} errors")
    return {k: (v[0], v[1], v[2], v[3]) for k, v in totals.items()}


def main() -> None:
    print(f"ynsert {ynsert.__version__}: blind passages in {BLIND.relative_to(Path.cwd())}")
    for kind, (errors, words, exact, count) in score().items():
        rate = 1000 * errors / words if words else 0.0
        print(
            f"{kind:>6}: {errors:3d} errors in {words} words = {rate:.1f} per 1,000; "
            f"{exact}/{count} exact"
        )


if __name__ == "__main__":
    main()
