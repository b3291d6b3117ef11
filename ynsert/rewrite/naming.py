"""When the story's Y/N is not the reader.

A story can call the reader's girlfriend "Y/N" ("your girlfriend Y/N took you out"): then Y/N
is a character of its own, and filling it with the reader's name would make nonsense.

    Your girlfriend Y/N took you out for dinner.   → Y/N is someone else
    Y/N, your best friend, waved.                  → Y/N is someone else
    You and Y/N went to the mall.                  → Y/N is someone else
    You hugged Y/N goodbye.                        → Y/N is someone else
    Y/N's coffee had gone cold, but you drank it.  → Y/N is the reader
    "Y/N!" you hear him shout.                     → the reader (dialogue is not looked at)
"""

from __future__ import annotations

import re

from ynsert.document.segment import Story
from ynsert.rewrite.grammar import past_or_present_verb

_YN = r"[(\[{]?[Yy]/[Nn][)\]}]?"
#: "your girlfriend Y/N", "Y/N, your best friend"
_APPOSITION = re.compile(
    rf"\byour\s+(?:[a-z]+\s+){{0,2}}?{_YN}(?!\w)|{_YN},?\s+your\s+[a-z]+(?:\s+[a-z]+)?\s*[,.]",
    re.IGNORECASE,
)
#: "Y/N took you", "Y/N gently kissed your cheek"
_ACTS_ON_READER = re.compile(rf"{_YN}\s+(?:[a-z]+ly\s+)?([a-z]+)\s+(?:you|your)\b")
#: "you hugged Y/N", "you quickly texted (y/n)"
_READER_ACTS_ON = re.compile(rf"\byou\s+(?:[a-z]+ly\s+)?([a-z]+)\s+{_YN}(?!\w)", re.IGNORECASE)
#: "you and Y/N", "Y/N and you"
_ALONGSIDE = re.compile(rf"\byou\s+and\s+{_YN}(?!\w)|{_YN}\s+and\s+you\b", re.IGNORECASE)


def placeholder_names_someone_else(story: Story) -> bool:
    text = story.text
    for span in story.spans("narration", "emphasis"):
        chunk = text[span.start : span.end]
        if _APPOSITION.search(chunk) or _ALONGSIDE.search(chunk):
            return True
        acts = (*_ACTS_ON_READER.finditer(chunk), *_READER_ACTS_ON.finditer(chunk))
        if any(_transitive_verb(match.group(1)) for match in acts):
            return True
    return False


def _transitive_verb(word: str) -> bool:
    """A verb linking two people ("took", "hugged"), not "be" ("you are Y/N")."""
    return word.lower() not in _BE and past_or_present_verb(word)


_BE = frozenset({"am", "are", "is", "was", "were", "be", "been"})
