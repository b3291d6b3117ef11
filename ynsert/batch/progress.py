"""Progress of a batch run: works and words done, works/s, ETA, failures so far.

On a terminal a Rich progress bar; elsewhere (a log, CI) one plain line per finished shard.
Rates and the ETA count only the works computed in this run, so a resumed run's skipped
shards do not make it look faster than it is.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn


class Tracker:
    def __init__(self, total: int, console: Console | None, *, enabled: bool = True) -> None:
        self.total = total
        self.console = console or Console(stderr=True)
        self.enabled = enabled
        self.done = self.words = self.failed = self.computed = self.skipped = 0
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> Tracker:
        if self.enabled and self.console.is_terminal:
            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[words]} words"),
                TextColumn("{task.fields[rate]} works/s"),
                TextColumn("ETA {task.fields[eta]}"),
                TextColumn("[red]{task.fields[failed]} failed"),
                console=self.console,
            )
            self.progress.start()
            self.task = self.progress.add_task(
                "works", total=self.total, words="0", rate="-", eta="-", failed=0
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.stop()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.computed / elapsed if elapsed > 0 and self.computed else 0.0

    def eta(self) -> str:
        rate = self.rate()
        if not rate:
            return "-"
        seconds = int((self.total - self.done) / rate)
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    def shard(self, index: int, rows: int, words: int, failed: int, *, skipped: bool) -> None:
        self.done += rows
        self.words += words
        self.failed += failed
        if skipped:
            self.skipped += rows
        else:
            self.computed += rows
        if self.progress:
            self.progress.update(
                self.task,
                completed=self.done,
                words=f"{self.words:,}",
                rate=f"{self.rate():.1f}",
                eta=self.eta(),
                failed=self.failed,
            )
        elif self.enabled and not skipped:
            self.console.print(
                f"shard {index}: {self.done:,}/{self.total:,} works, {self.words:,} words, "
                f"{self.rate():.1f} works/s, ETA {self.eta()}, {self.failed} failed",
                highlight=False,
            )
