"""Common triggers found by lexicon over the parse, each hit depicted or only mentioned.

A hit is a lemma from a trigger's lexicon, kept only in the parts of speech that carry the
sense (``torture`` the verb or noun, not "his tortured eyes"; ``beat`` only with a person as
object, never a heart), then placed by ``events.event_status``:

    torture      He tortured you.  / He had tortured you for weeks.     depicted / mentioned
                 his tortured eyes                                      nothing (adjective)
    violence     He stabbed the guard.  A red-hot pain seared you.      depicted
                 His heart beat fast.                                   nothing (not a person)
    blood        Blood pooled on the floor.                             depicted
    self-harm    You cut yourself again.  the scars on your wrists      depicted / mentioned
    suicide      She drowned herself.  He killed himself.               depicted
    abuse        He abused you for years.                               depicted
    kidnapping   They kidnapped you.  the door to your cell             depicted / mentioned
    war          The war took everything.  soldiers marched             mentioned / depicted
    sexual       He undressed you.  naked, moaning                      depicted
    rape         He raped her.                                          depicted
    He never hurt you.                                                  nothing (negated)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ynsert.analysis.events import Status, event_status
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import lemmas, tags, word_list, words

#: trigger → (lemmas, parts of speech they count in)
LEXICON: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "death": (
        words("die death dead kill murder corpse funeral slay perish"),
        tags("VERB NOUN ADJ"),
    ),
    "torture": (words("torture torment torturer electrocute waterboard"), tags("VERB NOUN")),
    "violence": (
        words(
            """stab shoot slash punch kick strangle choke attack wound impale pierce slit beat
            dismember hit strike slap pain dagger dirk knife sword gun pistol lightsaber blaster
            blade weapon"""
        ),
        tags("VERB NOUN"),
    ),
    "blood": (words("blood bleed bloody gore bloodstain"), tags("VERB NOUN ADJ")),
    "self-harm": (words("self-harm selfharm razor scars"), tags("NOUN")),
    "suicide": (words("suicide suicidal"), tags("NOUN ADJ")),
    "abuse": (words("abuse abusive abuser molest"), tags("VERB NOUN ADJ")),
    "kidnapping": (
        words("kidnap abduct abduction hostage captive captivity captor ransom prisoner cell"),
        tags("VERB NOUN ADJ"),
    ),
    "war": (
        words("war battle battlefield soldier army troops bomb invasion warfare siege trenches"),
        tags("NOUN VERB"),
    ),
    "sexual content": (
        words(
            """sex naked nude orgasm undress moan cock pussy clit nipple arousal aroused erection
            fuck thrust climax breast straddle grind"""
        ),
        tags("NOUN VERB ADJ"),
    ),
    "rape": (words("rape rapist noncon non-con"), tags("VERB NOUN")),
}
#: Violence words that need a person (or a body part) on the receiving end.
#: Triggers whose words only ever *mention*: a death is depicted when ``deaths`` finds who dies.
MENTION_ONLY = frozenset({"death"})
#: Words too common in other senses to carry a trigger alone ("a dead end", "his cell phone").
WEAK = words(
    """dead dagger dirk knife sword gun pistol lightsaber blaster blade weapon cell prisoner
    captive battle soldier army troops bomb moan naked nude nipple bloody fuck attack wound pain
    arousal aroused undress thrust climax breast straddle grind"""
)
_NEEDS_TARGET = words("punch kick choke attack beat hit strike slap shoot")
_SELF_OBJECTS = words("yourself herself himself myself themselves")
_SELF_HARM_VERBS = words("cut burn hurt harm")
_SUICIDE_VERBS = words("kill drown hang shoot")


@dataclass(frozen=True)
class Hit:
    trigger: str
    status: Status
    sentence: ParsedSentence
    token: Token

    @property
    def weak(self) -> bool:
        return bool(lemmas(self.token) & WEAK)


def lexicon_hits(sent: ParsedSentence) -> Iterator[Hit]:
    for token in sent.doc:
        for trigger in _triggers_of(token):
            status = event_status(sent, token)
            if status and trigger in MENTION_ONLY:
                status = "mentioned"
            if status:
                yield Hit(trigger, status, sent, token)


def _triggers_of(token: Token) -> Iterator[str]:
    candidates = lemmas(token)
    reflexive = _reflexive_object(token)
    if reflexive and candidates & _SUICIDE_VERBS:
        yield "suicide"
        return
    if reflexive and candidates & _SELF_HARM_VERBS:
        yield "self-harm"
        return
    for trigger, (entries, parts) in LEXICON.items():
        if token.pos_ not in parts or not candidates & entries:
            continue
        if token.dep_ == "amod" and token.tag_ == "VBN":
            continue  # "his tortured eyes": a figure, not an act
        if candidates & _NEEDS_TARGET and not _has_target(token):
            continue
        yield trigger


def _reflexive_object(token: Token) -> bool:
    return token.pos_ == "VERB" and any(
        c.dep_ == "dobj" and c.lower_ in _SELF_OBJECTS for c in token.children
    )


def _has_target(token: Token) -> bool:
    """Someone on the receiving end: "kicked him", "hit the guard", "slapped her face" — not
    "kicked the door shut", nor "shot her an amused look" (a look is what is shot)."""
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "dative")]
    if any(c.lemma_.lower() in _FIGURATIVE_OBJECTS for c in objects):
        return False
    return any(_a_body(c) for c in objects)


def _a_body(token: Token) -> bool:
    if token.pos_ == "PRON":
        return token.lower_ not in ("it", "this", "that", "something", "nothing")
    if token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and token.lemma_.lower() in _BODIES


#: What a violence verb may land on for it to be violence: people and their bodies.
_BODIES = word_list("people") | word_list("body_parts") | words("enemy opponent attacker assailant")
_FIGURATIVE_OBJECTS = words("look glance smile grin glare wink question breeze shot grin frown")


def find_hits(parsed: Parsed) -> list[Hit]:
    return [hit for sent in parsed.sentences for hit in lexicon_hits(sent)]
