"""The cast: named characters, how often they are mentioned, and the pronouns used for them.

A name is a run of capitalised proper nouns. The small English model often labels fandom names
as organisations or products, so a name becomes a character on *personhood* evidence rather
than on the entity label alone:

    Kylo turned around slowly to face you.          subject of a verb           (+2)
    "Kylo!" you shouted.                            called out to (vocative)    (+2)
    ... by orders of General Hux.                   a title before the name     (+2)
    ... a tear rolling down Kylo's cheek.           owns something              (+1)
    the named-entity recogniser says PERSON                                     (+1)

    ... the corridors of Starkiller Base.           a place word ends it: never a character
    The invisible Force holding you in place.       has a determiner: never a character

A character needs 2 points and either two mentions, a title or a full name on the page
(other one-off capitalised words are too often interjections, "Halloo!", or personifications,
"Fortune was bending over him"). Titles are
folded in ("General Hux" = "Hux"); a shorter name inside a longer one is an alias ("Kylo" of
"Kylo Ren"). A character who is never the subject, object or owner of anything in narration is
only *mentioned* (talked about: Snoke in the seed's dialogue). Third-person pronouns in
narration go to the most recently mentioned character, within two sentences.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from ynsert.analysis.base import Context, Evidence, register
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import SECOND_PERSON_ANALYSED as SECOND_PERSON
from ynsert.vocab.persons import THIRD_PERSON_GENDER
from ynsert.vocab.placeholders import READER_NAME_KEYS

#: Words that may precede a name and are folded into it ("General Hux" = "Hux").
TITLES = words(
    """general captain commander lord lady sir dame mr mrs ms miss dr doctor professor officer
    lieutenant colonel major sergeant admiral king queen prince princess emperor empress
    master mistress agent detective president senator chancellor supreme leader knight
    father mother uncle aunt sister brother saint count countess duke duchess baron"""
)
#: Last words of names of places, groups and things, not people.
PLACE_WORDS = words(
    """base academy station city street hall tower castle school hospital palace order house
    park road river mountain mountains island lake sea ocean empire republic resistance
    alliance council church temple club university college bank company kingdom galaxy
    planet system forest valley bay county state states army navy corps ship"""
)
_PERSONHOOD_DEPS = {"nsubj": 2, "nsubjpass": 2, "poss": 1}
_PRESENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "poss", "dative", "agent", "conj"})
_PRONOUNS = THIRD_PERSON_GENDER
READER = "Reader"
READER_PLACEHOLDERS = READER_NAME_KEYS
_PRONOUN_WINDOW = 2  # sentences back to look for a pronoun's antecedent
_MIN_PRONOUN_SHARE = 0.3


@dataclass(frozen=True)
class Character:
    name: str
    aliases: tuple[str, ...]
    mentions: int
    pronouns: tuple[str, ...]
    status: str  # "present" (acts in the narration) or "mentioned" (only talked about)
    first: Evidence
    pronoun_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Cast:
    characters: tuple[Character, ...]
    reader: Character | None  # the reader as a character in a reader-insert

    def named(self, name: str) -> Character | None:
        return next((c for c in self.characters if name in (c.name, *c.aliases)), None)


@dataclass
class _Occurrence:
    key: str  # the name without title, e.g. "Hux"
    title: str  # "General" or ""
    start: int
    end: int
    sentence: int
    score: int
    present: bool  # subject/object/owner in narration
    person_label: bool


@dataclass
class CastAnalysis:
    """The cast plus where each character is referred to (for relationships and warnings)."""

    cast: Cast
    references: dict[str, list[tuple[int, int]]]  # name → (sentence index, offset)
    #: Each character's name occurrences (title folded in), for the character chains.
    occurrences: dict[str, list[_Occurrence]] = field(default_factory=dict)


# --- names in a sentence ----------------------------------------------------------------------


def name_chains(sent: ParsedSentence, known: frozenset[str] = frozenset()) -> Iterator[list[Token]]:
    """Runs of capitalised proper nouns (and PERSON entity tokens), possessive 's excluded.

    ``known`` holds words the story capitalises in mid-sentence: a name the tagger took for an
    adjective or a noun ("Bucky" as JJ) is still a name.
    """
    chain: list[Token] = []
    for token in sent.doc:
        if _name_token(token) or (token.text in known and token.pos_ in _MISTAGGED_NAME_POS):
            chain.append(token)
            continue
        if chain:
            yield chain
        chain = []
    if chain:
        yield chain


_MISTAGGED_NAME_POS = frozenset({"NOUN", "ADJ", "VERB"})
_NAME_LIKE_POS = _MISTAGGED_NAME_POS | {"PROPN"}


def capitalised_mid_sentence(parsed: Parsed) -> frozenset[str]:
    """Words written with a capital where no sentence starts: names, whatever their tag."""
    found = set()
    for sent in parsed.sentences:
        for token in sent.doc[1:]:
            before = sent.doc[token.i - 1]
            if (
                token.is_alpha
                and token.text[:1].isupper()
                and not token.is_upper
                and token.text != "I"
                and token.pos_ in _NAME_LIKE_POS
                and not (before.is_punct or before.is_space)
            ):
                found.add(token.text)
    return frozenset(found)


def _name_token(token: Token) -> bool:
    if not token.text[:1].isupper() or not token.is_alpha:
        return False
    return token.pos_ == "PROPN" or token.ent_type_ == "PERSON"


def _occurrence(sent: ParsedSentence, chain: list[Token], parsed: Parsed) -> _Occurrence | None:
    title_tokens = [t for t in chain[:-1] if t.lower_ in TITLES]
    name = chain[len(title_tokens) :] if chain[: len(title_tokens)] == title_tokens else chain
    inside = {t.i for t in chain}
    head = max(chain, key=lambda t: t.i if t.head.i not in inside else -1)
    start, end = sent.span(name[0])[0], sent.span(name[-1])[1]
    if not name or parsed.placeholder_at(start, end) or _not_a_person(chain, head):
        return None
    same_kind = sent.narrative[head.i] == sent.narrative[head.head.i]
    role = head.head if head.dep_ == "conj" else head  # "You and Bucky have": a subject too
    score = _PERSONHOOD_DEPS.get(role.dep_, 0) if same_kind else 0
    score += 2 * bool(title_tokens) + _vocative(sent, chain) * 2
    person = any(t.ent_type_ == "PERSON" for t in chain)
    present = sent.narrative[head.i] and head.dep_ in _PRESENT_DEPS
    key = " ".join(_normal(t.text) for t in name)
    title = " ".join(_normal(t.text) for t in title_tokens)
    return _Occurrence(key, title, start, end, sent.index, score + person, present, person)


def _normal(word: str) -> str:
    return word.capitalize() if word.isupper() and len(word) > 1 else word


def _not_a_person(chain: list[Token], head: Token) -> bool:
    if chain[-1].lower_ in PLACE_WORDS or chain[-1].lower_ in TITLES:
        return True
    return any(c.dep_ == "det" for c in head.children)


def _vocative(sent: ParsedSentence, chain: list[Token]) -> bool:
    """A name set off by punctuation inside dialogue: "Kylo!" / "Kylo, no." / "Yes, Kylo."."""
    if sent.narrative[chain[0].i]:
        return False
    doc = sent.doc
    before = doc[chain[0].i - 1] if chain[0].i > 0 else None
    after = doc[chain[-1].i + 1] if chain[-1].i + 1 < len(doc) else None
    opens = before is None or before.is_punct
    closes = after is None or after.text in {",", "!", "?", ".", "…"} or after.is_quote
    return opens and closes


# --- the cast ---------------------------------------------------------------------------------


def analyse_cast(parsed: Parsed) -> CastAnalysis:
    known = capitalised_mid_sentence(parsed)
    occurrences = [
        occ
        for sent in parsed.sentences
        for chain in name_chains(sent, known)
        if (occ := _occurrence(sent, chain, parsed))
    ]
    groups = _group(occurrences)
    references = {name: [(o.sentence, o.start) for o in occs] for name, occs in groups.items()}
    pronouns: dict[str, Counter[str]] = defaultdict(Counter)
    for name, form, sentence, offset in _attribute_pronouns(parsed, references):
        pronouns[name][form] += 1
        references[name].append((sentence, offset))
    characters = [_character(parsed, name, occs, pronouns[name]) for name, occs in groups.items()]
    characters.sort(key=lambda c: (-c.mentions, c.first.start))
    reader = _reader(parsed)
    if reader:
        references[READER] = _reader_references(parsed)
    return CastAnalysis(Cast(tuple(characters), reader), references, groups)


def _group(occurrences: list[_Occurrence]) -> dict[str, list[_Occurrence]]:
    """Accepted names, shorter names folded into the one longer name that contains them."""
    by_key: dict[str, list[_Occurrence]] = defaultdict(list)
    for occ in occurrences:
        by_key[occ.key].append(occ)
    keys = sorted(by_key, key=lambda k: (-len(k.split()), k))
    groups: dict[str, list[_Occurrence]] = {}
    for key in keys:
        parents = [g for g in groups if set(key.split()) < set(g.split())]
        if len(parents) == 1:
            groups[parents[0]].extend(by_key[key])
        elif not parents:
            groups[key] = list(by_key[key])
    return {k: sorted(v, key=lambda o: o.start) for k, v in groups.items() if _accepted(v)}


def _accepted(occs: list[_Occurrence]) -> bool:
    """Two points of personhood, and a second mention, a title, or a full name acting in the
    narration ("Bucky Barnes pulls you close"): a love interest named once and then "he"
    counts, a personification ("Fortune") or an interjection ("Halloo!") does not."""
    score = sum(o.score for o in occs)
    corroborated = (
        len(occs) >= 2
        or any(o.title for o in occs)
        or any(len(o.key.split()) >= 2 and o.present for o in occs)
    )
    return score >= 2 and corroborated


def _character(
    parsed: Parsed, key: str, occs: list[_Occurrence], pronouns: Counter[str]
) -> Character:
    titles = Counter(o.title for o in occs if o.title)
    name = f"{titles.most_common(1)[0][0]} {key}" if titles and len(key.split()) == 1 else key
    aliases = tuple(sorted({o.key for o in occs} | {f"{o.title} {o.key}" for o in occs if o.title}))
    total = sum(pronouns.values())
    used = tuple(p for p, n in pronouns.most_common() if total and n / total >= _MIN_PRONOUN_SHARE)
    return Character(
        name,
        tuple(a for a in aliases if a != name),
        len(occs),
        used,
        "present" if any(o.present for o in occs) else "mentioned",
        parsed.index.evidence(occs[0].start, occs[0].end),
        dict(pronouns),
    )


def _attribute_pronouns(
    parsed: Parsed, references: dict[str, list[tuple[int, int]]]
) -> Iterator[tuple[str, str, int, int]]:
    """he/she in narration → the latest character mentioned within ``_PRONOUN_WINDOW``, or
    the story's only named character.

    Yields (character, pronoun, sentence index, offset).
    """
    mentions = sorted(
        (offset, sentence, name) for name, refs in references.items() for sentence, offset in refs
    )
    cursor = 0
    latest: tuple[int, str] | None = None
    # with one named character, a "he" far from the name can still only be them
    only = next(iter(references)) if len(references) == 1 else None
    for sent in parsed.sentences:
        subjects: set[tuple[str, str]] = set()  # (character, pronoun) used as subject here
        for token in sent.doc:
            start = sent.span(token)[0]
            while cursor < len(mentions) and mentions[cursor][0] <= start:
                latest = (mentions[cursor][1], mentions[cursor][2])
                cursor += 1
            form = _PRONOUNS.get(token.lower_)
            if not form or not sent.narrative[token.i] or token.pos_ != "PRON":
                continue
            near = latest is not None and sent.index - latest[0] <= _PRONOUN_WINDOW
            name = latest[1] if near and latest else only
            if name is None:
                continue
            if token.dep_ in ("nsubj", "nsubjpass"):
                subjects.add((name, form))
            elif _disjoint(token, name, subjects):
                continue
            yield name, form, sent.index, start


def _disjoint(token: Token, name: str, subjects: set[tuple[str, str]]) -> bool:
    """ "She waited for him": a plain object pronoun is not the subject's own character."""
    plain_object = token.dep_ in ("dobj", "pobj", "dative") and not token.lower_.endswith("self")
    return plain_object and any(n == name for n, _ in subjects)


def _reader_references(parsed: Parsed) -> list[tuple[int, int]]:
    """(sentence index, offset) of every you-word in narration and every name placeholder."""
    refs = [
        (sent.index, sent.span(t)[0])
        for sent in parsed.sentences
        for t in sent.narration()
        if t.lower_ in SECOND_PERSON
    ]
    for sent in parsed.sentences:
        refs += [
            (sent.index, ph.start)
            for ph in parsed.placeholders
            if ph.key in READER_PLACEHOLDERS and sent.start <= ph.start < sent.end
        ]
    return sorted(refs, key=lambda r: r[1])


def _reader(parsed: Parsed) -> Character | None:
    """The reader as a character when the work is told to "you"."""
    if not parsed.reader_insert:
        return None
    refs = _reader_references(parsed)
    if not refs:  # "you" only outside the story's sentences (an author's note: "love you<3")
        return None
    names = sorted({ph.spelling for ph in parsed.placeholders if ph.key in READER_PLACEHOLDERS})
    first = refs[0][1]
    return Character(
        READER,
        ("You", *names),
        len(refs),
        ("you",),
        "present",
        parsed.index.evidence(first, parsed.text.find(" ", first) % len(parsed.text) or first + 1),
    )


@register("cast_analysis", public=False)
def _analysis(context: Context, results: Mapping[str, Any]) -> CastAnalysis:
    return analyse_cast(context.parsed)


@register("cast", needs=("cast_analysis",), order=20)
def _component(context: Context, results: Mapping[str, Any]) -> Cast:
    analysis: CastAnalysis = results["cast_analysis"]
    return analysis.cast
