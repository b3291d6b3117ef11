"""Generated hostile HTML and EPUB: deep nesting, huge attributes, repeated spines, scripts in
every kind of document. Each reads completely or fails with one ``YnsertError``; what is
written never carries a script, a script URL or a remote fetch.
"""

from __future__ import annotations

import io
import zipfile

from fuzz_profiles import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st

from ynsert import api
from ynsert.errors import YnsertError
from ynsert.formats import read_work, write_work
from ynsert.formats.epub import new_epub
from ynsert.formats.sanitize import MAX_HTML_DEPTH

TAGS = ["span", "div", "p", "em", "b", "blockquote", "i", "section"]
ATTACKS = [
    "<script>steal()</script>",
    '<a href="java\tscript:steal()">x</a>',
    '<img src="https://evil.example/t.png" alt="t"/>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" '
    'values="javascript:steal()"/></a></svg>',
    '<p style="background:u\\72l(https://evil.example/x)">styled</p>',
    '<p onclick="steal()">click</p>',
    '<iframe src="https://evil.example/"></iframe>',
]
BAD = ("<script", "javascript", "evil.example", "steal()", "onclick", "<iframe", "animate")


def assert_inert(data: bytes) -> None:
    lowered = data.decode("utf-8", "replace").lower()
    assert not [bad for bad in BAD if bad in lowered]


@fuzz_settings(40)
@example(["span"] * 400, False, 0, [])  # row 1: messy pasted HTML
@example(["div"] * 300, True, 20_000_000, [])  # row 1: deep divs, a 20 MB attribute
@example(["div"] * 2100, True, 0, ATTACKS)  # past the limit: one error, not a silent cut
@given(
    st.lists(st.sampled_from(TAGS), min_size=0, max_size=3000),
    st.booleans(),
    st.integers(0, 300_000),
    st.lists(st.sampled_from(ATTACKS), max_size=4),
)
def test_deep_or_huge_html_reads_completely_or_fails_in_one_line(
    nesting: list[str], closed: bool, attribute: int, attacks: list[str]
) -> None:
    opened = "".join(f"<{tag}>" for tag in nesting)
    closing = "".join(f"</{tag}>" for tag in reversed(nesting)) if closed else ""
    body = (
        "".join(attacks)
        + f'<p title="{"x" * attribute}">You begin, Y/N.</p>'
        + opened
        + "<p>You go deeper.</p>"
        + closing
        + "<p>THE END.</p>"
    )
    data = f"<html><head><title>T</title></head><body>{body}</body></html>".encode()
    try:
        work = read_work(data, "a.html")
    except YnsertError as error:
        assert "\n" not in str(error)
        assert len(nesting) > MAX_HTML_DEPTH // 2, error  # only depth may refuse this page
        return
    assert "You go deeper." in work.text and "THE END." in work.text[-12:]  # nothing lost
    result = api.personalise(work, {"name": "Mara", "to": "second"})
    assert b"THE END." in result.data and b"Mara" in result.data
    assert_inert(result.data)


def _book(spine_repeats: int, attacks: list[str], non_linear: bool) -> bytes:
    meta = api.open_work(b"Title: B\n\nYou wait.", filename="b.txt").metadata
    data = new_epub(meta, [("One", "<p>You wait, Y/N.</p>"), ("Two", "<p>You go.</p>")], False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    hostile = "".join(attacks)
    for name in ("OEBPS/nav.xhtml", "OEBPS/preface.xhtml", "OEBPS/chapter_002.xhtml"):
        xhtml = members[name].decode()
        members[name] = xhtml.replace("</body>", hostile.replace("\t", "&#9;") + "</body>").encode()
    members["OEBPS/off_spine.xhtml"] = members["OEBPS/chapter_002.xhtml"]
    members["OEBPS/run.js"] = b"steal()"
    opf = members["OEBPS/content.opf"].decode()
    ref = '<itemref idref="f1"/>'
    opf = opf.replace(ref, ref * spine_repeats)
    if non_linear:
        opf = opf.replace('<itemref idref="f2"/>', '<itemref idref="f2" linear="no"/>')
    members["OEBPS/content.opf"] = opf.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@fuzz_settings(25)
@example(2000, ATTACKS, True)  # row 12: one chapter listed 2,000 times
@given(st.integers(1, 3000), st.lists(st.sampled_from(ATTACKS), max_size=4), st.booleans())
def test_hostile_epubs_are_read_once_and_written_inert(
    repeats: int, attacks: list[str], non_linear: bool
) -> None:
    data = _book(repeats, attacks, non_linear)
    work = read_work(data)
    assert work.text.count("You wait") == 1
    for out in (
        api.personalise(work, {"name": "Mara", "to": "second"}).data,
        write_work(work, "epub"),
    ):
        with zipfile.ZipFile(io.BytesIO(out)) as archive:
            for info in archive.infolist():
                assert_inert(archive.read(info))
