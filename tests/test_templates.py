"""Templates on real files: Beijing's 部门预算 tables read through rules/templates/beijing_budget.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document
from reconcile.identities.numbering import depths
from reconcile.rules import Rules, load_rules

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
        assert KINDS <= {t["kind"] for t in report["tables"]}
        assert {t["template"] for t in report["tables"]} == {"beijing_budget"}


def test_only_the_printed_gap_is_flagged(junmin: dict[str, Any]) -> None:
    """预算01表 and 预算04表 list 支出 items that add up to 7,246.309668 under 本年支出合计 9,151.309668."""
    flags = _inconsistent(junmin)
    assert [f["check"] for f in flags] == ["T105", "T105"]
    assert all(f["expected"] == 9151.309668 and "difference 1,905.00" in f["message"] for f in flags)


def test_three_public_columns_by_header_and_no_flag(sifaju: dict[str, Any]) -> None:
    """The first column, “三公”经费财政拨款预算总额, is the total; 公务接待费 stands before 公务用车."""
    table = next(t for t in sifaju["tables"] if t["kind"] == "budget_three_public")
    cells = {c["column"]: c["value"] for r in table["rows"] for c in r["cells"]}
    assert cells["合计"] == 102.109787 and cells["公务接待费"] == 2.813064
    assert cells["公务用车购置及运行维护费/小计"] == 51.059723
    assert not _inconsistent(sifaju)


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
    """Without `excludes`, the national b1_b2_income (本年收入合计 = 收入表 合计) would flag Beijing."""
    general = _copy(tmp_path, "excludes: [b1_b2_income]", "excludes: []")
    flags = _inconsistent(check_document(SIFAJU, rules=general).to_dict(), "T108")
    assert any("收入总体情况表 合计" in f["message"] for f in flags)


@pytest.mark.skipif(not SHUIWU.is_file(), reason="needs ../shared/corpus/pdf2 (a table continued to the right)")
def test_table_continued_to_the_right_is_joined() -> None:
    report = check_document(SHUIWU).to_dict()
    table = next(t for t in report["tables"] if t["kind"] == "budget_income")
    assert len(table["rows"]) == 1
    cells = {c["column"]: c["value"] for c in table["rows"][0]["cells"]}
    assert cells["合计"] == 1048475.725671 and cells["其他收入"] == 2934.108891
    assert cells["上年结转结余/小计"] == 55856.549576
    assert not _inconsistent(report)


def test_numbered_rows_read_as_nested_lists() -> None:
    labels = ["一、本年支出", "一、一般公共服务支出", "二、外交支出", "二、年终结转结余", "支出总计"]
    assert depths(labels) == [1, 2, 2, 1, 0]
    assert depths(["一、本年收入", "（一）一般公共预算资金", "二、上年结转", "（一）一般公共预算拨款"]) == [1, 2, 1, 2]
    assert depths(["三、其他"]) == [None]
