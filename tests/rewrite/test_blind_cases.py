"""Issue 17's blind cases (tests/data/eval/cases.blind.tsv): 90 invented cases of the kinds the
rewrite still got wrong on real works (plural "you", case after subordinators and contractions,
was/were, agreement after "and" and perception verbs, malformed quotes, glued typos, italic
thoughts, coordinated pronouns, messy typography), written by a helper who had not seen the
code. Scored like the dev sentences (first, third she, third they; Y/N = Mara): every miss
below is known and explained, and a known miss that starts to pass fails the test too.
"""

from __future__ import annotations

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
