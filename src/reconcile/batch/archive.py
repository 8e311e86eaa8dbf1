"""One batch run: plan the work against the store, run it, record every outcome as it arrives.

:func:`check_archive` hashes every input file, skips the documents the store already holds
with the same content hash and rules version, checks the rest on a runner (the local
:class:`~reconcile.batch.pool.LocalPool` or a :class:`~reconcile.batch.cluster.DaskRun`),
and writes each outcome to the store in small batches, then recomputes the cross-year
findings. The ``files`` rows of a document (its paths) are written with its outcome, so an
interrupted run leaves no path pointing to a document that was never recorded.
"""

from __future__ import annotations

import hashlib
import math
import os
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from ..rules import Vocabulary, load_rules
from .cluster import DaskRun
from .inputs import HashStream, NotRegularFile, discover
from .pairs import pair_files
from .pool import LocalPool
from .progress import Progress
from .summary import ArchiveSummary
from .tasks import BatchError, Interrupted, RunStats, Sink, Task, failure
from .worker import CheckFunction, check_one

if TYPE_CHECKING:  # the store (DuckDB) is imported when a run starts: workers never need it
    from ..store import KnownDocument, Store

__all__ = ["Backend", "check_archive"]

Backend = Literal["local", "dask"]
Rows = dict[str, list[dict[str, Any]]]

_FLUSH_DOCUMENTS = 32  # commit the store at least every 32 documents …
_FLUSH_SECONDS = 2.0  # … or every 2 seconds


@dataclass(frozen=True, slots=True)
class _Runner:
    """Where and how the documents are checked: the options of the local and Dask runners."""

    backend: Backend
    workers: int
    scheduler: str | None
    timeout: float | None
    max_pages: int | None
    send_bytes: bool
    max_tasks_per_child: int | None
    max_worker_mb: float | None
    warm: bool
    check: CheckFunction
    # local workers load the very same directory; remote workers load the bundled rules
    # unless a directory was given (which must then be on shared storage)
    local_rules: str
    remote_rules: str | None

    def start(self, sink: Sink, tick: Callable[[], None], stats: RunStats) -> LocalPool | None:
        """A local pool whose workers start (and warm up) now, before the work is known; None for Dask."""
        if self.backend != "local":
            return None
        pool = LocalPool(
            [],
            sink,
            workers=self.workers,
            check=self.check,
            rules_dir=self.local_rules,
            max_pages=self.max_pages,
            timeout=self.timeout,
            max_tasks_per_child=self.max_tasks_per_child,
            max_worker_mb=self.max_worker_mb,
            warm=self.warm,
            stats=stats,
            tick=tick,
        )
        pool.start()
        return pool

    def run(
        self, tasks: Sequence[Task], sink: Sink, tick: Callable[[], None], stats: RunStats, pool: LocalPool | None
    ) -> None:
        if self.backend == "local":
            pool = pool or self.start(sink, tick, stats)
            assert pool is not None
            pool.add(tasks)
            pool.run()
        else:
            DaskRun(
                tasks,
                sink,
                scheduler=self.scheduler,
                workers=self.workers,
                check=self.check,
                rules_dir=self.remote_rules,
                max_pages=self.max_pages,
                timeout=self.timeout,
                send_bytes=self.send_bytes,
                warm=self.warm,
                stats=stats,
                tick=tick,
            ).run()


@dataclass
class _Plan:
    """What a run has to do after comparing its inputs with the store."""

    todo: list[Task] = field(default_factory=list)  # documents to check, biggest first
    unreadable: list[tuple[Task, str]] = field(default_factory=list)  # files that cannot be read, and why
    files_of: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # doc_id -> its ``files`` rows
    skipped_files: list[dict[str, Any]] = field(default_factory=list)  # ``files`` rows of the skipped documents
    seen: set[str] = field(default_factory=set)  # doc_ids of the readable inputs


class _ArchiveRun:
    """One run into an open store: plans the work, records every outcome and counts it."""

    def __init__(
        self, store: Store, rules_version: str, summary: ArchiveSummary, bar: Progress, vocabulary: Vocabulary
    ) -> None:
        from ..store.schema import arrow_schema

        # pyarrow (the store's bulk inserts) is imported before the run: a Ctrl-C never lands inside
        # its import, which would leave it half-initialised for the commit of the work done
        for table in ("documents", "files"):
            arrow_schema(table)
        self.store = store
        self.rules_version = rules_version
        self.vocabulary = vocabulary
        self.summary = summary
        self.bar = bar
        self.known: dict[str, KnownDocument] = store.known_documents()
        self.mismatch: set[str] = set()  # other rules versions reported by workers
        # outcomes are committed in small batches (one transaction per batch is much cheaper than one per
        # document); an interrupted run loses at most the last batch, which the next run re-checks
        self.pending: list[Rows] = []
        self.pending_files: list[dict[str, Any]] = []  # written with the outcomes of their documents
        self.files_of: dict[str, list[dict[str, Any]]] = {}
        self.saved = 0  # outcomes committed by this run
        self.flushed = time.monotonic()

    def run(self, files: Sequence[Path], runner: _Runner, stats: RunStats, *, retry_failed: bool) -> set[str]:
        """Check what ``files`` need; return the doc_ids of the readable ones.

        The local workers start as soon as the first document to check is found, so they warm
        up while the rest of the archive is hashed; a run with nothing to check starts none.
        """
        pools: list[LocalPool | None] = []

        def start() -> None:
            pools.append(runner.start(self.sink, self.tick, stats))

        try:
            plan = self.plan(files, retry_failed=retry_failed, on_work=start)
            self.files_of = plan.files_of
            # the paths of skipped documents go with the first commit (soon after the workers start)
            self.pending_files.extend(plan.skipped_files)
            self.bar.start(len(plan.todo) + len(plan.unreadable))
            for task, message in plan.unreadable:
                self.sink(task, failure(task, "error", message))
            if plan.todo:
                runner.run(plan.todo, self.sink, self.tick, stats, pools[0] if pools else None)
        finally:
            for pool in pools:
                if pool is not None:
                    pool.close()
            self.flush()
            self.bar.stop()
        return plan.seen

    # -- planning
    def plan(self, files: Sequence[Path], *, retry_failed: bool, on_work: Callable[[], None] = lambda: None) -> _Plan:
        """Hash the inputs and compare them with the store; ``on_work`` is called once, at the first
        document to check (while the rest is still being hashed)."""
        from ..store import doc_id_for

        plan = _Plan()
        pairs = pair_files(files, self.vocabulary)
        paired_tables = set(pairs.values())
        hashes = HashStream(files)  # only regular files are opened (a FIFO would block)
        try:
            for f in files:
                if f in paired_tables:
                    continue  # read with its narrative, as one report
                path = str(f)
                hashed = hashes[f]
                if isinstance(hashed, OSError):
                    exc = hashed
                    doc_id = "unreadable-" + hashlib.sha256(path.encode()).hexdigest()[:12]
                    why = str(exc) if isinstance(exc, NotRegularFile) else f"cannot read ({exc.strerror or exc})"
                    plan.unreadable.append((Task(path, doc_id, None, 0), f"{path}: {why}"))
                    plan.files_of[doc_id] = [
                        {"path": path, "doc_id": doc_id, "sha256": None, "size": None, "mtime": None}
                    ]
                    continue
                sha, size, mtime = hashed
                extra = _with_tables(pairs.get(f), hashes)
                if extra is not None:  # the report's content is both files'
                    sha = hashlib.sha256((sha + extra[0]).encode()).hexdigest()
                    size += extra[1]
                doc_id = doc_id_for(sha)
                row = {"path": path, "doc_id": doc_id, "sha256": sha, "size": size, "mtime": mtime}
                plan.files_of.setdefault(doc_id, []).append(row)
                if extra is not None:
                    plan.files_of[doc_id].append(extra[2] | {"doc_id": doc_id})
                if doc_id in plan.seen:
                    continue
                plan.seen.add(doc_id)
                if not self._already_checked(doc_id, retry_failed):
                    if not plan.todo:
                        on_work()
                    plan.todo.append(Task(path, doc_id, sha, size))
        finally:
            hashes.close()
        todo = {t.doc_id for t in plan.todo}
        plan.skipped_files = [r for d in plan.seen - todo for r in plan.files_of[d]]
        self.summary.documents = len(plan.seen) + len(plan.unreadable)
        # longest first: the biggest files do not end up alone at the tail of the run
        plan.todo.sort(key=lambda it: (-it.size, it.path))
        return plan

    def _already_checked(self, doc_id: str, retry_failed: bool) -> bool:
        """Whether the store holds this document with these rules (counted as skipped when so)."""
        k = self.known.get(doc_id)
        if k is None or k.rules_version != self.rules_version or (k.status != "ok" and retry_failed):
            return False
        self.summary.skipped += 1
        self.summary.inconsistent += 1 if k.n_inconsistent else 0
        self.summary.failed += 1 if k.status != "ok" else 0
        return True

    # -- recording
    def sink(self, task: Task, result: dict[str, Any]) -> None:
        """Record one outcome: its rows go to the store (batched), its status to the summary."""
        from ..store import rows_for_result

        res = dict(result)
        res.update(path=task.path, doc_id=task.doc_id, sha256=task.sha256, size=task.size)
        self._note_rules(res.get("report"))
        rows = rows_for_result(res, rules_version=self.rules_version)
        self.pending.append(rows)
        self.pending_files.extend(self.files_of.pop(task.doc_id, ()))
        if len(self.pending) >= _FLUSH_DOCUMENTS or time.monotonic() - self.flushed > _FLUSH_SECONDS:
            self.flush()
        self._count(rows["documents"][0])

    def flush(self) -> None:
        """Commit the waiting outcomes with the ``files`` rows of their paths, in one transaction."""
        if self.pending or self.pending_files:
            replace = any(r["documents"][0]["doc_id"] in self.known for r in self.pending)
            self.store.write_batch(self.pending, replace=replace, files=self.pending_files)
            self.saved += len(self.pending)
            self.pending.clear()
            self.pending_files.clear()
        self.flushed = time.monotonic()

    def tick(self) -> None:
        """Called by the runners between messages: commit what waits longer than the flush interval."""
        if (self.pending or self.pending_files) and time.monotonic() - self.flushed > _FLUSH_SECONDS:
            self.flush()

    def _note_rules(self, report: dict[str, Any] | None) -> None:
        """Say once per version when workers checked with rules other than the parent's."""
        got_rules = (report or {}).get("tool", {}).get("rules_version")
        if got_rules and got_rules != self.rules_version and got_rules not in self.mismatch:
            self.mismatch.add(got_rules)
            self.summary.messages.append(
                f"workers checked with rules {got_rules}, not {self.rules_version}: pass --rules on shared storage"
            )

    def _count(self, row: dict[str, Any]) -> None:
        summary = self.summary
        status = str(row["status"])
        summary.checked += 1
        if status == "ok":
            summary.ok += 1
        elif status == "timeout":
            summary.timeouts += 1
        else:
            summary.errors += 1
        if status != "ok":
            summary.failed += 1
        if row.get("n_inconsistent"):
            summary.inconsistent += 1
        if row.get("checkable") is False:
            summary.not_checkable += 1
        self.bar.advance(status)

    def count_crossyear(self, seen: set[str]) -> None:
        """Recompute the store's cross-year findings; count those about this run's documents."""
        from ..crossyear import update_store

        mine = [f for f in update_store(self.store) if f["doc_id"] in seen or f["other_doc_id"] in seen]
        self.summary.crossyear_findings = len(mine)
        self.summary.crossyear_inconsistent = sum(1 for f in mine if f["status"] == "inconsistent")


def _with_tables(tables: Path | None, hashes: HashStream) -> tuple[str, int, dict[str, Any]] | None:
    """The hash, size and ``files`` row of the tables file read with a narrative (None: none,
    or unreadable: the narrative is then checked alone)."""
    hashed = hashes[tables] if tables is not None else None
    if hashed is None or isinstance(hashed, OSError):
        return None
    sha, size, mtime = hashed
    return sha, size, {"path": str(tables), "sha256": sha, "size": size, "mtime": mtime}


def _check_options(
    backend: str, workers: int, scheduler: str | None, send_bytes: bool, timeout: float | None, max_pages: int | None
) -> None:
    if timeout is not None and math.isnan(timeout):
        raise BatchError("--timeout must be a number of seconds (0 or less: no limit), not nan")
    if max_pages is not None and max_pages < 1:
        raise BatchError("--max-pages must be at least 1")
    if backend not in ("local", "dask"):
        raise BatchError(f"unknown backend {backend!r}; choose local or dask")
    if workers < 1:
        raise BatchError("workers must be at least 1")
    if scheduler and backend != "dask":
        raise BatchError("--scheduler needs --backend dask")
    if send_bytes and backend != "dask":
        raise BatchError("send_bytes applies to the dask backend only")


def _finish(summary: ArchiveSummary, stats: RunStats, t_start: float) -> None:
    """Add the run's time and the runner's statistics to the summary."""
    summary.seconds = time.perf_counter() - t_start
    summary.warm_up_seconds = stats.warm_up_seconds
    summary.worker_starts = stats.worker_starts
    if stats.workers:
        summary.workers = stats.workers
    summary.peak_worker_rss_mb = stats.peak_worker_rss / 2**20
    summary.peak_parent_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary.messages.extend(stats.messages)


def check_archive(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    store: str | os.PathLike[str],
    *,
    workers: int = 1,
    backend: Backend = "local",
    scheduler: str | None = None,
    timeout: float | None = 300,
    rules_dir: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    max_pages: int | None = None,
    send_bytes: bool = False,
    retry_failed: bool = False,
    crossyear: bool = True,
    max_tasks_per_child: int | None = 100,
    max_worker_mb: float | None = 4096,
    warm: bool = True,
    check: CheckFunction | None = None,
    stream: TextIO | None = None,
) -> ArchiveSummary:
    """Check every report under ``paths`` into the DuckDB store at ``store``.

    Resumable: a document already in the store with the same content hash and rules version
    is skipped (``retry_failed=True`` re-checks those recorded as error or timeout). Every
    outcome is written to the store as it arrives, so an interrupted run keeps its work.

    ``backend="dask"`` runs the same per-document function on a Dask cluster (``scheduler``
    address, or a local cluster of ``workers`` processes when None); ``send_bytes=True``
    sends each file's content to the workers when they do not share the file system.

    ``progress``: None shows a progress bar when ``stream`` (stderr) is a terminal, True
    always (plain lines when not a terminal), False never. ``check`` replaces
    :func:`check_one` (it must be importable by the workers; for tests and custom pipelines).
    Raises :class:`BatchError` for unusable arguments and :class:`reconcile.rules.RuleError`
    for invalid rules; never for a bad document. An interrupt (``KeyboardInterrupt``) commits
    the outcomes received so far and raises :class:`Interrupted` (a ``KeyboardInterrupt``)
    with their number; a full disk raises :class:`reconcile.store.StoreFull`.
    """
    t_start = time.perf_counter()
    _check_options(backend, workers, scheduler, send_bytes, timeout, max_pages)
    from ..store import Store

    rules = load_rules(os.fspath(rules_dir) if rules_dir is not None else None)  # RuleError before any work
    runner = _Runner(
        backend=backend,
        workers=workers,
        scheduler=scheduler,
        timeout=timeout,
        max_pages=max_pages,
        send_bytes=send_bytes,
        max_tasks_per_child=max_tasks_per_child,
        max_worker_mb=max_worker_mb,
        warm=warm,
        check=check or check_one,
        local_rules=str(rules.directory),
        remote_rules=str(Path(rules_dir).resolve()) if rules_dir is not None else None,
    )
    files = discover([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    summary = ArchiveSummary(
        store=str(store), backend=backend, workers=workers, rules_version=rules.version, files=len(files)
    )
    stats = RunStats()
    with Store(os.fspath(store)) as st:
        run = _ArchiveRun(st, rules.version, summary, Progress(progress, stream), rules.vocabulary)
        try:
            seen = run.run(files, runner, stats, retry_failed=retry_failed)
            if crossyear:
                run.count_crossyear(seen)
        except KeyboardInterrupt as exc:  # Ctrl-C (or SIGTERM through the command line): what is saved stays
            raise Interrupted(run.saved) from exc
    _finish(summary, stats, t_start)
    return summary
