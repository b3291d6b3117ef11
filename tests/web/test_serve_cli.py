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


def test_worker_with_a_bad_database_is_one_line() -> None:
    command = [sys.executable, "-m", "ynsert", "worker", "--database", "mysql://x@127.0.0.1/x"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "unsupported database 'mysql'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
