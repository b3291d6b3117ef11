"""The header block and the metadata type: one grammar, one ``Metadata``, for every reader.

A header block is the run of ``Label: value`` lines (decorations allowed: ``**Pairing:** …``)
at the top of a story whose labels are known (``ynsert.vocab.labels``). The story model leaves
it out of the narration, the formats read their metadata from it, the analyses read what the
work declares from it.

>>> meta, end = parse_header("Ship: Kylo Ren x Reader\\nRated: M\\n\\nYou wake up.")
>>> meta.relationships, meta.rating, end
(['Kylo Ren x Reader'], 'M', 32)
>>> parse_header("Monday: you wake late.")[1]
0
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

from ynsert.vocab.labels import LABELS, UNKNOWN_WARNINGS

#: One ``Label: value`` header line, decorations allowed ("**Pairing:** Kylo Ren x Reader").
HEADER_LINE = re.compile(r"^[ \t>*_]*([A-Za-z][\w' /&.-]{0,40}?)[ \t*_]*:[ \t*_]*(.*?)[ \t]*$")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
#: Header values longer than this are not metadata but prose that happens to contain a colon.
MAX_VALUE = 4000


@dataclass
class Metadata:
    """What archives and e-reader libraries know about a work; empty values mean "not given"."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    words: int | None = None
    chapters_declared: str = ""
    source_url: str = ""
    language: str = ""
    published: str = ""
    updated: str = ""
    series: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def warnings_unknown(self) -> bool:
        """AO3's "Creator Chose Not To Use Archive Warnings" means unknown, not none."""
        return any(normalise_label(w) in UNKNOWN_WARNINGS for w in self.warnings)

    def subjects(self) -> list[str]:
        """Every tag in AO3's order, as an e-reader library files them (``dc:subject``)."""
        ordered = [
            self.rating,
            *self.warnings,
            *self.categories,
            *self.fandoms,
            *self.relationships,
            *self.characters,
            *self.tags,
        ]
        return list(dict.fromkeys(s for s in ordered if s))

    def merge(self, other: Metadata) -> Metadata:
        """Return a copy where every non-empty field of ``other`` wins."""
        merged = replace(self, extra={**self.extra, **other.extra})
        for f in fields(self):
            value = getattr(other, f.name)
            if f.name != "extra" and value not in ("", None, []):
                setattr(merged, f.name, value)
        return merged


_LIST_FIELDS = {f.name for f in fields(Metadata) if f.type == "list[str]"}


def assign(
    meta: Metadata, label: str, value: str | Sequence[str], labels: Mapping[str, str] = LABELS
) -> bool:
    """Store ``value`` under the field ``label`` names; return False for unknown labels.

    Unknown labels the caller still wants to keep (``Requested by``) go to ``extra``.
    """
    name = labels.get(normalise_label(label))
    if name is None:
        return False
    if name == "extra":
        text = value if isinstance(value, str) else ", ".join(value)
        meta.extra[normalise_label(label)] = text.strip()
        return True
    if name in _LIST_FIELDS:
        values = split_list(value) if isinstance(value, str) else [v.strip() for v in value]
        current = getattr(meta, name)
        current.extend(v for v in values if v and v not in current)
    elif name == "words":
        meta.words = parse_int(value if isinstance(value, str) else " ".join(value))
    else:
        text = value if isinstance(value, str) else ", ".join(value)
        setattr(meta, name, text.strip())
    return True


def normalise_label(label: str) -> str:
    """``"**Archive Warnings:**"`` → ``"archive warnings"``."""
    return " ".join(label.strip(" \t*_:#>").lower().split())


def split_list(value: str) -> list[str]:
    """Split a comma (or semicolon) separated tag line."""
    return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]


def parse_int(value: str) -> int | None:
    """``"12,345"`` → 12345; None when there is no number (or an absurd one of 5,000 digits:
    Python refuses to convert those, and no work has more than a billion words).
    """
    digits = re.sub(r"[,.\s\u202f\xa0]", "", value)
    match = re.match(r"\d+", digits)
    return int(match.group()) if match and len(match.group()) <= MAX_NUMBER_DIGITS else None


MAX_NUMBER_DIGITS = 12


def is_known_label(label: str) -> bool:
    return normalise_label(label) in LABELS


def header_end(text: str) -> int:
    """Where the leading block of known ``Label: value`` lines ends (0 when there is none)."""
    end = 0
    for match in _LINE.finditer(text):
        line = match.group().rstrip("\r\n")
        if not match.group():
            break
        if not line.strip():
            continue
        key = HEADER_LINE.match(line) if len(line) <= MAX_VALUE else None
        if key is None or not is_known_label(key.group(1)):
            break
        end = match.end() - (len(match.group()) - len(line))
    return end


def header_fields(text: str) -> list[tuple[str, str]]:
    """The ``(label, value)`` pairs of the header block at the top of ``text``, as written."""
    pairs = []
    # lines end at \r and \n only, as in ``header_end``: ``str.splitlines`` would also cut at
    # a form feed, \x1c-\x1e, \x85 or \u2028 and silently drop the rest of the value
    for found in _LINE.finditer(text, 0, header_end(text)):
        line = found.group().rstrip("\r\n")
        match = HEADER_LINE.match(line)
        if match:
            pairs.append((match.group(1), match.group(2)))
    return pairs


def parse_header(text: str) -> tuple[Metadata, int]:
    """Metadata from the header block at the top of ``text``, and where the block ends."""
    meta = Metadata()
    for label, value in header_fields(text):
        assign(meta, label, value)
    return meta, header_end(text)
