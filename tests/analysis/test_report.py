"""Report plumbing: line:column, JSON, the tags header and linter lines."""

from __future__ import annotations

import json

from ynsert.analysis import analyse, check_exit_code, format_check, format_tags
from ynsert.analysis.base import CODES, TextIndex


def test_line_column() -> None:
    index = TextIndex("ab\ncd\r\nef")
    assert index.line_col(0) == (1, 1)
    assert index.line_col(4) == (2, 2)
    assert index.line_col(7) == (3, 1)


def test_report_is_json_and_lines_are_linter_form() -> None:
    text = (
        "You ran. You fell.\n\nYou hid. You waited. You listened. He came closer. "
        "Then the door opens and you see him. You breathe. He waits."
    )
    report = analyse(text)
    json.dumps(report.to_dict())
    lines = format_check(report, "story.txt")
    assert lines and lines[0].startswith("story.txt:3:52: YN101 ")
    assert check_exit_code(report) == 1
    assert all(f.code in CODES for f in report.findings)


def test_clean_story_has_no_lines() -> None:
    report = analyse("You ran. You hid. He passed you by. You waited.")
    assert format_check(report, "x") == [] and check_exit_code(report) == 0
    assert "Second Person" in format_tags(report)
