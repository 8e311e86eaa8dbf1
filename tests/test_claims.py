"""Claims: one parametrized inline string per pattern, then the five seeds end to end."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.claims import (
    Claim,
    RuleError,
    build_pipeline,
    claim_coverage,
    compiled_rules,
    extract_claims,
)
from reconcile.document import Document
from reconcile.ingest import load_document
from reconcile.sections import split_sections

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"


@pytest.fixture(scope="session", autouse=True)
def pipeline() -> object:
    return build_pipeline()


def _doc(text: str, kind: str = "final_account") -> Document:
    return Document(text=text, path="<test>", sha256="0" * 64, format="text", kind=kind, year=2024, title="t")


def claims_of(text: str, kind: str = "final_account") -> list[Claim]:
    doc = _doc(text, kind)
    out = extract_claims(doc)
    for c in out:
        assert doc.text[c.span[0] : c.span[1]] == c.text
    return out


def one(claims: list[Claim], **want: object) -> Claim:
    hits = [c for c in claims if all(getattr(c, k) == v for k, v in want.items())]
    assert len(hits) == 1, f"{want} matched {len(hits)} of {[(c.quantity, c.value, c.subject, c.text) for c in claims]}"
    return hits[0]


D = Decimal

# ---------------------------------------------------------------- change and rate wording


@pytest.mark.parametrize(
    ("text", "base", "direction"),
    [
        ("基本支出100.00万元，比上年增加5.00万元，增长5.3%。", "上年决算", 1),
        ("基本支出100.00万元，较上年增加5.00万元，增幅5.3%。", "上年决算", 1),
        ("基本支出100.00万元，与上年相比增加5.00万元，上升5.3%。", "上年决算", 1),
        ("基本支出100.00万元，同比增加5.00万元，增长5.3%。", "上年决算", 1),
        ("基本支出100.00万元，比上年决算数减少5.00万元，下降5.3%。", "上年决算", -1),
        ("基本支出100.00万元，比年初预算数减少5.00万元，降幅5.3%。", "年初预算", -1),
        ("基本支出100.00万元，比2023年度减少5.00万元，减幅5.3%。", "上年决算", -1),
        ("基本支出100.00万元，比2021年减少5.00万元，下降5.3%。", "2021年", -1),
    ],
)
def test_change_and_rate(text: str, base: str, direction: int) -> None:
    cl = claims_of(text)
    amount = one(cl, quantity="amount")
    change = one(cl, quantity="change")
    rate = one(cl, quantity="rate")
    assert (amount.subject, amount.value, amount.decimals, amount.unit) == ("基本支出", D("100.00"), 2, "万元")
    assert (change.value, change.base, change.direction, change.head) == (D("5.00"), base, direction, amount.id)
    assert (rate.value, rate.decimals, rate.unit, rate.base, rate.direction) == (D("5.3"), 1, "%", base, direction)
    assert rate.head == amount.id and rate.change == change.id and rate.subject == "基本支出"


def test_change_subject_after_base_phrase_two_subjects() -> None:
    cl = claims_of("2024 年度，收、支总计均为 927.71 万元。与上年度相比，收、支总计各减少 6.15 万元，下降 0.66%。")
    inc = one(cl, quantity="amount", subject="收入总计")
    exp = one(cl, quantity="amount", subject="支出总计")
    assert inc.value == exp.value == D("927.71") and inc.span == exp.span
    c1 = one(cl, quantity="change", subject="收入总计")
    c2 = one(cl, quantity="change", subject="支出总计")
    assert (c1.head, c2.head, c1.direction, c1.base) == (inc.id, exp.id, -1, "上年决算")


def test_budget_document_base_is_last_years_budget() -> None:
    cl = claims_of("2024年本部门收入预算2,664.7万元，比上年减少77.71万元，下降2.83%。", kind="budget")
    a = one(cl, quantity="amount")
    assert (a.value, a.decimals, a.subject, a.figure) == (D("2664.7"), 1, "收入预算", "预算")
    assert one(cl, quantity="change").base == "上年预算"


def test_multiple_times() -> None:
    cl = claims_of("公务接待费支出1.2万元，同比增长16倍。")
    r = one(cl, quantity="rate")
    assert (r.value, r.unit, r.direction, r.rule) == (D("16"), "倍", 1, "rate_multiple")
    assert r.subject == "公务接待费"


# ---------------------------------------------------------------- markers


def test_zero_base_marker() -> None:
    cl = claims_of("政府性基金预算财政拨款收入0万元，比上年决算数增加0万元，增长--（基数为0，不可比）。")
    r = one(cl, quantity="rate")
    assert r.value is None and r.marker == "--" and {"基数为0", "不可比"} <= set(r.flags)
    assert r.text == "增长--（基数为0，不可比）"
    cov = claim_coverage(_doc("政府性基金预算财政拨款收入0万元，比上年决算数增加0万元，增长--（基数为0，不可比）。"))
    assert cov.ratio == 1.0  # the 0 of 基数为0 belongs to the rate claim


def test_completion_marker_percent() -> None:
    cl = claims_of("因公出国（境）费支出决算为0万元，完成预算0万元的--%（基数为0，不可比）。")
    c = one(cl, quantity="completion")
    assert c.value is None and c.marker == "--" and c.unit == "%" and c.budget is not None


# ---------------------------------------------------------------- completion, share


@pytest.mark.parametrize(
    ("text", "value", "base", "budget"),
    [
        ("“三公”经费财政拨款支出决算为1.35万元，完成全年预算1.35万元的100%。", D("100"), "全年预算", D("1.35")),
        ("项目全年预算数为32万元，执行数为23.19万元，完成预算的72.47%。", D("72.47"), "预算", None),
        ("支出决算为 125.55 万元，完成调整预算 100%。", D("100"), "调整预算", None),
        ("全年实际执行数954.72万元，预算执行率为100%。", D("100"), "预算", None),
    ],
)
def test_completion(text: str, value: Decimal, base: str, budget: Decimal | None) -> None:
    cl = claims_of(text)
    c = one(cl, quantity="completion")
    assert (c.value, c.base) == (value, base)
    assert c.head is not None
    if budget is not None:
        b = next(x for x in cl if x.id == c.budget)
        assert (b.value, b.figure, b.quantity) == (budget, "全年预算", "amount")
        assert b.subject == "三公经费"


@pytest.mark.parametrize(
    ("text", "value", "whole_subject"),
    [
        ("本年支出合计 411.91 万元，其中：基本支出 199.81 万元，占 48.5%。", D("48.5"), "本年支出合计"),
        ("授予中小企业合同金额48.46万元，占政府采购支出总额的100%。", D("100"), "政府采购支出总额"),
        ("一般公共预算财政拨款支出 411.91 万元，占本年支出合计的 100%。", D("100"), "本年支出合计"),
        ("市民诉求受理渠道占比达 100%。", D("100"), None),
    ],
)
def test_share(text: str, value: Decimal, whole_subject: str | None) -> None:
    s = one(claims_of(text), quantity="share")
    assert (s.value, s.whole_subject) == (value, whole_subject)


def test_share_links_part_and_whole() -> None:
    cl = claims_of("本年支出合计 411.91 万元，其中：基本支出 199.81 万元，占 48.5%；项目支出 212.1 万元，占 51.5%。")
    total = one(cl, subject="本年支出合计")
    basic = one(cl, subject="基本支出", quantity="amount")
    share = one(cl, quantity="share", value=D("48.5"))
    assert (share.head, share.whole) == (basic.id, total.id)
    assert total.components == (basic.id, one(cl, subject="项目支出", quantity="amount").id)


# ---------------------------------------------------------------- components, sums, savings


def test_components_after_qizhong() -> None:
    cl = claims_of(
        "政府采购支出总额48.46万元，其中：政府采购货物支出2.91万元、政府采购工程支出0万元、政府采购服务支出45.55万元。"
    )
    total = one(cl, subject="政府采购支出总额")
    assert [next(c for c in cl if c.id == x).value for x in total.components] == [D("2.91"), D("0"), D("45.55")]
    assert all(next(c for c in cl if c.id == x).total == total.id for x in total.components)


def test_nested_components_use_subject_knowledge() -> None:
    text = (
        "“三公”经费支出决算为1.35万元。其中：因公出国（境）费支出决算为0万元；公务用车购置及运行维护费支出决算为1.35万元；"
        "其中：公务用车购置支出决算为0万元；公务用车运行维护费支出决算为1.35万元；公务接待费支出决算为0万元。"
    )
    cl = claims_of(text)
    top = one(cl, subject="三公经费")
    car = one(cl, subject="公务用车购置及运行维护费")
    assert [next(c for c in cl if c.id == x).subject for x in top.components] == [
        "因公出国（境）费",
        "公务用车购置及运行维护费",
        "公务接待费",
    ]
    assert [next(c for c in cl if c.id == x).subject for x in car.components] == [
        "公务用车购置费",
        "公务用车运行维护费",
    ]


def test_parenthesised_parts() -> None:
    cl = claims_of("公务用车购置及运行维护费0万元（公务用车购置费0万元；公务用车运行维护费0万元。）比上年增加0万元。")
    car = one(cl, subject="公务用车购置及运行维护费", quantity="amount")
    assert len(car.components) == 2
    assert one(cl, quantity="change").head == car.id


def test_components_match_figures() -> None:
    text = (
        "一般公共预算财政拨款支出年初预算为 907.94 万元，支出决算为 907.94 万元，完成年初预算的 100%。其中：\n\n"
        "1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为 749.17 万元，"
        "支出决算为 749.17 万元，完成年初预算的 100%。\n"
    )
    cl = claims_of(text)
    budget_total = one(cl, value=D("907.94"), figure="年初预算")
    actual_total = one(cl, value=D("907.94"), figure="决算")
    item_budget = one(cl, value=D("749.17"), figure="年初预算")
    item_actual = one(cl, value=D("749.17"), figure="决算")
    assert item_budget.total == budget_total.id and item_actual.total == actual_total.id
    assert item_actual.classification == ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行")


def test_score_sum() -> None:
    cl = claims_of("评价得分：总体绩效 59.1 分，项目绩效 34 分，合计 90 分。")
    s = one(cl, quantity="sum")
    assert (s.value, s.unit, len(s.components)) == (D("90"), "分", 2)


def test_savings_difference() -> None:
    cl = claims_of("成本指标：该项经费年度指标 161.78 万元，实际使用 158.33 万元，节约 30.36 万元。")
    d = one(cl, quantity="difference")
    budget = one(cl, value=D("161.78"))
    actual = one(cl, value=D("158.33"))
    assert d.operands == (budget.id, actual.id) and d.value == D("30.36")
    assert (budget.figure, actual.figure) == ("预算", "决算")


def test_counts_with_parts() -> None:
    cl = claims_of("截至2024年12月31日，本单位共有车辆2辆，其中，岗位保障用车1辆、机要通信用车1辆。")
    total = one(cl, subject="车辆")
    assert (total.quantity, total.value, total.unit, len(total.components)) == ("count", D("2"), "辆", 2)


# ---------------------------------------------------------------- qualitative


@pytest.mark.parametrize(
    ("text", "relation", "base"),
    [
        ("上级补助收入0万元，与上年决算数持平。", "equal", "上年决算"),
        ("机关运行经费支出决算为 269.14 万元。决算数与年初预算数无差异。", "equal", "年初预算"),
        ("行政运行支出决算为 749.17 万元。决算数与年初预算数不存在差异。", "equal", "年初预算"),
        ("“三公”经费支出决算为1.35万元。2024年度“三公”经费支出决算等于预算数的主要情况：从严控制。", "equal", "预算"),
        (
            "“三公”经费支出决算为1.35万元。2024年度“三公”经费支出决算大于上年决算数的主要情况：用车增多。",
            "greater",
            "上年决算",
        ),
        ("“三公”经费支出决算为2.99万元。2020 年度“三公”经费支出决算小于 预算数的主要情况：节约。", "less", "预算"),
    ],
)
def test_qualitative(text: str, relation: str, base: str) -> None:
    cl = claims_of(text)
    q = one(cl, quantity="other", relation=relation)
    assert q.base == base and q.value is None
    assert q.head == cl[0].id


# ---------------------------------------------------------------- number forms


@pytest.mark.parametrize(
    ("text", "value", "decimals", "unit"),
    [
        ("一般公共预算财政拨款收入611.9\n8万元。", D("611.98"), 2, "万元"),
        ("一般公共预算财政拨款收入 3,604.17 万\n\n元。", D("3604.17"), 2, "万元"),
        ("一般公共预算财政拨款收入６１１．９８万元。", D("611.98"), 2, "万元"),
        ("一般公共预算财政拨款收入 611.98 万 元。", D("611.98"), 2, "万元"),
        ("本单位共有车辆两辆。", D("2"), 0, "辆"),
        ("本部门安排资金一千二百万元。", D("1200"), 0, "万元"),
        ("网站发布信息 2.2 万余条。", D("2.2"), 1, "万条"),
    ],
)
def test_number_forms(text: str, value: Decimal, decimals: int, unit: str) -> None:
    c = claims_of(text)[0]
    assert (c.value, c.decimals, c.unit) == (value, decimals, unit)


def test_rate_split_by_spaces() -> None:
    r = one(claims_of("其他收入0.08万元，比上年决算增加0.03万元，增长 21.95 %。"), quantity="rate")
    assert (r.value, r.unit, r.text) == (D("21.95"), "%", "增长 21.95 %")


def test_unit_slips_are_kept() -> None:
    cl = claims_of("公用经费 16.01 万元，主要包括：办公费 3 万元、差旅费 1.55、其他交通费 7.02 元。")
    assert one(cl, subject="差旅费").unit is None and "unit_missing" in one(cl, subject="差旅费").flags
    assert one(cl, subject="其他交通费用").unit == "元"
    assert len(one(cl, subject="公用经费").components) == 3
    stray = claims_of("2024年我单位年初预算954.72%万元。")[0]
    assert (stray.unit, stray.flags) == ("万元", ("stray_percent",))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("截至2024年12月31日，本单位共有车辆1辆。", "date"),
        ("1.一般公共预算财政拨款收入611.98万元。", "list ordinal"),
        ("根据《办法》（豫财效〔2020〕10号）有关要求，支出1万元。", "document number"),
        ("提供7×24小时服务，支出1万元。", "schedule expression"),
        ("单价 100 万元（含）以上设备（不含车辆）0 台（套）。", "threshold in a definition"),
        ("承担“12345”政府服务热线，支出1万元。", "name (hotline or project name)"),
    ],
)
def test_unclaimed_reasons(text: str, reason: str) -> None:
    cov = claim_coverage(_doc(text))
    assert reason in {n.reason for n in cov.unclaimed}
    assert all(n.excluded for n in cov.unclaimed)
    assert cov.ratio == 1.0


def test_rule_errors_are_precise(tmp_path: Path) -> None:
    import shutil

    tmp_path = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", tmp_path)
    p = tmp_path / "claims.yaml"
    p.write_text(
        p.read_text(encoding="utf-8").replace("pattern: '\\d{3,4}-\\d{7,8}", "pattern: '(\\d{3,4}-\\d{7,8}"),
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as exc:
        compiled_rules(tmp_path)
    assert "claims.yaml" in str(exc.value) and "'phone'" in str(exc.value) and "pattern" in str(exc.value)
    s = tmp_path / "subjects.yaml"
    s.write_text(
        s.read_text(encoding="utf-8").replace("parts: [人员经费, 公用经费]", "parts: [人员经费, 公共经费]", 1),
        encoding="utf-8",
    )
    p.write_text((ROOT / "rules" / "claims.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RuleError) as exc2:
        compiled_rules(tmp_path)
    assert "subjects.yaml" in str(exc2.value) and "公共经费" in str(exc2.value)


def test_classifiers_in_decision_order() -> None:
    from reconcile.claims.classify import CLASSIFIERS

    assert [c.__name__ for c in CLASSIFIERS] == [
        "dash",
        "completion",
        "completion_ratio",
        "change",
        "share",
        "difference",
        "completion_budget",
        "level",
    ]


def test_cue_words_are_read_from_the_vocabulary(tmp_path: Path) -> None:
    """A word added to a vocabulary.yaml list is a cue of the claims (no Python change)."""
    import shutil

    text = "本单位车辆逾3辆，宣传资料10.00万元。"
    assert one(claims_of(text), quantity="count").relation is None
    assert one(claims_of(text), quantity="amount").subject == "宣传资料"
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    v = rules_dir / "vocabulary.yaml"
    text_v = v.read_text(encoding="utf-8")
    text_v = text_v.replace("relation_ge: [≥, '>=', 不少于, 不低于,", "relation_ge: [≥, '>=', 不少于, 不低于, 逾,")
    text_v = text_v.replace("weak_subject: [项目,", "weak_subject: [宣传资料, 项目,")
    v.write_text(text_v, encoding="utf-8")
    got = extract_claims(_doc(text), rules=rules_dir)
    assert one(got, quantity="count").relation == ">="
    assert one(got, quantity="amount").subject != "宣传资料"


# ---------------------------------------------------------------- seeds


@pytest.fixture(scope="session")
def seeds() -> dict[str, tuple[Document, list[Claim]]]:
    out = {}
    for p in sorted(SEEDS.glob("*.txt")):
        doc = load_document(p)
        out[p.name[:3]] = (doc, extract_claims(doc, split_sections(doc)))
    return out


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_coverage(seeds: dict[str, tuple[Document, list[Claim]]], seed: str) -> None:
    doc, claims = seeds[seed]
    cov = claim_coverage(doc, claims=claims)
    assert cov.found > 30
    assert cov.ratio >= 0.95, cov.reasons()
    for n in cov.unclaimed:
        assert n.reason


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_spans_and_ids(seeds: dict[str, tuple[Document, list[Claim]]], seed: str) -> None:
    doc, claims = seeds[seed]
    ids = {c.id for c in claims}
    assert [c.id for c in claims] == [f"C{i + 1:04d}" for i in range(len(claims))]
    assert [c.span for c in claims] == sorted(c.span for c in claims)
    for c in claims:
        assert doc.text[c.span[0] : c.span[1]] == c.text
        assert doc.line_number(c.span[0]) == c.line
        for link in (c.head, c.change, c.budget, c.whole, c.total, *c.components, *c.operands):
            assert link is None or link in ids
        assert c.to_json()["quantity"] == c.quantity


SEED_CLAIMS = [
    # seed, quantity, value, decimals, subject, base, direction, text
    ("000", "amount", "611.98", 2, "一般公共预算财政拨款收入", None, None, "一般公共预算财政拨款收入611.98万元"),
    ("000", "change", "69.64", 2, "一般公共预算财政拨款收入", "上年决算", -1, "比上年决算数减少69.64万元"),
    ("000", "change", "721.51", 2, "一般公共预算财政拨款支出", "年初预算", -1, "比年初预算数减少721.51万元"),
    ("000", "completion", "100", 0, "三公经费", "全年预算", None, "完成全年预算1.35万元的100%"),
    ("000", "amount", "15.33", 2, "机关运行经费", None, None, "机关运行经费支出15.33万元"),
    ("000", "share", "8.4", 1, "授予小微企业合同金额", None, None, "占授予中小企业合同金额的8.4%"),
    ("001", "amount", "2664.7", 1, "收入预算", None, None, "部门收入预算2,664.7万元"),
    ("001", "rate", "2.83", 2, "支出预算", "上年预算", -1, "下降2.83%"),
    ("001", "amount", "25", 0, "政府采购货物支出", None, None, "货物类采购预算25万元"),
    ("002", "amount", "3604.17", 2, "收入总计", None, None, "总收入 3,604.17 万\n\n元"),
    ("002", "change", "1223.93", 2, "一般公共预算财政拨款收入", "上年决算", 1, "比上年决算\n\n增加 1,223.93 万元"),
    ("002", "rate", "381.9", 1, "政府性基金预算财政拨款收入", "上年决算", 1, "增长 381.9%"),
    ("002", "completion", "42.71", 2, "三公经费", "预算", None, "完成预算 7 万元的 42.71%"),
    ("002", "change", "9.86", 2, "机关运行经费", "年初预算", 1, "比年初预算\n\n数增加 9.86 万元"),
    ("003", "amount", "199.81", 2, "基本支出", None, None, "基本支出 199.81 万元"),
    ("003", "rate", "87.3", 1, "一般公共预算财政拨款支出", "上年决算", 1, "增长 87.3%"),
    ("003", "difference", "30.36", 2, "成本指标", None, None, "节约 30.36 万元"),
    ("003", "sum", "90", 0, "合计", None, None, "合计 90 分"),
    ("004", "share", "97.88", 2, "基本支出", None, None, "占 97.88%"),
    ("004", "completion", "163", 0, "公务用车购置及运行维护费", "全年预算", None, "完成全年预算的 163%"),
    ("004", "count", "2", 0, "公务用车保有量", None, None, "公务用车保有量为 2 辆"),
    ("004", "score", "93.38", 2, "绩效自评得分", None, None, "整体绩效自评得分 93.38 分"),
]


@pytest.mark.parametrize(("seed", "quantity", "value", "decimals", "subject", "base", "direction", "text"), SEED_CLAIMS)
def test_seed_claims(
    seeds: dict[str, tuple[Document, list[Claim]]],
    seed: str,
    quantity: str,
    value: str,
    decimals: int,
    subject: str | None,
    base: str | None,
    direction: int | None,
    text: str,
) -> None:
    _, claims = seeds[seed]
    hits = [c for c in claims if c.text == text and c.quantity == quantity]
    assert hits, f"no {quantity} claim with text {text!r}"
    c = next((h for h in hits if h.subject == subject), hits[0])
    assert (c.value, c.decimals, c.subject, c.base, c.direction) == (Decimal(value), decimals, subject, base, direction)


def test_seed_003_components_reveal_unit_slip(seeds: dict[str, tuple[Document, list[Claim]]]) -> None:
    _, claims = seeds["003"]
    by_id = {c.id: c for c in claims}
    public = next(c for c in claims if c.subject == "公用经费" and c.quantity == "amount")
    parts = [by_id[x] for x in public.components]
    assert [p.subject for p in parts][-2:] == ["其他交通费用", "其他商品和服务支出"]
    assert by_id[public.components[-2]].unit == "元"
    basic = next(c for c in claims if c.subject == "一般公共预算财政拨款基本支出")
    assert {by_id[x].subject for x in basic.components} == {"人员经费", "公用经费"}


def test_extraction_is_fast(seeds: dict[str, tuple[Document, list[Claim]]]) -> None:
    doc, _ = seeds["002"]
    t0 = time.perf_counter()
    extract_claims(doc, split_sections(doc))
    assert time.perf_counter() - t0 < 1.0
