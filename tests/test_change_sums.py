"""The changes of a total and of all its parts against one base add up (N219), on real reports
(Shenzhen: “三公”经费预算148.80万元，较2025年年初预算增加102.72万元, then each part under its own
heading); what covers all of a subject (所有项目支出…，涉及预算资金X) is that subject's total."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document, check_loaded
from reconcile.ingest import load_document

SHENZHEN = Path(__file__).resolve().parents[1] / "corpora" / "templates" / "shenzhen"
CHENGGUAN = SHENZHEN / "gd_shenzhen_chengguan_benji_2026_budget.pdf"


def _change_sums(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["check"] == "N219"]


@pytest.fixture(scope="module")
def chengguan() -> dict[str, Any]:
    return check_document(CHENGGUAN).to_dict()


def test_the_parts_changes_add_up_to_the_totals(chengguan: dict[str, Any]) -> None:
    [found] = _change_sums(chengguan)
    assert found["status"] == "verified"
    assert found["message"] == "三公经费: its parts' changes 65.80 − 2.08 + 39.00 + 0.00 = 102.72, stated 102.72"
    assert found["pages"] == [10, 11]
    # the changes are no longer “a change whose base year amount is not in this document”
    by_id = {c["id"]: c for c in chengguan["claims"]}
    changes = [by_id[c] for c in found["claims"] if by_id[c]["quantity"] == "change"]
    assert len(changes) == 5 and all(c["status"] == "verified" for c in changes)


def test_a_part_whose_change_does_not_fit_is_flagged() -> None:
    doc = load_document(CHENGGUAN)
    text = doc.text.replace("较2025年年初预算增加39.00万元", "较2025年年初预算增加93.00万元")
    assert text != doc.text
    report = check_loaded(dataclasses.replace(doc, text=text))  # the same length: pages and places hold
    [found] = _change_sums(report.to_dict())
    assert found["status"] == "inconsistent"
    assert "65.80 − 2.08 + 93.00 + 0.00 = 156.72 (difference -54.00)" in found["message"]


def test_an_unchanged_part_is_a_change_of_zero() -> None:
    # sh_putuo_wanli_jiedao p. 32: 三公 +25 (the car purchase), 因公出国 and 公务接待费 “与2023年预算持平”
    wanli = Path(__file__).resolve().parents[1] / "corpora" / "pdf" / "sh_putuo_wanli_jiedao_2024_budget.pdf"
    found = [
        f for f in _change_sums(check_document(wanli).to_dict()) if "公务" in f["message"] or "三公" in f["message"]
    ]
    assert [(f["status"], f["message"]) for f in found] == [
        ("verified", "三公经费: its parts' changes 0 (持平) + 25 + 0 (持平) = 25, stated 25"),
        ("verified", "公务用车购置及运行维护费: its parts' changes 25 + 0 (持平) = 25, stated 25"),
    ]


def test_an_equality_word_with_its_base_is_a_change_of_zero() -> None:
    # js_wuxi_fagaiwei p. 36: “…与上年预算数相同” for the 三公 and each of its parts
    wuxi = (
        Path(__file__).resolve().parents[1] / "corpora" / "templates" / "jiangsu" / "js_wuxi_fagaiwei_2025_budget.pdf"
    )
    found = {f["message"].split(":")[0]: f for f in _change_sums(check_document(wuxi).to_dict())}
    assert found["三公经费"]["status"] == "verified"
    assert found["三公经费"]["message"].endswith("0 (相同) + 0 (相同) + 0 (相同) + 0 (相同) = 0, stated 0 (相同)")


def test_what_covers_all_of_a_subject_is_that_subjects_total(chengguan: dict[str, Any]) -> None:
    # “所有项目支出预算纳入部门预算绩效管理，涉及预算资金5,418.22万元”: all of 项目支出, whose total
    # row in 支出总表 is labelled with the unit's name (its amounts are the sum of the 类 rows)
    [c] = [c for c in chengguan["claims"] if c["text"].startswith("涉及预算资金")]
    assert c["status"] == "verified"
    assert c["reason"].endswith("= T3 支出总表 [深圳市城市管理和综合执法局（本级）] [项目支出] 5,418.22")


def test_the_income_total_changes_as_its_sources_do() -> None:
    # js_wuxi_fagaiwei p. 31-32: 收、支预算总计各减少5,951.66万元; below it 一般公共预算拨款收入 −5,951.66 and
    # every other source and the carry-over “与上年预算数相同”: 收入总计 = 本年收入合计 + 年初结转和结余,
    # 本年收入合计 = 财政拨款收入 + 其他资金 (all the other sources: rules/subjects.yaml)
    wuxi = (
        Path(__file__).resolve().parents[1] / "corpora" / "templates" / "jiangsu" / "js_wuxi_fagaiwei_2025_budget.pdf"
    )
    found = {f["message"].split(":")[0]: f for f in _change_sums(check_document(wuxi).to_dict())}
    assert found["收入总计"]["status"] == "verified"
    assert found["收入总计"]["message"].endswith("= -5,951.66, stated -5951.66")
    assert found["收入总计"]["message"].count("0 (相同)") == 9
