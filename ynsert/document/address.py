"""Is this a story told to the reader, or a first-person narrator talking to a listener?

Poe's "The Tell-Tale Heart" says "you" often ("why will you say that I am mad?"), but its
narration is full of "I": its "you" is a listener, not a reader-insert protagonist, and
rewriting it would be wrong. A third-person story's generic "you" ("a crown of your own") or a
letter in it ("I'll come to you") is not a reader either.

What the text itself shows is counted here, per paragraph and in narrated *sentences* (a
sentence whose narration says "you", one whose narration says "I"): a story told to "you"
says it in most of its narrated sentences, a story that merely uses the word in a few.

    >>> from ynsert.document.segment import Story
    >>> story = Story.from_text("You wake. You sigh.\\n\\nI hope you liked it, I wrote it fast.")
    >>> [(p.narrated, p.second, p.first, p.kind) for p in paragraph_persons(story)]
    [(2, 2, 0, 'second'), (1, 1, 1, 'address')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ynsert.document.segment import Story, split_sentences
from ynsert.vocab.persons import FIRST_PERSON_WORDS, SECOND_PERSON_WORDS, words_pattern

_SECOND = re.compile(words_pattern(SECOND_PERSON_WORDS), re.IGNORECASE)
# "I" in any case as written at a sentence start ("My heart races. Me?") counts too.
_FIRST = re.compile(words_pattern(FIRST_PERSON_WORDS), re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]")

#: What a paragraph's narration is told in: to "you", by "I", an "I" speaking to "you" (an
#: author's aside, a letter, a narrator's listener), or neither (third person, dialogue only).
ParagraphKind = Literal["second", "first", "address", "none"]


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


@dataclass(frozen=True)
class ParagraphPerson:
    """Narrated sentences of one paragraph, and how many of them say "you" and "I"."""

    index: int
    narrated: int  # sentences with a narrated word
    second: int  # … whose narration says you/your/yours/yourself
    first: int  # … whose narration says I/me/my/mine/myself

    @property
    def kind(self) -> ParagraphKind:
        if not self.second and not self.first:
            return "none"
        if not self.first:
            return "second"
        if not self.second:
            return "first"
        # a stray narrated "I" in a paragraph told to "you" ("you think I should go") does not
        # make it an aside; an "I" as present as the "you" does
        return "second" if self.second >= STRAY_RATIO * self.first else "address"


#: A paragraph told to "you" may say "I" in one sentence for every this many that say "you".
STRAY_RATIO = 3


def paragraph_persons(story: Story) -> Iterator[ParagraphPerson]:
    """Per paragraph, in order: narrated sentences and those that say "you" or "I"."""
    text = story.text
    spans = story.spans("narration", "emphasis")
    span = next(spans, None)
    for index, paragraph in enumerate(story.paragraphs):
        ends = [end for _, end in split_sentences(text, paragraph.start, paragraph.end)]
        narrated: set[int] = set()
        second: set[int] = set()
        first: set[int] = set()
        while span is not None and span.start < paragraph.end:
            if _WORD.search(text, span.start, span.end):
                low = bisect.bisect_right(ends, span.start)
                narrated.update(range(low, bisect.bisect_right(ends, span.end - 1) + 1))
            for found, pattern in ((second, _SECOND), (first, _FIRST)):
                for match in pattern.finditer(text, span.start, span.end):
                    found.add(bisect.bisect_right(ends, match.start()))
            span = next(spans, None)
        yield ParagraphPerson(index, len(narrated), len(second), len(first))
