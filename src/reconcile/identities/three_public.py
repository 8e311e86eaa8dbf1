"""The 三公 table (T107): 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费, and
公务用车购置及运行维护费 = 购置费 + 运行维护费, whichever way the template lays them out."""

from __future__ import annotations

import re

from ..findings import Finding
from ..model import Row, Table, compact
from ..rules import Rules
from .compare import sum_finding
from .registry import check
from .sums import column_groups

__all__ = ["check_three_public"]

_CAR = "公务用车购置及运行维护费"


@check("three_public")
def check_three_public(table: Table, rules: Rules) -> list[Finding]:
    """T107 by columns (决算 template, canonical column names), by rows (budget template), or
    by the header tree (another layout, e.g. with 会议费 and 培训费 beside the 三公)."""
    cols = table.columns
    canonical = any(f"{pre}合计" in cols and f"{pre}{_CAR}/小计" in cols for pre in ("", *_prefixes(cols)))
    if not canonical and any(len(p) > 1 for p in table.column_paths.values()):
        return _by_header_tree(table)
    if canonical:
        return _by_columns(table)
    return _by_rows(table)


def _by_header_tree(table: Table) -> list[Finding]:
    out: list[Finding] = []
    for total, parts in column_groups(table):
        for row in table.rows:
            f = sum_finding(
                "T107",
                "三公 table: total ≠ sum of its columns",
                (table, row, total),
                [(table, row, p) for p in parts],
                min_parts=2,
            )
            if f:
                out.append(f)
    return out


def _by_columns(table: Table) -> list[Finding]:
    """Column-oriented (决算 template), for each of 预算数 and 决算数 when both are printed."""
    out: list[Finding] = []
    cols = table.columns
    prefixes = _prefixes(cols) or [""]
    for pre in prefixes:
        tot = f"{pre}合计"
        sub = f"{pre}{_CAR}/小计"
        parts = [f"{pre}因公出国（境）费", sub, f"{pre}公务接待费"]
        buy = next((c for c in cols if c.startswith(pre) and c.endswith("公务用车购置费")), None)
        run = next((c for c in cols if c.startswith(pre) and c.endswith("公务用车运行维护费")), None)
        for r in table.rows:
            if tot in r.cells:
                # a blank 小计 beside filled 购置费/运行维护费 is not a zero: its parts stand for it
                blank_sub = sub in r.cells and r.cells[sub].value is None
                row_parts = [p for p in parts if p != sub] + [buy, run] if blank_sub and buy and run else parts
                f = sum_finding(
                    "T107",
                    "三公 合计 ≠ 出国 + 公务用车 + 接待",
                    (table, r, tot),
                    [(table, r, p) for p in row_parts if p is not None],
                    min_parts=2,
                )
                if f:
                    out.append(f)
            if sub in r.cells and buy and run:
                f = sum_finding(
                    "T107",
                    "公务用车 小计 ≠ 购置费 + 运行维护费",
                    (table, r, sub),
                    [(table, r, buy), (table, r, run)],
                    min_parts=2,
                )
                if f:
                    out.append(f)
    return out


def _prefixes(cols: list[str]) -> list[str]:
    """The periods the columns are named under (预算数/, 决算数/, 上年/, 当年/ …)."""
    return sorted({c.split("/")[0] + "/" for c in cols if c.endswith("合计") and "/" in c})


def _by_rows(table: Table) -> list[Finding]:
    """Row-oriented (budget template): rows 三公经费, 因公出国, 公务用车购置及运行维护, 购置费,
    运行维护费, 公务接待."""
    out: list[Finding] = []
    total_row = next((r for r in table.rows if re.search(r"三公\"?经费(合计)?$", r.label)), None)
    abroad, car, recv = (
        _row_with(table, "因公出国"),
        _row_with(table, "公务用车购置及运行"),
        _row_with(table, "公务接待"),
    )
    buy_row = next((r for r in table.rows if r.label.endswith("公务用车购置费")), None)
    run_row = next((r for r in table.rows if r.label.endswith(("公务用车运行维护费", "公务用车运行费"))), None)
    for col in table.columns:
        if total_row and abroad and car and recv:
            f = sum_finding(
                "T107",
                "三公经费 ≠ 出国 + 公务用车 + 接待",
                (table, total_row, col),
                [(table, r, col) for r in (abroad, car, recv)],
            )
            if f:
                out.append(f)
        if car and buy_row and run_row:
            f = sum_finding(
                "T107",
                "公务用车购置及运行维护费 ≠ 购置费 + 运行维护费",
                (table, car, col),
                [(table, r, col) for r in (buy_row, run_row)],
            )
            if f:
                out.append(f)
    return out


def _row_with(table: Table, key: str) -> Row | None:
    """The first row whose label contains ``key``."""
    for r in table.rows:
        if key in compact(r.label):
            return r
    return None
