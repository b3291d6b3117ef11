"""``ynsert serve``: bad settings end as one line on stderr, never a traceback."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import httpx
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


def _serve(tmp_path, *options: str):
    port = _free_port()
    database = f"sqlite:///{tmp_path / 'library.db'}"
    arguments = ["--port", str(port), "--database", database, *options]
    process = subprocess.Popen(COMMAND + arguments, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/login", timeout=2)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("ynsert serve did not start")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _failed_logins(url: str, attempts: int) -> list[int]:
    """Wrong passwords, each claiming another client address in X-Forwarded-For."""
    codes = []
    with httpx.Client(base_url=url) as client:
        page = client.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        for i in range(attempts):
            form = {"username": "mara", "password": "wrong password", "csrf": csrf}
            headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"}
            codes.append(client.post("/login", data=form, headers=headers).status_code)
    return codes


@pytest.mark.parametrize("trusted", [False, True])
def test_forwarded_for_from_loopback_counts_only_behind_a_trusted_proxy(tmp_path, trusted) -> None:
    """Issue 20 item 14: a local client cannot reset the login limit by inventing addresses."""
    options = ["--trusted-proxy", "127.0.0.1"] if trusted else []
    process, url = _serve(tmp_path, *options)
    try:
        codes = _failed_logins(url, 7)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert codes[:5] == [401] * 5
    # The default limit is 5 failures per address and username in five minutes.
    assert codes[5:] == ([401, 401] if trusted else [429, 429])


def test_worker_with_a_bad_database_is_one_line() -> None:
    command = [sys.executable, "-m", "ynsert", "worker", "--database", "mysql://x@127.0.0.1/x"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "unsupported database 'mysql'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
