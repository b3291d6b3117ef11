"""Job workers: processes that claim jobs from the library database and run them.

``ynsert worker`` runs one (``ynsert serve`` starts them for you). A worker loads the engine
once, then for each job it claims forks a child that does the work, while the worker itself
renews the job's lease and watches: a job that is cancelled (its work deleted, its reader
gone), runs past ``deadline`` seconds or outgrows ``memory_mb`` is stopped with a one-line
reason, and the worker goes on to the next. The child dies with its worker (Linux
``PR_SET_PDEATHSIG``), so ``kill -9`` of a worker leaves no orphan writing behind it; its
job's lease runs out and another worker retries it.

Inside one process (tests, ``Library(jobs="thread")``) the same loop runs in a thread and
runs each job in a thread: nothing is forked and nothing can be stopped mid-job.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ynsert.errors import YnsertError
from ynsert.library.jobs import Claim

if TYPE_CHECKING:
    from ynsert.library.service import Library

#: A job running longer than this is stopped and failed (a 100k-word analysis takes ~1 min).
DEADLINE_SECONDS = 1800.0
PR_SET_PDEATHSIG = 1


class Worker:
    """Claims and runs jobs until ``stop`` is set (or ``max_jobs`` have run)."""

    def __init__(
        self,
        library: Library,
        name: str | None = None,
        *,
        fork: bool = True,
        poll: float = 0.5,
        deadline: float = DEADLINE_SECONDS,
        memory_mb: int | None = None,
    ) -> None:
        self.library = library
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self) % 10000}"
        self.fork = fork
        self.poll = poll
        self.deadline = deadline
        self.memory_mb = memory_mb
        self.wake = threading.Event()
        self.stop = threading.Event()

    def run(self, stop: threading.Event | None = None, max_jobs: int | None = None) -> int:
        """The claim loop; returns how many jobs it ran."""
        stop = self.stop = stop or self.stop
        ran = 0
        last_prune = 0.0
        while not stop.is_set() and (max_jobs is None or ran < max_jobs):
            claim = self.library.queue.claim(self.name)
            if claim is None:
                if time.monotonic() - last_prune > 3600:
                    self.library.queue.prune()
                    last_prune = time.monotonic()
                self.wake.wait(self.poll)
                self.wake.clear()
                continue
            self.run_claim(claim)
            ran += 1
        return ran

    def run_claim(self, claim: Claim) -> None:
        runner = _Forked(self, claim) if self.fork else _Threaded(self, claim)
        queue = self.library.queue
        started = renewed = time.monotonic()
        while runner.alive():
            runner.wait(min(queue.lease / 3, 0.25))  # deadlines are seen within a quarter second
            if not runner.alive():
                break
            if self.stop.is_set() and self.fork:  # stopping: the job goes back, retried at once
                runner.stop()
                queue.release(claim)
                return
            if time.monotonic() - started > self.deadline:
                runner.stop()
                queue.fail(claim, f"stopped after {self.deadline:.0f} s: the work is too long")
                return
            if time.monotonic() - renewed >= queue.lease / 3:
                renewed = time.monotonic()
                if not queue.renew(claim):  # cancelled, or (a stall) the lease went elsewhere
                    runner.stop()
                    return
        runner.settle(claim)


def perform(library: Library, claim: Claim) -> dict[str, Any]:
    """Run one job; a one-line ``YnsertError`` is the reader's reason when it fails."""
    return library.perform(claim, lambda p, m: library.queue.renew(claim, p, m))


def reason_of(error: BaseException) -> str:
    if isinstance(error, YnsertError):
        return str(error)
    if isinstance(error, MemoryError):
        return "ran out of memory: the work is too large to do this"
    return f"internal error ({type(error).__name__}); the server log has the details"


class _Threaded:
    """A job in a thread of this process (no fork: tests and the embedded default)."""

    def __init__(self, worker: Worker, claim: Claim) -> None:
        self.worker = worker
        self.outcome: tuple[bool, Any] = (False, "did not run")
        self.thread = threading.Thread(target=self._run, args=(claim,), daemon=True)
        self.thread.start()

    def _run(self, claim: Claim) -> None:
        try:
            self.outcome = (True, perform(self.worker.library, claim))
        except BaseException as error:  # reported as the job's reason, never lost
            traceback.print_exc()
            self.outcome = (False, reason_of(error))

    def alive(self) -> bool:
        return self.thread.is_alive()

    def wait(self, seconds: float) -> None:
        self.thread.join(seconds)

    def stop(self) -> None:
        """A thread cannot be stopped; its result is simply not recorded (fenced)."""

    def settle(self, claim: Claim) -> None:
        ok, value = self.outcome
        queue = self.worker.library.queue
        queue.finish(claim, value) if ok else queue.fail(claim, value)


class _Forked:
    """A job in a forked child; the parent keeps the lease and can kill it."""

    def __init__(self, worker: Worker, claim: Claim) -> None:
        self.worker = worker
        self.status: int | None = None
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(read)
            _child(worker, claim, write)
        os.close(write)
        self.pipe = read
        self.report = b""

    def alive(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                self._drain()
        return self.status is None

    def wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.alive() and time.monotonic() < end:
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))

    def _drain(self) -> None:
        with os.fdopen(self.pipe, "rb") as pipe:
            self.report = pipe.read()

    def stop(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.status = -1
            self._drain()

    def settle(self, claim: Claim) -> None:
        """The child marked the job done or failed itself; if it died first, say how."""
        queue = self.worker.library.queue
        if self.status is not None and os.WIFSIGNALED(self.status):
            how = signal.Signals(os.WTERMSIG(self.status)).name
            queue.fail(claim, f"the job was killed ({how}): the work is probably too large")
        elif self.status is not None and os.WEXITSTATUS(self.status) not in (0, 3):
            reason = self.report.decode("utf-8", "replace").strip() or "the job ended badly"
            queue.fail(claim, reason)


def _child(worker: Worker, claim: Claim, pipe: int) -> None:
    """Run the job in the forked child and leave with ``os._exit`` (no parent cleanup)."""
    code = 0
    try:
        die_with_parent()
        if worker.memory_mb:
            limit = worker.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        library = worker.library
        library.engine.dispose(close=False)  # the parent's connections stay the parent's
        try:
            result = perform(library, claim)
        except BaseException as error:  # the reason goes to the reader, the trace to the log
            if not isinstance(error, YnsertError):
                traceback.print_exc()
            library.queue.fail(claim, reason_of(error))
            code = 3
        else:
            library.queue.finish(claim, result)
    except BaseException as error:  # even the database failed: tell the parent in one line
        os.write(pipe, reason_of(error).encode()[:300])
        code = 1
    finally:
        os._exit(code)


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when its parent dies (no orphans after kill -9)."""
    with contextlib.suppress(OSError, AttributeError):  # elsewhere: the lease still protects
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_worker(
    url: str | None,
    *,
    stop: threading.Event | None = None,
    memory_mb: int | None = None,
    niceness: int = 10,
    ready: Callable[[], None] | None = None,
) -> None:
    """``ynsert worker``: load the engine, then claim jobs until stopped (SIGTERM/SIGINT)."""
    from ynsert.library.service import Library

    if niceness:
        os.nice(niceness)  # readers' pages first; jobs use what the web processes leave
    library = Library(url, jobs="external", migrate=True)
    stop = stop or threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    _warm_up()
    if ready:
        ready()
    try:
        Worker(library, memory_mb=memory_mb).run(stop)
    finally:
        library.close()


def _warm_up() -> None:
    """Load the spaCy pipeline once, before forking, so every job's child shares it."""
    from ynsert import api

    api.tags(api.open_work(b"You ran home, Y/N.", format="txt"))
