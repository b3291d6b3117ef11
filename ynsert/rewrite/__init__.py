"""Rewrite a story told to "you" into first person or third person, as a list of edits.

>>> rewrite("You sigh and close your eyes.", to="third", pronouns="she", names="none").text
'She sighs and closes her eyes.'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
from ynsert.rewrite.person import Source, story_person
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
    address = count_address(document.story)
    person: Literal["second", "first"] | None
    if force and source == "auto" and address.second_person:
        person = "second"  # force means: this story's "you" is the reader
    else:
        person = story_person(document, source)
    if person == to or (to == "second" and person != "first"):
        return fill(document, {**resolved, **({"Y/N": name} if name else {})})
    text, story = document.text, document.story
    notes: list[str] = []
    skip: frozenset[str] = frozenset()
    if placeholder_names_someone_else(story):
        skip = frozenset({"Y/N"})
        reader_name = name
        notes.append("Y/N names another character here, not the reader: left as it is")
    placeholders = find_placeholders(text, resolved)  # once: filled, masked, reported
    edits = fill_edits(text, resolved, skip=skip, found=placeholders)

    if person == "first":
        pass
    elif address.second_person == 0:
        notes.append("no reader references (you/your) in the narration: nothing to rewrite")
    elif person is None:
        notes.append(
            "the narration is first person and its 'you' is a listener, not the reader: "
            "left unchanged (--force rewrites it anyway)"
        )
    if person is not None:
        profile = Profile(to=to, pronouns=pronouns, name=reader_name, names=names, source=person)
        named_at = _first_named_in_narration(story, placeholders, skip) if reader_name else None
        rewriter = ReaderRewriter(
            story,
            profile,
            document.parse,
            placeholders,
            named_at,
            name_offsets=_named_in_narration(story, placeholders, skip) if reader_name else (),
            story_apostrophe=story_apostrophe(text),
        )
        edits.extend(rewriter.edits())

    missing = [key for key in unfilled(text, resolved, placeholders) if key not in skip]
    if missing:
        notes.append("placeholders without a value: " + ", ".join(missing))
    # a guard: an edit whose ``old`` is not the original text (a masked stand-in leaking into a
    # token) must never reach apply; dropping it keeps the words as written
    edits = [e for e in edits if text[e.start : e.end] == e.old]
    return Rewrite(text, _without_overlaps(edits), notes, missing)


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
