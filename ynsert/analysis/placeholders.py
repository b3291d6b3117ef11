"""Placeholder inventory: which placeholders the work uses, how each is spelled, mixed styles.

Y/N smiled. (y/n) laughed.        → Y/N in two spellings: mixed (YN301)
(y/n) tied back her (h/c) hair.   → one style: lower case in round brackets
(y/n) tied back her [H/C] hair.   → two styles across placeholders: mixed (YN301)
You met (Y/B/N).                  → not a standard placeholder (YN302)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ynsert.analysis.base import Context, Evidence, Finding, TextIndex, findings_of, register
from ynsert.placeholders import STANDARD, Placeholder


@dataclass(frozen=True)
class PlaceholderUse:
    key: str
    standard: bool
    count: int
    spellings: dict[str, int]
    first: Evidence


@dataclass(frozen=True)
class PlaceholderInventory:
    uses: tuple[PlaceholderUse, ...]
    styles: dict[str, int]  # style (e.g. "(y/n)-lower-round") → occurrences

    @property
    def mixed(self) -> bool:
        return len(self.styles) > 1


def style(spelling: str) -> str:
    """Bracket and case of a spelling: "(y/n)" → "round, lower"; "Y/N" → "bare, upper"."""
    brackets = {"(": "round", "[": "square", "{": "curly", "<": "angle"}.get(spelling[:1], "bare")
    letters = [c for c in spelling if c.isalpha()]
    case = (
        "upper"
        if all(c.isupper() for c in letters)
        else "lower"
        if all(c.islower() for c in letters)
        else "mixed case"
    )
    return f"{brackets}, {case}"


def inventory(placeholders: list[Placeholder], index: TextIndex) -> PlaceholderInventory:
    by_key: dict[str, list[Placeholder]] = defaultdict(list)
    for ph in placeholders:
        by_key[ph.key].append(ph)
    uses = tuple(
        PlaceholderUse(
            key,
            key in STANDARD,
            len(found),
            dict(Counter(ph.spelling for ph in found)),
            index.evidence(found[0].start, found[0].end),
        )
        for key, found in by_key.items()
    )
    return PlaceholderInventory(uses, dict(Counter(style(ph.spelling) for ph in placeholders)))


def placeholder_findings(
    placeholders: list[Placeholder], inv: PlaceholderInventory, index: TextIndex
) -> list[Finding]:
    """One finding per spelling that is not the work's usual one, and per unknown key."""
    findings = []
    usual = Counter(style(ph.spelling) for ph in placeholders).most_common(1)
    reported: set[str] = set()
    for ph in placeholders:
        current = style(ph.spelling)
        if usual and current != usual[0][0] and ph.spelling not in reported:
            reported.add(ph.spelling)
            message = (
                f"placeholder “{ph.spelling}” ({current}) differs from the usual style "
                f"({usual[0][0]}) in this work"
            )
            findings.append(Finding.at(index, "YN301", message, ph.start, ph.end))
    for use in inv.uses:
        if not use.standard:
            message = f"placeholder {use.key} is not a standard one (readers' tools may miss it)"
            findings.append(
                Finding.at(index, "YN302", message, use.first.start, use.first.end, severity="info")
            )
    return findings


@register("placeholders", order=70)
def _component(context: Context, results: Mapping[str, Any]) -> PlaceholderInventory:
    return inventory(context.parsed.placeholders, context.index)


@findings_of("placeholders")
def _findings(
    result: PlaceholderInventory, context: Context, results: Mapping[str, Any]
) -> list[Finding]:
    return placeholder_findings(context.parsed.placeholders, result, context.index)
