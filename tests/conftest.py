from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from reconcile.api import check_loaded
from reconcile.document import Document
from reconcile.ingest import load_document
from reconcile.model import Table
from reconcile.report import Report
from reconcile.rules import Rules, load_rules
from reconcile.tables import parse_tables

# the disk cache of the cold start (reconcile.cache): one directory per test session (its
# subprocesses included), never the user's
if "RECONCILE_CACHE_DIR" not in os.environ:
    os.environ["RECONCILE_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="reconcile-test-cache-")
    atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
SCHEMA = ROOT / "corpora" / "report.schema.json"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(ROOT / "rules")


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    return {p.name[:3]: load_document(p) for p in SEEDS}


@pytest.fixture(scope="session")
def seed_tables(seed_docs: dict[str, Document], rules: Rules) -> dict[str, list[Table]]:
    return {k: parse_tables(d, rules) for k, d in seed_docs.items()}


@pytest.fixture(scope="session")
def seed_reports(seed_docs: dict[str, Document], rules: Rules) -> dict[str, Report]:
    return {k: check_loaded(d, rules) for k, d in seed_docs.items()}


@pytest.fixture(scope="session")
def schema() -> dict[str, object]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- test tiers
# A plain `pytest` runs the fast layers. Slow corpus-wide tests (marked `slow`, or using a
# fixture that reads every corpus PDF) and browser tests (`browser`) run with `pytest --all`,
# which is what CI and the README's test command run; `-m EXPR` selects as usual.
SLOW_FIXTURES = frozenset({"corpus"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--all", action="store_true", help="also run the slow corpus and browser tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if config.getoption("--all") or config.getoption("-m"):
        return
    slow = [bool(i.get_closest_marker("slow") or i.get_closest_marker("browser")) for i in items]
    if any(slow):
        config.hook.pytest_deselected(items=[i for i, s in zip(items, slow, strict=True) if s])
        items[:] = [i for i, s in zip(items, slow, strict=True) if not s]
