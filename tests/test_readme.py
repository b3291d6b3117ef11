"""The README's console examples run as shown, output compared line for line.

Every ```` ```console ```` block in README.md is a session: ``$ `` lines are commands (a
trailing ``\\`` continues one), the lines up to the next command are its output (stdout, then
stderr). A session runs in a fresh folder where ``examples/`` is the repository's, so the
bundled files are read by the same relative paths the README shows. Understood commands:

- ``ynsert …``: the installed command, run for real;
- ``cat FILE``: shows FILE; when the session has no such file yet, the README is introducing
  it, so its shown content is written there first (that is how ``story.txt`` comes to exist);
- ``echo $?``: the previous command's status. A command whose status is not shown this way
  must succeed.

An output line that is ``…`` alone stands for any number of lines. Nothing else is
normalised, except that blank lines ending an output are the gap before the next command.
Anything else after ``$ `` fails the test, so no example is silently left unchecked.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
ELLIPSIS = "…"


@dataclass
class Command:
    line: int  # where the command starts in README.md (1-based)
    argv: list[str]
    expected: list[str] = field(default_factory=list)


def console_blocks(markdown: str) -> list[list[Command]]:
    """The README's console sessions, each a list of commands with their shown output."""
    sessions = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```console":
            index += 1
            continue
        session: list[Command] = []
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            line = lines[index]
            if line.startswith("$ "):
                start, text = index, line[2:]
                while text.endswith("\\") and index + 1 < len(lines):
                    index += 1
                    text = text[:-1] + " " + lines[index].strip()
                session.append(Command(start + 1, shlex.split(text, comments=True)))
            elif session:
                session[-1].expected.append(line)
            index += 1
        sessions.append(session)
        index += 1
    return sessions


def matches(expected: list[str], actual: list[str]) -> bool:
    """``actual`` is ``expected`` line for line, a ``…`` line standing for any lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == ELLIPSIS else re.escape(line) + r"\n" for line in expected
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in actual)) is not None


def trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def ynsert_command() -> list[str]:
    """The installed ``ynsert`` script beside this Python, else ``python -m ynsert``."""
    script = Path(sys.executable).with_name("ynsert")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ynsert"]


class Session:
    """Runs one console block's commands in ``folder``, keeping the last exit status."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.status: int | None = None
        (folder / "examples").symlink_to(REPO / "examples", target_is_directory=True)

    def run(self, command: Command) -> tuple[list[str], int]:
        name, *args = command.argv
        if name == "echo" and args == ["$?"]:
            assert self.status is not None, f"README.md:{command.line}: no status to show yet"
            return [str(self.status)], 0
        if name == "cat" and len(args) == 1:
            path = self.folder / args[0]
            if not path.exists():
                path.write_text("\n".join(trimmed(command.expected)) + "\n", encoding="utf-8")
            return path.read_text(encoding="utf-8").splitlines(), 0
        if name == "ynsert":
            env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}
            result = subprocess.run(
                [*ynsert_command(), *args],
                cwd=self.folder,
                capture_output=True,
                env=env,
                timeout=300,
            )
            output = result.stdout.decode() + result.stderr.decode()
            return output.splitlines(), result.returncode
        raise AssertionError(f"README.md:{command.line}: no runner for {command.argv[0]!r}")


SESSIONS = console_blocks(README.read_text(encoding="utf-8")) if README.is_file() else []


def test_readme_has_console_examples() -> None:
    assert SESSIONS and all(SESSIONS), "README.md should show console sessions"


@pytest.mark.parametrize(
    "session", SESSIONS, ids=[f"line-{s[0].line}" if s else "empty" for s in SESSIONS]
)
def test_console_example_runs_as_shown(session: list[Command], tmp_path: Path) -> None:
    runner = Session(tmp_path)
    for number, command in enumerate(session):
        actual, status = runner.run(command)
        expected = trimmed(command.expected)
        shown = " ".join(command.argv)
        if not matches(expected, trimmed(actual)):
            pytest.fail(
                f"README.md:{command.line}: `{shown}` printed:\n"
                + "\n".join(actual)
                + "\n--- the README shows:\n"
                + "\n".join(expected)
            )
        status_shown = number + 1 < len(session) and session[number + 1].argv == ["echo", "$?"]
        if command.argv[0] != "echo" and not status_shown:
            assert status == 0, f"README.md:{command.line}: `{shown}` exited {status}"
        runner.status = status


def test_ellipsis_matches_any_lines() -> None:
    assert matches(["a", ELLIPSIS, "d"], ["a", "b", "c", "d"])
    assert matches(["a", ELLIPSIS, "d"], ["a", "d"])
    assert not matches(["a", ELLIPSIS, "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "b", "c"])
