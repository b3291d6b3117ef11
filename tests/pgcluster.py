"""A throwaway PostgreSQL cluster on 127.0.0.1 for the library tests (Debian's packages).

``YNSERT_TEST_POSTGRES_URL`` (a server the tests may create databases on) wins when set;
otherwise, where Debian's ``initdb`` is installed, a cluster is made in a temporary directory
(as the ``postgres`` user when run as root: PostgreSQL refuses root), started with
``pg_ctl`` on a free loopback port, and stopped and removed at the end of the session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "YNSERT_TEST_POSTGRES_URL"


def _bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextmanager
def cluster() -> Iterator[tuple[str | None, str]]:
    """(server URL or None, why not) for the whole test session."""
    if os.environ.get(ENV):
        yield os.environ[ENV], ""
        return
    binaries = _bin()
    if binaries is None:
        yield None, "PostgreSQL is not installed (scripts/setup.sh --dev installs it as root)"
        return
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            yield None, "running as root without a postgres user to own the cluster"
            return
        owner = "postgres"
    folder = tempfile.mkdtemp(prefix="ynsert-pg-")
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data, port = os.path.join(folder, "data"), _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(
            _as_owner(
                [
                    f"{binaries}/initdb",
                    "-D",
                    data,
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ],
                owner,
            ),
            **run,
        )
        options = f"-h 127.0.0.1 -p {port} -k {folder} -F -c fsync=off"
        subprocess.run(
            _as_owner(
                [
                    f"{binaries}/pg_ctl",
                    "-D",
                    data,
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    os.path.join(folder, "log"),
                    "start",
                ],
                owner,
            ),
            **run,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        detail = getattr(error, "stderr", b"") or b""
        yield None, f"could not start PostgreSQL: {error} {detail.decode(errors='replace')[:300]}"
        return
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", ""
    finally:
        subprocess.run(
            _as_owner([f"{binaries}/pg_ctl", "-D", data, "-m", "immediate", "stop"], owner),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)
