"""Where shards run: a local Dask cluster sized to the machine, or an existing scheduler.

>>> default_workers() >= 1
True
>>> parse_memory("1.5GB"), parse_memory("600MiB"), parse_memory(None)
(1500000000, 629145600, None)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ynsert.errors import InputError


def default_workers() -> int:
    """One process worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def parse_memory(value: str | int | None) -> int | None:
    """``"2GB"``, ``"600MiB"``, ``"auto"`` or bytes → bytes (None: let the machine decide)."""
    if value is None or value == "auto":
        return None
    if isinstance(value, int):
        return value
    from dask.utils import parse_bytes

    try:
        return int(parse_bytes(value))
    except (ValueError, TypeError):
        message = f"--memory-per-worker: cannot read {value!r}; use e.g. 2GB or 600MiB"
        raise InputError(message) from None


def default_memory(workers: int) -> int:
    """An even share of 80% of this machine's memory per worker."""
    import psutil

    return int(psutil.virtual_memory().total * 0.8 / max(1, workers))


@contextmanager
def connect(
    scheduler: str | None, workers: int | None, memory_per_worker: int | None
) -> Iterator[Any]:
    """A Dask ``Client``: to ``scheduler`` if given, else to a new ``LocalCluster``.

    The local cluster has process workers with one thread each: the engine is CPU-bound Python,
    so threads would only queue on the GIL.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        if workers:
            raise InputError(
                "--workers sizes a local cluster; with --scheduler the cluster is yours"
            )
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as error:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({error})") from None
        try:
            yield client
        finally:
            client.close()
        return
    count = workers or default_workers()
    cluster = LocalCluster(
        n_workers=count,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_per_worker or default_memory(count),
        host="127.0.0.1",  # a local cluster listens on loopback only
        dashboard_address="127.0.0.1:0",  # any free port: two runs at once do not collide
        silence_logs=logging.ERROR,
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def worker_count(client: Any) -> int:
    return max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
