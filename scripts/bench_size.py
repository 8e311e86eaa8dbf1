"""Check time per KB from 10 KB to 1 MB (linear claim extraction).

Entry point kept for the documented command; the code is :mod:`benchmarks.bench_size`
(``python3 -m benchmarks.bench_size`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # benchmarks/ is no installed package

from benchmarks.bench_size import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
