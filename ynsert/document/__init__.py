"""The document model: one story text, its segmentation, header, placeholders and one parse.

    >>> document = Document("Rated: M\\n\\nYou wake up. \\"Stay,\\" he says.")
    >>> document.metadata.rating, len(document.story.paragraphs)
    ('M', 1)
    >>> document.parse.sentences_parsed   # nothing is parsed until someone asks
    0

Everything that reads a story (the rewrite, every analysis) takes a ``Document``; a ``Work``
from ``ynsert.formats`` holds one for its text, so one work is segmented and parsed once.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from ynsert.document.header import Metadata, parse_header
from ynsert.document.segment import Story
from ynsert.placeholders import Placeholder, find_placeholders

if TYPE_CHECKING:
    from spacy.language import Language

    from ynsert.document.parse import Parse

__all__ = ["Document", "Metadata"]


class Document:
    """A story text and what every stage reads of it, each computed once on first use."""

    def __init__(
        self, text: str, nlp: Language | None = None, declared: Metadata | None = None
    ) -> None:
        self.text = text
        self._nlp = nlp
        #: What the container declares besides the text's own header (an AO3 page's tags).
        self.declared = declared
        #: What the API verbs computed from this document (the report), kept for the next verb.
        self.results: dict[str, Any] = {}

    @classmethod
    def of(cls, text: str | Document) -> Document:
        return text if isinstance(text, Document) else cls(text)

    @cached_property
    def story(self) -> Story:
        return Story.from_text(self.text)

    @cached_property
    def metadata(self) -> Metadata:
        """What the story's own header block declares (``Ship:``, ``Rated:`` …)."""
        header = self.story.header
        return parse_header(self.text[header.start : header.end])[0] if header else Metadata()

    @cached_property
    def placeholders(self) -> list[Placeholder]:
        """Placeholders of the standard set (and capitalised or bracketed ones) in the body."""
        body = self.story.header.end if self.story.header else 0
        return [ph for ph in find_placeholders(self.text) if ph.start >= body]

    @cached_property
    def parse(self) -> Parse:
        from ynsert.document.parse import Parse

        return Parse(self.story, self.placeholders, self._nlp)
