"""Word lists as data: shared lists are files in ``vocab/words/`` (each with a source line);
a rule module's own small lexicon is written inline with ``words``.

>>> sorted(words("Kiss  embrace caress"))
['caress', 'embrace', 'kiss']
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


def words(text: str) -> frozenset[str]:
    """A lexicon from whitespace-separated words (lower case)."""
    return frozenset(w.lower() for w in text.split())


@cache
def word_list(name: str) -> frozenset[str]:
    """A shared word list from ``vocab/words/NAME.txt`` (``#`` lines are its source note)."""
    text = resources.files("ynsert.vocab").joinpath("words", f"{name}.txt").read_text("utf-8")
    return words(" ".join(line for line in text.splitlines() if not line.startswith("#")))


def negated(token: Token) -> bool:
    """Does a negator (not, n't, never, no …) attach to ``token`` in the parse?"""
    negators = word_list("negators")
    return any(
        c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in negators)
        for c in token.children
    )


def phrases(text: str) -> tuple[tuple[str, ...], ...]:
    """Multi-word lexicon entries, one per line, as lemma tuples."""
    return tuple(tuple(line.lower().split()) for line in text.splitlines() if line.strip())


def lemma(token: Token) -> str:
    return token.lemma_.lower()


def lemmas(token: Token) -> frozenset[str]:
    """Every lemma a token may have: spaCy's, lemminflect's, and the word itself.

    The small model's lemmatiser makes mistakes that matter here ("raped" → "rap"), so a
    lexicon entry matches when any candidate does.
    """
    return _candidates(token.lower_, token.pos_) | {token.lemma_.lower()}


@lru_cache(maxsize=65536)
def _candidates(word: str, pos: str) -> frozenset[str]:
    from lemminflect import getAllLemmas

    found = getAllLemmas(word, upos=pos) if pos in ("VERB", "NOUN", "ADJ", "AUX") else {}
    return frozenset({word, *(lemma for forms in found.values() for lemma in forms)})


def tags(text: str) -> frozenset[str]:
    """A set of spaCy part-of-speech tags, as written (VERB NOUN …)."""
    return frozenset(text.split())
