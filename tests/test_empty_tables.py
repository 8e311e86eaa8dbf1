"""Budget tables read on real reports: a fund's table printed empty holds that fund's zero (Shanghai
prints the 政府性基金 and 国有资本经营 function tables with a blank 合计 row, Fujian with 0.00); a
三公 table of one row per item, and items named by the heading line above them (Fujian)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document

TEMPLATES = Path(__file__).resolve().parents[1] / "corpora" / "templates"


def _claims(report: dict[str, Any], start: str) -> list[dict[str, Any]]:
    return [c for c in report["claims"] if c["text"].startswith(start)]


@pytest.fixture(scope="module")
def shanghai() -> dict[str, Any]:
    return check_document(TEMPLATES / "shanghai" / "sh_shanghai_wenwubaohuyanjiuzhongxin_2026_budget.pdf").to_dict()


def test_a_table_printed_empty_is_read_with_its_blank_total_row(shanghai: dict[str, Any]) -> None:
    kinds = {t["kind"]: t for t in shanghai["tables"]}
    for kind in ("budget_gov_fund", "budget_state_capital"):
        assert kinds[kind]["rows"] == 1  # “合计” with every cell blank
    assert not [f for f in shanghai["findings"] if f["status"] == "inconsistent" and f["check"].startswith("T")]


def test_a_zero_of_a_fund_is_verified_against_its_empty_table(shanghai: dict[str, Any]) -> None:
    # “政府性基金拨款支出预算为0；国有资本经营预算拨款支出预算为0” (no unit: a zero needs none)
    for start, table in (
        ("政府性基金拨款支出预算为0", "政府性基金预算支出功能分类预算表"),
        ("国有资本经营预算拨款支出预算为0", "国有资本经营预算支出功能分类预算表"),
    ):
        [c] = _claims(shanghai, start)
        assert c["status"] == "verified"
        assert table in c["reason"] and "(left blank)" in c["reason"]
    assert not [f for f in shanghai["findings"] if f["check"] == "N210"]


def test_no_spending_of_a_fund_is_verified_against_its_budget_table() -> None:
    report = check_document(TEMPLATES / "fujian" / "fj_fuzhou_gonganjuxuntejingzhidui_2026_budget.pdf").to_dict()
    for start, table in (
        ("没有使用政府性基金", "政府性基金预算拨款支出预算表"),
        ("没有使用国有资本经营", "国有资本经营预算拨款支出预算表"),
    ):
        [c] = _claims(report, start)
        assert c["status"] == "verified" and table in c["reason"]


def test_an_item_headed_by_its_own_line_is_read_in_a_table_of_one_row_per_item() -> None:
    # p. 22 “（二）公务接待费” ⏎ “2026年预算安排4.12万元…”: the heading line names the item; the 三公
    # table prints one row per item with one 预算数 column
    report = check_document(TEMPLATES / "fujian" / "fj_fuzhou_gonganjuxuntejingzhidui_2026_budget.pdf").to_dict()
    [c] = _claims(report, "预算安排4.12万元")
    assert c["subject"] == "公务接待费" and c["status"] == "verified"
    assert c["reason"].endswith('T9 一般公共预算"三公"经费支出预算表 [2、公务接待费] [预算数] 4.12')
