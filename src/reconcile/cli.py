"""The ``reconcile`` command: a thin layer over the library.

Exit codes: 0 no inconsistency, 1 some inconsistency, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .document import InputError
from .rules import RuleError

if TYPE_CHECKING:
    from .document import Document
    from .model import Table
    from .report import Report
    from .rules import Rules

__all__ = ["main"]

EXIT_OK, EXIT_INCONSISTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"reconcile: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="reconcile", description="Check budget and final-account disclosures for inconsistencies.")
    p.add_argument("--version", action="version", version=f"reconcile {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--rules", metavar="DIR", help="rules directory (default: the bundled rules/)")
        sp.add_argument("--max-pages", type=int, metavar="N", help="read at most N pages of a PDF")
        sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

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

    rc = sub.add_parser("rules", help="validate a rules directory and print its version")
    rc.add_argument("--rules", metavar="DIR")
    return p


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except InputError as exc:
        print(f"reconcile: cannot read input: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RuleError as exc:
        for line in str(exc).splitlines():
            print(f"reconcile: invalid rules: {line}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from .rules import load_rules

    if args.command == "batch":
        from .batch import run_batch_command

        return run_batch_command(args)
    if args.command == "rules":
        r = load_rules(args.rules)  # every file, every reference between them, every pattern compiled
        from .claims import build_pipeline

        build_pipeline(r)  # spaCy validates the token patterns
        print(
            f"rules OK: {r.directory} ({r.version}); {len({k.kind for k in r.table_kinds})} table kinds, "
            f"{len(r.templates)} templates, {len(r.match.subjects)} matched subjects"
        )
        return EXIT_OK
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
    _write(doc.text if doc.text.endswith("\n") else doc.text + "\n", args.output)
    return EXIT_OK


def _cmd_tables(args: argparse.Namespace, doc: Document, rules: Rules) -> int:
    from .tables import parse_tables

    tables = parse_tables(doc, rules)
    _write(_render_tables(tables, args.format), args.output)
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
        _write(render(data, args.format), args.output)
    return EXIT_INCONSISTENT if data["summary"]["inconsistent_findings"] else EXIT_OK


def _render_file(args: argparse.Namespace, doc: Document, report: Report, data: dict[str, Any]) -> int | None:
    """Write the html, xlsx or pdf rendering; the exit code when the arguments do not allow it, else None."""
    from .render import render_html, render_to_file, table_details

    if args.format != "html" and not args.output:
        print(f"reconcile: error: --format {args.format} writes a file: give -o FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "pdf" and doc.format != "pdf":
        print("reconcile: error: --format pdf annotates a PDF input; this input is text", file=sys.stderr)
        return EXIT_USAGE
    data.setdefault("tables_detail", table_details(report.tables))
    if args.output:
        try:
            render_to_file(data, args.format, args.output, text=doc.text, source=args.file)
        except ValueError as exc:
            print(f"reconcile: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    else:
        _write(render_html(data, doc.text), None)
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
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_TABLE_CSV_COLUMNS)
    for t in ts:
        for r in t.rows:
            for k, c in r.cells.items():
                w.writerow(
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
                )
    return buf.getvalue()


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
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
