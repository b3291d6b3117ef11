"""Non-destructive edits: every change is (start, end, old, new, reason) against the original.

Applying an edit list copies every byte outside the edits unchanged, so a UI can highlight
each change and a caller can prove nothing else moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

#: Stable rule codes, one per kind of edit: a UI keys on the code, a person reads the reason.
#: Never renumber or reuse a code; only add.
EDIT_CODES: dict[str, str] = {
    "YN-P-FILL": "a placeholder (Y/N, H/C …) filled with the profile's value",
    "YN-R-PRON": "a reader pronoun (you, your, yourself …) in the target person",
    "YN-R-NAME": "the reader's name in place of a pronoun (naming policy)",
    "YN-R-PLURAL": "plural you (the reader and others) as we/they",
    "YN-R-ORDER": "first person put last in a coordination (you and Kylo → Kylo and I)",
    "YN-R-VERB": "a verb agreeing with the reader as its new subject",
    "YN-R-CONTRACTION": "a contraction written out after the name (Mara'd → Mara would)",
    "YN-C-NAME": "a chosen character's name (or epithet) as the reader (you, I, the name)",
    "YN-C-PRON": "a chosen character's pronoun (she, her, herself …) as the reader's",
    "YN-C-VERB": "a verb agreeing with the chosen character as the reader",
}


@dataclass(frozen=True, order=True, slots=True)  # slots: millions of edits
class Edit:
    """Replace ``original[start:end]`` (which equals ``old``) with ``new``.

    ``code`` is one of ``EDIT_CODES``; ``reason`` says the same for a person, more precisely.
    """

    start: int
    end: int
    old: str
    new: str
    reason: str = field(default="", compare=False)
    code: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class OverlappingEdits(ValueError):
    """Two edits claim the same characters; this is a bug in whoever made them."""


def apply_edits(original: str, edits: Iterable[Edit]) -> str:
    """Return ``original`` with ``edits`` applied; text between edits is copied verbatim."""
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(edits):
        if edit.start < cursor:
            raise OverlappingEdits(
                f"edit at {edit.start} overlaps the previous one (ends {cursor})"
            )
        if original[edit.start : edit.end] != edit.old:
            raise ValueError(
                f"edit at {edit.start} expects {edit.old!r}, "
                f"found {original[edit.start : edit.end]!r}"
            )
        pieces.append(original[cursor : edit.start])
        pieces.append(edit.new)
        cursor = edit.end
    pieces.append(original[cursor:])
    return "".join(pieces)


@dataclass
class Rewrite:
    """The result of ``ynsert.rewrite`` or ``ynsert.fill``: the edits and the text they make."""

    original: str
    edits: list[Edit]
    notes: list[str] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)
    #: Whether the work is a reader-insert, why, and which lines were rewritten or left
    #: (``ynsert.rewrite.person.Judgement.to_dict``); None when nothing was judged (fill).
    address: dict[str, object] | None = None

    @property
    def text(self) -> str:
        return apply_edits(self.original, self.edits)

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "edits": [e.to_dict() for e in sorted(self.edits)],
            "notes": list(self.notes),
            "unfilled": list(self.unfilled),
            "address": self.address,
        }
