"""The engine process: one per Dask worker, holding the one spaCy pipeline, loaded once.

A Dask worker runs its tasks on threads, where a runaway work can be neither interrupted nor
held to a memory budget. So each worker keeps this small child process and hands it one work
at a time over a pipe: on a timeout or a memory overrun the worker kills the child, records
the work's error and starts a fresh child for the next work — the worker itself never dies.

Protocol (stdin → stdout): frames of an 8-byte big-endian length and a pickle of plain data.
First frame in: the config ``{"verb", "profile", "text_column"}``; first frame out:
``{"ready": pid}``; then one item dict in, one ``(row, data)`` tuple out, until stdin closes.
Pickle is safe here: both ends are this package, started by the worker, over a private pipe.

    python -m ynsert.batch.child      # started by ynsert.batch.worker, not by hand
"""

from __future__ import annotations

import os
import sys
import threading
import time

from ynsert.batch.protocol import read_frame, write_frame


def _exit_with_parent() -> None:
    """A killed worker must not leave its engine behind: exit once the parent is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    _exit_with_parent()
    protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the protocol
    incoming = sys.stdin.buffer
    config = read_frame(incoming)
    if config is None:
        return
    from ynsert.batch.engine import process, warm_up

    warm_up()
    write_frame(protocol, {"ready": os.getpid()})
    verb, profile = config["verb"], config.get("profile")
    text_column = bool(config.get("text_column"))
    try:
        while (item := read_frame(incoming)) is not None:
            write_frame(protocol, process(verb, item, profile, text_column=text_column))
    except BrokenPipeError:  # the worker went away (killed): nobody is left to answer
        os._exit(0)


if __name__ == "__main__":
    main()
