"""Running a benchmark module again in a fresh child process (for its own timing and peak RSS)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_command(module: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """Command and environment of ``python -m module args`` with the repository root importable
    (``benchmarks`` is no installed package), whatever the current directory."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return [sys.executable, "-m", module, *args], {**os.environ, "PYTHONPATH": path}
