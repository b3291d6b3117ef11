"""Clause grammar over the spaCy parse: finiteness, the verbs a subject governs, agreement.

You go to the window and pull back the curtain.  →  She goes … and pulls …
He watched you sleep.                           →  "sleep" is not finite: "you" is an object
Do you remember?                                →  the first auxiliary agrees: Does she …
You jog up to the line and tap Shadow.          →  "tap" (tagged a noun) is the series' verb
You are not a hunter, have never been.          →  "have" (a stray auxiliary) agrees: has
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ynsert.vocab.lexicon import word_list
from ynsert.vocab.persons import BE_FORMS, CONTRACTED_BE, Agreement

if TYPE_CHECKING:
    from types import ModuleType

    from spacy.tokens import Doc, Token


@lru_cache(maxsize=1)
def _lemminflect() -> ModuleType:
    """lemminflect takes seconds to import: load it on the first verb, not at start-up."""
    import lemminflect

    return lemminflect


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
AUX_DEPS = frozenset({"aux", "auxpass"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
#: Words that open a finite subordinate clause (until you cried, if you want).
_SUBORDINATORS = frozenset(
    [
        "after",
        "although",
        "as",
        "because",
        "before",
        "if",
        "once",
        "since",
        "than",
        "that",
        "though",
        "till",
        "unless",
        "until",
        "when",
        "whenever",
        "where",
        "whereas",
        "wherever",
        "whether",
        "while",
        "why",
        "how",
        "what",
        "who",
    ]
)


def is_verb(token: Token) -> bool:
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def has_own_subject(verb: Token) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in verb.children)


def is_finite(head: Token) -> bool:
    """Does ``head`` (a subject's head) make a finite clause?

    Bare infinitives after let/make/watch/help (he let you go) and "for you to go" are not
    finite, so their "you" is an object.
    """
    if head.tag_ in FINITE_TAGS:
        return True
    if head.tag_ == "VB" and head.dep_ == "ccomp" and head.head.lemma_.lower() in MANDATIVE_VERBS:
        return True  # "He recommended you keep it": a subjunctive clause, "you" its subject
    for child in head.children:
        if child.dep_ in AUX_DEPS:
            if child.tag_ == "TO":
                return False
            if child.tag_ in FINITE_TAGS:
                return True
    if any(c.dep_ == "mark" and c.lower_ == "for" for c in head.children):
        return False
    if head.tag_ == "VB":
        if head.dep_ == "ROOT":
            return True  # tagger slip: "You hide them" tagged VB
        if head.dep_ == "conj":
            return is_finite(head.head)
        return any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in head.children)
    if head.tag_ in ("VBG", "VBN"):
        return False
    return head.dep_ == "ROOT" and not is_verb(head)


def finite_verb(head: Token) -> Token | None:
    """The word that agrees with the subject of ``head``: its first auxiliary, or itself."""
    auxiliaries = sorted((c for c in head.children if c.dep_ in AUX_DEPS), key=lambda t: t.i)
    if auxiliaries:
        first = auxiliaries[0]
        return first if first.tag_ in ("VBP", "VBD", "VBZ", "VB") else None
    if head.tag_ in ("VBP", "VBD", "VB") or (
        head.tag_ == "VBZ" and head.lower_ in ("'s", "’s", "'m", "’m")
    ):
        return head if is_finite(head) else None
    return None


def own_auxiliary_or_self(verb: Token) -> Token | None:
    """For a verb sharing a subject: its own first auxiliary, else the verb if it can agree."""
    auxiliaries = sorted((c for c in verb.children if c.dep_ in AUX_DEPS), key=lambda t: t.i)
    if auxiliaries:
        first = auxiliaries[0]
        return first if first.tag_ in ("VBP", "VBD", "VB") else None
    return verb if verb.tag_ in ("VBP", "VBD", "VB") else None


def coordinated_verbs(head: Token) -> Iterator[Token]:
    """Verbs that share ``head``'s subject: "You sigh, close your eyes and lean back."

    spaCy links a series of verbs in several ways: conj chains, conj under the object
    ("push the door open and step inside"), "dep", or the first verb in parataxis under the
    second. We accept any later verb that reaches ``head`` through such links without passing
    a verb that has a subject, an auxiliary or a complement role of its own.
    """
    anchors = {head.i}
    if _shares_upward(head):
        anchors.add(head.head.i)
        yield head.head
    for token in head.doc[head.i + 1 :]:
        if token.i in anchors:
            continue
        if _mistagged_conjunct(token, anchors) or _finite_after_complement(token, anchors):
            anchors.add(token.i)
            yield token
            continue
        if not _shares_subject(token):
            continue
        if token.dep_ in ("conj", "dep", "parataxis") and _reaches(token, anchors):
            anchors.add(token.i)
            yield token


#: Verbs whose object is followed by a bare infinitive: "lets you know", "watches you walk".
BARE_INFINITIVE_VERBS = frozenset(
    ["let", "make", "have", "help", "watch", "see", "hear", "feel", "notice", "observe", "bid"]
)
#: What follows a verb of the series whose tag the parser lost: an object or a name.
_OBJECT_STARTS = frozenset({"DT", "PRP$", "PRP", "NNP"})
#: Auxiliaries that can stand alone after a comma, sharing the series' subject.
_STRAY_AUXILIARIES = frozenset({"have", "do", "are", "were"})


def stray_series_verbs(verb: Token, subject: Token) -> Iterator[Token]:
    """Verbs of ``subject``'s series after ``verb`` that the parse lost (no subject of their own
    and no other subject between): a word right after "and" or a comma that is a base-form verb
    tagged as a noun or adjective and takes an object ("and tap Shadow"), or a bare auxiliary
    ("…, have never been"). Nothing after a perception or causative verb's object ("see
    Aizawa sigh and rub"): there the series is the object's."""
    doc = verb.doc
    if verb.lemma_.lower() in BARE_INFINITIVE_VERBS:
        return
    for token in doc[verb.i + 1 :]:
        if token.text in (";", ":") or (token.dep_ in SUBJECT_DEPS and token.i != subject.i):
            return  # another clause's subject: what follows is its series
        before = _before_adverbs(token)
        if before is None or before.lower_ not in ("and", ",") or has_own_subject(token):
            continue
        if _mistagged_series_verb(token) or _stray_auxiliary(token):
            yield token


def _before_adverbs(token: Token) -> Token | None:
    """The word before ``token`` and the adverbs right before it (", sort of don't know")."""
    i = token.i - 1
    while i > 0 and token.doc[i].tag_ in ("RB", "RBR") and token.doc[i].dep_ != "neg":
        i -= 1
    return token.doc[i] if i >= 0 else None


def _mistagged_series_verb(token: Token) -> bool:
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return (
        token.tag_ in ("NN", "JJ")
        and token.is_lower
        and token.lower_ in lemmas_of(token.lower_).get("VERB", ())
        and following is not None
        and following.tag_ in _OBJECT_STARTS
    )


def _stray_auxiliary(token: Token) -> bool:
    head = token.head
    return (
        token.lower_ in _STRAY_AUXILIARIES
        and token.dep_ in AUX_DEPS
        and token.tag_ in ("VBP", "VB")
        and not has_own_subject(head)
    )


def _finite_after_complement(token: Token, anchors: set[int]) -> bool:
    """ "You watch him pop the collar up and have to bite…": a present-tagged verb coordinated
    with a bare infinitive ("pop") cannot share the infinitive's subject ("him"): it is the
    series verb of the anchor's subject."""
    complement = token.head
    return (
        token.dep_ == "conj"
        and token.tag_ == "VBP"
        and not has_own_subject(token)
        and complement.tag_ == "VB"
        and complement.dep_ in ("ccomp", "xcomp")
        and complement.head.i in anchors
        and not any(c.dep_ in AUX_DEPS for c in complement.children)
    )


_VERB_LIKE_CHILDREN = frozenset({"punct", "cc", "conj", "advmod", "prt", "dobj", "prep"})
_VERB_CHILDREN = frozenset({"prt", "dobj", "prep", "advmod"})


def _shares_upward(head: Token) -> bool:
    """The first verb of a series hung under a later one: "You sigh, close your eyes" (the
    parser makes "sigh" parataxis, or "You cross the room, press…" makes it a ccomp, of a
    subject-less verb). A subject-less verb *before* the clause is an imperative, not part of
    its series."""
    parent = head.head
    if parent.i < head.i:
        return False  # "blurt out that you want…", "Don't tell him that you're…": an imperative
    if head.dep_ in ("parataxis", "conj"):
        return _shares_subject(parent)
    return head.dep_ == "ccomp" and parent.dep_ == "ROOT" and _shares_subject(parent)


def _mistagged_conjunct(token: Token, anchors: set[int]) -> bool:
    """A verb of the series that the tagger took for a noun or an adjective.

        You stand up, stretch, and walk.            "stretch" (JJ), conj of a series verb
        You hit snooze, stumble to the shower…      "stumble" (JJ), advcl of a series verb
        You follow him inside and duck behind it.   "duck" (NN), conj of "inside"

    Only words with no adjective reading ("content with the warmth" stays an adjective), and
    under a series verb's object or adverb only when verb-like words hang from them
    ("buy bread and milk" stays two nouns).
    """
    if token.tag_ not in ("JJ", "NN") or token.dep_ not in ("conj", "advcl", "dep"):
        return False
    readings = _lemminflect().getAllLemmas(token.lower_)
    if "ADJ" in readings or token.lower_ not in readings.get("VERB", ()):
        return False
    if not all(c.dep_ in _VERB_LIKE_CHILDREN for c in token.children):
        return False
    if token.head.i in anchors:
        return True
    under_dependent = token.dep_ == "conj" and token.head.head.i in anchors
    return under_dependent and any(c.dep_ in _VERB_CHILDREN for c in token.children)


def _reaches(token: Token, anchors: set[int]) -> bool:
    """Does the path from ``token`` up the tree reach an anchor through coordination only?"""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.i in anchors:
            return True
        if is_verb(node) and (has_own_subject(node) or node.dep_ in _COMPLEMENT_DEPS):
            return False
        if node.dep_ in ("relcl", "acl", "advcl", "ccomp", "pcomp"):
            return False  # a clause of its own, whatever its head was tagged (an xcomp noun is
            # a parser slip: "You whisper a thank you and take the cup")
    return False


_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp", "csubj"})


def _shares_subject(verb: Token) -> bool:
    if not is_verb(verb) or has_own_subject(verb):
        return False
    if any(c.dep_ == "mark" for c in verb.children):
        return False
    return verb.tag_ not in ("VBG", "VBN") or _has_auxiliary(verb)


def _has_auxiliary(verb: Token) -> bool:
    return any(c.dep_ in AUX_DEPS for c in verb.children)


# --- agreement --------------------------------------------------------------------------------


def agree(verb: Token, agreement: Agreement, fallback: str | None = None) -> str | None:
    """The form of ``verb`` (a you-form) for ``agreement``, or None when it does not change.

    Modals never change; plural agreement keeps every you-form (you are → they are); a
    subjunctive keeps its base form or "were" (that she stay, as if she were). ``fallback`` is
    the tense of the neighbouring sentences, for a verb whose form and sentence do not tell.
    """
    if agreement == "plural" or verb.tag_ == "MD" or _after_modal(verb):
        return None
    lower = verb.lower_
    if lower in ("'re", "’re"):
        return verb.text[0] + CONTRACTED_BE[agreement]
    if lower in ("'ve", "’ve"):
        return verb.text[0] + "s" if agreement == "3sg" else None
    if lower in ("'d", "’d", "'ll", "’ll"):
        return None
    if lower == "are":
        return match_case(verb.text, BE_FORMS["present"][agreement])
    if lower == "were":
        return None if counterfactual(verb) else match_case(verb.text, "was")
    if _modal_use(verb) or mandative(verb):
        return None  # "you need not worry", "you dare not move", "insisted that you stay"
    if agreement == "3sg" and _is_present(verb, fallback):
        return _third_singular(verb)  # not a verb: a tagger slip, "and you blush" as a noun
    return None


_PRESENT_MODALS = word_list("present_modals")


def agree_from_first(verb: Token, agreement: Agreement, fallback: str | None = None) -> str | None:
    """The form of ``verb`` (an I-form) for ``agreement``: I am → she is / you are, I was →
    you were, I brace → she braces; None when it does not change."""
    if agreement == "1sg" or verb.tag_ == "MD" or _after_modal(verb):
        return None
    lower = verb.lower_
    third = agreement == "3sg"
    if lower in ("'m", "’m"):
        return verb.text[0] + ("s" if third else "re")
    if lower == "am":
        return match_case(verb.text, "is" if third else "are")
    if lower == "was":
        return None if third else match_case(verb.text, "were")
    if lower == "were" or not third:
        return None  # "as if I were" stays a subjunctive; every other I-form is the you-form
    return agree(verb, "3sg", fallback)


#: Verbs of demanding whose "that"-clause takes the base form: insisted that she stay.
MANDATIVE_VERBS = frozenset(
    [
        "insist",
        "suggest",
        "recommend",
        "demand",
        "require",
        "request",
        "propose",
        "urge",
        "ask",
        "order",
        "advise",
        "command",
        "prefer",
    ]
)


def mandative(verb: Token) -> bool:
    """A base-form verb in the complement of insist/suggest/recommend…: a subjunctive."""
    if verb.tag_ not in ("VB", "VBP") or verb.lower_ != verb.lemma_.lower():
        return False
    clause = verb
    while clause.dep_ == "conj" and clause.head.tag_.startswith("VB"):
        clause = clause.head
    if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in MANDATIVE_VERBS:
        return False
    marks = [c.lower_ for c in clause.children if c.dep_ == "mark"]
    return all(m == "that" for m in marks)  # "asked if you want" is a question, indicative


def counterfactual(verb: Token) -> bool:
    """ "as if you were", "if you were smarter, you'd", "wish you were", "Were you braver, you
    would": a subjunctive "were". A plain "if" clause is counterfactual only beside a
    would/could/might clause: "If you were hurt, you didn't show it" is a real past (was)."""
    clause = verb.head if verb.dep_ in AUX_DEPS else verb
    marks = [c for c in clause.children if c.dep_ == "mark"]
    words = [m.lower_ for m in marks]
    if "though" in words or any(_before(m) for m in marks):
        return True
    if "if" in words:
        return _hypothetical(clause) or clause.head.i == clause.i
    if _inverted_condition(verb):
        return True
    return clause.dep_ == "ccomp" and clause.head.lemma_.lower() == "wish"


#: Modals of a hypothetical main clause: "If you were taller, you could reach it".
_HYPOTHETICAL = frozenset({"would", "could", "might", "'d", "’d", "should"})


def _before(mark: Token) -> bool:
    """ "as if", "if only", "even if": the words that make an "if" counterfactual."""
    doc = mark.doc
    previous = doc[mark.i - 1].lower_ if mark.i > 0 else ""
    following = doc[mark.i + 1].lower_ if mark.i + 1 < len(doc) else ""
    return previous in ("as", "even") or (mark.lower_ == "if" and following == "only")


def _hypothetical(condition: Token) -> bool:
    """A would/could/might ('d) in the sentence outside the "if" clause itself."""
    inside = {t.i for t in condition.subtree}
    return any(
        t.lower_ in _HYPOTHETICAL and t.tag_ == "MD" and t.i not in inside for t in condition.doc
    )


def _inverted_condition(verb: Token) -> bool:
    """ "Were you braver, you would…": "were" before its subject, opening a clause that is no
    question, and a hypothetical clause after it."""
    doc = verb.doc
    subject = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    opens = verb.i == 0 or doc[verb.i - 1].is_punct
    if verb.lower_ != "were" or subject is None or subject.dep_ not in SUBJECT_DEPS or not opens:
        return False
    if doc[-1].text == "?" or not any(t.text == "," for t in doc[verb.i :]):
        return False
    return any(t.lower_ in _HYPOTHETICAL and t.tag_ == "MD" for t in doc[verb.i :])


def _after_modal(verb: Token) -> bool:
    """ "you'd take", "you could have counted": the verb after a modal or 'd keeps its form."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and (doc[i].tag_ in ("RB", "RBR") or doc[i].lower_ in ("n't", "n’t")):
        i -= 1
    return i >= 0 and doc[i].tag_ == "MD" and verb.tag_ in ("VB", "VBP")


#: Past forms the inflection lexicon does not list (pet, fit and knit as pasts).
_EXTRA_PASTS = frozenset({"pet", "fit", "knit", "wed", "bet", "rid", "quit"})


def _is_present(verb: Token, fallback: str | None = None) -> bool:
    """Is this you-form verb in the present? The tag, corrected by the form and the context.

    "and curl up" tagged past is present (curl is no past form); "bit", "bent", "swept" tagged
    present are past (no base form); a form that is both (let, put, cut, lay, wound) takes the
    tense of the sentence's other verbs ("He won't let you pay, so you let him"), else of the
    neighbouring sentences (``fallback``).
    """
    present = verb.tag_ in ("VBP", "VB") or not is_verb(verb)
    lemma = verb.lemma_.lower()
    if (
        is_verb(verb)
        and lemma not in ("", verb.lower_)
        and verb.lower_ in _lemminflect().getInflection(lemma, tag="VBD")
    ):
        return False  # the parse read a past of another verb: "last saw" (see), "bit"
    base = verb.lower_ in _lemminflect().getAllLemmas(verb.lower_).get("VERB", ())
    past = _past_form(verb) or verb.lower_ in _EXTRA_PASTS
    if verb.tag_ == "VBD" and not past:
        return base
    if past and base:
        context = _conjunct_tense(verb) or _context_tense(verb) or fallback
        return present if context is None else context == "present"
    if past:
        return False  # "You bit your lip" tagged VBP: bit is no base form
    return present


def _past_form(verb: Token) -> bool:
    lemmas = {verb.lemma_.lower(), *_lemminflect().getAllLemmas(verb.lower_).get("VERB", ())}
    return any(verb.lower_ in _lemminflect().getInflection(lemma, tag="VBD") for lemma in lemmas)


def _invariant(verb: Token) -> bool:
    """let, put, cut, hit: the base form is also the past form."""
    return verb.lower_ in _lemminflect().getInflection(
        verb.lower_, tag="VBD"
    ) and verb.lemma_.lower() in (
        verb.lower_,
        "",
    )


def _reads_past(verb: Token) -> bool:
    """A past verb, or a past participle coordinated without an auxiliary ("and smiled"
    tagged VBN): what tells a sentence's tense."""
    if verb.tag_ == "VBD":
        return True
    return (
        verb.tag_ == "VBN"
        and verb.dep_ == "conj"
        and not any(c.dep_ in AUX_DEPS for c in verb.children)
    )


def sentence_tense(doc: Doc) -> str | None:
    """ "present" or "past" when the finite verbs of ``doc`` agree on one (for neighbours)."""
    verbs = [t for t in doc if is_verb(t) and not _invariant(t)]
    present = any(t.tag_ == "VBZ" or t.lower_ in _PRESENT_MODALS for t in verbs)
    past = any(_reads_past(t) for t in verbs)
    if present == past:
        return None
    return "present" if present else "past"


def _conjunct_tense(verb: Token) -> str | None:
    """The tense of the verbs coordinated with ``verb`` ("you read books and got a GPA"):
    a series keeps one tense, whatever the rest of the sentence does."""
    series = [c for c in verb.children if c.dep_ == "conj" and is_verb(c)]
    if verb.dep_ == "conj" and is_verb(verb.head):
        series.append(verb.head)
    series = [v for v in series if not _invariant(v) and not has_own_subject(v)]
    present = any(v.tag_ in ("VBZ", "VBP") for v in series)
    past = any(_reads_past(v) for v in series)
    if present == past:
        return None
    return "present" if present else "past"


def _context_tense(verb: Token) -> str | None:
    others = [t for t in verb.doc if t.i != verb.i and is_verb(t) and not _invariant(t)]
    present = any(t.tag_ in ("VBZ", "VBP") or t.lower_ in _PRESENT_MODALS for t in others)
    past = any(_reads_past(t) for t in others)
    if present == past:
        return None
    return "present" if present else "past"


def _modal_use(verb: Token) -> bool:
    following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return verb.lower_ in ("need", "dare") and following is not None and following.lower_ == "not"


#: "DON'T" in capitals stays one token: its 3sg form is written whole.
_DO_NOT = {"don't": "doesn't", "don’t": "doesn’t"}


def _third_singular(verb: Token) -> str | None:
    if verb.lower_ in _DO_NOT:
        return match_case(verb.text, _DO_NOT[verb.lower_])
    if not verb.text.isalpha():
        return None  # "do--", a glued or garbled token: no ending can be added to it
    if not is_verb(verb) and verb.lower_ not in _lemminflect().getAllLemmas(verb.lower_).get(
        "VERB", ()
    ):
        return None  # a mis-tagged word that is not a base-form verb ("packed")
    return third_singular_of(verb.text)  # a you-form is the base form


def third_singular_of(word: str) -> str | None:
    """tries, brushes, goes: the 3sg present of a base-form verb, cased like it."""
    forms = _lemminflect().getInflection(word.lower(), tag="VBZ")
    return match_case(word, forms[0]) if forms else None


def lemmas_of(word: str) -> dict[str, tuple[str, ...]]:
    """Every reading of ``word`` in the inflection lexicon: part of speech → lemmas."""
    return dict(_lemminflect().getAllLemmas(word.lower()))


def is_past_form(word: str) -> bool:
    """Is ``word`` the past form of some verb (lost, bit, knew), whatever it was tagged?"""
    lemmas = _lemminflect().getAllLemmas(word.lower()).get("VERB", ())
    return any(word.lower() in _lemminflect().getInflection(lemma, tag="VBD") for lemma in lemmas)


def past_or_present_verb(word: str) -> bool:
    """Could ``word`` be a finite verb form (packed, go, brushes)? Used when the parse fails."""
    return bool(_lemminflect().getAllLemmas(word.lower()).get("VERB"))


def match_case(model: str, word: str) -> str:
    """Give ``word`` the capitalisation of ``model`` (You → She, YOU → SHE, you → she)."""
    if len(model) > 1 and model.isupper() and word.replace("'", "").replace("’", "").isalpha():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
