"""Where a claim's cell is found beyond its section's own table: economic classes of a
spending that is all basic, classes named without （类）, 机关运行经费 and 政府采购 tables;
one figure printed twice to the same decimals; executed amounts above the year's total;
a change read against an amount two sentences back."""

from __future__ import annotations

import pytest

from reconcile.api import check_text

FINAL = """某某局2024年度部门决算

第一部分 某某局2024年度部门决算情况说明

一、收入支出决算总体情况说明

2024年度收、支总计均为100.00万元。

二、一般公共预算财政拨款支出决算情况说明

（一）结构情况

2024年度，一般公共预算财政拨款支出100.00万元，主要用于以下方面：工资福利支出60.00万元，占60.00%；商品和服务支出{c302}万元，占30.00%；资本性支出10.00万元，占10.00%。

（二）具体情况

2024年度，一般公共服务支出{c201}万元。

三、部门绩效自评情况

我单位2024年年初预算资金100.00万元；全年实际执行数{executed}万元，预算执行率为100%。

第二部分 某某局2024年度部门决算表

# 收入支出决算总表
单位：万元
项目	决算数
本年收入合计	100.00
收入总计	100.00
本年支出合计	100.00
支出总计	100.00

# 一般公共预算财政拨款支出决算表
单位：万元
科目编码	科目名称	小计	基本支出	项目支出
	合计	100.00	{basic}	{project}
201	一般公共服务支出	100.00	{basic}	{project}
20101	人大事务	100.00	{basic}	{project}
2010101	行政运行	100.00	{basic}	{project}

# 一般公共预算财政拨款基本支出决算明细表
单位：万元
经济分类科目编码	科目名称	决算数
301	工资福利支出	60.00
30101	基本工资	60.00
302	商品和服务支出	30.00
30201	办公费	30.00
310	资本性支出	10.00
31002	办公设备购置	10.00
	人员经费合计	60.00
	公用经费合计	40.00
"""
CLEAN = {"c302": "30.00", "c201": "100.00", "executed": "100.00", "basic": "100.00", "project": ""}


def _final(**changes: str):  # type: ignore[no-untyped-def]
    return check_text(FINAL.format(**{**CLEAN, **changes}))


def _claim(rep, start: str):  # type: ignore[no-untyped-def]
    return next(c for c in rep.claims if c["text"].startswith(start))


def _flags(rep) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f.check for f in rep.findings if f.status == "inconsistent")


def test_clean_final_account_verifies_classes_against_their_tables() -> None:
    rep = _final()
    assert _flags(rep) == []
    for start, row in (("商品和服务支出", "302 商品和服务支出"), ("一般公共服务支出", "201 一般公共服务支出")):
        claim = _claim(rep, start)
        assert claim["status"] == "verified" and row in claim["reason"], claim["reason"]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        # an economic class one unit of its last digit off the basic-expenditure table
        ({"c302": "30.01"}, ["N201"]),
        # a class named without its （类） marker, against the class row
        ({"c201": "100.50"}, ["N201"]),
        # more executed than the year's total expenditure
        ({"executed": "100.30"}, ["N216"]),
    ],
)
def test_single_errors(changes: dict[str, str], codes: list[str]) -> None:
    assert _flags(_final(**changes)) == codes


def test_one_unit_apart_message_says_rounding_cannot_explain_it() -> None:
    f = next(f for f in _final(c302="30.01").findings if f.check == "N201" and f.status == "inconsistent")
    assert "difference 0.01" in f.message and "rounding cannot part them" in f.message


def test_economic_classes_are_not_read_in_the_basic_table_when_projects_spent() -> None:
    # 10.00 of the spending went to projects: the breakdown of all spending by economic
    # class is not the basic-expenditure table's, so 30.01 is not compared with 302
    rep = _final(c302="30.01", basic="90.00", project="10.00")
    assert "N201" not in _flags(rep)
    assert "302 商品和服务支出" not in _claim(rep, "商品和服务支出")["reason"]


def test_executed_bound_message_gives_both_figures() -> None:
    f = next(f for f in _final(executed="100.30").findings if f.check == "N216")
    assert "100.30" in f.message and "本年支出合计" in f.message and "100.00万元" in f.message
    assert [c.row for c in f.cells] == ["本年支出合计"]


BUDGET = """某某厅2017年度部门预算

第一部分 某某厅2017年度部门预算情况说明

一、收支预算总体情况说明

（一）收入预算总计{total}万元。全部由省财政拨款。与上年相比增加10.00万元，增长{rate}%。

十、机关运行经费支出预算情况说明

2017年本部门一般公共预算机关运行经费预算支出{running}万元。

十二、政府采购预算情况说明

2017年度部门政府采购预算总金额为100.00万元。其中，货物类政府采购支出预算{goods}万元，服务类政府采购支出预算60.00万元。

第二部分 某某厅2017年度部门预算表

一、收支预算总表
单位：万元
项目\t预算数
当年收入小计\t110.00
收入合计\t110.00
当年支出小计\t110.00
支出合计\t110.00

九、一般公共预算机关运行经费支出预算表
单位：万元
科目编码\t科目名称\t机关运行经费支出
\t合计\t20.00
302\t商品和服务支出\t20.00
30201\t办公费\t20.00

十一、政府采购预算表
单位：万元
采购品目大类\t采购物品名称\t总计
合计\t\t{proc_total}
一、货物A\t\t40.00
\t其他办公设备\t40.00
三、服务C\t\t60.00
\t会议服务\t60.00
"""
BCLEAN = {"total": "110.00", "rate": "10.00", "running": "20.00", "goods": "40.00", "proc_total": "100.00"}


def _budget(**changes: str):  # type: ignore[no-untyped-def]
    return check_text(BUDGET.format(**{**BCLEAN, **changes}))


def test_clean_budget_verifies_running_costs_procurement_and_the_rate() -> None:
    rep = _budget()
    assert _flags(rep) == []
    assert _claim(rep, "机关运行经费")["status"] == "verified"
    assert "货物A" in _claim(rep, "货物类政府采购支出预算")["reason"]
    # the rate reads against the amount two sentences back (the one between holds no number)
    rate = next(c for c in rep.claims if c["quantity"] == "rate")
    assert rate["status"] == "verified", rate["reason"]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"rate": "10.50"}, ["N203"]),
        ({"running": "21.00"}, ["N201"]),
        ({"goods": "45.00"}, ["N201", "N206"]),
        # the table's 合计 is not 货物 + 服务 (工程 is left out of the table)
        ({"proc_total": "110.00"}, ["N201", "T110"]),
    ],
)
def test_budget_single_errors(changes: dict[str, str], codes: list[str]) -> None:
    assert _flags(_budget(**changes)) == codes


def test_a_number_between_the_amount_and_the_change_stops_the_reading() -> None:
    text = BUDGET.replace("全部由省财政拨款。", "其中财政拨款100.00万元。")
    rep = check_text(text.format(**{**BCLEAN, "rate": "10.50"}))
    rate = next(c for c in rep.claims if c["quantity"] == "rate")
    assert rate["status"] == "unverifiable"


ITEMS = """某某局2024年度部门决算

第一部分 某某局2024年度部门决算情况说明

五、一般公共预算财政拨款支出决算情况说明

（三）一般公共预算财政拨款支出决算具体情况

一般公共预算财政拨款支出年初预算为{budget}万元，支出决算为{actual}万元，完成年初预算的96.46%。决算数小于预算数的主要原因：个别项目调减。其中：

1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。年初预算为{b1}万元，支出决算为100.00万元。

2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。年初预算为10.00万元，支出决算为10.00万元。

3、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。年初预算为20.00万元，支出决算为18.00万元。

4、住房保障支出（类）住房改革支出（款）住房公积金（项）。年初预算为{b4}万元，支出决算为{a4}万元。
"""
ICLEAN = {"budget": "170.00", "actual": "164.00", "b1": "100.00", "b4": "40.00", "a4": "36.00"}


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        # the 决算 figures add up, so the list is complete: its 年初预算 figures must add up too
        ({"b1": "106.00"}, ["N206"]),
        # neither figure adds up: the list may leave items out, nothing is said
        ({"b1": "94.00", "a4": "30.00"}, []),
    ],
)
def test_items_listed_with_both_figures(changes: dict[str, str], codes: list[str]) -> None:
    rep = check_text(ITEMS.format(**{**ICLEAN, **changes}))
    assert [f.check for f in rep.findings if f.status == "inconsistent"] == codes
    if not changes:  # every item's 年初预算, which no table holds, is verified by the sum
        assert [f.message.split(":")[0] for f in rep.findings if f.check == "N206"] == [
            "一般公共预算财政拨款支出 年初预算",
            "一般公共预算财政拨款支出 决算",
        ]
        budgets = [c for c in rep.claims if c.get("figure") == "年初预算" and "（项）" in (c["subject"] or "")]
        assert len(budgets) == 4 and {c["status"] for c in budgets} == {"verified"}


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        # the unit's whole spending was evaluated: the amount is the table's total
        ("我单位组织整体支出绩效自评，涉及一般公共预算支出100.00万元。", "verified"),
        ("我单位组织整体支出绩效自评，涉及一般公共预算支出100.50万元。", "inconsistent"),
        # the money of some projects is a part, not compared with the total
        ("对2个项目开展重点绩效评价，涉及一般公共预算支出50.00万元。", "unverifiable"),
    ],
)
def test_whole_unit_evaluation_amounts(sentence: str, status: str) -> None:
    text = FINAL.replace("三、部门绩效自评情况\n", "三、部门绩效自评情况\n\n" + sentence + "\n")
    rep = check_text(text.format(**CLEAN))
    claim = next(c for c in rep.claims if c["text"].startswith("一般公共预算支出"))
    assert claim["status"] == status, claim["reason"]


RESTATED = """某某厅2017年度部门预算

第一部分 某某厅2017年度部门预算情况说明

一、收支预算总体情况说明

基本支出预算数为100.00万元，与上年相比增加10.00万元，主要原因是人员经费增加4.00万元。

五、财政拨款支出预算情况说明

基本支出预算数为{level}万元，与上年相比增加{change}万元。
"""


@pytest.mark.parametrize(
    ("level", "change", "codes"),
    [
        ("100.00", "10.00", []),
        ("100.00", "10.50", ["N212"]),  # one level, one earlier value: one change
        ("90.00", "10.50", []),  # another level: another quantity (e.g. 财政拨款 only)
    ],
)
def test_a_change_restated_with_another_value(level: str, change: str, codes: list[str]) -> None:
    rep = check_text(RESTATED.format(level=level, change=change))
    assert [f.check for f in rep.findings if f.status == "inconsistent"] == codes


@pytest.mark.parametrize(
    ("sentence", "number", "subject"),
    [
        # an organization's name before a total does not hide the total
        (
            "某某区电子政务建设服务中心政府采购支出总额 10.00 万元，其中：政府采购货物支出 10.00 万元。",
            "10.00 万元，",
            "政府采购支出总额",
        ),
        ("某某区电子政务建设服务中心共有车辆 2 辆，其中：主要负责人用车 1 辆、其他用车 1 辆。", "2 辆", "车辆"),
        # a class named in front of the total's name is the class
        (
            "2017年度部门政府采购预算总金额为10.00万元。其中，货物类政府采购支出预算4.00万元。",
            "4.00万元",
            "政府采购货物支出",
        ),
    ],
)
def test_subject_after_a_name(sentence: str, number: str, subject: str) -> None:
    text = "十、其他重要事项的情况说明\n" + sentence + "\n"
    rep = check_text(text)
    at = text.index(number)
    claim = next(c for c in rep.claims if c["number_span"] and c["number_span"][0] == at)
    assert claim["subject"] == subject


@pytest.mark.parametrize(
    ("level", "change", "direction", "codes"),
    [
        ("47.91", "25.00", "增加", []),
        ("47.91", "47.91", "增加", []),  # from nothing: last year's figure was 0
        ("47.91", "52.00", "增加", ["N217"]),  # last year's figure would be −4.09
        ("47.91", "52.00", "减少", []),  # a decrease has no such bound
    ],
)
def test_an_increase_larger_than_its_level(level: str, change: str, direction: str, codes: list[str]) -> None:
    text = (
        "十、“三公”经费预算情况说明\n\n"
        f"2024年“三公”经费预算数为{level}万元，比2023年预算{direction}{change}万元。其中：公务接待费{level}万元。\n"
    )
    rep = check_text(text)
    assert [f.check for f in rep.findings if f.status == "inconsistent"] == codes
    if codes:
        f = next(f for f in rep.findings if f.check == "N217")
        assert "47.91 − 52.00 = -4.09" in f.message


@pytest.mark.parametrize(("word", "direction"), [("小于", -1), ("大于", 1)])
def test_a_comparison_with_last_year_is_a_change(word: str, direction: int) -> None:
    text = f"九、“三公”经费预算情况说明\n\n公务接待费预算支出116.50万元，本年数{word}上年预算数40.05万元，主要是厉行节约。\n"
    rep = check_text(text)
    change = next(c for c in rep.claims if c["text"].endswith("40.05万元"))
    assert (change["quantity"], change["subject"], change["direction"], change["base"]) == (
        "change",
        "公务接待费",
        direction,
        "上年预算",
    )
    assert not [c for c in rep.claims if c["quantity"] == "other"]


CATEGORIES = """四、部门整体支出绩效情况

（二）部门预算项目绩效分析。

常年项目绩效分析。该类项目总数 1 个，涉及预算总金额 {a} 万元，1—12 月预算执行总体进度为 100%。

阶段（一次性）项目绩效分析。该类项目总数 {n} 个，涉及预算总金额 53.78 万元，1—12 月预算执行总体进度为 100%。

1.项目执行。

年初预算项目 5 个，预算数 215.56 万元，年末决算执行项目 5 个，决算数 212.11 万元，完成全年预算数 98.40%。
"""


@pytest.mark.parametrize(
    ("a", "n", "status"),
    [
        ("161.78", "4", "verified"),  # 161.78 + 53.78 = 215.56
        ("158.33", "4", "inconsistent"),  # 212.11 is the 决算 figure, not the 预算 one
        ("158.33", "3", None),  # 1 + 3 ≠ 5: the categories need not hold every project
    ],
)
def test_categories_that_hold_every_project(a: str, n: str, status: str | None) -> None:
    rep = check_text(CATEGORIES.format(a=a, n=n))
    found = [f for f in rep.findings if f.check == "N206"]
    assert [f.status for f in found] == ([status] if status else [])
    if status == "inconsistent":
        assert "158.33 + 阶段（一次性）项目 53.78 = 212.11" in found[0].message
        assert "212.11 is the 决算 figure" in found[0].message


NAMED_CHANGE = """某某厅2017年度部门预算

第一部分 某某厅2017年度部门预算情况说明

一、收支预算总表情况说明

某某厅2017年度收入、支出预算总计110.00万元，与上年相比收、支预算总计各增加14.00万元，增长14.58%。主要原因是基本支出增加{named}万元、项目支出安排增加4.00万元。

此外，基本支出预算数为100.00万元。与上年相比增加10.00万元，增长11.11%。主要原因是人员经费的增加。

项目支出预算数为10.00万元。与上年相比增加4.00万元，增长66.67%。
{other}"""


@pytest.mark.parametrize(
    ("named", "other", "status"),
    [
        ("10.00", "", "verified"),
        ("10.50", "", "inconsistent"),  # the reason restates the change with another value
        # two levels of 基本支出 in the section: which one the reason means is not known
        ("10.50", "\n基本支出预算数为90.00万元，与上年相比增加10.50万元。\n", "unverifiable"),
    ],
)
def test_a_change_named_in_a_reason_is_the_subjects_change(named: str, other: str, status: str) -> None:
    rep = check_text(NAMED_CHANGE.format(named=named, other=other))
    claim = next(c for c in rep.claims if c["text"] == f"基本支出增加{named}万元")
    flagged = [f for f in rep.findings if f.status == "inconsistent"]
    if status == "inconsistent":
        assert [f.check for f in flagged] == ["N212"]
        assert claim["id"] in flagged[0].claims
    else:
        assert claim["status"] == status, claim["reason"]
        assert not flagged


NOTE = """某某厅2017年度部门预算

第一部分 某某厅2017年度部门预算情况说明

十、一般公共预算机关运行经费支出预算表情况说明

本表反映部门年度一般公共预算机关运行经费支出预算安排情况。财政拨款支出安排数与《部门一般公共预算基本支出预算表》的“商品和服务支出”支出数一致，并按照政府收支分类科目的经济分类“款”级细化列示。

第二部分 某某厅2017年度部门预算表

八、一般公共预算基本支出预算表
单位：万元
科目编码\t科目名称\t合计
\t合计\t100.00
301\t工资福利支出\t{wages}
302\t商品和服务支出\t{goods}

九、一般公共预算机关运行经费支出预算表
单位：万元
科目编码\t科目名称\t机关运行经费支出
\t合计\t{running}
302\t商品和服务支出\t{running_goods}
310\t其他资本性支出\t{capital}
"""


@pytest.mark.parametrize(
    ("goods", "running", "running_goods", "status"),
    [
        ("20.00", "20.00", "20.00", "verified"),
        ("20.00", "25.00", "20.00", "verified"),  # the table's own 商品和服务支出 row agrees
        ("20.00", "56.19", "55.60", "inconsistent"),  # neither the total nor the row is 20.00
    ],
)
def test_a_note_that_ties_a_table_to_another(goods: str, running: str, running_goods: str, status: str) -> None:
    wages = f"{100 - float(goods):.2f}"
    capital = f"{float(running) - float(running_goods):.2f}"
    text = NOTE.format(goods=goods, wages=wages, running=running, running_goods=running_goods, capital=capital)
    rep = check_text(text)
    notes = [f for f in rep.findings if f.check == "N211"]
    assert [f.status for f in notes] == [status]
    assert "《部门一般公共预算基本支出预算表》" in notes[0].message
    if status == "inconsistent":
        assert "56.19" in notes[0].message and "20.00" in notes[0].message
        assert len(notes[0].cells) == 3


ABSENT = """某某局2024年度部门决算

第一部分 某某局2024年度部门决算情况说明

七、政府性基金预算财政拨款收入支出决算情况说明

2024 年度没有政府性基金收入，也没有使用政府性基金安排的支出。

第二部分 某某局2024年度部门决算表

# 收入支出决算总表
单位：万元
项目	决算数
一、一般公共预算财政拨款收入	100.00
二、政府性基金预算财政拨款收入	{income}
本年收入合计	{total}
收入总计	{total}
本年支出合计	{total}
支出总计	{total}

# 政府性基金预算财政拨款收入支出决算表
单位：万元
项目		年初结转和结余	本年收入	本年支出			年末结转和结余
功能分类 科目编码	科目名称			小计	基本支出	项目支出
栏次		1	2	3	4	5	6
合计		0	{income}	{income}	0	{income}	0
"""


@pytest.mark.parametrize(("income", "total", "codes"), [("", "100.00", []), ("12.00", "112.00", ["N211", "N211"])])
def test_a_subject_said_not_to_exist(income: str, total: str, codes: list[str]) -> None:
    rep = check_text(ABSENT.format(income=income, total=total))
    said = [c for c in rep.claims if c["rule"].startswith("absent:")]
    assert [c["subject"] for c in said] == ["政府性基金预算财政拨款收入", "政府性基金预算财政拨款支出"]
    assert {c["status"] for c in said} == {"inconsistent" if codes else "verified"}
    flagged = [f for f in rep.findings if f.status == "inconsistent"]
    assert [f.check for f in flagged] == codes
    if codes:
        assert "says there is none" in flagged[0].message and "12.00" in flagged[0].message


PLAN = """二、项目实施及管理情况

（一）资金计划、到位及使用情况

1. 资金计划（合计{total}万元）。

该项目资金计划：政府网站运维及管理4.18万元；电信线路租赁费{line}万元；区专用机房电费7万元。截止评价时，该项目资金实际到位{total}万元，到位率100%。
"""


@pytest.mark.parametrize(
    ("total", "line", "code", "status"),
    [
        ("45.48", "34.30", "N206", "verified"),
        ("45.99", "34.30", "N214", "verified"),  # fits only because 7万元 is printed as an integer
        ("46.99", "34.30", "N206", "inconsistent"),
    ],
)
def test_a_heading_total_and_the_list_below_it(total: str, line: str, code: str, status: str) -> None:
    rep = check_text(PLAN.format(total=total, line=line))
    found = [f for f in rep.findings if f.check in ("N206", "N214")]
    assert [(f.check, f.status) for f in found] == [(code, status)]
    assert "4.18 + 34.30 + 7" in found[0].message


def _item_list(n: int, last: str) -> str:
    lines = [
        "（三）一般公共预算财政拨款支出决算具体情况",
        "",
        f"2024 年度一般公共预算财政拨款支出决算数为 {n * 10 + 5}.00 万元。其中：",
        "",
    ]
    names = ["行政运行", "机关服务", "信息安全事务", "事业运行", "一般行政管理事务", "专项业务", "其他支出"]
    for k in range(n):
        value = last if k == n - 1 else "10.00"
        lines += [
            f"{k + 1}.一般公共服务（类）网信事务（款）{names[k]}（项）：支出决算为 {value} 万元，完成调整预算 100%，"
            "主要用于保障单位正常运转和完成日常工作任务的各项支出。",
            "",
        ]
    return "\n".join(lines)


@pytest.mark.parametrize(("last", "status"), [("15.00", "verified"), ("51.00", "inconsistent")])
def test_a_long_numbered_list_of_items_is_summed(last: str, status: str) -> None:
    text = _item_list(7, last)
    total = next(c for c in check_text(text).claims if c["text"].startswith("一般公共预算财政拨款支出"))
    assert total["status"] == status, total["reason"]
    assert "10.00 + 10.00" in total["reason"]


def test_a_page_number_between_the_lines_of_a_number_is_not_read_into_it() -> None:
    text = (
        "六、支出预算情况说明\n\n   项目支出预算数为        5,573 万元。与上年相比增加 40\n\n"
        "                         24\n万元，增长 0.72 %。主要原因是增加了检察办案费预算。\n"
    )
    rep = check_text(text)
    change = next(c for c in rep.claims if c["quantity"] == "change")
    assert change["value"] == 40
    rate = next(c for c in rep.claims if c["quantity"] == "rate")
    assert rate["status"] == "verified", rate["reason"]


def test_the_next_items_of_a_list_are_not_the_parts_of_an_item() -> None:
    # pdftotext layout of a real report: item 4's lines come out of order, and “主要用于：” at a line
    # end opens a list that the next items (siblings, not parts) seem to fill
    text = "（三）具体情况\n\n" + (
        "3、一般公共服务支出（类）财政事务（款）信息化建设（项）。主要用于：信息化"
        "\n"
        "系统日常维护费等支出。年初预算为135.90万元，支出决算为135.25万元。决算数小于"
        "\n"
        "预算数的主要原因：因产业政策扶持资金管理系统项目进度，调减相关经费。"
        "\n"
        ""
        "\n"
        " 4、一般公共服务支出（类）财政事务（款）财政委托业务支出（项）。主要用于："
        "\n"
        ""
        "\n"
        "449.52万元。决算数小于预算数的主要原因：因个别项目评审费未能实施或未来得及"
        "\n"
        "委托中介机构开展各类审计及绩效评价工作。年初预算为450.52万元，支出决算为"
        "\n"
        ""
        "\n"
        "支付完毕，于明年重新申请。"
        "\n"
        ""
        "\n"
        "5、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休"
        "\n"
        "（项）。主要用于：退休人员经费支出。年初预算为 85.55 万元，支出决算为84.65万"
        "\n"
        "元。 决算数小于预算数的主要原因：预算按充分保障预估，实际执行基本贴合预期。"
        "\n"
        ""
        "\n"
        ""
        "\n"
    )
    rep = check_text(text)
    assert [f.check for f in rep.findings if f.status == "inconsistent"] == []
