"""Render the seed reports to PDF, the way reports are published: the project's PDF test corpus.

Entry point kept for the documented command; the code is :mod:`benchmarks.render_seeds`
(``python3 -m benchmarks.render_seeds`` from the repository root does the same).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is no installed package
try:  # the package is installed in development mode; fall back to src/ when run from a checkout
    import reconcile  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT / "src"))

from benchmarks.render_seeds import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
