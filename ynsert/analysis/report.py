"""What an analysis returns: findings and evidence that point back into the original text.

Every item carries a character span *and* a 1-based ``line:column`` so a linter line, an editor
and a JSON consumer can all find the same words. ``to_dict()`` on the report is plain JSON data.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the analyses import this module; their types are only annotations here
    from ynsert.analysis.cast import Cast
    from ynsert.analysis.content import Content
    from ynsert.analysis.declared import Declared
    from ynsert.analysis.narration import Narration
    from ynsert.analysis.placeholders import PlaceholderInventory
    from ynsert.analysis.reader_gender import ReaderGender
    from ynsert.analysis.relationship import Relationship

Severity = Literal["error", "warning", "info"]

#: Stable codes for writer-facing findings (``ynsert check``). Never renumber; only add.
CODES: dict[str, str] = {
    "YN101": "tense-slip",  # narration leaves the work's dominant tense
    "YN102": "person-slip",  # narration leaves the work's dominant person
    "YN201": "reader-gendered",  # the text genders the reader (error if declared neutral)
    "YN301": "placeholder-mixed",  # one placeholder written in several spellings
    "YN302": "placeholder-unknown",  # a placeholder outside the standard set
    "YN401": "undeclared-warning",  # detected archive warning missing from the declared ones
    "YN402": "declared-not-detected",  # declared warning or tag with no evidence in the text
    "YN403": "undeclared-trigger",  # detected common trigger not in the declared tags
    "YN404": "relationship-mismatch",  # declared pairing style (/ vs &) disagrees with the text
}


class TextIndex:
    """Offsets → (line, column), both 1-based, computed once per text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def excerpt(self, start: int, end: int, limit: int = 160) -> str:
        """The text of a span on one line, shortened in the middle when it is long."""
        words = " ".join(self.text[start:end].split())
        if len(words) <= limit:
            return words
        half = limit // 2 - 2
        return f"{words[:half]} … {words[-half:]}"

    def evidence(self, start: int, end: int, note: str = "") -> Evidence:
        line, column = self.line_col(start)
        return Evidence(start, end, line, column, self.excerpt(start, end), note)


@dataclass(frozen=True)
class Evidence:
    """A passage of the story that supports a finding, tag or warning."""

    start: int
    end: int
    line: int
    column: int
    text: str
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """One writer-facing problem, as ``ynsert check`` prints it."""

    code: str
    kind: str
    message: str
    start: int
    end: int
    line: int
    column: int
    severity: Severity = "warning"
    evidence: tuple[Evidence, ...] = ()

    @classmethod
    def at(
        cls,
        index: TextIndex,
        code: str,
        message: str,
        start: int,
        end: int,
        *,
        severity: Severity = "warning",
        evidence: tuple[Evidence, ...] = (),
    ) -> Finding:
        line, column = index.line_col(start)
        return cls(code, CODES[code], message, start, end, line, column, severity, evidence)


@dataclass(frozen=True)
class TagItem:
    """One entry of the AO3-style header, with why it is there."""

    field: Literal["rating", "warning", "relationship", "character", "additional"]
    name: str
    confidence: float = 1.0
    evidence: tuple[Evidence, ...] = ()
    note: str = ""


@dataclass
class Report:
    """Everything ``analyse`` found; sub-results are the dataclasses of each analysis module."""

    narration: Narration
    cast: Cast
    relationships: list[Relationship]
    reader_gender: ReaderGender
    content: Content
    declared: Declared | None
    placeholders: PlaceholderInventory
    tags: list[TagItem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def tag_names(self, kind: str) -> list[str]:
        return [t.name for t in self.tags if t.field == kind]

    def to_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in self.__dataclass_fields__}


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and sets as JSON-ready dicts and lists (asdict keeps tuples)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value
