"""Benchmark the PDF path against bare pdfplumber on the corpus PDFs.

For every PDF three measurements are taken, each in a fresh child process (so that peak
RSS belongs to that measurement alone, and no cache is shared):

* ``plumber``: bare pdfplumber, ``extract_text()`` and ``extract_tables()`` on every page;
* ``load``: ``reconcile.ingest.load_document(path)`` (the whole PDF stage);
* ``check``: ``reconcile.check_document(path)`` (the whole engine), when it exists.

Time is the best of ``--repeat`` runs (import time excluded); peak RSS is the child's
``ru_maxrss``. The result is printed as a markdown table.

    python scripts/bench_pdf.py                 # all of corpora/pdf/*.pdf
    python scripts/bench_pdf.py --repeat 5 a.pdf b.pdf
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import time
from pathlib import Path

from .child import module_command

ROOT = Path(__file__).resolve().parents[1]
MODES = ("plumber", "load", "check")


def run_one(mode: str, path: str, repeat: int) -> dict[str, float | int | None]:
    """Run one measurement in this process and return its numbers."""
    import pdfplumber

    if mode == "load":
        from reconcile.ingest import load_document
    elif mode == "pool":
        from reconcile.pdf import load_documents
    elif mode == "check":
        try:
            from reconcile import check_document
        except ImportError:
            return {"seconds": None, "pages": None, "rss_mb": None}

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    best = best_cpu = float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), cpu_seconds()
        if mode == "plumber":
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.extract_tables()
                    page.close()
        elif mode == "load":
            load_document(path)
        elif mode == "pool":
            load_documents([path], workers=2)
        else:
            check_document(path)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, cpu_seconds() - c0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": best, "cpu": best_cpu, "pages": pages, "rss_mb": rss_mb}


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(mode: str, path: Path, repeat: int) -> dict[str, float | int | None]:
    cmd, env = module_command("benchmarks.bench_pdf", "--one", mode, str(path), "--repeat", str(repeat))
    out = subprocess.run(
        cmd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def fmt(v: float | int | None, spec: str) -> str:
    return "–" if v is None else format(v, spec)


Result = dict[str, dict[str, float | int | None]]


def sc(r: Result, m: str) -> str:
    """Wall seconds (CPU seconds) of one mode."""
    s, c = r[m]["seconds"], r[m]["cpu"]
    return "–" if s is None or c is None else f"{float(s):.2f} ({float(c):.2f})"


def ratio(r: Result, m: str) -> str:
    """Wall (CPU) time of one mode over bare pdfplumber's."""
    s, c = r[m]["seconds"], r[m]["cpu"]
    if s is None or c is None:
        return "–"
    return f"{float(s) / float(r['plumber']['seconds'] or 1):.2f} ({float(c) / float(r['plumber']['cpu'] or 1):.2f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pool", action="store_true", help="also time load_documents(..., workers=2)")
    ap.add_argument("--one", nargs=2, metavar=("MODE", "PDF"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        mode, path = args.one
        print(json.dumps(run_one(mode, path, args.repeat)))
        return 0
    pdfs = args.pdfs or sorted((ROOT / "corpora" / "pdf").glob("*.pdf"))
    modes = (*MODES, "pool") if args.pool else MODES
    head = (
        "| file | pages | pdfplumber s (cpu) | load s (cpu) | load s/page | load/pdfplumber wall (cpu) "
        "| check s (cpu) | check/pdfplumber wall (cpu) | RSS MB pdfplumber / load / check |"
    )
    if args.pool:
        head += " pool×2 s |"
    print(head)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.pool else ""))
    tot = {m: [0.0, 0.0] for m in modes}
    for p in pdfs:
        r = {m: measure(m, p, args.repeat) for m in modes}
        pages = int(r["plumber"]["pages"] or 0)
        for m in modes:
            tot[m][0] += float(r[m]["seconds"] or 0.0)
            tot[m][1] += float(r[m]["cpu"] or 0.0)

        rss = " / ".join(fmt(r[m]["rss_mb"], ".0f") for m in MODES)
        line = (
            f"| {p.name} | {pages} | {sc(r, 'plumber')} | {sc(r, 'load')} | {float(r['load']['seconds'] or 0) / max(pages, 1):.3f} "
            f"| {ratio(r, 'load')} | {sc(r, 'check')} | {ratio(r, 'check')} | {rss} |"
        )
        if args.pool:
            line += f" {fmt(r['pool']['seconds'], '.2f')} |"
        print(line, flush=True)
    (a, ac), (b, bc), (c, cc) = tot["plumber"], tot["load"], tot["check"]
    line = (
        f"| **total** | | {a:.2f} ({ac:.2f}) | {b:.2f} ({bc:.2f}) | | **{b / a:.2f}** ({bc / ac:.2f}) "
        f"| {c:.2f} ({cc:.2f}) | **{c / a:.2f}** ({cc / ac:.2f}) | |"
    )
    if args.pool:
        line += f" {tot['pool'][0]:.2f} |"
    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
