"""Story text out of markup and edits back into it, with hand-made edit lists."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ynsert.edits import Edit, apply_edits
from ynsert.formats import read_work, write_work


def page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


def edit(text: str, old: str, new: str, occurrence: int = 0) -> Edit:
    """An Edit replacing the ``occurrence``-th whole-word ``old`` in ``text``."""
    match = list(re.finditer(rf"(?<!\w){re.escape(old)}(?!\w)", text))[occurrence]
    return Edit(match.start(), match.end(), old, new, "test")


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<p>You run.</p><p>You stop.</p>", "You run.\n\nYou stop."),
        ("<p>You\n   run\tfast.</p>", "You run fast."),
        ("<p>  <em>Why?</em> you think.</p>", "*Why?* you think."),
        ("<p>You <i> hide </i>now.</p>", "You *hide* now."),
        ("<p><em>a <i>b</i> c</em></p>", "*a b c*"),
        ("<p>You<em> </em>run.</p>", "You run."),
        ("<p>One<br>two<br><br><br>three<br></p>", "One\ntwo\n\nthree"),
        ("<div><p>A</p>\n\n<div><p>B</p></div></div>", "A\n\nB"),
        ("<p>Loose text<p>next", "Loose text\n\nnext"),
        ("<p>You&nbsp;run &amp; hide.</p>", "You\xa0run & hide."),
        ("<p>yo<b>u</b> ran</p>", "you ran"),
    ],
)
def test_markup_becomes_story_text(body, text):
    assert read_work(page(body)).text == text


def test_edit_inside_one_text_node_changes_only_that_word():
    work = read_work(page('<p class="x">You run to <b>him</b>.</p>'))
    edited = work.apply([edit(work.text, "You", "She"), edit(work.text, "run", "runs")])
    assert edited.text == "She runs to him."
    assert b'<p class="x">She runs to <b>him</b>.</p>' in write_work(edited, "html")


def test_edit_across_an_inline_tag_puts_the_new_text_in_the_first_node():
    work = read_work(page("<p>He held yo<b>u</b> close.</p>"))
    edited = work.apply([Edit(8, 11, "you", "her")])
    assert edited.text == "He held her close."
    assert b"<p>He held her<b></b> close.</p>" in write_work(edited, "html")


def test_edit_next_to_italics_never_touches_the_markers():
    work = read_work(page("<p><em>Why are you here?</em> you think.</p>"))
    assert work.text == "*Why are you here?* you think."
    edited = work.apply([edit(work.text, "you", "she", 1), edit(work.text, "think", "thinks")])
    assert edited.text == "*Why are you here?* she thinks."
    assert b"<p><em>Why are you here?</em> she thinks.</p>" in write_work(edited, "html")


def test_edit_over_collapsed_whitespace_replaces_the_whole_run():
    work = read_work(page("<p>You\n    are   here.</p>"))
    edited = work.apply([Edit(0, 7, "You are", "She is")])
    assert edited.text == "She is here."


def test_insertion_and_deletion():
    work = read_work(page("<p>You run.</p>"))
    edited = work.apply([Edit(3, 3, "", " quickly"), Edit(7, 8, ".", "!")])
    assert edited.text == "You quickly run!"


def test_edit_on_markup_only_text_is_refused():
    work = read_work(page("<p>You run.</p><p>You stop.</p>"))
    with pytest.raises(ValueError, match="touches no story text"):
        work.apply([Edit(8, 10, "\n\n", " ")])


def test_stale_edit_is_refused_before_touching_markup():
    work = read_work(page("<p>You run.</p>"))
    with pytest.raises(ValueError, match="expects"):
        work.apply([Edit(0, 3, "She", "Her")])


def test_apply_leaves_the_original_work_untouched():
    work = read_work(page("<p>You run.</p>"))
    before = write_work(work, "html")
    work.apply([Edit(0, 3, "You", "She")])
    assert write_work(work, "html") == before


PARAGRAPHS = st.lists(
    st.lists(
        st.tuples(
            st.sampled_from(["", "em", "b", "span", "i"]),
            st.from_regex(r"[A-Za-z]{1,7}( [A-Za-z]{1,7}){0,3}", fullmatch=True),
        ),
        min_size=1,
        max_size=4,
    ),
    min_size=1,
    max_size=4,
)


def _markup(paragraphs) -> str:
    html = []
    for runs in paragraphs:
        inner = " ".join(f"<{t}>{w}</{t}>" if t else w for t, w in runs)
        html.append(f"<p>{inner}</p>")
    return "\n".join(html)


@settings(max_examples=150, deadline=None)
@given(paragraphs=PARAGRAPHS, data=st.data())
def test_apply_matches_apply_edits_on_the_text(paragraphs, data):
    """For any word edits, the markup-side result equals the plain-text result."""
    work = read_work(page(_markup(paragraphs)))
    words = list(re.finditer(r"[A-Za-z]+", work.text))
    chosen = data.draw(st.lists(st.sampled_from(words), unique_by=lambda m: m.start()))
    new = data.draw(
        st.lists(
            st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=len(chosen), max_size=len(chosen)
        )
    )
    edits = [Edit(m.start(), m.end(), m.group(), n) for m, n in zip(chosen, new, strict=True)]
    edited = work.apply(edits)
    assert edited.text == apply_edits(work.text, edits)
    assert read_work(write_work(edited, "html")).text == edited.text
