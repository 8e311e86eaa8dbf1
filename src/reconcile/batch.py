"""Batch runs over archives: parallel, resumable, distributable.

:func:`check_archive` walks folders and globs for ``*.pdf`` / ``*.txt`` (any case), hashes
every file, skips the documents the store already holds with the same content hash and
rules version, checks the rest with :func:`check_one` on a pool of worker processes (or a
Dask cluster), and streams every outcome into the store (:mod:`reconcile.store`) as it
arrives. A document that fails is recorded with status ``error``, one that runs past the
time limit with status ``timeout`` (its worker is killed and replaced); neither stops the
others.

The local pool is a small process pool of its own rather than
``concurrent.futures.ProcessPoolExecutor``: a stuck task can only be stopped by killing its
process, and killing one worker of a ``ProcessPoolExecutor`` breaks the whole executor
(every in-flight future fails with ``BrokenProcessPool``). Here each worker runs one task at
a time over its own pipe, so the parent knows which document each worker holds, kills only
the one past its deadline, and attributes a crash to the right document. Workers are
recycled after ``max_tasks_per_child`` documents or when their memory passes
``max_worker_mb`` (the role of ``ProcessPoolExecutor(max_tasks_per_child=…)``); each one
warms up once (rules, PDF stack, spaCy/jieba pipeline) before taking work.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import hashlib
import importlib
import logging
import math
import multiprocessing as mp
import os
import resource
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal, TextIO

from . import __version__
from .document import InputError
from .rules import load_rules

__all__ = [
    "SUFFIXES",
    "ArchiveSummary",
    "BatchError",
    "CheckFunction",
    "add_batch_arguments",
    "check_archive",
    "check_bytes",
    "check_one",
    "discover",
    "run_batch_command",
    "warm_up",
]

log = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".txt")
Backend = Literal["local", "dask"]
CheckFunction = Callable[[str, str | None, int | None], dict[str, Any]]

# A small report that exercises every stage once, so that a worker loads its models before timing starts.
_WARM_TEXT = """2024年度示例局部门决算

第一部分 部门概况
一、主要职能
示例局负责示例工作。

第二部分 2024年度部门决算情况说明
一、收入支出决算总体情况说明
2024年度收入总计100.00万元，支出总计100.00万元。与上年相比，收、支总计各增加10.00万元，增长11.11%。
主要原因是人员增加。

表一
收入支出决算总表
单位：万元
项目\t行次\t金额\t项目\t行次\t金额
一、一般公共预算财政拨款收入\t1\t100.00\t一、一般公共服务支出\t31\t100.00
本年收入合计\t\t100.00\t本年支出合计\t\t100.00
"""


class BatchError(Exception):
    """A batch cannot start (no such path, bad option, workers that cannot start)."""


# ---------------------------------------------------------------------------- per document


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _envelope(path: str, status: str, error: str | None, report: dict[str, Any] | None, t0: float) -> dict[str, Any]:
    return {
        "path": path,
        "status": status,
        "error": error,
        "report": report,
        "seconds": round(time.perf_counter() - t0, 6),
        "worker": _worker_id(),
    }


def check_one(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """Check one file and return its outcome; never raises.

    The outcome is a dict: ``path``, ``status`` (``ok`` | ``error``), ``error`` (the message,
    or None), ``report`` (the JSON report dict, or None), ``seconds`` and ``worker``.
    """
    from .api import check_document

    t0 = time.perf_counter()
    try:
        report = check_document(path, rules=rules_dir, max_pages=max_pages).to_dict()
    except InputError as exc:
        return _envelope(path, "error", str(exc), None, t0)
    except Exception as exc:
        return _envelope(path, "error", f"{type(exc).__name__}: {exc}", None, t0)
    return _envelope(path, "ok", None, report, t0)


def check_bytes(data: bytes, name: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """Like :func:`check_one` for a file's content sent over the wire (``name`` is its path)."""
    from .api import check_loaded
    from .ingest import document_from_bytes

    t0 = time.perf_counter()
    try:
        doc = document_from_bytes(data, name, max_pages=max_pages)
        report = check_loaded(doc, load_rules(rules_dir)).to_dict()
    except InputError as exc:
        return _envelope(name, "error", str(exc), None, t0)
    except Exception as exc:
        return _envelope(name, "error", f"{type(exc).__name__}: {exc}", None, t0)
    return _envelope(name, "ok", None, report, t0)


def warm_up(rules_dir: str | None = None) -> float:
    """Load everything a check needs (rules, PDF stack, NLP pipeline) once in this process."""
    t0 = time.perf_counter()
    from .api import check_loaded
    from .ingest import document_from_bytes

    rules = load_rules(rules_dir)
    with contextlib.suppress(Exception):  # pdfplumber and pypdfium2 are slow to import
        importlib.import_module("reconcile.pdf")
    try:
        from .claims import build_pipeline, compiled_rules

        compiled_rules(rules.directory)
        build_pipeline(rules.directory)
    except Exception:  # pragma: no cover - the claims stage is optional here
        pass
    try:
        check_loaded(document_from_bytes(_WARM_TEXT.encode("utf-8"), "<warm-up>"), rules)
    except Exception:  # pragma: no cover - warming is best effort
        log.debug("warm-up check failed", exc_info=True)
    return time.perf_counter() - t0


def _rss_bytes() -> int:
    """Resident memory of this process now (peak on systems without /proc)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---------------------------------------------------------------------------- inputs


def _wanted(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _walk(root: Path) -> Iterator[Path]:
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if _wanted(f) and not f.startswith("."):
                yield Path(d) / f


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every input file named by ``paths`` (files, folders walked recursively, globs).

    A folder or a glob yields its ``*.pdf`` and ``*.txt`` files (any case); a file named
    explicitly is taken whatever its name. Raises :class:`BatchError` for a path that
    names nothing.
    """
    out: dict[str, Path] = {}
    for raw in paths:
        s = os.fspath(raw)
        p = Path(s).expanduser()
        found: list[Path]
        if p.is_dir():
            found = list(_walk(p))
        elif p.is_file():
            found = [p]
        elif glob.has_magic(s):
            matches = sorted(glob.glob(os.path.expanduser(s), recursive=True))
            if not matches:
                raise BatchError(f"{s}: no file matches")
            found = []
            for m in matches:
                mp_ = Path(m)
                if mp_.is_dir():
                    found.extend(_walk(mp_))
                elif mp_.is_file() and _wanted(mp_.name):
                    found.append(mp_)
        else:
            raise BatchError(f"{s}: no such file or directory")
        for f in found:
            a = f.absolute()
            out.setdefault(str(a), a)
    return [out[k] for k in sorted(out)]


def _hash_file(path: Path) -> tuple[str, int, float]:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    st = path.stat()
    return h.hexdigest(), st.st_size, st.st_mtime


@dataclass(frozen=True, slots=True)
class _Item:
    path: str
    doc_id: str
    sha256: str | None
    size: int


# ---------------------------------------------------------------------------- summary


@dataclass
class ArchiveSummary:
    """What a batch run did. ``exit_code()`` is the CLI's exit status."""

    store: str
    backend: str
    workers: int
    rules_version: str
    tool_version: str = __version__
    files: int = 0  # input files found
    documents: int = 0  # distinct contents among them
    skipped: int = 0  # already in the store with this rules version
    checked: int = 0  # checked in this run
    ok: int = 0
    errors: int = 0
    timeouts: int = 0
    inconsistent: int = 0  # documents of this run's inputs (checked or skipped) with an inconsistency
    failed: int = 0  # documents of this run's inputs whose status is error or timeout
    crossyear_findings: int = 0
    crossyear_inconsistent: int = 0
    seconds: float = 0.0
    warm_up_seconds: float = 0.0
    peak_parent_rss_mb: float = 0.0
    peak_worker_rss_mb: float = 0.0
    worker_starts: int = 0
    messages: list[str] = field(default_factory=list)

    def exit_code(self) -> int:
        """0 when no document is inconsistent, 1 otherwise (per-document errors are recorded, not fatal)."""
        return 1 if self.inconsistent or self.crossyear_inconsistent else 0

    @property
    def docs_per_minute(self) -> float:
        return 60.0 * self.checked / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["docs_per_minute"] = self.docs_per_minute
        return d

    def describe(self) -> str:
        lines = [
            f"{self.files} files, {self.documents} documents: {self.checked} checked, {self.skipped} already in "
            f"{self.store} (rules {self.rules_version})",
            f"  checked: {self.ok} ok, {self.errors} error, {self.timeouts} timeout "
            f"in {self.seconds:.1f} s ({self.docs_per_minute:.1f} documents/min, {self.workers} worker(s), "
            f"{self.backend})",
            f"  documents with inconsistencies: {self.inconsistent}; unreadable or timed out: {self.failed}",
        ]
        if self.crossyear_findings:
            lines.append(
                f"  cross-year findings: {self.crossyear_findings} ({self.crossyear_inconsistent} inconsistent)"
            )
        lines.extend(f"  note: {m}" for m in self.messages)
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- progress


class _Progress:
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

            self._bar = Progress(
                TextColumn("[bold]checking"),
                BarColumn(),
                MofNCompleteColumn(),
                RateColumn(),
                TextColumn("{task.fields[tally]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
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


# ---------------------------------------------------------------------------- local pool

Sink = Callable[[_Item, dict[str, Any]], None]
_FLUSH_DOCUMENTS = 32  # commit the store at least every 32 documents …
_FLUSH_SECONDS = 2.0  # … or every 2 seconds


def _worker_main(
    conn: Connection, check: CheckFunction, rules_dir: str | None, max_pages: int | None, warm: bool
) -> None:  # pragma: no cover - runs in the worker processes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    warm_s = 0.0
    if warm:
        try:
            warm_s = warm_up(rules_dir)
        except Exception:
            log.debug("warm-up failed", exc_info=True)
    conn.send(("ready", os.getpid(), _rss_bytes(), warm_s))
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
            result = _envelope(path, "error", f"{type(exc).__name__}: {exc}", None, t0)
        conn.send(("done", result, _rss_bytes()))
    conn.close()


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
    proc: BaseProcess
    conn: Connection
    spawned: float
    ready: bool = False
    item: _Item | None = None
    deadline: float = math.inf
    done: int = 0
    retiring: bool = False


@dataclass
class _Stats:
    warm_up_seconds: float = 0.0
    peak_worker_rss: int = 0
    worker_starts: int = 0
    workers: int = 0
    messages: list[str] = field(default_factory=list)


def _timeout_message(limit: float) -> str:
    return f"no result within {limit:g} s; its worker was stopped"


def _failure(item: _Item, status: str, error: str, seconds: float | None = None) -> dict[str, Any]:
    return {"path": item.path, "status": status, "error": error, "report": None, "seconds": seconds, "worker": None}


def _run_local(
    items: Sequence[_Item],
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
    stats: _Stats,
    tick: Callable[[], None] = lambda: None,
    start_method: str = "spawn",
) -> None:
    ctx: Any = mp.get_context(start_method)
    queue: deque[_Item] = deque(items)
    limit = math.inf if not timeout or timeout <= 0 else float(timeout)
    startup_limit = max(180.0, limit if limit != math.inf else 0.0)
    slots: list[_Slot] = []
    start_failures = 0

    def spawn() -> None:
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(
            target=_worker_main,
            args=(child, check, rules_dir, max_pages, warm),
            name="reconcile-batch-worker",
            daemon=True,
        )
        with _main_hidden():
            proc.start()
        child.close()
        stats.worker_starts += 1
        slots.append(_Slot(proc, parent, time.monotonic()))

    def stop(s: _Slot, *, kill: bool) -> None:
        if kill and s.proc.is_alive():
            s.proc.kill()
        s.proc.join(timeout=10)
        if s.proc.is_alive():  # pragma: no cover - a process that ignores SIGKILL
            s.proc.kill()
            s.proc.join(timeout=5)
        s.conn.close()
        slots.remove(s)

    def top_up() -> None:
        busy_or_warming = sum(1 for s in slots if not s.retiring)
        while queue and busy_or_warming < workers:
            idle = sum(1 for s in slots if not s.retiring and s.item is None)
            if idle >= len(queue):
                break
            spawn()
            busy_or_warming += 1

    def handle(s: _Slot, msg: Any) -> None:
        nonlocal start_failures
        if msg[0] == "ready":
            s.ready = True
            start_failures = 0
            stats.peak_worker_rss = max(stats.peak_worker_rss, int(msg[2]))
            stats.warm_up_seconds = max(stats.warm_up_seconds, float(msg[3]))
        elif msg[0] == "done":
            item, s.item, s.deadline = s.item, None, math.inf
            s.done += 1
            rss = int(msg[2])
            stats.peak_worker_rss = max(stats.peak_worker_rss, rss)
            if item is not None:
                sink(item, msg[1])
            if (max_tasks_per_child and s.done >= max_tasks_per_child) or (
                max_worker_mb and rss > max_worker_mb * 2**20
            ):
                s.retiring = True
                s.conn.send(None)

    try:
        for _ in range(min(workers, len(queue))):
            spawn()
        while slots:
            now = time.monotonic()
            for s in list(slots):
                if s.ready and s.item is None and not s.retiring:
                    try:
                        if queue:
                            s.item = queue.popleft()
                            s.deadline = now + limit
                            s.conn.send((s.item.path,))
                        else:
                            s.retiring = True
                            s.conn.send(None)
                    except (OSError, ValueError):  # it died just now: its sentinel says so below
                        if s.item is not None:
                            queue.appendleft(s.item)
                            s.item = None
                        s.retiring = True
            top_up()
            next_deadline = min(
                [s.deadline for s in slots if s.item is not None]
                + [s.spawned + startup_limit for s in slots if not s.ready]
                + [now + 1.0]
            )
            ready = wait(
                [s.conn for s in slots] + [s.proc.sentinel for s in slots],
                timeout=max(0.0, min(next_deadline - now, 1.0)),
            )
            for s in list(slots):
                if s.conn in ready:
                    # EOF: the process is gone; handled below through its sentinel
                    with contextlib.suppress(EOFError, OSError):
                        handle(s, s.conn.recv())
                if s.proc.sentinel in ready or not s.proc.is_alive():
                    # read what it sent before it exited
                    try:
                        while s.conn.poll():
                            handle(s, s.conn.recv())
                    except (EOFError, OSError):
                        pass
                    s.proc.join(timeout=10)
                    code = s.proc.exitcode
                    if s.item is not None:
                        why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                        sink(s.item, _failure(s.item, "error", f"worker process died ({why}) while checking this file"))
                        s.item = None
                    elif not s.ready:
                        start_failures += 1
                        if start_failures >= 3:
                            raise BatchError(f"worker processes fail to start (last exit code {code})")
                    stop(s, kill=False)
            now = time.monotonic()
            for s in list(slots):
                if s.item is not None and now > s.deadline:
                    item = s.item
                    s.item = None
                    stop(s, kill=True)
                    sink(item, _failure(item, "timeout", _timeout_message(limit), limit))
                elif not s.ready and now > s.spawned + startup_limit:
                    stop(s, kill=True)
                    start_failures += 1
                    stats.messages.append(f"a worker did not start within {startup_limit:g} s")
                    if start_failures >= 3:
                        raise BatchError("worker processes fail to start in time")
            top_up()
            tick()
    finally:
        for s in list(slots):
            with contextlib.suppress(OSError, ValueError):
                s.conn.send(None)
            stop(s, kill=True)


# ---------------------------------------------------------------------------- dask


def _warm_plugin(rules_dir: str | None) -> Any:
    """A Dask WorkerPlugin that warms each worker up (pickled by value by cloudpickle)."""
    from distributed import WorkerPlugin

    class ReconcileWarmUp(WorkerPlugin):
        def __init__(self, rules: str | None) -> None:
            self.rules = rules

        def setup(self, worker: Any) -> None:
            warm_up(self.rules)

    return ReconcileWarmUp(rules_dir)


def _run_dask(
    items: Sequence[_Item],
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
    stats: _Stats,
    tick: Callable[[], None] = lambda: None,
) -> None:
    dd: Any = importlib.import_module("distributed")  # untyped: used as Any

    cluster: Any = None
    client: Any
    if scheduler:
        client = dd.Client(scheduler, timeout="60s")
    else:
        cluster = dd.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
        client = dd.Client(cluster)
    limit = math.inf if not timeout or timeout <= 0 else float(timeout)
    try:
        try:
            client.wait_for_workers(1, timeout=120)
        except Exception as exc:
            raise BatchError(f"no Dask worker joined the scheduler {scheduler or '(local)'}: {exc}") from exc
        if warm:
            t0 = time.perf_counter()
            client.register_plugin(_warm_plugin(rules_dir), name="reconcile-warm-up")
            stats.warm_up_seconds = time.perf_counter() - t0
        nthreads = sum(client.nthreads().values())
        stats.worker_starts = stats.workers = len(client.nthreads())
        in_flight_limit = max(1, nthreads)
        queue: deque[_Item] = deque(items)
        inflight: dict[Any, tuple[_Item, float]] = {}
        ac: Any = dd.as_completed()

        def submit(item: _Item) -> None:
            if send_bytes:
                try:
                    data = Path(item.path).read_bytes()
                except OSError as exc:
                    sink(item, _failure(item, "error", f"{item.path}: cannot read ({exc.strerror})"))
                    return
                remote = client.scatter(data, hash=False)
                fut = client.submit(check_bytes, remote, item.path, rules_dir, max_pages, pure=False)
            else:
                fut = client.submit(check, item.path, rules_dir, max_pages, pure=False)
            inflight[fut] = (item, time.monotonic() + limit)
            ac.add(fut)

        refreshed = time.monotonic()
        while queue or inflight:
            if time.monotonic() - refreshed > 5:  # workers may join or leave a real cluster
                in_flight_limit = max(1, sum(client.nthreads().values()))
                refreshed = time.monotonic()
            while queue and len(inflight) < in_flight_limit:
                submit(queue.popleft())
            batch = ac.next_batch(block=False) if ac.has_ready() else []
            for fut in batch:
                entry = inflight.pop(fut, None)
                if entry is None:
                    continue  # timed out already
                item = entry[0]
                try:
                    result = fut.result()
                except Exception as exc:
                    result = _failure(item, "error", f"{type(exc).__name__}: {exc}")
                fut.release()
                sink(item, result)
            now = time.monotonic()
            for fut, (item, deadline) in list(inflight.items()):
                if now > deadline:
                    del inflight[fut]
                    _stop_stuck(client, fut, inflight, limit)
                    sink(item, _failure(item, "timeout", _timeout_message(limit), limit))
            tick()
            if not batch:
                time.sleep(0.02)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _stop_stuck(client: Any, fut: Any, inflight: dict[Any, tuple[_Item, float]], limit: float) -> None:
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


# ---------------------------------------------------------------------------- the batch


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
    for invalid rules; never for a bad document.
    """
    t_start = time.perf_counter()
    if backend not in ("local", "dask"):
        raise BatchError(f"unknown backend {backend!r}; choose local or dask")
    if workers < 1:
        raise BatchError("workers must be at least 1")
    if scheduler and backend != "dask":
        raise BatchError("--scheduler needs --backend dask")
    if send_bytes and backend != "dask":
        raise BatchError("send_bytes applies to the dask backend only")
    from .store import Store, doc_id_for, rows_for_result

    rules = load_rules(
        os.fspath(rules_dir) if rules_dir is not None else None
    )  # RuleError for invalid rules, before any work
    rules_version = rules.version
    # local workers load the very same directory; remote workers load the bundled rules
    # unless a directory was given (which must then be on shared storage)
    local_rules = str(rules.directory)
    remote_rules = str(Path(rules_dir).resolve()) if rules_dir is not None else None
    check_fn: CheckFunction = check or check_one
    files = discover([paths] if isinstance(paths, (str, os.PathLike)) else paths)

    summary = ArchiveSummary(
        store=str(store), backend=backend, workers=workers, rules_version=rules_version, files=len(files)
    )
    bar = _Progress(progress, stream)
    stats = _Stats()
    with Store(os.fspath(store)) as st:
        known = st.known_documents()
        plan: list[_Item] = []
        seen: set[str] = set()
        file_rows: list[dict[str, Any]] = []
        unreadable: list[tuple[_Item, str]] = []
        for f in files:
            path = str(f)
            try:
                sha, size, mtime = _hash_file(f)
            except OSError as exc:
                doc_id = "unreadable-" + hashlib.sha256(path.encode()).hexdigest()[:12]
                item = _Item(path, doc_id, None, 0)
                unreadable.append((item, f"{path}: cannot read ({exc.strerror or exc})"))
                continue
            doc_id = doc_id_for(sha)
            file_rows.append({"path": path, "doc_id": doc_id, "sha256": sha, "size": size, "mtime": mtime})
            if doc_id in seen:
                continue
            seen.add(doc_id)
            k = known.get(doc_id)
            if k is not None and k.rules_version == rules_version and (k.status == "ok" or not retry_failed):
                summary.skipped += 1
                summary.inconsistent += 1 if k.n_inconsistent else 0
                summary.failed += 1 if k.status != "ok" else 0
                continue
            plan.append(_Item(path, doc_id, sha, size))
        summary.documents = len(seen) + len(unreadable)
        # longest first: the biggest files do not end up alone at the tail of the run
        plan.sort(key=lambda it: (-it.size, it.path))
        mismatch: set[str] = set()
        # outcomes are committed in small batches (one transaction per batch is much cheaper than one per
        # document); an interrupted run loses at most the last batch, which the next run re-checks
        pending: list[dict[str, list[dict[str, Any]]]] = []
        flushed = [time.monotonic()]

        def flush() -> None:
            if pending:
                st.write_batch(pending, replace=any(r["documents"][0]["doc_id"] in known for r in pending))
                pending.clear()
            flushed[0] = time.monotonic()

        def tick() -> None:
            if pending and time.monotonic() - flushed[0] > _FLUSH_SECONDS:
                flush()

        def sink(item: _Item, result: dict[str, Any]) -> None:
            res = dict(result)
            res.update(path=item.path, doc_id=item.doc_id, sha256=item.sha256, size=item.size)
            report = res.get("report")
            got_rules = (report or {}).get("tool", {}).get("rules_version")
            if got_rules and got_rules != rules_version and got_rules not in mismatch:
                mismatch.add(got_rules)
                summary.messages.append(
                    f"workers checked with rules {got_rules}, not {rules_version}: pass --rules on shared storage"
                )
            rows = rows_for_result(res, rules_version=rules_version)
            pending.append(rows)
            if len(pending) >= _FLUSH_DOCUMENTS or time.monotonic() - flushed[0] > _FLUSH_SECONDS:
                flush()
            row = rows["documents"][0]
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
            bar.advance(status)

        bar.start(len(plan) + len(unreadable))
        try:
            for item, message in unreadable:
                sink(item, _failure(item, "error", message))
            if plan and backend == "local":
                _run_local(
                    plan,
                    sink,
                    workers=workers,
                    check=check_fn,
                    rules_dir=local_rules,
                    max_pages=max_pages,
                    timeout=timeout,
                    max_tasks_per_child=max_tasks_per_child,
                    max_worker_mb=max_worker_mb,
                    warm=warm,
                    stats=stats,
                    tick=tick,
                )
            elif plan:
                _run_dask(
                    plan,
                    sink,
                    scheduler=scheduler,
                    workers=workers,
                    check=check_fn,
                    rules_dir=remote_rules,
                    max_pages=max_pages,
                    timeout=timeout,
                    send_bytes=send_bytes,
                    warm=warm,
                    stats=stats,
                    tick=tick,
                )
        finally:
            flush()
            st.record_files(file_rows)  # after the run: its import and insert do not delay the workers
            bar.stop()
        if crossyear:
            from .crossyear import update_store

            mine = [f for f in update_store(st) if f["doc_id"] in seen or f["other_doc_id"] in seen]
            summary.crossyear_findings = len(mine)
            summary.crossyear_inconsistent = sum(1 for f in mine if f["status"] == "inconsistent")
    summary.seconds = time.perf_counter() - t_start
    summary.warm_up_seconds = stats.warm_up_seconds
    summary.worker_starts = stats.worker_starts
    if stats.workers:
        summary.workers = stats.workers
    summary.peak_worker_rss_mb = stats.peak_worker_rss / 2**20
    summary.peak_parent_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary.messages.extend(stats.messages)
    return summary


# ---------------------------------------------------------------------------- command line


def add_batch_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``reconcile batch`` (the CLI adds them to its ``batch`` sub-parser)."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files, folders (walked for *.pdf, *.txt) or globs")
    p.add_argument("--store", required=True, metavar="FILE", help="DuckDB results store (created when missing)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--backend", choices=("local", "dask"), default="local", help="process pool or Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (default: a local cluster of N workers)")
    p.add_argument(
        "--send-bytes", action="store_true", help="Dask: send file contents (workers without the shared path)"
    )
    p.add_argument("--timeout", type=float, default=300, metavar="S", help="per-document time limit (default 300)")
    p.add_argument("--retry-failed", action="store_true", help="re-check documents recorded as error or timeout")
    p.add_argument("--export-parquet", metavar="DIR", help="also write every table as DIR/<table>.parquet")
    p.add_argument("--rules", metavar="DIR", help="rules directory (default: the bundled rules/)")
    p.add_argument("--max-pages", type=int, metavar="N", help="read at most N pages of each PDF")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar with rate and ETA (default: when standard error is a terminal)",
    )
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")


def run_batch_command(args: argparse.Namespace) -> int:
    """Run ``reconcile batch``: 0 none inconsistent, 1 some inconsistent, 2 usage error."""
    import json

    import duckdb

    from .rules import RuleError
    from .store import export_parquet

    if args.workers < 1:
        print("reconcile: error: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        summary = check_archive(
            args.paths,
            args.store,
            workers=args.workers,
            backend=args.backend,
            scheduler=args.scheduler,
            timeout=args.timeout,
            rules_dir=args.rules,
            progress=args.progress,
            max_pages=args.max_pages,
            send_bytes=args.send_bytes,
            retry_failed=args.retry_failed,
        )
        if args.export_parquet:
            export_parquet(args.store, args.export_parquet)
    except BatchError as exc:
        print(f"reconcile: error: {exc}", file=sys.stderr)
        return 2
    except RuleError as exc:
        print(f"reconcile: invalid rules:\n{exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"reconcile: cannot use the store {args.store}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(summary.describe())
    return summary.exit_code()
