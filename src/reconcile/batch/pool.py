"""The local runner: a small process pool of its own.

Not ``concurrent.futures.ProcessPoolExecutor``: a stuck task can only be stopped by killing
its process, and killing one worker of a ``ProcessPoolExecutor`` breaks the whole executor
(every in-flight future fails with ``BrokenProcessPool``). Here each worker runs one task at
a time over its own pipe, so the parent knows which document each worker holds, kills only
the one past its deadline, and attributes a crash to the right document. Workers are
recycled after ``max_tasks_per_child`` documents or when their memory passes
``max_worker_mb``; each one warms up once before taking work.

The parent and a worker speak over the pipe: the worker sends ``("ready", pid, rss,
warm_up_seconds)`` once, then ``("done", outcome, rss)`` per document; the parent sends
``(path,)`` per document and ``None`` to let it exit.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from .tasks import BatchError, RunStats, Sink, Task, failure, time_limit, timeout_message
from .worker import CheckFunction, envelope, rss_bytes, warm_up

__all__ = ["LocalPool"]

log = logging.getLogger(__name__)

_START_FAILURES = 3  # workers that fail to start in a row before the batch gives up
# signals that stop a worker from outside (a terminal, a service manager), not because of its document
_STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGHUP, signal.SIGINT})


def _worker_main(
    conn: Connection, check: CheckFunction, rules_dir: str | None, max_pages: int | None, warm: bool
) -> None:  # pragma: no cover - runs in the worker processes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop (ignored from the start too)
    try:
        _serve(conn, check, rules_dir, max_pages, warm)
    except (BrokenPipeError, EOFError, ConnectionError):
        pass  # the parent is gone (interrupted or killed): exit quietly, no traceback
    finally:
        with contextlib.suppress(OSError):
            conn.close()


def _serve(
    conn: Connection, check: CheckFunction, rules_dir: str | None, max_pages: int | None, warm: bool
) -> None:  # pragma: no cover - runs in the worker processes
    """Warm up, say ready, then check one document per message until told to stop."""
    warm_s = 0.0
    if warm:
        try:
            warm_s = warm_up(rules_dir)
        except Exception:
            log.debug("warm-up failed", exc_info=True)
    conn.send(("ready", os.getpid(), rss_bytes(), warm_s))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        (path,) = msg
        t0 = time.perf_counter()
        try:
            result = check(path, rules_dir, max_pages)
        except Exception as exc:  # a custom check function that raises
            result = envelope(path, "error", f"{type(exc).__name__}: {exc}", None, t0)
        conn.send(("done", result, rss_bytes()))


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Start a worker with SIGINT ignored, so that a Ctrl-C while it imports prints no traceback.

    An ignored signal stays ignored across ``exec``, and Python does not install its
    KeyboardInterrupt handler over it; the parent's own handler is restored at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start spawned workers without re-importing the parent's ``__main__``.

    The workers only need :mod:`reconcile`; re-running the caller's script in each of them
    would be slow, fails for ``python - <<EOF`` and notebooks, and recurses for a script
    without an ``if __name__ == "__main__"`` guard.
    """
    main = sys.modules.get("__main__")
    saved: dict[str, Any] = {}
    if main is not None:
        for attr in ("__file__", "__spec__"):
            if hasattr(main, attr):
                saved[attr] = getattr(main, attr)
        if "__file__" in saved:
            del main.__file__
        main.__spec__ = None
    try:
        yield
    finally:
        if main is not None:
            for attr, value in saved.items():
                setattr(main, attr, value)


@dataclass
class _Slot:
    """One worker process and the document it holds."""

    proc: BaseProcess
    conn: Connection
    spawned: float
    ready: bool = False
    item: Task | None = None
    deadline: float = math.inf
    done: int = 0
    retiring: bool = False


class LocalPool:
    """Check ``tasks`` on up to ``workers`` processes, sending every outcome to ``sink``."""

    def __init__(
        self,
        tasks: Sequence[Task],
        sink: Sink,
        *,
        workers: int,
        check: CheckFunction,
        rules_dir: str | None,
        max_pages: int | None,
        timeout: float | None,
        max_tasks_per_child: int | None,
        max_worker_mb: float | None,
        warm: bool,
        stats: RunStats,
        tick: Callable[[], None] = lambda: None,
        start_method: str = "spawn",
    ) -> None:
        self.ctx: Any = mp.get_context(start_method)
        self.queue: deque[Task] = deque(tasks)
        self.sink = sink
        self.workers = workers
        self.worker_args = (check, rules_dir, max_pages, warm)
        self.max_tasks_per_child = max_tasks_per_child
        self.max_worker_mb = max_worker_mb
        self.stats = stats
        self.tick = tick
        self.limit = time_limit(timeout)
        self.startup_limit = max(180.0, self.limit if self.limit != math.inf else 0.0)
        self.slots: list[_Slot] = []
        self.start_failures = 0
        self.requeued: set[str] = set()  # doc_ids given back once after their worker was stopped by a signal

    def start(self) -> None:
        """Start ``workers`` processes now (they warm up while the caller prepares the work)."""
        for _ in range(self.workers - len(self.slots)):
            self._spawn()

    def add(self, tasks: Sequence[Task]) -> None:
        self.queue.extend(tasks)

    def run(self) -> None:
        try:
            for _ in range(min(self.workers, len(self.queue)) - len(self.slots)):
                self._spawn()
            while self.slots:
                self._step()
        finally:
            self.close()

    def close(self) -> None:
        """Stop every worker (after a run: none is left; before one: the early starts)."""
        for s in list(self.slots):
            with contextlib.suppress(OSError, ValueError):
                s.conn.send(None)
            self._stop(s, kill=True)

    def _step(self) -> None:
        """One round: hand out work, wait for messages, reap dead workers, enforce deadlines."""
        now = time.monotonic()
        for s in list(self.slots):
            if s.ready and s.item is None and not s.retiring:
                self._hand_out(s, now)
        self._top_up()
        ready = self._wait(now)
        for s in list(self.slots):
            if s.conn in ready:
                # EOF: the process is gone; handled below through its sentinel
                with contextlib.suppress(EOFError, OSError):
                    self._handle(s, s.conn.recv())
            if s.proc.sentinel in ready or not s.proc.is_alive():
                self._reap(s)
        now = time.monotonic()
        for s in list(self.slots):
            self._enforce_deadlines(s, now)
        self._top_up()
        self.tick()

    # -- workers
    def _spawn(self) -> None:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(
            target=_worker_main, args=(child, *self.worker_args), name="reconcile-batch-worker", daemon=True
        )
        with _main_hidden(), _interrupts_ignored():
            proc.start()
        child.close()
        self.stats.worker_starts += 1
        self.slots.append(_Slot(proc, parent, time.monotonic()))

    def _stop(self, s: _Slot, *, kill: bool) -> None:
        if kill and s.proc.is_alive():
            s.proc.kill()
        s.proc.join(timeout=10)
        if s.proc.is_alive():  # pragma: no cover - a process that ignores SIGKILL
            s.proc.kill()
            s.proc.join(timeout=5)
        s.conn.close()
        self.slots.remove(s)

    def _top_up(self) -> None:
        """Start workers while there is more work than idle workers, up to ``workers``."""
        busy_or_warming = sum(1 for s in self.slots if not s.retiring)
        while self.queue and busy_or_warming < self.workers:
            idle = sum(1 for s in self.slots if not s.retiring and s.item is None)
            if idle >= len(self.queue):
                break
            self._spawn()
            busy_or_warming += 1

    def _retire(self, s: _Slot) -> None:
        s.retiring = True
        s.conn.send(None)

    # -- messages
    def _hand_out(self, s: _Slot, now: float) -> None:
        """Give an idle worker the next document, or let it exit when there is none."""
        try:
            if self.queue:
                s.item = self.queue.popleft()
                s.deadline = now + self.limit
                s.conn.send((s.item.path,))
            else:
                self._retire(s)
        except (OSError, ValueError):  # it died just now: its sentinel says so later
            if s.item is not None:
                self.queue.appendleft(s.item)
                s.item = None
            s.retiring = True

    def _wait(self, now: float) -> list[Any]:
        """The pipes and sentinels ready within a second (or by the next deadline)."""
        next_deadline = min(
            [s.deadline for s in self.slots if s.item is not None]
            + [s.spawned + self.startup_limit for s in self.slots if not s.ready]
            + [now + 1.0]
        )
        return wait(
            [s.conn for s in self.slots] + [s.proc.sentinel for s in self.slots],
            timeout=max(0.0, min(next_deadline - now, 1.0)),
        )

    def _handle(self, s: _Slot, msg: Any) -> None:
        stats = self.stats
        if msg[0] == "ready":
            s.ready = True
            self.start_failures = 0
            stats.peak_worker_rss = max(stats.peak_worker_rss, int(msg[2]))
            stats.warm_up_seconds = max(stats.warm_up_seconds, float(msg[3]))
        elif msg[0] == "done":
            item, s.item, s.deadline = s.item, None, math.inf
            s.done += 1
            rss = int(msg[2])
            stats.peak_worker_rss = max(stats.peak_worker_rss, rss)
            if item is not None:
                self.sink(item, msg[1])
            if (self.max_tasks_per_child and s.done >= self.max_tasks_per_child) or (
                self.max_worker_mb and rss > self.max_worker_mb * 2**20
            ):
                self._retire(s)

    # -- failures
    def _reap(self, s: _Slot) -> None:
        """A worker has exited: take what it sent, fail its document if it held one."""
        try:
            while s.conn.poll():
                self._handle(s, s.conn.recv())
        except (EOFError, OSError):
            pass
        s.proc.join(timeout=10)
        code = s.proc.exitcode
        if s.item is not None:
            if code is not None and -code in _STOP_SIGNALS and s.item.doc_id not in self.requeued:
                # stopped from outside (SIGTERM to the process group: the parent stops next), not
                # by its document: the document is not failed but checked again (once)
                self.requeued.add(s.item.doc_id)
                self.queue.appendleft(s.item)
            else:
                why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                self.sink(s.item, failure(s.item, "error", f"worker process died ({why}) while checking this file"))
            s.item = None
        elif not s.ready:
            self.start_failures += 1
            if self.start_failures >= _START_FAILURES:
                raise BatchError(f"worker processes fail to start (last exit code {code})")
        self._stop(s, kill=False)

    def _enforce_deadlines(self, s: _Slot, now: float) -> None:
        """Kill a worker past its document's deadline, or one that does not start in time."""
        if s.item is not None and now > s.deadline:
            item = s.item
            s.item = None
            self._stop(s, kill=True)
            self.sink(item, failure(item, "timeout", timeout_message(self.limit), self.limit))
        elif not s.ready and now > s.spawned + self.startup_limit:
            self._stop(s, kill=True)
            self.start_failures += 1
            self.stats.messages.append(f"a worker did not start within {self.startup_limit:g} s")
            if self.start_failures >= _START_FAILURES:
                raise BatchError("worker processes fail to start in time")
