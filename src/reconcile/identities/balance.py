"""Balances of the summary tables (T105): the year's total = the rows above it, the grand
total = the year's total + the balances below it, a balance = its fund rows, the 收入 and
支出 grand totals agree; and in a fund table, opening + income − spending = closing."""

from __future__ import annotations

import re

from ..findings import Finding, spec
from ..model import Row, Table, compact
from ..rules import Rules
from .compare import count, filled_columns, fmt, iv, ref, sum_finding, where
from .numbering import depths, ordinal
from .registry import check

__all__ = ["check_fund_balance", "check_summary_balance"]

_FUND_SUBROWS = (
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
)
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[、）)]")
# “当年收入” alone: a PDF cell whose “小计” wrapped onto a line of its own
_YEAR_TOTAL = re.compile(r"^(?:本年|当年)(?:收入|支出)(?:合计|小计)?$")
_GRAND = ("总计", "收入总计", "支出总计")
_SUMS = ("收入合计", "支出合计")


@check("summary_balance")
def check_summary_balance(table: Table, rules: Rules) -> list[Finding]:
    """T105 on a 收支总表: within each block the year's total and the grand total; then a
    block by use against the year's total of its side, and the two grand totals."""
    out: list[Finding] = []
    blocks = table.blocks()
    grand: dict[str, Row] = {}
    year_rows: dict[str, Row] = {}
    for block in blocks:
        rows = table.rows_in(block)
        idx_year, idx_total = _year_and_grand(rows)
        numbered = idx_year is not None and ordinal(rows[idx_year].label) is not None
        if idx_year is not None:
            year_rows[block] = rows[idx_year]
            if not numbered:
                out.extend(_year_total(table, rows, idx_year))
        if idx_year is not None and idx_total is not None and idx_total > idx_year:
            grand_total = _numbered_grand_total if numbered else _grand_total
            out.extend(grand_total(table, rows, idx_year, idx_total))
        if idx_total is not None:
            grand[block] = rows[idx_total]
    out.extend(_blocks_by_use(table, blocks, year_rows, grand))
    out.extend(_grand_totals_agree(table, grand))
    return out


def _year_and_grand(rows: list[Row]) -> tuple[int | None, int | None]:
    """Where the year's total (本年收入合计 …) and the grand total (总计 …) stand in a block."""
    idx_year = next((i for i, r in enumerate(rows) if _YEAR_TOTAL.match(r.name)), None)
    grand_names = _GRAND + (_SUMS if idx_year is not None else ())
    if idx_year is None and not any(r.name in grand_names for r in rows):
        # 财政拨款收支预算总表 (Jiangsu): 一、… 二、… then 收入合计 / 支出合计 and nothing else
        idx_year = next((i for i, r in enumerate(rows) if r.name in _SUMS), None)
        if idx_year is not None and not any(_ORDINAL.match(r.label) for r in rows[:idx_year]):
            idx_year = None
    idx_total = next((i for i, r in enumerate(rows) if r.name in grand_names), None)
    return idx_year, idx_total


def _year_total(table: Table, rows: list[Row], idx_year: int) -> list[Finding]:
    """The year's total = the items above it (the ordinal rows, else every labelled row
    but the fund sub-rows)."""
    out: list[Finding] = []
    above = rows[:idx_year]
    depth = depths([r.label for r in above])
    if any(d is None for d in depth):  # numbers skipped (empty rows left out): every 一、-style row
        items = [r for r in above if _ORDINAL.match(r.label)]
    else:  # the top level of the numbered list (一、财政拨款 over 1.一般公共预算拨款 …)
        top = min((d for d in depth if d), default=None)
        items = [r for r, d in zip(above, depth, strict=True) if top is not None and d == top]
    if not items:
        items = [r for r in rows[:idx_year] if r.label and r.name not in _FUND_SUBROWS]
    for col in filled_columns(rows[idx_year]):
        f = sum_finding(
            "T105",
            f"{rows[idx_year].name} ≠ sum of the rows above it",
            (table, rows[idx_year], col),
            [(table, r, col) for r in items],
            parts_desc=None,
        )
        if f:
            out.append(f)
    return out


def _grand_total(table: Table, rows: list[Row], idx_year: int, idx_total: int) -> list[Finding]:
    """The grand total = the year's total + the balances between them; a balance split by
    fund = its fund rows."""
    out: list[Finding] = []
    balances = _balances(rows[idx_year + 1 : idx_total])
    for col in filled_columns(rows[idx_total]):
        f = sum_finding(
            "T105",
            f"{rows[idx_total].name} ≠ {rows[idx_year].name} + the balances below it",
            (table, rows[idx_total], col),
            [(table, r, col) for r in [rows[idx_year], *(b for b, _ in balances)]],
        )
        if f:
            out.append(f)
    for r, subs in balances:
        if subs:
            for col in filled_columns(r) or _filled_columns_of(subs):
                f = sum_finding(
                    "T105", f"{r.name} ≠ sum of its fund rows", (table, r, col), [(table, s, col) for s in subs]
                )
                if f:
                    out.append(f)
    return out


def _numbered_grand_total(table: Table, rows: list[Row], idx_year: int, idx_total: int) -> list[Finding]:
    """“一、本年收入 （一）… 二、上年结转 （一）… 收入总计”: the grand total = the items of the
    year's total's list, each of them = the rows of the list inside it."""
    span = rows[idx_year:idx_total]
    depth = depths([r.label for r in span])
    if depth[0] is None or any(d is None for d in depth):
        return []  # numbering that does not read as nested lists: not guessed
    items = [i for i, d in enumerate(depth) if d == depth[0]]
    out: list[Finding] = []
    for col in filled_columns(rows[idx_total]):
        parts = [(table, span[i], col) for i in items]
        f = sum_finding("T105", f"{rows[idx_total].name} ≠ the sum of its items", (table, rows[idx_total], col), parts)
        if f:
            out.append(f)
    for a, b in zip(items, [*items[1:], len(span)], strict=True):
        kids = [span[i] for i in range(a + 1, b) if depth[i] == (depth[0] or 0) + 1]
        for col in filled_columns(span[a]) if kids else []:
            f = sum_finding(
                "T105", f"{span[a].name} ≠ the sum of its rows", (table, span[a], col), [(table, k, col) for k in kids]
            )
            if f:
                out.append(f)
    return out


def _balances(between: list[Row]) -> list[tuple[Row, list[Row]]]:
    """The balances between the year's total and the grand total, each with its fund rows: rows
    named by fund, or numbered rows (一、…) under an unnumbered balance (上年结转结余)."""
    out: list[tuple[Row, list[Row]]] = []
    for r in between:
        if compact(r.label).startswith("其中"):
            continue  # “其中：财政拨款资金结转”: a subset of the balance above it, not a part
        numbered_under = bool(out) and ordinal(r.label) is not None and ordinal(out[-1][0].label) is None
        if r.name in _FUND_SUBROWS or numbered_under:
            if out:
                out[-1][1].append(r)
            continue
        out.append((r, []))
    return out


def _filled_columns_of(rows: list[Row]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for c in filled_columns(r):
            seen.setdefault(c, None)
    return list(seen)


def _blocks_by_use(table: Table, blocks: list[str], year_rows: dict[str, Row], grand: dict[str, Row]) -> list[Finding]:
    """A second 支出 block by use (一、基本支出 二、项目支出 三、单位预留机动经费) without a
    total of its own adds up to the year's total of the 支出 block by function."""
    out: list[Finding] = []
    for block in blocks:
        rows = table.rows_in(block)
        if block in year_rows or block in grand or not rows or not all(_ORDINAL.match(r.label) for r in rows):
            continue
        side = block.split("#")[0]
        year = next((r for b, r in year_rows.items() if b != block and b.split("#")[0] == side), None)
        if year is None:
            continue
        for col in filled_columns(year):
            f = sum_finding(
                "T105",
                f"{year.name} ≠ sum of the rows of the [{block}] block",
                (table, year, col),
                [(table, r, col) for r in rows],
            )
            if f:
                out.append(f)
    return out


def _grand_totals_agree(table: Table, grand: dict[str, Row]) -> list[Finding]:
    """With two blocks (收入 | 支出), their grand totals are equal."""
    if len(grand) != 2:
        return []
    (_b1, r1), (b2, r2) = list(grand.items())
    c1, c2 = filled_columns(r1), filled_columns(r2)
    if not (c1 and c2):
        return []
    f = sum_finding(
        "T105",
        f"{r1.name} ≠ {r2.name}",
        (table, r1, c1[0]),
        [(table, r2, c2[0])],
        parts_desc=f"{b2} {r2.name} {fmt(r2.cells[c2[0]].amount)}",
    )
    return [f] if f else []


@check("fund_balance")
def check_fund_balance(table: Table, rules: Rules) -> list[Finding]:
    """T105 on a fund table: on each row, 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余."""
    out: list[Finding] = []
    need = ("年初结转和结余", "本年收入", "年末结转和结余")
    spend = next((c for c in table.columns if c in ("小计", "本年支出/小计", "本年支出")), None)
    if spend is None or not all(c in table.columns for c in need):
        return out
    for r in table.rows:
        if not all(c in r.cells for c in (*need, spend)):
            continue
        start, inc, _end, exp = (iv(r.cells[c]) for c in (*need, spend))
        calc = start + inc - exp
        count("T105", not iv(r.cells["年末结转和结余"]).meets(calc))
        if not iv(r.cells["年末结转和结余"]).meets(calc):
            expected = r.cells["年初结转和结余"].amount + r.cells["本年收入"].amount - r.cells[spend].amount
            cells = tuple(ref(table, r, c) for c in (*need, spend))
            out.append(
                Finding(
                    check="T105",
                    status="inconsistent",
                    message=spec("T105").message(
                        "fund_balance",
                        {
                            "where": where(table, r),
                            "start": fmt(r.cells["年初结转和结余"].amount),
                            "income": fmt(r.cells["本年收入"].amount),
                            "spending": fmt(r.cells[spend].amount),
                            "expected": fmt(expected),
                            "observed": fmt(r.cells["年末结转和结余"].amount),
                        },
                    ),
                    cells=cells,
                    spans=tuple(c.span for c in cells if c.span),
                    expected=expected,
                    observed=r.cells["年末结转和结余"].amount,
                    tolerance=(calc.lo, calc.hi),
                )
            )
    return out
