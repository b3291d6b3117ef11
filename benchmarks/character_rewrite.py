"""A character becomes the reader: word errors per 1,000 words against golds, and speed.

    .venv/bin/python benchmarks/character_rewrite.py                    # tests/data/character
    .venv/bin/python benchmarks/character_rewrite.py --golds /work/blind/character --cases

For every case (``cases.tsv``: id, character, …) the story ``cases/ID.source.txt`` is rewritten
with ``--character`` into ``second`` (gold ``ID.second.txt``) and ``third`` as Mara with
they/them (gold ``ID.third-they.txt``). Errors are counted on whitespace tokens: for each
differing stretch between output and gold (``difflib``), the longer side's length. Dialogue is
checked byte for byte: every quoted span of the source must be in the output unchanged.

Speed: the character rewrite of each source against today's second-person rewrite (``--to
third``) of a second-person public-domain story cut to the same number of words, both from a
fresh document (parse included), in this process, after one warm-up each.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import difflib
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ynsert.document import Document  # noqa: E402
from ynsert.edits import (
    Edit,  # noqa: E402
    Rewrite,  # noqa: E402
)
from ynsert.rewrite import rewrite  # noqa: E402
from ynsert.rewrite.character import rewrite_character  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOLDS = ROOT / "tests" / "data" / "character"
SECOND_PERSON = ROOT / "tests" / "data" / "eval" / "pd" / "haunted-mind.second-person.txt"
MODES = {
    "second": {"to": "second"},
    "third-they": {"to": "third", "name": "Mara", "pronouns": "they"},
}
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass
class Case:
    id: str
    character: str
    source: str
    golds: dict[str, str]

    @property
    def words(self) -> int:
        return len(self.source.split())


def load(golds: Path) -> list[Case]:
    with open(golds / "cases.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    cases = []
    for row in rows:
        folder = golds / "cases"
        source = (folder / f"{row['id']}.source.txt").read_text(encoding="utf-8")
        gold = {m: (folder / f"{row['id']}.{m}.txt").read_text(encoding="utf-8") for m in MODES}
        cases.append(Case(row["id"], row["character"], source, gold))
    return cases


def word_errors(output: str, gold: str) -> int:
    a, b = output.split(), gold.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def wrong_changes(source: str, gold: str, edits: list[Edit]) -> int:
    """Edits of words the gold leaves as they are (someone else's "she", a wrong verb): the
    source words are aligned with the gold's, and an edit inside an unchanged stretch counts."""
    words = list(re.finditer(r"\S+", source))
    matcher = difflib.SequenceMatcher(a=[w.group() for w in words], b=gold.split(), autojunk=False)
    kept = set()
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            kept.update(range(i1, i2))
    starts = [w.start() for w in words]
    wrong = 0
    for edit in edits:
        index = bisect.bisect_right(starts, edit.start) - 1
        wrong += index in kept
    return wrong


def dialogue_kept(source: str, output: str) -> bool:
    """Every double-quoted span of the source appears in the output, in order, unchanged."""
    return _QUOTED.findall(source) == _QUOTED.findall(output)


def run(case: Case, mode: str) -> Rewrite:
    return rewrite_character(Document(case.source), case.character, **MODES[mode])  # type: ignore[arg-type]


def second_person_of(words: int) -> str:
    """A second-person story of exactly ``words`` words (repeated if it is shorter)."""
    text = SECOND_PERSON.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1] if text.startswith("SOURCE") else text
    pool = body.split(" ")
    while len(" ".join(pool).split()) < words:
        pool += body.split(" ")
    out: list[str] = []
    for piece in pool:
        out.append(piece)
        if len(" ".join(out).split()) >= words:
            break
    return " ".join(out)


def timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--golds", type=Path, default=GOLDS)
    parser.add_argument("--cases", action="store_true", help="one line per case and mode")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    cases = load(args.golds)
    total_words = sum(c.words for c in cases)
    for mode in MODES:
        errors = wrong = changes = 0
        kept = True
        for case in cases:
            result = run(case, mode)
            e = word_errors(result.text, case.golds[mode])
            w = wrong_changes(case.source, case.golds[mode], result.edits)
            errors, wrong, changes = errors + e, wrong + w, changes + len(result.edits)
            kept = kept and dialogue_kept(case.source, result.text)
            if args.cases:
                print(f"  {mode:10} {case.id:24} {e:3} errors ({w} wrong) / {case.words} words")
        per_k = 1000 * errors / total_words
        print(
            f"{mode:10}: {errors} word errors in {total_words} words = {per_k:.2f} per 1,000; "
            f"{changes} edits, {wrong} of words the gold keeps; "
            f"dialogue byte-identical: {'yes' if kept else 'NO'}"
        )
    if args.no_speed:
        return
    rewrite_character(Document(cases[0].source), cases[0].character, to="second")  # warm-up
    rewrite(Document(second_person_of(200)), to="third", pronouns="she")
    character_time = baseline_time = 0.0
    for case in cases:
        character_time += timed(
            lambda c=case: rewrite_character(Document(c.source), c.character, to="second")
        )
        baseline = second_person_of(case.words)
        baseline_time += timed(lambda b=baseline: rewrite(Document(b), to="third", pronouns="she"))
    print(
        f"speed: character rewrite {character_time:.2f}s, second-person rewrite of the same "
        f"length {baseline_time:.2f}s: {character_time / baseline_time:.2f}× (target ≤ 2×)"
    )


if __name__ == "__main__":
    main()
