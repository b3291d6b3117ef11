"""Who dies: deaths as events with a *who*, the evidence for AO3's *Major Character Death*.

A death is someone ceasing to live, told or implied. Each cue found in a sentence becomes a
``Death`` with the one who dies, the kind of that one, and when it happens:

    Finn died in your arms.                       → Finn, named, story time
    Kylo killed the guard.                        → the guard, unnamed
    "Bobby didn't make it," he said.              → Bobby, named, reported in story time
    Just as he finished, the monitor flatlined.   → the person dying nearby (by context)
    Today's the funeral. … for him.               → the named person the funeral is for
    Your father passed away twelve years ago.     → backstory (not MCD)
    You died. (in a video game)                   → nothing: fiction (a game, a play, a film)
    You woke up screaming; it was a dream.        → nothing: dreamed
    Your heart stopped … the CPR brought you back → nothing: averted
    I'm dying of embarrassment.                   → nothing: a figure of speech

Kinds: ``reader`` (you), ``named`` (a cast name, or a pronoun resolved to one over the previous
sentences of the chapter), ``major`` (an unnamed person the story keeps returning to, "the old
man" of a two-character story), ``unnamed`` (an extra), ``pet``. Only reader, named and major
deaths in the story's time are Major Character Deaths; the others are Implied/Referenced.

Near the end of a second-person story, a fading that happens to the reader counts, more surely
after the reader is hurt ("Your vision starts to go dark … you drift away"); sleep does not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Token

from ynsert.analysis.base import Evidence
from ynsert.analysis.events import event_status, hypothetical, verb_of
from ynsert.analysis.parsed import Parsed, ParsedSentence
from ynsert.vocab.lexicon import word_list, words
from ynsert.vocab.persons import FIRST_PERSON, FIRST_PERSON_WORDS, PERSON_PRONOUNS, PRESETS
from ynsert.vocab.persons import SECOND_PERSON as SECOND_PERSON_SET
from ynsert.vocab.persons import SECOND_PERSON_ANALYSED as SECOND_PERSON

Kind = Literal["reader", "named", "major", "unnamed", "pet"]
When = Literal["story", "backstory"]

DIE_VERBS = words("die perish expire drown suffocate flatline")
KILL_VERBS = words(
    "kill murder slay assassinate execute behead decapitate strangle slaughter butcher smother"
)
DEAD_WORDS = words("dead lifeless deceased")
PEOPLE = word_list("people")
ANIMALS = words("cat dog horse puppy kitten bird pet hound pony")
FADING = (
    "drift away",
    "slip away",
    "fade away",
    "last breath",
    "last exhale",
    "breathe your last",
    "go dark",
    "go black",
    "goes dark",
    "goes black",
    "went dark",
    "went black",
    "fades to black",
    "heart stops",
    "heart stopped",
    "last thing you",
    "for the last time",
    "never wake",
    "goes slack",
    "went slack",
)
HURT = words(
    """pain wound stab stabbed blood bleed bleeding seared shot impaled pierce lightsaber
    fever sick illness disease cancer poison poisoned infection cough coughing curse cursed
    hurt injured injury bullet gunshot"""
)
#: The body stopping, said of anyone: a death without a death word.
CESSATION = (
    "stopped breathing",
    "stops breathing",
    "breathing stopped",
    "breathing stops",
    "chest stopped moving",
    "chest stops moving",
    "heart stopped beating",
    "heart stops beating",
    "eyes went glassy",
    "eyes go glassy",
    "breathed his last",
    "breathed her last",
    "breathed their last",
    "passed away",
    "passes away",
    "light left his",
    "light left her",
    "light left their",
    "light left your",
    "light leave your",
    "light leave his",
    "light leave her",
    "life left his",
    "life left her",
    "life left their",
    "life left your",
    "life drained from",
    "light faded from",
    "last exhale",
)
#: Words of a burial or mourning: a death told through what comes after it.
MOURNING = words("funeral grave coffin casket burial eulogy wake memorial headstone gravestone")
_SLEEP = words("sleep asleep slumber nap dream")
_ENDING_SHARE = 0.15  # the last 15% of the story's sentences
_MIN_ENDING = 6
_HURT_WINDOW = 15  # sentences before a fading in which the reader must have been hurt
_LOOK_BACK = 4  # sentences searched for a pronoun's antecedent
_MAJOR_MENTIONS = 5  # an unnamed description this often in the work is a major character

#: Frames in which nobody really dies, looked for around the cue (sentences before, after).
_FICTION = re.compile(
    r"\b(?:video ?games?|the game|controller|respawn|the level|boss fight|pixels|game over|"
    r"on stage|the stage|the play|rehearsal|the audience|curtain call|the wings|players|"
    r"performance|the production|the role|"
    r"(?:big|death|final|balcony|love|last) scene|the script|the film|the movie|the credits|"
    r"the episode|the character)\b",
    re.IGNORECASE,
)
_DREAM = re.compile(r"\b(?:dream|dreamed|dreamt|dreaming|nightmare|nightmares)\b", re.I)
_WAKING = re.compile(r"\b(?:woke|wake|wakes|awake|awoke|jolted awake)\b", re.I)
_AVERTED = re.compile(
    r"\b(?:cpr|revive[ds]?|resuscitat\w*|brought (?:you|him|her|them) back|came back|"
    r"breath(?:ing|es|ed)? again|survive[ds]?|pulled through|made it through|recover(?:s|ed)?|"
    r"still alive|alive\b|in time|caught (?:you|him|her)|saved (?:you|him|her))",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"\b(?:die|dying|died|dead|kill|killing|killed|death)\b[^.!?]{0,20}\b(?:of|from) "
    r"(?:embarrassment|laughter|laughing|shame|boredom|cuteness|happiness|jealousy)|"
    r"\bdying to\b|\bkill me\b|\bdeath of me\b|\bi'?m dead\b|\byou'?re dead\b|"
    r"\bkilled it\b|\blike dying\b|\bdrop dead\b|\bdead tired\b|\bdead on my feet\b|"
    r"\bkilling me\b|\byou killed me\b|\bdead serious\b|\bdeadline\b|\bdead end\b|"
    r"\bi(?:'d| would) die\b|\bbored to death\b|\bscared to death\b|\bto death\b(?! by)|"
    r"\bkills? (?:me|him|her|you|them|us) inside\b|\bkilling (?:him|her|them|us)\b inside|"
    r"\bdeath[- ]by[- ]chocolate\b|\bdead (?:asleep|drunk|weight|silent|still)\b",
    re.IGNORECASE,
)
_BACKSTORY = re.compile(
    r"\b(?:years? ago|months ago|years before|when (?:i|you|he|she) (?:was|were) "
    r"(?:a kid|little|young|\w+teen|\d+)|anniversary|long ago|as a child|"
    r"(?:twelve|eleven|ten|\w+) years (?:since|ago))\b",
    re.IGNORECASE,
)
_REPORT_VERBS = words("say tell whisper murmur report announce explain")


@dataclass(frozen=True)
class Death:
    """One death cue: who dies, of what kind, when, and how sure the rules are."""

    who: str  # "reader", a character's name, or the words naming the person
    status: str  # depicted (the story's time) / mentioned (backstory, a report of the past)
    confidence: float
    evidence: Evidence
    kind: Kind = "unnamed"
    when: When = "story"

    @property
    def major(self) -> bool:
        """A Major Character Death: the reader, a named or major character, in story time."""
        return self.kind in ("reader", "named", "major") and self.when == "story"


# --- who dies ----------------------------------------------------------------------------------


def _victim(token: Token) -> Token | None:
    """The person who dies for a death word, if the parse names one."""
    lemma = token.lemma_.lower()
    deps = ("nsubj", "nsubjpass")
    if lemma in KILL_VERBS and token.pos_ == "VERB":
        deps = ("dobj", "nsubjpass") if token.tag_ != "VBN" else ("nsubjpass", "dobj")
    elif lemma in DEAD_WORDS and token.dep_ in ("acomp", "attr", "oprd", "advcl", "xcomp"):
        token = token.head
    elif lemma == "death" and token.dep_ == "pobj" and token.head.lower_ == "in":
        return _inverted_subject(verb_of(token))  # "fell prostrate in death the Prince Prospero"
    elif lemma not in DIE_VERBS or token.pos_ not in ("VERB", "NOUN"):
        return None
    if _still_dying(token):
        return None
    return next((c for c in token.children if c.dep_ in deps), None)


def _still_dying(token: Token) -> bool:
    """ "My mother is dying", "he was dying": someone on the way, not (yet) a death."""
    return token.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "be" for c in token.children
    )


def _inverted_subject(verb: Token) -> Token | None:
    """The subject of a verb, or the name the parser hung after it in an inverted sentence."""
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject or next(
        (c for c in children if c.pos_ == "PROPN" and c.i > verb.i and c.dep_ == "npadvmod"),
        None,
    )


def _is_person(token: Token, names: set[str]) -> bool:
    if token.lower_ in SECOND_PERSON or token.lower_ in PERSON_PRONOUNS | _PRONOUNS:
        return True
    if token.text in names or token.ent_type_ == "PERSON":
        return True
    return token.lemma_.lower() in PEOPLE | ANIMALS and token.pos_ in ("NOUN", "PROPN")


def present_tense_story(parsed: Parsed) -> bool:
    """Is the story's now told in the present tense (most narrated main verbs present)?"""
    present = past = 0
    for sent in parsed.sentences:
        for token in sent.doc:
            if token.dep_ == "ROOT" and sent.narrative[token.i] and token.pos_ in ("VERB", "AUX"):
                present += token.tag_ in ("VBP", "VBZ")
                past += token.tag_ == "VBD"
    return present > 2 * past and present >= 5


#: he/him/his, she/her, they/them/their: the pronouns a death's "who" may stand behind.
_PRONOUNS = frozenset(f for key in ("he", "she", "they") for f in PRESETS[key].forms()[:3])


class Resolver:
    """Who a pronoun or a description stands for, over the sentences before it.

    The antecedent of "he" is the nearest earlier person that is a subject (then any person):
    a cast name makes the death a named one, a common noun ("the guard") an unnamed one.
    """

    def __init__(self, parsed: Parsed, names: set[str]) -> None:
        self.parsed = parsed
        self.names = names
        self.mentions = _description_counts(parsed)
        self.genders = _genders(parsed, names)
        self.fiction = fiction_positions(parsed)
        #: names used where the story speaks of a play, a game or a film: roles, not people
        self.fictional = {
            t.text
            for i in (self.fiction if len(self.fiction) >= 3 else ())
            for t in parsed.sentences[i].doc
            if t.pos_ == "PROPN" and t.is_title
        }
        self.last: tuple[int, Kind, str] | None = None  # the latest death: sentence, kind, who
        self.present = present_tense_story(parsed)

    def remember(self, position: int, kind: Kind, who: str) -> None:
        self.last = (position, kind, who)

    def kind_of(self, token: Token, sent: ParsedSentence) -> tuple[Kind, str]:
        if token.lower_ in SECOND_PERSON or token.lower_ == "your":
            return "reader", "reader"
        if token.lower_ in FIRST_PERSON_WORDS:
            return "major", "the narrator"
        if token.lower_ in _PRONOUNS or token.lower_ in ("it", "its"):
            if self.last is not None and 0 < sent.index - self.last[0] <= 3:
                return self.last[1], self.last[2]  # "he was dead. … You killed him."
            if not sent.narrative[token.i]:
                return "unnamed", f"a character (“{token.text}”)"  # a speaker's "he": unknown
            antecedent = self._antecedent(token, sent)
            if antecedent is None:
                return "unnamed", f"a character (“{token.text}”)"
            token = antecedent
        return self._kind_of_noun(token)

    def _kind_of_noun(self, token: Token) -> tuple[Kind, str]:
        name = _full_name(token)
        if token.text in self.names or (token.pos_ == "PROPN" and token.ent_type_ == "PERSON"):
            return "named", name
        lemma = token.lemma_.lower()
        if lemma in ANIMALS:
            return "pet", name
        if self.mentions[lemma] >= _MAJOR_MENTIONS and lemma in PEOPLE:
            return "major", name
        if token.pos_ == "PROPN" and token.is_title:
            return "named", name
        return "unnamed", name

    def _antecedent(self, pronoun: Token, sent: ParsedSentence) -> Token | None:
        """The nearest earlier person: this sentence first, then up to four before."""
        animal = pronoun.lower_ in ("it", "its")
        start = sent.index
        for position in range(start, max(-1, start - _LOOK_BACK - 1), -1):
            doc = self.parsed.sentences[position].doc
            limit = pronoun.i if position == start else len(doc)
            found = self._person_in(doc, limit, animal, _GENDER.get(pronoun.lower_))
            if found is not None:
                return found
        return None

    def _person_in(self, doc: object, limit: int, animal: bool, gender: str | None) -> Token | None:
        tokens = [t for t in list(doc)[:limit] if t.pos_ in ("NOUN", "PROPN")]  # type: ignore[call-overload]
        fits = [
            t
            for t in tokens
            if _fits(t, self.names, animal)
            and (gender is None or self.genders.get(t.text, gender) == gender)
        ]
        subjects = [t for t in fits if t.dep_ in ("nsubj", "nsubjpass")]
        return (subjects or fits or [None])[-1]


#: pronoun → "m" or "f", from the vocabulary's he and she sets
_GENDER = {f: g for key, g in (("he", "m"), ("she", "f")) for f in PRESETS[key].forms()[:3]}


def _genders(parsed: Parsed, names: set[str]) -> dict[str, str]:
    """A name's gender from the pronouns that follow it in its sentence and the next one: a
    "she" does not go back to Brently when Louise is the woman of the story."""
    votes: dict[str, Counter[str]] = {}
    sentences = parsed.sentences
    for position, sent in enumerate(sentences):
        following = list(sentences[position + 1].doc) if position + 1 < len(sentences) else []
        for token in sent.doc:
            if token.text not in names:
                continue
            after = [*sent.doc[token.i + 1 :], *following]
            genders = (_GENDER[t.lower_] for t in after if t.lower_ in _GENDER)
            first = next(genders, None)
            if first is not None:
                votes.setdefault(token.text, Counter())[first] += 1
    return {
        name: count.most_common(1)[0][0]
        for name, count in votes.items()
        if count.most_common(1)[0][1] >= 2 * (sum(count.values()) - count.most_common(1)[0][1])
    }


def _fits(token: Token, names: set[str], animal: bool) -> bool:
    lemma = token.lemma_.lower()
    if animal:
        return lemma in ANIMALS
    return token.text in names or token.ent_type_ == "PERSON" or lemma in PEOPLE


def _full_name(token: Token) -> str:
    """The name or description around a token: "Boromir of Gondor", "the old man"."""
    compounds = [c for c in token.children if c.dep_ in ("compound", "amod", "det", "poss")]
    left = min([token.i, *(c.left_edge.i for c in compounds)])
    return token.doc[left : token.i + 1].text


def _description_counts(parsed: Parsed) -> Counter[str]:
    """How often each person-noun lemma is used with a determiner or possessive."""
    counts: Counter[str] = Counter()
    for sent in parsed.sentences:
        for token in sent.doc:
            if token.pos_ == "NOUN" and any(c.dep_ in ("det", "poss") for c in token.children):
                counts[token.lemma_.lower()] += 1
    return counts


# --- frames in which nobody dies -----------------------------------------------------------------


def _around(parsed: Parsed, position: int, before: int, after: int) -> str:
    sentences = parsed.sentences[max(0, position - before) : position + after + 1]
    return " ".join(parsed.text[s.start : s.end] for s in sentences)


def fiction_positions(parsed: Parsed) -> list[int]:
    """Sentences that speak of a game, a play or a film."""
    return [s.index for s in parsed.sentences if _FICTION.search(parsed.text, s.start, s.end)]


def not_a_death(
    parsed: Parsed, position: int, cue: Token | None = None, fiction: list[int] | None = None
) -> str | None:
    """Why a death cue is not a death: a figure of speech, fiction, a dream, or averted.

    ``fiction``: the work's sentences about a game, a play or a film; in a work that keeps
    returning to one (three or more), a death within ten sentences of it is inside it."""
    sent = parsed.sentences[position]
    if fiction and len(fiction) >= 3 and any(abs(f - position) <= 10 for f in fiction):
        return "fiction (a game, a play, a film)"
    if _FIGURE.search(parsed.text, sent.start, sent.end):
        return "a figure of speech"
    if cue is not None and _said_of_self(sent, cue):
        return "a figure of speech"
    if _FICTION.search(_around(parsed, position, 4, 3)):
        return "fiction (a game, a play, a film)"
    if _DREAM.search(_around(parsed, position, 4, 0)) or (
        _DREAM.search(_around(parsed, position, 0, 4))
        and _WAKING.search(_around(parsed, position, 0, 4))
    ):
        return "a dream"
    if _AVERTED.search(_around(parsed, position, 0, 5)):
        return "averted (they live)"
    return None


def _said_of_self(sent: ParsedSentence, cue: Token) -> bool:
    """ "I'm dying," said in the present in dialogue, is almost always a figure."""
    if sent.narrative[cue.i]:
        return False
    return cue.tag_ in ("VBG", "VBP", "VBZ", "JJ") and any(
        t.lower_ in ("i", "you", "we") for t in cue.doc[max(0, cue.i - 4) : cue.i]
    )


def _when(parsed: Parsed, position: int, cue: Token, status: str, present: bool = False) -> When:
    sent = parsed.sentences[position]
    if _BACKSTORY.search(parsed.text, sent.start, sent.end):
        return "backstory"
    if present and sent.narrative[cue.i] and verb_of(cue).tag_ in ("VBD", "VBN"):
        return "backstory"  # "Sam died" told in a story whose now is the present tense
    if status == "mentioned" and sent.narrative[cue.i] and _reported_speech(cue):
        return "story"  # "the doctors said she had died": shifted back by the report only
    if status == "mentioned" and not _reported_now(sent, cue):
        return "backstory"
    return "story"


def _reported_speech(cue: Token) -> bool:
    verb = verb_of(cue)
    return verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _REPORT_VERBS


def _reported_now(sent: ParsedSentence, cue: Token) -> bool:
    """A death told in dialogue in the simple past or present ("Bobby didn't make it," he said)
    belongs to the story's time unless it is past perfect, modal, a question or backstory."""
    if sent.narrative[cue.i]:
        return False
    if sent.doc.text.rstrip(" \"'”’").endswith("?"):
        return False
    if hypothetical(verb_of(cue)):
        return False  # "She wants to kill you", "if you get killed": a threat, not a report
    verb = cue if cue.pos_ in ("VERB", "AUX") else cue.head
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return not auxes & {"had", "'d", "would", "could", "might", "will", "'ll", "may", "should"}


# --- cues ----------------------------------------------------------------------------------------


def explicit_deaths(parsed: Parsed, names: set[str], resolver: Resolver) -> Iterator[Death]:
    for sent in parsed.sentences:
        for token in sent.doc:
            victim = _victim(token)
            if victim is None or not _is_person(victim, names):
                continue
            death = _death(parsed, sent, token, victim, resolver, token.text, base=0.9)
            if death is not None:
                yield death


def _death(
    parsed: Parsed,
    sent: ParsedSentence,
    cue: Token,
    victim: Token,
    resolver: Resolver,
    note: str,
    *,
    base: float,
    status: str | None = None,
) -> Death | None:
    status = status or event_status(sent, cue)
    if status is None:
        return None
    reported = status == "mentioned" and _reported_now(sent, cue)
    spoken = status == "mentioned" and not reported and not sent.narrative[cue.i]
    if spoken and not _BACKSTORY.search(parsed.text, sent.start, sent.end):
        return None  # a hypothetical or a question in dialogue: nobody dies
    if not_a_death(parsed, sent.index, cue, resolver.fiction):
        return None
    kind, who = resolver.kind_of(victim, sent)
    resolver.remember(sent.index, kind, who)
    if kind == "named" and set(who.split()) & resolver.fictional:
        return None  # Juliet dies every night at 9:40: a role in the play
    when = _when(parsed, sent.index, cue, status, resolver.present)
    shown = "depicted" if when == "story" else "mentioned"
    told_now = reported or (status == "mentioned" and when == "story")
    confidence = base if status == "depicted" else (base - 0.2 if told_now else 0.3)
    if kind in ("unnamed", "pet"):
        confidence = min(confidence, 0.75)
    evidence = parsed.index.evidence(sent.start, sent.end, note)
    return Death(who, shown, round(confidence, 2), evidence, kind, when)


_MAKE_IT = ("make it", "made it", "making it")
_GET_UP = words("up")


def implied_deaths(parsed: Parsed, names: set[str], resolver: Resolver) -> Iterator[Death]:
    """ "didn't make it", "went down and didn't get up", "was gone" after a body goes slack,
    "the monitor flatlined", "the late Sirius Black"."""
    for sent in parsed.sentences:
        for token in sent.doc:
            victim, note = _implied(token, parsed, sent, names)
            if victim is None:
                continue
            status = "depicted" if sent.narrative[token.i] else "mentioned"
            death = _death(parsed, sent, token, victim, resolver, note, base=0.8, status=status)
            if death is not None:
                yield death


def subject_of(token: Token) -> Token | None:
    """The subject of a verb or predicate, shared along a conjunction ("folds and doesn't get
    up") and from the verb "be" for a predicate adjective ("he was gone")."""
    node = token
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        auxes = (c for c in node.children if c.dep_ in ("aux", "auxpass"))
        # the parser sometimes hangs the subject on the auxiliary: "Boromir was gone"
        subject = subject or next(
            (g for a in auxes for g in a.children if g.dep_ in ("nsubj", "nsubjpass")), None
        )
        if subject is not None:
            return subject
        if node.dep_ not in ("conj", "acomp", "attr", "xcomp") or node.head.i == node.i:
            return None
        node = node.head
    return None


_IMPLIED_WORDS = words("make made making makes get gets got getting gone late flatline flatlined")


def _implied(
    token: Token, parsed: Parsed, sent: ParsedSentence, names: set[str]
) -> tuple[Token | None, str]:
    if token.lower_ not in _IMPLIED_WORDS:
        return None, ""  # most tokens: decided without walking the parse
    lemma = token.lemma_.lower()
    subject = subject_of(token)
    negated = any(c.dep_ == "neg" for c in token.children)
    if lemma == "make" and negated and any(c.lower_ == "it" for c in token.children):
        return (subject, "didn't make it") if subject is not None else (None, "")
    got_up = lemma == "get" and any(c.lower_ in _GET_UP for c in token.children)
    if got_up and negated and subject is not None and _fell_before(sent, token):
        return subject, "went down and did not get up"
    if (
        token.lower_ == "gone"
        and (token.dep_ in ("acomp", "attr") or any(c.lemma_ == "be" for c in token.children))
        and subject is not None
        and _body_failed(parsed, sent.index)
    ):
        return subject, "was gone, after the body failed"
    if token.lower_ == "late" and token.dep_ == "amod" and _a_name(token.head, names):
        return token.head, "“the late …”"
    if lemma == "flatline" and subject is not None and subject.lemma_.lower() == "monitor":
        person = _dying_person(parsed, sent.index, names)
        return person, "the monitor flatlined"
    return None, ""


def _named(token: Token, names: set[str]) -> bool:
    return token.text in names or token.ent_type_ == "PERSON"


def _a_name(token: Token, names: set[str]) -> bool:
    """A person's name, not a month or a place ("the late Sirius Black", not "late June")."""
    if _named(token, names):
        return True
    return token.pos_ == "PROPN" and token.ent_type_ in ("", "PERSON", "NORP", "ORG")


def _fell_before(sent: ParsedSentence, token: Token) -> bool:
    text = sent.doc[: token.i].text.lower()
    return any(w in text for w in ("went down", "goes down", "fell", "falls", "folds", "crumpled"))


_SLACK = re.compile(r"\b(?:went|goes|go) (?:slack|still|limp)\b|\blast breath|eyes,? still open")


def _body_failed(parsed: Parsed, position: int) -> bool:
    return bool(_SLACK.search(_around(parsed, position, 2, 0).lower()))


_DYING = HURT | words("breath breathing hospice bed morphine dying pulse monitor weak frail")


def _dying_person(parsed: Parsed, position: int, names: set[str]) -> Token | None:
    """The named person of the sentences before who is most often spoken of beside illness or
    hurt in the work (a monitor flatlines for the patient, not for the visitor)."""
    near = [
        t
        for s in parsed.sentences[max(0, position - 10) : position + 4]
        for t in s.doc
        if _named(t, names)
    ]
    if not near:
        return None
    # the one tended and looked at, not the one acting: subjects count against
    score: Counter[str] = Counter()
    for t in near:
        score[t.text] += -1 if t.dep_ in ("nsubj", "nsubjpass") else 1
    return max(reversed(near), key=lambda t: score[t.text])


def mourning(parsed: Parsed, names: set[str], resolver: Resolver) -> Iterator[Death]:
    """A funeral, a grave or a coffin *for a named person*, in the story's time: the death
    happened though it is never shown. A grave visited on an anniversary is backstory."""
    seen: set[str] = set()
    for sent in parsed.sentences:
        cue = next((t for t in sent.doc if t.lemma_.lower() in MOURNING), None)
        if cue is None:
            continue
        person = _mourned(parsed, sent, cue, names)
        if person is None:
            continue
        kind, who = resolver.kind_of(person, sent)
        if kind not in ("named", "reader") or who in seen:
            continue
        if not_a_death(parsed, sent.index, None, resolver.fiction):
            continue
        backstory = _BACKSTORY.search(_around(parsed, sent.index, 3, 3))
        seen.add(who)
        when: When = "backstory" if backstory else "story"
        evidence = parsed.index.evidence(sent.start, sent.end, f"{cue.text} of {who}")
        status = "depicted" if when == "story" else "mentioned"
        yield Death(who, status, 0.7 if when == "story" else 0.3, evidence, kind, when)


def _mourned(parsed: Parsed, sent: ParsedSentence, cue: Token, names: set[str]) -> Token | None:
    """Whose funeral: a possessor ("Eddie's funeral", "his grave"), "for him", or the named
    person of the sentences just before."""
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lower_ not in ("my", "our", "your"):
        return owner
    for token in sent.doc:
        if token.lower_ == "for" and token.head.i <= cue.i + 12:
            target = next((c for c in token.children if c.dep_ == "pobj"), None)
            if target is not None and (target.lower_ in _PRONOUNS or target.text in names):
                return target
    window = [s for s in parsed.sentences[max(0, sent.index - 2) : sent.index + 3]]
    for other in window:
        for token in other.doc:
            if token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_.lower() in (
                "bury",
                "lower",
            ):
                return token
    return None


def reader_fading(parsed: Parsed, fiction: list[int] | None = None) -> Iterator[Death]:
    """Fading euphemisms about the reader near the end; surer after the reader is hurt."""
    sentences = parsed.sentences
    ending = max(_MIN_ENDING, int(len(sentences) * _ENDING_SHARE))
    for position in range(max(0, len(sentences) - ending), len(sentences)):
        sent = sentences[position]
        lowered = sent.doc.text.lower()
        cue = next((f for f in FADING if f in lowered), None)
        if not cue or not _about_reader(sent) or any(w in _SLEEP for w in lowered.split()):
            continue
        if not_a_death(parsed, position, None, fiction):
            continue
        hurt = _reader_hurt(sentences[max(0, position - _HURT_WINDOW) : position + 1])
        confidence = 0.85 if hurt else 0.45
        note = f"“{cue}” near the end" + (", after the reader is hurt" if hurt else "")
        evidence = parsed.index.evidence(sent.start, sent.end, note)
        yield Death("reader", "depicted", confidence, evidence, "reader")


def _about_reader(sent: ParsedSentence) -> bool:
    return any(t.lower_ in SECOND_PERSON for t in sent.narration())


def _reader_hurt(window: list[ParsedSentence]) -> bool:
    return any(
        _about_reader(s) and any(t.lower_ in HURT or t.lemma_ in HURT for t in s.narration())
        for s in window
    )


def bodily_cessation(parsed: Parsed, names: set[str], resolver: Resolver) -> Iterator[Death]:
    """ "His breathing stopped." "Her chest stopped moving." A person's body stopping in the
    narration is a death on the page, though no death word is used. "Had the dream passed
    away?" is not: the one who stops must be a person."""
    for sent in parsed.sentences:
        lowered = sent.doc.text.lower()
        cue = next((c for c in CESSATION if c in lowered), None)
        if cue is None or not sent.has_narration:
            continue
        person = _who_stops(sent, lowered.index(cue), names)
        if person is None or not_a_death(parsed, sent.index, None, resolver.fiction):
            continue
        kind, who = resolver.kind_of(person, sent)
        when: When = "backstory" if _BACKSTORY.search(lowered) else "story"
        status = "depicted" if when == "story" else "mentioned"
        evidence = parsed.index.evidence(sent.start, sent.end, cue)
        confidence = 0.7 if when == "story" else 0.3
        yield Death(who, status, confidence, evidence, kind, when)


def _who_stops(sent: ParsedSentence, cue_at: int, names: set[str]) -> Token | None:
    """The person whose body stops: the verb's subject, or the owner of the body part."""
    verb = next((t for t in sent.doc if t.idx >= cue_at and t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and _is_person(subject, names):
        return subject
    # "his breathing stopped", "the light left her eyes", "the life drained from your face"
    parts = [subject, *(c for c in verb.children if c.dep_ == "dobj")]
    parts += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    owners = (o for part in parts if part is not None for o in part.children if o.dep_ == "poss")
    return next((o for o in owners if _is_person(o, names) or o.lower_ in _OWNERS), None)


_OWNERS = frozenset(PRESETS[key].determiner for key in ("he", "she", "they")) | {
    SECOND_PERSON_SET.determiner,
    FIRST_PERSON.determiner,
}


def find_deaths(parsed: Parsed, names: set[str]) -> list[Death]:
    resolver = Resolver(parsed, names)
    deaths = [
        *explicit_deaths(parsed, names, resolver),
        *implied_deaths(parsed, names, resolver),
        *mourning(parsed, names, resolver),
        *reader_fading(parsed, resolver.fiction),
        *bodily_cessation(parsed, names, resolver),
    ]
    return sorted(deaths, key=lambda d: (-d.confidence, d.evidence.start))
