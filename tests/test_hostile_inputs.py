"""Issue 12's red-team rows, one test (or a few) per row: the hostile or unlucky input as the
report gave it, and what must happen now (the right result, or one line and a non-zero exit).
Timing rows (13, 14) are measured by ``benchmarks/heavy_inputs.py``, not here; their scanners
are checked for the same results as the old patterns in ``tests/fuzz``.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ynsert import api
from ynsert.document.header import parse_header
from ynsert.errors import FormatError, InputError, ProfileError
from ynsert.formats import read_work, write_work
from ynsert.formats.epub import new_epub
from ynsert.formats.work import Work
from ynsert.profile import ReaderProfile
from ynsert.rewrite import rewrite
from ynsert.source import read_bytes, write_atomic


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "ynsert", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=180,
    )


def one_line_error(result, code: int) -> str:
    message = result.stderr.decode(errors="replace")
    assert result.returncode == code, message
    assert message.startswith("ynsert: error: ") and message.count("\n") == 1, message
    return message


def page(body: str) -> bytes:
    return f"<html><head><title>T</title></head><body>{body}</body></html>".encode()


def book(chapters: list[tuple[str, str]]) -> bytes:
    return new_epub(
        api.open_work(b"Title: Book\n\nYou wait.", filename="b.txt").metadata, chapters, False
    )


def rezip(data: bytes, change) -> bytes:
    """The EPUB ``data`` with ``change(members)`` applied to its {name: bytes} members."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
        infos = {info.filename: info for info in archive.infolist()}
    change(members, infos)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            info = infos.get(name) or zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0))
            archive.writestr(info, content)
    return out.getvalue()


# --- 1: deep nesting and huge attributes keep every word -----------------------------------


def test_row1_four_hundred_unclosed_spans_keep_every_paragraph() -> None:
    data = page("".join(f"<span><p>You walk {i}, Y/N.</p>" for i in range(400)) + "<p>THE END.</p>")
    result = api.personalise(data, {"name": "Mara", "to": "second"})
    assert "THE END." in result.text and "You walk 399, Mara." in result.text
    assert b"THE END." in result.data and result.data.count(b"Mara") == 400


def test_row1_three_hundred_nested_divs_and_a_huge_attribute_keep_their_text() -> None:
    deep = api.open_work(page("<div>" * 300 + "<p>DEEP you.</p>" + "</div>" * 300 + "<p>after</p>"))
    assert "DEEP you." in deep.text and deep.text.endswith("after")
    huge = api.open_work(page(f'<p title="{"x" * 20_000_000}">big</p><p>after Y/N</p>'))
    assert huge.text == "big\n\nafter Y/N"


def test_row1_nesting_past_the_limit_is_one_error_not_silent_truncation() -> None:
    with pytest.raises(FormatError, match="nested more than 2048"):
        api.open_work(page("<div>" * 3000 + "<p>lost?</p>" + "</div>" * 3000))


# --- 2, 3, 5: text stays text, bytes stay bytes --------------------------------------------


def test_row2_text_with_a_few_em_tags_is_text_and_fill_changes_nothing() -> None:
    data = b"Title: T\n\nYou say <em>hi</em> and\nthen <em>bye</em>.\nLine three.\n"
    work = api.open_work(data, filename="e.txt")
    assert work.format == "txt" and work.metadata.title == "T"
    assert api.personalise(work, {"to": "second"}).data == data
    assert api.open_work(data).format == "txt"  # the same from standard input


def test_row3_a_stray_cp1252_byte_is_read_locally_with_a_note() -> None:
    data = "Café — you don’t. Stray ".encode() + b"\x92" + b" here.\n"
    work = read_work(data, "s.txt")
    assert work.text == "Café — you don’t. Stray ’ here.\n"
    assert work.notes and "1 byte" in work.notes[0]
    assert write_work(work, "txt") == data  # nothing changed: not one byte
    result = api.personalise(work, {"name": "Mara", "to": "third"})
    assert "’" in result.text and "â€" not in result.text
    assert any("not UTF-8" in n for n in result.notes)


def test_row5_a_value_with_a_newline_leaves_other_line_breaks_as_they_were() -> None:
    data = b"Y/N waits.\r\nYou nod.\nThe end.\r\n"
    result = api.personalise(data, {"to": "second", "values": {"Y/N": "Mara\nLee"}})
    assert result.data == b"Mara\nLee waits.\r\nYou nod.\nThe end.\r\n"


# --- 4: hard-wrapped speech ---------------------------------------------------------------


@pytest.mark.parametrize("quotes", ['""', "“”"])
def test_row4_speech_across_a_hard_wrap_is_not_rewritten(quotes: str) -> None:
    o, c = quotes
    text = (
        f"{o}Not after what you did. Not after\nStarkiller. You left me there.{c}\nYou turn away.\n"
    )
    result = rewrite(text, to="third", name="Mara", pronouns="she", names="smart")
    inside = text.index("Starkiller"), text.index(c, text.index("Starkiller"))
    assert not [e for e in result.edits if inside[0] <= e.start < inside[1]]
    assert result.text.endswith("turns away.\n")


# --- 6, 7, 8: tracebacks on ordinary or odd input ------------------------------------------


def test_row6_an_authors_note_does_not_crash_tags_or_check() -> None:
    data = b'He smiles. "Stay," he says.\n\nA/N: love you<3\n'
    assert any(t["field"] == "rating" for t in api.tags(data)["tags"])
    assert isinstance(api.check(data), list)


VERBS = ["walk", "say", "go", "are", "have", "do", "look"]
GLUES = ["(Y/N)", "Y/N", "[Y/N]", "(y/n)", "Y/N's", "(Y/N)'s", "Y/N."]


@pytest.mark.parametrize("glue", GLUES)
def test_row7_placeholders_glued_to_words_never_leak_into_edits(glue: str) -> None:
    for verb in VERBS:
        for text in (
            f"You {verb}{glue} here.\n",
            f"{glue}you {verb} here.\n",
            f"You {verb} {glue}x.\n",
        ):
            result = rewrite(text, to="third", name="Mara", pronouns="she")
            assert all(text[e.start : e.end] == e.old for e in result.edits), text
            result.text  # noqa: B018 (applies the edits: raises if any is wrong)


def test_row8_a_million_character_token_is_parsed_in_bounded_pieces() -> None:
    text = "You " + "a" * 1_000_022 + " walk. You smile.\n"
    work = api.open_work(text.encode(), filename="big.txt")
    assert api.tags(work)["tags"]
    result = api.personalise(work, {"name": "Mara", "to": "third", "names": "none"})
    assert result.text.endswith("She smiles.\n")


# --- 9, 10: odd declarations and values -----------------------------------------------------


@pytest.mark.parametrize("charset", ["undefined", "punycode", "utf-7", "nonsense"])
def test_row9_an_unusable_declared_charset_falls_back_to_utf8(charset: str) -> None:
    data = (
        f'<html><head><meta charset="{charset}"></head><body><p>You walk, café.</p></body></html>'
    )
    assert api.open_work(data.encode()).text == "You walk, café."


def test_row9_an_opf_description_of_escaped_doctype_is_read() -> None:
    def change(members, infos):
        opf = members["OEBPS/content.opf"].decode()
        described = "<dc:description>&lt;!DOCTYPE html&gt;</dc:description>\n"
        members["OEBPS/content.opf"] = opf.replace(
            "</metadata>", described + "</metadata>"
        ).encode()

    work = api.open_work(rezip(book([("One", "<p>You wait.</p>")]), change))
    assert "You wait." in work.text


def test_row9_xhtml_nested_to_the_parser_limit_reads_and_past_it_is_one_error() -> None:
    def nest(depth: int):
        def change(members, infos):
            xhtml = members["OEBPS/chapter_001.xhtml"].decode()
            deep = "<span>" * depth + "You wait deep." + "</span>" * depth
            members["OEBPS/chapter_001.xhtml"] = xhtml.replace("You wait.", deep).encode()

        return change

    assert (
        "You wait deep."
        in api.open_work(rezip(book([("One", "<p>You wait.</p>")]), nest(247))).text
    )
    with pytest.raises(FormatError):
        api.open_work(rezip(book([("One", "<p>You wait.</p>")]), nest(400)))


def test_row9_a_deeply_nested_profile_is_a_profile_error() -> None:
    with pytest.raises(ProfileError, match="nested too deeply"):
        ReaderProfile.from_toml("values = " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProfileError):
        ReaderProfile.from_mapping({"values": {"Y/N": [[["x"]]]}})


def test_row10_a_words_header_of_five_thousand_digits_is_no_number() -> None:
    meta, _ = parse_header("Title: T\nWords: " + "9" * 5000 + "\n\nYou walk.")
    assert meta.title == "T" and meta.words is None
    assert api.tags(("Words: " + "9" * 5000 + "\n\nYou walk, Y/N.").encode())["tags"]


def test_row10_non_utf8_name_or_value_is_one_line(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_bytes(b"You walk, Y/N.\n")
    name = os.fsdecode(b"\xff\xfe")
    one_line_error(run("fill", str(story), "--name", name), 2)
    one_line_error(run("fill", str(story), "--set", "Y/N=" + os.fsdecode(b"\xff")), 2)


# --- 11, 12: bounded reads ----------------------------------------------------------------


def test_row11_endless_devices_and_pipes_are_refused_at_the_cap(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="larger than"):
        read_bytes("/dev/zero", limit=2**20)
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"yes 'You walk.' > {fifo}"])
    try:
        with pytest.raises(InputError, match="larger than"):
            read_bytes(str(fifo), limit=2**20)
    finally:
        writer.kill()
        writer.wait()
    one_line_error(run("fill", "/dev/zero", "--name", "Mara"), 1)


def test_row12_a_chapter_listed_two_thousand_times_is_read_once() -> None:
    def change(members, infos):
        opf = members["OEBPS/content.opf"].decode()
        ref = '<itemref idref="f1"/>'
        members["OEBPS/content.opf"] = opf.replace(ref, ref * 2000).encode()

    work = api.open_work(
        rezip(book([("One", "<p>You wait " + "and wait " * 5000 + ".</p>")]), change)
    )
    assert len(work.chapters) == 1 and work.text.count("You wait") == 1


# --- 15, 16: safe and well-formed output ----------------------------------------------------


def test_row15_every_document_an_epub_carries_is_sanitised(tmp_path: Path) -> None:
    hostile = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:xlink="http://www.w3.org/1999/xlink"><head><title>x</title>'
        '<style>@import "https://evil.example/a.css"; p { background: u\\72l(//evil.example/t) }'
        "</style></head><body><script>steal()</script>"
        '<a href="java&#9;script:alert(1)">link</a><img src="https://evil.example/p.png" alt="p"/>'
        '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" '
        'values="javascript:alert(1)"/><text>t</text></a></svg>'
        '<p style="background:url(https://evil.example/x)">Extra page.</p></body></html>'
    )

    def change(members, infos):
        members["OEBPS/extra.xhtml"] = hostile.encode()  # off the spine
        members["OEBPS/nav.xhtml"] = hostile.replace("Extra page.", "Nav page.").encode()
        members["OEBPS/evil.js"] = b"steal()"
        link = zipfile.ZipInfo("OEBPS/link", (2000, 1, 1, 0, 0, 0))
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        members["OEBPS/link"], infos["OEBPS/link"] = b"/etc/passwd", link

    data = rezip(book([("One", "<p>You wait, Y/N.</p>")]), change)
    out = api.personalise(data, {"name": "Mara", "to": "second"}).data
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        for info in archive.infolist():
            content = archive.read(info).decode("utf-8", errors="replace").lower()
            assert not stat.S_ISLNK(info.external_attr >> 16), info.filename
            for bad in ("<script", "javascript", "evil.example", "@import", "animate", "steal()"):
                assert bad not in content, (info.filename, bad)
        assert "Nav page." in archive.read("OEBPS/nav.xhtml").decode()


def test_row15_head_styles_with_css_escapes_are_dropped_from_html() -> None:
    data = (
        b"<html><head><style>p { background: u\\72l(https://evil.example/t) }</style>"
        b"<style>p { color: red }</style></head><body><p>You walk.</p></body></html>"
    )
    out = write_work(read_work(data), "html")
    assert b"evil.example" not in out and b"color: red" in out


def test_row16_form_feed_and_uffff_give_a_well_formed_epub() -> None:
    data = "Title: A\x0cB\uffff\n\nYou walk\x0c. \uffff Y/N.\n".encode()
    epub = api.personalise(data, {"name": "Mara", "to": "second"}, format="epub").data
    again = api.open_work(epub)
    assert "You walk. Mara." in again.text.replace("  ", " ")
    filled = api.personalise(epub, {"to": "second", "values": {"Y/N": "a\x0cb\uffff"}}).data
    assert api.open_work(filled).text


# --- 17: -o ----------------------------------------------------------------------------------


def test_row17_output_keeps_mode_and_writes_through_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomic(str(target), b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_bytes() == b"new"
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(str(link), b"through")
    assert link.is_symlink() and target.read_bytes() == b"through"
    long_name = tmp_path / ("n" * 246 + ".txt")
    write_atomic(str(long_name), b"long")
    assert long_name.read_bytes() == b"long"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, link.name, long_name.name]
    )


def test_row17_non_regular_targets_are_refused_in_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        write_atomic(str(fifo), b"x")
    story = tmp_path / "s.txt"
    story.write_bytes(b"You walk.\n")
    one_line_error(run("fill", str(story), "-o", str(fifo)), 1)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_row17_sigterm_during_the_write_removes_the_temporary(tmp_path: Path) -> None:
    script = (
        "import os, signal, time\n"
        "from ynsert import source\n"
        "def stalled(a, b):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
        "source.os.replace = stalled\n"
        f"source.write_atomic({str(tmp_path / 'out.txt')!r}, b'x' * 100)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_work_notes_travel_with_the_work() -> None:
    work = read_work(b"You \x92 walk.")
    assert isinstance(work, Work) and work.notes
