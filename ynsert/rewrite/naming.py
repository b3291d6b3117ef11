"""Who else is "she": Y/N that is not the reader, and the pronouns of named characters.

Pronouns of other characters (read without a parse, for the `smart` naming policy): a "he" or
"she" in narration belongs to the one name mentioned before it in the same or the previous
sentence; a name with two candidates nearby ("Lucy and Tom talked. She laughed.") teaches
nothing. The story is told to "you", so every he/she is someone else.

    >>> from ynsert.document import Document
    >>> pronouns_of_names(Document("Lucy was tired. She yawned. Tom waved.").story)
    {'Lucy': 'she'}

A story can also call the reader's girlfriend "Y/N":

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
from collections import Counter
from collections.abc import Iterator

from ynsert.document.segment import Story
from ynsert.rewrite.grammar import past_or_present_verb
from ynsert.vocab.lexicon import words

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


#: Capitalised words that start sentences or name no one; a name is a capitalised word the
#: story never writes in lower case, minus these.
_NOT_NAMES = words(
    """I You Your He She It We They His Her Its Our Their The A An And But Or
    So Then When While If As At In On Of To For With By From After Before Until Since Because
    This That These Those There Here What Who Why How Where Which Yes No Oh Ah Okay OK Mr Mrs
    Ms Miss Dr Sir Lady Lord God Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Maybe Just Not Now Even Still Only Once Finally Instead Eventually Suddenly"""
)
_WORD = re.compile(r"[A-Za-z]+")
_THIRD = {"he": "he", "she": "she"}  # subject forms only: "him"/"her" may be someone's object


def pronouns_of_names(story: Story) -> dict[str, str]:
    """Named characters whose pronoun ("he" or "she") the narration shows."""
    lower = {w.lower() for w in _WORD.findall(story.text) if w.islower()}
    votes: dict[str, Counter[str]] = {}
    previous: set[str] = set()
    for words_here in _narration_words(story):
        current: set[str] = set()
        for word in words_here:
            pronoun = _THIRD.get(word.lower())
            nearby = current or previous
            if pronoun and len(nearby) == 1:
                votes.setdefault(next(iter(nearby)), Counter())[pronoun] += 1
            elif _looks_like_name(word, lower):
                current.add(word)
        previous = current
    # a name read as "he" as often as "she" stays unknown
    return {
        name: counts.most_common(1)[0][0]
        for name, counts in votes.items()
        if len(counts) == 1 or len(set(counts.values())) == len(counts)
    }


def _looks_like_name(word: str, lower: set[str]) -> bool:
    """ "Lucy", not "The" (a sentence start) nor the "Y" of "Y/N"."""
    folded = word.lower()
    return len(word) > 1 and word[0].isupper() and folded not in _NOT_NAMES and folded not in lower


def _narration_words(story: Story) -> Iterator[list[str]]:
    """The words of each sentence's narration (dialogue is someone speaking, not narrating)."""
    text = story.text
    spans = sorted(story.spans("narration", "emphasis"), key=lambda s: s.start)
    first = 0  # spans before this one end before the current sentence (both run in order)
    for sentence in story.sentences():
        while first < len(spans) and spans[first].end <= sentence.start:
            first += 1
        found: list[str] = []
        index = first  # an index, not ``spans[first:]``: a slice per sentence is quadratic
        while index < len(spans) and spans[index].start < sentence.end:
            span = spans[index]
            start, end = max(span.start, sentence.start), min(span.end, sentence.end)
            found += _WORD.findall(text[start:end])
            index += 1
        yield found
