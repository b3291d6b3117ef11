"""When the story's Y/N is not the reader.

A story can call the reader's girlfriend "Y/N" ("your girlfriend Y/N took you out"): then Y/N
is a character of its own, and filling it with the reader's name would make nonsense.

    Your girlfriend Y/N took you out for dinner.   → Y/N is someone else
    Y/N's coffee had gone cold, but you drank it.  → Y/N is the reader
"""

from __future__ import annotations

import re

from ynsert.rewrite.grammar import past_or_present_verb
from ynsert.story import Story

_YN = r"[(\[{]?[Yy]/[Nn][)\]}]?"
#: "your girlfriend Y/N", "Y/N, your best friend"
_APPOSITION = re.compile(
    rf"\byour\s+(?:[a-z]+\s+){{0,2}}?{_YN}(?!\w)|{_YN},?\s+your\s+[a-z]+(?:\s+[a-z]+)?\s*[,.]",
    re.IGNORECASE,
)
#: "Y/N took you", "Y/N gently kissed your cheek"
_ACTS_ON_READER = re.compile(rf"{_YN}\s+(?:[a-z]+ly\s+)?([a-z]+)\s+(?:you|your)\b")


def placeholder_names_someone_else(story: Story) -> bool:
    text = story.text
    for span in story.spans("narration", "emphasis"):
        chunk = text[span.start : span.end]
        if _APPOSITION.search(chunk):
            return True
        for match in _ACTS_ON_READER.finditer(chunk):
            if past_or_present_verb(match.group(1)):
                return True
    return False
