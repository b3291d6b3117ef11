"""Which person a reader-insert is told in: to "you", or by an "I" who is the reader.

Many reader-inserts are narrated by the reader ("I grinned back", with Y/N in dialogue). Such
a story is only read as one when something says the narrator is the reader: a Y/N placeholder,
an "x Reader" relationship or tag in the header. A first-person narrator who talks to a listener
(Poe's "you will say I am mad") has none of these and is left alone.

    >>> from ynsert.document import Document
    >>> story_person(Document('"Y/N!" he called. I turned around.'), "auto")
    'first'
    >>> story_person(Document("You will say I am mad. I am not."), "auto") is None
    True
    >>> story_person(Document("You sigh and close your eyes."), "auto")
    'second'
"""

from __future__ import annotations

import re
from typing import Literal

from ynsert.document import Document
from ynsert.document.address import count_address
from ynsert.placeholders import Placeholder
from ynsert.vocab.placeholders import READER_NAME_KEYS

Source = Literal["auto", "second", "first"]
#: A relationship or tag naming the reader: "Bakugou Katsuki x Reader", "Reader-Insert".
_READER_TAG = re.compile(r"\breader\b|\by/n\b|\byou\b", re.IGNORECASE)


def story_person(
    document: Document, source: Source, placeholders: list[Placeholder] | None = None
) -> Literal["second", "first"] | None:
    """``"second"``, ``"first"``, or None when the story has no reader to rewrite.

    An explicit ``source`` wins; ``auto`` reads a story told to "you" as second person, and a
    story told by "I" as first person only when it is marked as a reader-insert.
    """
    if source in ("second", "first"):
        return source
    address = count_address(document.story)
    if address.is_reader_insert:
        return "second"
    if address.first_person > 0 and is_marked_reader_insert(document, placeholders):
        return "first"
    return None


def is_marked_reader_insert(
    document: Document, placeholders: list[Placeholder] | None = None
) -> bool:
    """Y/N (or F/N) somewhere in the story, or the header calls the work a reader-insert."""
    found = document.placeholders if placeholders is None else placeholders
    if any(ph.key in READER_NAME_KEYS for ph in found):
        return True
    meta = document.metadata
    return any(_READER_TAG.search(tag) for tag in (*meta.relationships, *meta.tags))
