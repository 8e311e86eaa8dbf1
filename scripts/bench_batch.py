"""Benchmark ``reconcile batch``: throughput with 1 and 2 workers, resume cost, peak memory.

Entry point kept for the documented command; the code is :mod:`benchmarks.bench_batch`
(``python3 -m benchmarks.bench_batch`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # benchmarks/ is no installed package

from benchmarks.bench_batch import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
