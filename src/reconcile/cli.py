"""The ``reconcile`` command: a thin layer over the library.

Exit codes: 0 no inconsistency, 1 some inconsistency, 2 any failure (usage, unreadable
input, unwritable output, time limit, or an unexpected error), 130 interrupted. The
contract is kept in one place, :func:`main`: every failure is one line on standard error
and no traceback is printed unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from . import __version__, regex_cache

regex_cache.install()  # before the package's modules compile their patterns

from .document import InputError  # noqa: E402
from .output import OutputError, check_output, describe_os_error, write_file, write_stdout  # noqa: E402
from .rules import RuleError  # noqa: E402
from .sanitize import csv_text, terminal_safe  # noqa: E402

if TYPE_CHECKING:
    from .document import Document
    from .model import Table
    from .report import Report
    from .rules import Rules

__all__ = ["main"]

EXIT_OK, EXIT_INCONSISTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_TIMEOUT = 600.0


class _TimedOut(BaseException):
    """The time limit of ``--timeout`` passed (a BaseException, so that no ``except Exception`` swallows it)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """One line, exit 2: the mistake and where the usage is."""
        print(f"reconcile: error: {' '.join(message.split())} (see: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="reconcile", description="Check budget and final-account disclosures for inconsistencies.")
    p.add_argument("--version", action="version", version=f"reconcile {__version__}")
    p.add_argument("--debug", action="store_true", help="print the traceback of an unexpected error")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--rules", metavar="DIR", help="rules directory (default: the bundled rules/)")
        sp.add_argument("--max-pages", type=int, metavar="N", help="read at most N pages of a PDF")
        sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
        sp.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            metavar="SECONDS",
            help=f"give up after SECONDS (default {DEFAULT_TIMEOUT:g})",
        )
        _debug_flag(sp)

    c = sub.add_parser("check", help="check one report (text or PDF) and print the findings")
    c.add_argument("file", metavar="FILE", nargs="+", help="the report; several PDFs are read as one report")
    c.add_argument(
        "--format",
        choices=("json", "text", "csv", "html", "xlsx", "pdf"),
        default="text",
        help="html: one offline page; xlsx: Excel workbook; pdf: the input PDF annotated (xlsx and pdf need -o FILE)",
    )
    common(c)

    t = sub.add_parser("text", help="print the document text that spans index")
    t.add_argument("file", metavar="FILE", nargs="+")
    common(t)

    tb = sub.add_parser("tables", help="show the standard tables found and their cells")
    tb.add_argument("file", metavar="FILE", nargs="+")
    tb.add_argument("--format", choices=("text", "csv", "json"), default="text")
    common(tb)

    b = sub.add_parser("batch", help="check many reports (folders, globs) in parallel into a DuckDB store; resumable")
    from .batch import add_batch_arguments

    add_batch_arguments(b)

    _debug_flag(b)

    rc = sub.add_parser("rules", help="validate a rules directory and print its version")
    rc.add_argument("--rules", metavar="DIR")
    _debug_flag(rc)
    return p


def _debug_flag(sp: argparse.ArgumentParser) -> None:
    """``--debug`` after the command too (SUPPRESS: an absent flag keeps the global one)."""
    sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _write(text: str, output: str | None, fmt: str) -> None:
    if output:
        write_file(output, fmt, lambda path: path.write_text(text, encoding="utf-8"))
    else:
        write_stdout(text)


def _fail(message: str) -> int:
    """One line on standard error, exit 2."""
    print(f"reconcile: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line: the exit-code contract of the module docstring, kept here."""
    try:
        args = _parser().parse_args(argv)
    except KeyboardInterrupt:
        return _interrupted()
    except SystemExit as exc:  # --help, --version, or a usage error (its one line is printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    debug = bool(getattr(args, "debug", False))
    try:
        return _run(args)
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        write_stdout("")  # quiet from here on
        return EXIT_OK
    except _TimedOut:
        return _fail(f"error: timed out after {args.timeout:g} s")
    except InputError as exc:
        return _fail(f"cannot read input: {exc}")
    except OutputError as exc:
        return _fail(f"error: {exc}")
    except RuleError as exc:
        for line in str(exc).splitlines():
            print(f"reconcile: invalid rules: {line}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            raise
        detail = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        return _fail(f"error: {type(exc).__name__}: {detail}")


def _interrupted() -> int:
    with contextlib.suppress(OSError, ValueError):
        print("reconcile: interrupted", file=sys.stderr)
    return EXIT_INTERRUPTED


def _options_error(args: argparse.Namespace) -> str | None:
    """Why the options of check, text or tables cannot be run, before anything is read."""
    if args.max_pages is not None and args.max_pages < 1:
        return f"--max-pages must be at least 1 (got {args.max_pages})"
    if not math.isfinite(args.timeout) or args.timeout <= 0:
        return f"--timeout must be a positive number of seconds (got {args.timeout:g})"
    return None


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimedOut after ``seconds`` (SIGALRM; no limit off the main thread or without setitimer)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise _TimedOut

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _run(args: argparse.Namespace) -> int:
    if args.command == "batch":
        from .batch import run_batch_command

        return run_batch_command(args)
    if args.command == "rules":
        return _cmd_rules(args)
    problem = _options_error(args)
    if problem:
        return _fail(f"error: {problem}")
    if args.output:
        check_output(args.output, args.file)
    with _time_limit(args.timeout):
        return _run_document(args)


_QUICK_EXIT: list[bool] = []
_YOUNG_OBJECTS = 50_000


def _quick_exit() -> None:
    """A process that reads one document and exits collects garbage rarely: the young generation
    holds 50,000 objects instead of 700 (the start-up's loads of the rules and the caches made the
    collector walk them again and again, about 5% of a cold check; the document's objects are
    freed by reference counting). At exit, skip the collections of the objects this process has
    made: the interpreter's final garbage collections over a checked document's objects cost a
    tenth of a cold start (docs/performance.md). Files are written and closed explicitly, so
    nothing waits on them."""
    if not _QUICK_EXIT:
        _QUICK_EXIT.append(True)
        gc.set_threshold(_YOUNG_OBJECTS, *gc.get_threshold()[1:])
        atexit.register(gc.freeze)


def _cmd_rules(args: argparse.Namespace) -> int:
    from .claims import build_pipeline
    from .rules import load_rules

    r = load_rules(args.rules)  # every file, every reference between them, every pattern compiled
    build_pipeline(r)  # spaCy validates the token patterns
    print(
        f"rules OK: {r.directory} ({r.version}); {len({k.kind for k in r.table_kinds})} table kinds, "
        f"{len(r.templates)} templates, {len(r.match.subjects)} matched subjects"
    )
    return EXIT_OK


def _run_document(args: argparse.Namespace) -> int:
    from .rules import load_rules

    _quick_exit()
    rules = load_rules(args.rules)
    doc = _load(args)
    if args.command == "text":
        return _cmd_text(args, doc)
    if args.command == "tables":
        return _cmd_tables(args, doc, rules)
    return _cmd_check(args, doc, rules)


def _load(args: argparse.Namespace) -> Document:
    """The document of ``args.file``: several PDFs are read as one report."""
    from .ingest import load_document

    if len(args.file) > 1:
        from .pdf import load_documents

        return load_documents(args.file, max_pages=args.max_pages)
    with _page_progress(args.file[0]) as progress:
        return load_document(args.file[0], max_pages=args.max_pages, progress=progress)


def _cmd_text(args: argparse.Namespace, doc: Document) -> int:
    _write(doc.text if doc.text.endswith("\n") else doc.text + "\n", args.output, "text")
    return EXIT_OK


def _cmd_tables(args: argparse.Namespace, doc: Document, rules: Rules) -> int:
    from .tables import parse_tables

    tables = parse_tables(doc, rules)
    _write(_render_tables(tables, args.format), args.output, args.format)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, doc: Document, rules: Rules) -> int:
    from .api import check_loaded
    from .report import render

    report = check_loaded(doc, rules)
    data = report.to_dict()
    if args.format in ("html", "xlsx", "pdf"):
        failed = _render_file(args, doc, report, data)
        if failed is not None:
            return failed
    elif args.format == "text" and not args.output and sys.stdout.isatty():
        _print_coloured(render(data, "text"))
    else:
        _write(render(data, args.format), args.output, args.format)
    return EXIT_INCONSISTENT if data["summary"]["inconsistent_findings"] else EXIT_OK


def _render_file(args: argparse.Namespace, doc: Document, report: Report, data: dict[str, Any]) -> int | None:
    """Write the html, xlsx or pdf rendering; the exit code when the arguments do not allow it, else None."""
    from .render import render_html, render_to_file, table_details

    if args.format != "html" and not args.output:
        return _fail(f"error: --format {args.format} writes a file: give -o FILE")
    if args.format == "pdf" and doc.format != "pdf":
        return _fail("error: --format pdf annotates a PDF input; this input is text")
    data.setdefault("tables_detail", table_details(report.tables))
    if not args.output:
        write_stdout(render_html(data, doc.text))
        return None

    def render(path: Path) -> None:
        render_to_file(data, args.format, path, text=doc.text, source=args.file)
        if args.format == "pdf" and len(args.file) > 1:  # one annotated copy per input PDF
            from .render.annotate import annotated_paths

            n = len(args.file)
            for tmp, final in zip(annotated_paths(path, n)[1:], annotated_paths(args.output, n)[1:], strict=True):
                os.replace(tmp, final)
                print(f"reconcile: wrote {final} (pdf)", file=sys.stderr)

    try:
        write_file(args.output, args.format, render)
    except ValueError as exc:
        return _fail(f"error: {exc}")
    return None


@contextlib.contextmanager
def _page_progress(path: str) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar on standard error while a PDF's pages are read (only on a terminal)."""
    if not sys.stderr.isatty() or not path.lower().endswith(".pdf"):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("reading {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(Path(path).name, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _print_coloured(text: str) -> None:
    """The text summary with colours, for a terminal."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for line in text.rstrip("\n").split("\n"):
        t = Text(line)
        if line.lstrip().startswith("[") and " error]" in line:
            t.stylize("bold red", 0, len(line))
        elif line.lstrip().startswith("[") and " warning]" in line:
            t.stylize("bold yellow", 0, len(line))
        elif "No inconsistency found" in line:
            t.stylize("bold green", 0, len(line))
        elif line and not line.startswith(" "):
            t.stylize("bold", 0, len(line))
        console.print(t)


def _render_tables(tables: Sequence[object], fmt: str) -> str:
    from .model import Table

    ts = [t for t in tables if isinstance(t, Table)]
    if fmt == "json":
        return _tables_json(ts)
    if fmt == "csv":
        return _tables_csv(ts)
    return _tables_text(ts)


def _tables_json(ts: list[Table]) -> str:
    out = []
    for t in ts:
        out.append(
            {
                "id": t.id,
                "kind": t.kind,
                "template": t.template,
                "title": t.title,
                "columns": t.columns,
                "lines": t.lines,
                "rows": [
                    {
                        "block": r.block,
                        "code": r.code,
                        "label": r.label,
                        "line": r.line,
                        "cells": {k: (str(c.value) if c.value is not None else None) for k, c in r.cells.items()},
                    }
                    for r in t.rows
                ],
            }
        )
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


_TABLE_CSV_COLUMNS = [
    "table",
    "kind",
    "title",
    "block",
    "code",
    "level",
    "label",
    "line",
    "column",
    "value",
    "decimals",
    "span_start",
    "span_end",
]


def _tables_csv(ts: list[Table]) -> str:
    rows = [
        [
            t.id,
            t.kind,
            t.title,
            r.block,
            r.code or "",
            r.level or "",
            r.label,
            r.line,
            k,
            "" if c.value is None else str(c.value),
            "" if c.decimals is None else c.decimals,
            c.span[0] if c.span else "",
            c.span[1] if c.span else "",
        ]
        for t in ts
        for r in t.rows
        for k, c in r.cells.items()
    ]
    return csv_text(_TABLE_CSV_COLUMNS, rows)


def _tables_text(ts: list[Table]) -> str:
    lines: list[str] = []
    if not ts:
        lines.append("no standard table found")
    for t in ts:
        lines.append(
            f"{t.id}  {t.kind}  {t.title}  (lines {t.lines[0]}–{t.lines[1]}, {len(t.rows)} rows, "
            f"{t.cell_count()} cells)"
            if t.lines
            else f"{t.id} {t.kind} {t.title}"
        )
        lines.append("    columns: " + " | ".join(t.columns))
        for r in t.rows:
            vals = "  ".join(f"{k}={c.value if c.value is not None else ''}" for k, c in r.cells.items())
            blk = f"[{r.block}] " if r.block else ""
            lines.append(f"    {blk}{r.code or '':8} {r.label[:30]:30} {vals}")
    return terminal_safe("\n".join(lines) + "\n")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
