"""The linters and the type checker are part of the test suite, so the README's one test
command (and ``.ci/run``, which is exactly that command) runs them too."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=" ".join,
)
def test_the_code_is_clean(command: list[str]) -> None:
    result = run_tool(BIN, command)
    assert result.returncode == 0, result.stdout + result.stderr


def run_tool(folder: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a linter from ``folder``; a missing one fails (a skip would pass an unchecked tree)."""
    tool = folder / command[0]
    assert tool.exists(), f"{command[0]} is not installed in {folder}: run scripts/setup.sh --dev"
    return subprocess.run(
        [str(tool), *command[1:]], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_a_missing_tool_fails_rather_than_skips(tmp_path: Path) -> None:
    outcome: BaseException | None = None
    try:
        run_tool(tmp_path, ["ruff", "check", "."])  # an empty folder: no ruff in it
    except BaseException as error:  # pytest.skip raises an exception that is not an Exception
        outcome = error
    assert isinstance(outcome, AssertionError) and "not installed" in str(outcome)


def test_no_test_skips_itself_when_part_of_ynsert_is_missing() -> None:
    """ynsert's own modules always exist: a test that skips without one would hide a break."""
    offenders = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            texts = [t for t in texts if isinstance(t, str)]
            if node.func.attr == "importorskip" and any(t.startswith("ynsert") for t in texts):
                offenders.append(f"{path.name}:{node.lineno}")
            if node.func.attr == "skip" and any("ynsert" in t for t in texts):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders
