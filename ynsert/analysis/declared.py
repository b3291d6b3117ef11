"""What the work says about itself, and where the text disagrees.

Declared metadata comes from the story's header block (``Warnings:``, ``Tags:``, ``Pairing:``,
``Rating:``, ``Characters:`` …) or from the caller: a ``Declared``, a mapping with those keys, or
any object with ``rating``/``warnings``/``relationships``/``characters``/``tags`` attributes (the
formats module's ``Metadata``). Free-text warnings are read into canonical names:

    Warnings: none                         → declares no warnings
    Warnings: MCD, mentions of torture     → Major Character Death, torture
    Tags: gn!reader, angst                 → the reader is declared gender-neutral
    Archive Warning: Creator Chose Not To Use Archive Warnings → unknown (no disagreement)

Disagreements, as findings:

    declared: no warnings; detected: Major Character Death          (YN401)
    declared: Rape/Non-Con; no evidence found in the text           (YN402, info)
    declared tags miss detected trigger: torture (mentioned)        (YN403)
    declared “Kylo Ren & Reader” (platonic) but the text is romantic (YN404)

A work that declares nothing (no header block, no metadata from its file or caller) has nothing
to disagree with and gets none of these; its detections are in the report and the tags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from ynsert.analysis.base import Context, Evidence, Finding, TextIndex, findings_of, register
from ynsert.analysis.relationship import Relationship
from ynsert.document.header import parse_header
from ynsert.document.segment import Story
from ynsert.vocab.labels import ARCHIVE_WARNINGS as ARCHIVE

#: Canonical warning or trigger → patterns that declare it in free text.
_WARNING_PATTERNS: dict[str, str] = {
    "Major Character Death": r"major character death|\bmcd\b|character death|reader death",
    "Graphic Depictions Of Violence": r"graphic (?:depictions? of )?violence|\bgore\b",
    "Rape/Non-Con": r"\brape\b|non-?con",
    "Underage": r"underage",
    "death": r"\bdeath\b|\bdies\b|\bdying\b|\bkilled\b",
    "violence": r"violen",
    "torture": r"tortur",
    "blood": r"\bblood",
    "self-harm": r"self[- ]?harm",
    "suicide": r"suicid",
    "abuse": r"\babus",
    "kidnapping": r"kidnap|abduct",
    "war": r"\bwar\b",
    "sexual content": r"smut|sexual|\bsex\b|explicit|nsfw|lemon",
}
_NONE = re.compile(r"^\s*(?:none|no(?:ne)? warnings?|n/?a|no archive warnings apply|-)\s*$", re.I)
_UNKNOWN = re.compile(r"cho(?:se|ose) not to use", re.I)
_GENDERS: dict[str, str] = {
    "neutral": r"gender[- ]?neutral|\bgn\b|gn!|no gender|genderless|non-?binary|enby",
    "female": r"female|fem!|f!reader|\bwoman\b|\bgirl\b",
    "male": r"\bmale\b|m!reader|\bman\b|\bboy\b",
}


@dataclass(frozen=True)
class Declared:
    rating: str = ""
    warnings: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = "given"
    span: tuple[int, int] | None = None  # where in the text (header), if there
    summary: str = ""  # what readers see before the story: evidence, never a tag
    notes: str = ""

    @property
    def empty(self) -> bool:
        return not (self.rating or self.warnings or self.relationships or self.tags)

    @property
    def warning_state(self) -> Literal["none", "unknown", "listed", "absent"]:
        if not self.warnings:
            return "absent"
        if all(_NONE.match(w) for w in self.warnings):
            return "none"
        return "unknown" if any(_UNKNOWN.search(w) for w in self.warnings) else "listed"

    def declares(self, name: str) -> bool:
        """Does any warning or tag declare this archive warning or trigger?"""
        pattern = _WARNING_PATTERNS.get(name, re.escape(name))
        return any(re.search(pattern, t, re.I) for t in (*self.warnings, *self.tags))

    @property
    def reader_gender(self) -> str | None:
        """neutral / female / male when a tag declares the reader's gender."""
        reader_tags = [
            t for t in (*self.tags, *self.characters) if re.search("reader|you", t, re.I)
        ]
        for gender, pattern in _GENDERS.items():
            if any(re.search(pattern, t, re.I) for t in reader_tags):
                return gender
        return None


def from_header(story: Story) -> Declared | None:
    """The declared metadata in the story's header block (``ynsert.document.header``), if any."""
    if story.header is None:
        return None
    meta, _ = parse_header(story.text[story.header.start : story.header.end])
    declared = coerce(meta, source="header")
    return replace(declared, span=(story.header.start, story.header.end))


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,;|]", value) if v.strip()]


def coerce(value: Declared | Mapping[str, Any] | object, *, source: str = "given") -> Declared:
    """A ``Declared`` from a Declared, a mapping, or an object with the same attribute names."""
    if isinstance(value, Declared):
        return value

    def get(name: str) -> Any:
        if isinstance(value, Mapping):
            return value.get(name) or value.get(name.rstrip("s")) or ""
        return getattr(value, name, "") or ""

    def listed(name: str) -> tuple[str, ...]:
        raw = get(name)
        return tuple(_split(raw)) if isinstance(raw, str) else tuple(str(v) for v in raw)

    rating = get("rating")
    return Declared(
        rating if isinstance(rating, str) else ", ".join(str(r) for r in rating),
        listed("warnings"),
        listed("relationships"),
        listed("characters"),
        listed("tags"),
        source,
        summary=str(get("summary")),
        notes=str(get("notes")),
    )


def merge(header: Declared | None, given: Declared | None) -> Declared | None:
    """The caller's metadata wins field by field; the header fills what it leaves out."""
    if header is None or given is None:
        return given or header
    fields = {
        name: getattr(given, name) or getattr(header, name)
        for name in (
            "rating",
            "warnings",
            "relationships",
            "characters",
            "tags",
            "summary",
            "notes",
        )
    }
    return Declared(**fields, source=f"{given.source}+header", span=header.span)


# --- disagreements --------------------------------------------------------------------------


class DetectedWarning(Protocol):
    """What a disagreement reads of one detected warning (``content.ContentWarning``)."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def evidence(self) -> tuple[Evidence, ...]: ...


class Detected(Protocol):
    """What the disagreements read of the content analysis (``content.Content``): named here,
    not imported, because the content analysis reads ``Declared`` (no import cycle)."""

    @property
    def archive(self) -> Sequence[DetectedWarning]: ...
    @property
    def triggers(self) -> Sequence[DetectedWarning]: ...


@dataclass
class _Checker:
    declared: Declared | None
    index: TextIndex
    findings: list[Finding] = field(default_factory=list)

    def where(self, fallback: tuple[int, int]) -> tuple[int, int]:
        return self.declared.span if self.declared and self.declared.span else fallback

    def add(self, code: str, message: str, span: tuple[int, int], **kw: Any) -> None:
        self.findings.append(Finding.at(self.index, code, message, *span, **kw))


def disagreements(
    declared: Declared | None,
    content: Detected,
    relationships: list[Relationship],
    index: TextIndex,
) -> list[Finding]:
    checker = _Checker(declared, index)
    if declared is None or declared.empty:
        return []  # a work that declares nothing has nothing for the text to disagree with
    _archive(checker, content)
    _triggers(checker, content)
    _relationships(checker, relationships)
    return checker.findings


def _archive(checker: _Checker, content: Detected) -> None:
    declared = checker.declared
    assert declared is not None
    state = declared.warning_state
    if state == "unknown":
        return
    said = {"absent": "nothing", "none": "no warnings"}.get(state, "")
    for warning in content.archive:
        if declared.declares(warning.name):
            continue
        evidence = warning.evidence[0]
        label = said or ", ".join(declared.warnings)
        message = f"declared: {label}; detected: {warning.name} ({warning.confidence:.0%})"
        checker.add(
            "YN401",
            message,
            checker.where((evidence.start, evidence.end)),
            evidence=warning.evidence,
        )
    if state == "listed":
        detected = {w.name for w in (*content.archive, *content.triggers)}
        for name in ARCHIVE:
            if declared.declares(name) and name not in detected:
                message = f"declared: {name}; no evidence found in the text"
                checker.add("YN402", message, checker.where((0, 0)), severity="info")


def _triggers(checker: _Checker, content: Detected) -> None:
    assert checker.declared is not None
    for warning in content.triggers:
        if checker.declared.declares(warning.name):
            continue
        evidence = warning.evidence[0]
        message = (
            f"declared warnings and tags do not mention {warning.name} "
            f"({warning.status}, {warning.confidence:.0%})"
        )
        checker.add("YN403", message, (evidence.start, evidence.end), evidence=warning.evidence)


def _relationships(checker: _Checker, relationships: list[Relationship]) -> None:
    assert checker.declared is not None
    for declared_tag in checker.declared.relationships:
        platonic = "&" in declared_tag
        for found in relationships:
            if found.character.split()[-1].lower() not in declared_tag.lower():
                continue
            if platonic != (found.kind == "platonic"):
                message = f"declared “{declared_tag}” but the text reads {found.kind}: {found.tag}"
                checker.add("YN404", message, checker.where((0, 0)), evidence=found.evidence)


@register("declared", order=60)
def _component(context: Context, results: Mapping[str, Any]) -> Declared | None:
    given = coerce(context.given) if context.given is not None else None
    return merge(from_header(context.parsed.story), given)


@findings_of("declared")
def _findings(
    result: Declared | None, context: Context, results: Mapping[str, Any]
) -> list[Finding]:
    return disagreements(result, results["content"], results["relationships"], context.index)
