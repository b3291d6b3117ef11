"""The persisted job queue: heavy work lives in the database, not in a web process's memory.

Analyses, personalised renders, personalised files and imports by link are *jobs*: rows of
the ``jobs`` table that worker processes (``ynsert worker``, started by ``ynsert serve``)
claim one at a time. The guarantees, on SQLite and on PostgreSQL alike:

- a job survives a restart of the web processes and of the workers (it is a row);
- one live job per thing: ``active_key`` (e.g. ``analyse:42``) is unique while the job is
  queued or running, so a second request for the same analysis finds the first job;
- no job runs twice at once: a claim is one atomic ``UPDATE … WHERE state='queued'``
  (``SELECT … FOR UPDATE SKIP LOCKED`` first on PostgreSQL), and every later write of the
  worker is fenced by (worker, attempt), so a worker that lost its lease cannot finish;
- a worker killed mid-job stops renewing its lease; when the lease runs out the job is
  claimable again and retried (``max_attempts`` in all), its lost run recorded as such;
- a failed job keeps a one-line reason for the reader; ``job_runs`` keeps every attempt.

>>> from ynsert.library import Library
>>> library = Library("sqlite://", seed=False, jobs="external")
>>> account = library.create_account("ada", "correct horse battery")
>>> queue = library.queue
>>> job = queue.enqueue("analyse", account.id, key="analyse:demo")
>>> queue.enqueue("analyse", account.id, key="analyse:demo").id == job.id   # one live job
True
>>> claim = queue.claim("worker-1")
>>> claim.id == job.id, claim.attempt, queue.claim("worker-2")             # nothing else left
(True, 1, None)
>>> queue.finish(claim), queue.finish(claim)                                 # exactly once
(True, False)
>>> queue.status(job.id)["state"]
'done'
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ynsert.library.errors import Busy, NotFound
from ynsert.library.models import Job, JobRun

#: A running job's lease, renewed by its worker every third of it: how long a killed
#: worker's job waits before another worker retries it (``YNSERT_JOB_LEASE`` to change).
LEASE_SECONDS = float(os.environ.get("YNSERT_JOB_LEASE") or 30.0)
#: Live (queued or running) jobs one account may have: one account cannot fill the queue.
MAX_LIVE_PER_ACCOUNT = 20
#: Finished jobs are kept this long for their pages, then pruned.
KEEP_FINISHED_SECONDS = 7 * 24 * 3600.0
LIVE = ("queued", "running")


@dataclass(frozen=True)
class Claim:
    """A job a worker holds: (id, attempt, worker) fence every write it makes."""

    id: int
    kind: str
    account_id: int
    work_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1
    worker: str = ""


class JobQueue:
    """Enqueue, claim, renew, finish and fail jobs over one database (any process)."""

    def __init__(self, sessions: sessionmaker[Any], lease: float = LEASE_SECONDS) -> None:
        self.sessions = sessions
        self.lease = lease
        self.postgres = sessions.kw["bind"].dialect.name == "postgresql"

    # -- producers (the web processes) ------------------------------------------------------

    def enqueue(
        self,
        kind: str,
        account_id: int,
        work_id: int | None = None,
        payload: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        max_attempts: int = 3,
    ) -> Job:
        """A new queued job, or the live job already holding ``key``."""
        if key is not None and (found := self.live(key)) is not None:
            return found
        with self.sessions() as session:
            live = session.scalar(
                select(func.count(Job.id)).where(Job.account_id == account_id, Job.state.in_(LIVE))
            )
            if (live or 0) >= MAX_LIVE_PER_ACCOUNT:
                raise Busy(
                    f"{live} jobs of this account are waiting or running; "
                    "try again when some have finished"
                )
            job = Job(
                kind=kind,
                account_id=account_id,
                work_id=work_id,
                payload=payload or {},
                active_key=key,
                max_attempts=max_attempts,
                created=time.time(),
            )
            session.add(job)
            try:
                session.commit()
            except IntegrityError:  # another process queued the same key a moment ago
                session.rollback()
                found = self.live(key) if key else None
                if found is None:
                    raise
                return found
        return job

    def live(self, key: str) -> Job | None:
        with self.sessions() as session:
            return session.scalar(select(Job).where(Job.active_key == key))

    def get(self, job_id: int, account_id: int | None = None) -> Job:
        with self.sessions() as session:
            job = session.get(Job, job_id) if 0 < job_id < 2**31 else None
        if job is None or (account_id is not None and job.account_id != account_id):
            raise NotFound(f"no job {job_id}")
        return job

    def status(self, job_id: int, account_id: int | None = None) -> dict[str, Any]:
        """What a page shows: state, progress, the one-line message, jobs ahead, seconds."""
        job = self.get(job_id, account_id)
        ahead = 0
        if job.state == "queued":
            with self.sessions() as session:
                ahead = session.scalar(
                    select(func.count(Job.id)).where(Job.state.in_(LIVE), Job.id < job.id)
                )
        now = time.time()
        running = job.started and job.state == "running"
        return {
            "id": job.id,
            "kind": job.kind,
            "work_id": job.work_id,
            "state": job.state,
            "progress": round(job.progress, 3),
            "message": job.message,
            "ahead": int(ahead or 0),
            "attempts": job.attempts,
            "seconds": round((now - job.started) if running else 0.0, 1),
            "result": job.result or {},
            "url": str((job.payload or {}).get("url", "")),  # an import's link (nothing private)
        }

    def cancel(self, job_id: int) -> bool:
        """Stop a live job (its worker notices at the next renewal and kills its run)."""
        with self.sessions.begin() as session:
            done = session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state.in_(LIVE))
                .values(state="cancelled", active_key=None, finished=time.time())
            )
        return bool(getattr(done, "rowcount", 0))

    # -- consumers (the workers) -----------------------------------------------------------

    def claim(self, worker: str) -> Claim | None:
        """The oldest claimable job, now running for ``worker``; None when there is none."""
        now = time.time()
        self._give_up_on_lost(now)
        claimable = and_(
            or_(Job.state == "queued", and_(Job.state == "running", Job.lease_until < now)),
            Job.attempts < Job.max_attempts,
        )
        with self.sessions.begin() as session:
            oldest = select(Job.id).where(claimable).order_by(Job.id).limit(1)
            if self.postgres:  # waiting workers skip rows another worker is claiming
                oldest = oldest.with_for_update(skip_locked=True)
                target = session.scalar(oldest)
                if target is None:
                    return None
                chosen: Any = Job.id == target
            else:  # one statement: SQLite runs it as one write transaction
                chosen = Job.id == oldest.scalar_subquery()
            row = session.execute(
                update(Job)
                .where(chosen, claimable)
                .values(
                    state="running",
                    attempts=Job.attempts + 1,
                    worker=worker,
                    lease_until=now + self.lease,
                    started=now,
                    progress=0.0,
                    message="started",
                )
                .returning(Job.id, Job.kind, Job.account_id, Job.work_id, Job.payload, Job.attempts)
            ).first()
            if row is None:
                return None
            claim = Claim(row[0], row[1], row[2], row[3], dict(row[4] or {}), row[5], worker)
            self._end_runs(session, claim.id, "lost", now)  # a previous holder that died
            session.add(JobRun(job_id=claim.id, attempt=claim.attempt, worker=worker, started=now))
        return claim

    def renew(
        self, claim: Claim, progress: float | None = None, message: str | None = None
    ) -> bool:
        """Extend the lease (and report progress); False when the job is no longer ours."""
        values: dict[str, Any] = {"lease_until": time.time() + self.lease}
        if progress is not None:
            values["progress"] = max(0.0, min(1.0, progress))
        if message is not None:
            values["message"] = _one_line(message)
        with self.sessions.begin() as session:
            done = session.execute(update(Job).where(*_ours(claim)).values(**values))
        return bool(getattr(done, "rowcount", 0))

    def finish(self, claim: Claim, result: dict[str, Any] | None = None) -> bool:
        """Mark the job done; True only for the one call that did (fenced by the claim)."""
        return self._end(claim, "done", "done", result or {})

    def fail(self, claim: Claim, reason: str) -> bool:
        """Mark the job failed with a one-line reason the reader is shown."""
        return self._end(claim, "failed", reason, {})

    def _end(self, claim: Claim, state: str, message: str, result: dict[str, Any]) -> bool:
        now = time.time()
        values: dict[str, Any] = {
            "state": state,
            "active_key": None,
            "finished": now,
            "message": _one_line(message),
            "result": result,
        }
        if state == "done":
            values["progress"] = 1.0
        with self.sessions.begin() as session:
            done = session.execute(update(Job).where(*_ours(claim)).values(**values))
            ended = bool(getattr(done, "rowcount", 0))
            if ended:
                session.execute(
                    update(JobRun)
                    .where(JobRun.job_id == claim.id, JobRun.attempt == claim.attempt)
                    .values(ended=now, outcome=state)
                )
        return ended

    def release(self, claim: Claim) -> bool:
        """Hand a running job back to the queue (its worker is stopping): retried at once."""
        now = time.time()
        with self.sessions.begin() as session:
            done = session.execute(
                update(Job)
                .where(*_ours(claim))
                .values(
                    state="queued",
                    attempts=Job.attempts - 1,  # a clean stop is not a failed attempt
                    lease_until=0.0,
                    message="waiting again (its worker was stopped)",
                )
            )
            released = bool(getattr(done, "rowcount", 0))
            if released:
                session.execute(
                    update(JobRun)
                    .where(JobRun.job_id == claim.id, JobRun.attempt == claim.attempt)
                    .values(ended=now, outcome="stopped")
                )
        return released

    def cancelled(self, claim: Claim) -> bool:
        with self.sessions() as session:
            state = session.scalar(select(Job.state).where(Job.id == claim.id))
        return state != "running"

    def _give_up_on_lost(self, now: float) -> None:
        """Jobs whose worker died on every attempt fail (a work that kills its worker …)."""
        with self.sessions.begin() as session:
            session.execute(
                update(Job)
                .where(
                    Job.state == "running",
                    Job.lease_until < now,
                    Job.attempts >= Job.max_attempts,
                )
                .values(
                    state="failed",
                    active_key=None,
                    finished=now,
                    message="the worker stopped (killed, or out of memory) on every attempt",
                )
            )

    @staticmethod
    def _end_runs(session: Any, job_id: int, outcome: str, now: float) -> None:
        session.execute(
            update(JobRun)
            .where(JobRun.job_id == job_id, JobRun.outcome == "")
            .values(ended=now, outcome=outcome)
        )

    def prune(self, older_than: float = KEEP_FINISHED_SECONDS) -> int:
        """Forget finished jobs older than ``older_than`` seconds; how many went."""
        with self.sessions.begin() as session:
            gone = session.execute(
                delete(Job).where(Job.state.not_in(LIVE), Job.finished < time.time() - older_than)
            )
        return int(getattr(gone, "rowcount", 0) or 0)

    def runs(self, job_id: int) -> list[JobRun]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.attempt)
                )
            )


def _ours(claim: Claim) -> tuple[Any, ...]:
    return (
        Job.id == claim.id,
        Job.worker == claim.worker,
        Job.attempts == claim.attempt,
        Job.state == "running",
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]
