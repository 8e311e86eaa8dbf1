"""The command line of ``reconcile batch``: its options, and the run that prints a summary."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from .tasks import BatchError, Interrupted

__all__ = ["add_batch_arguments", "run_batch_command"]


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


EXIT_INTERRUPTED = 130


def _stop(signum: int, frame: FrameType | None) -> None:
    """The first SIGINT or SIGTERM stops the run; later ones are ignored while it saves its work."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextlib.contextmanager
def _stoppable() -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does (its work is saved); the old handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def run_batch_command(args: argparse.Namespace) -> int:
    """Run ``reconcile batch``: 0 none inconsistent, 1 some inconsistent, 2 error, 130 interrupted.

    Every failure is one line on standard error. Ctrl-C or SIGTERM commit what is done and
    print "interrupted: N documents saved; run again to resume".
    """
    if args.workers < 1:
        print("reconcile: error: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        with _stoppable():
            return _run(args)
    except KeyboardInterrupt as exc:
        saved = exc.saved if isinstance(exc, Interrupted) else 0
        print(f"reconcile: interrupted: {saved} documents saved; run again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    import json

    import duckdb

    from ..rules import RuleError
    from ..store import StoreFull, export_parquet
    from .archive import check_archive  # the run's imports (pool, store) only for a run

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
    except StoreFull as exc:
        print(f"reconcile: error: {exc}; free some space and run again to resume", file=sys.stderr)
        return 2
    except RuleError as exc:
        print(f"reconcile: invalid rules:\n{exc}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as exc:
        message = " ".join(str(exc).split())  # one line
        print(f"reconcile: error: cannot use the store {args.store}: {message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(summary.describe())
    return summary.exit_code()
