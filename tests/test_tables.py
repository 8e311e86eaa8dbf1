from decimal import Decimal

import pytest

from reconcile.model import Table

FINAL = [
    "income_expenditure_summary",
    "income",
    "expenditure",
    "fiscal_income_expenditure_summary",
    "gpb_expenditure",
    "gpb_basic_expenditure",
    "gov_fund_income_expenditure",
    "state_capital_expenditure",
    "three_public",
]
EXPECTED_KINDS = {
    "000": FINAL,
    "001": [
        "budget_summary",
        "budget_income",
        "budget_expenditure",
        "budget_fiscal_summary",
        "budget_gpb_expenditure",
        "budget_gpb_basic",
        "budget_gpb_project_economic",
        "budget_three_public",
        "budget_gov_fund",
        "budget_state_capital",
        "budget_basic",
        "budget_project",
    ],
    "002": [*FINAL[:6], "three_public", "gov_fund_income_expenditure", "state_capital_expenditure"],
    "003": [],
    "004": FINAL,
}
# rows per table, as counted by hand in the seed texts (docs/tables.md)
EXPECTED_ROWS = {
    "000": [42, 19, 19, 38, 19, 83, 1, 1, 1],
    "001": [36, 18, 18, 31, 18, 28, 12, 7, 1, 1, 5, 41],
    "002": [42, 21, 21, 38, 18, 82, 1, 4, 15],
    "004": [42, 17, 17, 38, 14, 83, 1, 1, 1],
}


@pytest.mark.parametrize("seed", sorted(EXPECTED_KINDS))
def test_every_standard_table_found_with_its_kind(seed: str, seed_tables: dict[str, list[Table]]) -> None:
    assert [t.kind for t in seed_tables[seed]] == EXPECTED_KINDS[seed]


@pytest.mark.parametrize("seed", sorted(EXPECTED_ROWS))
def test_row_counts(seed: str, seed_tables: dict[str, list[Table]]) -> None:
    assert [len(t.rows) for t in seed_tables[seed]] == EXPECTED_ROWS[seed]


def _t(tables: list[Table], kind: str) -> Table:
    return next(t for t in tables if t.kind == kind)


def test_tab_style_cells_and_spans(seed_tables: dict[str, list[Table]], seed_docs: dict) -> None:
    doc = seed_docs["000"]
    t2 = _t(seed_tables["000"], "income")
    row = t2.by_code("2010301")
    assert row is not None and row.label == "行政运行" and row.level == "subitem"
    cell = row.cells["财政拨款收入"]
    assert cell.value == Decimal("198.60") and cell.decimals == 2
    assert cell.span is not None and doc.text[cell.span[0] : cell.span[1]] == "198.60"


def test_side_by_side_blocks(seed_tables: dict[str, list[Table]]) -> None:
    t1 = _t(seed_tables["000"], "income_expenditure_summary")
    assert t1.blocks() == ["收入", "支出"]
    assert t1.row("本年收入合计", block="收入").cells["决算数"].value == Decimal("612.73")  # type: ignore[union-attr]
    assert t1.row("本年支出合计", block="支出").cells["决算数"].value == Decimal("612.10")  # type: ignore[union-attr]


def test_three_public_columns(seed_tables: dict[str, list[Table]]) -> None:
    for seed in ("000", "002", "004"):
        t9 = _t(seed_tables[seed], "three_public")
        assert "决算数/公务接待费" in t9.columns and len(t9.columns) == 12


def test_pdftotext_style_wrapped_labels(seed_tables: dict[str, list[Table]]) -> None:
    t3 = _t(seed_tables["002"], "expenditure")
    row = t3.by_code("20103")
    assert row is not None and row.label == "政府办公厅（室）及相关机构事务"
    assert row.cells["本年支出合计"].value == Decimal("2504.00")
    assert t3.by_code("208") is not None  # a 3-digit code alone on its line is not a page number
    t1 = _t(seed_tables["002"], "income_expenditure_summary")
    r = t1.row("灾害防治及应急管理支出", block="支出")
    assert r is not None and r.cells["决算数"].value == Decimal("0.00")


def test_repeated_total_rows_dropped(seed_tables: dict[str, list[Table]]) -> None:
    t2 = _t(seed_tables["002"], "income")
    assert sum(1 for r in t2.rows if r.label == "合计") == 1


def test_misaligned_total_row_is_rejoined(seed_tables: dict[str, list[Table]]) -> None:
    t6 = _t(seed_tables["004"], "gpb_basic_expenditure")
    row = t6.row("公用经费合计")
    assert row is not None and row.cells["决算数"].value == Decimal("269.14")


def test_bracket_codes(seed_tables: dict[str, list[Table]]) -> None:
    t = _t(seed_tables["001"], "budget_gpb_basic")
    assert t.by_code("30207") is not None


def test_html_tags_stripped(seed_tables: dict[str, list[Table]]) -> None:
    t1 = _t(seed_tables["004"], "income_expenditure_summary")
    assert t1.row("本年收入合计", block="收入").cells["决算数"].value == Decimal("927.71")  # type: ignore[union-attr]


def test_no_tables_in_narrative_only_seed(seed_tables: dict[str, list[Table]]) -> None:
    assert seed_tables["003"] == []


def test_title_after_the_organization_name_but_not_a_sentence_naming_a_table() -> None:
    from reconcile.api import check_text

    body = "单位：万元\n项目\t预算数\n\t合计\t100.00\n201\t一般公共服务支出\t100.00\n"
    titled = check_text("五、2017年度江苏省某某法院部门财政拨款支出预算表\n" + body)
    assert [(t.kind, t.title) for t in titled.tables] == [("budget_fiscal_expenditure", "财政拨款支出预算表")]
    broken = check_text(
        "“三公”经费支出预算\n表\n单位：元\n合计\t因公出国（境）费\t公务接待费\n30,000.00\t10,000.00\t20,000.00\n"
    )
    assert [(t.kind, t.unit) for t in broken.tables] == [("budget_three_public", "元")]
    named = check_text(
        "一、收支预算总体情况说明\n具体详见2017年度江苏省某某部门收支预算总表\n2017年度收入预算100.00万元。\n"
    )
    assert named.tables == []


@pytest.mark.parametrize(
    ("first", "second", "labels"),
    [
        # a label wrapped in its cell: the cut-off part and its tail are one row
        ("八、社会保障和就", "业支出", ["八、社会保障和就业支出", "九、住房保障支出"]),
        # a label that reads as complete keeps the next label-only row apart
        ("八、社会保障和就业支出", "上年结转", ["八、社会保障和就业支出", "上年结转", "九、住房保障支出"]),
    ],
)
def test_label_wrapped_in_its_cell_is_joined(first: str, second: str, labels: list[str]) -> None:
    from reconcile.ingest import document_from_bytes
    from reconcile.tables import parse_tables

    text = f"收支预算总表\n单位：万元\n项目\t预算数\n{first}\t1,608.51\n{second}\t\n九、住房保障支出\t1,512.23\n"
    (table,) = parse_tables(document_from_bytes(text.encode(), "t.txt"))
    assert [r.label for r in table.rows] == labels


LAYOUT = """                              2024年部门支出预算总表
编制部门：某某街道办事处                                             单位：元

                       项目                            支出预算

功能分类科目编码
                         功能分类科目名称       合计           基本支出       项目支出
类     款    项

201             一般公共服务支出                 2,932,700          0    2,932,700

201   05        统计信息事务                    257,700           0      257,700

201   05   07   专项普查活动                    257,700           0      257,700

208             社会保障和就业支出                {row}
"""


def _layout_table(row: str) -> Table:
    from reconcile.ingest import document_from_bytes
    from reconcile.tables import parse_tables

    (table,) = parse_tables(document_from_bytes(LAYOUT.format(row=row).encode(), "t.txt"))
    return table


def test_layout_text_codes_in_columns_of_their_own_and_a_spurious_header_word() -> None:
    table = _layout_table("100,000      100,000           0")
    assert table.columns == ["合计", "基本支出", "项目支出"]  # not “项目支出” from 项目 … 支出预算
    assert [r.code for r in table.rows] == ["201", "20105", "2010507", "208"]
    assert {k: c.value for k, c in table.rows[1].cells.items()} == {
        "合计": Decimal("257700"),
        "基本支出": Decimal("0"),
        "项目支出": Decimal("257700"),
    }
    assert table.problems == []


def test_layout_text_blank_cell_placed_by_position() -> None:
    # 基本支出 left blank: 100,000 ends under 合计 and under 项目支出, not under 基本支出
    table = _layout_table("100,000                 100,000")
    assert {k: c.value for k, c in table.rows[-1].cells.items()} == {
        "合计": Decimal("100000"),
        "基本支出": None,  # a blank cell, as TSV text gives it
        "项目支出": Decimal("100000"),
    }
    assert table.problems == []


def test_layout_text_row_that_cannot_be_placed_makes_the_table_unreliable() -> None:
    from reconcile.api import check_text

    # two values that end between the columns: no column fits them
    rep = check_text(LAYOUT.format(row="100,000            100,000"))
    assert rep.tables[0].problems
    assert [f.check for f in rep.findings if f.status != "verified"] == ["I002"]
