"""Sums by economic classification (T106): each class = its items, 人员经费 and 公用经费 =
their classes, and the total = the classes."""

from __future__ import annotations

from ..findings import Finding
from ..model import Table
from ..rules import Rules
from .compare import filled_columns, fmt, sum_finding
from .registry import check

__all__ = ["check_economic_sum"]


@check("economic_sum")
def check_economic_sum(table: Table, rules: Rules) -> list[Finding]:
    """T106 on a table by economic classification (codes 3xx / 5xx)."""
    out: list[Finding] = []
    rows = [r for r in table.rows if r.code and r.code[0] in "35"]
    classes = [r for r in rows if len(r.code or "") == 3]
    for cls in classes:
        assert cls.code is not None
        kids = [r for r in rows if len(r.code or "") == 5 and (r.code or "").startswith(cls.code)]
        if not kids:
            continue
        for col in filled_columns(cls):
            f = sum_finding(
                "T106",
                f"economic class {cls.code} ≠ sum of its items",
                (table, cls, col),
                [(table, r, col) for r in kids],
                parts_desc=" + ".join(
                    f"{r.code} {fmt(r.cells[col].amount)}" for r in kids if col in r.cells and r.cells[col].amount
                ),
            )
            if f:
                out.append(f)
    by_code = {r.code: r for r in classes}
    groups = rules.vocabulary.economic_groups
    for names, codes in (
        (("人员经费合计", "人员经费"), groups["人员经费"]),
        (("公用经费合计", "公用经费"), groups["公用经费"]),
    ):
        tot = table.row(*names)
        if tot is None:
            continue
        parts = [by_code[c] for c in codes if c in by_code]
        if not parts:
            continue
        for col in filled_columns(tot):
            cols_parts = [(table, r, col if col in r.cells else next(iter(filled_columns(r)), col)) for r in parts]
            f = sum_finding(
                "T106",
                f"{tot.name} ≠ sum of its economic classes",
                (table, tot, col),
                cols_parts,
                parts_desc=" + ".join(f"{r.code} {fmt(r.cells[c].amount)}" for _, r, c in cols_parts if c in r.cells),
            )
            if f:
                out.append(f)
    total = table.total_row()
    if total is not None and classes:
        for col in filled_columns(total):
            f = sum_finding(
                "T106", "合计 ≠ sum of the economic classes", (table, total, col), [(table, r, col) for r in classes]
            )
            if f:
                out.append(f)
    return out
