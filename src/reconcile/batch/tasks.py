"""What the runners share: a document to check, the outcomes they report, their statistics."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BatchError", "Interrupted", "RunStats", "Sink", "Task", "failure", "time_limit", "timeout_message"]


class BatchError(Exception):
    """A batch cannot start (no such path, bad option, workers that cannot start)."""


class Interrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C or SIGTERM; ``saved`` outcomes were committed before it stopped."""

    def __init__(self, saved: int) -> None:
        super().__init__(f"interrupted: {saved} documents saved; run again to resume")
        self.saved = saved


@dataclass(frozen=True, slots=True)
class Task:
    """One document to check: a path to its content (the first path seen with that content)."""

    path: str
    doc_id: str
    sha256: str | None
    size: int


# Where a runner sends each outcome (the dict of :func:`reconcile.batch.check_one`) as it arrives.
Sink = Callable[[Task, dict[str, Any]], None]


@dataclass
class RunStats:
    """What a runner measured about its workers."""

    warm_up_seconds: float = 0.0
    peak_worker_rss: int = 0
    worker_starts: int = 0
    workers: int = 0
    messages: list[str] = field(default_factory=list)


def time_limit(timeout: float | None) -> float:
    """The per-document limit in seconds (infinite for None, 0 or less)."""
    return math.inf if not timeout or timeout <= 0 else float(timeout)


def timeout_message(limit: float) -> str:
    return f"no result within {limit:g} s; its worker was stopped"


def failure(task: Task, status: str, error: str, seconds: float | None = None) -> dict[str, Any]:
    """The outcome of a document that produced no report (``error`` or ``timeout``)."""
    return {"path": task.path, "status": status, "error": error, "report": None, "seconds": seconds, "worker": None}
