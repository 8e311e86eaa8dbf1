"""Readers that carry over to any province, on real files (Shenzhen's 2026 部门预算: 收支总表,
收入总表, 支出总表 … with no number before the title)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document, check_text
from reconcile.ingest import load_document
from reconcile.model import Table
from reconcile.rules import Rules
from reconcile.tables import parse_tables

ROOT = Path(__file__).resolve().parents[1]
SZ = ROOT / "corpora" / "templates" / "shenzhen"
FAGAIWEI = SZ / "gd_shenzhen_fagaiwei_benji_2026_budget.pdf"
CHENGGUAN = SZ / "gd_shenzhen_chengguan_benji_2026_budget.pdf"
JIANZHU = SZ / "gd_shenzhen_jianzhugongwushu_2026_budget.pdf"


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    return {p.stem: check_document(p).to_dict() for p in (FAGAIWEI, CHENGGUAN, JIANZHU)}


def _table(path: Path, kind: str, rules: Rules) -> Table:
    return next(t for t in parse_tables(load_document(path), rules) if t.kind == kind)


def test_the_2026_titles_are_found_and_raise_no_flag(reports: dict[str, dict[str, Any]]) -> None:
    kinds = {"budget_summary", "budget_income", "budget_expenditure", "budget_fiscal_summary", "budget_basic"}
    for report in reports.values():
        assert kinds <= {t["kind"] for t in report["tables"]}
        assert not [f for f in report["findings"] if f["status"] == "inconsistent"]


def test_decimals_wrapped_in_their_cell_are_one_number(rules: Rules) -> None:
    """项目支出总表 prints “1,263,231.7 8” (the last digit wrapped in its cell)."""
    table = _table(FAGAIWEI, "budget_project", rules)
    row = next(r for r in table.rows if r.label.startswith("深圳市发展和改革委员会"))
    values = {c.value for c in row.cells.values()}
    assert Decimal("1263231.78") in values and Decimal("1263231.70") not in values


def test_a_subset_column_is_not_a_part_and_pages_keep_their_block(rules: Rules) -> None:
    """支出总表: 2026年政府采购项目 小计 with two 其中 columns; the table runs over three pages."""
    table = _table(CHENGGUAN, "budget_expenditure", rules)
    assert len(table.blocks()) == 1 and len(table.pages) >= 3
    codes = [r.code for r in table.rows]
    assert {"20805", "20808", "20819"} <= set(codes)  # 208's 款 on both sides of a page break


def test_counts_at_two_stated_times_are_two_quantities(reports: dict[str, dict[str, Any]]) -> None:
    """“2025年年初本部门共有公务用车9辆，…截至2025年10月共有公务用车5辆”: no N212."""
    report = reports[JIANZHU.stem]
    cars = [
        c
        for c in report["claims"]
        if c["subject"] == "公务用车保有量" or ("公务用车" in c["text"] and "辆" in c["text"])
    ]
    assert {c["value"] for c in cars} >= {9, 5}
    assert not [f for f in report["findings"] if f["check"] == "N212"]


def test_one_count_stated_twice_at_no_time_is_still_flagged() -> None:
    text = "一、说明\n本部门共有公务用车9辆。\n二、其他\n本部门公务用车5辆。\n"
    flags = [f for f in check_text(text).to_dict()["findings"] if f["check"] == "N212"]
    assert len(flags) == 1
