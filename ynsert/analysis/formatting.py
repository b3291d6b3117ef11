"""Text for people: the AO3 header for ``ynsert tags`` and linter lines for ``ynsert check``.

``format_check`` prints errors and warnings only, in the usual ``PATH:LINE:COL: CODE message``
form, in text order; info findings stay in ``--json``. The codes are listed in
``report.CODES``:

    YN101 tense-slip            YN102 person-slip           YN201 reader-gendered
    YN301 placeholder-mixed     YN302 placeholder-unknown   (info)
    YN401 undeclared-warning    YN402 declared-not-detected (info)
    YN403 undeclared-trigger    YN404 relationship-mismatch
"""

from __future__ import annotations

from typing import Any

from ynsert.analysis.base import TagItem
from ynsert.analysis.content import ContentWarning
from ynsert.analysis.report import Report

_HEADER_FIELDS = (
    ("rating", "Rating"),
    ("warning", "Archive Warnings"),
    ("relationship", "Relationships"),
    ("character", "Characters"),
    ("additional", "Additional Tags"),
)
PRINTED_SEVERITIES = frozenset({"error", "warning"})


def format_tags(report: Report) -> str:
    """The paste-able header, then a line of content notes with status and confidence."""
    lines = ["Suggested AO3 header (detected from the text; detection is not a guarantee):"]
    for field, label in _HEADER_FIELDS:
        names = [t.name for t in report.tags if t.field == field]
        if names:
            lines.append(f"{label}: {', '.join(dict.fromkeys(names))}")
        elif field == "warning":
            lines.append(f"{label}: none detected (only the author can say none apply)")
    checked = [f"{v.warning}: {v.text}" for v in report.content.checked]
    if checked:
        lines.append(f"Archive warnings checked: {'; '.join(checked)}")
    notes = [_note(w) for w in (*report.content.archive, *report.content.triggers)]
    if notes:
        lines.append(f"Content Notes: {'; '.join(notes)}")
    if not report.content.classifier:
        lines.append("(content warnings from rules only: the trained classifier is not installed)")
    return "\n".join(lines)


def format_flagged(flagged: list[dict[str, Any]], warn_at: float) -> str:
    """The archive warnings that count for a reader warned from ``warn_at`` up, each with its
    probability and the first line of its evidence."""
    if not flagged:
        return f"Warnings for you (from {warn_at:.0%}): none"
    shown = [
        f"{w['name']} ({w['confidence']:.0%}: “{w['evidence'][0]['text'][:80]}”)"
        if w.get("evidence")
        else f"{w['name']} ({w['confidence']:.0%})"
        for w in flagged
    ]
    return f"Warnings for you (from {warn_at:.0%}): {'; '.join(shown)}"


def _note(warning: ContentWarning) -> str:
    return f"{warning.name} ({warning.status}, {warning.confidence:.0%})"


def format_check(report: Report, path: str) -> list[str]:
    """``PATH:LINE:COL: CODE message`` for every error and warning; empty when the work is clean."""
    shown = [f for f in report.findings if f.severity in PRINTED_SEVERITIES]
    shown.sort(key=lambda f: (f.start, f.code))
    return [f"{path}:{f.line}:{f.column}: {f.code} {f.message}" for f in shown]


def check_exit_code(report: Report) -> int:
    """1 when ``format_check`` prints anything, else 0."""
    return int(any(f.severity in PRINTED_SEVERITIES for f in report.findings))


def tag_evidence(item: TagItem) -> list[str]:
    """Human-readable evidence lines for one tag (for a verbose ``tags``)."""
    return [
        f"  {e.line}:{e.column}: {e.note + ': ' if e.note else ''}{e.text}" for e in item.evidence
    ]
