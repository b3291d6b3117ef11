"""Implicit plural "you": the reader and someone else, without "you two" or "you both".

Each cue is grammar, not vocabulary of one story: a quantifier floating after the subject, a
reciprocal in the subject's own clause, a collective adverb or predicate, a preposition that
needs two, a possession that one person cannot have in the plural, and a plural already set
up earlier in the sentence.

    You were both pretending.              → floating quantifier        (they were both)
    You each sip your tea.                 → floating quantifier        (they each sip their)
    You gazed into each other's eyes.      → reciprocal                 (they gazed)
    You bolted down the corridor together. → collective adverb          (they bolted)
    You rubbed your hands together.        → not plural: "together" joins the object
    You were inseparable.                  → collective predicate       (they were)
    You're old pros.                       → plural noun predicate      (they're)
    You are inches from his face.          → not plural: a measure
    You share a look.                      → a gesture shared           (they share)
    what you do together                   → collective adverb (the object is "what")
    the silence between you                → preposition that needs two (between them)
    Your foreheads pressed together.       → one-per-person possession  (their foreheads)
    your shoulders almost touched          → reciprocal verb, no object (their shoulders)
    The two of you end up at the river while the city hums around you.
                                           → plural carried inside the sentence (around them)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ynsert.rewrite.grammar import SUBJECT_DEPS
from ynsert.rewrite.references import Reference, clause_subjects
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import THIRD_PERSON_GENDER, THIRD_PLURAL

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Quantifiers that float after a plural subject: "you were both", "you each".
_FLOATING = frozenset({"both", "each"})
#: Adverbs that need two people doing the verb together (when the verb has no object).
_COLLECTIVE_ADVERBS = frozenset({"together"})
#: Predicates that need a plural subject: "You were inseparable".
_COLLECTIVE_PREDICATES = frozenset({"inseparable", "alike"})
#: Prepositions whose object is a group: "between you", "among you".
_GROUP_PREPOSITIONS = frozenset({"between", "among", "amongst"})
#: Body parts a person has one of: "your foreheads" means two people's.
_ONE_PER_PERSON = frozenset(
    {
        "forehead",
        "nose",
        "face",
        "head",
        "mouth",
        "chin",
        "chest",
        "heart",
        "body",
        "life",
        "torso",
        "belly",
        "stomach",
    }
)
#: Verbs that, without an object, say two things meet: "your shoulders touched".
_RECIPROCAL_VERBS = frozenset(
    {
        "touch",
        "meet",
        "brush",
        "bump",
        "collide",
        "intertwine",
        "entwine",
        "tangle",
        "interlock",
        "overlap",
        "graze",
        "knock",
        "clink",
        "lace",
    }
)
_OBJECT_DEPS = frozenset({"dobj", "pobj", "attr", "dative"})
#: Prepositions that give a meeting verb a second party: "touched his", "brushed against his".
_TOWARDS = frozenset({"with", "against", "to", "into"})


def mark_implicit_plurals(references: list[Reference]) -> None:
    """Set ``plural`` on the references that grammar shows to be the reader and another."""
    for ref in references:
        if ref.plural or ref.partner is not None:
            continue
        if ref.form == "subject":
            ref.plural = _plural_subject(ref.token)
        elif ref.form == "object":
            ref.plural = _group_object(ref.token)
        elif ref.form == "determiner":
            ref.plural = _plural_possession(ref.token)
    _plural_from_companions(references)
    _carry_within_sentence(references)


def _plural_from_companions(references: list[Reference]) -> None:
    """ "you made yourselves still, all three of you", "You stayed like that, the two of
    you": a plural reader on the subject's own verb (reflexive or appositive) makes it plural."""
    plural_heads: set[int] = set()
    for ref in references:
        if not ref.plural:
            continue
        if ref.form == "reflexive":
            plural_heads.add(ref.token.head.i)
        elif ref.token.dep_ == "pobj" and ref.token.head.lower_ == "of":
            quantifier = ref.token.head.head
            others = any(_other_person(t) for t in quantifier.doc[: quantifier.i])
            if others:
                continue  # "Gray asked whether you'd train, just the two of you": with Gray
            if quantifier.dep_ in ("appos", "npadvmod", "advmod", "dep", "conj"):
                plural_heads.add(quantifier.head.i)  # on the verb, or on "you" itself
    for ref in references:
        if ref.form == "subject" and not ref.plural and ref.partner is None:
            ref.plural = ref.token.head.i in plural_heads or ref.token.i in plural_heads


def _plural_subject(token: Token) -> bool:
    verb = token.head
    if verb.i == token.i:
        return False
    if any(_floats(c, token) for c in (*token.children, *verb.children)):
        return True
    if any(_floats_all(c, token, verb) for c in (*token.children, *verb.children)):
        return True
    if any(c.lower_ in _COLLECTIVE_PREDICATES for c in verb.children if c.dep_ == "acomp"):
        return True
    if _collective_adverb(verb) or _meets_bare_parts(verb) or _shared_gesture(verb):
        return True
    if _plural_predicate(verb):
        return True
    return _reciprocal_in_clause(token, verb.subtree)


#: Verbs that take a gesture two people make to each other: "you share a look".
_SHARING_VERBS = frozenset({"share", "exchange", "trade", "swap"})
_GESTURES = frozenset({"look", "glance", "smile", "grin", "kiss", "nod", "laugh", "shrug"})


def _shared_gesture(verb: Token) -> bool:
    """ "You share a look", "you exchange glances": a gesture shared needs two, unless the
    other one is named ("you share a look with him")."""
    if verb.lemma_.lower() not in _SHARING_VERBS:
        return False
    around = [*verb.children, *(t for c in verb.children if c.dep_ == "dobj" for t in c.subtree)]
    if any(t.dep_ == "prep" and t.lower_ in ("with", "between") for t in around):
        return False
    return any(c.dep_ == "dobj" and c.lemma_.lower() in _GESTURES for c in verb.children)


def _plural_predicate(verb: Token) -> bool:
    """ "You're old pros", "you were friends": a plural noun predicated of "you" (not "friends
    with him", nor the singular idioms "all ears", "all smiles")."""
    if verb.lower_ not in _PLURAL_BE or any(c.lower_ == "all" for c in verb.children):
        return False
    for attr in (c for c in verb.children if c.dep_ == "attr" and c.tag_ == "NNS"):
        inside = {t.lower_ for t in attr.subtree}
        measure = attr.lemma_.lower() in _MEASURES or any(c.dep_ == "prep" for c in attr.children)
        if not (inside & {"with", "all", "of"} or measure):
            return True
    return False


#: Plural nouns that measure, not name: "you are inches from his face" is one person.
_MEASURES = words(
    "inch foot mile yard meter metre centimeter step pace second minute hour day week month "
    "year decade degree pound percent"
)


#: "be" as "you" takes it (the lemma of a curly "’re" is not always "be").
_PLURAL_BE = frozenset({"are", "were", "'re", "’re"})


def _meets_bare_parts(verb: Token) -> bool:
    """ "you bump shoulders", "you touch foreheads": a reciprocal verb with a bare plural
    object (no determiner: not "you touch his shoulders")."""
    if verb.lemma_.lower() not in _RECIPROCAL_VERBS:
        return False
    return any(
        c.dep_ == "dobj"
        and c.tag_ == "NNS"
        and not any(d.dep_ in ("det", "poss") for d in c.children)
        for c in verb.children
    )


def _floats(word: Token, subject: Token) -> bool:
    """ "both"/"each" after the subject, not determining a noun ("both hands")."""
    if word.lower_ not in _FLOATING or word.i < subject.i:
        return False
    following = word.doc[word.i + 1] if word.i + 1 < len(word.doc) else None
    return (
        following is None
        or following.lower_ not in ("of", "other")
        and following.pos_
        not in (
            "NOUN",
            "PROPN",
        )
    )


def _floats_all(word: Token, subject: Token, verb: Token) -> bool:
    """ "you're all crammed so close together": "all" floats only beside a collective word in
    the same clause (alone it is an intensifier: "you were all alone")."""
    if word.lower_ != "all" or word.i < subject.i:
        return False
    return any(t.lower_ in _COLLECTIVE_ADVERBS for t in verb.subtree) or _reciprocal_in_clause(
        subject, verb.subtree
    )


def _collective_adverb(verb: Token) -> bool:
    """ "bolted down the corridor together", "collapsed side by side"; not "rubbed your hands
    together" (the object is what comes together) nor "together with him"."""
    if any(c.dep_ == "dobj" and c.tag_ not in ("WP", "WDT") for c in verb.children):
        return False  # "what you do together" still is: the object is only the question word
    for child in verb.children:
        if child.lower_ in _COLLECTIVE_ADVERBS and not any(
            c.lower_ == "with" for c in child.children
        ):
            following = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
            if following is None or following.lower_ != "with":
                return True
    return _side_by_side(verb)


def _side_by_side(verb: Token) -> bool:
    doc = verb.doc
    return any(
        token.lower_ == "side"
        and token.i + 2 < len(doc)
        and doc[token.i + 1].lower_ == "by"
        and doc[token.i + 2].lower_ == "side"
        for token in verb.subtree
    )


def _reciprocal_in_clause(subject: Token, tokens: Iterable[Token]) -> bool:
    """ "each other" / "one another" whose nearest clause subject is this "you"."""
    doc = subject.doc
    for token in tokens:
        if token.lower_ not in ("other", "another") or token.i == 0:
            continue
        if doc[token.i - 1].lower_ not in ("each", "one"):
            continue
        nearest = next(iter(clause_subjects(token)), None)
        if nearest is not None and nearest.i == subject.i:
            return True
    return False


def _group_object(token: Token) -> bool:
    head = token.head
    return token.dep_ == "pobj" and head.lower_ in _GROUP_PREPOSITIONS


def _plural_possession(token: Token) -> bool:
    """ "your foreheads", "your hearts"; "your shoulders touched", "your hands intertwined"."""
    noun = token.head
    if noun.tag_ != "NNS" or noun.i == token.i:
        return False
    if noun.lemma_.lower() in _ONE_PER_PERSON:
        return True
    verb = noun.head
    meets = (
        noun.dep_ in SUBJECT_DEPS
        and verb.lemma_.lower() in _RECIPROCAL_VERBS
        and not any(
            c.dep_ in _OBJECT_DEPS or (c.dep_ == "prep" and c.lower_ in _TOWARDS)
            for c in verb.children
        )
    )
    joined = any(
        c.lemma_.lower() in _RECIPROCAL_VERBS or c.lower_ in _COLLECTIVE_ADVERBS
        for c in noun.children
        if c.dep_ in ("acl", "amod", "advmod")
    )
    return meets or joined


def _carry_within_sentence(references: list[Reference]) -> None:
    """A plural reader subject makes the bare "you"s later in its clause plural too:
    "The two of you end up at the river while the city hums around you" (around them)."""
    for ref in references:
        if not ref.plural or ref.form not in ("subject", "object") or not _carries(ref.token):
            continue
        scope = _clause_head(ref.token)
        for other in references:
            if other.token.i <= ref.token.i or other.partner is not None:
                continue
            if other.form in ("subject", "object") and _subordinate_to(other.token, scope):
                other.plural = True


def _carries(token: Token) -> bool:
    """A plural that is the clause's subject or object ("tell you both"), or a group named
    outright ("the two of you", in any role), not a preposition's object ("the silence
    between you")."""
    node = token.head if token.dep_ == "pobj" and token.head.lower_ == "of" else None
    if node is not None:
        return True  # "glares at the both of you until you sit": a group named outright
    return token.dep_ in SUBJECT_DEPS or token.dep_ in ("dobj", "dative", "appos")


def _subordinate_to(token: Token, scope: Token) -> bool:
    """Is ``token`` inside ``scope``'s clause or a clause subordinate to it, never crossing a
    coordinated clause ("…, and he lets you have it") or another person ("him quietly, you
    not at all")?"""
    node = token
    while node.i != scope.i:
        if node.head.i == node.i:
            return False
        if node.dep_ in ("conj", "parataxis") and node.tag_.startswith("VB"):
            return False
        node = node.head
    doc = token.doc
    between = doc[min(scope.i, token.i) : token.i]
    if any(_other_person(t) for t in between):
        return False
    own_clause = token.head.subtree if token.head.i != token.i else ()
    return not any(_other_person(t, named=True) for t in own_clause)  # "you feel Steve's…"


def _other_person(token: Token, named: bool = False) -> bool:
    """Another person: he/him/his…, or a name (a subject, or any name with ``named``)."""
    if token.lower_ in _PERSON_PRONOUNS:
        return True
    return token.pos_ == "PROPN" and (named or token.dep_ in SUBJECT_DEPS)


_PERSON_PRONOUNS = frozenset({*THIRD_PERSON_GENDER, *THIRD_PLURAL.forms()})


def _clause_head(token: Token) -> Token:
    """The verb a reader word belongs to ("The two of you end up": "end")."""
    node = token.head
    while not node.tag_.startswith("VB") and node.head.i != node.i:
        node = node.head
    return node
