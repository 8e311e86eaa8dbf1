"""Each identity check on small inline tables: flags a real break, never tail rounding."""

from __future__ import annotations

import pytest

from reconcile.api import check_text

T3 = """支出决算表
单位：万元
项目\t\t本年支出合计\t基本支出\t项目支出
功能分类科目编码\t科目名称\t\t\t
栏次\t\t1\t2\t3
\t合计\t{total}\t284.21\t327.89
201\t一般公共服务支出\t{c201}\t188.45\t40.18
20103\t政府办公厅（室）及相关机构事务\t228.63\t188.45\t40.18
{code}\t行政运行\t198.73\t188.45\t10.28
2010399\t其他政府办公厅（室）及相关机构事务支出\t29.90\t0.00\t29.90
206\t科学技术支出\t287.71\t0.00\t287.71
20605\t科技条件与服务\t287.71\t0.00\t287.71
2060503\t科技条件专项\t287.71\t0.00\t287.71
208\t社会保障和就业支出\t95.77\t95.77\t0.00
20805\t行政事业单位养老支出\t95.77\t95.77\t0.00
2080505\t机关事业单位基本养老保险缴费支出\t95.77\t95.77\t0.00
"""


def checks(text: str) -> list[str]:
    rep = check_text(text)
    return sorted(f.check for f in rep.findings if f.status == "inconsistent")


def test_clean_table_with_tail_rounding_passes() -> None:
    # 228.63 + 287.71 + 95.77 = 612.11 against a printed 612.10: tail rounding, not an error
    assert checks(T3.format(total="612.10", c201="228.63", code="2010301")) == []


def test_total_row_break_is_flagged() -> None:
    assert "T102" in checks(T3.format(total="613.10", c201="228.63", code="2010301"))


def test_row_sum_and_hierarchy_break() -> None:
    found = checks(T3.format(total="612.10", c201="238.63", code="2010301"))
    assert "T101" in found and "T103" in found


def test_wrong_parent_code() -> None:
    assert checks(T3.format(total="612.10", c201="228.63", code="2012901")) == ["T104"]


T9 = """财政拨款“三公”经费支出决算表
单位：万元
预算数\t\t\t\t\t\t决算数\t\t\t\t\t
合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费
\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t
1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12
1.80\t0.00\t{sub}\t0.00\t1.50\t0.30\t2.56\t0.00\t2.45\t0.00\t2.45\t0.11
{note}
"""


def test_three_public_clean() -> None:
    assert checks(T9.format(sub="1.50", note="注：本表反映三公经费。")) == []


def test_three_public_subtotal_break() -> None:
    assert checks(T9.format(sub="0.00", note="")) == ["T107", "T107"]


def test_note_contradiction() -> None:
    found = checks(T9.format(sub="1.50", note="说明：本部门没有“三公”经费支出，故本表无数据。"))
    assert found == ["T109"]


T1 = """收入支出决算总表
单位：万元
收入\t\t\t支出\t\t
项目\t行次\t决算数\t项目\t行次\t决算数
栏次\t\t1\t栏次\t\t2
一、一般公共预算财政拨款收入\t1\t611.98\t一、一般公共服务支出\t31\t228.63
八、其他收入\t8\t0.76\t六、科学技术支出\t36\t{sci}
\t9\t\t八、社会保障和就业支出\t38\t95.77
本年收入合计\t27\t612.73\t本年支出合计\t57\t612.10
使用非财政拨款结余（含专用结余）\t28\t0.00\t结余分配\t58\t0.00
年初结转和结余\t29\t1.02\t年末结转和结余\t59\t1.66
总计\t30\t{total}\t总计\t60\t613.76
"""


def test_summary_balances_clean() -> None:
    assert checks(T1.format(sci="287.71", total="613.76")) == []


@pytest.mark.parametrize(("sci", "total"), [("278.71", "613.76"), ("287.71", "614.76")])
def test_summary_balance_breaks(sci: str, total: str) -> None:
    assert "T105" in checks(T1.format(sci=sci, total=total))


T6 = """一般公共预算财政拨款基本支出决算明细表
单位：万元
人员经费\t\t\t公用经费\t\t
经济分类科目编码\t科目名称\t金额\t经济分类科目编码\t科目名称\t金额
301\t工资福利支出\t268.67\t302\t商品和服务支出\t{c302}
30101\t基本工资\t160.00\t30201\t办公费\t5.60
30102\t津贴补贴\t108.67\t30231\t公务用车运行维护费\t9.73
303\t对个人和家庭的补助\t0.15\t310\t资本性支出\t0.00
30309\t奖励金\t0.15\t31002\t办公设备购置\t0.00
\t人员经费合计\t268.82\t\t公用经费合计\t15.33
"""


def test_economic_sums() -> None:
    assert checks(T6.format(c302="15.33")) == []
    assert checks(T6.format(c302="15.93")) == ["T106", "T106"]


def test_no_table_report_is_unverifiable_not_inconsistent() -> None:
    rep = check_text("一、收入支出决算总体情况说明\n2024年度收入总计100.00万元。\n")
    assert [f.check for f in rep.findings] == ["I001"]
    assert rep.findings[0].status == "unverifiable"


# Jiangsu 部门预算: 收支预算总表 with a 支出 block by function and one by use, and a
# 收入预算总表 grouped by 小计 rows
JS_BUDGET = """某某办公厅2017年度部门预算

第二部分 某某办公厅2017年度部门预算表

一、收支预算总表
单位：万元
收入\t\t支出\t\t\t
项目\t预算数\t项目\t预算数\t项目\t预算数
一、财政拨款\t{fiscal}\t一、一般公共服务支出\t{c201}\t一、基本支出\t{basic}
1.一般公共预算\t900.00\t二、社会保障和就业支出\t100.00\t二、项目支出\t80.00
二、其他资金\t{other}\t三、住房保障支出\t60.00\t\t
当年收入小计\t980.00\t当年支出小计\t980.00\t\t
收入合计\t980.00\t支出合计\t{spend}\t\t

二、收入预算总表
单位：万元
项目\t预算数
收入总计\t980.00
一般公共预算资金小计\t900.00
公共财政拨款（补助）资金\t900.00
其他资金小计\t{other2}
事业收入\t30.00
其他收入\t50.00
"""
JS_CLEAN = {
    "fiscal": "900.00",
    "c201": "820.00",
    "basic": "900.00",
    "other": "80.00",
    "spend": "980.00",
    "other2": "80.00",
}


def _js(**changes: str) -> list[str]:
    return checks(JS_BUDGET.format(**{**JS_CLEAN, **changes}))


def test_jiangsu_budget_tables_clean() -> None:
    rep = check_text(JS_BUDGET.format(**JS_CLEAN))
    assert [t.kind for t in rep.tables] == ["budget_summary", "budget_income"]
    assert [f.message for f in rep.findings if f.status == "inconsistent"] == []


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"c201": "821.00"}, ["T105"]),  # a class row against 当年支出小计
        ({"basic": "901.00"}, ["T105"]),  # the block by use against 当年支出小计
        ({"spend": "981.00"}, ["T105", "T105"]),  # 支出合计 against 当年支出小计 and against 收入合计
        # a 小计 against its items, 收入总计 against the 小计 rows, and against 收支预算总表
        ({"other2": "81.00"}, ["T108", "T110", "T110"]),
        ({"other": "81.00"}, ["T105", "T108"]),  # the summary row against its column and against 收入预算总表
    ],
)
def test_jiangsu_budget_identities(changes: dict[str, str], codes: list[str]) -> None:
    assert _js(**changes) == codes


JS_FISCAL = """某某办公厅2017年度部门预算

四、财政拨款收支预算总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算\t900.00\t一、基本支出\t{basic}
二、政府性基金预算\t\t二、项目支出\t80.00
\t\t三、单位预留机动经费\t20.00
收入合计\t900.00\t支出合计\t900.00
"""


@pytest.mark.parametrize(("basic", "codes"), [("800.00", []), ("810.00", ["T105"])])
def test_jiangsu_fiscal_summary_sums_its_rows(basic: str, codes: list[str]) -> None:
    rep = check_text(JS_FISCAL.format(basic=basic))
    assert [t.kind for t in rep.tables] == ["budget_fiscal_summary"]
    assert checks(JS_FISCAL.format(basic=basic)) == codes


PROCUREMENT = """某某厅2017年度部门预算

十二、政府采购预算表
单位：万元
采购品目大类\t专项名称\t经济科目\t采购物品名称\t采购组织形式\t总计
合计\t\t\t\t\t{total}
一、货物A\t\t\t\t\t{goods}
\t设备购置费\t办公设备购置\t\t\t30.00
\t\t\t台式计算机\t分散自行组织\t{pc}
\t\t\t打印机\t分散自行组织\t10.00
\t\t印刷费\t\t\t5.00
\t\t\t印刷品\t分散自行组织\t5.00
三、服务C\t\t\t\t\t60.00
\t会议费\t会议费\t\t\t60.00
\t\t\t会议服务\t分散自行组织\t60.00
"""


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, []),
        ({"pc": "21.00"}, ["T103"]),  # an item: its 专项 line no longer adds up
        ({"goods": "36.00", "total": "96.00"}, ["T103"]),  # a class against its 专项 lines
        ({"total": "96.00"}, ["T110"]),  # 合计 against its classes
    ],
)
def test_procurement_table_adds_up(changes: dict[str, str], codes: list[str]) -> None:
    values = {"total": "95.00", "goods": "35.00", "pc": "20.00", **changes}
    assert checks(PROCUREMENT.format(**values)) == codes


def test_procurement_rows_out_of_their_columns_are_not_checked() -> None:
    # a part continued on another page with its columns shifted: the levels cannot be read
    shifted = PROCUREMENT.replace("\t设备购置费\t办公设备购置", "设备购置费\t办公设备购置\t")
    assert checks(shifted.format(total="95.00", goods="35.00", pc="21.00")) == []


def test_procurement_part_continued_without_its_first_column() -> None:
    # the table goes on below a repeated title and header, its empty first column lost
    more = (
        "\n十二、政府采购预算表（续）\n单位：万元\n"
        "采购品目大类\t专项名称\t经济科目\t采购物品名称\t采购组织形式\t总计\n"
        "省政协培训费\t培训费\t\t\t{fee}\n\t\t会议服务\t分散自行组织\t6.00\n\t\t住宿服务\t分散自行组织\t4.00\n"
        "省政协会议费\t会议费\t\t\t5.00\n\t\t会议服务\t分散自行组织\t5.00\n"
    )
    text = PROCUREMENT.replace("\t\t\t会议服务\t分散自行组织\t60.00\n", "\t\t\t会议服务\t分散自行组织\t60.00\n" + more)
    values = {"total": "95.00", "goods": "35.00", "pc": "20.00"}
    assert checks(text.format(fee="10.00", **values)) == []
    assert checks(text.format(fee="11.00", **values)) == ["T103"]
