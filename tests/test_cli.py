"""The command line as a user meets it: output bytes, exit codes, one-line errors, no debris."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from data import GOLDS, SEED


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "ynsert", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(result, code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    message = result.stderr.decode()
    assert message.startswith("ynsert: error: ")
    assert message.count("\n") == 1 and "Traceback" not in message
    return message


def test_seed_to_third_person_is_byte_exact() -> None:
    result = run(
        "rewrite",
        str(SEED),
        "--to",
        "third",
        "--name",
        "Mara",
        "--pronouns",
        "she",
        "--names",
        "first",
    )
    assert result.returncode == 0
    assert result.stdout == GOLDS["third-she"].read_bytes()


def test_stdin_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "mine.txt"
    result = run("rewrite", "-", "--to", "first", "-o", str(out), stdin=b"You smile.")
    assert result.returncode == 0 and result.stdout == b""
    assert out.read_bytes() == b"You smile.".replace(b"You", b"I")


def test_no_trailing_newline_is_added() -> None:
    assert run("rewrite", "-", "--to", "first", stdin=b"You nod.").stdout == b"I nod."
    assert run("rewrite", "-", "--to", "first", stdin=b"You nod.\n").stdout == b"I nod.\n"


def test_profile_and_set(tmp_path: Path) -> None:
    profile = tmp_path / "reader.toml"
    profile.write_text(
        'name = "Mara"\npronouns = "they"\nnames = "first"\n[values]\n"H/C" = "auburn"\n',
        encoding="utf-8",
    )
    result = run(
        "rewrite",
        "-",
        "--profile",
        str(profile),
        "--set",
        "E/C=grey",
        stdin=b"You shake out your H/C hair. Your E/C eyes close.",
    )
    assert result.stdout == b"Mara shakes out their auburn hair. Their grey eyes close."


def test_fill_keeps_you() -> None:
    result = run("fill", "-", "--set", "Y/N=Mara", stdin=b'"Y/N," he says. You turn.')
    assert result.stdout == b'"Mara," he says. You turn.'


def test_show_edits_lists_changes_on_stderr() -> None:
    result = run("rewrite", "-", "--to", "first", "--show-edits", stdin=b"You nod.")
    assert b"1:1\t'You' \xe2\x86\x92 'I'" in result.stderr


def test_story_without_reader_is_unchanged_with_a_note() -> None:
    result = run("rewrite", "-", stdin=b"He walked home.")
    assert result.returncode == 0 and result.stdout == b"He walked home."
    assert b"no reader references" in result.stderr


def test_utf8_bom_is_kept() -> None:
    assert run("rewrite", "-", "--to", "first", stdin=b"\xef\xbb\xbfYou nod.").stdout == (
        b"\xef\xbb\xbfI nod."
    )


def test_cp1252_and_utf16_are_decoded(tmp_path: Path) -> None:
    cp = tmp_path / "cp.txt"
    cp.write_bytes("You sip your café’s tea.".encode("cp1252"))
    assert run("rewrite", str(cp), "--to", "first").stdout.decode() == "I sip my café’s tea."
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("You nod.".encode("utf-16"))
    assert run("rewrite", str(u16), "--to", "first").stdout.decode() == "I nod."


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        (lambda d: str(d / "missing.txt"), "no such file"),
        (lambda d: str(d), "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "blank.txt", b"  \n\n "), "empty"),
        (lambda d: _write(d / "bin.dat", bytes(range(256)) * 4), "binary"),
        (lambda d: _write(d / "bad.txt", b"You \x81\x8d\x8f\x90 nod."), "not UTF-8"),
    ],
    ids=["missing", "directory", "empty", "blank", "binary", "undecodable"],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, setup, fragment: str) -> None:
    out = tmp_path / "out" / "result.txt"
    out.parent.mkdir()
    result = run("rewrite", setup(tmp_path), "-o", str(out))
    assert fragment in assert_one_line_error(result)
    assert list(out.parent.iterdir()) == []


def test_unknown_pronouns_is_a_usage_error() -> None:
    message = assert_one_line_error(run("rewrite", "-", "--pronouns", "zz", stdin=b"You."), 2)
    assert "unknown pronoun set" in message


@pytest.mark.parametrize(
    "args", [["rewrite", "-", "--bogus"], ["rewrite", "-", "--from", "fourth"], ["frobnicate"]]
)
def test_usage_errors_are_one_line(args: list[str]) -> None:
    assert_one_line_error(run(*args, stdin=b"You nod."), 2)


def test_bad_profile_is_one_line(tmp_path: Path) -> None:
    profile = _write(tmp_path / "p.toml", b"name = ")
    assert "not valid TOML" in assert_one_line_error(
        run("rewrite", "-", "--profile", profile, stdin=b"You nod."), 2
    )


def test_output_into_missing_folder_is_refused(tmp_path: Path) -> None:
    result = run("rewrite", "-", "-o", str(tmp_path / "nope" / "x.txt"), stdin=b"You nod.")
    assert "does not exist" in assert_one_line_error(result)


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_tags_on_the_seed() -> None:
    result = run("tags", str(SEED))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    # the reader's death is possible, below the default level (docs/warnings.md)
    assert "Archive Warnings: none detected" in out
    assert "Major Character Death: possible (" in out
    assert "Relationships: Kylo Ren/Reader" in out
    cautious = run("tags", str(SEED), "--warn-at", "0.1").stdout.decode()
    assert "Warnings for you (from 10%): Major Character Death (" in cautious
    bad = run("tags", str(SEED), "--warn-at", "5")
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
    assert "Reader-Insert" in out and "Second Person" in out


def test_check_reports_the_tense_slip_and_exits_1() -> None:
    result = run("check", str(SEED))
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    slip = [line for line in lines if " YN101 " in line]
    assert slip and "Then, the heat disappears" in slip[0]
    assert slip[0].startswith(str(SEED) + ":1:")
    assert not [line for line in lines if " YN102 " in line]  # consistently second person
    assert not [line for line in lines if " YN401 " in line]  # no header: nothing declared


def test_check_json_and_clean_exit() -> None:
    result = run("check", "-", "--json", stdin=b"He walked home. He slept.")
    assert result.returncode == 0
    assert result.stdout.decode().strip().startswith("[")


def test_tags_bad_input_is_one_line(tmp_path: Path) -> None:
    assert_one_line_error(run("tags", str(tmp_path / "missing.txt")))


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("ynsert ")
