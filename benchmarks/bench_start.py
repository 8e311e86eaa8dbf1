"""Cold start of ``reconcile check``: a whole process against a bare Python start plus the warm check.

Every measure is a fresh process, run side by side and alternated (A B C … A B C …) for
``--rounds`` rounds; the table gives the median (and the range) of each:

* ``python3 -c "import regex"``: a bare interpreter start that imports one C extension;
* the warm check: in one process, seed 004 is checked once (warm-up: imports, rules, the
  spaCy/jieba pipeline), then checked again and timed (``check_document`` + ``to_dict``);
* ``import reconcile.cli``: the time of that import alone, in a fresh process;
* a cold ``reconcile check SEED --format json`` (what the console script runs), with a warm
  disk cache (``RECONCILE_CACHE_DIR`` primed by one run before the rounds) and with an empty
  one (a new directory each round); its peak RSS is given too.

The target of issue 16: cold check (warm cache) ≤ 3 × (bare start + warm check).

    python3 scripts/bench_start.py                       # this tree, 7 rounds
    python3 scripts/bench_start.py --rounds 11 --src before=/tmp/base/src --src after=src

``--src LABEL=DIR`` measures the package found in DIR (a ``src`` folder), several side by side
(say the tree before a change and after it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seeds" / "004_6d6ee4970fc0bf0d.txt"

BARE = "import regex"
WARM = """
import sys, time
import reconcile
reconcile.check_document(sys.argv[1]).to_dict()
t = time.perf_counter()
reconcile.check_document(sys.argv[1]).to_dict()
print(time.perf_counter() - t)
"""
IMPORT = """
import time
t = time.perf_counter()
import reconcile.cli
print(time.perf_counter() - t)
"""
CHECK = "import sys; from reconcile.cli import main; sys.exit(main())"


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def run(code: str, args: list[str], env: dict[str, str], *, report: bool = False) -> tuple[float, float]:
    """Wall seconds of one process (or the seconds it prints, when ``report``) and its peak RSS in MB."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench_start: {code.splitlines()[-1]!r} exited {proc.returncode}")
    seconds = float(out.decode().strip().splitlines()[-1]) if report else wall
    return seconds, usage.ru_maxrss / 1024


def environment(src: str | None, cache: str, pycache: str | None) -> dict[str, str]:
    """The environment of a measured process: ``src`` first on the path, ``cache`` as the
    disk cache, and bytecode written to and read from ``pycache`` (None: as this shell has it)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve())
    env["RECONCILE_CACHE_DIR"] = cache
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def measures(srcs: dict[str, str | None]) -> dict[str, tuple[str, list[str], str | None]]:
    """name → (code, arguments, source label or None for the bare start)."""
    out: dict[str, tuple[str, list[str], str | None]] = {"bare start (import regex)": (BARE, [], None)}
    for label in srcs:
        tag = f" [{label}]" if len(srcs) > 1 else ""
        out[f"warm check{tag}"] = (WARM, [str(SEED)], label)
        out[f"import reconcile.cli{tag}"] = (IMPORT, [], label)
        out[f"cold check, warm cache{tag}"] = (CHECK, ["check", str(SEED), "--format", "json"], label)
        out[f"cold check, empty cache{tag}"] = (CHECK, ["check", str(SEED), "--format", "json"], label)
    return out


def bench(srcs: dict[str, str | None], rounds: int, bytecode: bool) -> dict[str, Sample]:
    samples: dict[str, Sample] = {}
    with tempfile.TemporaryDirectory(prefix="bench_start_") as tmp:
        pycache = os.path.join(tmp, "pycache") if bytecode else None
        warm_caches = {label: os.path.join(tmp, f"warm_{i}") for i, label in enumerate(srcs)}
        table = measures(srcs)
        for r in range(-1, rounds):  # round -1 primes the warm caches and the bytecode, and is not counted
            for name, (code, args, label) in table.items():
                src = srcs[label] if label is not None else None
                cache = warm_caches[label] if label is not None else os.path.join(tmp, "none")
                if "empty cache" in name:
                    cache = os.path.join(tmp, f"empty_{r}")
                seconds, rss = run(code, args, environment(src, cache, pycache), report=code in (WARM, IMPORT))
                if "empty cache" in name:
                    shutil.rmtree(cache, ignore_errors=True)
                if r >= 0:
                    s = samples.setdefault(name, Sample())
                    s.seconds.append(seconds)
                    s.rss_mb.append(rss)
            print(f"round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return samples


def table(samples: dict[str, Sample], srcs: dict[str, str | None]) -> str:
    lines = ["| measure | median s | min s | max s | peak RSS MB |", "|---|---:|---:|---:|---:|"]
    for name, s in samples.items():
        med = statistics.median(s.seconds)
        rss = f"{statistics.median(s.rss_mb):.0f}" if "cold" in name or "bare" in name else ""
        lines.append(f"| {name} | {med:.3f} | {min(s.seconds):.3f} | {max(s.seconds):.3f} | {rss} |")
    bare = statistics.median(samples["bare start (import regex)"].seconds)
    lines.append("")
    for label in srcs:
        tag = f" [{label}]" if len(srcs) > 1 else ""
        warm = statistics.median(samples[f"warm check{tag}"].seconds)
        cold = statistics.median(samples[f"cold check, warm cache{tag}"].seconds)
        budget = 3 * (bare + warm)
        verdict = "met" if cold <= budget else "not met"
        lines.append(
            f"- {label or 'this tree'}: cold check (warm cache) {cold:.3f} s = "
            f"{cold / (bare + warm):.2f} × (bare start + warm check = {bare + warm:.3f} s); "
            f"target ≤ 3× ({budget:.3f} s): {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--src", action="append", metavar="LABEL=DIR", help="a src folder to measure (repeatable)")
    ap.add_argument(
        "--as-is",
        action="store_true",
        help="keep this shell's bytecode setting (by default bytecode is cached in a temporary PYTHONPYCACHEPREFIX, "
        "as an installed package has its .pyc files, even under PYTHONDONTWRITEBYTECODE=1)",
    )
    args = ap.parse_args(argv)
    srcs: dict[str, str | None] = {}
    for item in args.src or []:
        label, _, directory = item.partition("=")
        srcs[label] = directory or None
    if not srcs:
        srcs = {"": str(ROOT / "src")}
    print(table(bench(srcs, args.rounds, bytecode=not args.as_is), srcs))
    bytecode = "as this shell has it" if args.as_is else "cached (PYTHONPYCACHEPREFIX)"
    print(
        f"\n{args.rounds} rounds, alternated; bytecode {bytecode}; {time.strftime('%Y-%m-%d')}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
