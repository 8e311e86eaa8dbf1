"""Budget reports of the Beijing template (corpora/templates/beijing) and others: a change written
with its level and its base amount in one sentence (N218, “2026年支出预算29956.27万元，比2025年年初
预算数28479.84万元增加1476.73万元”); the rows of a 收支总表 that carries balances."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document, check_loaded
from reconcile.pdf import load_documents

BEIJING = Path(__file__).resolve().parents[1] / "corpora" / "templates" / "beijing"
PDF2 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf2"


def _n218(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["check"] == "N218"]


def test_the_base_amount_of_a_change_is_checked_by_the_change() -> None:
    stem = "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget"
    doc = load_documents([BEIJING / f"{stem}_narr.pdf", BEIJING / f"{stem}_tables.pdf"])
    report = check_loaded(doc).to_dict()
    found = _n218(report)
    assert [f["status"] for f in found] == ["verified", "verified"]
    assert "9151.31 − 17278.68 = -8,127.37, stated 减少 8127.37" in found[0]["message"]
    by_id = {c["id"]: c for c in report["claims"]}
    base = next(by_id[c] for c in found[0]["claims"] if "base_amount" in (by_id[c].get("flags") or []))
    assert base["value"] == 17278.68 and base["status"] == "verified"


@pytest.mark.slow
def test_a_change_that_is_not_level_minus_base_is_flagged() -> None:
    path = PDF2 / "bj_beijing_sifaju_2026_budget_narr.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared corpus is absent)")
    found = _n218(check_document(path).to_dict())
    # p. 5: 收入预算 … 增加1476.43 (right); p. 7: 支出预算, the same two amounts, 增加1476.73
    assert [(f["status"], f["pages"]) for f in found] == [("verified", [5, 6]), ("inconsistent", [7])]
    assert "29956.27 − 28479.84 = 1,476.43, but the text says 增加 1476.73万元" in found[1]["message"]


@pytest.mark.slow
def test_a_base_in_a_parenthesis_after_the_change_is_its_base() -> None:
    path = PDF2 / "js_suzhou_jiaotong_2026_budget.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared corpus is absent)")
    # p. 36 “…支出186,525.21万元，与上年相比增加186,525.21万元（去年预算数为0万元，无法计算增减比率）”
    found = _n218(check_document(path).to_dict())
    assert [(f["status"], f["message"]) for f in found] == [
        ("verified", "交通运输支出: 186525.21 − 0 = 186,525.21, stated 增加 186525.21")
    ]


def test_a_budget_summary_holds_its_special_account_funds_and_year_end_balance() -> None:
    # 预算01表收支总表: “四、财政专户管理资金收入” on its 收入 side, “年终结转结余” on its 支出 side
    stem = "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget"
    doc = load_documents([BEIJING / f"{stem}_narr.pdf", BEIJING / f"{stem}_tables.pdf"])
    claims = {c["text"]: c for c in check_loaded(doc).to_dict()["claims"]}
    assert claims["财政专户管理资金收入0万元"]["reason"] == (
        "财政专户管理资金 0万元 = T1 预算01表收支总表 [四、财政专户管理资金收入] [预算数] (left blank) 0.00"
    )
    assert (
        claims["结转结余资金0万元"]["reason"]
        == "年末结转和结余 0万元 = T1 预算01表收支总表 [年终结转结余] [预算数] (left blank) 0.00"
    )


@pytest.mark.slow
def test_a_charts_percentages_are_shares_of_amounts_of_their_section() -> None:
    narr, tables = (PDF2 / f"bj_beijing_tuiyijunren_2026_budget_{p}.pdf" for p in ("narr", "tables"))
    if not narr.is_file():
        pytest.skip(f"{narr} is not here (the shared corpus is absent)")
    # “3.55%  96.45%  基本支出 项目支出  图2：基本支出和项目支出情况”: labels come out of order, values do not
    claims = check_loaded(load_documents([narr, tables])).to_dict()["claims"]
    chart = {c["text"][-6:]: c for c in claims if c["quantity"] == "other" and c["unit"] == "%"}
    assert chart["96.45%"]["status"] == "verified"
    assert "1025582.42 / 支出预算 1063371.78 = 96.45%" in chart["96.45%"]["reason"]
    assert all(c["status"] == "verified" for c in chart.values()) and len(chart) == 5


def test_a_numbered_heading_total_is_the_sum_of_the_numbered_items_below_it() -> None:
    # “（一）本年财政拨款收入9142.56万元” ⏎ “1.一般公共预算拨款收入9142.56万元。” “2.…0万元。” “3.…0万元。”,
    # then “（二）本年其他资金收入0万元” ⏎ “4.财政专户管理资金收入0万元。” … “9.其他收入0万元。”
    stem = "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget"
    report = check_loaded(load_documents([BEIJING / f"{stem}_narr.pdf", BEIJING / f"{stem}_tables.pdf"])).to_dict()
    sums = [f["message"] for f in report["findings"] if f["check"] == "N206" and f["status"] == "verified"]
    assert "财政拨款收入: 9142.56 + 0 + 0 = 9,142.56, stated 9142.56万元" in sums
    assert "其他资金: 0 + 0 + 0 + 0 + 0 + 0 = 0.00, stated 0万元" in sums
    [other] = [c for c in report["claims"] if c["text"].startswith("其他资金收入")]
    assert other["status"] == "verified"
