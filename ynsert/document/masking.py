"""What spaCy is shown of a sentence: the same characters, made easier to parse.

The rewrite and the analyses parse story sentences, never the raw text: placeholders become
plain names of the same length ("Y/N" → "Ann"), italic markers (``*``, ``_``, ``<em>``) and
line breaks become spaces, and a run of dots or dashes glued to a word becomes one mark and
spaces ("ask you….well" → "ask you…   well", "--you do" → "— you do"): spaCy would keep
"you….well" or "--you" as one token and the reader in it would go unseen.
Because the length never changes, ``sentence.start + token.idx`` is still an offset into the
original story.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TypeVar

from ynsert.document.segment import Sentence, Span, Story
from ynsert.placeholders import Placeholder

_STAND_INS = {2: "Jo", 3: "Ann", 4: "Mara", 5: "Alice", 6: "Marian", 7: "Matilda"}
# hard-wrapped prose: a line break inside a sentence would become a space token that derails
# the parser
_BLANKS = str.maketrans("\r\n\t", "   ")
#: Dots and dashes that fic glues between words: "...", "….", "--", "——".
_GLUED_RUN = re.compile(r"\.{2,}|…+\.*|-{2,}|[—–]{2,}")

T = TypeVar("T", Placeholder, Span)


class SentenceMasker:
    """Sentence text for spaCy; placeholders and italics are found by bisection (linear)."""

    def __init__(self, story: Story, placeholders: Sequence[Placeholder]) -> None:
        self.text = story.text
        self.placeholders = sorted(placeholders, key=lambda ph: ph.start)
        self.placeholder_starts = [ph.start for ph in self.placeholders]
        self.italics = list(story.spans("thought", "emphasis"))
        self.italic_starts = [span.start for span in self.italics]

    def __call__(self, sentence: Sentence) -> str:
        start, end = sentence.start, sentence.end
        chars = list(self.text[start:end].translate(_BLANKS))
        _unglue(self.text, start, end, chars)
        for ph in _within(self.placeholders, self.placeholder_starts, start, end):
            if ph.end <= end:
                chars[ph.start - start : ph.end - start] = _stand_in(self.text, ph)
        for span in _within(self.italics, self.italic_starts, start, end):
            for offset in _marker_offsets(self.text, span.start, span.end):
                if start <= offset < end:
                    chars[offset - start] = " "
        return "".join(chars)


def _unglue(text: str, start: int, end: int, chars: list[str]) -> None:
    """Each dot or dash run glued to a word becomes one mark spaCy splits off ("…" or "—")
    and spaces: "you….well" → "you…   well", "you--you" → "you— you"."""
    for m in _GLUED_RUN.finditer(text, start, end):
        glued = (m.end() < end and text[m.end()].isalnum()) or (
            m.start() > start and text[m.start() - 1].isalnum()
        )
        if glued:
            mark = "…" if m.group()[0] in ".…" else "—"
            chars[m.start() - start : m.end() - start] = mark + " " * (len(m.group()) - 1)


def _stand_in(text: str, ph: Placeholder) -> str:
    """A name of the placeholder's length; spaces at a glued edge ("walk(Y/N)") so the name is
    its own token and no token mixes story characters with stand-in characters.
    """
    length = ph.end - ph.start
    before = ph.start > 0 and text[ph.start - 1].isalnum()
    after = ph.end < len(text) and text[ph.end].isalnum()
    inner = length - before - after
    if inner < 2:
        return " " * length
    return " " * before + _STAND_INS.get(inner, "N" * inner) + " " * after


def _within(items: list[T], starts: list[int], start: int, end: int) -> list[T]:
    return items[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _marker_offsets(text: str, start: int, end: int) -> list[int]:
    """The characters of an italic span's markers: ``*``, ``**``, ``_`` or ``<em>``/``</em>``."""
    if text[start] == "<":
        opening_end = text.index(">", start) + 1
        closing_start = text.rindex("<", start, end)
        return [*range(start, opening_end), *range(closing_start, end)]
    if text[start] not in "*_":
        return []
    width = 2 if text[start : start + 2] in ("**", "__") else 1
    return [*range(start, start + width), *range(end - width, end)]
