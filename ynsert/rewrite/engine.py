"""The rewrite: reader references in narration → edits, sentence by sentence.

Only sentences whose narration mentions the reader are parsed (in batches, NER off), which is
what keeps a rewrite close to the cost of a bare parse. Each parsed sentence yields edits for
the reader words (pronoun or name), the verbs that agree with a reader subject, contractions,
and first-person word order ("You and Kylo" → "Kylo and I").

    Blurt out that you want cake, and listen.   →  "listen" goes with the command (not agreed)
    You see Aizawa sigh and rub his eyes.       →  "rub" is Aizawa's (not agreed)
    You hiss-whisper a curse.                   →  She hiss-whispers (the ending goes last)
    YOU’RE LATE, you think.                     →  SHE’S LATE (a contraction left whole)
    Both you and Sokka flinch.                  →  Both I and Sokka (no reorder: "flinch" is
                                                   parsed inside the pair)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Literal

from ynsert.document.parse import Parse
from ynsert.document.segment import Sentence, Story
from ynsert.edits import Edit
from ynsert.placeholders import Placeholder
from ynsert.rewrite.glued import GLUED, glued_reader, unsplit_contraction
from ynsert.rewrite.grammar import (
    BARE_INFINITIVE_VERBS,
    SUBJECT_DEPS,
    agree,
    agree_from_first,
    coordinated_verbs,
    finite_verb,
    has_own_subject,
    is_verb,
    lemmas_of,
    match_case,
    own_auxiliary_or_self,
    past_or_present_verb,
    sentence_tense,
    stray_series_verbs,
    third_singular_of,
)
from ynsert.rewrite.idioms import idiom_ranges
from ynsert.rewrite.naming import pronouns_of_names
from ynsert.rewrite.plural import mark_implicit_plurals
from ynsert.rewrite.references import (
    COLLECTIVE_CUES,
    Reference,
    classify,
    classify_first,
    is_narrator_word,
    is_reader_word,
    share_plural_subject,
    word_after_adverbs,
)
from ynsert.vocab.persons import (
    CONTRACTED_BE,
    FIRST_PERSON,
    FIRST_PERSON_WORDS,
    FIRST_PLURAL,
    FIRST_PLURAL_WORDS,
    SECOND_PERSON_WORDS,
    SECOND_PLURAL,
    THIRD_PLURAL,
    PronounSet,
    words_pattern,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Naming = Literal["first", "smart", "none"]
BATCH_SIZE = 256
#: Sentences parsed together, then rewritten, before the next ones are parsed.
CHUNK_SENTENCES = 4 * BATCH_SIZE
_READER = re.compile(words_pattern(SECOND_PERSON_WORDS), re.IGNORECASE)
#: The narrator of a first-person reader-insert: "I" only capitalised, the other words any case.
_NARRATOR = re.compile(
    r"\bI\b|(?i:" + words_pattern((FIRST_PERSON_WORDS - {"i"}) | FIRST_PLURAL_WORDS) + ")"
)
#: Marks that may stand between a sentence start and its first word ("*I", "“I").
_OPENERS = frozenset({"*", "_", "“", "‘", '"', "'", "(", "[", "<", ">", "em", "/", "i"})
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
#: Right after an italic span: "<em>You'll stay</em>, you repeat" — the italics are words said
#: or thought, reported like dialogue, not narration.
_REPORTING = re.compile(
    r"[,.!?…]?\s*(?:[,—–]\s*)?(?:you|I|he|she|they)\s+(?:\w+ly\s+)?"
    r"(?:repeat|echo|say|said|think|thought|whisper|murmur|mutter|tell|told|ask|answer|repl)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Profile:
    """Who the reader becomes: person, pronouns, name and naming policy."""

    to: Literal["first", "second", "third"] = "third"
    pronouns: PronounSet = FIRST_PERSON
    name: str | None = None
    names: Naming = "smart"
    #: The person the story is told in: to "you" (second) or by the reader as "I" (first).
    source: Literal["second", "first"] = "second"

    @property
    def plural_set(self) -> PronounSet:
        return {"first": FIRST_PLURAL, "second": SECOND_PLURAL}.get(self.to, THIRD_PLURAL)

    @property
    def reader_pattern(self) -> re.Pattern[str]:
        return _NARRATOR if self.source == "first" else _READER

    def same_pronoun_pattern(
        self, names: Mapping[str, str] | None = None
    ) -> re.Pattern[str] | None:
        """Other characters' pronouns that would make the reader's pronoun ambiguous, and the
        names of the characters known (``names``: name → "he"/"she") to take the same one."""
        if self.to != "third":
            return None
        words = "|".join(sorted({re.escape(f.lower()) for f in self.pronouns.forms()}))
        subject = self.pronouns.subject.lower()
        alike = sorted(
            re.escape(n) for n, p in (names or {}).items() if p == subject and n != self.name
        )
        named = rf"|\b(?:{'|'.join(alike)})\b" if alike else ""
        return re.compile(rf"\b(?i:{words})\b{named}")


@dataclass
class _Target:
    """A sentence chosen for parsing, with what the naming policy needs to know about it."""

    sentence: Sentence
    #: Offsets of other characters' same-pronoun words and names in this sentence's narration.
    clashes: tuple[int, ...] = ()
    #: The previous sentence referred to another character who takes the reader's pronoun.
    after_clash: bool = False
    #: A filled Y/N in this sentence's narration already names the reader.
    names_reader: bool = False


@dataclass
class ReaderRewriter:
    story: Story
    profile: Profile
    parse: Parse
    placeholders: list[Placeholder] = field(default_factory=list)
    #: Where the narration first names the reader through a filled Y/N, if it does.
    named_at: int | None = None
    named: bool = False
    #: Where a filled Y/N (the reader's name) stands in narration.
    name_offsets: tuple[int, ...] = ()
    #: The story's apostrophe style, detected once per document.
    story_apostrophe: str = "'"
    #: Only these ``[start, end)`` paragraph ranges are rewritten (None: the whole story);
    #: a story can tell one chapter to "you" and the next by "I".
    paragraphs: Sequence[tuple[int, int]] | None = None
    _group_context: bool = False  # the previous sentence had "you and X" as subject
    _tense: str | None = None  # the tense of the last sentence that showed one
    _protected: list[tuple[int, int]] = field(default_factory=list)  # reported italics

    # --- selecting and parsing ------------------------------------------------------------

    def _reported_emphasis(self) -> list[tuple[int, int]]:
        text = self.story.text
        return [
            (s.start, s.end)
            for s in self.story.spans("emphasis")
            if _REPORTING.match(text, s.end, min(len(text), s.end + 60))
        ]

    def edits(self) -> Iterator[Edit]:
        self._protected = self._reported_emphasis()
        targets = self._targets()
        # a chunk at a time: the docs of a long work's sentences are never all alive at once
        # (the parse keeps them only up to its budget)
        while chunk := list(islice(targets, CHUNK_SENTENCES)):
            docs = self.parse.docs([t.sentence for t in chunk])
            for target, doc in zip(chunk, docs, strict=True):
                yield from self._sentence_edits(target, doc)

    def _targets(self) -> Iterator[_Target]:
        pattern = self._clash_pattern()
        previous_clash = False
        starts = [start for start, _ in self.paragraphs or ()]
        for sentence in self.story.sentences():
            clashes = tuple(self._narration_offsets(pattern, sentence)) if pattern else ()
            if self._in_paragraphs(starts, sentence) and (
                self._narration_matches(self.profile.reader_pattern, sentence)
                or (self.profile.source == "second" and self._has_glued_reader(sentence))
            ):
                names_reader = any(sentence.start <= n < sentence.end for n in self.name_offsets)
                yield _Target(sentence, clashes, previous_clash, names_reader)
            previous_clash = bool(clashes)

    def _in_paragraphs(self, starts: list[int], sentence: Sentence) -> bool:
        if self.paragraphs is None:
            return True
        i = bisect.bisect_right(starts, sentence.paragraph) - 1
        return i >= 0 and sentence.paragraph < self.paragraphs[i][1]

    def _clash_pattern(self) -> re.Pattern[str] | None:
        """Words of other characters who take the reader's pronoun (only `smart` looks)."""
        profile = self.profile
        if profile.names != "smart" or not profile.name:
            return None
        return profile.same_pronoun_pattern(pronouns_of_names(self.story))

    def _narration_offsets(self, pattern: re.Pattern[str], sentence: Sentence) -> Iterator[int]:
        for m in pattern.finditer(self.story.text, sentence.start, sentence.end):
            if self.story.is_narrative(m.start(), m.end()):
                yield m.start()

    def _narration_matches(self, pattern: re.Pattern[str], sentence: Sentence) -> bool:
        return any(
            self.story.is_narrative(m.start(), m.end())
            for m in pattern.finditer(self.story.text, sentence.start, sentence.end)
        )

    def _has_glued_reader(self, sentence: Sentence) -> bool:
        return any(
            self.story.is_narrative(m.start(), m.end()) and glued_reader(m.group()) is not None
            for m in GLUED.finditer(self.story.text, sentence.start, sentence.end)
        )

    # --- one sentence -----------------------------------------------------------------------

    def _sentence_edits(self, target: _Target, doc: Doc) -> Iterator[Edit]:
        base = target.sentence.start
        idioms = idiom_ranges(self.story.text, base, target.sentence.end)
        first = self.profile.source == "first"
        is_reader, classify_token = (
            (is_narrator_word, classify_first) if first else (is_reader_word, classify)
        )
        references = [
            classify_token(token)
            for token in doc
            if is_reader(token)
            and self.story.is_narrative(base + token.idx, base + token.idx + len(token))
            and not (not first and any(s <= base + token.idx < e for s, e in idioms))
            and not any(s <= base + token.idx < e for s, e in self._protected)
        ]
        if not first:
            mark_implicit_plurals(references)
        self._mark_group_plurals(references)
        if not first:
            share_plural_subject(references)  # after the group's plural: "your footing" too
        self._tense = sentence_tense(doc) or self._tense
        if target.names_reader:
            self.named = True  # "You ran, Y/N.": the name is in the sentence already
        chosen = self._ambiguous_references(target, references, base)
        claimed: set[int] = set()
        for ref in references:
            if ref.token.i in claimed:
                continue  # already rewritten inside a "my sister and I" swap
            if self.named_at is not None and self.named_at < base + ref.token.idx:
                self.named = True  # "Y/N's coffee was cold, but you drank it": already named
            use_name = self._wants_name(ref, ref.token.i in chosen)
            yield from self._reference_edits(ref, base, use_name, claimed)
        if not first:
            yield from self._glued_edits(doc, base)

    def _unsplit_edits(self, token: Token, base: int) -> Iterator[Edit]:
        """ "YOU’RE" (one token) → "SHE’S" / "I’M": the subject, then its clitic."""
        parts = unsplit_contraction(token.text)
        start = base + token.idx
        if parts is None or not self.story.is_narrative(start, start + len(token)):
            return
        subject, clitic = parts
        pronouns = self.profile.pronouns
        new = self._cased(subject, pronouns.subject)
        yield Edit(start, start + len(subject), subject, new, "reader subject", "YN-R-PRON")
        agreement = pronouns.agreement
        be = {"re": CONTRACTED_BE.get(agreement, "re")}
        agreed = {**be, "ve": "s" if agreement == "3sg" else "ve"}.get(clitic.lower())
        if agreed is not None and agreed != clitic.lower():
            at = start + len(token) - len(clitic)
            yield Edit(
                at,
                at + len(clitic),
                clitic,
                match_case(clitic, agreed),
                "verb agreement",
                "YN-R-VERB",
            )

    def _glued_edits(self, doc: Doc, base: int) -> Iterator[Edit]:
        """ "brushingyour hair" → "brushingher hair": the reader word inside a glued token."""
        pronouns = self.profile.pronouns
        for token in doc:
            yield from self._unsplit_edits(token, base)
            glued = None if is_reader_word(token) else glued_reader(token.text)
            start = base + token.idx + (glued.offset if glued else 0)
            if glued is None or not self.story.is_narrative(start, start + len(glued.word)):
                continue
            yield Edit(
                start,
                start + len(glued.word),
                glued.word,
                self._cased(glued.word, self._form(pronouns, glued.form)),
                f"reader {glued.form} (glued to {glued.neighbour!r})",
                "YN-R-PRON",
            )
            verb = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if glued.form == "subject" and verb is not None and verb.tag_ in ("VBP", "VB"):
                new = agree(verb, pronouns.agreement, self._tense)  # type: ignore[arg-type]
                if new is not None and new != verb.text:
                    at = base + verb.idx
                    yield Edit(at, at + len(verb), verb.text, new, "verb agreement", "YN-R-VERB")

    def _mark_group_plurals(self, references: list[Reference]) -> None:
        """After "You and Kylo …" or "You're old pros", a subject "you" of a collective clause
        ("you'll get it all back together") is both of them."""
        group_context, self._group_context = self._group_context, False
        for ref in references:
            if ref.form == "subject" and (ref.partner is not None or ref.plural):
                self._group_context = True
            if group_context and ref.form == "subject" and ref.partner is None:
                ref.plural = ref.plural or _collective_clause(ref.token)

    def _ambiguous_references(
        self, target: _Target, references: list[Reference], base: int
    ) -> set[int]:
        """Token indices of the references whose pronoun would read as another "she".

        The name goes where the clash is: on the first reader reference of a sentence after
        one that mentions another "she", and for each clash inside the sentence on the reader
        reference right after it, unless that one is an object of the clash's own clause
        ("she's been expecting you" → "her" is clear), or there is none: then on the one right
        before it, if the sentence does not name the reader already.
        """
        nameable = [r for r in references if not r.plural and r.form != "reflexive"]
        if target.names_reader or not nameable:
            return set()
        chosen = {nameable[0].token.i} if target.after_clash else set()
        # under `first` the sentence's first reference is the name anyway
        first_named = not self.named and (
            self.named_at is None or self.named_at >= base + nameable[0].token.idx
        )
        for clash in target.clashes:
            after = next((r for r in nameable if base + r.token.idx > clash), None)
            before = next((r for r in reversed(nameable) if base + r.token.idx < clash), None)
            # the one before: always when the one after is bound apart; when the clash ends
            # the sentence, only if nothing names the reader yet ("Mara smiled, and she…")
            back = before is not None and (after is not None or not (chosen or first_named))
            pick = (
                before if back and (after is None or _bound_apart(after, clash - base)) else after
            )
            if pick is not None:
                chosen.add(pick.token.i)
        return chosen

    def _wants_name(self, ref: Reference, ambiguous: bool) -> bool:
        profile = self.profile
        if profile.to != "third" or not profile.name or profile.names == "none":
            return False
        if ref.plural or ref.form == "reflexive":
            return False
        if not self.named or (profile.names == "smart" and ambiguous):
            self.named = True
            return True
        return False

    def _reference_edits(
        self, ref: Reference, base: int, use_name: bool, claimed: set[int]
    ) -> Iterator[Edit]:
        token = ref.token
        if (
            self.profile.to == "first"
            and self.profile.source == "second"
            and ref.leads_coordination
            and not ref.plural
        ):
            swapped = self._first_person_swap(ref, base)
            if swapped:
                claimed.update(range(token.i, ref.partner.right_edge.i + 1))  # type: ignore[union-attr]
                yield swapped
                return
        yield from self._word_edits(ref, base, use_name)
        claimed.add(token.i)
        if ref.form == "subject" and not ref.plural and ref.partner is None:
            agreement = "3sg" if use_name else self.profile.pronouns.agreement
            for verb in self._agreeing_verbs(ref):
                if verb.i not in claimed:
                    claimed.add(verb.i)
                    yield from self._verb_edits(ref, verb, agreement, base)
            if use_name:
                yield from self._expand_contraction(ref, base)

    # --- the reader's own words ----------------------------------------------------------------

    def _word_edits(self, ref: Reference, base: int, use_name: bool) -> Iterator[Edit]:
        token = ref.token
        start = base + token.idx
        if ref.plural:
            yield from self._plural_edits(ref, base)
            return
        if use_name:
            name = self.profile.name or ""
            new = (
                name + self.story_apostrophe + "s"
                if ref.form in ("determiner", "pronoun")
                else name
            )
            yield Edit(
                start, start + len(token), token.text, new, f"reader {ref.form} (name)", "YN-R-NAME"
            )
            return
        word = self._form(self.profile.pronouns, ref.form)
        yield Edit(
            start,
            start + len(token),
            token.text,
            self._cased_token(token, word),
            f"reader {ref.form}",
            "YN-R-PRON",
        )

    def _plural_edits(self, ref: Reference, base: int) -> Iterator[Edit]:
        token = ref.token
        start = base + token.idx
        plural = self.profile.plural_set
        form = ref.form
        follower = ref.follower
        if follower is not None and (follower.lower_ == "guys" or follower.like_num):
            end = base + follower.idx + len(follower)
            if follower.like_num:  # you two → the two of us
                new, reason = f"the {follower.text} of {plural.object}", "plural reader (you two)"
            else:  # you guys → we / us
                new, reason = self._form(plural, form), "plural reader (you guys)"
            old = self.story.text[start:end]
            yield Edit(start, end, old, self._cased(token.text, new), reason, "YN-R-PLURAL")
            return
        word = self._form(plural, form)
        yield Edit(
            start,
            start + len(token),
            token.text,
            self._cased_token(token, word),
            f"plural reader {form}",
            "YN-R-PLURAL",
        )

    def _first_person_swap(self, ref: Reference, base: int) -> Edit | None:
        """You and Kylo → Kylo and I: English puts the first person last."""
        token, partner = ref.token, ref.partner
        assert partner is not None
        doc = token.doc
        between = [t.lower_ for t in doc[token.i + 1 : partner.left_edge.i] if not t.is_space]
        subtree = doc[partner.left_edge.i : partner.right_edge.i + 1]
        start = base + token.idx
        end = base + subtree.end_char
        if between not in (["and"], [","]) or not self.story.is_narrative(start, end):
            return None
        if ref.form == "subject" and not _verb_follows(subtree):
            return None  # the parse put the verb inside the pair ("Sokka flinch"): no reorder
        others = self._first_person_phrase(subtree, base)
        if between == [","]:  # "you, Kylo and Rey" → "Kylo, Rey and I"
            dropped = _drop_last_and(others)
            if dropped is None:
                return None
            others = dropped
        if token.text[:1].isupper():
            others = others[:1].upper() + others[1:]
        me = self._form(FIRST_PERSON, ref.form)
        return Edit(
            start,
            end,
            self.story.text[start:end],
            f"{others} and {me}",
            f"reader {ref.form} (first person last)",
            "YN-R-ORDER",
        )

    def _first_person_phrase(self, phrase: Span, base: int) -> str:
        """The partner phrase with its own reader words in first person ("your sister"), as the
        story writes it (not the parser's stand-in for a placeholder: "Y/B/F and I")."""
        pieces = []
        text = self.story.text
        for token in phrase:
            start = base + token.idx
            end = start + len(token)
            word = text[start:end]
            if is_reader_word(token):
                word = self._cased(word, self._form(FIRST_PERSON, classify(token).form))
            pieces.append(word + text[end : end + len(token.whitespace_)])
        return "".join(pieces).rstrip()

    @staticmethod
    def _form(pronouns: PronounSet, form: str) -> str:
        return {
            "subject": pronouns.subject,
            "object": pronouns.object,
            "determiner": pronouns.determiner,
            "pronoun": pronouns.pronoun,
            "reflexive": pronouns.reflexive,
        }[form]

    @staticmethod
    def _cased(original: str, word: str) -> str:
        return word if word == "I" else match_case(original, word)

    @classmethod
    def _cased_token(cls, token: Token, word: str) -> str:
        """ "I" is capitalised everywhere: its replacement only where a sentence starts."""
        if token.text != "I" or word == "I":
            return cls._cased(token.text, word)
        return match_case("X", word) if _starts_sentence(token) else word

    # --- verbs ---------------------------------------------------------------------------------

    def _agreeing_verbs(self, ref: Reference) -> Iterable[Token]:
        return [*self._subject_verbs(ref), *_relative_clause_verbs(ref.token)]

    def _subject_verbs(self, ref: Reference) -> Iterable[Token]:
        token = ref.token
        if ref.parenthesis_verb is not None:
            verb = ref.parenthesis_verb
            main = verb.head if verb.dep_ in ("aux", "auxpass") else verb
            series = (own_auxiliary_or_self(v) for v in coordinated_verbs(main))
            return [verb, *(v for v in series if v is not None)]
        if token.dep_ not in SUBJECT_DEPS:  # parse failed; trust the word after "you"
            after = word_after_adverbs(token)
            if after is not None and (is_verb(after) or past_or_present_verb(after.text)):
                return [after]
            return []
        head = token.head
        after = word_after_adverbs(token)
        auxiliary = any(c.dep_ in ("aux", "auxpass") for c in head.children)
        if after is not None and head.i == after.i and not is_verb(head) and not auxiliary:
            return [head]  # a verb tagged as a noun: "and you blush", "you just like…"
        first = finite_verb(head)
        verbs = [first]
        for verb in coordinated_verbs(head):
            own = own_auxiliary_or_self(verb)
            if own is None and not is_verb(verb):
                own = verb  # mis-tagged conjunct, agreed as a base-form verb
            if own is verb and verb.tag_ != "VBP" and first is not head:
                continue  # "don't eat or sleep", "can't help but smile": one auxiliary for both
            if own is verb and verb.tag_ == "VB" and _under_imperative(head):
                continue  # "blurt out that you want a baby, and listen": the command goes on
            if own is verb and verb.tag_ == "VB" and _after_bare_infinitive_object(head, verb):
                continue  # "You see Aizawa sigh and rub his eyes": Aizawa rubs them
            verbs.append(own)
        last = max((v for v in verbs if v is not None), key=lambda v: v.i, default=head)
        verbs.extend(v for v in stray_series_verbs(last, token) if v not in verbs)
        return [v for v in verbs if v is not None]

    def am_not(self, verb: Token, negation: Token, base: int, code: str) -> Edit:
        """ "aren't" / "isn't" → "am not": one edit over the verb and its negation."""
        start, end = base + verb.idx, base + negation.idx + len(negation)
        new = match_case(verb.text, "am not")
        return Edit(start, end, self.story.text[start:end], new, "verb agreement", code)

    def _verb_edits(self, ref: Reference, verb: Token, agreement: str, base: int) -> Iterator[Edit]:
        start = base + verb.idx
        if not self.story.is_narrative(start, start + len(verb)):
            return
        negation = negation_after(verb)
        if (
            agreement == "1sg"
            and self.profile.source == "second"
            and verb.lower_ == "are"
            and negation is not None
        ):  # you aren't → I am not; inverted "aren't I" is already right
            if verb.i > ref.token.i:
                yield self.am_not(verb, negation, base, "YN-R-VERB")
            return
        if self.profile.source == "first":
            new = agree_from_first(verb, agreement, self._tense)  # type: ignore[arg-type]
        else:
            new = agree(verb, agreement, self._tense)  # type: ignore[arg-type]
        if new is None or new == verb.text:
            return
        last = _compound_end(verb)
        if last is not None:  # "you hiss-whisper" → "she hiss-whispers": the ending goes last
            new = third_singular_of(last.text) if new.lower().startswith(verb.lower_) else None
            verb, start = last, base + last.idx
        if new is not None:
            yield Edit(start, start + len(verb), verb.text, new, "verb agreement", "YN-R-VERB")

    def _expand_contraction(self, ref: Reference, base: int) -> Iterator[Edit]:
        """Mara'd and Mara'll read badly: write "Mara had", "Mara would", "Mara will"."""
        doc = ref.token.doc
        if ref.token.i + 1 >= len(doc):
            return
        clitic = doc[ref.token.i + 1]
        start = base + clitic.idx
        if clitic.lower_ in ("'ll", "’ll"):
            yield Edit(
                start,
                start + len(clitic),
                clitic.text,
                " will",
                "contraction (name)",
                "YN-R-CONTRACTION",
            )
        elif clitic.lower_ in ("'d", "’d"):
            perfect = clitic.head.tag_ == "VBN"
            new = " had" if perfect else " would"
            yield Edit(
                start,
                start + len(clitic),
                clitic.text,
                new,
                "contraction (name)",
                "YN-R-CONTRACTION",
            )


def _bound_apart(ref: Reference, clash: int) -> bool:
    """ "she waved at you": an object beside its clause's same-pronoun subject cannot be her
    ("she waved at her"), so the pronoun is clear without the name."""
    if ref.form != "object":
        return False
    verb = ref.token.head.head if ref.token.dep_ == "pobj" else ref.token.head
    return any(c.dep_ in SUBJECT_DEPS and c.idx == clash for c in verb.children)


def _after_bare_infinitive_object(head: Token, verb: Token) -> bool:
    """A base-form verb coordinated after a perception or causative verb's object and its bare
    verb ("see Aizawa sigh and rub his eyes"): the parse hung it on the reader's verb, but it
    is the object's, unless it acts on the reader's things ("…and hold your breath")."""
    doc = head.doc
    if head.lemma_.lower() not in BARE_INFINITIVE_VERBS or verb.i < head.i + 4:
        return False
    bare, obj = doc[verb.i - 2], doc[verb.i - 3]  # "Aizawa sigh and rub"
    if any(is_reader_word(t) for t in verb.subtree):
        return False  # "hear the door creak open and hold your breath": the reader's breath
    return (
        doc[verb.i - 1].lower_ == "and"
        and bare.is_lower
        and bare.lower_ in lemmas_of(bare.lower_).get("VERB", ())
        and obj.tag_ in ("NN", "NNS", "NNP", "PRP")
        and obj.i > head.i
    )


def _verb_follows(phrase: Span) -> bool:
    """Does a verb (past adverbs) come right after a subject pair, as it must?"""
    doc = phrase.doc
    i = phrase.end
    while i < len(doc) and doc[i].tag_ in ("RB", "RBR"):
        i += 1
    return i < len(doc) and (is_verb(doc[i]) or doc[i].text == ",")


def _under_imperative(clause: Token) -> bool:
    """Is ``clause`` the complement of a command before it ("blurt out that you want…")? A
    base-form verb coordinated after it then goes with the command, not with "you"."""
    command = clause.head
    return (
        clause.dep_ in ("ccomp", "advcl")
        and command.i < clause.i
        and command.tag_ in ("VB", "VBP")
        and not has_own_subject(command)
        and not any(c.dep_ in ("aux", "auxpass") for c in command.children)
    )


def negation_after(verb: Token) -> Token | None:
    """The contracted "n't" right after a verb ("are|n't"), if any."""
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return after if after is not None and after.lower_ in ("n't", "n’t") else None


def _compound_end(verb: Token) -> Token | None:
    """The last word of a hyphenated verb written as one ("hiss-whisper"), if ``verb`` starts
    one."""
    doc = verb.doc
    i = verb.i
    while i + 2 < len(doc) and not doc[i].whitespace_ and doc[i + 1].text == "-":
        if doc[i + 1].whitespace_ or not doc[i + 2].is_alpha:
            break
        i += 2
    return doc[i] if i > verb.i else None


def _collective_clause(subject: Token) -> bool:
    """A collective word in the subject's own clause ("You shared it together"), which makes
    a bare "you" plural right after "you and X" did something."""
    verb = subject.head
    if any(c.dep_ == "dobj" and c.tag_ not in ("WP", "WDT") for c in verb.children):
        return False  # "You rubbed your hands together": together joins the object
    return any(t.lower_ in COLLECTIVE_CUES for t in (*verb.children, *subject.children))


def _relative_clause_verbs(token: Token) -> list[Token]:
    """ "And you, who have lived here": the relative clause's verb agrees with the reader."""
    verbs = []
    for clause in token.children:
        if clause.dep_ != "relcl":
            continue
        if any(c.dep_ in SUBJECT_DEPS and c.lower_ in ("who", "that") for c in clause.children):
            verb = finite_verb(clause)
            if verb is not None:
                verbs.append(verb)
    return verbs


def _starts_sentence(token: Token) -> bool:
    """Nothing but opening quotes or markup between the sentence start and ``token``?"""
    doc = token.doc
    i = token.i - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in _OPENERS):
        i -= 1
    return i < 0 or doc[i].text in _SENTENCE_ENDS


def _drop_last_and(listing: str) -> str | None:
    """ "Kylo and Rey" → "Kylo, Rey"; "Kylo, and Rey" → "Kylo, Rey," (the serial comma stays)."""
    head, sep, tail = listing.rpartition(" and ")
    if not sep:
        return None
    if head.endswith(","):
        return f"{head} {tail},"
    return f"{head}, {tail}"
