"""Reader placeholders: Y/N, (y/n), [L/N], {H/C} … found anywhere and filled from a profile.

The brackets belong to the placeholder; a following ``'s`` stays; the value is used as written
and capitalised only at the start of a sentence.

    >>> fill_edits('"(y/n)?" she asked.', {"Y/N": "Mara"})[0].new
    'Mara'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ynsert.edits import Edit
from ynsert.vocab.placeholders import ALIASES, NOT_PLACEHOLDERS, STANDARD

_PLACEHOLDER = re.compile(
    r"(?P<open>[(\[{<]?)"
    r"(?<![\w/])(?P<key>[A-Za-z]{1,2}(?:/[A-Za-z]{1,2}){1,3})(?![\w/])"
    r"(?P<close>[)\]}>]?)"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…]['\"”’)\]]*\s+|\n\s*)['\"“‘(*_\s]*$")


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    key: str  # normalised, e.g. "Y/N"
    spelling: str  # as written, e.g. "(y/n)"


def normalise_key(key: str) -> str:
    return key.strip().strip("()[]{}<>").upper()


def find_placeholders(text: str, known: Mapping[str, str] | None = None) -> list[Placeholder]:
    """Standard placeholders in any case, plus custom capitalised or bracketed ones."""
    known_keys = {normalise_key(k) for k in (known or {})}
    found: list[Placeholder] = []
    for match in _PLACEHOLDER.finditer(text):
        key = match.group("key").upper()
        bracketed = bool(match.group("open")) and bool(match.group("close"))
        if not _is_placeholder(match.group("key"), key, bracketed, known_keys, text, match):
            continue
        start, end = match.span()
        if not bracketed:  # a lone bracket is punctuation, not part of the placeholder
            start, end = match.span("key")
        found.append(Placeholder(start, end, key, text[start:end]))
    return found


def _is_placeholder(
    written: str, key: str, bracketed: bool, known: set[str], text: str, match: re.Match[str]
) -> bool:
    if key in known or key in STANDARD:
        return not (key == "Y/A" and written.islower() and not bracketed)
    if key in NOT_PLACEHOLDERS:
        return False
    if re.search(r"\d\s*$", text[: match.start()]):  # 25 y/o
        return False
    return bracketed or written.isupper()


def resolve_values(values: Mapping[str, str] | None) -> dict[str, str]:
    """Normalise keys and fill aliases (F/N from Y/N …)."""
    resolved = {normalise_key(k): v for k, v in (values or {}).items() if v is not None}
    for alias, source in ALIASES.items():
        if alias not in resolved and source in resolved:
            resolved[alias] = resolved[source]
    return resolved


def at_sentence_start(text: str, offset: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, offset - 40) : offset])) or offset == 0


def fill_edits(
    text: str,
    values: Mapping[str, str] | None,
    *,
    skip: frozenset[str] = frozenset(),
    found: list[Placeholder] | None = None,
) -> list[Edit]:
    """One edit per placeholder that has a value; keys in ``skip`` are left alone.

    ``found``: the placeholders already found in ``text`` (found again when not given).
    """
    resolved = resolve_values(values)
    edits = []
    for ph in find_placeholders(text, resolved) if found is None else found:
        value = resolved.get(ph.key)
        if value is None or ph.key in skip:
            continue
        if at_sentence_start(text, ph.start):
            value = value[:1].upper() + value[1:]
        edits.append(
            Edit(ph.start, ph.end, ph.spelling, value, f"placeholder {ph.key}", "YN-P-FILL")
        )
    return edits


def unfilled(
    text: str, values: Mapping[str, str] | None, found: list[Placeholder] | None = None
) -> list[str]:
    """Placeholder keys in the text with no value in the profile, in order of appearance."""
    resolved = resolve_values(values)
    seen: dict[str, None] = {}
    for ph in find_placeholders(text, resolved) if found is None else found:
        if ph.key not in resolved:
            seen.setdefault(ph.key)
    return list(seen)
