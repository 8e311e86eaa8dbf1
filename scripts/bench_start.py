"""Cold start of ``reconcile check`` against a bare Python start plus the warm check (issue 16).

Entry point kept for the documented command; the code is :mod:`benchmarks.bench_start`
(``python3 -m benchmarks.bench_start`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # benchmarks/ is no installed package

from benchmarks.bench_start import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
