"""The structure of the narrative and of the tables, on real reports of four provinces
(corpora/templates/): whose total a 其中 list, a change or a 占% belongs to; a subject
qualified by 的; totals that count the carry-over; hedged equalities; zeros without unit;
truncated amounts; a 三公 table whose header tree has 上年 / 当年 / 增减 groups."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_document, check_loaded, check_text
from reconcile.ingest import load_document
from reconcile.pdf import load_documents
from reconcile.rules import load_rules
from reconcile.store.regions import Region, derive_region
from reconcile.tables import parse_tables

ROOT = Path(__file__).resolve().parents[1] / "corpora" / "templates"
WUXI = ROOT / "jiangsu" / "js_wuxi_fagaiwei_2025_budget.pdf"
XIAN = ROOT / "xian" / "sn_xian_gonganju_2026_budget.pdf"
SHANGHAI = ROOT / "shanghai" / "sh_shanghai_wenwubaohuyanjiuzhongxin_2026_budget.pdf"
GUANGZHOU = ROOT / "guangzhou" / "gd_guangzhou_xuanchuanbu_2026_budget.pdf"


@pytest.fixture(scope="module")
def wuxi() -> dict[str, Any]:
    return check_document(WUXI).to_dict()


@pytest.fixture(scope="module")
def xian() -> dict[str, Any]:
    return check_document(XIAN).to_dict()


def _claim(report: dict[str, Any], text: str, quantity: str | None = None) -> dict[str, Any]:
    hits = [c for c in report["claims"] if text in c["text"] and (quantity is None or c["quantity"] == quantity)]
    assert hits, f"no claim with {text!r}"
    return hits[0]


def _findings(report: dict[str, Any], claim_id: str, check: str | None = None) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if claim_id in f["claims"] and (check is None or f["check"] == check)]


def test_a_list_after_a_sentence_of_several_totals_goes_to_the_total_that_holds_its_items(
    wuxi: dict[str, Any],
) -> None:
    # “收入预算合计9,947.88万元，包括本年收入…，上年结转结余0万元。其中：本年一般公共预算收入…，占100%”
    total = _claim(wuxi, "收入预算合计")
    item = _claim(wuxi, "一般公共预算收入9,947.88")
    assert item["total"] == total["id"]
    share = next(c for c in wuxi["claims"] if c["quantity"] == "share" and c["span"][0] > item["span"][0])
    assert [f["status"] for f in _findings(wuxi, share["id"], "N204")] == ["verified"]
    assert wuxi["summary"]["inconsistent_findings"] == 0


def test_a_subject_qualified_by_de_is_not_the_subject_before_it(wuxi: dict[str, Any]) -> None:
    # “上年结转结余的一般公共预算收入0万元” is a part of the carry-over, not the carry-over
    c = _claim(wuxi, "上年结转结余的一般公共预算收入")
    assert c["subject"] != "年初结转和结余"
    assert not any(f["check"] == "N201" for f in _findings(wuxi, c["id"]))


def test_a_change_after_items_joined_by_dun_is_the_totals(xian: dict[str, Any]) -> None:
    # “预算收入344,447.70万元，其中：A、B、C、D，较上年减少129,422.00万元，下降27.31%”
    rate = _claim(xian, "下降27.31%", "rate")
    assert rate["subject"] == "收入预算"
    found = _findings(xian, rate["id"], "N203")
    assert found and all(f["status"] == "verified" for f in found)
    assert "344447.70" in found[0]["message"]


def test_a_second_total_opens_its_own_list(xian: dict[str, Any]) -> None:
    # “…预算收入X，其中：…；本部门当年预算支出X，其中：…”: the second total is not a part of the first
    totals = [c for c in xian["claims"] if c["subject"] in ("收入预算", "支出预算") and c.get("components")]
    assert {c["subject"] for c in totals} == {"收入预算", "支出预算"}
    for t in totals:
        parts = [c for c in xian["claims"] if c["id"] in t["components"]]
        assert all(p["value"] != t["value"] for p in parts), "a part is never a second value of its whole"


def test_a_total_that_counts_the_carry_over_is_not_the_years_total(xian: dict[str, Any]) -> None:
    # “财政拨款收入337,741.21万元，其中：一般公共预算拨款收入324,638.50万元、上年结转13,102.70万元”
    c = _claim(xian, "财政拨款收入337,741.21")
    assert not _findings(xian, c["id"], "N201"), "not compared with 本年收入合计 324,638.50"
    listed = [x for x in xian["claims"] if x["id"] in c.get("components", [])]
    assert [x["value"] for x in listed] == [324638.5, 13102.7]  # not 财政拨款支出 337,741.21 after “；”


def test_a_subset_row_under_a_balance_is_not_a_part_of_the_grand_total(xian: dict[str, Any]) -> None:
    # 收支总表: 上年结转 131,027,041.73 / 其中：财政拨款资金结转 131,027,041.73 / 收入总计
    assert not [f for f in xian["findings"] if f["check"] == "T105" and f["status"] == "inconsistent"]


def test_a_three_public_table_with_period_groups_reads_each_period(xian: dict[str, Any]) -> None:
    tables = parse_tables(load_document(XIAN), load_rules(None))
    cols = set(next(t for t in tables if t.kind == "budget_three_public").columns)
    for period in ("上年", "当年", "增减变化情况"):
        assert {f"{period}/合计", f"{period}/因公出国（境）费", f"{period}/公务用车购置及运行维护费/小计"} <= cols
    assert "当年/总计" in cols  # the 合计 beside 会议费 and 培训费 is not the 三公 total
    c = _claim(xian, "“三公”经费预算支出")
    assert c["status"] == "verified"
    assert not [f for f in xian["findings"] if f["check"] == "T107" and f["status"] == "inconsistent"]
    assert xian["summary"]["inconsistent_findings"] == 0


def test_a_zero_needs_no_unit_and_a_truncated_amount_is_another_rounding() -> None:
    report = check_document(SHANGHAI).to_dict()
    zero = _claim(report, "政府性基金拨款支出预算为0")
    assert not _findings(report, zero["id"], "N210")
    # “财政拨款收入1237万元” for 12,376,671元: truncated, not a difference
    c = _claim(report, "财政拨款收入1,237")
    assert [f["status"] for f in _findings(report, c["id"], "N214")] == ["verified"]
    assert report["summary"]["inconsistent_findings"] == 0


def test_a_hedged_equality_is_no_claim_of_equality() -> None:
    report = check_document(GUANGZHOU).to_dict()
    # “公务接待费22.21万元，比上年减少0.3万元，…主要原因是基本与上年持平”: no 持平 claim
    assert not [c for c in report["claims"] if c["subject"] == "公务接待费" and c["text"] == "持平"]
    exact = [c for c in report["claims"] if c["quantity"] == "other" and c["status"] == "verified"]
    assert exact, "an unhedged 持平 (因公出国（境）费, change 0) is still checked"
    assert report["summary"]["inconsistent_findings"] == 0


# Reports of ../shared/corpus/pdf2 too large to bundle: read where the corpus is present.
PDF2 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf2"


def _pdf2(name: str) -> dict[str, Any]:
    path = PDF2 / f"{name}.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared corpus is absent)")
    return check_document(path).to_dict()


@pytest.mark.slow
def test_an_evaluation_report_reads_its_own_subjects() -> None:
    report = _pdf2("sn_xian_weijian_2022_final")
    # “…政府性基金预算财政拨款收入与上年同期相比，增加144.81%”: the rate's subject is in the clause before
    rate = _claim(report, "144.81%", "rate")
    assert rate["subject"] == "政府性基金预算财政拨款收入"
    assert not [f for f in _findings(report, rate["id"]) if f["status"] == "inconsistent"]
    # “年初结转和结余58,830.98万元，收入决算509,220.66万元，支出决算568,051.63万元”: flows, not the balance
    for text in ("收入决算509,220.66", "支出决算568,051.63"):
        c = _claim(report, text)
        assert c["subject"] != "年初结转和结余" and c["status"] != "inconsistent"
    # “评价得分83.06” / “评价得分86.73”: scores of two projects, not money and not one quantity
    for text in ("83.06", "86.73"):
        c = _claim(report, text)
        assert c["quantity"] == "score"
        assert not [f for f in _findings(report, c["id"]) if f["status"] == "inconsistent"]


@pytest.mark.slow
def test_levels_printed_with_other_classification_marks_are_other_quantities() -> None:
    # 资本性支出（310） and 机关资本性支出（503） are two classifications of 59.30万元, with two changes
    report = _pdf2("sn_xian_caizhengju_2026_budget")
    assert not [f for f in report["findings"] if f["check"] == "N212" and f["status"] == "inconsistent"]
    # 科学技术支出（类） and 其他科学技术支出（项） of 43,950万元
    report = _pdf2("js_wuxi_jiaoyuju_benji_2026_budget")
    assert not [f for f in report["findings"] if f["check"] == "N212" and f["status"] == "inconsistent"]
    # while one level stated twice with two changes stays a finding (real: 183.49 against 99.00)
    report = _pdf2("sn_xian_sifaju_2026_budget")
    assert [f for f in report["findings"] if f["check"] == "N212" and f["status"] == "inconsistent"]


def test_items_named_by_their_code_are_read_in_the_function_table() -> None:
    # “（一）2040201-行政运行6556.70万元。” under “一般公共预算拨款支出情况”, against
    # 表5 “一般公共预算拨款支出预算表” (a title with 拨款 for 财政拨款)
    report = check_document(ROOT / "fujian" / "fj_fuzhou_gonganjuxuntejingzhidui_2026_budget.pdf").to_dict()
    kinds = {t["kind"] for t in report["tables"]}
    assert {"budget_gpb_expenditure", "budget_gov_fund", "budget_state_capital", "budget_gpb_basic"} <= kinds
    c = _claim(report, "行政运行6556.70")
    cells = [x for f in _findings(report, c["id"], "N201") for x in f["cells"]]
    assert c["status"] == "verified" and cells and cells[0]["row"].startswith("2040201")
    # the publisher left a 项 out of 20402 公安 (319.24): real, in 表3 and in 表5 alike
    t103 = [f for f in report["findings"] if f["check"] == "T103" and f["status"] == "inconsistent"]
    assert {x["table"] for f in t103 for x in f["cells"]} >= {"T3", "T5"}


def test_a_heading_names_the_item_of_the_figures_below_it() -> None:
    # “（一）因公出国（境）费用。2026年预算数17.1万元” … “（三）公务用车购置和运行维护费。2026年预算数
    # 23.52万元，包括公务用车购置费预算18.69万元、公务用车运行维护费预算4.83万元”, read with the
    # report's tables file, whose 预算09表 leaves the 公务用车 小计 blank beside 18.69 and 4.83
    bj = ROOT / "beijing"
    narr = bj / "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget_narr.pdf"
    tables = bj / "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget_tables.pdf"
    report = check_loaded(load_documents([str(narr), str(tables)])).to_dict()
    abroad = _claim(report, "预算数17.1")
    assert abroad["subject"] == "因公出国（境）费" and abroad["status"] == "verified"
    car = _claim(report, "预算数23.52")
    assert car["subject"] == "公务用车购置及运行维护费"
    assert not [f for f in _findings(report, car["id"]) if f["status"] == "inconsistent"]
    assert "blank" in car["reason"] or car["status"] == "verified"
    # the 三公 total is not summed over the 小计 and its own parts again
    total = _claim(report, "“三公”经费预算40.77")
    assert not [f for f in _findings(report, total["id"], "N206") if f["status"] == "inconsistent"]


@pytest.mark.parametrize(
    ("path", "organization"),
    [
        (
            ROOT / "beijing" / "bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget_narr.pdf",
            "中共北京市委军民融合发展委员会办公室",
        ),
        (SHANGHAI, "上海市文物保护研究中心"),  # “上海市2026年市级单位预算 ⏎ 预算单位：上海市文物保护研究中心”
        (XIAN, "西安市公安局（汇总）"),  # “西安市公安局（汇总） ⏎ 2026年部门预算公开说明”
    ],
)
def test_the_organization_is_read_where_the_title_does_not_name_it(path: Path, organization: str) -> None:
    assert load_document(path, max_pages=2).organization == organization


def test_a_name_that_starts_with_its_city_has_that_region() -> None:
    assert derive_region("福州经济技术开发区生态环境局", None) == Region("福建省", "福州市")
    assert derive_region("吉林省教育厅", None) == Region("吉林省", None)  # 吉林 the province, not the city


@pytest.mark.slow
def test_metadata_of_every_pdf2_report() -> None:
    """Year, kind and province right, and an organization's name (not 部门/市级), on pdf2."""
    manifest = PDF2.parent / "pdf2.tsv"
    if not manifest.is_file():
        pytest.skip(f"{manifest} is not here (the shared corpus is absent)")
    provinces = {"bj": "北京市", "fj": "福建省", "gd": "广东省", "sh": "上海市", "sn": "陕西省", "js": "江苏省"}
    with manifest.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if not (r["part"] == "tables" and r["pair"])]
    right = 0
    for r in rows:
        doc = load_document(PDF2 / r["file"], max_pages=3)
        kind = {"budget": "budget", "final": "final_account"}[r["kind"]]
        named = doc.organization is not None and len(doc.organization) > 4
        region = derive_region(doc.organization, None)
        right += (
            doc.year == int(r["year"]) and doc.kind == kind and named and region.province == provinces[r["province"]]
        )
    assert right >= 0.98 * len(rows), f"{right} of {len(rows)}"


FOSHAN = ROOT / "foshan" / "gd_foshan_guidaojiaotongju_2019_final.pdf"
# pages 1–23 (the narrative up to 十一、政府采购支出情况说明) and 146–171 (the tables, the glossary
# and the two evaluation reports appended as 第五部分 附件) of sn_xian_weijian_2022_final.pdf
WEIJIAN = ROOT / "xian" / "sn_xian_weijian_2022_final_p1-23_p146-171.pdf"
SEED000 = ROOT.parent / "seeds" / "000_590c6e9490a39a18.txt"


@pytest.fixture(scope="module")
def foshan() -> dict[str, Any]:
    return check_document(FOSHAN).to_dict()


@pytest.fixture(scope="module")
def weijian() -> dict[str, Any]:
    return check_document(WEIJIAN).to_dict()


def test_a_rate_is_not_read_over_an_amount_of_an_earlier_period(foshan: dict[str, Any]) -> None:
    # “比上年决算数相比变化0万元，增长0%” and “主要是因为我局去年预算数为0，因此增长率为0%”:
    # neither 0 is the year's level (1,668.14), so no −100% is derived from it
    report = foshan
    assert not [f for f in report["findings"] if f["check"] == "N203" and f["status"] == "inconsistent"]
    rate = _claim(report, "因此增长率为0%", "rate")
    assert rate["status"] == "unverifiable"


def test_a_whole_unit_evaluation_that_covered_nothing_is_no_claim_of_the_total(foshan: dict[str, Any]) -> None:
    # “组织部门（单位）整体支出绩效自评（含下属单位0个），涉及一般公共预算支出0万元” (p. 29): the unit is
    # outside the evaluation's pilot, so it covered nothing of the year's 1,668.14
    covered = [c for c in foshan["claims"] if c["text"].strip() == "一般公共预算支出0万元"]
    assert covered and all(c["status"] != "inconsistent" for c in covered)
    assert any("evaluation that covered 0" in c["reason"] for c in covered)
    assert foshan["summary"]["inconsistent_findings"] == 1  # N204 940.15 over 921.75 (real, docs/review.md)
    # a coverage equal to the total verifies it, and any other is still flagged (a whole-unit evaluation
    # covers all of the year's spending: 161.98 for 611.98 is a slip, not a part)
    text = SEED000.read_text(encoding="utf-8")
    sentence = "（含下属单位1个），涉及一般公共预算支出611.98万元"
    assert sentence in text
    line = text[: text.index(sentence)].count("\n") + 1

    def coverage(report: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in report["claims"] if c["line"] == line and c["text"].startswith("一般公共预算支出"))

    assert coverage(check_text(text).to_dict())["status"] == "verified"
    for slip in ("619.18", "161.98"):
        other = check_text(text.replace(sentence, sentence.replace("611.98", slip))).to_dict()
        assert coverage(other)["status"] == "inconsistent"


def test_a_sentence_of_one_fund_is_compared_with_that_funds_table(weijian: dict[str, Any]) -> None:
    # “2022年度政府性基金预算财政拨款年初结转和结余58,830.98万元，收入决算…，年末结转和结余0万元” (p. 20):
    # the 政府性基金's balance, which 表7 leaves blank, not the department's 399,035.80 in 表1
    end = _claim(weijian, "年末结转和结余0万元")
    cells = [x for f in _findings(weijian, end["id"], "N201") for x in f["cells"]]
    assert end["status"] == "verified" and {x["table"] for x in cells} == {"T7"}
    spent = _claim(weijian, "本年支出决算568,051.63")
    assert spent["status"] != "inconsistent"
    assert weijian["summary"]["inconsistent_findings"] == 0


def test_a_subject_that_names_its_fund_is_compared_with_the_row_that_names_it(foshan: dict[str, Any]) -> None:
    # “政府性基金预算财政拨款收入0万元” against 表1's row 二、政府性基金预算财政拨款收入 (a table of all funds)
    c = _claim(foshan, "政府性基金预算财政拨款收入0万元")
    cells = [x for f in _findings(foshan, c["id"], "N201") for x in f["cells"]]
    assert c["status"] == "verified" and cells and "政府性基金" in cells[0]["row"]


def test_a_known_subject_followed_by_more_of_its_noun_phrase_is_another_subject(weijian: dict[str, Any]) -> None:
    # “政府采购授予中小企业合同金额24,498.01万元，占政府采购支出合同总额的9%” (p. 22): a part of the
    # 政府采购支出总额 272,067.69 stated before it, not that total
    part = _claim(weijian, "授予中小企业合同金额24,498.01")
    assert part["subject"] != "政府采购支出总额"
    share = _claim(weijian, "占政府采购支出合同总额的9%", "share")
    assert share["status"] != "inconsistent"
    assert _claim(weijian, "政府采购支出总额共272,067.69")["status"] == "verified"


def test_an_appended_report_is_not_compared_with_the_departments_tables(weijian: dict[str, Any]) -> None:
    # after 第四部分 专业名词解释 and 第五部分 附件, “高龄老人生活保健补贴项目绩效评价报告” (p. 166 of the
    # whole report): “2021年，西安市高龄老人保健补贴资金支出总额为59168.23万元” is the city's, not 支出总计
    spent = _claim(weijian, "59168.23")
    assert spent["status"] == "unverifiable" and "appended document" in spent["reason"]
    assert "高龄老人生活保健补贴项目绩效评价报告" in spent["reason"]
    # the report's own claims before it are still compared with its tables
    assert _claim(weijian, "公用经费2,093.08")["status"] == "verified"


def test_a_full_stop_inside_a_parenthesis_does_not_end_the_sentence() -> None:
    # p. 25 “公务用车购置及运行维护费74.1万元（公务用车购置费…；公务用车运行维护费…。）比上年增加39.2万元，
    # 增长112.3%”: the rate is read against 74.1 and its change
    report = check_document(GUANGZHOU).to_dict()
    rate = _claim(report, "112.3%", "rate")
    [found] = _findings(report, rate["id"], "N203")
    assert found["status"] == "verified"
    assert found["message"] == "公务用车购置及运行维护费: 39.2 / (74.1 − 39.2) = 112.32%, reported 112.3%"


def test_at_least_is_a_bound_not_a_decrease() -> None:
    report = check_text("七、预算绩效情况说明\n年度目标：完成合同法制审查服务数量至少330份，出具报告最多2份。\n")
    # (gd_shenzhen_shengtai's 绩效目标 read “至少330份” as a decrease of 330 against 少)
    assert [(c["text"][-6:], c["quantity"], c["relation"]) for c in report.claims] == [
        ("至少330份", "count", ">="),
        ("报告最多2份", "count", "<="),
    ]


def test_a_title_with_its_classification_in_brackets_names_its_kind(xian: dict[str, Any]) -> None:
    # 表5 “部门综合预算一般公共预算支出明细表（按支出功能分类科目）”, 表8 “…基本支出明细表（按支出经济分类
    # 科目）”; 表6 and 表7 (the other classification of each) are other tables, not read as these
    kinds = {t["title"]: t["kind"] for t in xian["tables"]}
    assert kinds["一般公共预算支出明细表（按支出功能分类科目）"] == "budget_gpb_expenditure"
    assert kinds["一般公共预算基本支出明细表（按支出经济分类科目）"] == "budget_gpb_basic"
    assert "一般公共预算支出明细表（按支出经济分类科目）" not in kinds


def test_an_item_named_with_its_code_in_brackets_is_that_coded_row(xian: dict[str, Any]) -> None:
    # “12.其他社会保障和就业支出（2089999）195.59万元”: the 项 2089999, not the 类 208
    c = _claim(xian, "195.59万元")
    assert c["status"] == "verified"
    assert "[2089999 其他社会保障和就业支出]" in c["reason"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # Jiangsu: titles without 预算 before 表, and the classification in brackets
        (
            WUXI,
            {
                "财政拨款支出表（功能科目）": "budget_fiscal_expenditure",
                "财政拨款基本支出表（经济科目）": "budget_fiscal_basic",
                "一般公共预算支出表": "budget_gpb_expenditure",
                "一般公共预算基本支出表": "budget_gpb_basic",
                '一般公共预算"三公"经费、会议费、培训费支出表': "budget_three_public",
            },
        ),
        # Shenzhen: the function-classified 一般公共预算支出表 is read, its economic twin is another table
        (
            ROOT / "shenzhen" / "gd_shenzhen_chengguan_benji_2026_budget.pdf",
            {"一般公共预算支出表（按功能分类）": "budget_gpb_expenditure"},
        ),
        # Guangzhou: 情况表 with the classification in brackets, as before
        (GUANGZHOU, {"一般公共预算项目支出情况表（按经济分类科目）": "budget_gpb_project_economic"}),
    ],
)
def test_tables_are_named_by_their_title_words_and_classification(path: Path, expected: dict[str, str]) -> None:
    doc = load_document(path)
    kinds = {t.title: t.kind for t in parse_tables(doc, load_rules())}
    assert {title: kinds.get(title) for title in expected} == expected
    assert "一般公共预算支出表（按经济分类）" not in kinds


def test_a_fixed_phrase_that_holds_a_number_is_no_count() -> None:
    # gd_guangzhou_zhengshu and others: “中央八项规定精神”; sn_xian_weijian: “两个维护”, 国家“二十条”
    report = check_text(
        "七、其他\n认真贯彻落实中央八项规定精神，坚决做到“两个维护”，落实国家“二十条”措施，共有车辆5辆。\n"
    )
    assert [(c["text"], c["quantity"]) for c in report.claims] == [("共有车辆5辆", "count")]
