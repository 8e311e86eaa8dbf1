"""The house rules the code answers to: short functions, modules readable in one sitting,
stages in modules named for them, no benchmark code in the runtime package, no Chinese
cue words hard-coded where rules/ should hold them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "reconcile"
MAX_FUNCTION_LINES = 80  # a screen or two
MAX_MODULE_LINES = 700  # one sitting

# one module or package per pipeline stage, named for the domain noun
STAGES = (
    "ingest",
    "pdf",
    "document",
    "tables",
    "model",
    "identities",
    "sections",
    "claims",
    "match",
    "checks",
    "findings",
    "report",
    "render",
    "rules",
    "numbers",
    "batch",
    "store",
    "crossyear",
    "cli",
    "api",
)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _functions(path: Path) -> list[tuple[str, int, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (n.name, n.lineno, (n.end_lineno or n.lineno) - n.lineno + 1)
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_no_function_is_longer_than_a_screen_or_two() -> None:
    long = [
        f"{p.relative_to(ROOT)}:{line} {name} ({n} lines)"
        for p in _modules()
        for name, line, n in _functions(p)
        if n > MAX_FUNCTION_LINES
    ]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


def test_every_module_can_be_read_in_one_sitting() -> None:
    big = [
        f"{p.relative_to(ROOT)} ({n} lines)"
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not big, f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(big)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_its_module(stage: str) -> None:
    assert (PACKAGE / f"{stage}.py").is_file() or (PACKAGE / stage / "__init__.py").is_file()


def test_the_package_carries_no_benchmark_code() -> None:
    for p in _modules():
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "benchmarks" for n in names), p
    assert not (PACKAGE / "mutation.py").exists() and not (PACKAGE / "evaluation.py").exists()
