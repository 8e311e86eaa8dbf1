"""Sums within a table: a total column = its part columns on every row (T101), and in a flat
list grouped by 小计 rows, each 小计 = its items and the total = the 小计 rows (T110)."""

from __future__ import annotations

import re

from ..findings import Finding
from ..model import Table
from ..rules import Rules
from .compare import fmt, sum_finding
from .registry import check

__all__ = ["check_column_sum", "check_row_sum", "column_groups"]

_TOTAL_LEAF = re.compile(r"^(合计|总计|小计|本年收入合计|本年支出合计|支出合计|收入合计)$")
_FLAT_TOTAL = re.compile(r"^(?:合计|总计|合计数|收入总计|支出总计)$")

_Node = tuple[str, ...]


def _subset_column(table: Table, column: str) -> bool:
    return any(part.startswith("其中") for part in table.column_paths.get(column, (column,)))


def column_groups(table: Table) -> list[tuple[str, list[str]]]:
    """(total column, part columns) pairs from the header tree. A column headed 其中… is a
    subset of the column before it (“其中：预留给中小企业的…”), never a part of a sum."""
    paths = {c: table.column_paths.get(c, (c,)) for c in table.columns if not _subset_column(table, c)}
    out: list[tuple[str, list[str]]] = []

    def members(prefix: _Node) -> list[_Node]:
        seen: dict[_Node, None] = {}
        for p in paths.values():
            if len(p) > len(prefix) and p[: len(prefix)] == prefix:
                seen.setdefault(p[: len(prefix) + 1], None)
        return list(seen)

    def columns_under(node: _Node) -> list[str]:
        return [c for c, p in paths.items() if p[: len(node)] == node]

    def representative(node: _Node) -> list[str]:
        cols = columns_under(node)
        if len(cols) == 1:
            return cols
        subtotal = [c for c in cols if len(paths[c]) == len(node) + 1 and _TOTAL_LEAF.match(paths[c][-1])]
        if subtotal:
            return subtotal[:1]
        kids = members(node)
        return [c for k in kids for c in representative(k)]

    def walk(prefix: _Node) -> None:
        kids = members(prefix)
        totals = [k for k in kids if _TOTAL_LEAF.match(k[-1]) and len(columns_under(k)) == 1]
        if totals and len(kids) > 1:
            t = totals[0]
            parts = [c for k in kids if k != t for c in representative(k)]
            if parts:
                out.append((columns_under(t)[0], parts))
        for k in kids:
            if len(columns_under(k)) > 1:
                walk(k)

    walk(())
    return out


@check("row_sum")
def check_row_sum(table: Table, rules: Rules) -> list[Finding]:
    """T101: on each row, a total column = its part columns (as the kind's rules name them,
    else as the header tree groups them)."""
    out: list[Finding] = []
    groups = column_groups(table)
    kind = rules.table_kind(table.kind, table.template)
    if kind is not None and kind.row_sums:
        groups = []
        for rs in kind.row_sums:
            tcols = [c for c in table.columns if re.fullmatch(rs.total, c)]
            if not tcols:
                continue
            if rs.parts is None:
                parts = [c for c in table.columns if c != tcols[0]]
            else:
                parts = [c for c in table.columns if any(re.fullmatch(p, c) for p in rs.parts)]
            groups.append((tcols[0], parts))
    for total, parts in groups:
        for row in table.rows:
            if total not in row.cells:
                continue
            f = sum_finding(
                "T101",
                "row total ≠ sum of its columns",
                (table, row, total),
                [(table, row, p) for p in parts],
                min_parts=2,
            )
            if f:
                out.append(f)
    return out


@check("column_sum")
def check_column_sum(table: Table, rules: Rules) -> list[Finding]:
    """A flat list without codes grouped by 小计 rows (收入预算总表: 一般公共预算资金小计,
    its items, 其他资金小计, its items …): each 小计 = the items after it (其中 rows are not
    items), and the 总计/合计 row = the 小计 rows."""
    out: list[Finding] = []
    if any(r.code for r in table.rows):
        return out
    for block in table.blocks():
        rows = table.rows_in(block)
        subs = [i for i, r in enumerate(rows) if r.name.endswith("小计")]
        total = next((r for r in rows if _FLAT_TOTAL.match(r.name)), None)
        if not subs:
            continue
        for k, i in enumerate(subs):
            end = subs[k + 1] if k + 1 < len(subs) else len(rows)
            items = [r for r in rows[i + 1 : end] if not r.name.startswith("其中") and not _FLAT_TOTAL.match(r.name)]
            if not items:
                continue
            for col in table.columns:
                f = sum_finding(
                    "T110",
                    "小计 ≠ sum of its items",
                    (table, rows[i], col),
                    [(table, r, col) for r in items],
                    parts_desc=" + ".join(f"{r.name} {fmt(r.cells[col].amount)}" for r in items if col in r.cells),
                )
                if f:
                    out.append(f)
        if total is not None and len(subs) >= 2:
            for col in table.columns:
                f = sum_finding(
                    "T110",
                    "total ≠ sum of the 小计 rows",
                    (table, total, col),
                    [(table, rows[i], col) for i in subs],
                    parts_desc=" + ".join(
                        f"{rows[i].name} {fmt(rows[i].cells[col].amount)}" for i in subs if col in rows[i].cells
                    ),
                )
                if f:
                    out.append(f)
    return out
