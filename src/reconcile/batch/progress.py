"""Progress of a batch run: a rich bar on a terminal, plain periodic lines elsewhere."""

from __future__ import annotations

import math
import sys
import time
from typing import Any, TextIO

__all__ = ["Progress"]


def _rich_bar(stream: TextIO) -> Any:
    """A rich progress bar: done/total, rate per minute, the ok/error/timeout tally, elapsed, ETA."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("?/min" if not speed else f"{speed * 60:.1f}/min", style="progress.data.speed")

    return Progress(
        TextColumn("[bold]checking"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("{task.fields[tally]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=False,
    )


class Progress:
    """A rich progress bar on a terminal; plain periodic lines when forced elsewhere."""

    def __init__(self, enabled: bool | None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = tty if enabled is None else enabled
        self.rich = self.enabled and tty
        self._bar: Any = None
        self._task: Any = None
        self.total = 0
        self.done = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self.tally: dict[str, int] = {"ok": 0, "error": 0, "timeout": 0}

    def start(self, total: int) -> None:
        self.total = total
        self.t0 = time.monotonic()
        if not self.enabled or total == 0:
            return
        if self.rich:
            self._bar = _rich_bar(self.stream)
            self._bar.start()
            self._task = self._bar.add_task("checking", total=total, tally=self._tally())
        else:
            self._line(force=True)

    def _tally(self) -> str:
        return f"ok {self.tally['ok']} · error {self.tally['error']} · timeout {self.tally['timeout']}"

    def _line(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 10 and self.done < self.total:
            return
        self._last = now
        el = now - self.t0
        rate = self.done / el * 60 if el > 0 else 0.0
        eta = (self.total - self.done) / (self.done / el) if self.done and el > 0 else math.nan
        eta_s = "?" if math.isnan(eta) else time.strftime("%H:%M:%S", time.gmtime(eta))
        print(
            f"checked {self.done}/{self.total} ({rate:.1f} documents/min, ETA {eta_s}; {self._tally()})",
            file=self.stream,
            flush=True,
        )

    def advance(self, status: str) -> None:
        self.done += 1
        self.tally[status] = self.tally.get(status, 0) + 1
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=1, tally=self._tally())
        else:
            self._line()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
