"""The CLI on the files fans actually have: AO3 HTML and EPUB in, any format out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from make_fixtures import ao3_epub, ao3_html

from ynsert.formats import read_work


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ynsert", *args], capture_output=True, timeout=120)


def test_epub_in_epub_out(tmp_path: Path) -> None:
    source = tmp_path / "work.epub"
    source.write_bytes(ao3_epub())
    out = tmp_path / "mine.epub"
    result = run("rewrite", str(source), "--to", "first", "-o", str(out))
    assert result.returncode == 0, result.stderr
    before, after = read_work(source.read_bytes()), read_work(out.read_bytes())
    assert len(after.chapters) == len(before.chapters)
    assert after.metadata.title == before.metadata.title
    assert "I pull my coat tighter" in after.text
    assert "You pull your coat" not in after.text


def test_html_converted_to_text_with_format_option(tmp_path: Path) -> None:
    source = tmp_path / "work.html"
    source.write_bytes(ao3_html())
    result = run("rewrite", str(source), "--to", "first", "--format", "txt")
    assert result.returncode == 0, result.stderr
    assert "I pull my coat tighter" in result.stdout.decode("utf-8")


def test_format_is_sniffed_not_taken_from_the_name(tmp_path: Path) -> None:
    disguised = tmp_path / "story.txt"
    disguised.write_bytes(ao3_epub())
    out = tmp_path / "out.epub"
    assert run("fill", str(disguised), "--set", "Y/N=Mara", "-o", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"PK")


def test_unknown_output_format_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("You nod.", encoding="utf-8")
    result = run("rewrite", str(source), "--format", "pdf")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1


def test_broken_epub_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "broken.epub"
    source.write_bytes(ao3_epub()[:400])
    out = tmp_path / "out.epub"
    result = run("rewrite", str(source), "-o", str(out))
    assert result.returncode == 1
    message = result.stderr.decode()
    assert message.startswith("ynsert: error: ") and message.count("\n") == 1
    assert not out.exists()


def test_tags_on_a_work_say_which_chapter_holds_a_warning(tmp_path: Path) -> None:
    story = tmp_path / "two.md"
    story.write_text(
        # the author says so in the summary: a death flagged at the default level
        "Title: Two\nSummary: You die in the end.\n\n# One\n\n"
        "You walk to the lake with Kylo. You laugh.\n\n# Two\n\n"
        "He stabs you with his lightsaber. Blood pours from the wound. "
        "Your vision goes dark and you die in his arms.\n",
        encoding="utf-8",
    )
    book = tmp_path / "two.epub"
    assert run("fill", str(story), "-o", str(book)).returncode == 0
    result = run("tags", str(book))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert "Archive Warnings: Major Character Death" in lines
    assert 'Chapter 1 "One": no warnings' in lines
    chapter_two = next(line for line in lines if line.startswith('Chapter 2 "Two"'))
    assert "Major Character Death" in chapter_two
