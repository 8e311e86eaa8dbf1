"""Benchmark ``reconcile batch``: throughput with 1 and 2 workers, resume cost, peak memory.

The corpus (seeds + PDFs) is replicated to about ``--files`` inputs in a temporary folder,
each copy with one changed byte appended so that every file has its own hash (a copy
with the same content would be checked once). Each measurement runs in a fresh child
process, so that its peak RSS (parent, and the largest worker through RUSAGE_CHILDREN)
belongs to it alone:

* ``1 worker`` and ``2 workers``: a fresh store each, every document checked;
* ``resume``: the 2-worker store again, nothing to check (hashing and the store lookup only).

Wall time includes starting and warming the workers (spaCy/jieba/pdfplumber load once per
worker process). Each run also reports how many cores *other* processes used meanwhile
(machine busy time from /proc/stat minus the run's own CPU time): on a shared 2-core machine
a second worker only helps when the second core is free.

    python scripts/bench_batch.py                      # ~40 files, 1 and 2 workers
    python scripts/bench_batch.py --files 80 --repeat 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .child import module_command

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "corpora" / "seeds", ROOT / "corpora" / "pdf"]


def build_corpus(target: Path, n_files: int) -> list[Path]:
    """Copy the corpus round-robin until ``n_files`` inputs, each copy with a different last byte."""
    originals = sorted(p for d in CORPUS if d.is_dir() for p in d.iterdir() if p.suffix.lower() in (".pdf", ".txt"))
    if not originals:
        raise SystemExit("no corpus files found")
    target.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    i = 0
    while len(out) < n_files:
        src = originals[i % len(originals)]
        copy = i // len(originals)
        dst = target / f"{src.stem}__copy{copy:02d}{src.suffix}"
        data = src.read_bytes()
        # text: one more line break; PDF: a comment after %%EOF, which readers ignore
        data += b"\n" * (copy + 1) if src.suffix.lower() == ".txt" else f"\n%copy {copy}\n".encode()
        dst.write_bytes(data)
        out.append(dst)
        i += 1
    return out


def child(args: argparse.Namespace) -> None:
    """Run one batch in this process and print its numbers as JSON."""
    from reconcile.batch import check_archive

    t0 = time.perf_counter()
    c0 = os.times()
    s = check_archive([args.inputs], args.store, workers=args.workers[0], timeout=args.timeout, progress=False)
    wall = time.perf_counter() - t0
    c1 = os.times()
    with_store = {
        "wall_s": wall,
        "cpu_parent_s": (c1.user - c0.user) + (c1.system - c0.system),
        "cpu_workers_s": (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system),
        "cpu_total_s": c1.user + c1.system + c1.children_user + c1.children_system,  # since this process started
        "parent_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        **s.to_dict(),
    }
    print(json.dumps(with_store))


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all processes), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
    except OSError:  # pragma: no cover - not Linux
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (f + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_child(inputs: Path, store: Path, workers: int, timeout: float) -> dict[str, Any]:
    """Run one measurement in a child process; also measure what other processes took meanwhile."""
    busy0, t0 = _busy_seconds(), time.monotonic()
    cmd, env = module_command(
        "benchmarks.bench_batch",
        "--child",
        "--inputs",
        str(inputs),
        "--store",
        str(store),
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
    )
    proc = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    wall = time.monotonic() - t0
    busy = _busy_seconds() - busy0
    mine = result["cpu_total_s"]
    # cores used by other processes on the machine during this run (0 = a quiet machine)
    result["other_cores"] = max(0.0, busy - mine) / wall if wall > 0 else float("nan")
    return result


def _measure(
    args: argparse.Namespace, inputs: Path, tmp: Path
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The fastest run per worker count and every run (interleaved: 1, 2, 1, 2 … so that a busy
    spell of the machine does not hit one worker count only); ``runs["resume"]`` is the largest
    worker count's store run again."""
    runs: dict[str, dict[str, Any]] = {}
    every: list[dict[str, Any]] = []
    last_store: Path | None = None
    for run_no in range(args.repeat):
        for w in args.workers:
            store = tmp / f"w{w}_{run_no}.duckdb"
            res = run_child(inputs, store, w, args.timeout)
            print(
                f"  {w} worker(s), run {run_no + 1}: {res['wall_s']:.1f} s, {res['docs_per_minute']:.1f} docs/min "
                f"(other processes used {res['other_cores']:.2f} cores meanwhile)",
                flush=True,
            )
            every.append(res)
            best = runs.get(str(w))
            if best is None or res["wall_s"] < best["wall_s"]:
                runs[str(w)] = res
            if w == max(args.workers):
                last_store = store
    assert last_store is not None
    runs["resume"] = run_child(inputs, last_store, max(args.workers), args.timeout)
    return runs, every


def _print_table(args: argparse.Namespace, runs: dict[str, dict[str, Any]], every: list[dict[str, Any]]) -> None:
    resume = runs["resume"]
    base = runs[str(min(args.workers))]
    print()
    print(
        "| run | documents checked | wall s | documents/min | speed-up | warm-up s | CPU workers s | peak RSS parent MiB | peak RSS worker MiB | other processes' cores |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        label = "resume (2nd run)" if name == "resume" else f"{name} worker{'s' if name != '1' else ''}"
        speed = base["wall_s"] / r["wall_s"] if name != "resume" else float("nan")
        print(
            f"| {label} | {r['checked']} | {r['wall_s']:.1f} | {r['docs_per_minute']:.1f} | "
            f"{'—' if name == 'resume' else f'{speed:.2f}×'} | {r['warm_up_seconds']:.1f} | "
            f"{r['cpu_workers_s']:.1f} | {r['parent_peak_rss_mb']:.0f} | {r['worker_peak_rss_mb']:.0f} | "
            f"{r['other_cores']:.2f} |"
        )
    if "2" in runs and "1" in runs:
        walls = {w: sorted(r["wall_s"] for r in every if r["workers"] == w) for w in (1, 2)}
        med = {w: statistics.median(v) for w, v in walls.items()}
        print(
            f"\nscaling 1 → 2 workers: {med[1] / med[2]:.2f}× median of {len(walls[2])} runs each "
            f"({med[1]:.1f} s / {med[2]:.1f} s), best vs best {runs['1']['wall_s'] / runs['2']['wall_s']:.2f}×"
        )
    print(f"resume: {resume['checked']} documents checked, {resume['skipped']} skipped in {resume['wall_s']:.2f} s")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=40, help="number of input files (default 40)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure")
    ap.add_argument("--repeat", type=int, default=1, help="runs per worker count (interleaved); the fastest is kept")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--json", metavar="FILE", help="also write all measurements as JSON")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args)
        return

    tmp = Path(tempfile.mkdtemp(prefix="reconcile-bench-"))
    try:
        files = build_corpus(tmp / "inputs", args.files)
        size_mb = sum(f.stat().st_size for f in files) / 2**20
        print(f"corpus: {len(files)} files, {size_mb:.1f} MiB in {tmp / 'inputs'}; {os.cpu_count()} CPUs", flush=True)
        runs, every = _measure(args, tmp / "inputs", tmp)
        _print_table(args, runs, every)
        if args.json:
            Path(args.json).write_text(json.dumps({"best": runs, "every": every}, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
