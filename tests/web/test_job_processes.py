"""Real processes, a real database: kill -9 a job worker mid-job and the whole server, restart,
and every job still finishes exactly once, never two runs of one job at a time.

``ynsert serve --workers 2 --job-workers 1`` runs over a temporary SQLite library (and over a
throwaway PostgreSQL cluster where Debian's server is installed). The jobs are real analyses
of works built from the repository's own texts. The lease is set short (``YNSERT_JOB_LEASE``)
so a killed worker's job comes back within seconds instead of half a minute.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pgcluster import cluster
from webtools import CHEAP

from ynsert.document.header import Metadata
from ynsert.formats import Chapter, Work, write_work
from ynsert.library import Library
from ynsert.library.models import Analysis, Job, JobRun

REPO = Path(__file__).resolve().parents[2]
LEASE = "4"
WORKS = 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _texts() -> list[str]:
    words = (REPO / "examples" / "seed.txt").read_text().split()
    for path in sorted((REPO / "tests" / "data").glob("**/*.txt"))[:40]:
        try:
            words += path.read_text().split()
        except UnicodeDecodeError:
            continue
    return words


def _work(words: list[str], n: int, size: int = 6000) -> bytes:
    """A distinct work of ``size`` words (chapters of 120-word paragraphs)."""
    chosen = [words[(n * 997 + i) % len(words)] for i in range(size)]
    paragraphs = [" ".join(chosen[i : i + 120]) for i in range(0, size, 120)]
    chapters = [
        Chapter(f"Chapter {c + 1}", "\n\n".join(paragraphs[c * 10 : c * 10 + 10]))
        for c in range(0, (len(paragraphs) + 9) // 10)
    ]
    return write_work(Work(Metadata(title=f"Long work {n}", authors=["Test"]), chapters), "epub")


def _serve(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "ynsert", "serve", "--port", str(port)]
    command += ["--database", url, "--workers", "2", "--job-workers", "1"]
    env = {**os.environ, "YNSERT_JOB_LEASE": LEASE}
    handle = open(log, "ab")  # noqa: SIM115 (the server's own log, kept for failures)
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("ynsert serve did not start: " + log.read_text()[-2000:])


def _running(library: Library, avoid: set[int]) -> Job:
    """Wait for a job running with a live worker process other than ``avoid``."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with library.sessions() as session:
            for job in session.query(Job).filter(Job.state == "running"):
                pid = int(job.worker.split(":")[1])
                if pid not in avoid and _alive(pid) and job.lease_until > time.time():
                    return job
        time.sleep(0.2)
    pytest.fail("no job started running")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'library.db'}"
        return
    with cluster() as (server, why):
        if server is None:
            pytest.skip(why)
        import psycopg

        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute("CREATE DATABASE ynsert_kill")
        yield server.rsplit("/", 1)[0] + "/ynsert_kill"


def test_kill_9_worker_and_server_every_job_finishes_once(database: str, tmp_path: Path) -> None:
    library = Library(database, seed=False, hasher=CHEAP, jobs="external")
    account = library.create_account("kira", "correct horse battery")
    words = _texts()
    works = [
        library.import_work(account.id, _work(words, n), f"w{n}.epub").work for n in range(WORKS)
    ]
    jobs = [library.analyse_later(account.id, work.id).id for work in works]
    log = tmp_path / "serve.log"
    server, base = _serve(database, log)
    killed: set[int] = set()
    try:
        # 1. kill -9 the job worker mid-analysis: serve starts another, the job is retried.
        first = _running(library, killed)
        worker_pid = int(first.worker.split(":")[1])
        os.kill(worker_pid, signal.SIGKILL)
        killed.add(worker_pid)
        # 2. kill -9 the whole server (web processes and job workers die with it) mid-job.
        second = _running(library, killed)
        second_pid = int(second.worker.split(":")[1])
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _alive(second_pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(second_pid), "a job worker outlived its server"
        killed.add(second_pid)
        # 3. start again: every job finishes.
        server, base = _serve(database, log)
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            states = {library.queue.get(j).state for j in jobs}
            if states <= {"done", "failed", "cancelled"}:
                break
            time.sleep(1)
        assert httpx.get(base + "/login", timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert [library.queue.get(j).state for j in jobs] == ["done"] * WORKS, log.read_text()[-3000:]
    with library.sessions() as session:
        runs = list(session.query(JobRun).order_by(JobRun.job_id, JobRun.attempt))
        analysed = {a.work_id for a in session.query(Analysis)}
    assert analysed == {w.id for w in works}
    for job_id in jobs:
        mine = [r for r in runs if r.job_id == job_id]
        assert [r.outcome for r in mine].count("done") == 1, mine  # finished exactly once
        for earlier, later in zip(mine, mine[1:], strict=False):  # never two runs at once
            assert earlier.outcome in ("lost", "stopped") and 0 < earlier.ended <= later.started
    lost = {r.job_id for r in runs if r.outcome == "lost"}
    assert {first.id, second.id} <= lost  # both killed runs were noticed and retried
    library.close()
