"""The Dask runner: the same per-document function on a Dask cluster.

A scheduler address connects to a running cluster; without one, a local cluster of
``workers`` processes is started for the run. As many documents are in flight as the
cluster has threads (refreshed every 5 s, as workers join or leave). A document past its
deadline is cancelled and the worker running it restarted.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .tasks import BatchError, RunStats, Sink, Task, failure, time_limit, timeout_message
from .worker import CheckFunction, check_bytes, warm_up

__all__ = ["DaskRun"]

log = logging.getLogger(__name__)

_REFRESH_SECONDS = 5.0  # how often the number of worker threads is looked up again


def _warm_plugin(rules_dir: str | None) -> Any:
    """A Dask WorkerPlugin that warms each worker up (pickled by value by cloudpickle)."""
    from distributed import WorkerPlugin

    class ReconcileWarmUp(WorkerPlugin):
        def __init__(self, rules: str | None) -> None:
            self.rules = rules

        def setup(self, worker: Any) -> None:
            warm_up(self.rules)

    return ReconcileWarmUp(rules_dir)


def _stop_stuck(client: Any, fut: Any, inflight: dict[Any, tuple[Task, float]], limit: float) -> None:
    """Cancel a task past its deadline and restart the worker running it."""
    try:
        processing: dict[str, Any] = client.processing()
        addrs = [a for a, keys in processing.items() if fut.key in set(keys)]
        fut.cancel()
        if addrs:
            # the other tasks of that worker are rescheduled: give them a fresh deadline
            restart_keys = {k for a in addrs for k in processing[a]}
            now = time.monotonic()
            for f, (it, _) in list(inflight.items()):
                if f.key in restart_keys:
                    inflight[f] = (it, now + limit)
            client.restart_workers(addrs, raise_for_error=False)
    except Exception:  # pragma: no cover - depends on the cluster (no nanny, …)
        log.warning("could not restart the worker of a timed-out task", exc_info=True)


class DaskRun:
    """Check ``tasks`` on a Dask cluster, sending every outcome to ``sink``."""

    def __init__(
        self,
        tasks: Sequence[Task],
        sink: Sink,
        *,
        scheduler: str | None,
        workers: int,
        check: CheckFunction,
        rules_dir: str | None,
        max_pages: int | None,
        timeout: float | None,
        send_bytes: bool,
        warm: bool,
        stats: RunStats,
        tick: Callable[[], None] = lambda: None,
    ) -> None:
        self.queue: deque[Task] = deque(tasks)
        self.sink = sink
        self.scheduler = scheduler
        self.workers = workers
        self.check = check
        self.rules_dir = rules_dir
        self.max_pages = max_pages
        self.limit = time_limit(timeout)
        self.send_bytes = send_bytes
        self.warm = warm
        self.stats = stats
        self.tick = tick
        self.inflight: dict[Any, tuple[Task, float]] = {}  # future -> (task, deadline)
        self.in_flight_limit = 1
        self.client: Any = None
        self.completed: Any = None  # distributed.as_completed

    def run(self) -> None:
        dd: Any = importlib.import_module("distributed")  # untyped: used as Any
        cluster: Any = None
        if self.scheduler:
            self.client = dd.Client(self.scheduler, timeout="60s")
        else:
            cluster = dd.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = dd.Client(cluster)
        try:
            self._start()
            self.completed = dd.as_completed()
            self._loop()
        finally:
            self.client.close()
            if cluster is not None:
                cluster.close()

    def _start(self) -> None:
        """Wait for a worker, warm the workers up, and size the number of tasks in flight."""
        client = self.client
        try:
            client.wait_for_workers(1, timeout=120)
        except Exception as exc:
            raise BatchError(f"no Dask worker joined the scheduler {self.scheduler or '(local)'}: {exc}") from exc
        if self.warm:
            t0 = time.perf_counter()
            client.register_plugin(_warm_plugin(self.rules_dir), name="reconcile-warm-up")
            self.stats.warm_up_seconds = time.perf_counter() - t0
        nthreads = sum(client.nthreads().values())
        self.stats.worker_starts = self.stats.workers = len(client.nthreads())
        self.in_flight_limit = max(1, nthreads)

    def _loop(self) -> None:
        refreshed = time.monotonic()
        while self.queue or self.inflight:
            if time.monotonic() - refreshed > _REFRESH_SECONDS:  # workers may join or leave a real cluster
                self.in_flight_limit = max(1, sum(self.client.nthreads().values()))
                refreshed = time.monotonic()
            while self.queue and len(self.inflight) < self.in_flight_limit:
                self._submit(self.queue.popleft())
            batch = self.completed.next_batch(block=False) if self.completed.has_ready() else []
            self._collect(batch)
            self._expire()
            self.tick()
            if not batch:
                time.sleep(0.02)

    def _submit(self, task: Task) -> None:
        client = self.client
        if self.send_bytes:
            try:
                data = Path(task.path).read_bytes()
            except OSError as exc:
                self.sink(task, failure(task, "error", f"{task.path}: cannot read ({exc.strerror})"))
                return
            remote = client.scatter(data, hash=False)
            fut = client.submit(check_bytes, remote, task.path, self.rules_dir, self.max_pages, pure=False)
        else:
            fut = client.submit(self.check, task.path, self.rules_dir, self.max_pages, pure=False)
        self.inflight[fut] = (task, time.monotonic() + self.limit)
        self.completed.add(fut)

    def _collect(self, batch: list[Any]) -> None:
        """Send the outcomes of finished futures to the sink."""
        for fut in batch:
            entry = self.inflight.pop(fut, None)
            if entry is None:
                continue  # timed out already
            task = entry[0]
            try:
                result = fut.result()
            except Exception as exc:
                result = failure(task, "error", f"{type(exc).__name__}: {exc}")
            fut.release()
            self.sink(task, result)

    def _expire(self) -> None:
        """Fail the documents past their deadline and restart their workers."""
        now = time.monotonic()
        for fut, (task, deadline) in list(self.inflight.items()):
            if now > deadline:
                del self.inflight[fut]
                _stop_stuck(self.client, fut, self.inflight, self.limit)
                self.sink(task, failure(task, "timeout", timeout_message(self.limit), self.limit))
