"""Reader references in a parsed sentence, each with the grammatical form it needs.

You knew you were running out of time.   →  subject, subject
He had tortured you, yes.                 →  object
Kylo watched you sleep.                   →  object (sleep is a bare infinitive)
It was you who found him.                 →  object (complement of "was")
Your hands are shaking.                   →  determiner
His hand found yours.                     →  pronoun
You remind yourself to breathe.           →  reflexive
You both froze. / Finn grinned at you two. →  plural
the things you'd do / he can tell you're  →  subject (a verb clitic is the subject's own)
so you can't / but you don't ask          →  subject (a modal or do-negation follows)
the sight before you is                   →  object ("is" never agrees with "you")
given you knew                            →  subject ("given" opens a clause)
so you and Shadow step off                →  subject (a clause opener, a base-form verb)
Both you and Sokka flinch                 →  subject (a pair opening the clause)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ynsert.rewrite.grammar import (
    BARE_INFINITIVE_VERBS,
    SUBJECT_DEPS,
    is_finite,
    is_past_form,
    lemmas_of,
    past_or_present_verb,
)
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import (
    FIRST_PERSON,
    FIRST_PLURAL,
    SECOND_PERSON_FORMS,
    SECOND_PERSON_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

Form = Literal["subject", "object", "determiner", "pronoun", "reflexive"]

READER_WORDS = SECOND_PERSON_WORDS
_LEXICAL_FORMS: dict[str, Form] = SECOND_PERSON_FORMS  # type: ignore[assignment]
#: Words right after "you" that make it plural: you both, you two, you all.
_PLURAL_FOLLOWERS = frozenset(["both", "two", "three", "four", "all", "guys"])
#: Words before "of you" that make it plural: both of you, the two of you.
_PLURAL_QUANTIFIERS = frozenset(
    [
        "both",
        "all",
        "each",
        "two",
        "three",
        "four",
        "some",
        "none",
        "either",
        "neither",
        "most",
        "many",
        "any",
        "one",
        "several",
        "few",
        "pair",
        "couple",
        "trio",
    ]
)
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "attr", "appos", "oprd", "conj"})
#: Collective words that make a lone "you" plural after "you and X" in the sentence before.
COLLECTIVE_CUES = frozenset({"together", "both", "each", "one", "yourselves"})


@dataclass
class Reference:
    token: Token
    form: Form
    plural: bool = False
    #: Other conjunct when the reader is coordinated ("you and Kylo", "Rey and you").
    partner: Token | None = None
    #: The reader is the first of two conjuncts joined by "and" (first person puts I last).
    leads_coordination: bool = False
    #: "you two" / "you both": the number word that follows.
    follower: Token | None = None
    #: "and you, too tired to cook, helped": the verb after a comma parenthesis.
    parenthesis_verb: Token | None = None


def is_reader_word(token: Token) -> bool:
    return token.lower_ in READER_WORDS


#: The narrator's words in a reader-insert told in first person: form and number.
_FORM_ORDER: tuple[Form, ...] = ("subject", "object", "determiner", "pronoun", "reflexive")
_FIRST_FORMS: dict[str, tuple[Form, bool]] = {
    word.lower(): (form, pronouns.plural)
    for pronouns in (FIRST_PERSON, FIRST_PLURAL)
    for form, word in zip(_FORM_ORDER, pronouns.forms(), strict=True)
}


def is_narrator_word(token: Token) -> bool:
    """I/me/my/mine/myself/we/us/our/ours/ourselves as pronouns ("I" only capitalised, not
    the "US", not a coal "mine")."""
    lower = token.lower_
    if lower not in _FIRST_FORMS or token.text == "US":
        return False
    if lower == "i":
        return token.text == "I"
    if lower == "mine":
        # the pronoun, unless a noun with a determiner or modifier ("the mine", "mine shaft")
        return (
            not any(c.dep_ in ("det", "amod") for c in token.children) and token.dep_ != "compound"
        )
    return True


def classify_first(token: Token) -> Reference:
    """A first-person word's form comes from the word itself (I/me/my/mine/myself)."""
    form, plural = _FIRST_FORMS[token.lower_]
    reference = Reference(token, form, plural=plural)
    if not plural:
        _mark_coordination(reference)  # "Dean and I were": agreement stays with the pair
    return reference


def classify(token: Token) -> Reference:
    lower = token.lower_
    if lower in _LEXICAL_FORMS:
        return Reference(token, _LEXICAL_FORMS[lower], plural=lower == "yourselves")
    verb = parenthesis_verb(token)
    if verb is not None:
        return Reference(token, "subject", parenthesis_verb=verb)
    reference = Reference(token, _case_of_you(token))
    _mark_coordination(reference)
    _mark_plural(reference)
    return reference


_PARENTHESIS_REACH = 25  # tokens: a parenthesis longer than this is not one


def parenthesis_verb(token: Token) -> Token | None:
    """ "and you, too wired to sit still, were sharpening": a clause-initial "you" followed by a
    comma parenthesis is the subject of the finite verb right after the closing comma, however
    the parser attached it."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    if before is not None and not (before.dep_ == "cc" or before.is_punct):
        return None
    if token.i + 1 >= len(doc) or doc[token.i + 1].text != ",":
        return None
    for j in range(token.i + 2, min(len(doc) - 1, token.i + _PARENTHESIS_REACH)):
        if doc[j].text in (".", "!", "?", ";", ":"):
            return None
        if doc[j].text == ",":
            verb = doc[j + 1]
            finite = verb.tag_ in ("VBD", "VBP", "VBZ", "MD", "VB")  # no "to": not infinitive
            return verb if finite and j > token.i + 2 else None
    return None


def _case_of_you(token: Token) -> Form:
    """Subject of a finite clause → subject form; everything else → object form."""
    dep = token.dep_
    own = _own_finite_after(token)
    if own == "clitic":
        return "subject"  # you're, you'd, you'll, you've: whatever the parser attached
    if _exceptive_but(token) and own != "do":
        return "object"  # all of them but you
    leading = _clause_initial_partner(token)
    if leading is not None:
        return "object" if leading[1] == "but" else "subject"
    if _after_participle_or_preposition(token):
        return "object"  # "the figure hunting you stopped", "with you beside him"
    if _paired_subject(token):
        return "subject"  # "Both you and Sokka flinch": a clause opens with the pair
    if own is not None and not _object_before_main_verb(token):
        return "subject"  # "so you can't", "the Queen you nearly lost": the parse slipped
    if dep in SUBJECT_DEPS and _third_singular_head(token):
        return "object"  # "the sight before you is": "is" agrees with another subject
    if _before_hyphenated_verb(token):
        return "subject"  # "when you half-woke"
    if dep in SUBJECT_DEPS:
        if _bare_infinitive_object(token):
            return "object"  # "Natasha watches you walk away"
        if is_finite(token.head) or _verb_tagged_as_noun(token) or _opens_clause(token):
            return "subject"
        return "object"
    if dep == "conj":
        first, excluded = _first_conjunct(token)
        if excluded:
            return "object"  # everyone but you
        if first.dep_ in SUBJECT_DEPS and is_finite(first.head):
            return "subject"
        return "object"
    if dep not in _OBJECT_DEPS and _looks_like_subject(token):
        return "subject"  # the parse failed: "You packed snacks, …"
    return "object"


#: Contracted verbs written onto "you": only its own verb can be.
_CLITICS = words("'re ’re 've ’ve 'd ’d 'll ’ll")
#: Participles that open a clause like a subordinator: "given you knew", "assuming you are".
_PARTICIPLE_SUBORDINATORS = words(
    "given granted provided providing assuming supposing considering seeing"
)
_ADVERB_TAGS = frozenset({"RB", "RBR", "RBS"})


def _own_finite_after(token: Token) -> str | None:
    """What right after "you" (past adverbs) can only be its own finite verb: a clitic
    ("clitic"), a do-negation ("do": "you don't"), a modal or a past form ("finite")."""
    doc = token.doc
    if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in _CLITICS:
        return "clitic"
    verb = word_after_adverbs(token)
    if verb is None:
        return None
    negated = verb.i + 1 < len(doc) and doc[verb.i + 1].lower_ in _NEGATIONS
    if verb.lower_ in ("do", "did") and negated:
        return "do"
    if verb.i > token.i + 1 and _opens_with(token) and _base_form(verb):
        return "finite"  # "it's cool, you pretty much like everyone" ("like" read as IN)
    if verb.tag_ == "MD" and verb.lower_ not in ("'d", "’d", "'ll", "’ll"):
        return "finite"
    if verb.lower_ in ("was", "were", "had"):
        return None  # may agree with a noun before "you": "the people around you were"
    if verb.tag_ == "VBD" or (_after_noun(token) and _past_form(verb)):
        return "finite"  # "the Queen you nearly lost" (a relative clause without "that")
    return None


def word_after_adverbs(token: Token) -> Token | None:
    """The first word after ``token`` that is not an adverb (nor a comma between adverbs:
    "you absolutely, completely don't")."""
    doc = token.doc
    i = token.i + 1
    while i < len(doc) and (
        (doc[i].tag_ in _ADVERB_TAGS and doc[i].lower_ not in _NEGATIONS)
        or (
            doc[i].text == ","
            and doc[i - 1].tag_ in _ADVERB_TAGS
            and i + 1 < len(doc)
            and doc[i + 1].tag_ in _ADVERB_TAGS
        )
    ):
        i += 1
    return doc[i] if i < len(doc) else None


def _paired_subject(token: Token) -> bool:
    """ "Both you and Sokka", "Either you or Kylo" opening a clause: the pair is its subject
    (after a verb, "thanks both you and Sokka", it is an object)."""
    if token.i == 0 or token.doc[token.i - 1].lower_ not in ("both", "either", "neither"):
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return (
        following is not None
        and following.lower_ in ("and", "or", "nor")
        and _opens_with(token.doc[token.i - 1])
    )


def _opens_with(token: Token) -> bool:
    """Is ``token`` the first word of a clause (after punctuation or a conjunction)?"""
    before = token.doc[token.i - 1] if token.i > 0 else None
    return before is None or before.is_punct or before.dep_ in ("cc", "mark")


def _base_form(word: Token) -> bool:
    return word.lower_ in lemmas_of(word.lower_).get("VERB", ()) and word.tag_ not in ("DT", "CC")


def _after_noun(token: Token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].tag_ in _NOUNS


def _past_form(word: Token) -> bool:
    """A past form of a verb, whatever it was tagged ("lost" as an adjective)."""
    return word.tag_ in ("VBN", "JJ") and is_past_form(word.text)


_NEGATIONS = words("n't n’t not never")


def _object_before_main_verb(token: Token) -> bool:
    """ "The man who hurt you will pay": the parse makes "you" the object of the verb before
    it and gives the modal after it a subject of its own; then the parse is right."""
    verb = word_after_adverbs(token)
    if token.dep_ not in ("dobj", "dative") or token.head.i > token.i or verb is None:
        return False
    clause = verb.head if verb.dep_ in ("aux", "auxpass") else verb
    return any(c.dep_ in SUBJECT_DEPS and c.i != token.i for c in clause.children)


def _third_singular_head(token: Token) -> bool:
    """ "you" never takes is/was/has/does: a subject of such a verb is someone else's word."""
    head = token.head
    verb = next((c for c in head.children if c.dep_ in ("aux", "auxpass")), head)
    return verb.tag_ == "VBZ" or verb.lower_ == "was"


def _after_participle_or_preposition(token: Token) -> bool:
    """Right after a participle or a preposition, "you" is its object, whatever the parser
    made of it (a subordinator such as "because" or "than" opens a clause instead)."""
    if token.i == 0:
        return False
    before = token.doc[token.i - 1]
    if before.lower_ in _PARTICIPLE_SUBORDINATORS:
        return False
    if before.tag_ in ("VBG", "VBN") and before.dep_ not in ("aux", "auxpass"):
        return before.lower_ not in ("being", "having", "been")
    return before.tag_ == "IN" and before.dep_ == "prep" and before.lower_ not in _CLAUSE_OPENERS


_CLAUSE_OPENERS = frozenset(
    {
        "because",
        "than",
        "as",
        "if",
        "since",
        "though",
        "although",
        "while",
        "once",
        "until",
        "till",
        "before",
        "after",
        "unless",
        "whether",
        "that",
        "so",
        "like",
    }
)


def _before_hyphenated_verb(token: Token) -> bool:
    """ "when you half-woke": "you" opening a clause before an adverb-verb compound."""
    doc = token.doc
    if token.i + 3 >= len(doc) or doc[token.i + 2].text != "-":
        return False
    before = doc[token.i - 1] if token.i > 0 else None
    opens = before is None or before.is_punct or before.dep_ in ("mark", "cc", "advmod")
    verb = doc[token.i + 3]
    return opens and past_or_present_verb(verb.text) and not verb.lower_.endswith("ing")


def _bare_infinitive_object(token: Token) -> bool:
    """After let/make/watch/see/hear/feel…, "you" + a base-form verb is an object, even when the
    tagger reads that verb as finite ("Natasha watches you walk away" tagged walk/VBP)."""
    doc = token.doc
    if token.i == 0 or token.i + 1 >= len(doc):
        return False
    verb, following = doc[token.i - 1], doc[token.i + 1]
    return (
        verb.tag_.startswith("VB")
        and verb.lemma_.lower() in BARE_INFINITIVE_VERBS
        and following.tag_ in ("VB", "VBP")
        and following.lower_ == following.lemma_.lower()
        and following.lower_ not in ("be", "have")
    )


def _opens_clause(token: Token) -> bool:
    """ "so you and Shadow step off": a subject right after a clause opener, of a base-form verb
    (tagged VB as the parser lost the clause), is a finite clause's subject; only a verb before
    it ("let you and Shadow go") makes a bare infinitive."""
    head = token.head
    before = token.doc[token.i - 1] if token.i > 0 else None
    opens = before is None or before.is_punct or before.dep_ in ("cc", "mark", "advmod")
    infinitive = head.dep_ == "xcomp" or any(c.tag_ == "TO" for c in head.children)
    return opens and head.i > token.i and head.tag_ == "VB" and not infinitive


def _verb_tagged_as_noun(token: Token) -> bool:
    """ "and you blush", "“Fine,” you mutter": the word right after a clause-initial "you" is
    its verb even when the tagger calls it a noun or an adjective."""
    head = token.head
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and (before.tag_.startswith("VB") or before.dep_ == "prep"):
        return False  # "holding you steady": you is the object of the verb before it
    opens_clause = before is None or before.is_punct or before.dep_ in ("cc", "mark")
    return (
        head.i == token.i + 1
        and not head.tag_.startswith("VB")
        and (head.tag_ in _NOUNS and head.dep_ in ("conj", "ROOT") or opens_clause)
        and past_or_present_verb(head.text)
    )


_EXCEPTIVE_HEADS = frozenset(
    [
        "all",
        "everyone",
        "everybody",
        "nobody",
        "none",
        "anyone",
        "anybody",
        "everything",
        "nothing",
        "no",
        "each",
        "every",
    ]
)


def _exceptive_but(token: Token) -> bool:
    """ "All of them but you were gone": "but" means "except", so "you" is its object."""
    doc = token.doc
    if token.i < 2 or doc[token.i - 1].lower_ != "but":
        return False
    for back in range(token.i - 2, max(-1, token.i - 7), -1):
        if doc[back].is_punct:
            return False
        if doc[back].lower_ in _EXCEPTIVE_HEADS:
            return True
    return False


def _clause_initial_partner(token: Token) -> tuple[Token, str] | None:
    """ "Bucky and you share a look", "Nobody but you heard it", parsed as separate clauses.

    When a short noun phrase opens the clause and is joined to "you" by and/or/but, it is the
    reader's partner in one subject, whatever the parse says.
    """
    doc = token.doc
    if token.i < 2 or doc[token.i - 1].lower_ not in ("and", "or", "but"):
        return None
    i = token.i - 2
    words = 0
    while i >= 0 and doc[i].tag_ in _NOUN_PHRASE_TAGS and words < 4:
        i -= 1
        words += 1
    opens_clause = i < 0 or doc[i].is_punct or doc[i].dep_ in ("mark", "cc")
    phrase = doc[i + 1 : token.i - 1]
    if words == 0 or not opens_clause or not any(_nominal(t) for t in phrase):
        return None
    return doc[token.i - 2], doc[token.i - 1].lower_


def _nominal(token: Token) -> bool:
    return token.tag_ in _NOUNS or (token.tag_ == "JJ" and token.is_title)  # "Bucky"/JJ


_NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_NOUN_PHRASE_TAGS = _NOUNS | {"DT", "JJ", "PRP$", "POS", "CD"}


def _first_conjunct(token: Token) -> tuple[Token, bool]:
    first = token
    excluded = False
    while first.dep_ == "conj":
        first = first.head
        excluded = excluded or any(
            c.dep_ == "cc" and c.lower_ in ("but", "except") for c in first.children
        )
    return first, excluded


def _looks_like_subject(token: Token) -> bool:
    """A "you" at a clause start, followed by a verb form, is the subject."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if after is None or not (after.tag_.startswith("VB") or past_or_present_verb(after.text)):
        return False
    return before is None or before.is_punct or before.dep_ in ("cc", "mark") or before.is_space


def _mark_coordination(reference: Reference) -> None:
    token = reference.token
    leading = _clause_initial_partner(token)
    if leading is not None:
        reference.partner = leading[0]
        return
    if token.dep_ == "conj":
        reference.partner = token.head
        return
    partners = [c for c in token.children if c.dep_ == "conj"]
    if len(partners) > 1 and _joined_by_and(token, partners[0]):
        partners = partners[:1]  # "between you and Dean but the car": the "and" pair
    sibling = _listed_subject(token)
    if sibling is not None:
        partners = [sibling]  # "You, Ron and Hermione are": parsed as two subjects
    if len(partners) == 1:
        reference.partner = partners[0]
        chain = [*token.children, *partners[0].subtree]  # "you, Kylo and Rey": and is under Kylo
        reference.leads_coordination = any(t.dep_ == "cc" and t.lower_ == "and" for t in chain)


def _joined_by_and(token: Token, partner: Token) -> bool:
    between = token.doc[token.i + 1 : partner.i]
    return [t.lower_ for t in between if not t.is_space][:1] == ["and"]


def _listed_subject(token: Token) -> Token | None:
    """ "You, Ron and Hermione are": the parser gives the verb two subjects; the second, right
    after the comma and ending in an "and" list, is the reader's partner."""
    doc = token.doc
    if token.dep_ not in SUBJECT_DEPS or token.i + 2 >= len(doc) or doc[token.i + 1].text != ",":
        return None
    other = doc[token.i + 2]
    joined = any(c.dep_ == "cc" and c.lower_ == "and" for c in other.children)
    same_verb = other.head.i == token.head.i and other.dep_ in SUBJECT_DEPS
    return other if same_verb and joined and other.tag_ in _NOUNS else None


_DURATIONS = frozenset(
    [
        "day",
        "night",
        "week",
        "weekend",
        "year",
        "morning",
        "evening",
        "afternoon",
        "along",
        "summer",
    ]
)


def _goes_with_you(token: Token, after: Token) -> bool:
    """ "you two", "you both": the word belongs to "you" unless it counts a following noun
    ("gave you two apples"); "all" before a preposition or a stretch of time is adverbial
    ("teased you all through school", "watched you all night")."""
    doc = token.doc
    following = doc[after.i + 1] if after.i + 1 < len(doc) else None
    adverbial = following is not None and (
        following.pos_ == "ADP" or following.lower_ in _DURATIONS
    )
    if after.lower_ == "all" and (adverbial or _all_is_adverb(following)):
        return False
    if after.head.i == token.i or token.head.i == after.i:
        return True
    return following is None or following.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")


#: Words that make "all" an adverb ("blew you all apart", "you all but ran"); not "so" or
#: "too": "he loves you all so much" is everyone.
_ALL_ADVERBS = words("but apart over along wrong around alone")


def _all_is_adverb(following: Token | None) -> bool:
    """ "follows you all the way", "you all but ran", "blew you all apart": "all" goes with
    what follows (a determiner, "but" = almost, an adverb), not with "you"."""
    if following is None:
        return False
    return following.pos_ == "DET" or following.lower_ in _ALL_ADVERBS


def _mark_plural(reference: Reference) -> None:
    token = reference.token
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if after is not None and after.lower_ in _PLURAL_FOLLOWERS and _goes_with_you(token, after):
        reference.plural = True
        reference.follower = after
    of_you = token.i >= 2 and doc[token.i - 1].lower_ == "of"
    if of_you and (doc[token.i - 2].lower_ in _PLURAL_QUANTIFIERS or doc[token.i - 2].like_num):
        reference.plural = True


def clause_subjects(token: Token) -> Iterator[Token]:
    """Subjects of the clauses around ``token``, innermost first (through coordinated verbs)."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if not node.tag_.startswith("VB"):
            continue
        verb = node
        while verb.dep_ == "conj" and not _subjects(verb):
            verb = verb.head
        if _absolute(verb):
            continue  # "hearts hammering, smothering your laughter": not the clause's subject
        yield from _subjects(verb)[:1]


def _absolute(verb: Token) -> bool:
    """A participle with a subject and no auxiliary, set off from its clause: "hearts
    hammering"."""
    return (
        verb.tag_ in ("VBG", "VBN")
        and verb.dep_ in ("advcl", "npadvmod", "dep")
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


def _subjects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in SUBJECT_DEPS]


def _quantified_reader(subject: Token, by_token: dict[int, Reference]) -> Reference | None:
    """The plural "you" of a quantifier subject: "The three of you", "Both of you"."""
    for child in subject.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                ref = by_token.get(pobj.i)
                if ref is not None and ref.plural:
                    return ref
    return None


def share_plural_subject(references: list[Reference]) -> None:
    """ "You and Juvia grab your coats": a your/yours/yourself whose clause subject is a plural
    or coordinated reader is plural too (our coats, their coats)."""
    by_token = {ref.token.i: ref for ref in references}
    for ref in references:
        if ref.form not in ("determiner", "pronoun", "reflexive") or ref.plural:
            continue
        # the nearest subject that is not the phrase holding this word: "You and your sister"
        # is one subject; in "You both laughed until your sides hurt" it is "You both"
        subject = next((s for s in clause_subjects(ref.token) if ref.token not in s.subtree), None)
        owner = by_token.get(subject.i) if subject is not None else None
        if owner is None and subject is not None:  # "The three of you hold your breath"
            owner = _quantified_reader(subject, by_token)
        if owner is not None and (owner.plural or owner.partner is not None):
            ref.plural = True
