"""Is a word an event on the page, a mention, or something that does not happen at all?

Content rules need this to tell a story that *shows* a death from one that names it:

    He stabbed you.                              → depicted
    He had tortured you for weeks.               → mentioned (backstory: past perfect)
    "He killed them all," she said.              → mentioned (told in dialogue)
    If he stirs, I'll strike.                    → mentioned (hypothetical: if, modal)
    Did her beauty die?                          → mentioned (a question)
    He never hurt you.                           → None (negated: it does not happen)
    A red-hot pain seared through your body.     → depicted (a noun takes its verb's status)
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Token

from ynsert.analysis.parsed import ParsedSentence
from ynsert.vocab.lexicon import negated, words

Status = Literal["depicted", "mentioned"]

_HYPOTHETICAL_MODALS = words("could would might may should must can will shall 'll 'd ought")
_CONDITIONAL_MARKS = words("if unless lest whether")
_INTENT_HEADS = words("threaten want try plan intend decide mean wish hope attempt promise")


def verb_of(token: Token) -> Token:
    """The nearest verb at or above ``token`` (the token itself when there is none)."""
    node = token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node if node.pos_ in ("VERB", "AUX") else token


def event_status(sent: ParsedSentence, token: Token) -> Status | None:
    """``depicted``, ``mentioned``, or None when negated."""
    verb = verb_of(token)
    if negated(verb) or negated(token):
        return None
    if not sent.narrative[token.i]:
        return "mentioned"
    if _question(sent) or hypothetical(verb) or _backstory(verb):
        return "mentioned"
    return "depicted"


def _question(sent: ParsedSentence) -> bool:
    return sent.doc.text.rstrip(" \"'”’*_)").endswith("?")


def hypothetical(verb: Token) -> bool:
    """Modal or conditional, or wanted/threatened rather than done; also up the clause chain.

    A bare infinitive ("to kill you") is an aim, not an act, wherever it hangs."""
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True
    node = verb
    for _ in range(3):
        children = list(node.children)
        if any(c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL_MODALS for c in children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in children):
            return True
        if node.dep_ == "xcomp" and node.head.lemma_ in _INTENT_HEADS:
            return True
        if node.dep_ not in ("xcomp", "conj", "ccomp") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _backstory(verb: Token) -> bool:
    """Past perfect: "he had tortured you" happened before the story's now."""
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children) and (
        verb.tag_ == "VBN"
    )
