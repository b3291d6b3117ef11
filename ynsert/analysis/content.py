"""Content warnings: AO3's archive warnings and common triggers, each with evidence and confidence.

Rules over the parse give the evidence (``deaths``: who dies; ``triggers``: lexicon hits placed
as depicted or mentioned); the trained classifier (``classifier``) adds its confidence for the
triggers it knows (up when it agrees, down when it does not), never raising one on its own.
Archive warnings stand on rules, because a warning needs a *reason* a writer can check:

    Major Character Death      a depicted death of the reader or a person (``deaths``)
    Graphic Depictions Of Violence   two depicted acts of violence and depicted blood or gore
    Rape/Non-Con               a rape word (depicted: strong; mentioned: weaker)
    Underage                   sexual content with an under-18 age nearby

Confidence of a trigger from its hits: each hit adds ``weight × certainty`` by noisy-or, with
weight 1 for specific words (tortured) and 0.4 for common ones (knife, cell), certainty 0.8 when
depicted and 0.6 when mentioned. Anything at 0.5 or more is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from ynsert.analysis.base import Context, Evidence, register
from ynsert.analysis.classifier import ClassifierResult
from ynsert.analysis.deaths import Death
from ynsert.analysis.parsed import Parsed
from ynsert.analysis.triggers import Hit

REPORT_AT = 0.5
#: Triggers whose common words alone ("naked", "moan") are not enough.
_NEEDS_STRONG = frozenset({"sexual content"})
_CLASSIFIER_WEIGHT = 0.8  # how far a classifier score counts next to rule evidence
_CLASSIFIER_DOUBT = 0.85  # rule evidence the classifier scores below its threshold
_MAX_EVIDENCE = 4
_MINOR_AGE = re.compile(
    r"\b(?:(?:[1-9]|1[0-7])|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
    r"[- ]years?[- ]old\b|\bunderage\b|\bunder-age\b",
    re.IGNORECASE,
)

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
class Content:
    archive: tuple[ContentWarning, ...]
    triggers: tuple[ContentWarning, ...]
    deaths: tuple[Death, ...]
    classifier: bool  # was the trained classifier available?

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


def archive_warnings(
    parsed: Parsed, hits: list[Hit], deaths: list[Death], found: list[ContentWarning]
) -> list[ContentWarning]:
    warnings = [
        _major_character_death(deaths),
        _graphic_violence(parsed, hits),
        _rape(parsed, hits),
        _underage(parsed, hits, found),
    ]
    return [w for w in warnings if w and w.confidence >= REPORT_AT]


def _major_character_death(deaths: list[Death]) -> ContentWarning | None:
    depicted = [d for d in deaths if d.status == "depicted"]
    if not depicted:
        return None
    evidence = tuple(
        replace(d.evidence, note=f"{_dies(d.who)}; {d.evidence.note}")
        for d in depicted[:_MAX_EVIDENCE]
    )
    confidence = round(max(d.confidence for d in depicted), 2)
    return ContentWarning(
        "Major Character Death", "archive", confidence, "depicted", evidence, ("rules",)
    )


def _dies(who: str) -> str:
    return "the reader dies" if who == "reader" else f"{who} dies"


def _graphic_violence(parsed: Parsed, hits: list[Hit]) -> ContentWarning | None:
    acts = [h for h in hits if h.trigger == "violence" and h.status == "depicted" and not h.weak]
    gore = [h for h in hits if h.trigger == "blood" and h.status == "depicted"]
    if len(acts) < 2 or not gore:
        return None
    confidence = min(0.95, 0.3 + 0.1 * len(acts) + 0.15 * len(gore))
    evidence = _hit_evidence(parsed, acts + gore)
    return ContentWarning(
        "Graphic Depictions Of Violence",
        "archive",
        round(confidence, 2),
        "depicted",
        evidence,
        ("rules",),
    )


def _rape(parsed: Parsed, hits: list[Hit]) -> ContentWarning | None:
    rape = [h for h in hits if h.trigger == "rape"]
    if not rape:
        return None
    depicted = any(h.status == "depicted" for h in rape)
    return ContentWarning(
        "Rape/Non-Con",
        "archive",
        0.85 if depicted else 0.55,
        "depicted" if depicted else "mentioned",
        _hit_evidence(parsed, rape),
        ("rules",),
    )


def _underage(
    parsed: Parsed, hits: list[Hit], found: list[ContentWarning]
) -> ContentWarning | None:
    if not any(w.name == "sexual content" for w in found):
        return None
    sexual = {h.sentence.index for h in hits if h.trigger == "sexual content"}
    for sent in parsed.sentences:
        near = any(abs(sent.index - i) <= 2 for i in sexual)
        match = near and _MINOR_AGE.search(sent.doc.text)
        if match:
            evidence = (parsed.index.evidence(sent.start, sent.end, f"age: {match.group()}"),)
            return ContentWarning("Underage", "archive", 0.6, "depicted", evidence, ("rules",))
    return None


def analyse_content(
    parsed: Parsed, hits: list[Hit], deaths: list[Death], scores: ClassifierResult
) -> Content:
    found = triggers(parsed, hits, deaths, scores)
    archive = archive_warnings(parsed, hits, deaths, found)
    return Content(tuple(archive), tuple(found), tuple(deaths), scores.available)


@register("content", needs=("cast",), order=50)
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
    return analyse_content(parsed, hits, deaths, classify(parsed, focus=focus))
