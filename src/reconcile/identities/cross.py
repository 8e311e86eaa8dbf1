"""Checks across tables (T108, and T110 for a total of rows within one table): the cells the
cross-table equalities of the templates name (``rules/templates/*.yaml``), and the 类 rows of
two tables."""

from __future__ import annotations

import re

from ..findings import Finding
from ..model import Row, Table
from ..rules import CellSelector, Rules
from .compare import filled_columns, fmt, sum_finding

__all__ = ["check_cross", "select_cell"]


def select_cell(tables: list[Table], sel: CellSelector, *, empty: bool = False) -> tuple[Table, Row, str] | None:
    """The cell ``sel`` names; a row whose cells are all empty gives its first cell only with ``empty``
    (the template leaves a nil amount blank: a narrative “0万元” or “没有…” reads it as 0)."""
    table = next((t for t in tables if t.kind == sel.table), None)
    if table is None or table.problems:
        return None
    blocks = table.blocks()
    block: str | None = None
    if sel.block == "first":
        block = blocks[0]
    elif sel.block == "last":
        block = blocks[-1]
    elif sel.block:
        block = next((b for b in blocks if re.search(sel.block, b)), None)
        if block is None:
            return None
    row = _select_row(table, block, sel.row)
    if row is None and sel.block in ("first", "last") and sel.row not in ("total", ".*"):
        # side-by-side layouts differ (收入 | 功能分类 | 支出用途): a named row may stand in another block
        order = blocks if sel.block == "first" else blocks[::-1]
        row = next((r for b in order[1:] if (r := _select_row(table, b, sel.row)) is not None), None)
    if row is None:
        return None
    cols = filled_columns(row)
    if not cols and empty:
        cols = list(row.cells)
    if sel.column:
        col = next((c for c in row.cells if re.fullmatch(sel.column, c)), None)
    else:
        col = cols[0] if cols else None
    if col is None or col not in row.cells:
        return None
    return table, row, col


def _select_row(table: Table, block: str | None, pattern: str) -> Row | None:
    rows = table.rows_in(block)
    if pattern == "total":
        return table.total_row(block)
    if pattern.startswith("code:"):
        return next((r for r in rows if r.code == pattern[5:]), None)
    return next((r for r in rows if re.fullmatch(pattern, r.name)), None)


def check_cross(tables: list[Table], rules: Rules) -> list[Finding]:
    """Each cross-table equality of the rules: one cell = the sum of the others (skipped when
    a cell it needs is missing, or the tables are printed in different units)."""
    out: list[Finding] = []
    if rules.cross is None:
        return out
    for rule in rules.cross.equalities:
        held = _tables_it_holds_for(tables, rule.id, rules)
        if any(_nonzero_cell(held, s) for s in rule.unless):
            continue
        if rule.by_class:
            out.extend(_cross_by_class(held, rule.left[0], rule.right[0], rule.description))
            continue
        left = [(s, select_cell(held, s)) for s in rule.left]
        right = [(s, select_cell(held, s)) for s in rule.right]
        if any(x is None and not s.optional for s, x in (*left, *right)):
            continue
        lsel = [x for _, x in left if x is not None]
        rsel = [x for _, x in right if x is not None]
        if not lsel or not rsel:
            continue
        if len({t.scale for t, _, _ in (*lsel, *rsel)}) > 1:
            continue  # tables printed in different units (元 and 万元): rounding differs, not compared
        if len(lsel) == 1:
            total, parts = lsel[0], rsel
        elif len(rsel) == 1:
            total, parts = rsel[0], lsel
        else:
            continue
        what = "tables disagree" if rule.code == "T108" else "total ≠ sum of its rows"
        f = sum_finding(
            rule.code,
            f"{what} ({rule.description})",
            total,
            parts,
            parts_desc=" + ".join(f"{tb.id} {tb.title} [{r.name}] [{c}]" for tb, r, c in parts),
        )
        if f:
            out.append(f)
    return out


def _nonzero_cell(tables: list[Table], sel: CellSelector) -> bool:
    """Any row of a ``sel.table`` table whose label matches ``sel.row`` holds a non-zero amount."""
    for t in tables:
        if t.kind != sel.table or t.problems:
            continue
        for r in t.rows:
            if re.fullmatch(sel.row, r.name) and any(c.amount for c in r.cells.values()):
                return True
    return False


def _tables_it_holds_for(tables: list[Table], equality_id: str, rules: Rules) -> list[Table]:
    """A titled template's equality holds between that template's tables only; another
    equality holds between every table whose template does not exclude it."""
    owner = rules.equality_owner(equality_id)
    if owner.titles:
        return [t for t in tables if t.template == owner.id]
    out = []
    for t in tables:
        tmpl = rules.template(t.template)
        if tmpl is None or equality_id not in tmpl.excludes:
            out.append(t)
    return out


def _cross_by_class(tables: list[Table], a: CellSelector, b: CellSelector, desc: str) -> list[Finding]:
    """Each 类 row of table ``b`` against the row of the same name in table ``a``."""
    out: list[Finding] = []
    ta = next((t for t in tables if t.kind == a.table), None)
    tb = next((t for t in tables if t.kind == b.table), None)
    if ta is None or tb is None or ta.scale != tb.scale:
        return out
    arows = ta.rows_in(_block(ta, a.block))
    for rb in tb.rows:
        if not rb.code or len(rb.code) != 3:
            continue
        ra = next((r for r in arows if r.name == rb.name), None)
        if ra is None:
            continue
        ca = _pick(ra, a.column)
        cb = _pick(rb, b.column)
        if ca is None or cb is None:
            continue
        f = sum_finding(
            "T108",
            f"tables disagree ({desc})",
            (ta, ra, ca),
            [(tb, rb, cb)],
            parts_desc=f"{tb.id} {rb.key()} [{cb}] {fmt(rb.cells[cb].amount)}",
        )
        if f:
            out.append(f)
    return out


def _block(t: Table, sel: str | None) -> str | None:
    if not sel:
        return None
    blocks = t.blocks()
    if sel == "first":
        return blocks[0]
    if sel == "last":
        return blocks[-1]
    return next((b for b in blocks if re.search(sel, b)), None)


def _pick(row: Row, column: str | None) -> str | None:
    if column:
        return next((c for c in row.cells if re.fullmatch(column, c)), None)
    cols = filled_columns(row)
    return cols[0] if cols else None
