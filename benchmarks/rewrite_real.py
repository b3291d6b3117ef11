"""Errors per 1,000 words on the real second-person dev works, against the blind judgement.

A helper who had not seen the code judged main's conversions (before issue 17's fixes) of ten
second-person works of the AO3 dev split: every changed word run and every "you" left alone.
``benchmarks/data/rewrite_real/`` keeps what that judgement needs and no story text:

- ``works.tsv``: the works (dev-split file names), their token counts and a hash of the source;
- ``errors.tsv``: the judged errors (work, direction, kind, word offset, words, a note);
- ``before.tsv``: every run of words the judged output changed (offset, length, a hash of the
  output words), so a run that comes out the same again is known to be the judged one;
- ``reviewed.tsv``: runs that differ from the judged output, reviewed since (by the engineer
  who changed the code, not blind): ``ok`` or ``error``; a run back to the source's words has
  an empty hash.

A run is a difference of whitespace words between the source and the output (the judge's own
method). For the current engine: a judged error whose run comes out unchanged is still an
error; a run that differs from the judged output (at a judged error or anywhere else) counts by
its review, and as an error while it is unreviewed. So the figure never improves by a change
nobody has looked at. Run: ``.venv/bin/python benchmarks/rewrite_real.py [-v [--review]]``
(``-v`` lists the unreviewed and erroneous runs by offset; ``--review`` also shows each
unreviewed run in its words, on screen only, for adding a verdict to ``reviewed.tsv``).
The works are not in the repository: without ``~/.cache/ynsert-dev/ao3/Fanfic_HTML`` (or
``$YNSERT_DEV_AO3``) this says so and exits 0.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "rewrite_real"
DEV = Path(os.environ.get("YNSERT_DEV_AO3", Path.home() / ".cache/ynsert-dev/ao3/Fanfic_HTML"))
#: The judged conversions: third person with smart naming, and first person.
#: These works are told to "you" but not tagged as reader-inserts, so by default they are
#: left as written (issue 20, item 2); the reader asks for the conversion: ``--from second``.
PROFILES: dict[str, dict[str, object]] = {
    "third": {
        "to": "third",
        "name": "Mara",
        "pronouns": "she",
        "names": "smart",
        "source": "second",
    },
    "first": {"to": "first", "values": {"Y/N": "Mara"}, "source": "second"},
}
Run = tuple[int, int, str]  # word offset in the source, source words, hash of the output words


@dataclass
class Score:
    words: int = 0
    still_wrong: int = 0  # judged errors that come out as judged
    reviewed_errors: int = 0  # changed runs reviewed as wrong
    unreviewed: int = 0  # changed runs nobody has looked at (counted as errors)
    fixed: int = 0  # judged errors whose run changed and was reviewed correct

    @property
    def errors(self) -> int:
        return self.still_wrong + self.reviewed_errors + self.unreviewed


def rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.reader(lines, delimiter="\t"))


def digest(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:12]


def runs(source: list[str], output: list[str]) -> set[Run]:
    matcher = difflib.SequenceMatcher(None, source, output, autojunk=False)
    return {
        (i1, i2 - i1, digest(output[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    }


def converted(path: Path) -> tuple[list[str], int, dict[str, list[str]]]:
    """The source words (header included, as judged), the header's length, and each output."""
    from ynsert import api
    from ynsert.formats import write_work

    work = api.open_work(path)
    source = write_work(work, "txt").decode("utf-8")
    lines = source.split("\n")
    blank = next((i for i, line in enumerate(lines) if not line.strip()), 0)
    header = "\n".join(lines[:blank]).split()
    outputs = {
        direction: header + api.personalise(work, profile, format="txt").text.split()
        for direction, profile in PROFILES.items()
    }
    return source.split(), len(header), outputs


def score_work(
    work: str, source: list[str], output: list[str], direction: str, verbose: bool
) -> Score:
    before = {
        (int(r[2]), int(r[3]), r[5]) for r in rows("before.tsv") if r[:2] == [work, direction]
    }
    judged = [
        (int(r[3]), int(r[4]), r[2]) for r in rows("errors.tsv")[1:] if r[:2] == [work, direction]
    ]
    reviewed = {
        (int(r[2]), int(r[3]), r[4]): r[5]
        for r in rows("reviewed.tsv")
        if r[:2] == [work, direction]
    }
    now = runs(source, output)
    score = Score()
    changed = sorted(
        (now - before)
        | {(o, n, "") for o, n, _ in before - now if not any(_overlaps(r, o, n) for r in now)}
    )
    for offset, length, kind in judged:
        if not any(_touches(run, offset, length) for run in changed):
            score.still_wrong += 1
            if verbose:
                print(f"    {work} {direction} {offset}+{length}: still as judged ({kind})")
    for run in changed:
        verdict = reviewed.get(run)
        if verdict == "ok":
            score.fixed += any(_touches(run, o, n) for o, n, _ in judged)
        elif verdict == "error":
            score.reviewed_errors += 1
        else:
            score.unreviewed += 1
        if verbose and verdict != "ok":
            print(f"    {work} {direction} {run[0]}+{run[1]} {run[2] or '(as source)'}: {verdict}")
            if verdict is None and "--review" in sys.argv:  # on screen only: never commit it
                print(f"      {_context(source, output, run)}")
    return score


def _context(source: list[str], output: list[str], run: Run) -> str:
    """The run in its source words and as the output writes it now, for a reviewer."""
    offset, length, _ = run
    matcher = difflib.SequenceMatcher(None, source, output, autojunk=False)
    new = next(
        (output[j1:j2] for _, i1, i2, j1, j2 in matcher.get_opcodes() if i1 == offset),
        source[offset : offset + length],
    )
    before = " ".join(source[max(0, offset - 8) : offset])
    return f"{before} [[{' '.join(source[offset : offset + length])} -> {' '.join(new)}]]"


def _overlaps(run: Run, offset: int, length: int) -> bool:
    start, size = run[0], max(run[1], 1)
    return start < offset + max(length, 1) and offset < start + size


def _touches(run: Run, offset: int, length: int) -> bool:
    """Overlapping or adjacent: a reorder ("you and Shadow" → "Shadow and I") is one error
    whose words the diff may split into runs side by side."""
    start, size = run[0], max(run[1], 1)
    return start <= offset + max(length, 1) and offset <= start + size


def main() -> int:
    if not DEV.is_dir():
        print(f"rewrite_real: the dev works are not here ({DEV}); nothing to score")
        return 0
    verbose = "-v" in sys.argv
    totals = {direction: Score() for direction in PROFILES}
    kinds: Counter[tuple[str, str]] = Counter()
    for work, _ao3, file, tokens, _header, sha in rows("works.tsv"):
        path = DEV / file
        if not path.is_file():
            print(f"rewrite_real: {file} missing from {DEV}; skipped")
            continue
        source, header_words, outputs = converted(path)
        if len(source) != int(tokens) or digest_source(source) != sha:
            print(f"rewrite_real: {file} is not the judged text (source differs); skipped")
            continue
        for direction, output in outputs.items():
            score = score_work(work, source, output, direction, verbose)
            total = totals[direction]
            total.words += len(source) - header_words
            for field in ("still_wrong", "reviewed_errors", "unreviewed", "fixed"):
                setattr(total, field, getattr(total, field) + getattr(score, field))
    for r in rows("errors.tsv")[1:]:
        kinds[(r[1], r[2])] += 1
    print("real second-person dev works (blind judgement of main before issue 17 = 'judged'):")
    for direction, total in totals.items():
        judged = sum(n for (d, _), n in kinds.items() if d == direction)
        rate = 1000 * total.errors / total.words if total.words else 0.0
        print(
            f"{direction:>6}: {total.errors} errors in {total.words} words = {rate:.2f} per 1,000 "
            f"(judged {judged}: {total.still_wrong} still as judged; changed runs reviewed wrong "
            f"{total.reviewed_errors}, unreviewed {total.unreviewed}; judged errors fixed "
            f"{total.fixed})"
        )
    return 0


def digest_source(source: list[str]) -> str:
    return hashlib.sha256(" ".join(source).encode()).hexdigest()[:16]


if __name__ == "__main__":
    raise SystemExit(main())
