"""The AO3-style header a writer can paste: rating guess, warnings, relationships, characters,
additional tags — each item with the evidence that put it there.

    Rating        Explicit: depicted sexual content; Mature: sexual content mentioned, rape or
                  graphic violence; Teen And Up: any other warning or a violent trigger;
                  General Audiences otherwise.
    Triggers      AO3's own freeform names: "Torture" when depicted, "Implied/Referenced Torture"
                  when only mentioned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ynsert.analysis.base import Context, TagItem, register
from ynsert.analysis.cast import Cast
from ynsert.analysis.content import Content, ContentWarning
from ynsert.analysis.narration import Narration
from ynsert.analysis.reader_gender import ReaderGender
from ynsert.analysis.relationship import Relationship

_TEEN_TRIGGERS = frozenset(
    {"death", "violence", "torture", "blood", "self-harm", "suicide", "abuse", "kidnapping", "war"}
)
#: Trigger → AO3 freeform tag (depicted form; mentioned ones get "Implied/Referenced").
TRIGGER_TAGS = {
    "death": "Character Death",
    "violence": "Violence",
    "torture": "Torture",
    "blood": "Blood",
    "self-harm": "Self-Harm",
    "suicide": "Suicide",
    "abuse": "Abuse",
    "kidnapping": "Kidnapping",
    "war": "War",
    "sexual content": "Sexual Content",
    "misogyny": "Misogyny",
    "racism": "Racism",
    "ableism": "Ableism",
    "homophobia": "Homophobia",
}
_PERSON_TAGS = {"first": "First Person", "second": "Second Person", "third": "Third Person"}
_GENDER_TAGS = {
    "neutral": "Gender-Neutral Reader",
    "female": "Female Reader",
    "male": "Male Reader",
}


def rating(content: Content) -> TagItem:
    sexual = content.warning("sexual content")
    if sexual and sexual.status == "depicted":
        return _from("rating", "Explicit", sexual)
    mature = sexual or next(
        (
            w
            for w in content.archive
            if w.name in ("Rape/Non-Con", "Graphic Depictions Of Violence")
        ),
        None,
    )
    if mature:
        return _from("rating", "Mature", mature)
    teen = next(iter(content.archive), None) or next(
        (w for w in content.triggers if w.name in _TEEN_TRIGGERS), None
    )
    if teen:
        return _from("rating", "Teen And Up Audiences", teen)
    return TagItem("rating", "General Audiences", 0.5, (), "no warnings or triggers detected")


def _from(field: str, name: str, warning: ContentWarning | None) -> TagItem:
    if warning is None:
        return TagItem(field, name)  # type: ignore[arg-type]
    note = f"{warning.name} ({warning.status})"
    return TagItem(field, name, warning.confidence, warning.evidence, note)  # type: ignore[arg-type]


def warning_tags(content: Content) -> list[TagItem]:
    """The detected archive warnings. Never "No Archive Warnings Apply": that is the author's
    promise to make, and detection cannot make it for them."""
    return [_from("warning", w.name, w) for w in content.archive]


def character_tags(cast: Cast) -> list[TagItem]:
    items = []
    people = list(cast.characters)
    present = [c for c in people if c.status == "present"]
    for character in present[:1] + ([cast.reader] if cast.reader else []) + present[1:]:
        items.append(TagItem("character", character.name, 1.0, (character.first,)))
    for character in (c for c in people if c.status == "mentioned"):
        name = f"{character.name} (mentioned)"
        items.append(TagItem("character", name, 1.0, (character.first,), "only talked about"))
    return items


def additional_tags(
    narration: Narration, cast: Cast, gender: ReaderGender, content: Content
) -> list[TagItem]:
    items = []
    if cast.reader:
        items.append(TagItem("additional", "Reader-Insert", 1.0, (cast.reader.first,)))
    items.append(TagItem("additional", _PERSON_TAGS[narration.person], 1.0, (), "dominant person"))
    if gender.verdict in _GENDER_TAGS:
        evidence = tuple(c.evidence for c in gender.cues[:3])
        items.append(TagItem("additional", _GENDER_TAGS[gender.verdict], 1.0, evidence))
    items += _death_tags(content)
    archive = {w.name for w in content.archive}
    for trigger in content.triggers:
        if trigger.name == "death" and "Major Character Death" in archive:
            continue
        tag = TRIGGER_TAGS.get(trigger.name, trigger.name.title())
        if trigger.status == "mentioned":
            tag = f"Implied/Referenced {tag}"
        items.append(_from("additional", tag, trigger))
    return items


def _death_tags(content: Content) -> list[TagItem]:
    mcd = content.warning("Major Character Death")
    if mcd is None:
        return []
    items = []
    readers = [d for d in content.deaths if d.who == "reader" and d.status == "depicted"]
    if readers:
        evidence = tuple(d.evidence for d in readers[:3])
        items.append(TagItem("additional", "Reader Death", readers[0].confidence, evidence))
    items.append(_from("additional", "Angst", mcd))
    return items


def build_tags(
    narration: Narration,
    cast: Cast,
    relationships: list[Relationship],
    gender: ReaderGender,
    content: Content,
) -> list[TagItem]:
    items = [rating(content), *warning_tags(content)]
    items += [
        TagItem("relationship", r.tag, r.confidence, r.evidence, r.kind) for r in relationships
    ]
    items += character_tags(cast)
    items += additional_tags(narration, cast, gender, content)
    return items


@register(
    "tags", needs=("narration", "cast", "relationships", "reader_gender", "content"), order=80
)
def _component(context: Context, results: Mapping[str, Any]) -> list[TagItem]:
    return build_tags(
        results["narration"],
        results["cast"],
        results["relationships"],
        results["reader_gender"],
        results["content"],
    )
