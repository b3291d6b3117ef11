"""``ynsert serve``: several web processes (Uvicorn's workers) and the job worker processes.

The parent migrates the database once, starts ``job_workers`` ``ynsert worker`` processes
(restarting any that die: a killed worker's job is retried by the next one), then hands the
socket to Uvicorn, which runs ``workers`` web processes over it and restarts any that die.
Web processes keep nothing that must be shared (see ``ynsert.web.app``), so any of them can
answer any request. Everything started here dies with the parent (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from ynsert.library.db import default_url, normalise_url, open_database
from ynsert.library.worker import die_with_parent
from ynsert.web.app import DATABASE_ENV

#: The serving process's id, so its web processes know their parent (to die with it).
PARENT_ENV = "YNSERT_SERVE_PARENT"


def serve(
    host: str,
    port: int,
    database: str | None,
    workers: int,
    job_workers: int,
    trusted_proxies: list[str] | None = None,
) -> None:
    """Run until interrupted. Raises ``YnsertError`` / ``Exception`` before serving only.

    uvicorn believes X-Forwarded-For from 127.0.0.1 by default: any local client could then
    claim a fresh address per login attempt. Only a proxy named in ``trusted_proxies`` is."""
    import uvicorn

    url = normalise_url(database or default_url())
    open_database(url).dispose()  # migrated once, here, before any process opens it
    print(
        f"ynsert reading room on http://{host}:{port}/ (OPDS: /opds); "
        f"{workers} web and {job_workers} job processes",
        file=sys.stderr,
        flush=True,
    )
    os.environ[DATABASE_ENV] = url
    os.environ[PARENT_ENV] = str(os.getpid())
    supervisor = JobWorkers(url, job_workers)
    supervisor.start()
    try:
        uvicorn.run(
            "ynsert.web.app:served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            timeout_graceful_shutdown=10,
            proxy_headers=bool(trusted_proxies),
            forwarded_allow_ips=",".join(trusted_proxies or []) or None,
        )
    finally:
        supervisor.stop()


class JobWorkers:
    """Keeps ``count`` ``ynsert worker`` processes running until stopped."""

    def __init__(self, url: str, count: int) -> None:
        self.url = url
        self.count = count
        self.processes: list[subprocess.Popen[bytes]] = []
        self.halt = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="ynsert-job-workers", daemon=True)

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.count)]
        if self.count:
            self.thread.start()

    def _spawn(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "ynsert", "worker", "--database", self.url]
        # preexec_fn runs between fork and exec: only the prctl call, nothing that locks.
        return subprocess.Popen(command, preexec_fn=die_with_parent)  # noqa: PLW1509

    def _watch(self) -> None:
        while not self.halt.wait(1.0):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self.halt.is_set():
                    print(
                        f"ynsert: job worker {process.pid} stopped ({process.returncode}); "
                        "starting another",
                        file=sys.stderr,
                    )
                    self.processes[index] = self._spawn()

    def stop(self) -> None:
        self.halt.set()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()


def adopt() -> None:
    """In a web process Uvicorn started for ``ynsert serve``: die with that parent."""
    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit() and os.getppid() == int(parent):
        die_with_parent()
