"""The job queue's guarantees on SQLite and PostgreSQL: one claim per job, leases, fencing,
retries, cancellation, and a forked worker that stops a job past its deadline."""

from __future__ import annotations

import threading
import time

from ynsert.library import Library
from ynsert.library.jobs import JobQueue
from ynsert.library.worker import Worker

STORY = b"Title: Home\n\n" + b"You ran home through the rain, Y/N, and he waited. " * 40


def _account(library: Library) -> int:
    return library.create_account("ada", "correct horse battery").id


def test_concurrent_workers_never_claim_one_job_twice(library: Library) -> None:
    accounts = [library.create_account(f"u{n}", "correct horse battery").id for n in range(3)]
    jobs = {library.queue.enqueue("analyse", accounts[n % 3], key=f"k{n}").id for n in range(45)}
    claimed: list[int] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while (claim := library.queue.claim(name)) is not None:
            with lock:
                claimed.append(claim.id)
            assert library.queue.finish(claim)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(jobs)  # every job once, none twice


def test_a_lost_lease_is_retried_and_the_old_holder_is_fenced(library: Library) -> None:
    account = _account(library)
    short = JobQueue(library.sessions, lease=0.3)
    job = short.enqueue("analyse", account, key="lease")
    first = short.claim("dead worker")
    assert first is not None and short.claim("other") is None  # leased: not claimable
    time.sleep(0.5)  # the dead worker never renews
    second = short.claim("live worker")
    assert second is not None and second.id == job.id and second.attempt == 2
    assert not short.renew(first) and not short.finish(first)  # fenced out
    assert short.finish(second) and not short.finish(second)
    runs = short.runs(job.id)
    assert [(r.attempt, r.outcome) for r in runs] == [(1, "lost"), (2, "done")]
    assert runs[0].ended <= runs[1].started


def test_a_job_that_kills_every_worker_fails_with_a_reason(library: Library) -> None:
    account = _account(library)
    short = JobQueue(library.sessions, lease=0.2)
    job = short.enqueue("analyse", account, key="killer", max_attempts=2)
    for name in ("a", "b"):
        assert short.claim(name) is not None
        time.sleep(0.3)
    assert short.claim("c") is None
    status = short.status(job.id)
    assert status["state"] == "failed" and "every attempt" in status["message"]


def test_a_cancelled_job_stops_its_worker(library: Library) -> None:
    account = _account(library)
    job = library.queue.enqueue("analyse", account, key="cancel")
    claim = library.queue.claim("w")
    assert claim is not None and library.queue.cancel(job.id)
    assert not library.queue.renew(claim) and not library.queue.finish(claim)
    assert library.queue.enqueue("analyse", account, key="cancel").id != job.id  # key freed


def test_a_forked_worker_runs_a_job_and_stops_one_past_its_deadline(library: Library) -> None:
    account = _account(library)
    work = library.import_work(account, STORY, "home.txt").work
    job = library.queue.enqueue("analyse", account, work.id, key="a")
    assert Worker(library, fork=True, poll=0.1).run(max_jobs=1) == 1
    assert library.queue.status(job.id)["state"] == "done"
    assert library.analysis_ready(account, work.id)
    # long enough that even a warm pipeline (the whole suite in one process) cannot finish it
    # before the worker first looks at the clock
    long = library.import_work(account, STORY + b"\n\n" + b"You walk on, Y/N. " * 6000, "l.txt")
    slow = library.queue.enqueue(
        "render",
        account,
        long.work.id,
        {"reader": {"name": "Mara", "to": "third"}, "key": "x" * 64},
        key="slow",
    )
    Worker(library, fork=True, poll=0.1, deadline=0.0).run(max_jobs=1)
    status = library.queue.status(slow.id)
    assert status["state"] == "failed" and status["message"].startswith("stopped after")


def test_a_stopping_worker_hands_its_job_back_at_once(library: Library) -> None:
    account = _account(library)
    work = library.import_work(account, STORY * 20, "long.txt").work
    job = library.queue.enqueue("analyse", account, work.id, key="stop")
    worker = Worker(library, fork=True, poll=0.1)
    thread = threading.Thread(target=worker.run, kwargs={"max_jobs": 1})
    thread.start()
    deadline = time.monotonic() + 60
    while library.queue.status(job.id)["state"] != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.stop.set()
    thread.join(30)
    status = library.queue.status(job.id)
    assert status["state"] == "queued" and status["attempts"] == 0
    assert [r.outcome for r in library.queue.runs(job.id)] == ["stopped"]
    claim = library.queue.claim("next")  # no lease to wait for
    assert claim is not None and claim.id == job.id
