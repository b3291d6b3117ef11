"""The acceptance bar: the seed's three hand-made conversions, byte for byte, and the dev set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from data import DEV_SENTENCES, SEED, SEED_DIR

import ynsert

SEED_PROFILES = [
    ("seed.third-she.txt", dict(to="third", name="Mara", pronouns="she", names="first")),
    ("seed.third-they.txt", dict(to="third", name="Sam", pronouns="they", names="first")),
    ("seed.first.txt", dict(to="first")),
]
DEV_COLUMNS = {
    "first": dict(to="first"),
    "third_she": dict(to="third", pronouns="she", names="none"),
    "third_they": dict(to="third", pronouns="they", names="none"),
}


@pytest.mark.parametrize(("gold", "profile"), SEED_PROFILES, ids=[g for g, _ in SEED_PROFILES])
def test_seed_matches_gold_byte_for_byte(gold: str, profile: dict) -> None:
    source = SEED.read_bytes().decode("utf-8")
    expected = (SEED_DIR / gold).read_bytes().decode("utf-8")
    assert ynsert.rewrite(source, **profile).text == expected


def test_seed_edits_touch_only_what_they_claim() -> None:
    source = SEED.read_text(encoding="utf-8")
    result = ynsert.rewrite(source, to="third", name="Mara", pronouns="she", names="first")
    for edit in result.edits:
        assert source[edit.start : edit.end] == edit.old
        assert edit.reason
    # no edit lands inside the story's dialogue
    story = ynsert.Story.from_text(source)
    assert all(story.is_narrative(e.start, e.end) for e in result.edits)


def score_table(path: Path, label: str) -> tuple[float, dict[str, str]]:
    """Rewrite every row in the three profiles; print the figure and the misses.

    Returns the share of exact cells and the misses, keyed ``"<id> <column>"``.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    misses = {}
    total = 0
    for row in rows:
        if "DEBATABLE" in (row.get("note") or ""):
            continue  # a case whose expected English is open to argument
        for column, profile in DEV_COLUMNS.items():
            total += 1
            got = ynsert.rewrite(row["source"], values={"Y/N": "Mara"}, **profile).text
            if got != row[column]:
                misses[f"{row['id']} {column}"] = f"got {got!r}, expected {row[column]!r}"
    accuracy = 1 - len(misses) / total
    print(f"\n{label}: {total - len(misses)}/{total} cells exact ({accuracy:.1%})")
    for key, miss in misses.items():
        print("  miss:", key, miss)
    return accuracy, misses


def assert_only_known_misses(misses: dict[str, str], known: dict[str, str]) -> None:
    """Every miss is a known one, and every known one still misses (else shrink the list)."""
    new = [f"{key}: {misses[key]}" for key in misses if key not in known]
    fixed = [key for key in known if key not in misses]
    assert not new, "new misses:\n" + "\n".join(new)
    assert not fixed, f"known misses now pass, remove them from the list: {fixed}"


def test_dev_sentences_all_exact() -> None:
    """180/180 cells are reached: any miss is a regression."""
    _, misses = score_table(DEV_SENTENCES, "dev sentences")
    assert_only_known_misses(misses, {})


# What the rewrite still gets wrong in tests/rewrite/more_sentences.tsv (916/918 cells exact).
OUR_KNOWN_MISSES = {
    "k150 third_she": "'She holds up the casserole her mom made and shrug.': the second verb of "
    "the series is not agreed (shrugs)",
    "k157 third_she": "'She follows him …, heart pounding, and duck behind a crate': the verb "
    "after the absolute phrase is not agreed (ducks)",
}


def test_our_own_sentences_only_known_misses() -> None:
    """308 more cases of the dev set's kinds in other words, written for this project by two
    independent testers (tests/rewrite/more_sentences.tsv: h… short cases, k… short cases and
    passages)."""
    path = Path(__file__).with_name("more_sentences.tsv")
    _, misses = score_table(path, "our sentences")
    assert_only_known_misses(misses, OUR_KNOWN_MISSES)
