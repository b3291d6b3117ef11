"""Generic "you" in fixed phrases: it addresses nobody, so a rewrite leaves it alone.

You packed snacks, blankets, candles, you name it.   ("you name it" stays)
It was, mind you, the third time that week.          ("mind you" stays)
He asks why you don't go to meetings. You know.      ("You know." alone stays)
"""

from __future__ import annotations

import re

#: Each pattern matches the whole idiom; the reader words inside it are left as written.
IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"(?:^|(?<=[.!?…]\s))you know[.?!…]",  # a sentence of its own: a filler, no statement
        r"\byou name it\b",
        r"\bmind you\b",
        r"\bif you will\b",
        r"\bbelieve you me\b",
        r"\bthank you\b",
        r"\bbless you\b",
        r"\bwhat have you\b",
        r"\byou know how it (?:is|goes)\b",
        r"\byou know what I mean\b",
        r"\byou know the drill\b",
        r"\byou never know\b",
        r"\byou win some,? you lose some\b",
        r"\byou bet(?:cha)?\b(?= *[,.!])",
        r"\bsee you (?:later|soon|around|tomorrow)\b",
        r"\bhow do you do\b",
        r"\bdo-it-yourself\b",
    )
)


def idiom_ranges(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character ranges of generic-you idioms in ``text[start:end]``."""
    end = len(text) if end is None else end
    return [m.span() for pattern in IDIOMS for m in pattern.finditer(text, start, end)]
