"""Notes that tie a table to a row of another table (N211): “财政拨款支出安排数与《部门一般公共
预算基本支出预算表》的“商品和服务支出”支出数一致”."""

from __future__ import annotations

import re

from ..match import CellMatch
from ..model import Row, Table, compact
from ..sections import Section
from .context import Context, Evidence
from .figures import fmt
from .registry import check

__all__ = ["check_table_notes"]

_TABLE_NOTE_RE = re.compile(
    r"(?P<left>[^。；\n]{0,30}?)(?:应)?与《(?P<title>[^》]{2,40})》(?:中)?的?[“\"](?P<row>[^”\"]{2,20})[”\"]"
    r"[^。；\n，]{0,10}?(?:对应)?一致"
)


def _first_value(table: Table, row: Row) -> CellMatch | None:
    for col in table.value_columns():
        cell = row.cells.get(col)
        if cell is not None and cell.value is not None:
            return CellMatch(table, row, col)
    return None


@check()
def check_table_notes(ctx: Context) -> None:
    """A note under a table's heading that ties it to a row of another table. This table's
    total (or its row of the same name) must equal that row; when neither does, the note
    contradicts the tables."""
    for sec in ctx.sections:
        if not sec.narrative or not sec.scope or sec.appended:
            continue
        own = [t for t in ctx.tables if t.kind == sec.scope[0]]
        if len(own) != 1:
            continue
        text = ctx.doc.text[sec.span[0] : sec.span[1]]
        for m in _TABLE_NOTE_RE.finditer(text):
            inner = next(
                (x for x in ctx.sections if x.span[0] <= sec.span[0] + m.start() < x.span[1] and x.level > sec.level),
                None,
            )
            if inner is not None and inner.scope != sec.scope:
                continue  # a subsection about another table
            _check_note(ctx, sec, own[0], m)


def _check_note(ctx: Context, sec: Section, table: Table, m: re.Match[str]) -> None:
    title = compact(m.group("title")).removeprefix("部门")
    named = [t for t in ctx.tables if t is not table and compact(t.title).endswith(title)]
    row_name = compact(m.group("row"))
    rows = [(t, r) for t in named for r in t.find_rows(row_name)]
    theirs = [c for t, r in rows if (c := _first_value(t, r)) is not None]
    if len(theirs) != 1:
        return
    mine = [
        c
        for r in (table.total_row(), *table.find_rows(row_name))
        if r is not None and (c := _first_value(table, r)) is not None
    ]
    if not mine:
        return
    other = theirs[0]
    span = (sec.span[0] + m.start(), sec.span[0] + m.end())
    fields = {"note": re.sub(r"\s+", "", m.group(0)).lstrip("，,"), "mine": mine[0].label(), "other": other.label()}
    if any(c.interval.meets(other.interval) for c in mine):
        ctx.record("N211", "verified", "note.verified", fields, [], spans=(span,))
        return
    fields.update(values=" and ".join(f"{c.label()} {fmt(c.value)}" for c in mine), cell=fmt(other.value))
    evidence = Evidence(expected=other.value, observed=mine[0].value)
    ctx.record(
        "N211", "inconsistent", "note.inconsistent", fields, [], cells=[*mine, other], spans=(span,), evidence=evidence
    )
