"""A character of a third-person story becomes the reader: their chain → edits.

The references come from the character's chain (``ynsert.analysis.characters``) instead of
the "you" words; the grammar is the reader rewrite's own (``ReaderRewriter``: the verbs a
subject governs, coordination, the cases of the target pronouns), with agreement taken from
the third person singular:

    Elizabeth walks to the window.        →  You walk to the window.
    She was tired, and she has a cold.    →  You were tired, and you have a cold.
    Elizabeth's letter lay on her desk.   →  Your letter lay on your desk.
    She told herself it did not matter.   →  You told yourself it did not matter.
    (--to third --name Mara --pronouns they)  Mara walks … They were tired, and they have …

Only chain mentions in narration that the chain is sure of change (confidence ≥ ``CERTAIN``);
unsure pronouns stay, each with a note. Dialogue and every other character stay as written.

>>> from ynsert.rewrite.character import rewrite_character
>>> story = "Anna Reyes opened the door. She smiled, and the dog ran to her."
>>> rewrite_character(story, "Anna", to="second").text
'You opened the door. You smiled, and the dog ran to you.'
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ynsert.analysis.characters import CERTAIN, Chain, Characters, Mention, characters_of
from ynsert.document import Document
from ynsert.document.segment import Sentence
from ynsert.edits import Edit, Rewrite
from ynsert.errors import ProfileError, UnknownCharacter
from ynsert.rewrite import _without_overlaps, story_apostrophe
from ynsert.rewrite.engine import Profile, ReaderRewriter, _starts_sentence, negation_after
from ynsert.rewrite.grammar import (
    AUX_DEPS,
    SUBJECT_DEPS,
    coordinated_verbs,
    is_finite,
    is_verb,
    match_case,
)
from ynsert.rewrite.references import Form, Reference, _mark_coordination
from ynsert.vocab.persons import (
    BE_FORMS,
    CONTRACTED_BE,
    FIRST_PERSON,
    PRESETS,
    SECOND_PERSON,
    Agreement,
    PronounSet,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Target = Literal["first", "second", "third"]

#: he/she words → their form when the word alone tells it ("her" and "his" need the parse).
_WORD_FORMS: dict[str, Form] = {
    **{PRESETS[p].subject: "subject" for p in ("he", "she")},
    PRESETS["he"].object: "object",
    PRESETS["she"].pronoun: "pronoun",
    **{PRESETS[p].reflexive: "reflexive" for p in ("he", "she")},
}
_POSSESSIVE_CLITICS = frozenset({"'s", "’s", "'", "’"})


@dataclass
class ChainReference(Reference):
    """A reference taken from a chain: the whole mention span is what changes."""

    start: int = 0
    end: int = 0
    mention: Mention | None = None
    first: Token | None = None  # the mention's first token (the head may come later)


def rewrite_character(
    text: str | Document,
    character: str,
    *,
    to: Target = "second",
    name: str | None = None,
    pronouns: str | PronounSet = "she",
    plural_verbs: bool | None = None,
) -> Rewrite:
    """Rewrite ``character`` of a third-person story into the reader.

    ``to="second"`` (you) or ``"first"`` (I); ``"third"`` needs ``name`` (the reader's name
    replaces the character's names) and uses ``pronouns`` for the character's pronouns.
    """
    if to not in ("first", "second", "third"):
        raise ValueError(f"cannot rewrite to {to!r}: choose 'third', 'first' or 'second'")
    if to == "third" and not name:
        raise ProfileError(
            "reading as a character in the third person needs the reader's name (--name); "
            "or choose --to second or --to first"
        )
    document = Document.of(text)
    characters = characters_of(document)
    chain = characters.chain(character)
    if chain is None:
        raise UnknownCharacter(_not_found(character, characters))
    if isinstance(pronouns, str):
        pronouns = PronounSet.parse(pronouns, plural=plural_verbs)
    target = {"first": FIRST_PERSON, "second": SECOND_PERSON}.get(to, pronouns)
    profile = Profile(to=to, pronouns=target, name=name, names="first", source="second")
    rewriter = ChainRewriter(document.story, profile, document.parse)
    rewriter.mentions = chain.certain()
    rewriter.story_apostrophe = story_apostrophe(document.text)
    edits = [e for e in rewriter.edits() if document.text[e.start : e.end] == e.old]
    notes = _notes(document, characters, chain)
    return Rewrite(document.text, _without_overlaps(edits), notes)


def _not_found(character: str, characters: Characters) -> str:
    names = characters.names()
    listed = ", ".join(names[:12]) if names else "none found"
    return f"no character {character!r} in this story (characters: {listed})"


def _notes(document: Document, characters: Characters, chain: Chain) -> list[str]:
    """Why some mentions stayed: pronouns the chain holds but is not sure enough of, and the
    unsure ones that could be this character, in text order."""
    from ynsert.analysis.base import TextIndex

    index = TextIndex(document.text)
    found = [
        (
            m.start,
            f"{m.text!r} is probably {chain.name} ({m.rule}, {m.confidence:.2f}), "
            "not sure enough: left as it is",
        )
        for m in chain.mentions
        if m.narration and m.confidence < CERTAIN
    ]
    found += [(u.start, u.note) for u in characters.unsure if chain.name in u.candidates]
    return [f"{':'.join(map(str, index.line_col(start)))}: {note}" for start, note in sorted(found)]


class ChainRewriter(ReaderRewriter):
    """The reader rewrite driven by a chain's mentions instead of the "you" words."""

    mentions: list[Mention]

    def edits(self) -> Iterator[Edit]:
        by_sentence: dict[tuple[int, int], list[Mention]] = defaultdict(list)
        sentences: dict[tuple[int, int], Sentence] = {}
        every = list(self.story.sentences())
        starts = [s.start for s in every]
        for mention in sorted(self.mentions, key=lambda m: m.start):
            sentence = every[bisect.bisect_right(starts, mention.start) - 1]
            if sentence.start <= mention.start < sentence.end:
                key = (sentence.start, sentence.end)
                by_sentence[key].append(mention)
                sentences[key] = sentence
        chosen = list(sentences.values())
        for sentence, doc in zip(chosen, self.parse.docs(chosen), strict=True):
            yield from self._chain_sentence(
                sentence, doc, by_sentence[(sentence.start, sentence.end)]
            )

    def _chain_sentence(
        self, sentence: Sentence, doc: Doc, mentions: list[Mention]
    ) -> Iterator[Edit]:
        base = sentence.start
        references = [r for m in mentions if (r := self._reference(doc, base, m)) is not None]
        claimed: set[int] = set()
        for ref in references:
            use_name = (
                self.profile.to == "third"
                and ref.mention is not None
                and ref.mention.kind != "pronoun"
            )
            yield from self._reference_edits(ref, base, use_name, claimed)

    def _reference(self, doc: Doc, base: int, mention: Mention) -> ChainReference | None:
        span = doc.char_span(mention.start - base, mention.end - base, alignment_mode="expand")
        if span is None or not len(span):
            return None
        tokens = list(span)
        inside = {t.i for t in tokens}
        head = next((t for t in tokens if t.head.i not in inside), tokens[-1])
        end = mention.end
        if mention.kind == "pronoun":
            form = _pronoun_form(head)
        else:
            following = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < len(doc) else None
            if (
                following is not None
                and following.lower_ in _POSSESSIVE_CLITICS
                and following.tag_ == "POS"
            ):
                end = base + following.idx + len(following)
                form = "determiner" if head.dep_ == "poss" else "pronoun"
            else:
                form = _name_form(head)
        ref = ChainReference(
            head, form, start=mention.start, end=end, mention=mention, first=tokens[0]
        )
        _mark_coordination(ref)
        return ref

    # --- the words ---

    def _word_edits(self, ref: Reference, base: int, use_name: bool) -> Iterator[Edit]:
        assert isinstance(ref, ChainReference) and ref.mention is not None
        old = self.story.text[ref.start : ref.end]
        mention = ref.mention
        why = (
            f"{mention.text!r} is a {mention.kind} of the character "
            f"({mention.rule}, {mention.confidence:.2f})"
        )
        if use_name:
            new = self.profile.name or ""
            if ref.form in ("determiner", "pronoun"):
                new += self.story_apostrophe + "s"
            yield Edit(ref.start, ref.end, old, new, f"reader's name: {why}", "YN-C-NAME")
            return
        word = self._form(self.profile.pronouns, ref.form)
        if word != "I":  # "I" is capitalised everywhere, the others where a sentence starts
            capital = _starts_sentence(ref.first) if ref.first is not None else old[:1].isupper()
            word = match_case("X" if capital else "x", word)
        code = "YN-C-PRON" if mention.kind == "pronoun" else "YN-C-NAME"
        yield Edit(ref.start, ref.end, old, word, f"reader {ref.form}: {why}", code)

    # --- the verbs ---

    def _subject_verbs(self, ref: Reference) -> Iterable[Token]:
        token = ref.token
        if token.dep_ not in SUBJECT_DEPS:  # the parse missed it: "for a minute Amy was sorry"
            after = _verb_after(token)
            return [after] if after is not None else []
        if not is_finite(token.head):
            return []
        head = token.head
        verbs = [_finite(head)]
        for verb in coordinated_verbs(head):
            verbs.append(_own(verb))
        return [v for v in verbs if v is not None]

    def _verb_edits(self, ref: Reference, verb: Token, agreement: str, base: int) -> Iterator[Edit]:
        start = base + verb.idx
        if not self.story.is_narrative(start, start + len(verb)):
            return
        negation = negation_after(verb)
        if (
            agreement == "1sg"
            and verb.lower_ == "is"
            and negation is not None
            and verb.i > ref.token.i
        ):
            yield self.am_not(verb, negation, base, "YN-C-VERB")  # she isn't → I am not
            return
        new = agree_from_third(verb, agreement)  # type: ignore[arg-type]
        if new is not None and new != verb.text:
            yield Edit(start, start + len(verb), verb.text, new, "verb agreement", "YN-C-VERB")


def _pronoun_form(token: Token) -> Form:
    lower = token.lower_
    if lower in _WORD_FORMS:
        return _WORD_FORMS[lower]
    possessive = token.tag_ == "PRP$" or token.dep_ == "poss"
    if lower == PRESETS["she"].object:  # her: her hand / saw her / made her wander
        owned = token.head.i > token.i and token.head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")
        return "determiner" if possessive and owned else "object"
    return "determiner" if possessive else "pronoun"  # his: his hand / the hand is his


def _name_form(head: Token) -> Form:
    if head.dep_ in SUBJECT_DEPS or _verb_after(head) is not None:
        return "subject"
    if head.dep_ == "conj":
        first = head.head
        while first.dep_ == "conj":
            first = first.head
        if first.dep_ in SUBJECT_DEPS:
            return "subject"
    return "object"


def _verb_after(token: Token) -> Token | None:
    """A finite verb right after a name that the parse gave no subject: the name's own."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if after is None or after.tag_ not in ("VBZ", "VBD") or token.dep_ in SUBJECT_DEPS:
        return None
    if any(c.dep_ in SUBJECT_DEPS for c in after.children):
        return None
    return after


def _finite(head: Token) -> Token | None:
    """The word that agrees with ``head``'s subject: its first auxiliary, or itself."""
    auxiliaries = sorted((c for c in head.children if c.dep_ in AUX_DEPS), key=lambda t: t.i)
    first = auxiliaries[0] if auxiliaries else head
    return first if first.tag_ in ("VBZ", "VBD", "VBP") else None


def _own(verb: Token) -> Token | None:
    auxiliaries = sorted((c for c in verb.children if c.dep_ in AUX_DEPS), key=lambda t: t.i)
    if auxiliaries:
        return auxiliaries[0] if auxiliaries[0].tag_ in ("VBZ", "VBD") else None
    return verb if verb.tag_ in ("VBZ", "VBD") else None


def agree_from_third(verb: Token, agreement: Agreement) -> str | None:
    """The form of a 3sg verb for ``agreement``: she is → you are / I am, she was → you were,
    she walks → you walk, she has → you have; None when it does not change."""
    if agreement == "3sg" or verb.tag_ == "MD" or not is_verb(verb):
        return None
    lower = verb.lower_
    if lower in ("'s", "’s"):
        if verb.lemma_.lower() == "have" or _perfect(verb):
            return verb.text[0] + "ve"
        return verb.text[0] + CONTRACTED_BE[agreement]
    if lower == "is":
        return match_case(verb.text, BE_FORMS["present"][agreement])
    if lower == "was":
        return match_case(verb.text, "were") if agreement == "plural" else None
    if verb.tag_ != "VBZ":
        return None
    from ynsert.rewrite.grammar import _lemminflect

    lemmas = _lemminflect().getAllLemmas(lower).get("VERB") or (verb.lemma_.lower(),)
    return match_case(verb.text, lemmas[0])


def _perfect(verb: Token) -> bool:
    """ "she's gone", "she's been": the clitic is "has" before a past participle."""
    head = verb.head
    return head.lower_ == "been" or (
        verb.dep_ == "aux" and head.tag_ == "VBN" and head.lower_ != "gone"
    )


def characters_in(document: Document) -> Mapping[str, str | None]:
    """Character name → gender, for the pages that offer "read as …"."""
    return {c.name: c.gender for c in characters_of(document).chains}
