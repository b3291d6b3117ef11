"""Know before you read: one parse of a story, every analysis over it, one ``Report``.

    >>> report = analyse(open("story.txt").read())          # doctest: +SKIP
    >>> print(format_tags(report))                           # doctest: +SKIP
    >>> for line in format_check(report, "story.txt"): ...   # doctest: +SKIP

Modules, one per analysis: ``narration`` (person, tense, slips), ``cast`` and ``relationship``,
``reader_gender``, ``deaths`` + ``triggers`` + ``classifier`` → ``content`` (warnings),
``declared`` (metadata and disagreements), ``placeholders`` (inventory); ``parsed`` is the
shared parse, ``tags`` the AO3 header, ``report`` and ``formatting`` the output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spacy.language import Language

from ynsert.analysis import declared as declared_mod
from ynsert.analysis.cast import Cast, analyse_cast
from ynsert.analysis.classifier import classify
from ynsert.analysis.content import Content, analyse_content
from ynsert.analysis.deaths import find_deaths
from ynsert.analysis.declared import Declared
from ynsert.analysis.formatting import check_exit_code, format_check, format_tags
from ynsert.analysis.narration import analyse_narration, slip_findings
from ynsert.analysis.parsed import Parsed, parse_story
from ynsert.analysis.placeholders import inventory, placeholder_findings
from ynsert.analysis.reader_gender import analyse_reader_gender, gender_findings
from ynsert.analysis.relationship import analyse_relationships
from ynsert.analysis.report import CODES, Evidence, Finding, Report, TagItem
from ynsert.analysis.tags import build_tags
from ynsert.analysis.triggers import find_hits
from ynsert.document import Document

__all__ = [
    "CODES",
    "Declared",
    "Evidence",
    "Finding",
    "Report",
    "TagItem",
    "analyse",
    "analyse_parsed",
    "check_exit_code",
    "format_check",
    "format_tags",
]


def analyse(
    text: str | Document,
    *,
    declared: Declared | Mapping[str, Any] | object | None = None,
    nlp: Language | None = None,
) -> Report:
    """Analyse a story: parse once, run every analysis, return the report.

    ``declared``: metadata from outside the text (AO3 tags, a ``Metadata``); it wins over the
    story's header block field by field.
    """
    document = text if isinstance(text, Document) else Document(text, nlp)
    return analyse_parsed(parse_story(document), declared=declared)


def _content(parsed: Parsed, cast: Cast) -> Content:
    """Rule evidence first, then the classifier on the windows that hold it."""
    names = {word for c in cast.characters for n in (c.name, *c.aliases) for word in n.split()}
    hits, deaths = find_hits(parsed), find_deaths(parsed, names)
    focus = {hit.sentence.index for hit in hits}
    focus |= {parsed.sentence_at(death.evidence.start) for death in deaths}
    return analyse_content(parsed, hits, deaths, classify(parsed, focus=focus))


def analyse_parsed(
    parsed: Parsed, *, declared: Declared | Mapping[str, Any] | object | None = None
) -> Report:
    index = parsed.index
    given = declared_mod.coerce(declared) if declared is not None else None
    metadata = declared_mod.merge(declared_mod.from_header(parsed.story), given)
    narration = analyse_narration(parsed)
    cast = analyse_cast(parsed)
    relationships = analyse_relationships(parsed, cast)
    gender = analyse_reader_gender(parsed, cast)
    content = _content(parsed, cast.cast)
    places = inventory(parsed.placeholders, index)
    findings = [
        *slip_findings(narration, index),
        *gender_findings(gender, metadata.reader_gender if metadata else None, index),
        *placeholder_findings(parsed.placeholders, places, index),
        *declared_mod.disagreements(metadata, content, relationships, index),
    ]
    findings.sort(key=lambda f: (f.start, f.code))
    tags = build_tags(narration, cast.cast, relationships, gender, content)
    return Report(
        narration, cast.cast, relationships, gender, content, metadata, places, tags, findings
    )
