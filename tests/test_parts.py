"""Totals and their parts, on real reports: a 其中 list opened by a count belongs to that
count whatever its categories are called; counts in whole units add up exactly; an item the
rules do not know stands for the one part of its total whose distinctive word it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document

ROOT = Path(__file__).resolve().parents[1] / "corpora"
CHENGGUAN = ROOT / "templates" / "shenzhen" / "gd_shenzhen_chengguan_benji_2026_budget.pdf"
FUZHOU = ROOT / "templates" / "fujian" / "fj_fuzhou_gonganjuxuntejingzhidui_2026_budget.pdf"
WANLI = ROOT / "pdf" / "sh_putuo_wanli_jiedao_2024_budget.pdf"
PDF2 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf2"


def _claim(report: dict[str, Any], text: str) -> dict[str, Any]:
    hits = [c for c in report["claims"] if c["text"].startswith(text)]
    assert hits, f"no claim starting {text!r}"
    return hits[0]


def _sums(report: dict[str, Any], claim_id: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["check"] == "N213" and claim_id in f["claims"]]


@pytest.fixture(scope="module")
def fuzhou() -> dict[str, Any]:
    return check_document(FUZHOU).to_dict()


def test_every_category_listed_after_a_count_is_one_of_its_parts(fuzhou: dict[str, Any]) -> None:
    # “共有车辆144辆，其中：副部（省）级以上领导用车0辆、…其他用车11辆”: the first category is
    # named nowhere in the rules, and still a part
    total = _claim(fuzhou, "共有车辆144辆")
    first = _claim(fuzhou, "副部（省）级以上领导用车0辆")
    assert first["total"] == total["id"]
    assert len(total["components"]) == 8
    [found] = _sums(fuzhou, total["id"])
    assert found["status"] == "verified"
    assert "= 144, stated 144" in found["message"]  # a count is printed as a count, not 144.00


def test_a_count_named_by_its_purpose_opens_its_own_list(fuzhou: dict[str, Any]) -> None:
    # “2026年单位预算安排购置车辆2辆，其中：…特种专业技术用车2辆…”: no rule knows this total
    total = _claim(fuzhou, "单位预算安排购置车辆2辆")
    assert len(total["components"]) == 8
    assert [f["status"] for f in _sums(fuzhou, total["id"])] == ["verified"]


def test_counts_in_whole_units_add_up_exactly() -> None:
    # p33 “地上建筑面积为8013平方米（其中计容面积7998平方米，不计容面积105平方米）”: 7998 + 105 = 8103,
    # which a half-unit rounding interval on each count would have let pass as 8013 ± 1.5
    report = check_document(WANLI).to_dict()
    total = _claim(report, "地上建筑面积为8013平方米")
    [found] = _sums(report, total["id"])
    assert found["status"] == "inconsistent"
    assert "7998 + 105 = 8,103" in found["message"]


@pytest.mark.slow
def test_a_purchase_of_no_vehicle_listing_eighteen_is_flagged() -> None:
    path = PDF2 / "fj_fuzhou_gongan_jiaoguanzhidui_2026_budget.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared corpus is absent)")
    report = check_document(path).to_dict()
    total = _claim(report, "单位预算安排购置车辆0辆")
    [found] = _sums(report, total["id"])
    assert found["status"] == "inconsistent" and found["pages"] == [37]


def test_an_item_named_by_the_distinctive_word_of_a_part_is_that_part() -> None:
    # p. 10 “政府采购项目共有2,328.79万元，其中：货物类项目85.22万元、工程类项目0.00万元、服务类项目2,243.57万元”:
    # the parts of 政府采购支出总额 are 政府采购货物支出, …工程…, …服务…; 货物类项目 holds 货物 only
    report = check_document(CHENGGUAN).to_dict()
    total = _claim(report, "政府采购项目共有2,328.79万元")
    [found] = [f for f in report["findings"] if f["check"] == "N206" and total["id"] in f["claims"]]
    assert found["status"] == "verified"
    assert found["message"] == "政府采购支出总额: 85.22 + 0.00 + 2243.57 = 2,328.79, stated 2328.79"
    for text in ("货物类项目85.22万元", "工程类项目0.00万元", "服务类项目2,243.57万元"):
        assert _claim(report, text)["status"] == "verified"


def test_a_known_subject_with_the_distinctive_word_of_one_of_its_parts_names_that_part() -> None:
    # Xi'an p. 8 “政府采购预算共39,132.83万元，其中政府采购货物类预算13,309.90万元、政府采购服务类预算
    # 24,448.56万元、政府采购工程类预算1,374.37万元”: 政府采购 + 货物类预算 is 政府采购货物支出
    report = check_document(ROOT / "templates" / "xian" / "sn_xian_gonganju_2026_budget.pdf").to_dict()
    goods = _claim(report, "政府采购货物类预算13,309.90万元")
    assert goods["subject"] == "政府采购货物支出" and goods["status"] == "verified"
    total = _claim(report, "政府采购预算共39,132.83万元")
    [found] = [f for f in report["findings"] if f["check"] == "N206" and total["id"] in f["claims"]]
    assert found["message"] == "政府采购支出总额: 13309.90 + 24448.56 + 1374.37 = 39,132.83, stated 39132.83"
