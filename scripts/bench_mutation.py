"""Mutation benchmark and gold benchmark for the narrative checks (writes docs/benchmark.md).

Entry point kept for the documented command; the code is :mod:`benchmarks.bench_mutation`
(``python3 -m benchmarks.bench_mutation`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# benchmarks/ is no installed package; this checkout's src/ goes before an installed reconcile
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from benchmarks.bench_mutation import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
