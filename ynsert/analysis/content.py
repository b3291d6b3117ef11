"""Content warnings: AO3's archive warnings and common triggers, each with evidence and confidence.

Rules over the parse give the evidence (``deaths``: who dies; ``triggers``: lexicon hits placed
as depicted or mentioned); the trained classifier (``classifier``) adds its confidence for the
triggers it knows (up when it agrees, down when it does not), never raising one on its own.
Archive warnings stand on rule evidence, because a warning needs a *reason* a writer can check:

    Major Character Death      the reader, a named or a major character dies in the story's
                               time (``deaths``: who, when; fiction, dreams, averted, figures out)
    Graphic Depictions Of Violence   a wound told in detail (``violence``: graded)
    Rape/Non-Con               a rape word, or a non-consent cue near sexual content (``consent``)
    Underage                   sexual content and a minor cue in the work (``consent``)

For MCD and Graphic Violence the work model (``workmodel``) then weighs the rules' confidences
with the passage model's reads of every window, and decides with a threshold chosen on the
workset's dev part. Every archive warning gets a ``Verdict`` in ``Content.checked``: "detected
(…)" or "not detected (confidence …)", never a bare claim that no warning applies.

Confidence of a trigger from its hits: each hit adds ``weight × certainty`` by noisy-or, with
weight 1 for specific words (tortured) and 0.4 for common ones (knife, cell), certainty 0.8 when
depicted and 0.6 when mentioned. Anything at 0.5 or more is reported.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from ynsert.analysis import consent, preface, violence, workmodel
from ynsert.analysis.base import Context, Evidence, register
from ynsert.analysis.cast import Cast
from ynsert.analysis.classifier import ClassifierResult
from ynsert.analysis.deaths import MOURNING, Death
from ynsert.analysis.events import hypothetical, verb_of
from ynsert.analysis.parsed import Parsed
from ynsert.analysis.triggers import Hit
from ynsert.vocab.lexicon import words

if TYPE_CHECKING:
    from ynsert.analysis.declared import Declared

REPORT_AT = 0.5
#: An archive warning is shown as "possible", with its evidence, from this probability up: a
#: reader may choose to be warned from here ("warn me at 30 % and up"), never below it.
SHOWN_FROM = 0.1
#: Confidence of a warning the author names in the summary or notes, where no model weighs it.
AUTHOR_SAYS = 0.6
#: Triggers whose common words alone ("naked", "moan") are not enough.
_NEEDS_STRONG = frozenset({"sexual content"})
_CLASSIFIER_WEIGHT = 0.8  # how far a classifier score counts next to rule evidence
_CLASSIFIER_DOUBT = 0.85  # rule evidence the classifier scores below its threshold
_MAX_EVIDENCE = 4

Status = Literal["depicted", "mentioned"]


@dataclass(frozen=True)
class ContentWarning:
    name: str
    category: Literal["archive", "trigger"]
    confidence: float
    status: Status
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What the analysis says about one archive warning, said honestly: a detection with its
    confidence, or "not detected (confidence …)" — never a claim that the warning is absent.
    ``confidence`` is the confidence in the verdict itself (for "not detected": that the
    warning really does not apply, which the rules' measured misses keep well below 1)."""

    warning: str
    detected: bool
    confidence: float
    text: str


@dataclass(frozen=True)
class Content:
    archive: tuple[ContentWarning, ...]
    triggers: tuple[ContentWarning, ...]
    deaths: tuple[Death, ...]
    classifier: bool  # was the trained classifier available?
    checked: tuple[Verdict, ...] = ()  # one verdict per archive warning, detected or not
    #: every archive warning at ``SHOWN_FROM`` or more, flagged by default or not
    assessed: tuple[ContentWarning, ...] = ()
    #: the work-level signals per warning key, as the work model read them
    signals: dict[str, dict[str, float]] = field(default_factory=dict)
    #: the rules' own confidence per archive warning, before any model weighed them
    rules: dict[str, float] = field(default_factory=dict)

    def flagged(self, at: float | None = None) -> list[ContentWarning]:
        """The archive warnings a reader sees: from probability ``at`` up (a reader's own
        level), or at each warning's default level when ``at`` is None."""
        if at is None:
            return list(self.archive)
        return [w for w in self.assessed if w.confidence >= max(at, SHOWN_FROM)]

    def names(self) -> list[str]:
        return [w.name for w in (*self.archive, *self.triggers)]

    def warning(self, name: str) -> ContentWarning | None:
        return next((w for w in (*self.archive, *self.triggers) if w.name == name), None)


def hit_confidence(hits: Iterable[Hit]) -> float:
    missing = 1.0
    for hit in hits:
        weight = 0.4 if hit.weak else 1.0
        missing *= 1 - weight * (0.8 if hit.status == "depicted" else 0.6)
    return 1 - missing


def _hit_evidence(parsed: Parsed, hits: list[Hit]) -> tuple[Evidence, ...]:
    ranked = sorted(hits, key=lambda h: (h.weak, h.status != "depicted", h.sentence.start))
    seen: set[int] = set()
    evidence = []
    for hit in ranked:
        if hit.sentence.index in seen:
            continue
        seen.add(hit.sentence.index)
        note = f"{hit.status}: {hit.token.text}"
        evidence.append(parsed.index.evidence(hit.sentence.start, hit.sentence.end, note))
    return tuple(evidence[:_MAX_EVIDENCE])


# --- common triggers ----------------------------------------------------------------------------


def triggers(
    parsed: Parsed, hits: list[Hit], deaths: list[Death], scores: ClassifierResult
) -> list[ContentWarning]:
    by_trigger: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.trigger != "rape":
            by_trigger[hit.trigger].append(hit)
    names = set(by_trigger)
    found = [_trigger(parsed, name, by_trigger.get(name, []), scores) for name in sorted(names)]
    death = _with_deaths(found, deaths)
    return sorted((w for w in death if w), key=lambda w: (-w.confidence, w.name))


def _strong_enough(hits: list[Hit]) -> bool:
    """One unambiguous word, or several different suggestive ones (naked, moan, thrust…):
    a single "naked" or "moan" is too common in other senses to tag a work."""
    if any(not h.weak for h in hits):
        return True
    return len({h.token.lemma_.lower() for h in hits}) >= _MIN_WEAK_KINDS


_MIN_WEAK_KINDS = 3


def _trigger(
    parsed: Parsed, name: str, hits: list[Hit], scores: ClassifierResult
) -> ContentWarning | None:
    if not hits or (name in _NEEDS_STRONG and not _strong_enough(hits)):
        return None
    confidence = hit_confidence(hits)
    evidence = _hit_evidence(parsed, hits)
    sources: tuple[str, ...] = ("rules",)
    best = scores.best(name, [h.sentence.start for h in hits])
    if best:
        score = best.scores[name]
        if scores.passes(name, score):
            confidence = 1 - (1 - confidence) * (1 - _CLASSIFIER_WEIGHT * score)
        else:
            confidence *= _CLASSIFIER_DOUBT
        evidence += (parsed.index.evidence(best.start, best.end, f"classifier: {score:.2f}"),)
        sources += ("classifier",)
    if confidence < REPORT_AT:
        return None
    depicted = any(h.status == "depicted" and not h.weak for h in hits)
    status: Status = "depicted" if depicted else "mentioned"
    return ContentWarning(name, "trigger", round(confidence, 2), status, evidence, sources)


def _with_deaths(
    found: list[ContentWarning | None], deaths: list[Death]
) -> list[ContentWarning | None]:
    """A depicted death makes the death trigger depicted and at least as sure as the death."""
    sure = [d for d in deaths if d.status == "depicted" and d.confidence >= REPORT_AT]
    if not sure:
        return found
    evidence = tuple(d.evidence for d in sure[:_MAX_EVIDENCE])
    current = next((w for w in found if w and w.name == "death"), None)
    confidence = max([d.confidence for d in sure] + [current.confidence if current else 0])
    merged = ContentWarning(
        "death",
        "trigger",
        round(confidence, 2),
        "depicted",
        evidence + (current.evidence if current else ()),
        tuple(dict.fromkeys(("rules", *(current.sources if current else ())))),
    )
    return [w for w in found if w is not current] + [merged]


# --- archive warnings ---------------------------------------------------------------------------

ARCHIVE = tuple(workmodel.KEYS.values())
_KEY_OF = {name: key for key, name in workmodel.KEYS.items()}
_VIOLENT_TRIGGERS = frozenset({"violence", "blood", "torture"})
#: Grief and its rites: a death told through what comes after it.
_GRIEF = MOURNING | words("grief grieve mourn mourning widow widower buried bury loss")


@dataclass(frozen=True)
class RuleSay:
    """The rules' own say on one warning: their confidence and evidence, before weighing."""

    confidence: float
    status: Status
    evidence: tuple[Evidence, ...]


def archive_signals(
    parsed: Parsed,
    hits: list[Hit],
    deaths: list[Death],
    cast: Cast | None,
    told: list[preface.PrefaceCue],
    reads: list[workmodel.WindowRead],
) -> tuple[dict[str, dict[str, float]], dict[str, RuleSay | None]]:
    """Per warning key, the work-level signals (``workmodel.FEATURES``) and the rules' say."""
    words = max(1, sum(len(s.doc) for s in parsed.sentences))
    sexual = consent.sexual_sentences(parsed)
    passages = list(violence.violent_passages(parsed))
    ruled = {
        "mcd": _major_character_death(deaths),
        "graphic_violence": _graphic_violence(passages),
        "rape_noncon": _from_cue(consent.non_consent(parsed, sexual)),
        "underage": _from_cue(consent.minor(parsed, sexual)),
    }
    depicted = [d for d in deaths if d.major]
    death_hits = sum(h.trigger == "death" for h in hits) + len(deaths)
    violent_hits = sum(h.trigger in _VIOLENT_TRIGGERS for h in hits)
    # told on the page now, not in dialogue, backstory or a hypothetical
    death_shown = sum(h.trigger == "death" and _on_page(h) for h in hits)
    violence_shown = sum(h.trigger in _VIOLENT_TRIGGERS and _on_page(h) for h in hits)
    grieving = sum(t.lemma_.lower() in _GRIEF for s in parsed.sentences for t in s.narration())
    death_read, violent_read = workmodel.pooled(reads, "death"), workmodel.pooled(reads, "violence")
    signals = {
        "mcd": {
            "rule_major": max((d.confidence for d in depicted), default=0.0),
            "rule_other": max((d.confidence for d in deaths if not d.major), default=0.0),
            "major_share": max((_share(cast, d.who) for d in depicted), default=0.0),
            "read_max": death_read[0],
            "read_top3": death_read[1],
            "density": workmodel.per_thousand(death_hits, words),
            "narrated": workmodel.per_thousand(death_shown, words),
            "mourning": workmodel.per_thousand(grieving, words),
        },
        "graphic_violence": {
            "rule_graphic": math.log1p(sum(p.grade == "graphic" for p in passages)),
            "rule_depicted": math.log1p(sum(p.grade == "depicted" for p in passages)),
            "read_max": violent_read[0],
            "read_top3": violent_read[1],
            "density": workmodel.per_thousand(violent_hits, words),
            "narrated": workmodel.per_thousand(violence_shown, words),
        },
        "rape_noncon": {"rule_cue": _confidence(ruled["rape_noncon"])},
        "underage": {"rule_cue": _confidence(ruled["underage"])},
    }
    for key, name in workmodel.KEYS.items():
        signals[key]["preface"] = preface.strength(told, name)
    for key in ("rape_noncon", "underage"):
        signals[key]["sexual"] = math.log1p(len(sexual))
    return signals, ruled


def _author_says(told: list[preface.PrefaceCue], name: str) -> RuleSay | None:
    """The summary or notes name the warning ("warning: non-con"): a cue as sure as the
    rules' stated ones. Denials and suggestive words are signals only."""
    cue = preface.best(told, name)
    if cue is None or cue.strength < 1:
        return None
    return RuleSay(AUTHOR_SAYS, "mentioned", (cue.evidence,))


def _on_page(hit: Hit) -> bool:
    """A death or violence word in the narration's own now (the death trigger is never
    "depicted" as a hit, so its own narrated, non-hypothetical uses count here)."""
    verb = verb_of(hit.token)
    return bool(hit.sentence.narrative[hit.token.i]) and not hypothetical(verb)


def _confidence(rules: RuleSay | None) -> float:
    return rules.confidence if rules else 0.0


def _share(cast: Cast | None, who: str) -> float:
    """How major the one who dies is: the reader is the protagonist; a named character counts
    by their share of the cast's mentions."""
    if who == "reader":
        return 1.0
    if cast is None:
        return 0.0
    total = sum(c.mentions for c in cast.characters) or 1
    lowered = who.lower()
    for character in cast.characters:
        names = {n.lower() for n in (character.name, *character.aliases)}
        if lowered in names or any(lowered in n.split() for n in names):
            return character.mentions / total
    return 0.0


def archive_warnings(
    parsed: Parsed,
    signals: dict[str, dict[str, float]],
    ruled: dict[str, RuleSay | None],
    told: list[preface.PrefaceCue],
    reads: list[workmodel.WindowRead],
    model: workmodel.WorkModel | None,
) -> list[ContentWarning]:
    """Every archive warning with a probability worth showing (``SHOWN_FROM`` and up), each with
    its evidence: the rules', else the author's words in the summary or notes, else the window
    the passage model read as most likely. Without a ``model``, the rules alone decide."""
    assessed = []
    for key, name in workmodel.KEYS.items():
        rules = ruled[key] or _author_says(told, name)
        p = model.probability(key, signals[key]) if model is not None else None
        if p is None:  # no fitted model: the rules alone, as they always were
            if rules is None:
                continue
            p = rules.confidence
        elif rules is not None and model is not None:
            # a rule detection the model does not confirm stays visible, as likely as the
            # rules were right on the dev works
            p = max(p, rules.confidence * model.rules_precision(key))
        if p < SHOWN_FROM:
            continue
        evidence, status, sources = _evidence_for(parsed, key, rules, told, reads, model)
        if evidence:
            assessed.append(ContentWarning(name, "archive", round(p, 2), status, evidence, sources))
    return assessed


def _evidence_for(
    parsed: Parsed,
    key: str,
    rules: RuleSay | None,
    told: list[preface.PrefaceCue],
    reads: list[workmodel.WindowRead],
    model: workmodel.WorkModel | None,
) -> tuple[tuple[Evidence, ...], Status, tuple[str, ...]]:
    sources = ("rules", "model") if model is not None else ("rules",)
    cue = preface.best(told, workmodel.KEYS[key])
    author = (cue.evidence,) if cue else ()
    if rules is not None:
        return rules.evidence + author, rules.status, sources
    if cue is not None:
        return author, "mentioned", ("preface", "model")
    best = model.best_window(key, reads) if model is not None else None
    if best is None:
        return (), "mentioned", sources
    note = f"passage model: the likeliest window ({best.scores.get('death', 0):.2f} death, "
    note += f"{best.scores.get('violence', 0):.2f} violence)"
    return (parsed.index.evidence(best.start, best.end, note),), "mentioned", ("model",)


def flag_level(name: str, model: workmodel.WorkModel | None) -> float:
    """The probability from which a warning is reported by default: the work model's threshold,
    chosen on the dev works' cross-validated predictions (``scripts/train_workmodel.py``)."""
    key = _KEY_OF.get(name)
    if model is None or key not in model.params:
        return REPORT_AT
    return model.threshold(key)


def _major_character_death(deaths: list[Death]) -> RuleSay | None:
    depicted = [d for d in deaths if d.status == "depicted" and d.major]
    if not depicted:
        return None
    evidence = tuple(
        replace(d.evidence, note=f"{_dies(d)}; {d.evidence.note}") for d in depicted[:_MAX_EVIDENCE]
    )
    return RuleSay(round(max(d.confidence for d in depicted), 2), "depicted", evidence)


def _dies(death: Death) -> str:
    if death.who == "reader":
        return "the reader dies"
    return f"{death.who} dies ({death.kind})"


def _graphic_violence(passages: list[violence.ViolentPassage]) -> RuleSay | None:
    """Graphic only when a wound is told in detail; depicted or mentioned violence is not."""
    graphic = [p for p in passages if p.grade == "graphic"]
    if not graphic:
        return None
    confidence = min(0.95, 0.55 + 0.1 * len(graphic))
    evidence = tuple(p.evidence for p in graphic[:_MAX_EVIDENCE])
    return RuleSay(round(confidence, 2), "depicted", evidence)


def _from_cue(cue: consent.Cue | None) -> RuleSay | None:
    if cue is None:
        return None
    return RuleSay(cue.confidence, "depicted", (cue.evidence,))


def verdicts(
    assessed: list[ContentWarning], model: workmodel.WorkModel | None
) -> tuple[Verdict, ...]:
    """One verdict per archive warning: the probability that it applies, flagged or not at the
    default level. A warning below ``SHOWN_FROM`` is "not detected" with no figure: the model
    was not fitted to tell 2 % from 8 %, and no hand-set doubt is claimed either."""
    found = {w.name: w for w in assessed}
    out = []
    for name in ARCHIVE:
        warning = found.get(name)
        if warning is None:
            text = f"not detected (below {SHOWN_FROM:.0%})"
            out.append(Verdict(name, False, 0.0, text))
            continue
        flagged = warning.confidence >= flag_level(name, model)
        text = f"{'detected' if flagged else 'possible'} ({warning.confidence:.0%})"
        out.append(Verdict(name, flagged, warning.confidence, text))
    return tuple(out)


def _read_every_window(parsed: Parsed) -> list[workmodel.WindowRead]:
    """The passage model over every window (empty when it is not installed)."""
    try:
        from ynsert.analysis.warnings_model import score_passages

        return workmodel.read_windows(parsed, score_passages)
    except (FileNotFoundError, OSError, ValueError):  # a missing passage model: rules alone
        return []


def analyse_content(
    parsed: Parsed,
    hits: list[Hit],
    deaths: list[Death],
    scores: ClassifierResult,
    cast: Cast | None = None,
    declared: Declared | None = None,
    model: workmodel.WorkModel | None | Literal["shipped"] = "shipped",
) -> Content:
    """Triggers and archive warnings. ``model=None`` gives the rules alone (what the rule tests
    check); by default the shipped work model weighs every signal."""
    weigher = workmodel.load() if model == "shipped" else model
    found = triggers(parsed, hits, deaths, scores)
    reads = _read_every_window(parsed)
    told = preface.cues(
        summary=declared.summary if declared else "", notes=declared.notes if declared else ""
    )
    signals, ruled = archive_signals(parsed, hits, deaths, cast, told, reads)
    assessed = archive_warnings(parsed, signals, ruled, told, reads, weigher)
    flagged = [w for w in assessed if w.confidence >= flag_level(w.name, weigher)]
    return Content(
        archive=tuple(flagged),
        triggers=tuple(found),
        deaths=tuple(deaths),
        classifier=scores.available,
        checked=verdicts(assessed, weigher),
        assessed=tuple(assessed),
        signals=signals,
        rules={workmodel.KEYS[k]: r.confidence for k, r in ruled.items() if r is not None},
    )


@register("content", needs=("cast", "declared"), order=50)
def _component(context: Context, results: Mapping[str, Any]) -> Content:
    """Rule evidence first, then the classifier on the windows that hold it."""
    from ynsert.analysis.classifier import classify
    from ynsert.analysis.deaths import find_deaths
    from ynsert.analysis.triggers import find_hits

    parsed, cast = context.parsed, results["cast"]
    names = {word for c in cast.characters for n in (c.name, *c.aliases) for word in n.split()}
    hits, deaths = find_hits(parsed), find_deaths(parsed, names)
    focus = {hit.sentence.index for hit in hits}
    focus |= {parsed.sentence_at(death.evidence.start) for death in deaths}
    scores = classify(parsed, focus=focus)
    return analyse_content(parsed, hits, deaths, scores, cast, results["declared"])
