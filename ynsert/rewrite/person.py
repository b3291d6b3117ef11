"""Which person a reader-insert is told in, and whether a work is a reader-insert at all.

Many reader-inserts are narrated by the reader ("I grinned back", with Y/N in dialogue). Such
a story is only read as one when something says the narrator is the reader: a Y/N placeholder,
an "x Reader" relationship or tag in the header. A first-person narrator who talks to a listener
(Poe's "you will say I am mad") has none of these and is left alone.

    >>> from ynsert.document import Document, Metadata
    >>> story_person(Document('"Y/N!" he called. I turned around.'), "auto")
    'first'
    >>> story_person(Document("You will say I am mad. I am not."), "auto") is None
    True
    >>> story_person(Document("You sigh and close your eyes."), "auto")
    'second'

A work is left as written unless it is a reader-insert (or the reader asks, with an explicit
``--from`` or ``--force``), judged from what the work shows (``judge``):

- **marked**: Y/N in the story, or a header/tag naming the reader ("x Reader", "Reader-Insert",
  "You"): a reader-insert;
- **tagged without a reader**: the header lists characters or relationships and none is the
  reader: its "you" is a character (AO3's "POV Second Person") or generic — left;
- **untagged**: told to "you" when at least ``SECOND_SHARE`` of the narrated sentences say
  "you" in paragraphs told to "you" (where "I" is rare: at most one "I" sentence for every
  ``STRAY_RATIO`` "you" sentences); else a listener (as many "I"s) or a generic "you". On the
  407 readable AO3 dev works, the second-person stories say "you" in 0.50–0.88 of their
  narrated sentences; the third-person works with a generic "you", a letter or a quoted speech
  in 0.35 at most (and those above 0.24 say "I" as often).

Inside a reader-insert each paragraph is read on its own (``document.address``): paragraphs told
to "you" are rewritten from second person; paragraphs told by "I" from first person when the
work marks the narrator as the reader; an "I" speaking to "you" inside a story told to "you" (an
author's aside, a letter) is left, and every block left is named in a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ynsert.document import Document, Metadata
from ynsert.document.address import (
    STRAY_RATIO,
    ParagraphKind,
    ParagraphPerson,
    count_address,
    paragraph_persons,
)
from ynsert.placeholders import Placeholder
from ynsert.vocab.placeholders import READER_NAME_KEYS

Source = Literal["auto", "second", "first"]
Person = Literal["second", "first"]
#: One person of a relationship, character or tag that is the reader: "Reader", "You", "Y/N",
#: "Female Reader", "gn!reader", "Reader-Insert" (not "dear reader" at the end of a sentence-long
#: free-form tag, nor "you choose": on the AO3 dev works those marked 3 non-reader works).
_READER_TAG = re.compile(
    r"(?:[^\s/]+\s+){0,2}(?:[^\s/!]*!)?reader(?:[\s-]*inserts?)?|you|y/n", re.IGNORECASE
)
#: Between the people of a relationship: "Kylo Ren x Reader", "Bucky Barnes/Reader", "A & B".
_PEOPLE = re.compile(r"\s+[x×]\s+|\s*(?:(?<![yf])/(?!n\b)|[&,])\s*", re.IGNORECASE)
#: An untagged, unmarked work is told to "you" when this share of its narrated sentences is.
SECOND_SHARE = 0.3
#: A run of paragraphs in the other person than the work's is a block of its own (a chapter or
#: a scene told differently) from this many narrated sentences in that person; fewer are a
#: stray word ("you never know" in first-person narration) and stay as written.
MIN_BLOCK_SENTENCES = 3


def story_person(
    document: Document, source: Source, placeholders: list[Placeholder] | None = None
) -> Person | None:
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
    tags = (
        tag
        for meta in _metadata(document)
        for tag in (*meta.relationships, *meta.characters, *meta.tags)
    )
    return any(
        _READER_TAG.fullmatch(person.strip()) for tag in tags for person in _PEOPLE.split(tag)
    )


def _metadata(document: Document) -> list[Metadata]:
    """The text's own header and what its container (an AO3 page, an EPUB) declares."""
    return [document.metadata, *([document.declared] if document.declared else [])]


@dataclass(frozen=True)
class Block:
    """Paragraphs ``[start, end)`` told in one person, and what the rewrite does with them."""

    start: int
    end: int
    person: Person | None  # rewritten from this person; None: left as written
    why: str = ""


@dataclass
class Judgement:
    """Is the work a reader-insert, told in which person, and which paragraphs are rewritten."""

    reader_insert: bool
    person: Person | None  # the work's own person (of its reader), None when there is none
    reason: str
    blocks: list[Block] = field(default_factory=list)

    def paragraphs(self, person: Person) -> list[tuple[int, int]]:
        """``[start, end)`` paragraph ranges rewritten from ``person``."""
        return [(b.start, b.end) for b in self.blocks if b.person == person]

    @property
    def left(self) -> list[Block]:
        return [b for b in self.blocks if b.person is None]

    def to_dict(self, lines: Any = None) -> dict[str, Any]:
        """Plain data; ``lines(block)`` gives a block's first and last line, if asked."""

        def shown(block: Block) -> dict[str, Any]:
            data: dict[str, Any] = {"paragraphs": [block.start + 1, block.end]}
            if lines is not None:
                data["lines"] = list(lines(block))
            if block.person is not None:
                data["from"] = block.person
            else:
                data["why"] = block.why
            return data

        return {
            "reader_insert": self.reader_insert,
            "person": self.person,
            "reason": self.reason,
            "converted": [shown(b) for b in self.blocks if b.person is not None],
            "left": [shown(b) for b in self.left],
        }


def judge(document: Document, source: Source = "auto", *, force: bool = False) -> Judgement:
    """Whether and where ``document`` is rewritten, with the reason a reader can be shown."""
    persons = list(paragraph_persons(document.story))
    every = len(persons)
    if source in ("second", "first"):
        return Judgement(True, source, f"--from {source}: told as asked", [Block(0, every, source)])
    narrated = sum(p.narrated for p in persons)
    second = sum(p.second for p in persons)
    first = sum(p.first for p in persons)
    if force and second:
        reason = "--force: every 'you' of the narration is the reader"
        return Judgement(True, "second", reason, [Block(0, every, "second")])
    marked = is_marked_reader_insert(document)
    if marked:
        person: Person = "second" if second >= first and second else "first"
        if not (second or first):
            return Judgement(True, None, "marked as a reader-insert; no 'you' or 'I' narrated")
        reason = "marked as a reader-insert (Y/N or a Reader tag)"
        return Judgement(True, person, reason, _blocks(persons, person, marked=True))
    cast = any(meta.characters or meta.relationships for meta in _metadata(document))
    if second and cast:
        reason = (
            "its tags name characters but not the reader (no Reader, You or Y/N): its 'you' is "
            "a character or generic"
        )
        return Judgement(False, None, reason)
    if not second:
        if first:
            return Judgement(False, None, "told by 'I', not marked as a reader-insert")
        return Judgement(False, None, "no 'you' in the narration")
    # "you" counts where the paragraph is told to "you": beside as many "I"s it is a listener's
    told = sum(p.second for p in persons if p.kind == "second")
    if told < SECOND_SHARE * narrated:
        if second < STRAY_RATIO * first:
            reason = (
                f"the narration is first person ({first} sentences say 'I') and its 'you' "
                f"({second}) is a listener, not the reader"
            )
        else:
            reason = (
                f"'you' in {told} of {narrated} narrated sentences: a generic or addressed "
                "'you', not a story told to the reader"
            )
        return Judgement(False, None, reason)
    reason = f"told to 'you' ({told} of {narrated} narrated sentences)"
    return Judgement(True, "second", reason, _blocks(persons, "second", marked=False))


_WHY = {
    "address": "an 'I' speaking to 'you': an aside, a letter or a listener",
    "first": "told by 'I', who is not marked as the reader",
    "stray": "a few sentences in the other person, not a block of their own",
}


def _blocks(persons: list[ParagraphPerson], main: Person, *, marked: bool) -> list[Block]:
    """Runs of paragraphs of one kind, each rewritten from its person or left with the reason
    why. A paragraph without "you" or "I" (third person, dialogue, "We aren't.") belongs to
    the run before it (the first run, at the start), so the runs cover every paragraph."""
    # start, end, kind, sentences in that person
    runs: list[tuple[int, int, ParagraphKind, int]] = []
    for p in persons:
        kind = p.kind
        if kind == "none":
            if runs:
                start, _, run_kind, total = runs[-1]
                runs[-1] = (start, p.index + 1, run_kind, total)
            continue
        count = p.first if kind == "first" else p.second
        if runs and runs[-1][2] == kind:
            start, _, _, total = runs[-1]
            runs[-1] = (start, p.index + 1, kind, total + count)
        else:
            runs.append((p.index if runs else 0, p.index + 1, kind, count))
    blocks = []
    for start, end, kind, count in runs:
        person, why = _run_person(kind, count, main, marked)
        blocks.append(Block(start, end, person, why))
    return blocks


def _run_person(
    kind: ParagraphKind, count: int, main: Person, marked: bool
) -> tuple[Person | None, str]:
    if kind == "address":
        # in a story the reader narrates, "I" speaking to someone is still the reader
        return ("first", "") if main == "first" else (None, _WHY["address"])
    if kind == main:
        return main, ""  # type: ignore[return-value]
    if count < MIN_BLOCK_SENTENCES:
        return None, _WHY["stray"]
    if kind == "first" and not marked:
        return None, _WHY["first"]
    return kind, ""  # type: ignore[return-value]
