"""The import path of the one shared parse: ``Parsed`` and ``parse_story`` live in
``ynsert.analysis.base`` (the bottom of the package, which imports no analysis module), so the
two modules no longer import each other. Analysis modules may import them from either.
"""

from __future__ import annotations

from ynsert.analysis.base import Parsed, parse_story
from ynsert.document.parse import ParsedSentence

__all__ = ["Parsed", "ParsedSentence", "parse_story"]
