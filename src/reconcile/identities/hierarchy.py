"""Sums down a table's hierarchy: the total row = the 类 rows (T102), each 类/款 = its 款/项
(T103, also the levels of a 政府采购 table), and a child code under its own parent (T104)."""

from __future__ import annotations

from ..findings import CellRef, Finding, spec
from ..model import Row, Table
from ..rules import Rules
from .compare import count, fmt, sum_finding
from .registry import check

__all__ = ["check_hierarchy", "check_procurement_hierarchy", "check_total_row", "check_wrong_parent"]

# 政府采购预算表 columns: 采购品目大类 | 专项名称 | 经济科目 | 采购物品名称 | …: a row's level is the
# column its label starts in (a 经济科目 row under the 专项 above leaves 专项名称 empty)
_PROCUREMENT_LEVEL = {0: 0, 1: 1, 2: 1}
_PROCUREMENT_NAMES = {0: "class", 1: "专项 line", 2: "item"}


@check("total_row")
def check_total_row(table: Table, rules: Rules) -> list[Finding]:
    """T102: in each block, the total row = the 类 rows (3-digit codes)."""
    out: list[Finding] = []
    for block in table.blocks():
        total = table.total_row(block)
        classes = [r for r in table.rows_in(block) if r.code and len(r.code) == 3]
        if total is None or not classes:
            continue
        for col in table.columns:
            f = sum_finding(
                "T102",
                "total row ≠ sum of the 类 rows",
                (table, total, col),
                [(table, r, col) for r in classes],
                parts_desc=" + ".join(f"{r.code} {fmt(r.cells[col].amount)}" for r in classes if col in r.cells),
            )
            if f:
                out.append(f)
    return out


@check("hierarchy")
def check_hierarchy(table: Table, rules: Rules) -> list[Finding]:
    """T103: each 类 = its 款, each 款 = its 项 (the coded rows listed under it)."""
    out: list[Finding] = []
    rows = [r for r in table.rows if r.code]
    for parent in rows:
        assert parent.code is not None
        child_len = {3: 5, 5: 7}.get(len(parent.code))
        if child_len is None:
            continue
        kids = _children(rows, parent, child_len)
        if not kids:
            continue
        for col in table.columns:
            f = sum_finding(
                "T103",
                f"{'类' if len(parent.code) == 3 else '款'} ≠ sum of its {'款' if child_len == 5 else '项'}",
                (table, parent, col),
                [(table, r, col) for r in kids],
                parts_desc=" + ".join(f"{r.code} {fmt(r.cells[col].amount)}" for r in kids if col in r.cells),
            )
            if f:
                out.append(f)
    return out


def _children(rows: list[Row], parent: Row, child_len: int) -> list[Row]:
    """Rows listed under the parent (by position, so that a code under the wrong parent,
    reported by T104, does not also break the parent's sum)."""
    assert parent.code is not None
    out: list[Row] = []
    i = next(k for k, r in enumerate(rows) if r is parent)
    for r in rows[i + 1 :]:
        if r.block != parent.block:
            continue
        if not r.code or len(r.code) <= len(parent.code):
            break
        if len(r.code) == child_len and not (out and _same_row(out[-1], r)):
            out.append(r)  # a row printed again right below itself (same code, label and amounts) counts once
    return out


def _same_row(a: Row, b: Row) -> bool:
    return (
        a.code == b.code
        and a.label == b.label
        and {k: c.value for k, c in a.cells.items()} == {k: c.value for k, c in b.cells.items()}
    )


@check("procurement_hierarchy")
def check_procurement_hierarchy(table: Table, rules: Rules) -> list[Finding]:
    """政府采购预算表: each class (一、货物) is the sum of its 专项/经济科目 rows, and each of these
    the sum of its 采购物品 rows (when it lists any)."""
    out: list[Finding] = []
    rows, levels = _procurement_levels(table)
    for i, (parent, lvl) in enumerate(zip(rows, levels, strict=True)):
        if lvl == 2:
            continue
        kids: list[Row] = []
        closed = False  # a row of the parent's level or above ends its block
        for r, k in zip(rows[i + 1 :], levels[i + 1 :], strict=True):
            if k <= lvl:
                closed = True
                break
            if k == lvl + 1:
                kids.append(r)
        if not kids or not closed:
            continue  # the last block may go on in the table's next part (a page break)
        for col in table.columns:
            f = sum_finding(
                "T103",
                f"政府采购 {_PROCUREMENT_NAMES[lvl]} ≠ sum of its {_PROCUREMENT_NAMES[lvl + 1]}s",
                (table, parent, col),
                [(table, r, col) for r in kids],
            )
            if f:
                out.append(f)
    return out


def _procurement_levels(table: Table) -> tuple[list[Row], list[int]]:
    """The rows with amounts of a 政府采购 table and the level of each (0 class, 1 专项 line,
    2 item), as far as the columns read as the template's; none when all stand at one level."""
    total = table.total_row()
    rows = [
        r
        for r in table.rows
        if r.indent is not None and r is not total and any(c.value is not None for c in r.cells.values())
    ]
    if not rows or all(r.indent == rows[0].indent for r in rows):
        return [], []
    # the columns must read as the template's: classes (一、货物A) in the first, nothing else there.
    # A part continued on another page may have lost its empty first column: its rows start one
    # column left, and are read one column right. Any other misfit ends the reading.
    indents: list[int] = []
    for part in _parts(rows):
        lost_first = not any(r.label != r.name for r in part) and min(r.indent or 0 for r in part) == 0
        indents += [(r.indent or 0) + (1 if lost_first else 0) for r in part]
    shifted = next(
        (i for i, (r, k) in enumerate(zip(rows, indents, strict=True)) if (k == 0) != (r.label != r.name)), len(rows)
    )
    return rows[:shifted], [_PROCUREMENT_LEVEL.get(k, 2) for k in indents[:shifted]]


def _parts(rows: list[Row]) -> list[list[Row]]:
    """Rows split where the table goes on after a break: another page, or lines between
    them (a repeated title and header)."""
    out: list[list[Row]] = []
    for r in rows:
        prev = out[-1][-1] if out else None
        if (
            prev is None
            or r.page != prev.page
            or (r.line is not None and prev.line is not None and r.line - prev.line > 2)
        ):
            out.append([r])
        else:
            out[-1].append(r)
    return out


@check("wrong_parent")
def check_wrong_parent(table: Table, rules: Rules) -> list[Finding]:
    """T104: a 款 or 项 code that does not start with the code of the 类 or 款 above it."""
    out: list[Finding] = []
    current: dict[int, Row] = {}
    for r in table.rows:
        if not r.code:
            continue
        n = len(r.code)
        if n == 3:
            current = {3: r}
            continue
        parent = current.get(n - 2)
        if parent is not None and parent.code is not None:
            count("T104", not r.code.startswith(parent.code))
        if parent is not None and parent.code is not None and not r.code.startswith(parent.code):
            span = r.span
            out.append(
                Finding(
                    check="T104",
                    status="inconsistent",
                    message=spec("T104").message(
                        "inconsistent",
                        {
                            "table": table.id,
                            "title": table.title,
                            "code": r.code,
                            "label": r.label,
                            "parent_code": parent.code,
                            "parent_label": parent.label,
                        },
                    ),
                    spans=(span,) if span else (),
                    cells=(CellRef(table.id, r.key(), "code", None, span, r.page),),
                )
            )
        current[n] = r
        for k in list(current):
            if k > n:
                del current[k]
    return out
