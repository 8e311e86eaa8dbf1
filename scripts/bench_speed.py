"""Benchmark the PDF path against bare pdfplumber, batches against another checkout, growth with size.

Entry point kept for the documented command; the code is :mod:`benchmarks.bench_speed`
(``python3 -m benchmarks.bench_speed`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # benchmarks/ is no installed package

from benchmarks.bench_speed import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
