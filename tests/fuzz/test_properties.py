"""Properties every public verb keeps, for any input hypothesis can build.

- ``fill(text, {})`` is the identity; edits lie inside the text, ``old`` matching it;
- bytes outside edits are identical, and read → write in the same format gives the same bytes;
- dialogue is never rewritten, also when speech crosses a hard line wrap;
- nothing but ``YnsertError`` escapes ``read_work``, ``fill``, ``rewrite``, ``analyse`` and the
  ``ynsert.api`` verbs;
- the linear scanners find what the patterns they replaced found.
"""

from __future__ import annotations

import re

from fuzz_profiles import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from ynsert import api
from ynsert.analysis import analyse
from ynsert.document import Document
from ynsert.document.segment import _italics
from ynsert.edits import Edit, apply_edits
from ynsert.errors import YnsertError
from ynsert.formats import read_work, write_work
from ynsert.formats.markdown import _strong
from ynsert.rewrite import fill, rewrite

FRAGMENTS = [
    "You ",
    "you ",
    "your ",
    "yourself ",
    "Y/N",
    "(Y/N)",
    "[y/n]",
    "Y/N's ",
    "L/N",
    '"',
    "“",
    "”",
    "'",
    "‘",
    "’",
    "*",
    "**",
    "_",
    "<em>",
    "</em>",
    "\n",
    "\n\n",
    "\r\n",
    " he says. ",
    "walk",
    "smile ",
    "are ",
    "don't ",
    "A/N: ",
    "Title: x\n",
    "Words: 12\n",
    ". ",
    ", ",
    "! ",
    "é",
    "—",
    "\x0c",
    "\uffff",
    "\t",
    "<3",
    "Kylo ",
    "She ",
    "I ",
    "whispers ",
]
stories = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), min_size=1, max_size=40).map(
    "".join
)
values = st.dictionaries(
    st.sampled_from(["Y/N", "L/N", "H/C", "E/C"]), st.text(min_size=0, max_size=8), max_size=3
)


def check_edits(text: str, edits: list[Edit]) -> None:
    end = 0
    for edit in sorted(edits):
        assert 0 <= edit.start <= edit.end <= len(text)
        assert text[edit.start : edit.end] == edit.old
        assert edit.start >= end, "overlapping edits"
        end = edit.end
    apply_edits(text, edits)


@fuzz_settings(300)
@given(stories)
def test_fill_with_nothing_is_the_identity(text: str) -> None:
    result = fill(text, {})
    assert result.text == text
    assert not [e for e in result.edits if e.old != e.new]


@fuzz_settings(300)
@given(stories, values)
def test_fill_edits_lie_inside_the_text(text: str, given_values: dict[str, str]) -> None:
    result = fill(text, given_values)
    check_edits(text, result.edits)
    assert result.text == apply_edits(text, result.edits)


@fuzz_settings(300)
@given(st.binary(max_size=600), st.sampled_from([None, "a.txt", "a.md", "a.html", "a.epub"]))
def test_any_bytes_read_or_fail_with_a_ynsert_error(data: bytes, name: str | None) -> None:
    try:
        work = read_work(data, name)
    except YnsertError:
        return
    if work.format in ("txt", "md"):
        assert write_work(work, work.format) == data  # read → write: the same bytes
    for fmt in ("txt", "md", "html", "epub"):
        write_work(work, fmt)


@fuzz_settings(200)
@given(stories.map(lambda s: s.encode("utf-8", "surrogatepass")), values)
def test_text_files_change_only_inside_edits(data: bytes, given_values: dict[str, str]) -> None:
    try:
        work = api.open_work(data, filename="a.txt")
    except YnsertError:
        return
    result = api.personalise(work, {"to": "second", "values": given_values})
    expected = apply_edits(work.text, result.edits)
    if "\r" not in data.decode("utf-8", "replace"):
        assert result.data.decode("utf-8") == expected
    if not result.edits:
        assert result.data == data


@fuzz_settings(25)
@given(stories)
def test_rewrite_edits_are_valid_and_never_touch_dialogue(text: str) -> None:
    try:
        result = rewrite(text, to="third", name="Mara", pronouns="she", force=True)
    except YnsertError:
        return
    check_edits(text, result.edits)
    story = Document(text).story
    for edit in result.edits:
        if edit.code != "YN-P-FILL" and edit.start < edit.end:
            assert story.kind_at(edit.start) not in ("dialogue", "thought"), edit


words = st.lists(
    st.sampled_from(["you", "You", "left", "me", "there.", "Not", "after"]), min_size=3, max_size=12
)


@fuzz_settings(20)
@given(words, st.lists(st.booleans(), min_size=12, max_size=12), st.sampled_from(['""', "“”"]))
def test_hard_wrapped_speech_is_never_rewritten(
    speech: list[str], wraps: list[bool], quotes: str
) -> None:
    inner = "".join(w + ("\n" if wrap else " ") for w, wrap in zip(speech, wraps, strict=False))
    text = f"{quotes[0]}{inner.strip()}{quotes[1]}\nYou turn away.\n"
    result = rewrite(text, to="third", name="Mara", pronouns="she")
    quote_end = text.index(quotes[1], 1)
    assert not [e for e in result.edits if e.start < quote_end], result.edits


@fuzz_settings(15)
@given(stories)
def test_analyse_and_api_verbs_raise_only_ynsert_errors(text: str) -> None:
    try:
        analyse(text)
        data = text.encode("utf-8", "surrogatepass")
        api.tags(data)
        api.check(data)
        api.personalise(data, {"name": "Mara", "to": "first"}).data  # noqa: B018
    except YnsertError:
        pass


_OLD_ITALIC = re.compile(
    r"(?<![\w*])(\*{1,2}|_)(?=\S)(.+?)(?<=\S)\1(?![\w*])|<(em|i)\b[^>]*>(.+?)</\3\s*>",
    re.DOTALL | re.IGNORECASE,
)
_OLD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
marks = st.lists(
    st.sampled_from(["*", "**", "_", "__", "a", " ", "\n", "<em>", "</em>", "<i>", "</I>", "."]),
    max_size=16,
).map("".join)


@fuzz_settings(500)
@given(marks)
def test_linear_italic_scanner_matches_the_old_pattern(text: str) -> None:
    old = [
        (m.start(), m.end(), m.group(2) if m.group(2) is not None else m.group(4))
        for m in _OLD_ITALIC.finditer(text)
    ]
    assert list(_italics(text, 0, len(text))) == old


@fuzz_settings(500)
@given(marks.map(lambda s: s.replace("\n", " ")))
def test_linear_strong_scanner_matches_the_old_pattern(line: str) -> None:
    assert _strong(line) == _OLD_STRONG.sub(lambda m: f"\x02{m.group(2)}\x03", line)


placeholder_texts = st.lists(
    st.sampled_from(
        ["Y/N", "y/n", "(Y/N)", "[L/N]", "/", "a", "Ab", " ", "\n", "3", "25 ", "H/C", "E/C/X"]
        + ["A/B/C/D/E", ")", "(", "<", ">", "_", "é", "Y/A", "y/a", "X/"]
    ),
    max_size=14,
).map("".join)


@fuzz_settings(500)
@given(placeholder_texts)
def test_placeholder_search_around_slashes_finds_what_the_whole_pattern_finds(text: str) -> None:
    from ynsert.placeholders import _PLACEHOLDER, _candidates

    assert [m.span() for m in _candidates(text)] == [m.span() for m in _PLACEHOLDER.finditer(text)]
