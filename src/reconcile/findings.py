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

from .cause_catalogue import CAUSES, Cause, CauseSpec, cause

__all__ = [
    "CATALOGUE",
    "CAUSES",
    "NEUTRAL_TITLES",
    "Cause",
    "CauseSpec",
    "CellRef",
    "CheckSpec",
    "Finding",
    "Severity",
    "Status",
    "cause",
    "spec",
]

Status = Literal["inconsistent", "verified", "unverifiable"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One check code: its name, title and description (docs/checks.md), default severity,
    the message templates its findings are written from, and tags that group codes
    (frictionless-style: ``claim``, ``table``, ``rate`` …).

    ``messages`` maps a template name to a :meth:`str.format` template. A verified or
    inconsistent finding uses ``verified`` / ``inconsistent`` (or ``<variant>.verified`` /
    ``<variant>.inconsistent`` when one code is checked in several ways); ``coarse`` is the
    verified message reported as N214 when the relation holds only thanks to coarse
    rounding; other names are findings of one status only or pieces of a message."""

    code: str
    name: str
    title: str
    description: str
    severity: Severity = "error"
    retired: bool = False
    messages: Mapping[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    def message(self, template: str, fields: Mapping[str, object]) -> str:
        """The ``template`` message of this code filled with ``fields``."""
        try:
            text = self.messages[template]
        except KeyError:  # pragma: no cover - programming error
            raise KeyError(f"{self.code} has no message template {template!r}") from None
        # a claim whose subject could not be named says so, not “None”
        return text.format_map({k: ("(unnamed)" if v is None and k == "subject" else v) for k, v in fields.items()})


def _catalogue(*specs: CheckSpec) -> Mapping[str, CheckSpec]:
    out: dict[str, CheckSpec] = {}
    for s in specs:
        if s.code in out:
            raise ValueError(f"duplicate check code {s.code}")
        out[s.code] = s
    return MappingProxyType(out)


# a total and its listed parts: money (N206) or counts and scores (N213)
_COMPONENTS = {
    "components.verified": "{subject}: {listing} = {value}, stated {total}{slip}",
    "components.slip": " (reading the part in 元 as 万元)",
    "components.inconsistent": "{subject} is stated as {printed}, but its listed parts sum to {listing} = {value} (difference {difference})",
}

# a printed total against the sum of its printed parts (the table identities)
_SUM = {
    "inconsistent": "{what}: {where} [{column}] is {observed}, but {against} "
    "(difference {difference}; printed rounding allows {low}–{high})",
}

CATALOGUE: Mapping[str, CheckSpec] = _catalogue(
    # --- input and structure (I###)
    CheckSpec(
        "I001",
        "no_tables",
        "No standard table found",
        "The document holds no standard table that the rules recognise, so table identities "
        "and claim-to-cell matching cannot be checked.",
        "warning",
        messages={
            "unverifiable": "no standard table found: table identities and claim-to-table matching were not checked"
        },
        tags=("input",),
    ),
    CheckSpec(
        "I002",
        "table_unreadable",
        "A standard table could not be read",
        "A table title was recognised but its rows or columns could not be read reliably (for example "
        "layout text whose blank cells cannot be placed); its identities are not checked and no claim is "
        "compared with its cells.",
        "warning",
        messages={"unverifiable": "{table} {title}: {problems}"},
        tags=("input", "table"),
    ),
    # --- table identities (T###)
    CheckSpec(
        "T101",
        "row_sum",
        "Row total is not the sum of its columns",
        "On one row, the total column (本年收入合计, 本年支出合计, 合计, 小计) differs from the sum of "
        "the columns it totals by more than the printed rounding allows.",
        messages=_SUM,
        tags=("table", "row"),
    ),
    CheckSpec(
        "T102",
        "total_row",
        "Total row is not the sum of the class rows",
        "The 合计 row differs from the sum of the 类-level (3-digit) rows in the same column.",
        messages=_SUM,
        tags=("table", "column"),
    ),
    CheckSpec(
        "T103",
        "hierarchy_sum",
        "A classification level is not the sum of its children",
        "A 类 row differs from the sum of its 款 rows, or a 款 row from the sum of its 项 rows "
        "(function codes), or an economic class from the sum of its items; in a 政府采购预算表, a class "
        "(一、货物) differs from its 专项 lines, or a 专项 line from its items (levels read from the column the "
        "label starts in).",
        messages=_SUM,
        tags=("table", "hierarchy"),
    ),
    CheckSpec(
        "T104",
        "wrong_parent",
        "Classification code under the wrong parent",
        "A 款 or 项 code does not start with the code of the row it is listed under.",
        messages={
            "inconsistent": "code under the wrong parent: {table} {title} lists {code} {label} under {parent_code} "
            "{parent_label}, but a child code must start with {parent_code}"
        },
        tags=("table", "hierarchy"),
    ),
    CheckSpec(
        "T105",
        "summary_balance",
        "Summary table totals or balances do not hold",
        "In a 收入支出总表 (T1/T4 or the budget 收支总体情况表): 本年收入合计 = Σ income rows, "
        "本年支出合计 = Σ expenditure rows, 收入总计 = 本年收入合计 + 使用结余 + 年初结转和结余, "
        "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余, 收入总计 = 支出总计.",
        messages={
            **_SUM,
            "fund_balance": "年初结转和结余 + 本年收入 − 本年支出 ≠ 年末结转和结余: {where}: {start} + {income} − "
            "{spending} = {expected}, table shows {observed}",
        },
        tags=("table", "balance"),
    ),
    CheckSpec(
        "T106",
        "economic_sum",
        "Basic expenditure by economic class does not add up",
        "In the 基本支出 table: 人员经费合计 = 301 + 303, 公用经费合计 = Σ its classes "
        "(302, 307, 310, 399), and each class = Σ its items.",
        messages=_SUM,
        tags=("table", "economic"),
    ),
    CheckSpec(
        "T107",
        "three_public",
        "三公 table does not add up",
        "In the 三公 table, in both 预算数 and 决算数: 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 "
        "+ 公务接待费, and 公务用车 小计 = 购置费 + 运行维护费.",
        messages=_SUM,
        tags=("table", "three-public"),
    ),
    CheckSpec(
        "T108",
        "cross_table",
        "Two tables disagree on the same quantity",
        "A quantity that two standard tables both show (e.g. T1 本年收入合计 and T2 合计, T4 一般公共预算 "
        "column and T5 合计, T5 基本支出 and T6 人员经费 + 公用经费) differs between them.",
        messages=_SUM,
        tags=("table", "across-tables"),
    ),
    CheckSpec(
        "T109",
        "note_contradiction",
        "A table note contradicts the table",
        "A note under a table says it has no data (本表无数据 / 无发生额) while the table holds non-zero "
        "amounts, or the reverse.",
        messages={
            "inconsistent": "note contradicts the table: {table} {title} says “{note}”, but the table holds non-zero "
            "amounts (e.g. {row} [{column}] {value})"
        },
        tags=("table", "note"),
    ),
    CheckSpec(
        "T110",
        "column_sum",
        "A column total is not the sum of its rows",
        "In a flat list table (no classification codes) grouped by 小计 rows, a 小计 differs from the sum of its "
        "items, or the 总计/合计 row from the sum of the 小计 rows; or the 合计 of a 政府采购预算表 differs "
        "from its classes 货物 + 工程 + 服务.",
        messages=_SUM,
        tags=("table", "column"),
    ),
    # --- narrative claims (N###)
    CheckSpec(
        "N201",
        "amount",
        "Narrative amount differs from its table cell",
        "An amount stated in the narrative differs from the table cell it describes.",
        messages={
            "verified": "{subject} {printed} = {label} {cell}",
            "coarse": "{subject} {printed} = {label} {cell} (only as rounded to a whole 万元)",
            "other_rounding": "{subject} {printed} = {label} {exact} (only as rounded another way: the table "
            "prints {cell_decimals} decimals, the narrative {decimals}, truncated or rounded twice)",
            "inconsistent": "{subject}: the narrative says {printed}, but {label} shows {cell}万元 (difference {difference}){note}",
            "suspect_cell": "; that cell itself fails {check}",
            "blank_cell": "{label} is left blank in the table, which is not a printed zero",
            "carry_over": "the narrative's total counts the carry-over (上年结转) it lists, while {label} is the "
            "year's total without it",
            "same_decimals": "; both are printed to {decimals} decimals, so rounding cannot part them",
            "coverage": "a whole-unit evaluation that covered 0 (涉及…0) did not evaluate the unit's spending (a unit "
            "outside its pilot): no claim of the year's total {label} {cell}",
        },
        tags=("claim", "amount", "cell"),
    ),
    CheckSpec(
        "N202",
        "change",
        "Stated change does not match the two amounts",
        "Retired, never emitted: a stated increase or decrease (比上年 / 比预算 增加/减少 X) that does not "
        "equal the difference of the current and base amounts. Such changes are reported as N207 (against the "
        "budget), N203/N208 (through their rate), N212 (stated twice), N217 (above their level) or X301.",
        retired=True,
        tags=("claim", "change"),
    ),
    CheckSpec(
        "N203",
        "rate",
        "Growth rate does not follow from the amounts",
        "A stated growth or decline rate differs from change / base, computed from the amounts' printed intervals.",
        messages={
            "zero_change": "{subject}: change 0 ⇒ rate 0%, reported {reported}%",
            "verified": "{subject}: {change} / ({amount} {sign} {change}) = {expected}%, reported {reported}%",
            "coarse": "{subject}: {change} / ({amount} {sign} {change}) = {expected}%, reported {reported}% (only thanks to coarse rounding)",
            "inconsistent": "{subject}: {change} / ({amount} {sign} {change}) = {expected}%, reported {reported}% "
            "(inputs' rounding allows {lo}%–{hi}%)",
            "stated_base.verified": "({current} − {base}) / {base} = {expected}%, reported {words} {reported}%",
            "stated_base.inconsistent": "({current} − {base}) / {base} = {expected}%, reported {words} {reported}% "
            "(rounding allows {lo}%–{hi}%)",
        },
        tags=("claim", "rate"),
    ),
    CheckSpec(
        "N204",
        "share",
        "Share does not follow from part and whole",
        "A stated share (占 …%) differs from part / whole.",
        messages={
            "verified": "{subject}: {part} / {whole} = {expected}%, reported {reported}%",
            "coarse": "{subject}: {part} / {whole} = {expected}%, reported {reported}% (only thanks to coarse rounding)",
            "inconsistent": "{subject}: {part} / {whole} = {expected}%, reported {reported}% (rounding allows {lo}%–{hi}%)",
            "chart.verified": "a chart's share: {subject} {part} / {whole} = {expected}%, printed {reported}% (the "
            "chart's labels are not read: the share is matched by value to one amount of its section)",
        },
        tags=("claim", "share"),
    ),
    CheckSpec(
        "N205",
        "completion",
        "Completion rate does not follow from actual and budget",
        "A stated completion or execution rate (完成预算的 …%) differs from actual / budget.",
        messages={
            "verified": "{subject}: {actual} / {budget} = {expected}%, reported {reported}%",
            "coarse": "{subject}: {actual} / {budget} = {expected}%, reported {reported}% (only thanks to coarse rounding)",
            "inconsistent": "{subject}: completion {actual} / {budget} = {expected}%, reported {reported}% (rounding allows {lo}%–{hi}%)",
        },
        tags=("claim", "completion"),
    ),
    CheckSpec(
        "N206",
        "components_sum",
        "Stated total is not the sum of its listed parts",
        "A total followed by its components (其中：…、…) differs from the sum of those components; or items "
        "listed one by one with a 年初预算 and a 决算 each, when one figure's items add up to its total (so the "
        "list is complete) and the other's do not.",
        messages={
            **_COMPONENTS,
            "item_list.verified": "{label}: {listing} = {value}, stated {total}",
            "item_list.inconsistent": "{label}: the {count} items listed one by one add up to {listing} = {value}, but the stated total is {printed} (difference {difference}); the list is complete, since its {other_figure} figures add up to {other}",
            "category.verified": "{listing} = {value}, stated {amount}",
            "category.inconsistent": "{listing} = {value}, but “{count}” have {figure}数 {amount} (difference {difference}); the categories cover all {n} projects ({counts} = {n}){note}",
            "category.other_figure": "; {value} is the {figure} figure stated with it (“{text}”)",
            "heading.verified": "{label}: {listing} = {value}, stated {total}",
            "heading.coarse": "{label}: {listing} = {value}, stated {total} (only thanks to coarse rounding of its parts)",
            "heading.inconsistent": "{label} is stated as {total}, but the parts listed below it sum to {listing} = {value} (difference {difference})",
        },
        tags=("claim", "sum"),
    ),
    CheckSpec(
        "N207",
        "savings",
        "Savings or balance is not budget minus actual",
        "A stated saving, balance or difference differs from the difference of the two amounts.",
        messages={
            "budget_change.verified": "{subject}: {actual} − {base} {budget} = {expected}, stated {word} {value}",
            "budget_change.inconsistent": "{subject}: {actual} − {base} {budget} = {expected}, but the text says {word} {printed}",
            "difference.verified": "{a} − {b} = {value}, stated {stated}",
            "difference.inconsistent": "the difference {a} − {b} = {value}, but the narrative says {printed}",
        },
        tags=("claim", "difference"),
    ),
    CheckSpec(
        "N208",
        "direction",
        "Direction words disagree",
        "增加/增长 and 减少/下降 words in one claim disagree with each other, or with the sign of the change "
        "computed from the tables.",
        messages={
            "words": "direction words disagree: “{change}” ({change_words}) but “{rate}” ({rate_words})",
            "stated_base": "direction: ({current} − {base}) / {base} = {expected}%, but the text says {words} {reported}%",
        },
        tags=("claim", "direction"),
    ),
    CheckSpec(
        "N209",
        "zero_base",
        "Rate stated over a zero base",
        "A growth or completion rate is given as a number although the base is zero.",
        messages={
            "rate": "rate over a zero base: {subject} {amount} with a change of {change} means the {base} figure was 0, so “{rate}” cannot be a number (write “--” / 不可比)",
            "stated_base": "rate over a zero base: the earlier figure “{base}” is 0, so “{rate}” cannot be a number (write “--” / 不可比)",
            "share": "share of a zero whole: {whole} is 0, “{share}”",
            "completion": "completion over a zero budget: the budget ({budget}) is 0, so “{text}” cannot be a rate (write “--”)",
        },
        tags=("claim", "rate", "zero-base"),
    ),
    CheckSpec(
        "N210",
        "unit",
        "Unit slip",
        "An amount is given in the wrong unit (元 for 万元, or no unit), visible because the number "
        "matches its table cell only after converting the unit.",
        messages={
            "missing_unit_cell": "missing unit: “{text}” gives {value} with no unit; {label} shows {cell}万元",
            "unit_slip": "unit slip: “{text}” says {value}元, but {label} is {cell}万元 — 元 written for 万元",
            "part_slip": "unit slip: “{text}” is in 元, but the parts of {subject} {total} add up only if it is {value}万元",
            "garbled": "garbled unit: “{text}” mixes % and 万元",
            "missing_unit": "missing unit: “{text}” gives {value} without 万元",
        },
        tags=("claim", "unit"),
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
        messages={
            "unchanged.verified": "{subject}: change 0, “{text}”",
            "unchanged.inconsistent": "{subject}: “{text}” says unchanged, but “{change}” states a change of {printed}",
            "equal_budget.verified": "{subject}: 决算 {actual} = 预算 {budget}",
            "equal_budget.inconsistent": "{subject}: “{text}” says 决算 equals 预算, but 决算 is {printed} and 预算 is {budget}",
            "order.verified": "{subject}: 决算 {actual}, 预算 {budget}: “{text}” holds",
            "order.inconsistent": "{subject}: 决算 {actual}, 预算 {budget}, but the text says 决算 {said} 预算 (“{text}”)",
            "absence.verified": "“{text}”: {label} is 0",
            "absence.inconsistent": "“{text}” says there is none, but {label} shows {cell}万元",
            "reason": "{item}: “{text}” is {stated}, but the reason given next says “{reason}” ({said})",
            "indicator.verified": "{name}: 目标值{rel}{target}%, 实际完成值 {actual}%: “{verdict}”",
            "indicator.inconsistent": "{name}: 目标值{rel}{target}%, 实际完成值 {actual}%, but the text says “{verdict}”",
            "note.verified": "“{note}”: {mine} = {other}",
            "note.inconsistent": "“{note}”, but {values} differ from {other} {cell}",
        },
        tags=("claim", "qualitative"),
    ),
    CheckSpec(
        "N212",
        "same_quantity",
        "Same quantity, two different values",
        "The same quantity (an amount, a count such as vehicles, a score and its grade, a performance indicator "
        "with the same target in one list, a count stated as N whose list then names M items, a thing said not "
        "to exist and counted elsewhere, the change of one subject at one level against the same base) is given "
        "two different values in two places of the document.",
        messages={
            "indicator": "the indicator {name} (目标值{rel}{target}%) is given two actual values: “{first}” (line {first_line}) and “{second}” (line {second_line})",
            "enumeration": "{noun}: “{text}” (line {line}), but its list names {stated}: {items}",
            "none_counted": "{thing}: line {line} says there is none (“{none}”), but line {count_line} counts {n} (“{count}”)",
            "same": "the same quantity has two values: “{first}” (line {first_line}) and “{second}” (line {second_line})",
            "restated.verified": "{subject}: “{first}” (line {first_line}) and “{second}” (line {second_line}) state the same change",
            "restated.inconsistent": "{subject}: the same change is stated twice with two values: “{first}” (line {first_line}) and “{second}” (line {second_line}), both against {level}",
        },
        tags=("claim", "repeated"),
    ),
    CheckSpec(
        "N213",
        "count_sum",
        "Stated count or score total is not the sum of its parts",
        "A total of counts or scores differs from the sum of the listed parts, or a list said to have N items "
        "(从A、B、C 3个方面) names another number.",
        messages={
            **_COMPONENTS,
            "enumeration.inconsistent": "{noun}: the list names {count} items ({items}), but says {stated} 个",
            "enumeration.verified": "{noun}: {stated} listed, {stated} stated",
        },
        tags=("claim", "count", "sum"),
    ),
    CheckSpec(
        "N214",
        "coarse_pass",
        "Passes only thanks to coarse rounding",
        "The claim is consistent only because one of its figures was printed with few decimals "
        "(for example an integer number of 万元).",
        "info",
        tags=("claim", "rounding"),
    ),
    CheckSpec(
        "N215",
        "multiple",
        "Multiple stated as a rate",
        "A stated multiple (增长 N 倍) does not follow from the amounts, read either as the increase over the "
        "earlier figure or as the new figure over it (writers use both), within printed rounding or truncation.",
        messages={
            "verified": "{subject}: {change} / ({amount} − {change}) = {increase} 倍 (new / old = {whole}), reported {reported}倍",
            "inconsistent": "{subject}: {change} / ({amount} − {change}) = {increase} 倍 (new / old = {whole}), reported {reported}倍",
        },
        tags=("claim", "rate", "multiple"),
    ),
    CheckSpec(
        "N216",
        "exceeds_total",
        "Executed amount exceeds the year's total expenditure",
        "In a final account, an amount the narrative says was executed or actually spent (执行数, 实际支出) "
        "is larger than the year's total expenditure (本年支出合计), which holds every expenditure of the year.",
        messages={
            "inconsistent": "“{text}” is more than the year's total expenditure: {label} is {cell}万元, and no amount spent in the year can exceed it (difference {difference})",
        },
        tags=("claim", "amount", "bound"),
    ),
    CheckSpec(
        "N217",
        "increase_exceeds_level",
        "Increase larger than the amount it leads to",
        "A stated increase (比上年增加 X) is larger than the amount stated with it, so the earlier figure would be "
        "negative, which no amount of spending or income can be.",
        messages={
            "inconsistent": "{subject}: “{text}” is more than the amount it leads to ({level}), so the earlier figure would be {amount} − {change} = {prior}, and an amount spent or received cannot be negative",
        },
        tags=("claim", "change", "bound"),
    ),
    CheckSpec(
        "N219",
        "change_parts",
        "Change of a total is not the sum of its parts' changes",
        "A total and every one of its parts are stated with a change against the same base, the parts' amounts "
        "add up to the total's, and the parts' signed changes do not add up to the total's change.",
        messages={
            "verified": "{subject}: its parts' changes {listing} = {value}, stated {total}",
            "inconsistent": "{subject}: “{printed}”, but the changes stated for its parts add up to {listing} = "
            "{value} (difference {difference}); its parts' amounts add up to its own, so they are all of it",
        },
        tags=("claim", "change", "sum"),
    ),
    CheckSpec(
        "N218",
        "change_base",
        "Stated change does not match its level and stated base",
        "A change written with its level and the base amount in one sentence (“支出预算213,895.03万元，比2025年年初"
        "预算数211,138.66万元增加2,756.37万元”) differs from level − base, computed from the printed intervals.",
        messages={
            "verified": "{subject}: {current} − {base} = {expected}, stated {word} {value}",
            "inconsistent": "{subject}: {current} − {base} = {expected}, but the text says {word} {printed}",
        },
        tags=("claim", "change"),
    ),
    CheckSpec(
        "N290",
        "unmatched",
        "Claim could not be checked",
        "The claim was read but nothing in the document lets it be checked, or two candidate cells "
        "disagree; the reason is given in the message.",
        "info",
        messages={
            "ambiguous": "{subject} {printed}: two table cells could be meant and they disagree ({listing}); {which} — not guessed",
        },
        tags=("claim", "unchecked"),
    ),
    # --- across documents (X###)
    CheckSpec(
        "X301",
        "prior_year",
        "Change disagrees with last year's report",
        "A 比上年 change stated this year does not match the value the same organisation reported the year before.",
        tags=("across-documents", "change"),
    ),
    CheckSpec(
        "X302",
        "budget_vs_final",
        "Budget figure disagrees with the budget document",
        "A 年初预算 figure quoted in a final account differs from the organisation's budget document for that year.",
        tags=("across-documents", "budget"),
    ),
)


def spec(code: str) -> CheckSpec:
    try:
        return CATALOGUE[code]
    except KeyError:  # pragma: no cover - programming error
        raise KeyError(f"unknown check code {code!r}; add it to reconcile.findings.CATALOGUE") from None


#: A neutral title per code, for findings that are not inconsistent (the catalogue's titles name the failure).
NEUTRAL_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "I001": "Standard tables looked for",
        "I002": "Reading of a standard table",
        "T101": "Row total against the sum of its columns",
        "T102": "Total row against the sum of the class rows",
        "T103": "Classification level against the sum of its children",
        "T104": "Classification code under its parent",
        "T105": "Summary table totals and balances",
        "T106": "Basic expenditure by economic class",
        "T107": "三公 table sums",
        "T108": "Same quantity in two tables",
        "T109": "Table note against the table",
        "T110": "Column total against the sum of its rows",
        "N201": "Narrative amount against its table cell",
        "N202": "Stated change against the two amounts",
        "N203": "Growth rate against the amounts",
        "N204": "Share against part and whole",
        "N205": "Completion rate against actual and budget",
        "N206": "Stated total against its listed parts",
        "N207": "Savings or balance against budget and actual",
        "N208": "Direction words",
        "N209": "Rate and its base",
        "N210": "Unit of an amount",
        "N211": "Qualitative statement against the numbers",
        "N212": "Same quantity stated twice",
        "N213": "Count or score total against its parts",
        "N214": "Passes only thanks to coarse rounding",
        "N215": "Multiple against the amounts",
        "N216": "Executed amount against the year's total expenditure",
        "N217": "Increase against the amount it leads to",
        "N218": "Stated change against its level and base",
        "N219": "Change of a total against its parts' changes",
        "N290": "Claim that could not be checked",
        "X301": "Change against last year's report",
        "X302": "Budget figure against the budget document",
    }
)


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
    likely_cause: Cause | None = None

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
