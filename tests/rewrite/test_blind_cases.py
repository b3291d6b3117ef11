"""Issue 17's blind cases (tests/data/eval/cases.blind.tsv): 90 invented cases of the kinds the
rewrite still got wrong on real works (plural "you", case after subordinators and contractions,
was/were, agreement after "and" and perception verbs, malformed quotes, glued typos, italic
thoughts, coordinated pronouns, messy typography), written by a helper who had not seen the
code. Scored like the dev sentences (first, third she, third they; Y/N = Mara): every miss
below is known and explained, and a known miss that starts to pass fails the test too.

Below them: the records of the blind judgement of the real dev works stay whole (31 and 19
judged errors) and ``benchmarks/rewrite_real.py`` exits 0, saying so, without the works.
"""

from __future__ import annotations

import sys

import pytest
from data import BLIND_CASES
from test_gold import assert_only_known_misses, score_table

COLUMNS = ("first", "third_she", "third_they")


def _every_column(case: str, why: str) -> dict[str, str]:
    return {f"{case} {column}": why for column in COLUMNS}


#: "<id> <column>" → why it still misses (253/270 cells exact; 212/270 blind, before issue 17).
BLIND_KNOWN_MISSES = {
    "a07 third_she": "'lets the water run and stare at your reflection': the parse hangs "
    "'stare' on the bare verb 'run' (the water's), so it is not agreed (stares)",
    **_every_column(
        "g05",
        "'Thorin left andyou cried': the only reader word is glued, and the "
        "address detection (document/address.py) counts no 'you', so nothing is rewritten",
    ),
    **_every_column(
        "g06",
        "'Are you?You aren't.': no space after '?', so sentence and token "
        "boundaries are lost ('you?You' is one token) and the inverted question is not agreed",
    ),
    **_every_column(
        "g08",
        "'Yourhands … yourneck': only glued reader words, so (as g05) the "
        "address detection sees no reader and nothing is rewritten",
    ),
    **_every_column(
        "t09",
        "'*You were seven the first time …*': an italic flashback in the "
        "narrator's own voice is read as a thought and kept (the gold converts it)",
    ),
    "k06 first": "'Both you and Sokka flinch': the parse makes 'flinch' a noun inside the pair, "
    "so the first-person reorder is refused (Both I and Sokka) rather than moving the verb",
    **_every_column(
        "m02",
        "'You absolutely, completely DON'T.': 'DON'T.' in capitals with its "
        "period is one noun token, so the case and the do-support are lost",
    ),
}


def test_blind_cases_only_known_misses() -> None:
    _, misses = score_table(BLIND_CASES, "blind cases (issue 17)")
    assert_only_known_misses(misses, BLIND_KNOWN_MISSES)


def test_every_blind_case_is_scored() -> None:
    rows = BLIND_CASES.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 90
    assert all(key.split()[0] in {r.split("\t")[0] for r in rows} for key in BLIND_KNOWN_MISSES)


# --- the blind judgement of the real dev works (benchmarks/data/rewrite_real) -------------------


def _real_works_scorer():  # type: ignore[no-untyped-def]
    import importlib.util

    path = BLIND_CASES.parents[3] / "benchmarks" / "rewrite_real.py"
    spec = importlib.util.spec_from_file_location("rewrite_real", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_judged_records_are_whole_and_hold_no_text() -> None:
    real = _real_works_scorer()
    works = {row[0] for row in real.rows("works.tsv")}
    judged = real.rows("errors.tsv")[1:]
    assert len(works) == 10
    assert sum(r[1] == "third" for r in judged) == 31  # the blind figure: 5.50 per 1,000
    assert sum(r[1] == "first" for r in judged) == 19  # 3.37 per 1,000
    for name in ("errors.tsv", "before.tsv", "reviewed.tsv"):
        rows = real.rows(name)[1:] if name == "errors.tsv" else real.rows(name)
        assert rows and all(r[0] in works and r[1] in ("third", "first") for r in rows)
    assert all(r[5] in ("ok", "error") for r in real.rows("reviewed.tsv"))


def test_real_works_benchmark_says_so_without_the_works(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = _real_works_scorer()
    monkeypatch.setattr(real, "DEV", BLIND_CASES.parent / "no-such-folder")
    assert real.main() == 0
    assert "not here" in capsys.readouterr().out
