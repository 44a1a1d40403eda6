"""What `musrenbang run` shows while it works.

On a terminal: a progress bar (rich) with the count of inbox files handled, the rate and the time
left, and each file's line printed above it. Anywhere else (cron, Task Scheduler, a log
file): one plain line per file, nothing else, so logs stay readable.
"""

from __future__ import annotations

import datetime as dt
import sys
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text


class _Count(ProgressColumn):
    def render(self, task: Task) -> Text:
        total = "?" if task.total is None else f"{int(task.total)}"
        return Text(f"{int(task.completed)}/{total} berkas")


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} berkas/s" if speed else "")


class _Left(ProgressColumn):
    def render(self, task: Task) -> Text:
        left = task.time_remaining
        if left is None or task.finished:
            return Text("")
        return Text(f"sisa {dt.timedelta(seconds=round(left))}")


class PassProgress:
    """Use as a context manager; pass `line` as run_pass's log and `update` as its progress."""

    def __init__(self, file: IO[str] | None = None, *, terminal: bool | None = None) -> None:
        self.file = file if file is not None else sys.stdout
        self.terminal = self.file.isatty() if terminal is None else terminal
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> PassProgress:
        if self.terminal:
            console = Console(file=self.file, force_terminal=True, highlight=False)
            self._bar = Progress(
                TextColumn("Memproses"), BarColumn(), _Count(), _Rate(), _Left(),
                console=console, transient=True, refresh_per_second=8,
            )  # fmt: skip
            self._bar.start()
            self._task = self._bar.add_task("run", total=None)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def line(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=self.file, flush=True)

    def update(self, done: int, total: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=max(total, done) or None)
            self._bar.refresh()
