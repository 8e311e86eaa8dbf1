"""Findings and the one catalogue of check codes.

A code is never renumbered or reused; a retired check keeps its entry with
``retired=True``. ``docs/checks.md`` documents every code (a test keeps it complete).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

__all__ = ["CATALOGUE", "CellRef", "CheckSpec", "Finding", "Severity", "Status", "spec"]

Status = Literal["inconsistent", "verified", "unverifiable"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    code: str
    name: str
    title: str
    description: str
    severity: Severity = "error"
    retired: bool = False


def _catalogue(*specs: CheckSpec) -> Mapping[str, CheckSpec]:
    out: dict[str, CheckSpec] = {}
    for s in specs:
        if s.code in out:
            raise ValueError(f"duplicate check code {s.code}")
        out[s.code] = s
    return MappingProxyType(out)


CATALOGUE: Mapping[str, CheckSpec] = _catalogue(
    # --- input and structure (I###)
    CheckSpec(
        "I001",
        "no_tables",
        "No standard table found",
        "The document holds no standard table that the rules recognise, so table identities "
        "and claim-to-cell matching cannot be checked.",
        "warning",
    ),
    CheckSpec(
        "I002",
        "table_unreadable",
        "A standard table could not be read",
        "A table title was recognised but its rows or columns could not be read reliably (for example "
        "layout text whose blank cells cannot be placed); its identities are not checked and no claim is "
        "compared with its cells.",
        "warning",
    ),
    # --- table identities (T###)
    CheckSpec(
        "T101",
        "row_sum",
        "Row total is not the sum of its columns",
        "On one row, the total column (本年收入合计, 本年支出合计, 合计, 小计) differs from the sum of "
        "the columns it totals by more than the printed rounding allows.",
    ),
    CheckSpec(
        "T102",
        "total_row",
        "Total row is not the sum of the class rows",
        "The 合计 row differs from the sum of the 类-level (3-digit) rows in the same column.",
    ),
    CheckSpec(
        "T103",
        "hierarchy_sum",
        "A classification level is not the sum of its children",
        "A 类 row differs from the sum of its 款 rows, or a 款 row from the sum of its 项 rows "
        "(function codes), or an economic class from the sum of its items; in a 政府采购预算表, a class "
        "(一、货物) differs from its 专项 lines, or a 专项 line from its items (levels read from the column the "
        "label starts in).",
    ),
    CheckSpec(
        "T104",
        "wrong_parent",
        "Classification code under the wrong parent",
        "A 款 or 项 code does not start with the code of the row it is listed under.",
    ),
    CheckSpec(
        "T105",
        "summary_balance",
        "Summary table totals or balances do not hold",
        "In a 收入支出总表 (T1/T4 or the budget 收支总体情况表): 本年收入合计 = Σ income rows, "
        "本年支出合计 = Σ expenditure rows, 收入总计 = 本年收入合计 + 使用结余 + 年初结转和结余, "
        "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余, 收入总计 = 支出总计.",
    ),
    CheckSpec(
        "T106",
        "economic_sum",
        "Basic expenditure by economic class does not add up",
        "In the 基本支出 table: 人员经费合计 = 301 + 303, 公用经费合计 = Σ its classes "
        "(302, 307, 310, 399), and each class = Σ its items.",
    ),
    CheckSpec(
        "T107",
        "three_public",
        "三公 table does not add up",
        "In the 三公 table, in both 预算数 and 决算数: 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 "
        "+ 公务接待费, and 公务用车 小计 = 购置费 + 运行维护费.",
    ),
    CheckSpec(
        "T108",
        "cross_table",
        "Two tables disagree on the same quantity",
        "A quantity that two standard tables both show (e.g. T1 本年收入合计 and T2 合计, T4 一般公共预算 "
        "column and T5 合计, T5 基本支出 and T6 人员经费 + 公用经费) differs between them.",
    ),
    CheckSpec(
        "T109",
        "note_contradiction",
        "A table note contradicts the table",
        "A note under a table says it has no data (本表无数据 / 无发生额) while the table holds non-zero "
        "amounts, or the reverse.",
    ),
    CheckSpec(
        "T110",
        "column_sum",
        "A column total is not the sum of its rows",
        "In a flat list table (no classification codes) grouped by 小计 rows, a 小计 differs from the sum of its "
        "items, or the 总计/合计 row from the sum of the 小计 rows; or the 合计 of a 政府采购预算表 differs "
        "from its classes 货物 + 工程 + 服务.",
    ),
    # --- narrative claims (N###)
    CheckSpec(
        "N201",
        "amount",
        "Narrative amount differs from its table cell",
        "An amount stated in the narrative differs from the table cell it describes.",
    ),
    CheckSpec(
        "N202",
        "change",
        "Stated change does not match the two amounts",
        "A stated increase or decrease (比上年 / 比预算 增加/减少 X) does not equal the difference of the "
        "current and base amounts where both are known.",
    ),
    CheckSpec(
        "N203",
        "rate",
        "Growth rate does not follow from the amounts",
        "A stated growth or decline rate differs from change / base, computed from the amounts' printed intervals.",
    ),
    CheckSpec(
        "N204",
        "share",
        "Share does not follow from part and whole",
        "A stated share (占 …%) differs from part / whole.",
    ),
    CheckSpec(
        "N205",
        "completion",
        "Completion rate does not follow from actual and budget",
        "A stated completion or execution rate (完成预算的 …%) differs from actual / budget.",
    ),
    CheckSpec(
        "N206",
        "components_sum",
        "Stated total is not the sum of its listed parts",
        "A total followed by its components (其中：…、…) differs from the sum of those components; or items "
        "listed one by one with a 年初预算 and a 决算 each, when one figure's items add up to its total (so the "
        "list is complete) and the other's do not.",
    ),
    CheckSpec(
        "N207",
        "savings",
        "Savings or balance is not budget minus actual",
        "A stated saving, balance or difference differs from the difference of the two amounts.",
    ),
    CheckSpec(
        "N208",
        "direction",
        "Direction words disagree",
        "增加/增长 and 减少/下降 words in one claim disagree with each other, or with the sign of the change "
        "computed from the tables.",
    ),
    CheckSpec(
        "N209",
        "zero_base",
        "Rate stated over a zero base",
        "A growth or completion rate is given as a number although the base is zero.",
    ),
    CheckSpec(
        "N210",
        "unit",
        "Unit slip",
        "An amount is given in the wrong unit (元 for 万元, or no unit), visible because the number "
        "matches its table cell only after converting the unit.",
    ),
    CheckSpec(
        "N211",
        "qualitative",
        "Qualitative statement contradicts the numbers",
        "持平 / 无差异 / 等于预算 / 大于 / 小于 statements that the numbers contradict; a reason that moves the item "
        "the other way than the stated change (减少… 主要原因是…经费增加); a performance indicator's verdict "
        "(超额完成 / 达到 / 略低于 / 未完成目标值) that its target and actual values contradict; a note tying a table "
        "to a row of another table (…与《…》的“…”一致) that the tables contradict; a subject said not to exist "
        "(没有使用政府性基金安排的支出) whose cell is not 0.",
    ),
    CheckSpec(
        "N212",
        "same_quantity",
        "Same quantity, two different values",
        "The same quantity (an amount, a count such as vehicles, a score and its grade, a performance indicator "
        "with the same target in one list, a count stated as N whose list then names M items, a thing said not "
        "to exist and counted elsewhere, the change of one subject at one level against the same base) is given "
        "two different values in two places of the document.",
    ),
    CheckSpec(
        "N213",
        "count_sum",
        "Stated count or score total is not the sum of its parts",
        "A total of counts or scores differs from the sum of the listed parts, or a list said to have N items "
        "(从A、B、C 3个方面) names another number.",
    ),
    CheckSpec(
        "N214",
        "coarse_pass",
        "Passes only thanks to coarse rounding",
        "The claim is consistent only because one of its figures was printed with few decimals "
        "(for example an integer number of 万元).",
        "info",
    ),
    CheckSpec(
        "N215",
        "multiple",
        "Multiple stated as a rate",
        "A stated multiple (增长 N 倍) does not follow from the amounts, read either as the increase over the "
        "earlier figure or as the new figure over it (writers use both), within printed rounding or truncation.",
    ),
    CheckSpec(
        "N216",
        "exceeds_total",
        "Executed amount exceeds the year's total expenditure",
        "In a final account, an amount the narrative says was executed or actually spent (执行数, 实际支出) "
        "is larger than the year's total expenditure (本年支出合计), which holds every expenditure of the year.",
    ),
    CheckSpec(
        "N217",
        "increase_exceeds_level",
        "Increase larger than the amount it leads to",
        "A stated increase (比上年增加 X) is larger than the amount stated with it, so the earlier figure would be "
        "negative, which no amount of spending or income can be.",
    ),
    CheckSpec(
        "N290",
        "unmatched",
        "Claim could not be checked",
        "The claim was read but nothing in the document lets it be checked, or two candidate cells "
        "disagree; the reason is given in the message.",
        "info",
    ),
    # --- across documents (X###)
    CheckSpec(
        "X301",
        "prior_year",
        "Change disagrees with last year's report",
        "A 比上年 change stated this year does not match the value the same organisation reported the year before.",
    ),
    CheckSpec(
        "X302",
        "budget_vs_final",
        "Budget figure disagrees with the budget document",
        "A 年初预算 figure quoted in a final account differs from the organisation's budget document for that year.",
    ),
)


def spec(code: str) -> CheckSpec:
    try:
        return CATALOGUE[code]
    except KeyError:  # pragma: no cover - programming error
        raise KeyError(f"unknown check code {code!r}; add it to reconcile.findings.CATALOGUE") from None


@dataclass(frozen=True, slots=True)
class CellRef:
    """A table cell a finding rests on."""

    table: str
    row: str
    column: str
    value: Decimal | None = None
    span: tuple[int, int] | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    status: Status
    message: str
    spans: tuple[tuple[int, int], ...] = ()
    claims: tuple[str, ...] = ()
    cells: tuple[CellRef, ...] = ()
    expected: Decimal | None = None
    observed: Decimal | None = None
    tolerance: tuple[Decimal, Decimal] | None = None
    severity: Severity | None = None
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        s = spec(self.check)
        if self.severity is None:
            sev: Severity = s.severity if self.status == "inconsistent" else "info"
            object.__setattr__(self, "severity", sev)

    @property
    def name(self) -> str:
        return spec(self.check).name

    def all_spans(self) -> tuple[tuple[int, int], ...]:
        cell_spans = tuple(c.span for c in self.cells if c.span is not None)
        seen: dict[tuple[int, int], None] = {}
        for s in (*self.spans, *cell_spans):
            seen.setdefault(s, None)
        return tuple(seen)
