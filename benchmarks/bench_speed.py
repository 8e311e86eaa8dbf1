"""Speed of the PDF path against bare pdfplumber, of batches against another checkout, and how cost grows.

    python3 scripts/bench_speed.py stage [--shared]            # in-process PDF stage vs bare pdfplumber
    python3 scripts/bench_speed.py process [--shared] [--rounds 2]   # whole processes, side by side
    python3 scripts/bench_speed.py batch --baseline OTHER/src [--inputs DIR]  # docs/minute, this code vs OTHER
    python3 scripts/bench_speed.py growth                      # time and peak RSS, 1 to 500 pages

* ``stage``: in one warm process, per PDF, bare pdfplumber (``extract_text()`` and
  ``extract_tables()`` on every page) and ``reconcile.pdf.read_pdf`` (the whole PDF stage),
  alternated, best of ``--repeat``.
* ``process``: per PDF, a whole ``python -c`` process running bare pdfplumber and a whole
  ``reconcile check FILE --format json`` process, alternated A B then B A (``--rounds``),
  median wall time of each. Both processes read their bytecode from a temporary
  ``PYTHONPYCACHEPREFIX`` filled by one untimed run of each first, as an installed package
  has its ``.pyc`` files (pdfplumber's are in site-packages; a shell that sets
  ``PYTHONDONTWRITEBYTECODE=1`` would otherwise make every check process compile reconcile
  from source, about 0.1 s); ``--as-is`` keeps this shell's bytecode setting. The PDF is
  read once before it is timed, so neither side pays the first read from disk.
* ``batch``: ``reconcile batch DIR --workers 2`` with this checkout and with ``--baseline``
  (the ``src`` folder of another checkout, e.g. a ``git worktree`` of an older commit), each
  on a fresh store, alternated; then this checkout with ``--workers 1``. Documents per minute.
* ``growth``: PDFs of 1 to 500 pages made from corpus pages (pypdfium2 ``import_pages``),
  each read in a fresh child process (``load_document``): seconds, ms per page, peak RSS.

Results are printed as markdown tables. Corpus: corpora/pdf (and ../shared/corpus/pdf2 with
``--shared``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus" / "pdf2"
_PLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    for p in pdf.pages:\n"
    "        p.extract_text(); p.extract_tables()\n"
)


def corpus(shared: bool) -> list[Path]:
    files = sorted((ROOT / "corpora" / "pdf").glob("*.pdf"))
    if shared:
        files += sorted(SHARED.glob("*.pdf"))
    return files


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(path)) as doc:
        return len(doc)


# ----------------------------------------------------------------------------------
# stage


def _plumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for p in pdf.pages:
            p.extract_text()
            p.extract_tables()


def _stage(path: Path) -> None:
    from reconcile.pdf import read_pdf

    read_pdf(path.read_bytes(), str(path), "x")


def stage(files: list[Path], repeat: int) -> None:
    _stage(files[0])  # imports and first-use costs out of the measurement
    _plumber(files[0])
    print("| file | pages | pdfplumber s | PDF stage s | ratio | ms/page |")
    print("|---|---:|---:|---:|---:|---:|")
    tot_a = tot_b = 0.0
    pages_all = 0
    ratios = []
    for f in files:
        a = b = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            _plumber(f)
            a = min(a, time.perf_counter() - t)
            t = time.perf_counter()
            _stage(f)
            b = min(b, time.perf_counter() - t)
        n = _pages(f)
        tot_a, tot_b, pages_all = tot_a + a, tot_b + b, pages_all + n
        ratios.append(b / a)
        print(f"| {f.name} | {n} | {a:.2f} | {b:.2f} | {b / a:.2f} | {1000 * b / n:.1f} |")
    print(
        f"| **all {len(files)}** | {pages_all} | {tot_a:.1f} | {tot_b:.1f} | **{tot_b / tot_a:.2f}** "
        f"| {1000 * tot_b / pages_all:.1f} |"
    )
    print(f"\nratio per file: median {statistics.median(ratios):.2f}, max {max(ratios):.2f}")


# ----------------------------------------------------------------------------------
# process


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def _check_cmd(src: Path, path: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return [sys.executable, "-m", "reconcile.cli", "check", str(path), "--format", "json"], env


def _bytecode_env(env: dict[str, str], pycache: str | None) -> dict[str, str]:
    """``env`` with bytecode written to and read from ``pycache`` (None: unchanged)."""
    if pycache is None:
        return env
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = pycache
    return out


def process(files: list[Path], rounds: int, bytecode: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_speed_") as tmp:
        _process(files, rounds, os.path.join(tmp, "pycache") if bytecode else None)


def _process(files: list[Path], rounds: int, pycache: str | None) -> None:
    print("| file | pages | pdfplumber process s | reconcile check process s | ratio |")
    print("|---|---:|---:|---:|---:|")
    ratios = []
    plumber_env = _bytecode_env(dict(os.environ), pycache)
    for k, f in enumerate(files):
        a: list[float] = []
        b: list[float] = []
        plumber = [sys.executable, "-c", _PLUMBER, str(f)]
        cmd, env = _check_cmd(ROOT / "src", f)
        env = _bytecode_env(env, pycache)
        f.read_bytes()  # into the page cache: neither side pays the first read from disk
        if k == 0 and pycache is not None:  # fill the bytecode cache of both
            _timed(plumber, plumber_env)
            _timed(cmd, env)
        for r in range(rounds):
            if r % 2 == 0:
                a.append(_timed(plumber, plumber_env))
                b.append(_timed(cmd, env))
            else:
                b.append(_timed(cmd, env))
                a.append(_timed(plumber, plumber_env))
        ma, mb = statistics.median(a), statistics.median(b)
        ratios.append(mb / ma)
        print(f"| {f.name} | {_pages(f)} | {ma:.2f} | {mb:.2f} | {mb / ma:.2f} |")
    print(
        f"\nratio per file: median {statistics.median(ratios):.2f}, max {max(ratios):.2f}, files over 1.0: "
        f"{sum(1 for r in ratios if r > 1.0)} of {len(ratios)}"
    )


# ----------------------------------------------------------------------------------
# batch


def _batch(src: Path, inputs: Path, workers: int, tmp: Path) -> float:
    store = tmp / f"store-{time.monotonic_ns()}.duckdb"
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "reconcile.cli", "batch", str(inputs), "--store", str(store)]
    cmd += ["--workers", str(workers), "--no-progress"]
    wall = _timed(cmd, env)
    store.unlink(missing_ok=True)
    return wall


def batch(baseline: Path, inputs: Path, rounds: int) -> None:
    n = sum(1 for p in inputs.rglob("*") if p.suffix.lower() in (".pdf", ".txt"))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        new2: list[float] = []
        old2: list[float] = []
        new1: list[float] = []
        for r in range(rounds):
            order = [("new", new2), ("old", old2)] if r % 2 == 0 else [("old", old2), ("new", new2)]
            for which, out in order:
                out.append(_batch(ROOT / "src" if which == "new" else baseline, inputs, 2, tmp))
            new1.append(_batch(ROOT / "src", inputs, 1, tmp))
    print(f"{n} files in {inputs}, median of {rounds} run(s), fresh store each\n")
    print("| run | wall s | files per minute |")
    print("|---|---:|---:|")
    for name, xs in (
        ("baseline, 2 workers", old2),
        ("this checkout, 2 workers", new2),
        ("this checkout, 1 worker", new1),
    ):
        m = statistics.median(xs)
        print(f"| {name} | {m:.1f} | {60 * n / m:.0f} |")
    m_old, m_new, m_one = (statistics.median(x) for x in (old2, new2, new1))
    print(f"\nspeed-up against the baseline: {m_old / m_new:.2f}x; 2 workers against 1: {m_one / m_new:.2f}x")


# ----------------------------------------------------------------------------------
# growth


def _build(n_pages: int, sources: list[Path], out: Path) -> None:
    import pypdfium2 as pdfium

    dst = pdfium.PdfDocument.new()
    i = 0
    while len(dst) < n_pages:
        src = pdfium.PdfDocument(str(sources[i % len(sources)]))
        take = min(len(src), n_pages - len(dst))
        dst.import_pages(src, list(range(take)))
        src.close()
        i += 1
    dst.save(str(out))
    dst.close()


def _load_child(path: str) -> None:
    from reconcile.ingest import load_document

    t = time.perf_counter()
    load_document(path)
    wall = time.perf_counter() - t
    print(json.dumps({"s": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def growth(sizes: list[int]) -> None:
    sources = corpus(False)
    print("| pages | MB | read s | ms/page | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as d:
        for n in sizes:
            pdf = Path(d) / f"{n}.pdf"
            _build(n, sources, pdf)
            env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(ROOT), str(ROOT / "src")))}
            cmd = [sys.executable, "-m", "benchmarks.bench_speed", "_load", str(pdf)]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            mb = pdf.stat().st_size / 1e6
            print(f"| {n} | {mb:.1f} | {r['s']:.2f} | {1000 * r['s'] / n:.1f} | {r['rss_mb']:.0f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    for name in ("stage", "process"):
        p = sub.add_parser(name)
        p.add_argument("--shared", action="store_true", help="also ../shared/corpus/pdf2")
        p.add_argument("--repeat", type=int, default=2)
        p.add_argument("--rounds", type=int, default=2)
        p.add_argument("files", nargs="*", type=Path)
        if name == "process":
            p.add_argument("--as-is", action="store_true", help="keep this shell's bytecode setting")
    p = sub.add_parser("batch")
    p.add_argument("--baseline", type=Path, required=True, help="the src folder of the checkout to compare with")
    p.add_argument("--inputs", type=Path, default=SHARED)
    p.add_argument("--rounds", type=int, default=1)
    p = sub.add_parser("growth")
    p.add_argument("--pages", type=int, nargs="+", default=[1, 10, 50, 100, 250, 500])
    p = sub.add_parser("_load")
    p.add_argument("path")
    args = ap.parse_args(argv)
    if args.what == "_load":
        _load_child(args.path)
    elif args.what == "stage":
        stage(args.files or corpus(args.shared), args.repeat)
    elif args.what == "process":
        process(args.files or corpus(args.shared), args.rounds, bytecode=not args.as_is)
    elif args.what == "batch":
        batch(args.baseline.resolve(), args.inputs, args.rounds)
    else:
        growth(args.pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
