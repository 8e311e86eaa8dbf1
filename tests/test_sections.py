"""Sections: headings in every seed style, table-of-contents skipping, scopes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.document import Document
from reconcile.ingest import load_document
from reconcile.sections import RuleError, Section, load_section_rules, narrative_segments, split_sections

SEEDS = Path(__file__).resolve().parents[1] / "corpora" / "seeds"


def _doc(text: str, kind: str = "final_account") -> Document:
    return Document(text=text, path="<test>", sha256="0" * 64, format="text", kind=kind, year=2024, title="t")


@pytest.fixture(scope="session")
def seed_sections() -> dict[str, tuple[Document, list[Section]]]:
    out = {}
    for p in sorted(SEEDS.glob("*.txt")):
        doc = load_document(p)
        out[p.name[:3]] = (doc, split_sections(doc))
    return out


def _find(sections: list[Section], fragment: str) -> Section:
    hits = [s for s in sections if fragment in s.heading]
    assert hits, f"no section heading contains {fragment!r}: {[s.heading for s in sections]}"
    return hits[-1]


# ---------------------------------------------------------------- inline


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("第三部分 2024年度部门决算情况说明", 0),
        ("## **第三部分 2024年部门预算情况说明**", 0),
        ("一、收入支出决算总体情况说明", 1),
        ("  三、 2020 年度一般公共预算财政拨款“三公”经费支出决算情况说明 ", 1),
        ("（一）年度收入总体情况", 2),
        ("(二) 一般公共预算财政拨款支出决算结构情况", 2),
        ("1. 履职效能。", 3),
        ("###### **（1）工作目标管理**", 4),
    ],
)
def test_heading_levels(line: str, level: int) -> None:
    secs = split_sections(_doc(f"{line}\n\n正文一句话，没有数字。\n"))
    assert secs[0].level == level


@pytest.mark.parametrize(
    "line",
    [
        "1. 一般公共预算财政拨款收入611.98万元，比上年决算数减少69.64万元。",
        "**一、财政拨款收入：**指预算单位从本级财政部门取得的财政预算资金收入。",
        "一、一般公共预算财政拨款收入 1 2,627.63 一、一般公共服务支出 31 2,505.80",
    ],
)
def test_not_headings(line: str) -> None:
    secs = split_sections(_doc(f"第三部分 情况说明\n\n{line}\n"))
    assert [s.level for s in secs] == [0]


def test_heading_split_over_two_lines() -> None:
    text = "第三部分 清远市 2020 年部门决算\n\n情况说明 \n\n三、 2020 年度一般公共预算财政拨款“三公”经费支出决\n\n算情况说明 \n\n正文。\n"
    secs = split_sections(_doc(text))
    assert secs[0].heading.endswith("决算情况说明") and secs[0].role == "narrative"
    assert secs[1].heading == "三、2020年度一般公共预算财政拨款“三公”经费支出决算情况说明"
    assert secs[1].scope == ("three_public",)
    assert text[secs[1].heading_span[0] : secs[1].heading_span[1]].strip().endswith("算情况说明")


def test_toc_is_skipped() -> None:
    text = (
        "目录\n\n第一部分 部门概况\n\n- 一、部门职责.....4\n\n第二部分 2024年度部门决算情况说明\n\n"
        "- 一、收入支出决算总体情况说明.....6\n\n第一部分 部门概况\n\n一、部门职责\n\n负责。\n\n"
        "第二部分 2024年度部门决算情况说明\n\n一、收入支出决算总体情况说明\n\n2024 年度收入、支出总计均为 412 万元。\n"
    )
    doc = _doc(text)
    secs = split_sections(doc)
    heads = [s.heading for s in secs]
    assert heads.count("第二部分2024年度部门决算情况说明") == 1
    body = _find(secs, "收入支出决算总体")
    assert body.role == "narrative" and body.scope == ("income_expenditure_summary",)
    assert doc.line_number(body.span[0]) > 10


def test_scope_inherited_and_budget_kinds() -> None:
    text = "第三部分 情况说明\n\n二、“三公”经费安排情况\n\n（一）总体情况\n\n正文。\n\n三、政府采购情况\n\n正文。\n"
    secs = split_sections(_doc(text, kind="budget"))
    assert _find(secs, "总体情况").scope == ("budget_three_public",)
    assert _find(secs, "总体情况").parent == _find(secs, "三公").id
    assert _find(secs, "政府采购").scope == ()


def test_table_spans_are_not_narrative() -> None:
    text = "第三部分 情况说明\n\n一、收入决算情况说明\n\n收入 12 万元。\n\n项目 金额\n\n合计 12.00\n\n后文 3 万元。\n"
    doc = _doc(text)
    start = text.index("项目 金额")
    end = text.index("12.00") + 5
    segs = narrative_segments(doc, split_sections(doc, [(start, end)]), [(start, end)])
    joined = "".join(text[s:e] for s, e, _ in segs)
    assert "合计" not in joined and "收入 12 万元" in joined and "后文" in joined


def test_no_headings_is_one_narrative_section() -> None:
    secs = split_sections(_doc("基本支出 1 万元。"))
    assert len(secs) == 1 and secs[0].narrative


def test_rule_errors_name_file_rule_and_field(tmp_path: Path) -> None:
    import shutil

    tmp_path = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", tmp_path)
    src = (tmp_path / "sections.yaml").read_text(encoding="utf-8")
    (tmp_path / "sections.yaml").write_text(src.replace("pattern: '三公'", "pattern: '三公('"), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_section_rules(tmp_path)
    msg = str(exc.value)
    assert "sections.yaml" in msg and "three_public" in msg and "pattern" in msg


# ---------------------------------------------------------------- seeds

STANDARD = [
    ("000", "收入支出决算总体情况说明", "income_expenditure_summary"),
    ("000", "财政拨款收入支出总表说明", "fiscal_income_expenditure_summary"),
    ("000", "“三公”经费支出决算情况说明", "three_public"),
    ("000", "机关运行经费", "running_costs"),
    ("001", "部门预算收支增减变化情况", "budget_summary"),
    ("001", "“三公”经费安排情况", "budget_three_public"),
    ("002", "“三公”经费支出决算情况说明", "three_public"),
    ("002", "年度收入总体情况", "income"),
    ("002", "年度支出总体情况", "expenditure"),
    ("003", "二、收入决算情况说明", "income"),
    ("003", "三、支出决算情况说明", "expenditure"),
    ("003", "四、财政拨款收入支出决算总体情况说明", "fiscal_income_expenditure_summary"),
    ("003", "五、一般公共预算财政拨款支出决算情况说明", "gpb_expenditure"),
    ("003", "六、一般公共预算财政拨款基本支出决算情况说明", "gpb_basic_expenditure"),
    ("003", "八、政府性基金预算支出决算情况说明", "gov_fund_income_expenditure"),
    ("004", "（二）结构情况", "gpb_expenditure"),
    ("004", "九、财政拨款“三公”经费支出决算情况说明", "three_public"),
]


@pytest.mark.parametrize(("seed", "heading", "kind"), STANDARD)
def test_seed_scopes(
    seed_sections: dict[str, tuple[Document, list[Section]]], seed: str, heading: str, kind: str
) -> None:
    _, secs = seed_sections[seed]
    sec = _find(secs, heading)
    assert sec.role == "narrative"
    assert sec.scope and sec.scope[0] == kind


@pytest.mark.parametrize(
    ("seed", "heading"),
    [
        ("000", "政府采购支出情况说明"),
        ("003", "国有资产占有使用情况"),
        ("004", "十三、预算绩效评价情况说明"),
        ("001", "四、政府采购情况"),
    ],
)
def test_seed_no_table_scopes(
    seed_sections: dict[str, tuple[Document, list[Section]]], seed: str, heading: str
) -> None:
    _, secs = seed_sections[seed]
    assert _find(secs, heading).scope == ()


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_parts(seed_sections: dict[str, tuple[Document, list[Section]]], seed: str) -> None:
    _, secs = seed_sections[seed]
    parts = [s for s in secs if s.level == 0]
    roles = [s.role for s in parts]
    assert "narrative" in roles and "glossary" in roles
    # the table of contents never yields a section: each part appears once
    assert len({s.heading for s in parts}) == len(parts)
    for s in secs:
        assert s.span[0] <= s.heading_span[0] < s.heading_span[1] <= s.span[1]
        if s.parent:
            parent = next(p for p in secs if p.id == s.parent)
            assert parent.span[0] <= s.span[0] and s.span[1] <= parent.span[1]


def test_seed_annex_nesting(seed_sections: dict[str, tuple[Document, list[Section]]]) -> None:
    _, secs = seed_sections["003"]
    annex = _find(secs, "电子政务建设及安全运维费专项预算项目绩效评价报告")
    children = [s for s in secs if s.parent == annex.id]
    assert children and children[0].heading == "一、项目概况"
