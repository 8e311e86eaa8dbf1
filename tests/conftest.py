from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconcile.api import check_loaded
from reconcile.document import Document
from reconcile.ingest import load_document
from reconcile.model import Table
from reconcile.report import Report
from reconcile.rules import Rules, load_rules
from reconcile.tables import parse_tables

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
