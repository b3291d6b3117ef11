"""The work-level API: the verbs the CLI, the web app and the batch runner all call.

Every verb takes a work as bytes, a path, or a ``Work`` already read, and returns plain data or
a small result object. A ``Work`` is read once and parsed once: calling ``tags`` and then
``personalise`` on the same ``Work`` shares one parse.

>>> from ynsert import api
>>> work = api.open_work(b"Ship: Kylo Ren x Reader\\n\\nYou wake up, Y/N.", filename="a.txt")
>>> work.metadata.relationships
['Kylo Ren x Reader']
>>> result = api.personalise(work, {"name": "Mara", "pronouns": "she", "names": "none"})
>>> result.text
'Ship: Kylo Ren x Reader\\n\\nShe wakes up, Mara.'
>>> [(edit.code, edit.old, edit.new) for edit in result.edits][:2]
[('YN-R-PRON', 'You', 'She'), ('YN-R-VERB', 'wake', 'wakes')]
>>> api.personalise(work, {"name": "Mara", "to": "second"}).text
'Ship: Kylo Ren x Reader\\n\\nYou wake up, Mara.'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ynsert.edits import Edit, Rewrite
from ynsert.errors import FormatError, InputError, ProfileError, YnsertError
from ynsert.formats import Work, format_for, format_name, read_work, write_work
from ynsert.profile import ReaderProfile, coerce_profile, load_profile
from ynsert.source import read_bytes

if TYPE_CHECKING:
    from ynsert.analysis import Report
    from ynsert.analysis.chapters import ChapterSummary

WorkLike = Work | bytes | bytearray | str | os.PathLike[str]
ProfileLike = ReaderProfile | Mapping[str, Any] | str | Path | None

__all__ = [
    "FormatError",
    "InputError",
    "Personalised",
    "ProfileError",
    "ReaderProfile",
    "YnsertError",
    "analyse_work",
    "check",
    "check_lines",
    "load_profile",
    "open_work",
    "personalise",
    "reader_address",
    "tags",
    "tags_text",
    "version_stamp",
    "warnings_for",
]


def open_work(work: WorkLike, *, filename: str | None = None, format: str | None = None) -> Work:
    """A ``Work`` from bytes, a path (``"-"`` is standard input) or a ``Work`` (returned as is).

    Size limits and hostile-file defences apply here, whatever the caller.
    """
    if isinstance(work, Work):
        return work
    if isinstance(work, bytes | bytearray):
        return read_work(bytes(work), filename, format)
    path = os.fspath(work)
    data = read_bytes(path)
    return read_work(data, None if path == "-" else path, format)


@dataclass
class Personalised:
    """A personalised work: the edits (with codes and reasons), notes, and the written file."""

    work: Work
    rewrite: Rewrite
    format: str

    @property
    def edits(self) -> list[Edit]:
        return sorted(self.rewrite.edits)

    @property
    def notes(self) -> list[str]:
        return [*self.work.notes, *self.rewrite.notes]

    @property
    def text(self) -> str:
        """The personalised story text (all chapters)."""
        return self.work.text

    @cached_property
    def data(self) -> bytes:
        """The personalised file in ``format`` (the input's format unless another was asked)."""
        return write_work(self.work, self.format)

    def positions(self) -> list[tuple[int, int]]:
        """``(line, column)``, both 1-based, where each edit starts in the original text."""
        from ynsert.analysis.base import TextIndex

        index = TextIndex(self.rewrite.original)
        return [index.line_col(edit.start) for edit in self.edits]

    def to_dict(self) -> dict[str, Any]:
        data = {"format": self.format, **self.rewrite.to_dict()}
        edits: list[dict[str, Any]] = data["edits"]  # type: ignore[assignment]
        for edit, (line, column) in zip(edits, self.positions(), strict=True):
            edit.update(line=line, column=column)
        return data


def personalise(
    work: WorkLike,
    profile: ProfileLike = None,
    *,
    format: str | None = None,
    force: bool = False,
    **overrides: Any,
) -> Personalised:
    """Tell ``work`` about the reader in ``profile`` (overrides win, None means "not given").

    ``to="second"`` keeps "you" and only fills placeholders (or, for a reader-insert told in
    first person, rewrites "I" into "you"); ``first``/``third`` rewrite the narration.
    ``source`` (auto, second, first) says which person the story is told in. ``format`` picks
    the output format (default: the input's). ``character="Elizabeth"`` reads a third-person
    story as that character: their chain's mentions in narration become the reader.
    """
    from ynsert.rewrite import fill, rewrite
    from ynsert.rewrite.character import rewrite_character

    reader = coerce_profile(profile).merged(**overrides)
    source = open_work(work)
    if reader.character:
        result = rewrite_character(
            source.document,
            reader.character,
            to=reader.to,
            name=reader.name,
            pronouns=reader.pronoun_set,
        )
    elif reader.to == "second" and reader.source == "second":
        result = fill(source.document, reader.placeholder_values())
    else:
        result = rewrite(
            source.document,
            to=reader.to,
            source=reader.source,
            name=reader.name,
            pronouns=reader.pronoun_set,
            names=reader.names,
            values=reader.values,
            force=force,
        )
    fmt = format_name(format) if format else source.format
    return Personalised(source.apply(result.edits), result, fmt)


def reader_address(work: WorkLike) -> dict[str, Any]:
    """Is the work a reader-insert, told in which person, and why (what a page shows before
    anything is rewritten); ``personalise(...).to_dict()["address"]`` is the same judgement.

    >>> judged = reader_address(b"Mara bowed. The queen smiled. It was a crown of your own. Dusk.")
    >>> judged["reader_insert"], judged["reason"][:39]
    (False, "'you' in 1 of 4 narrated sentences: a g")
    """
    from ynsert.rewrite.person import judge

    return judge(open_work(work).document).to_dict()


def output_format(requested: str | None, output_name: str | None, work: Work) -> str:
    """The format to write: asked for, else the output file's suffix, else the input's."""
    if requested:
        return format_name(requested)
    return format_for(output_name) or work.format


def analyse_work(work: WorkLike, *, declared: object | None = None) -> Report:
    """Every analysis over the work's one parse; metadata from the file counts as declared."""
    from ynsert.analysis import analyse

    source = open_work(work)
    if declared is not None:
        return analyse(source.document, declared=declared)
    cache = source.document.results  # tags, check and the pages share one report per work
    if "report" not in cache:
        cache["report"] = analyse(source.document, declared=source.metadata)
    report: Report = cache["report"]
    return report


def tags(work: WorkLike, *, warn_at: float | None = None) -> dict[str, Any]:
    """The report as plain data, with a per-chapter view for multi-chapter works, and the
    archive warnings that flag the work for a reader warned from ``warn_at`` up."""
    source = open_work(work)
    report = analyse_work(source)
    data = report.to_dict()
    data["flagged"] = warnings_for(source, warn_at=warn_at)
    chapters = _chapters(source, report)
    data["chapters"] = [asdict(c) for c in chapters] if len(chapters) > 1 else []
    return data


def warnings_for(
    work: WorkLike, profile: ProfileLike = None, *, warn_at: float | None = None
) -> list[dict[str, Any]]:
    """The archive warnings that flag ``work`` for this reader: from their ``warn_at`` (the
    argument, else the profile's) up, else at each warning's default level. Each comes with
    its probability and the evidence it stands on (a sentence of the story, summary or notes).

    >>> work = open_work(b"He stabbed you. You died.", filename="a.txt")
    >>> [(w["name"], w["evidence"][0]["source"]) for w in warnings_for(work, warn_at=0.15)]
    [('Major Character Death', 'story')]
    """
    from ynsert.analysis.base import _plain

    level = warn_at if warn_at is not None else coerce_profile(profile).warn_at
    if level is not None and not 0.1 <= level <= 1:
        raise InputError(f"warn_at must be between 0.1 and 1, not {level}")
    content = analyse_work(work).content
    return [_plain(w) for w in content.flagged(level)]


def tags_text(work: WorkLike, *, warn_at: float | None = None) -> str:
    """``ynsert tags`` as text: the paste-able AO3 header, then (for several chapters) a line
    per chapter saying where each warning's evidence is; with ``warn_at``, a line of the
    archive warnings that count for a reader warned from that probability up."""
    from ynsert.analysis.chapters import format_chapters
    from ynsert.analysis.formatting import format_flagged, format_tags

    source = open_work(work)
    report = analyse_work(source)
    chapters = _chapters(source, report)
    lines = [format_tags(report)]
    if warn_at is not None:
        lines.append(format_flagged(warnings_for(source, warn_at=warn_at), warn_at))
    if len(chapters) > 1:
        lines += format_chapters(chapters)
    return "\n".join(lines)


def _chapters(source: Work, report: Report) -> list[ChapterSummary]:
    from ynsert.analysis.chapters import per_chapter

    return per_chapter(report, source.chapter_ranges(), [c.title for c in source.chapters])


def check(work: WorkLike) -> list[dict[str, Any]]:
    """Writer-facing findings (code, line, column, message …) as plain data."""
    findings: list[dict[str, Any]] = analyse_work(work).to_dict()["findings"]
    return findings


def check_lines(work: WorkLike, path: str) -> list[str]:
    """``ynsert check`` as text: ``PATH:LINE:COL: CODE message`` for every error and warning,
    in text order; empty when the work is clean (the command then exits 0, else 1)."""
    from ynsert.analysis.formatting import format_check

    return format_check(analyse_work(work), path)


def version_stamp() -> dict[str, str]:
    """What produced a result: ynsert, the spaCy model and the warnings model versions."""
    from ynsert.analysis.report import version_stamp as stamp

    return stamp()
