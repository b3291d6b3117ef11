"""Rape/Non-Con and Underage, with care: sexual content first, then the cue that makes it one.

Neither warning stands on a single word that has other senses. First the work must hold sexual
content (``sexual_sentences``: "slept with", "had sex", "the wedding night", a rape word …);
then

* **Rape/Non-Con** needs a non-consent cue within a few sentences of it — refusal ("you said
  no", "he did not stop"), force ("held you down", "forced"), incapacity ("drugged", "passed
  out") or coercion ("against your will"); a rape word or "sexually assaulted" is enough alone.
* **Underage** needs a minor cue in the same scene (``_SCENE`` sentences): a stated age under
  18 ("we're fifteen", "sixteen-year-old"), a school year (sophomore, tenth grade) or
  "teen"/"underage"; "fifteen years" of a marriage is a duration, not an age.

    He raped her.                                        → Rape/Non-Con (direct)
    The wedding night came. You said no. He did not stop.→ Rape/Non-Con (refusal near sex)
    He did not stop laughing.                            → nothing (no sexual content)
    You were both sixteen. … you had slept with anyone.  → Underage
    You turned sixteen at camp.                          → nothing (no sexual content)
    "Is this okay?" "Yes." … you slept together.         → nothing (consent, adults)

Evidence is one sentence per warning (the cue), never a passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ynsert.analysis.base import Evidence
from ynsert.analysis.parsed import Parsed, ParsedSentence

_SEXUAL = re.compile(
    r"\b(?:sex|sexual(?:ly)?|slept with|sleep with|sleeping with|slept together|"
    r"had sex|have sex|made love|make love|making love|virginity|wedding night|"
    r"consummat\w+|undress\w*|naked|nude|orgasm\w*|his mouth on|inside (?:you|me|her)|"
    r"on top of (?:you|me|her)|under (?:your|my|her) (?:dress|shirt|skirt)|"
    r"touched (?:you|me|her) (?:there|everywhere)|rape[ds]?|raping|rapist|assault(?:ed)?|"
    r"molest\w*|groped|fondl\w+)\b",
    re.IGNORECASE,
)
_DIRECT = re.compile(
    r"\b(?:rape[ds]?|raping|rapist|non-?con|sexually assault\w*|sexual assault|molest\w*)\b",
    re.IGNORECASE,
)
_NON_CONSENT = re.compile(
    r"\b(?:said no|say no|saying no|told (?:him|her|them) no|told (?:him|her|them) to stop|"
    r"begged (?:him|her|them) to stop|(?:did not|didn't|wouldn't|would not) stop|"
    r"stopped saying it|drugged|spiked|couldn't move|could not move|held (?:you|me|her) down|"
    r"pinned (?:you|me|her)|forced (?:you|me|her|him|them|himself on|herself on)|"
    r"against (?:your|my|her) will|without (?:your|my|her) consent|"
    r"took advantage|too drunk|passed out|unconscious|couldn't fight|could not fight|"
    r"didn't want (?:it|this|to)|did not want (?:it|this|to))\b",
    re.IGNORECASE,
)
_MINOR = re.compile(
    r"\b(?:(?:1[0-7]|[1-9])[- ]years?[- ]old|(?:eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen)(?:[- ]years?[- ]old)?|underage|under-age|sophomores?|freshmen|"
    r"freshman year|(?:ninth|tenth|eleventh) grade|year (?:nine|ten|eleven)|teens?|"
    r"teenagers?|high-schoolers?|high school students?)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = re.compile(
    r"\b(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b", re.IGNORECASE
)
#: A number word is an age only beside words of age or people ("both sixteen", "we're fifteen").
_AGE_CONTEXT = re.compile(
    r"\b(?:years?|old|turn(?:ed|s)?|birthday|we're|we were|you're|you were|i'm|i was|he's|"
    r"she's|he was|she was|both|aged?|age of)\b",
    re.IGNORECASE,
)
_NEAR = 4  # sentences between a non-consent cue and sexual content
_SCENE = 25  # sentences between a minor's age and sexual content: the same scene
#: A number followed by years, months … (and not "old"): a duration, not an age.
_DURATION = re.compile(r"[- ](?:years?|months?|weeks?|days?|minutes?|hours?)\b(?![- ]old)", re.I)
#: Where sex is implied but not named: the bedding of a forced marriage, a bed, a bolted door.
_INTIMATE = re.compile(
    r"\b(?:bed|bedding|bedroom|chamber|wedding night|duties|his room|undress\w*|clothes)\b",
    re.IGNORECASE,
)
_REFUSAL = re.compile(
    r"\b(?:said no|told (?:him|her|them) no|told (?:him|her) to stop|"
    r"begged (?:him|her) to stop|said it again)\b",
    re.IGNORECASE,
)
_PERSISTED = re.compile(r"\b(?:did not stop|didn't stop|wouldn't stop|would not stop)\b", re.I)
_CONTEXT = 10  # sentences between a refusal that was overridden and an intimate setting


@dataclass(frozen=True)
class Cue:
    warning: str
    confidence: float
    evidence: Evidence


def sexual_sentences(parsed: Parsed) -> list[int]:
    return [s.index for s in parsed.sentences if _SEXUAL.search(parsed.text, s.start, s.end)]


def _evidence(parsed: Parsed, sent: ParsedSentence, note: str) -> Evidence:
    return parsed.index.evidence(sent.start, sent.end, note)


def non_consent(parsed: Parsed, sexual: list[int]) -> Cue | None:
    """A rape word alone, or a refusal/force/incapacity cue near sexual content."""
    for sent in parsed.sentences:
        match = _DIRECT.search(parsed.text, sent.start, sent.end)
        if match and not parsed.text[sent.start : sent.end].rstrip(" \"'”’").endswith("?"):
            return Cue("Rape/Non-Con", 0.85, _evidence(parsed, sent, f"stated: {match.group()}"))
    for sent in parsed.sentences:
        match = _NON_CONSENT.search(parsed.text, sent.start, sent.end)
        if match and any(abs(i - sent.index) <= _NEAR for i in sexual):
            note = f"non-consent: {match.group()}, near sexual content"
            return Cue("Rape/Non-Con", 0.65, _evidence(parsed, sent, note))
    return _overridden_refusal(parsed)


def _overridden_refusal(parsed: Parsed) -> Cue | None:
    """ "You told him no. … He did not stop." in an intimate setting: implied, not shown."""
    sentences = parsed.sentences
    refusals = [s.index for s in sentences if _REFUSAL.search(parsed.text, s.start, s.end)]
    intimate = [s.index for s in sentences if _INTIMATE.search(parsed.text, s.start, s.end)]
    for sent in sentences:
        if not _PERSISTED.search(parsed.text, sent.start, sent.end):
            continue
        refused = any(0 < sent.index - r <= _NEAR for r in refusals)
        if refused and any(abs(i - sent.index) <= _CONTEXT for i in intimate):
            note = "non-consent: a refusal that was not heeded, in an intimate setting"
            return Cue("Rape/Non-Con", 0.6, _evidence(parsed, sent, note))
    return None


def minor(parsed: Parsed, sexual: list[int]) -> Cue | None:
    """Sexual content and a stated age under 18 (or a school year) in the same work."""
    if not sexual:
        return None
    for sent in parsed.sentences:
        match = _MINOR.search(parsed.text, sent.start, sent.end)
        if match is None:
            continue
        if _NUMBER_WORDS.fullmatch(match.group()) and not _AGE_CONTEXT.search(
            parsed.text, sent.start, sent.end
        ):
            continue  # "fifteen minutes": a number, not an age
        if _DURATION.match(parsed.text, match.end(), sent.end):
            continue  # "it's been fifteen years", "a reign of sixteen years": a span of time
        if not any(abs(i - sent.index) <= _SCENE for i in sexual):
            continue  # an age far from any sexual content: a minor in another scene
        line, _ = parsed.index.line_col(parsed.sentences[sexual[0]].start)
        note = f"minor: {match.group()}; sexual content at line {line}"
        return Cue("Underage", 0.6, _evidence(parsed, sent, note))
    return None
