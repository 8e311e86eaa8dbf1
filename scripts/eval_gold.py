"""Score reconcile against the gold annotations in corpora/gold/.

Entry point kept for the documented command; the code is :mod:`benchmarks.eval_gold`
(``python3 -m benchmarks.eval_gold`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # benchmarks/ is no installed package

from benchmarks.eval_gold import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
