"""Placeholder inventory and mixed-style findings."""

from __future__ import annotations

from ynsert.analysis.base import TextIndex
from ynsert.analysis.placeholders import inventory, placeholder_findings, style
from ynsert.placeholders import find_placeholders


def run(text: str):
    found = find_placeholders(text)
    inv = inventory(found, TextIndex(text))
    return inv, placeholder_findings(found, inv, TextIndex(text))


def test_style() -> None:
    assert style("(y/n)") == "round, lower"
    assert style("Y/N") == "bare, upper"


def test_one_style_is_clean() -> None:
    inv, findings = run("(y/n) tied back her (h/c) hair. (y/n) left.")
    assert not inv.mixed and findings == []
    assert {u.key: u.count for u in inv.uses} == {"Y/N": 2, "H/C": 1}


def test_mixed_spellings_of_one_key() -> None:
    inv, findings = run("Y/N smiled. Y/N ran. (y/n) laughed.")
    assert inv.mixed
    [finding] = findings
    assert finding.code == "YN301" and "(y/n)" in finding.message


def test_unknown_placeholder_is_info() -> None:
    _, findings = run("You met (Y/Q/N) at dawn.")
    assert [(f.code, f.severity) for f in findings] == [("YN302", "info")]
