"""Per-chapter view of a whole-work report: which warnings and findings each chapter carries.

The work is parsed and analysed once; a chapter's share is whatever evidence falls inside its
range of the work's text, so a reader sees *where* the Major Character Death happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ynsert.analysis.report import Report


@dataclass
class ChapterSummary:
    number: int
    title: str
    start: int
    end: int
    warnings: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def per_chapter(
    report: Report, ranges: list[tuple[int, int]], titles: list[str]
) -> list[ChapterSummary]:
    chapters = [
        ChapterSummary(i + 1, title, start, end)
        for i, ((start, end), title) in enumerate(zip(ranges, titles, strict=True))
    ]
    for warning in (*report.content.archive, *report.content.triggers):
        for chapter in chapters:
            # whole evidence inside: a classifier window that straddles chapters says nothing;
            # the author's words in the summary or notes belong to no chapter
            inside = any(
                chapter.start <= e.start and e.end <= chapter.end
                for e in warning.evidence
                if e.source == "story"
            )
            if inside and warning.name not in chapter.warnings:
                chapter.warnings.append(warning.name)
    for finding in report.findings:
        for chapter in chapters:
            if chapter.start <= finding.start < chapter.end:
                chapter.findings.append(finding.code)
    return chapters


def format_chapters(chapters: list[ChapterSummary]) -> list[str]:
    """``Chapter 3 "Title": warning, warning`` for each chapter, or "no warnings"."""
    lines = []
    for chapter in chapters:
        title = f' "{chapter.title}"' if chapter.title else ""
        found = ", ".join(chapter.warnings) or "no warnings"
        lines.append(f"Chapter {chapter.number}{title}: {found}")
    return lines
