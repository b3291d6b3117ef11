"""Word lists as data: each rule module keeps its own lexicon, written as plain text.

>>> sorted(words("Kiss  embrace caress"))
['caress', 'embrace', 'kiss']
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas
from spacy.tokens import Token


def words(text: str) -> frozenset[str]:
    """A lexicon from whitespace-separated words (lower case)."""
    return frozenset(w.lower() for w in text.split())


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
    found = getAllLemmas(word, upos=pos) if pos in ("VERB", "NOUN", "ADJ", "AUX") else {}
    return frozenset({word, *(lemma for forms in found.values() for lemma in forms)})


def tags(text: str) -> frozenset[str]:
    """A set of spaCy part-of-speech tags, as written (VERB NOUN …)."""
    return frozenset(text.split())
