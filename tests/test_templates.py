"""Templates on real files: Beijing's 部门预算 tables read through rules/templates/beijing_budget.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document
from reconcile.identities.numbering import depths
from reconcile.ingest import load_document
from reconcile.model import Table
from reconcile.rules import Rules, load_rules
from reconcile.tables import parse_tables

ROOT = Path(__file__).resolve().parents[1]
BJ = ROOT / "corpora" / "templates" / "beijing"
JUNMIN = BJ / "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget_tables.pdf"
SIFAJU = BJ / "bj_beijing_sifaju_2026_budget_tables.pdf"
SHUIWU = ROOT.parent / "shared" / "corpus" / "pdf2" / "bj_beijing_shuiwuju_2026_budget_tables.pdf"
KINDS = {
    "budget_summary",
    "budget_income",
    "budget_expenditure",
    "budget_fiscal_summary",
    "budget_gpb_expenditure",
    "budget_gpb_basic",
    "budget_three_public",
}


@pytest.fixture(scope="module")
def junmin() -> dict[str, Any]:
    return check_document(JUNMIN).to_dict()


@pytest.fixture(scope="module")
def sifaju() -> dict[str, Any]:
    return check_document(SIFAJU).to_dict()


def _inconsistent(report: dict[str, Any], check: str | None = None) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["status"] == "inconsistent" and (check is None or f["check"] == check)]


def _copy(tmp_path: Path, old: str, new: str) -> Rules:
    d = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", d)
    p = d / "templates" / "beijing_budget.yaml"
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new), encoding="utf-8")
    return load_rules(d)


def test_beijing_tables_are_found_with_their_kind_and_template(junmin: dict[str, Any], sifaju: dict[str, Any]) -> None:
    for report in (junmin, sifaju):
        assert {t["kind"] for t in report["tables"]} >= KINDS
        assert {t["template"] for t in report["tables"]} == {"beijing_budget"}


def test_only_the_printed_gap_is_flagged(junmin: dict[str, Any]) -> None:
    """预算01表 and 预算04表 list 支出 items that add up to 7,246.309668 under 本年支出合计 9,151.309668."""
    flags = _inconsistent(junmin)
    assert [f["check"] for f in flags] == ["T105", "T105"]
    assert all(f["observed"] == 9151.309668 and f["expected"] == 7246.309668 for f in flags)


def _table(path: Path, kind: str, rules: Rules) -> Table:
    return next(t for t in parse_tables(load_document(path), rules) if t.kind == kind)


def _values(table: Table) -> dict[str, float | None]:
    (row,) = table.rows
    return {k: float(c.value) if c.value is not None else None for k, c in row.cells.items()}


def test_three_public_columns_by_header_and_no_flag(sifaju: dict[str, Any], rules: Rules) -> None:
    """The first column, “三公”经费财政拨款预算总额, is the total; 公务接待费 stands before 公务用车."""
    cells = _values(_table(SIFAJU, "budget_three_public", rules))
    assert cells["合计"] == 102.109787 and cells["公务接待费"] == 2.813064
    assert cells["公务用车购置及运行维护费/小计"] == 51.059723
    assert not _inconsistent(sifaju)


def test_a_blank_car_subtotal_is_not_zero(junmin: dict[str, Any], rules: Rules) -> None:
    """预算09表 leaves 公务用车 小计 blank beside 购置费 18.69 and 运行维护费 4.83: 合计 40.77 holds."""
    cells = _values(_table(JUNMIN, "budget_three_public", rules))
    assert cells["公务用车购置及运行维护费/小计"] is None and cells["合计"] == 40.77
    assert not _inconsistent(junmin, "T107")


def test_template_row_sums_apply_to_the_templates_tables_only(rules: Rules) -> None:
    bj = rules.table_kind("budget_expenditure", "beijing_budget")
    general = rules.table_kind("budget_expenditure")
    assert bj is not None and general is not None
    assert bj.template == "beijing_budget" and bj.row_sums and bj.row_sums != general.row_sums


def test_template_equality_is_checked(tmp_path: Path) -> None:
    """Pointing bj_b1_b2_income at 收入总表 合计 (which includes 上年结转结余) must flag it."""
    broken = _copy(tmp_path, "column: '(本年收入/)?小计'", "column: 合计")
    flags = _inconsistent(check_document(SIFAJU, rules=broken).to_dict(), "T108")
    assert len(flags) == 1 and "收入总表 本年收入 小计" in flags[0]["message"]


def test_excluded_general_equality_does_not_hold_here(tmp_path: Path) -> None:
    """The national b1_b2_income (本年收入合计 = 收入表 合计) does not hold for Beijing's tables: without
    its carry-over condition it is still excluded by the template; without both it would flag."""
    d = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", d)
    national = d / "templates" / "national_budget.yaml"
    text = national.read_text(encoding="utf-8")
    assert "    unless: [{table: budget_summary" in text
    national.write_text("\n".join(x for x in text.splitlines() if not x.startswith("    unless:")), encoding="utf-8")
    assert not _inconsistent(check_document(SIFAJU, rules=load_rules(d)).to_dict(), "T108")
    beijing = d / "templates" / "beijing_budget.yaml"
    beijing.write_text(
        beijing.read_text(encoding="utf-8").replace("excludes: [b1_b2_income]", "excludes: []"), encoding="utf-8"
    )
    flags = _inconsistent(check_document(SIFAJU, rules=load_rules(d)).to_dict(), "T108")
    assert any("收入总体情况表 合计" in f["message"] for f in flags)


@pytest.mark.skipif(not SHUIWU.is_file(), reason="needs ../shared/corpus/pdf2 (a table continued to the right)")
def test_table_continued_to_the_right_is_joined(rules: Rules) -> None:
    table = _table(SHUIWU, "budget_income", rules)
    cells = _values(table)
    assert cells["合计"] == 1048475.725671 and cells["其他收入"] == 2934.108891
    assert cells["上年结转结余/小计"] == 55856.549576
    assert table.column_paths["其他收入"] == ("本年收入", "其他收入")  # the merged header cell runs on
    assert not _inconsistent(check_document(SHUIWU).to_dict())


def test_numbered_rows_read_as_nested_lists() -> None:
    labels = ["一、本年支出", "一、一般公共服务支出", "二、外交支出", "二、年终结转结余", "支出总计"]
    assert depths(labels) == [1, 2, 2, 1, 0]
    assert depths(["一、本年收入", "（一）一般公共预算资金", "二、上年结转", "（一）一般公共预算拨款"]) == [1, 2, 1, 2]
    assert depths(["三、其他"]) == [None]
