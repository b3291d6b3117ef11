"""Per-chapter view of a whole-work report: which tags and findings each chapter carries.

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
    tags: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def per_chapter(
    report: Report, ranges: list[tuple[int, int]], titles: list[str]
) -> list[ChapterSummary]:
    chapters = [
        ChapterSummary(i + 1, title, start, end)
        for i, ((start, end), title) in enumerate(zip(ranges, titles, strict=True))
    ]
    for item in report.tags:
        for chapter in chapters:
            if any(chapter.start <= e.start < chapter.end for e in item.evidence):
                label = f"{item.name}"
                if label not in chapter.tags:
                    chapter.tags.append(label)
    for finding in report.findings:
        for chapter in chapters:
            if chapter.start <= finding.start < chapter.end:
                chapter.findings.append(finding.code)
    return chapters


def format_chapters(chapters: list[ChapterSummary]) -> list[str]:
    """One line per chapter that has something to say: ``Chapter 3 "Title": tag, tag``."""
    lines = []
    for chapter in chapters:
        if chapter.tags:
            title = f' "{chapter.title}"' if chapter.title else ""
            lines.append(f"Chapter {chapter.number}{title}: {', '.join(chapter.tags)}")
    return lines
