"""Claim-to-cell matching: items named by 类/款/项, tables printed in 元, titles that
carry the organization's name or break before 表, reasons that move an item the other
way, and amounts of change that are not levels."""

from __future__ import annotations

import pytest

from reconcile.api import check_text
from reconcile.match import marked_path, path_rows, paths_in
from reconcile.model import Row, Table

BUDGET = """江苏省某某办公厅2017年度部门预算

第一部分 江苏省某某办公厅2017年度部门预算情况说明

五、财政拨款支出预算表情况说明

江苏省某某办公厅2017年财政拨款预算支出300.00万元。其中：

（一）一般公共服务支出（类）

1.人大事务（款）行政运行（项）支出{v1}万元，与上年相比减少10.00万元，下降4.76%。主要原因是：人大事务行政运行经费{w1}。

2.人大事务一般行政管理事务（项）支出{v2}万元，与上年数一致。

六、财政拨款基本支出预算表情况说明

江苏省某某办公厅2017年度财政拨款基本支出预算50.00万元，其中：

（1）办公费（款）支出{v3}万元。主要原因是基本支出增加人员经费12.00万元。

（2）维修（护）费（款）支出{v4}万元。

第二部分 江苏省某某办公厅2017年度部门预算表

五、2017年度江苏省某某办公厅财政拨款支出预算
表
单位：元
功能科目代码\t功能科目名称\t金额
\t合计\t3,000,000.00
201\t一般公共服务支出\t3,000,000.00
20101\t人大事务\t3,000,000.00
2010101\t行政运行\t2,000,000.00
2010102\t一般行政管理事务\t1,000,000.00

六、2017年度江苏省某某办公厅财政拨款基本支出预算表
单位：元
经济科目代码\t经济科目名称\t金额
\t合计\t500,000.00
302\t商品和服务支出\t500,000.00
30201\t办公费\t300,000.00
30213\t维修（护）费\t200,000.00
"""
CLEAN = {"v1": "200.00", "w1": "减少", "v2": "100.00", "v3": "30.00", "v4": "20.00"}


def _report(**changes: str):  # type: ignore[no-untyped-def]
    return check_text(BUDGET.format(**{**CLEAN, **changes}))


def _inconsistent(**changes: str) -> list[str]:
    return sorted(f.check for f in _report(**changes).findings if f.status == "inconsistent")


@pytest.mark.parametrize(
    ("before", "path"),
    [
        ("1.政协事务（款）行政运行（项）支出", (("款", "政协事务"), ("项", "行政运行"))),
        (
            "（二）社会保障和就业支出（类）行政事业单位离退休（款）未归口管理的行政单位离退休（项）支出",
            (
                ("类", "社会保障和就业支出"),
                ("款", "行政事业单位离退休"),
                ("项", "未归口管理的行政单位离退休"),
            ),
        ),
        ("（6）维修（护）费（款）支出", (("款", "维修（护）费"),)),
        (
            "1.“一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）”",
            (
                ("类", "一般公共服务支出"),
                ("款", "宣传事务"),
                ("项", "一般行政管理事务"),
            ),
        ),
        # a class named earlier in the sentence does not claim a later amount
        ("一般公共服务（类）支出100万元，主要用于行政运行", ()),
        ("一般公共服务（类）主要用于各项业务工作的开展支出", ()),
        ("本年支出", ()),
        # a heading chain, a colon, then only the figure's name before the amount
        ("检察（款）: 2018年预算支出合计", (("款", "检察"),)),
        ("法院（款）：其中基本支出合计为", ()),
    ],
)
def test_marked_path(before: str, path: tuple[tuple[str, str], ...]) -> None:
    assert marked_path(before) == path


def test_paths_in_splits_chains() -> None:
    text = "1.“一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）”110.60万元，办公费（款）"
    assert [len(p) for p in paths_in(text)] == [3, 1]


def _table() -> Table:
    t = Table(id="T1", kind="budget_fiscal_expenditure", title="财政拨款支出预算表", doc_kind="budget")
    for code, label in [
        ("201", "一般公共服务支出"),
        ("20101", "人大事务"),
        ("2010101", "行政运行"),
        ("20102", "政协事务"),
        ("2010201", "行政运行"),
        ("2010205", "公诉、审判、侦查、执行等检察监督支出"),
    ]:
        t.rows.append(Row(label=label, code=code))
    return t


def test_path_rows_uses_the_parent_to_pick_the_row() -> None:
    t = _table()
    assert [r.code for r in path_rows(t, (("项", "行政运行"),))] == ["2010101", "2010201"]
    assert [r.code for r in path_rows(t, (("款", "政协事务"), ("项", "行政运行")))] == ["2010201"]
    # the 款 written without its marker in front of the 项: 人大事务行政运行（项）
    assert [r.code for r in path_rows(t, (("项", "人大事务行政运行"),))] == ["2010101"]
    assert path_rows(t, (("项", "外交事务行政运行"),)) == []
    # a name holding 、 is read from its last part only; the row's name must break there
    assert [r.code for r in path_rows(t, (("项", "执行等检察监督支出"),))] == ["2010205"]
    assert path_rows(t, (("项", "检察监督支出"),)) == []


def test_organization_before_a_total_does_not_hide_it() -> None:
    rep = check_text(
        "三、支出预算情况说明\n省检察院本年支出预算合计 100.00万元，其中：基本支出 60.00万元，项目支出 40.00万元。\n"
    )
    claim = next(c for c in rep.claims if "本年支出预算合计" in c["text"])
    assert claim["subject"] == "本年支出合计"


def test_clean_budget_has_no_inconsistency_and_verifies_the_items() -> None:
    rep = _report()
    assert [f.message for f in rep.findings if f.status == "inconsistent"] == []
    assert [(t.kind, t.unit) for t in rep.tables] == [
        ("budget_fiscal_expenditure", "元"),
        ("budget_fiscal_basic", "元"),
    ]
    for item in (
        "行政运行（项）支出200",
        "一般行政管理事务（项）支出100",
        "办公费（款）支出30",
        "维修（护）费（款）支出20",
        "财政拨款预算支出300",
    ):
        claim = next(c for c in rep.claims if item in c["text"])
        assert claim["status"] == "verified", item
    # the reason's amount of change is neither compared with a table nor summed as an item
    change = next(c for c in rep.claims if "人员经费12.00" in c["text"])
    assert change["status"] == "unverifiable"


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"v1": "210.00"}, ["N201", "N203"]),  # the 项 amount and the rate read against it
        ({"v2": "110.00"}, ["N201"]),  # 款 written without its marker
        ({"v3": "3.00"}, ["N201"]),  # an economic 款 (a 其中 list may be partial: a short sum is no error)
        ({"v4": "21.00"}, ["N201", "N206"]),
        ({"w1": "增加"}, ["N211"]),  # the reason moves the item the other way
    ],
)
def test_single_errors_are_found(changes: dict[str, str], codes: list[str]) -> None:
    assert _inconsistent(**changes) == codes


def test_amount_in_yuan_table_is_scaled_in_the_message() -> None:
    rep = _report(v1="210.00")
    f = next(f for f in rep.findings if f.check == "N201" and f.status == "inconsistent")
    assert "printed 2,000,000.00元" in f.message and "200.00万元" in f.message


def _rate_status(text: str) -> tuple[str, list[str]]:
    rep = check_text("一、收入支出决算总体情况说明\n" + text + "\n")
    rate = next(c for c in rep.claims if c["quantity"] == "rate")
    return rate["status"], sorted(f.check for f in rep.findings if f.status == "inconsistent")


@pytest.mark.parametrize(
    ("text", "status", "codes"),
    [
        # the change in the sentence after its amount reads against it
        ("2024年度支出总计100.00万元，主要用于日常运转。与上年相比增加10.00万元，增长11.11%。", "verified", []),
        (
            "2024年度支出总计100.00万元，主要用于日常运转。与上年相比增加10.00万元，增长12.11%。",
            "inconsistent",
            ["N203"],
        ),
        # the change names another subject: not read against the amount before it
        (
            "2024年度基本支出100.00万元。与上年度相比，一般公共预算财政拨款支出增加10.00万元，增长12.11%。",
            "unverifiable",
            [],
        ),
        # two amounts in the sentence before: which one changed is not said
        ("2024年度基本支出100.00万元，项目支出50.00万元。与上年相比增加10.00万元，增长12.11%。", "unverifiable", []),
    ],
)
def test_change_in_the_next_sentence(text: str, status: str, codes: list[str]) -> None:
    assert _rate_status(text) == (status, codes)


@pytest.mark.parametrize(("times", "status"), [("16", "verified"), ("17", "verified"), ("15", "inconsistent")])
def test_multiple_read_either_way(times: str, status: str) -> None:
    # 2,247.84 / 140.20 = 16.03 (the increase over the base) and 2,388.04 / 140.20 = 17.03 (new over old)
    rep = check_text(
        "一、收入支出决算总体情况说明\n2018年单位预留机动经费预算数为 2,388.04 万元。"
        f"与上年相比增加2,247.84万元（上年仅安排140.2万元），增长{times}倍。\n"
    )
    assert [f.status for f in rep.findings if f.check == "N215"] == [status]


INDICATORS = (
    "五、部门绩效自评情况\n主要绩效指标：1、接通率目标值≥95%，2020年实际完成值{a}%，{v1}；"
    "2、及时派单率目标值≥95%，2020年实际完成值99.34%，超额完成目标值；"
    "3、及时派单率目标值≥95%，2020年实际完成值{b}%；4、市民满意度目标值≥90%，实际完成值96%，超额完成目标值。\n"
)


@pytest.mark.parametrize(
    ("a", "v1", "b", "codes"),
    [
        ("92.95", "略低于目标值", "99.34", []),
        ("92.95", "超额完成目标值", "99.34", ["N211"]),  # the verdict contradicts the values
        ("97.10", "未达到目标值", "99.34", ["N211"]),
        ("92.95", "略低于目标值", "100", ["N212"]),  # one indicator, one target, two actual values
    ],
)
def test_indicator_verdicts_and_duplicates(a: str, v1: str, b: str, codes: list[str]) -> None:
    rep = check_text(INDICATORS.format(a=a, v1=v1, b=b))
    assert sorted(f.check for f in rep.findings if f.status == "inconsistent") == codes
    assert sum(f.check == "N211" and f.status == "verified" for f in rep.findings) >= 2


ENUM = (
    "五、部门整体支出绩效自评\n本次自评指标体系包括 3 个一级指标、{n} 个二级指标。其中一级指标从投入、产出、效益 {m1} 个方面"
    "进行评价；二级指标从目标管理、预算管理、绩效管理、任务完成 4 个方面对一级指标进行细化评价。\n"
)


@pytest.mark.parametrize(
    ("n", "m1", "codes"),
    [
        ("4", "3", []),
        ("5", "3", ["N212"]),  # 5 二级指标 stated, 4 listed
        ("4", "4", ["N213"]),  # a list of 3 said to be 4 个方面
    ],
)
def test_enumerations(n: str, m1: str, codes: list[str]) -> None:
    rep = check_text(ENUM.format(n=n, m1=m1))
    assert sorted(f.check for f in rep.findings if f.status == "inconsistent") == codes


@pytest.mark.parametrize(("n", "codes"), [("0", []), ("1", ["N212"])])
def test_none_then_counted(n: str, codes: list[str]) -> None:
    rep = check_text(
        "四、项目绩效评价情况\n2024年度，本部门无重点绩效评价项目。\n"
        f"五、部门绩效自评\n2024年我单位应开展部门重点绩效评价{n}个项目，实际开展{n}个项目。\n"
    )
    found = [f for f in rep.findings if f.status == "inconsistent"]
    assert [f.check for f in found] == codes
    if found:  # both places are located: the count and the statement that there is none
        assert len(found[0].spans) == 2


BASIC = """某某办公厅2017年度部门预算

第一部分 某某办公厅2017年度部门预算情况说明

六、财政拨款基本支出预算表情况说明

某某办公厅2017年度财政拨款基本支出预算100.00万元，其中：人员经费{staff}万元，公用经费30.00万元。

第二部分 某某办公厅2017年度部门预算表

六、财政拨款基本支出预算表
单位：万元
经济科目代码\t经济科目名称\t金额
\t合计\t100.00
301\t工资福利支出\t50.00
30101\t基本工资\t50.00
302\t商品和服务支出\t30.00
30201\t办公费\t30.00
{c303}
"""


@pytest.mark.parametrize(
    ("staff", "c303", "status"),
    [
        ("70.00", "303\t对个人和家庭的补助\t20.00\n30302\t退休费\t20.00", "verified"),  # 301 + 303
        ("71.00", "303\t对个人和家庭的补助\t20.00\n30302\t退休费\t20.00", "inconsistent"),
        # another class in the table: 人员经费 is not compared with 301 + 303
        ("70.00", "303\t对个人和家庭的补助\t10.00\n310\t资本性支出\t10.00", None),
    ],
)
def test_staff_costs_are_301_plus_303(staff: str, c303: str, status: str | None) -> None:
    rep = check_text(BASIC.format(staff=staff, c303=c303))
    found = [f for f in rep.findings if f.check == "N201" and f.message.startswith("人员经费")]
    assert [f.status for f in found] == ([status] if status else [])
    if status:  # both rows are located
        assert [c.row for c in found[0].cells] == ["301 工资福利支出", "303 对个人和家庭的补助"]


@pytest.mark.parametrize(("word", "status"), [("小于", "verified"), ("大于", "inconsistent")])
def test_actual_against_budget_order(word: str, status: str) -> None:
    rep = check_text(
        "六、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，"
        f"完成年初预算的98.20%。决算数{word}预算数的主要原因：个别项目调减。\n"
    )
    assert [f.status for f in rep.findings if f.check == "N211"] == [status]


# 收入预算 alone: the year's total in one template, the grand total (with the carry-over) in
# another; compared with both rows of the summary table, never guessed between them.
SUMMARY = """某某局2026年部门预算

第一部分 部门预算情况说明

一、收支预算情况说明

2026年收入预算{v}万元。

第二部分 部门预算表

一、收支预算总表
单位：万元
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t90.00\t一、一般公共服务支出\t100.00
本年收入合计\t90.00\t本年支出合计\t100.00
上年结转结余\t{carry}\t年终结转结余\t0.00
收入总计\t{total}\t支出总计\t100.00
"""


@pytest.mark.parametrize(
    ("v", "carry", "total", "status"),
    [
        ("90.00", "10.00", "100.00", "unverifiable"),  # matches the year's total, not the grand total
        ("100.00", "10.00", "100.00", "unverifiable"),  # matches the grand total, not the year's total
        ("90.00", "0.00", "90.00", "verified"),  # no carry-over: both rows agree
        ("95.00", "0.00", "90.00", "inconsistent"),  # both agree, and the narrative differs
    ],
)
def test_income_budget_alone_is_compared_with_both_totals(v: str, carry: str, total: str, status: str) -> None:
    data = check_text(SUMMARY.format(v=v, carry=carry, total=total)).to_dict()
    (claim,) = [c for c in data["claims"] if c["quantity"] == "amount"]
    assert claim["subject"] == "收入预算" and claim["status"] == status
    if status == "unverifiable":
        assert "not guessed" in claim["reason"]
