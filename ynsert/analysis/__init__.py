"""Know before you read: one parse of a story, every registered analysis over it, one ``Report``.

    >>> report = analyse('"Stay," Kylo says. You stay, and Kylo kisses you.')
    >>> report.narration.person, report.tag_names("relationship")
    ('second', ['Kylo/Reader'])
    >>> sorted(report.to_dict())[:3]
    ['cast', 'characters', 'content']

Each analysis is one module that registers itself (``ynsert.analysis.base.register``):
``narration`` (person, tense, slips), ``cast`` and ``relationship``, ``characters`` (each
character's chain of mentions, ``characters.py``), ``reader_gender``,
``content`` (warnings, from ``deaths`` + ``triggers`` + ``classifier``), ``declared``
(metadata and disagreements), ``placeholders`` (inventory), ``tags`` (the AO3 header).
``report`` runs them in dependency order; ``formatting`` and ``chapters`` present the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ynsert.analysis.base import CODES, Evidence, Finding, TagItem
from ynsert.analysis.declared import Declared
from ynsert.analysis.formatting import check_exit_code, format_check, format_tags
from ynsert.analysis.parsed import Parsed, parse_story
from ynsert.analysis.report import Report, build_report
from ynsert.document import Document

if TYPE_CHECKING:
    from spacy.language import Language

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
    """Analyse a story: parse once (or reuse the document's parse), run every analysis.

    ``declared``: metadata from outside the text (AO3 tags, a ``Metadata``); it wins over the
    story's header block field by field.
    """
    document = text if isinstance(text, Document) else Document(text, nlp)
    return analyse_parsed(parse_story(document), declared=declared)


def analyse_parsed(
    parsed: Parsed, *, declared: Declared | Mapping[str, Any] | object | None = None
) -> Report:
    return build_report(parsed, declared)
