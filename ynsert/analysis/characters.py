"""Character chains: every mention of each character, with how sure the chain is of it.

A rule-and-salience resolver over the one parse (no learned weights; its few constants were
chosen on LitBank's training documents, see ``benchmarks/character_chains.py``):

    Elizabeth Bennet … Elizabeth … Miss Elizabeth     names and variants (the cast's groups;
                                                      a title of the other gender splits off:
                                                      "Mr. Bennet" is not Elizabeth Bennet)
    Captain Wentworth … the captain                   an epithet: "the" + the character's
                                                      own title, when no one else holds it
    Elizabeth raised her eyes to herself …            reflexive → its clause's subject;
                                                      possessive → the clause's subject
    Elizabeth looked at her.                          an object pronoun is not its clause's
                                                      subject (so not Elizabeth)
    Elizabeth … She smiled.                           the most salient character of that
                                                      gender: recency, subjecthood, mentions

A pronoun is resolved only when one character of its gender is clearly ahead of every other
person it could be (named or not: "the old woman" competes as well); otherwise it is left
*unsure*, with a note naming the candidates. Pronouns inside dialogue are never resolved (the
speaker's "she" is the speaker's); names in dialogue are marked as dialogue mentions.

    >>> from ynsert.analysis import analyse
    >>> report = analyse("Anna Reyes opened the door. She smiled at Tom, and he waved.")
    >>> [(m.text, m.rule) for m in report.characters.chain("Anna").mentions]
    [('Anna Reyes', 'name'), ('She', 'only-candidate')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from spacy.lang.en.stop_words import STOP_WORDS

from ynsert.analysis.base import Context, register
from ynsert.analysis.cast import TITLES, CastAnalysis, _Occurrence, analyse_cast
from ynsert.analysis.parsed import Parsed, ParsedSentence, parse_story
from ynsert.document import Document
from ynsert.vocab.lexicon import words
from ynsert.vocab.persons import PRESETS

if TYPE_CHECKING:
    from spacy.tokens import Token

Gender = Literal["he", "she"]
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
Kind = Literal["name", "epithet", "pronoun"]

MALE_TITLES = words(
    """mr sir lord king prince duke count baron father uncle brother master emperor general
    colonel captain major sergeant admiral lieutenant"""
)
FEMALE_TITLES = words(
    """mrs ms miss lady dame queen princess duchess countess mother aunt sister mistress
    empress madam madame"""
)
#: Nouns for a person of one gender: "the old woman" competes for "she" with the named women.
GENDERED_NOUNS: dict[str, Gender] = {
    **dict.fromkeys(
        words(
            """man boy gentleman father brother son husband uncle king prince lord fellow lad
            sir nephew grandfather monk priest duke"""
        ),
        "he",
    ),
    **dict.fromkeys(
        words(
            """woman girl lady mother sister daughter wife aunt queen princess maid niece
            grandmother nurse widow mistress governess duchess"""
        ),
        "she",
    ),
}
#: Nouns for a person of either gender: "the stranger" competes for he and she alike.
PERSON_NOUNS = words(
    """person child friend stranger servant doctor officer soldier companion visitor clerk
    youth neighbour neighbor guest host hostess cousin parent relative partner master
    teacher student pupil baby infant orphan farmer merchant sailor captain driver owner
    lawyer judge priest minister preacher nurse cook maid footman butler coachman porter
    guard prisoner traveller traveler gentleman lady creature fellow figure individual
    stepson step-son stepdaughter husband wife lover boy girl man woman american englishman
    frenchman archdeacon bishop warden dean vicar rector curate clergyman parson official
    clerk landlord landlady innkeeper shopkeeper squire baronet knight colonel general
    major sergeant lieutenant admiral commander chief king queen prince princess emperor
    duke earl lord count baron physician surgeon professor scholar writer poet artist
    painter musician actor singer dancer hunter fisherman shepherd peasant labourer worker
    miner smith carpenter tailor beggar thief murderer villain hero heroine enemy rival
    chap gentlewoman spinster bachelor bride groom widower heir heiress mistress maiden
    lass uncle aunt nephew niece brother sister father mother son daughter grandfather
    grandmother granddaughter grandson playmate schoolmate classmate colleague secretary
    manager director president governor mayor magistrate constable policeman detective
    inspector sheriff marshal soldier captain mate skipper pilot stranger visitor caller"""
)
_PRONOUN_GENDER: dict[str, Gender] = {
    form: key  # type: ignore[misc]
    for key in ("he", "she")
    for form in PRESETS[key].forms()
}
_REFLEXIVES = frozenset({PRESETS["he"].reflexive, PRESETS["she"].reflexive})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative"})

# --- the constants, chosen on LitBank's training documents -----------------------------------
#: Sentences back that a character stays a candidate for a pronoun.
WINDOW = 3
#: How many times the next candidate's salience the best one needs to be resolved to.
RATIO = 2.0
#: Weight of the cast's nearest-name pronoun guess in a character's gender (own evidence: 1–3).
CAST_VOTE = 0.5
#: Salience kept per sentence of distance.
DECAY = 0.5
#: Confidence at or above which a mention is rewritten (lower ones are noted, not changed).
CERTAIN = 0.9


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: Kind
    narration: bool  # False: inside dialogue or a thought (marked, never rewritten)
    confidence: float
    rule: str  # why: name, epithet, reflexive-binding, possessive-subject, subject-continuity …


@dataclass(frozen=True)
class Chain:
    name: str
    aliases: tuple[str, ...]
    gender: str | None  # "he", "she" or None when the text does not say
    mentions: tuple[Mention, ...]

    @property
    def confidence(self) -> float:
        """Mean confidence of the chain's narration mentions."""
        narrated = [m.confidence for m in self.mentions if m.narration]
        return round(sum(narrated) / len(narrated), 3) if narrated else 0.0

    def certain(self) -> list[Mention]:
        return [m for m in self.mentions if m.narration and m.confidence >= CERTAIN]


@dataclass(frozen=True)
class Unsure:
    """A pronoun that could be more than one character: left alone, with the candidates."""

    start: int
    end: int
    text: str
    candidates: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Characters:
    chains: tuple[Chain, ...]
    unsure: tuple[Unsure, ...] = ()

    def chain(self, name: str) -> Chain | None:
        """The chain called ``name`` or having it as an alias or a word of its name."""
        wanted = " ".join(name.split()).casefold()
        for match in (_exact, _word):
            found = [c for c in self.chains if match(c, wanted)]
            if len(found) == 1:
                return found[0]
        return None

    def names(self) -> list[str]:
        return [c.name for c in self.chains]


def _exact(chain: Chain, wanted: str) -> bool:
    return wanted in {n.casefold() for n in (chain.name, *chain.aliases)}


def _word(chain: Chain, wanted: str) -> bool:
    return any(wanted in n.casefold().split() for n in (chain.name, *chain.aliases))


# --- identities: who the characters are -------------------------------------------------------


@dataclass
class _Identity:
    name: str
    aliases: set[str]
    gender: Gender | None
    titles: set[str]
    names: list[tuple[int, int]]  # name mention spans (title included)
    mentions: list[Mention] = field(default_factory=list)
    #: (sentence index, weight) of every mention so far: what salience is computed from
    events: list[tuple[int, float]] = field(default_factory=list)


def _title_gender(title: str) -> Gender | None:
    parts = title.lower().rstrip(".").split()
    word = parts[-1] if parts else ""
    if word in MALE_TITLES:
        return "he"
    if word in FEMALE_TITLES:
        return "she"
    return None


_TITLE_BEFORE = re.compile(r"\b([A-Za-z]+)\.?\s+$")


def _titled(text: str, occurrences: list[_Occurrence]) -> list[_Occurrence]:
    """The cast's occurrences with the title written before them ("Mr. Woodhouse": the
    tokeniser keeps "Mr." out of the name) added where the cast has none."""
    result = []
    for occ in occurrences:
        if not occ.title:
            found = _TITLE_BEFORE.search(text, max(0, occ.start - 12), occ.start)
            if found and found.group(1).lower() in TITLES and found.group(1)[:1].isupper():
                occ = replace(occ, title=found.group(1))
        result.append(occ)
    return result


def _identities(parsed: Parsed, cast: CastAnalysis) -> list[_Identity]:
    """The cast's groups, split by title where titles say different people.

    "Mr. Woodhouse" is not Emma Woodhouse, "Mrs. Bennet" not Mr. Bennet: occurrences are
    partitioned by title; the untitled ones form the character's own identity, and a single
    title joins it only when its gender agrees with the character's. Where the titled people
    stay apart, a bare surname ("Bennet") could be any of them and is left out.
    """
    identities: list[_Identity] = []
    characters = {c.name: c for c in cast.cast.characters}
    for character in cast.cast.characters:
        key = next((k for k in cast.occurrences if _named(character.name, k)), None)
        occurrences = _titled(parsed.text, cast.occurrences.get(key, [])) if key else []
        if not key or not occurrences:
            continue
        by_title: dict[str, list[_Occurrence]] = {}
        for occ in occurrences:
            by_title.setdefault(occ.title.lower().rstrip("."), []).append(occ)
        untitled = by_title.pop("", [])
        votes: dict[str, float] = dict(_bound_pronouns(parsed, untitled))
        for pronoun, n in characters[character.name].pronoun_counts.items():
            votes[pronoun] = votes.get(pronoun, 0) + n * CAST_VOTE  # the cast's guess: weak
        gender = _majority(votes)
        if len(by_title) == 1:
            title, titled = next(iter(by_title.items()))
            said = _title_gender(title)
            surname = key.split()[-1]
            bare = all(o.key == surname for o in untitled)
            if said is None or gender == said or (gender is None and bare):
                untitled, by_title = untitled + titled, {}
                gender = gender or said
        if by_title:  # titled people apart: a bare surname is ambiguous
            surname = key.split()[-1]
            untitled = [o for o in untitled if o.key != surname or len(key.split()) == 1]
            untitled = untitled if len(key.split()) > 1 else []
        if untitled:
            identities.append(_identity(parsed, character.name, gender, untitled))
        for title, titled in by_title.items():
            spelled = Counter(o.title for o in titled).most_common(1)[0][0]
            name = f"{spelled} {key.split()[-1]}" if len(key.split()) > 1 else f"{spelled} {key}"
            identities.append(_identity(parsed, name, _title_gender(title), titled))
    return identities


def _bound_pronouns(parsed: Parsed, occurrences: list[_Occurrence]) -> Counter[str]:
    """Gender from the name's own clause: "Emma raised her eyes", "Buck shook himself" (a
    possessive or reflexive whose clause subject is the name), two votes each."""
    votes: Counter[str] = Counter()
    for occ in occurrences:
        sent = parsed.sentences[occ.sentence]
        head = next(
            (t for t in sent.doc if sent.span(t)[0] <= occ.start < sent.span(t)[1] + 1), None
        )
        while head is not None and head.dep_ == "compound":
            head = head.head
        if head is None or head.dep_ not in SUBJECT_DEPS or not sent.narrative[head.i]:
            continue
        for token in head.head.subtree:
            gender = _PRONOUN_GENDER.get(token.lower_)
            bound = token.dep_ == "poss" or token.lower_ in _REFLEXIVES
            if gender and bound and token.i > head.i and _clause_subject(token) == head:
                votes[gender] += 2
        if occ.sentence + 1 < len(parsed.sentences):  # "Anna opened the door. She smiled."
            following = parsed.sentences[occ.sentence + 1]
            first = next((t for t in following.doc if t.dep_ in SUBJECT_DEPS), None)
            if first is not None and following.narrative[first.i]:
                gender = _PRONOUN_GENDER.get(first.lower_)
                others = any(t.pos_ == "PROPN" for t in following.doc[: first.i])
                if gender and not others and first.lower_ in ("he", "she"):
                    votes[gender] += 1
    return votes


def _named(name: str, key: str) -> bool:
    return name == key or name.endswith(" " + key)


def _majority(votes: Mapping[str, float]) -> Gender | None:
    total = sum(votes.values())
    for gender in ("he", "she"):
        if total and votes.get(gender, 0) / total >= 0.6:
            return gender  # type: ignore[return-value]
    return None


def _identity(
    parsed: Parsed, name: str, gender: Gender | None, occs: list[_Occurrence]
) -> _Identity:
    spans = [(_name_start(parsed.text, o), o.end) for o in occs]
    aliases = {o.key for o in occs} | {f"{o.title} {o.key}" for o in occs if o.title}
    titles = {o.title.lower().rstrip(".") for o in occs if o.title}
    return _Identity(name, aliases - {name}, gender, titles, sorted(spans))


def _name_start(text: str, occ: _Occurrence) -> int:
    """Where the mention starts: with its title, and without a capitalised word that only
    opens the sentence ("Once Buck went over": the name is "Buck")."""
    start = _with_title(text, occ)
    words = text[start : occ.end].split()
    while len(words) > 1 and words[0].lower() in STOP_WORDS:
        start = text.index(words[1], start + len(words[0]))
        words = words[1:]
    return start


def _with_title(text: str, occ: _Occurrence) -> int:
    """Where the mention starts with its title ("Miss Bennet", "Mr. Darcy")."""
    if not occ.title:
        return occ.start
    word = occ.title.split()[0].lower()
    begin = max(0, occ.start - len(occ.title) - 4)
    found = text[begin : occ.start].lower().rfind(word)
    return begin + found if found >= 0 else occ.start


# --- the walk: names, epithets and pronouns in reading order ---------------------------------


@dataclass
class _Competitor:
    """An unnamed person ("the old woman"), or a character whose gender the text does not
    show: a rival for a pronoun, never resolved to."""

    gender: Gender | None
    name: str
    events: list[tuple[int, float]] = field(default_factory=list)


Candidate = _Identity | _Competitor


class _Resolver:
    def __init__(self, parsed: Parsed, identities: list[_Identity]) -> None:
        self.parsed = parsed
        self.identities = identities
        self.by_start = {s: (ident, e) for ident in identities for s, e in ident.names}
        self.competitors: list[_Competitor] = []
        self.unsure: list[Unsure] = []
        self.epithets = self._epithets()
        #: token index (sentence, i) → identity, for the mentions already placed
        #: (sentence, token) → who is mentioned there, for the current sentence only (the
        #: binding rules look inside one sentence; keeping more would grow with the story)
        self.placed: dict[tuple[int, int], _Identity | None] = {}
        #: token index → confidence, for the pronouns placed (a name is sure)
        self.sure: dict[tuple[int, int], float] = {}

    def _epithets(self) -> dict[str, _Identity]:
        """title → the one identity that holds it ("the captain")."""
        holders: dict[str, list[_Identity]] = {}
        for ident in self.identities:
            for title in ident.titles:
                if title in TITLES and title not in ("mr", "mrs", "ms", "miss", "sir", "lady"):
                    holders.setdefault(title, []).append(ident)
        return {t: h[0] for t, h in holders.items() if len(h) == 1}

    def run(self) -> None:
        for sent in self.parsed.sentences:
            self._sentence(sent)

    def _sentence(self, sent: ParsedSentence) -> None:
        doc = sent.doc
        self._forget(sent.index)
        self.placed.clear()
        self.sure.clear()
        skip_to = -1
        for token in doc:
            if token.i < skip_to:
                continue
            start = sent.base + token.idx
            named = self.by_start.get(start)
            if named is not None:
                ident, end = named
                last = doc.char_span(token.idx, end - sent.base, alignment_mode="expand")
                tokens = list(last) if last is not None else [token]
                skip_to = tokens[-1].i + 1
                self._name(sent, ident, tokens, start, end)
                continue
            if token.lower_ in _PRONOUN_GENDER and token.pos_ == "PRON" or _poss_pronoun(token):
                if sent.narrative[token.i]:
                    self._pronoun(sent, token)
                continue
            if sent.narrative[token.i]:
                self._nominal(sent, token)
                if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
                    self._stranger(sent, token)

    # --- names and epithets ---

    def _name(
        self, sent: ParsedSentence, ident: _Identity, tokens: list[Token], start: int, end: int
    ) -> None:
        narration = sent.narrative[tokens[-1].i]
        ident.mentions.append(
            Mention(start, end, self.parsed.text[start:end], "name", narration, 1.0, "name")
        )
        if narration:  # a name called out in dialogue ("No, Elinor,") is not the topic
            self._seen(sent, ident, _head(tokens))

    def _nominal(self, sent: ParsedSentence, token: Token) -> None:
        """ "the captain" (an epithet) or "the old woman" (an unnamed competitor)."""
        if token.pos_ != "NOUN" or token.dep_ == "compound":
            return
        lower = token.lower_
        dets = [c for c in token.children if c.dep_ in ("det", "poss")]
        if lower in self.epithets and any(d.lower_ == "the" for d in dets):
            ident = self.epithets[lower]
            det = min(dets, key=lambda d: d.i)
            start, end = sent.span(det)[0], sent.span(token)[1]
            ident.mentions.append(
                Mention(start, end, self.parsed.text[start:end], "epithet", True, 0.9, "epithet")
            )
            self._seen(sent, ident, token)
            return
        gender = GENDERED_NOUNS.get(lower)
        if (gender is not None or lower in PERSON_NOUNS) and (dets or _indefinite(token)):
            span = sent.span(token)
            competitor = _Competitor(gender, self.parsed.text[span[0] : span[1]])
            competitor.events.append((sent.index, _weight(token)))
            self.competitors.append(competitor)
            self.placed[(sent.index, token.i)] = None

    def _stranger(self, sent: ParsedSentence, token: Token) -> None:
        """A person the cast did not take as a character: a rival all the same."""
        before = sent.doc[token.i - 1] if token.i > 0 else None
        gender = _title_gender(before.text) if before is not None else None
        rival = _Competitor(gender, token.text)
        rival.events.append((sent.index, _weight(token)))
        self.competitors.append(rival)

    def _seen(self, sent: ParsedSentence, ident: _Identity, head: Token) -> None:
        ident.events.append((sent.index, _weight(head)))
        self.placed[(sent.index, head.i)] = ident

    # --- pronouns ---

    def _pronoun(self, sent: ParsedSentence, token: Token) -> None:
        gender = _PRONOUN_GENDER[token.lower_]
        choice = self._bound(sent, token, gender)
        if choice is None:
            choice = self._salient(sent, token, gender)
        if choice is None:
            return
        ident, confidence, rule = choice
        start, end = sent.span(token)
        ident.mentions.append(Mention(start, end, token.text, "pronoun", True, confidence, rule))
        self._seen(sent, ident, token)
        self.sure[(sent.index, token.i)] = confidence

    def _bound(
        self, sent: ParsedSentence, token: Token, gender: Gender
    ) -> tuple[_Identity, float, str] | None:
        """Reflexives and possessives go to their clause's subject when it is a character."""
        subject = _clause_subject(token)
        if subject is None or subject.i > token.i:
            return None
        owner = self.placed.get((sent.index, subject.i))
        if not isinstance(owner, _Identity) or owner.gender not in (gender, None):
            return None
        # no surer than the subject it is bound to ("she … flung herself": as sure as "she")
        sure = self.sure.get((sent.index, subject.i), 1.0)
        if token.lower_ in _REFLEXIVES:
            return owner, min(0.95, sure), "reflexive-binding"
        if token.dep_ == "poss" and not self._rival_in_sentence(sent, token, owner, gender):
            return owner, min(0.9, sure), "possessive-subject"
        return None

    def _rival_in_sentence(
        self, sent: ParsedSentence, token: Token, owner: _Identity, gender: Gender
    ) -> bool:
        """Another person of the same gender mentioned earlier in the sentence."""
        for (s, i), ident in self.placed.items():
            if s != sent.index or i >= token.i or ident is owner:
                continue
            if ident is None or ident.gender in (gender, None):
                return True
        return False

    def _salient(
        self, sent: ParsedSentence, token: Token, gender: Gender
    ) -> tuple[_Identity, float, str] | None:
        scored = sorted(
            (
                (score, i, c)
                for i, c in enumerate(self._candidates(gender))
                if (score := self._score(sent, token, c)) > 0
            ),
            key=lambda x: (-x[0], x[1]),
        )
        if not scored:
            return None
        best_score, _, best = scored[0]
        if not isinstance(best, _Identity) or best.gender != gender:
            return None  # an unnamed person, or someone whose gender is not known
        if len(scored) == 1:
            return best, 0.95, "only-candidate"
        second_score = scored[1][0]
        if best_score >= RATIO * second_score:
            return best, 0.85, "salience"
        others = ", ".join(_label(c) for _, _, c in scored[:3])
        start, end = sent.span(token)
        self.unsure.append(
            Unsure(
                start,
                end,
                token.text,
                tuple(_label(c) for _, _, c in scored[:3]),
                f"{token.text!r} could be {others}: left as it is",
            )
        )
        # an unresolved pronoun keeps every close candidate in play ("she" could be either
        # sister: neither fades while the text keeps talking about one of them)
        close = [c for score, _, c in scored if score * RATIO > best_score]
        for candidate in close:
            candidate.events.append((sent.index, _weight(token) / len(close)))
        return None

    def _candidates(self, gender: Gender) -> Iterator[Candidate]:
        for ident in self.identities:
            if ident.gender in (gender, None):
                yield ident
        for comp in self.competitors:
            if comp.gender in (gender, None):
                yield comp

    def _forget(self, sentence: int) -> None:
        """Unnamed people out of reach are dropped (the list would grow with the story)."""
        self.competitors = [c for c in self.competitors if sentence - c.events[-1][0] <= WINDOW]

    def _score(self, sent: ParsedSentence, token: Token, candidate: Candidate) -> float:
        """Salience: each mention's weight, halved for every sentence since (Lappin and Leass
        1994, simplified); an object pronoun cannot be its own clause's subject."""
        bound_apart = isinstance(candidate, _Identity) and token.dep_ in _OBJECT_DEPS
        if bound_apart and _clause_subject_is(self, sent, token, candidate):  # type: ignore[arg-type]
            return 0.0  # "Elizabeth looked at her": not Elizabeth
        score = 0.0
        for index, weight in reversed(candidate.events):
            distance = sent.index - index
            if distance > WINDOW:
                break
            score += weight * DECAY**distance
        return score


def _indefinite(token: Token) -> bool:
    """ "a small boy", "one young American": an article or a number introduces a person."""
    return any(c.dep_ in ("det", "nummod") for c in token.children)


def _weight(head: Token) -> float:
    """A mention's salience weight by its role: subject > object > the rest."""
    weight = 100.0
    if head.dep_ in SUBJECT_DEPS:
        weight += 80
    elif head.dep_ in ("dobj", "dative"):
        weight += 50
    elif head.dep_ == "poss":
        weight -= 30
    return weight


def _clause_subject_is(
    resolver: _Resolver, sent: ParsedSentence, token: Token, ident: _Identity
) -> bool:
    subject = _clause_subject(token)
    return subject is not None and resolver.placed.get((sent.index, subject.i)) is ident


def _label(candidate: Candidate) -> str:
    return candidate.name


def _poss_pronoun(token: Token) -> bool:
    """ "her"/"his" as determiners are tagged PRP$ (pos DET or PRON by model version)."""
    return token.tag_ == "PRP$" and token.lower_ in _PRONOUN_GENDER


def _head(tokens: list[Token]) -> Token:
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside), tokens[-1])


def _clause_subject(token: Token) -> Token | None:
    """The subject of the nearest verb above ``token`` that has one."""
    node = token
    for _ in range(12):
        if node.head.i == node.i:
            break
        node = node.head
        if node.tag_.startswith("VB") or node.tag_ == "MD":
            subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                return subjects[0]
            if node.dep_ not in ("conj", "xcomp"):
                return None
    return None


def character_chains(parsed: Parsed, cast: CastAnalysis) -> Characters:
    identities = _identities(parsed, cast)
    resolver = _Resolver(parsed, identities)
    resolver.run()
    chains = [
        Chain(
            i.name,
            tuple(sorted(i.aliases)),
            i.gender,
            tuple(sorted(i.mentions, key=lambda m: m.start)),
        )
        for i in identities
    ]
    chains.sort(key=lambda c: -len(c.mentions))
    return Characters(tuple(chains), tuple(resolver.unsure))


def characters_of(document: Document) -> Characters:
    """The document's chains, computed once (from the report's, when a report was made)."""
    cache = document.results
    if "characters" not in cache:
        report = cache.get("report")
        if report is not None:
            cache["characters"] = report.characters
        else:
            parsed = parse_story(document)
            cache["characters"] = character_chains(parsed, analyse_cast(parsed))
    characters: Characters = cache["characters"]
    return characters


@register("characters", needs=("cast_analysis",), order=22)
def _component(context: Context, results: Mapping[str, Any]) -> Characters:
    return character_chains(context.parsed, results["cast_analysis"])
