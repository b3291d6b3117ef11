"""``ynsert serve``: bad settings end as one line on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

COMMAND = [sys.executable, "-c", "from ynsert.cli import main; main()", "serve"]


@pytest.mark.parametrize(
    "arguments, code, message",
    [
        (["--database", "mysql://someone@127.0.0.1/x"], 1, "unsupported database 'mysql'"),
        (["--database", "not a url"], 1, "not a database URL"),
        (["--port", "99999"], 2, "--port"),
        (["--workers", "0"], 2, "--workers"),
        (["--job-workers", "-1"], 2, "--job-workers"),
    ],
)
def test_bad_settings_are_one_line(arguments: list[str], code: int, message: str) -> None:
    result = subprocess.run(COMMAND + arguments, capture_output=True, text=True, timeout=60)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
