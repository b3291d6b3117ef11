"""The base of every analysis: the shared parse, evidence and findings that point into the text,
and the registry. No analysis module is imported here, so nothing in the package cycles back.

``Parsed`` is the one parse every analysis shares: each sentence of the story body, parsed once.
Sentences come from the story model (so their offsets index the original text) and from the
document's one parse (``ynsert.document.parse``), with named entities, because the cast needs
them; ``doc`` character offsets plus the sentence start are offsets into the story. Every
analysis reads ``Parsed`` (``ynsert.analysis.parsed`` is its import path too); none parses again.

Every item carries a character span *and* a 1-based ``line:column`` so a linter line, an editor
and a JSON consumer can all find the same words.

An analysis is a registered component: a function from the shared parse (and the results of the
components it ``needs``) to a result, plus optionally the writer-facing findings it yields.
Adding an analysis is one module that registers itself and its tests:

    @register("mood", needs=("narration",), order=35)
    def analyse_mood(context: Context, results: Mapping[str, Any]) -> Mood: ...

``ynsert.analysis.report`` finds every module of the package, runs the components in
dependency order and builds the ``Report`` from what they return.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from functools import cached_property
from typing import Any, Literal

from ynsert.document import Document
from ynsert.document.address import count_address
from ynsert.document.parse import ParsedSentence
from ynsert.document.segment import Story
from ynsert.placeholders import Placeholder

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
    source: str = "story"  # "story", or "summary" / "notes": offsets are then into that text


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


# --- the shared parse --------------------------------------------------------------------------

_LONGEST = 16  # no placeholder is longer than this
_HAS_WORD = re.compile(r"[A-Za-z]")


@dataclass
class Parsed:
    """A story, its sentences parsed once, and the indexes every analysis needs."""

    story: Story
    sentences: list[ParsedSentence]
    placeholders: list[Placeholder]
    index: TextIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = TextIndex(self.story.text)

    @property
    def text(self) -> str:
        return self.story.text

    def narration_sentences(self) -> list[ParsedSentence]:
        return [s for s in self.sentences if s.has_narration]

    def placeholder_at(self, start: int, end: int) -> Placeholder | None:
        """The placeholder overlapping ``[start, end)``, if any (by bisection)."""
        i = bisect.bisect_right(self._placeholder_starts, max(0, start - _LONGEST))
        for ph in self.placeholders[i:]:
            if ph.start >= end:
                return None
            if start < ph.end:
                return ph
        return None

    @cached_property
    def _placeholder_starts(self) -> list[int]:
        return [ph.start for ph in self.placeholders]

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> int:
        """Position in ``sentences`` of the sentence holding (or nearest before) ``offset``."""
        return max(0, bisect.bisect_right(self.sentence_starts, offset) - 1)

    @cached_property
    def reader_insert(self) -> bool:
        """Told to "you" rather than by an "I" who addresses a listener now and then."""
        return count_address(self.story).is_reader_insert


def parse_story(document: Document) -> Parsed:
    """Every sentence of the story body from the document's one parse (entities on)."""
    story = document.story
    sentences = [s for s in story.sentences() if _HAS_WORD.search(story.text, s.start, s.end)]
    return Parsed(story, document.parse.parsed(sentences, entities=True), document.placeholders)


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and sets as JSON-ready dicts and lists (asdict keeps tuples)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every component may read: the shared parse, offsets → line:col, declared metadata."""

    parsed: Parsed
    index: TextIndex
    given: object | None = None  # metadata from outside the text (a file's, a caller's)


Run = Callable[[Context, Mapping[str, Any]], Any]
Findings = Callable[[Any, Context, Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Component:
    """One registered analysis: its result goes into the report under ``name``."""

    name: str
    run: Run
    needs: tuple[str, ...] = ()
    findings: Findings | None = None
    order: int = 100  # place of the result in the report and its JSON
    public: bool = True  # False: an intermediate other components read, not reported


REGISTRY: dict[str, Component] = {}


def register(
    name: str,
    *,
    needs: tuple[str, ...] = (),
    order: int = 100,
    public: bool = True,
) -> Callable[[Run], Run]:
    """Register ``run`` as the component ``name`` (decorator)."""

    def add(run: Run) -> Run:
        if name in REGISTRY and REGISTRY[name].run is not run:
            raise ValueError(f"two analyses register {name!r}")
        REGISTRY[name] = Component(name, run, needs, None, order, public)
        return run

    return add


def findings_of(name: str) -> Callable[[Findings], Findings]:
    """Attach a findings function to the registered component ``name`` (decorator)."""

    def attach(function: Findings) -> Findings:
        component = REGISTRY[name]
        REGISTRY[name] = Component(
            component.name,
            component.run,
            component.needs,
            function,
            component.order,
            component.public,
        )
        return function

    return attach
