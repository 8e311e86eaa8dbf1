"""Blind mutation benchmark (coverage; writes docs/benchmark_blind.md).

Entry point kept for the documented command; the code is :mod:`benchmarks.bench_blind`
(``python3 -m benchmarks.bench_blind`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# benchmarks/ is no installed package; this checkout's src/ goes before an installed reconcile
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from benchmarks.bench_blind import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
