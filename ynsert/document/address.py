"""Is this a story told to the reader, or a first-person narrator talking to a listener?

Poe's "The Tell-Tale Heart" says "you" often ("why will you say that I am mad?"), but its
narration is full of "I": its "you" is a listener, not a reader-insert protagonist, and
rewriting it would be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ynsert.document.segment import Story
from ynsert.vocab.persons import FIRST_PERSON_WORDS, SECOND_PERSON_WORDS, words_pattern

_SECOND = re.compile(words_pattern(SECOND_PERSON_WORDS), re.IGNORECASE)
# "I" in any case as written at a sentence start ("My heart races. Me?") counts too.
_FIRST = re.compile(words_pattern(FIRST_PERSON_WORDS), re.IGNORECASE)


@dataclass(frozen=True)
class ReaderAddress:
    second_person: int  # narration words: you, your, yours, yourself
    first_person: int  # narration words: I, me, my, mine, myself

    @property
    def is_reader_insert(self) -> bool:
        """Told to "you" rather than by an "I" who now and then addresses a listener."""
        return self.second_person > 0 and self.first_person < self.second_person

    @property
    def is_listener(self) -> bool:
        return self.second_person > 0 and not self.is_reader_insert


def count_address(story: Story) -> ReaderAddress:
    second = first = 0
    for span in story.spans("narration", "emphasis"):
        chunk = story.text[span.start : span.end]
        second += len(_SECOND.findall(chunk))
        first += len(_FIRST.findall(chunk))
    return ReaderAddress(second, first)
