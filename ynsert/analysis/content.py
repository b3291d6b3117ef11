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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from ynsert.analysis import consent, violence, workmodel
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
    parsed: Parsed,
    hits: list[Hit],
    deaths: list[Death],
    found: list[ContentWarning],
    reads: list[workmodel.WindowRead] | None = None,
) -> list[ContentWarning]:
    """Rules first; then, where the work model is shipped and the passage model could read
    every window, the model's calibrated decision for MCD and Graphic Violence."""
    sexual = consent.sexual_sentences(parsed)
    passages = list(violence.violent_passages(parsed))
    by_key = {
        "mcd": _major_character_death(deaths),
        "graphic_violence": _graphic_violence(passages),
    }
    model = workmodel.load() if reads is not None else None
    if model is not None and reads is not None:
        thresholds = _passage_thresholds()
        features = workmodel.work_features(reads, deaths, passages, thresholds)
        for key in by_key:
            by_key[key] = _weighed(parsed, model, key, features[key], by_key[key], reads)
    warnings = [
        by_key["mcd"],
        by_key["graphic_violence"],
        _from_cue(consent.non_consent(parsed, sexual)),
        _from_cue(consent.minor(parsed, sexual)),
    ]
    return [w for w in warnings if w and w.confidence >= REPORT_AT]


_NAMES = {"mcd": "Major Character Death", "graphic_violence": "Graphic Depictions Of Violence"}


def _passage_thresholds() -> dict[str, float]:
    try:
        from ynsert.analysis.warnings_model import thresholds

        return thresholds()
    except Exception:  # the passage model's file is optional
        return {}


def _weighed(
    parsed: Parsed,
    model: workmodel.WorkModel,
    key: str,
    features: list[float],
    ruled: ContentWarning | None,
    reads: list[workmodel.WindowRead],
) -> ContentWarning | None:
    """The work model's decision, with the rules' evidence (or its best window when the rules
    found none); its probability, rescaled so the dev-chosen threshold maps to ``REPORT_AT``."""
    p = model.probability(key, features)
    if p is None:
        return ruled
    cut = model.threshold(key)
    if p < cut:
        return None
    confidence = round(REPORT_AT + (1 - REPORT_AT) * (p - cut) / max(1e-9, 1 - cut), 2)
    note = f"work model: {p:.2f} (threshold {cut:.2f})"
    if ruled is not None:
        return replace(ruled, confidence=max(confidence, REPORT_AT), sources=("rules", "model"))
    best = model.best_window(key, reads)
    if best is None:
        return None
    evidence = (parsed.index.evidence(best.start, best.end, note + "; no rule evidence"),)
    name = _NAMES[key]
    return ContentWarning(name, "archive", REPORT_AT, "mentioned", evidence, ("model",))


def _major_character_death(deaths: list[Death]) -> ContentWarning | None:
    depicted = [d for d in deaths if d.status == "depicted" and d.major]
    if not depicted:
        return None
    evidence = tuple(
        replace(d.evidence, note=f"{_dies(d)}; {d.evidence.note}") for d in depicted[:_MAX_EVIDENCE]
    )
    confidence = round(max(d.confidence for d in depicted), 2)
    return ContentWarning(
        "Major Character Death", "archive", confidence, "depicted", evidence, ("rules",)
    )


def _dies(death: Death) -> str:
    if death.who == "reader":
        return "the reader dies"
    return f"{death.who} dies ({death.kind})"


def _graphic_violence(passages: list[violence.ViolentPassage]) -> ContentWarning | None:
    """Graphic only when a wound is told in detail; depicted or mentioned violence is not."""
    graphic = [p for p in passages if p.grade == "graphic"]
    if not graphic:
        return None
    confidence = min(0.95, 0.55 + 0.1 * len(graphic))
    evidence = tuple(p.evidence for p in graphic[:_MAX_EVIDENCE])
    return ContentWarning(
        "Graphic Depictions Of Violence",
        "archive",
        round(confidence, 2),
        "depicted",
        evidence,
        ("rules",),
    )


def _from_cue(cue: consent.Cue | None) -> ContentWarning | None:
    if cue is None:
        return None
    return ContentWarning(
        cue.warning, "archive", cue.confidence, "depicted", (cue.evidence,), ("rules",)
    )


ARCHIVE = (
    "Major Character Death",
    "Graphic Depictions Of Violence",
    "Rape/Non-Con",
    "Underage",
)
#: Share of true warnings missed on the workset (``benchmarks/warnings_eval.py``): held-out
#: part for MCD (1 of 5) and Graphic Violence (2 of 4); the whole set for the two rare ones
#: (2 of 3, 1 of 2). A "not detected" can be no surer than that allows.
_MISSED = {
    "Major Character Death": 0.2,
    "Graphic Depictions Of Violence": 0.5,
    "Rape/Non-Con": 0.67,
    "Underage": 0.5,
}


def verdicts(archive: list[ContentWarning], deaths: list[Death]) -> tuple[Verdict, ...]:
    found = {w.name: w for w in archive}
    out = []
    for name in ARCHIVE:
        if name in found:
            confidence = found[name].confidence
            out.append(Verdict(name, True, confidence, f"detected ({confidence:.0%})"))
            continue
        doubt = _MISSED[name]
        if name == "Major Character Death" and deaths:
            doubt = max(doubt, max(d.confidence for d in deaths) * 0.5)  # deaths, not major
        confidence = round(1 - doubt, 2)
        out.append(Verdict(name, False, confidence, f"not detected (confidence {confidence:.0%})"))
    return tuple(out)


def _read_every_window(parsed: Parsed) -> list[workmodel.WindowRead] | None:
    """The passage model over every window, or None when it is not installed."""
    if workmodel.load() is None:
        return None
    try:
        from ynsert.analysis.warnings_model import score_passages

        return workmodel.read_windows(parsed, score_passages)
    except Exception:  # a missing or broken passage model leaves the rules alone
        return None


def analyse_content(
    parsed: Parsed, hits: list[Hit], deaths: list[Death], scores: ClassifierResult
) -> Content:
    found = triggers(parsed, hits, deaths, scores)
    reads = _read_every_window(parsed)
    archive = archive_warnings(parsed, hits, deaths, found, reads)
    checked = verdicts(archive, deaths)
    return Content(tuple(archive), tuple(found), tuple(deaths), scores.available, checked)


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
