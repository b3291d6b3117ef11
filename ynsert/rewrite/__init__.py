"""Rewrite a story told to "you" into first person or third person, as a list of edits.

>>> rewrite("You sigh and close your eyes.", to="third", pronouns="she", names="none").text
'She sighs and closes her eyes.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal

from ynsert.document import Document
from ynsert.document.address import count_address
from ynsert.document.segment import Story
from ynsert.edits import Edit, Rewrite
from ynsert.placeholders import (
    Placeholder,
    fill_edits,
    find_placeholders,
    resolve_values,
    unfilled,
)
from ynsert.rewrite.engine import Naming, Profile, ReaderRewriter
from ynsert.rewrite.naming import placeholder_names_someone_else
from ynsert.rewrite.person import Block, Judgement, Person, Source, judge
from ynsert.vocab.persons import FIRST_PERSON, SECOND_PERSON, PronounSet
from ynsert.vocab.placeholders import READER_NAME_KEYS

__all__ = ["Profile", "fill", "rewrite"]

NAMING_POLICIES = ("first", "smart", "none")


def rewrite(
    text: str | Document,
    *,
    to: Literal["third", "first", "second"] = "third",
    source: Source = "auto",
    name: str | None = None,
    pronouns: str | PronounSet = "she",
    names: Naming = "smart",
    values: Mapping[str, str] | None = None,
    plural_verbs: bool | None = None,
    force: bool = False,
) -> Rewrite:
    """Rewrite ``text``'s reader; dialogue and every non-reader word stay as written.

    ``source`` is the person the story is told in: ``second`` (to "you"), ``first`` (by the
    reader as "I"), or ``auto``: "you", or "I" in a work marked as a reader-insert (Y/N, an
    "x Reader" tag). Rewriting a story into its own person only fills placeholders.

    ``name`` fills Y/N and is used per the naming policy ``names``; ``values`` fills the other
    placeholders (and Y/N, if ``name`` is not given). ``force`` rewrites even a story whose
    "you" looks like a listener addressed by a first-person narrator.
    """
    if to not in ("third", "first", "second"):
        raise ValueError(f"cannot rewrite to {to!r}: choose 'third', 'first' or 'second'")
    if source not in ("auto", "second", "first"):
        raise ValueError(f"cannot rewrite from {source!r}: choose 'auto', 'second' or 'first'")
    if names not in NAMING_POLICIES:
        raise ValueError(f"unknown naming policy {names!r}: choose first, smart or none")
    resolved = resolve_values(values)
    if name:
        resolved.setdefault("Y/N", name)
    reader_name = name or resolved.get("Y/N")
    if isinstance(pronouns, str):
        pronouns = PronounSet.parse(pronouns, plural=plural_verbs)
    if to in ("first", "second"):
        pronouns = FIRST_PERSON if to == "first" else SECOND_PERSON

    document = Document.of(text)
    fill_values = {**resolved, **({"Y/N": name} if name else {})}
    if to == "second" and source != "first" and not count_address(document.story).first_person:
        return fill(document, fill_values)  # no narrated "I": nothing to turn into "you"
    judgement = judge(document, source, force=force)
    sources: list[Person] = [p for p in ("second", "first") if p != to and judgement.paragraphs(p)]
    if not sources and (judgement.reader_insert or to == "second"):
        result = fill(document, fill_values)
        result.notes.extend(_address_notes(judgement, document.story))
        result.address = judgement.to_dict(_lines_of(document.story))
        return result
    text, story = document.text, document.story
    notes: list[str] = []
    skip: frozenset[str] = frozenset()
    if placeholder_names_someone_else(story):
        skip = frozenset({"Y/N"})
        reader_name = name
        notes.append("Y/N names another character here, not the reader: left as it is")
    placeholders = find_placeholders(text, resolved)  # once: filled, masked, reported
    edits = fill_edits(text, resolved, skip=skip, found=placeholders)
    notes.extend(_address_notes(judgement, story))
    named = False
    for person in sources:
        profile = Profile(to=to, pronouns=pronouns, name=reader_name, names=names, source=person)
        named_at = _first_named_in_narration(story, placeholders, skip) if reader_name else None
        rewriter = ReaderRewriter(
            story,
            profile,
            document.parse,
            placeholders,
            named_at,
            named=named,
            name_offsets=_named_in_narration(story, placeholders, skip) if reader_name else (),
            story_apostrophe=story_apostrophe(text),
            paragraphs=judgement.paragraphs(person),
        )
        edits.extend(rewriter.edits())
        named = rewriter.named  # the reader is named once, whichever block comes first

    missing = [key for key in unfilled(text, resolved, placeholders) if key not in skip]
    if missing:
        notes.append("placeholders without a value: " + ", ".join(missing))
    # a guard: an edit whose ``old`` is not the original text (a masked stand-in leaking into a
    # token) must never reach apply; dropping it keeps the words as written
    edits = [e for e in edits if text[e.start : e.end] == e.old]
    result = Rewrite(text, _without_overlaps(edits), notes, missing)
    result.address = judgement.to_dict(_lines_of(story))
    return result


def _lines_of(story: Story) -> Callable[[Block], tuple[int, int]]:
    """A block's first and last line (1-based) in the story text."""

    def lines(block: Block) -> tuple[int, int]:
        first, last = story.paragraphs[block.start], story.paragraphs[block.end - 1]
        text = story.text
        top = text.count("\n", 0, first.start) + 1
        return top, top + text.count("\n", first.start, last.end)

    return lines


def _address_notes(judgement: Judgement, story: Story) -> list[str]:
    """One line saying why nothing is rewritten, or what was rewritten and what was left."""
    if not judgement.reader_insert:
        if judgement.reason == "no 'you' in the narration":
            return ["no reader references (you/your) in the narration: nothing to rewrite"]
        return [
            f"not a reader-insert ({judgement.reason}): left as written "
            "(--from second or --force rewrites it)"
        ]
    kinds = {b.person for b in judgement.blocks}
    if len(kinds) < 2 and None not in kinds:
        return []  # one person throughout, nothing left: nothing to say
    lines = _lines_of(story)

    def listed(blocks: list[Block]) -> str:
        shown = [_range(*lines(b)) for b in blocks[:MAX_LISTED]]
        more = len(blocks) - MAX_LISTED
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    parts = []
    for person, word in (("second", "'you'"), ("first", "'I'")):
        blocks = [b for b in judgement.blocks if b.person == person]
        if blocks:
            parts.append(f"rewritten from {word}: lines {listed(blocks)}")
    for why in dict.fromkeys(b.why for b in judgement.left):
        blocks = [b for b in judgement.left if b.why == why]
        parts.append(f"left as written ({why}): lines {listed(blocks)}")
    return ["; ".join(parts)]


#: A note lists at most this many blocks of each kind.
MAX_LISTED = 5


def _range(top: int, bottom: int) -> str:
    return str(top) if top == bottom else f"{top}–{bottom}"


def fill(text: str | Document, values: Mapping[str, str] | None) -> Rewrite:
    """Fill placeholders only; "you" stays."""
    text = text.text if isinstance(text, Document) else text
    resolved = resolve_values(values)
    found = find_placeholders(text, resolved)
    missing = unfilled(text, resolved, found)
    notes = ["placeholders without a value: " + ", ".join(missing)] if missing else []
    if not found:
        notes.append("no placeholders found")
    return Rewrite(text, fill_edits(text, resolved, found=found), notes, missing)


def _first_named_in_narration(
    story: Story, placeholders: list[Placeholder], skip: frozenset[str]
) -> int | None:
    """Offset of the first Y/N (or F/N) in narration that the reader's name fills."""
    return next(iter(_named_in_narration(story, placeholders, skip)), None)


def _named_in_narration(
    story: Story, placeholders: list[Placeholder], skip: frozenset[str]
) -> tuple[int, ...]:
    """Offsets of every Y/N (or F/N) in narration that the reader's name fills."""
    return tuple(
        ph.start
        for ph in placeholders
        if ph.key in READER_NAME_KEYS and ph.key not in skip and story.is_narrative(ph.start)
    )


def story_apostrophe(text: str) -> str:
    """The apostrophe the story uses most in contractions and possessives (’ or ')."""
    curly = len(re.findall(r"\w’\w", text))
    straight = len(re.findall(r"\w'\w", text))
    return "’" if curly > straight else "'"


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    """Keep the first of any edits that claim the same characters (a placeholder wins)."""
    kept: list[Edit] = []
    end = -1
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if edit.start >= end:
            kept.append(edit)
            end = max(end, edit.end)
    return kept
