"""Declared metadata (header, mapping, Metadata object) and disagreements with the text."""

from __future__ import annotations

from ynsert.analysis import analyse
from ynsert.analysis.declared import Declared, coerce, from_header
from ynsert.document.header import Metadata
from ynsert.document.segment import Story

DEATH_STORY = (
    "You walked to the bridge. He drew his blade. He stabbed you. "
    "The pain seared through your body. You died in his arms."
)


def test_header_lines() -> None:
    text = (
        "Title: Ash\nPairing: Kylo Ren x Reader\nWarnings: none\nTags: gn!reader, angst\n\nYou ran."
    )
    declared = from_header(Story.from_text(text))
    assert declared is not None
    assert declared.warning_state == "none"
    assert declared.relationships == ("Kylo Ren x Reader",)
    assert declared.reader_gender == "neutral"


def test_mapping_and_metadata_object() -> None:
    assert coerce({"warnings": ["Major Character Death"]}).declares("Major Character Death")
    meta = Metadata(warnings=["Creator Chose Not To Use Archive Warnings"], tags=["Female Reader"])
    declared = coerce(meta)
    assert declared.warning_state == "unknown" and declared.reader_gender == "female"


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_declared_none_but_death_detected() -> None:
    report = analyse(f"Title: Ash\nWarnings: none\nSummary: You die in the end.\n\n{DEATH_STORY}")
    [finding] = [f for f in report.findings if f.code == "YN401"]
    assert finding.message.startswith("declared: no warnings; detected: Major Character Death")
    assert finding.line == 1  # points at the header


def test_the_authors_words_are_evidence_and_a_denial_counts_against() -> None:
    told = analyse(f"Title: Ash\nSummary: You die in the end.\n\n{DEATH_STORY}").content
    denied = analyse(f"Title: Ash\nSummary: Nobody dies, promise.\n\n{DEATH_STORY}").content
    [said] = [w for w in told.archive if w.name == "Major Character Death"]
    assert said.evidence[-1].source == "summary" and said.evidence[-1].text.startswith("You die")
    assert told.signals["mcd"]["preface"] == 1.0 and denied.signals["mcd"]["preface"] == -1.0
    assert not [w for w in denied.archive if w.name == "Major Character Death"]


TOLD = f"Summary: You die in the end.\n\n{DEATH_STORY}"  # a summary is evidence, not a tag


def test_a_work_that_declares_nothing_has_no_undeclared_warning() -> None:
    report = analyse(TOLD)  # no warnings, rating, tags or pairing: nothing to disagree with
    assert [w.name for w in report.content.archive] == ["Major Character Death"]  # still found
    assert report.declared is not None and report.declared.empty
    assert "YN401" not in codes(report)
    assert "YN401" not in codes(analyse(TOLD, declared=Declared()))


def test_declared_warnings_that_miss_one_still_disagree() -> None:
    report = analyse(f"Warnings: Graphic Depictions Of Violence\n{TOLD}")
    [finding] = [f for f in report.findings if f.code == "YN401"]
    assert finding.message.startswith(
        "declared: Graphic Depictions Of Violence; detected: Major Character Death"
    )


def test_declared_death_agrees() -> None:
    report = analyse(DEATH_STORY, declared=Declared(warnings=("Major Character Death",)))
    assert "YN401" not in codes(report)


def test_chose_not_to_warn_is_not_a_disagreement() -> None:
    meta = {"warnings": ["Creator Chose Not To Use Archive Warnings"]}
    assert "YN401" not in codes(analyse(DEATH_STORY, declared=meta))


def test_declared_warning_without_evidence_is_info() -> None:
    report = analyse("You ran. You laughed.", declared={"warnings": "Rape/Non-Con"})
    [finding] = [f for f in report.findings if f.code == "YN402"]
    assert finding.severity == "info"


def test_declared_neutral_reader_gendered_is_error() -> None:
    text = "Tags: Gender-Neutral Reader\n\nHe admired your dress. You blushed."
    [finding] = [f for f in analyse(text).findings if f.code == "YN201"]
    assert finding.severity == "error"


def test_declared_female_reader_is_not_flagged_for_female_cues() -> None:
    text = "Tags: Female Reader\n\nHe admired your dress. You blushed."
    assert "YN201" not in codes(analyse(text))


def test_platonic_declared_romantic_found() -> None:
    text = "Finn took your hand. Finn kissed you softly. You smiled at Finn."
    report = analyse(text, declared={"relationships": ["Finn & Reader"], "warnings": ["none"]})
    assert "YN404" in codes(report)
