"""A table's note that says it holds nothing, against the amounts it holds (T109)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..findings import Finding, spec
from ..model import Table
from .compare import count, fmt, nonzero, ref

__all__ = ["check_notes"]

_NO_DATA = re.compile(
    r"(本表|故本表|本部门本表|本单位本表).{0,6}(无数据|无发生额|为空表?|无此项)|没有.{0,40}(支出|收入|经费).{0,10}(故|因此)?本表无数据"
)


def check_notes(table: Table) -> list[Finding]:
    """T109: a note says the table is empty (本表无数据) but it holds a non-zero amount."""
    said_empty = [n for n in table.notes if _NO_DATA.search(n[0])]
    if not said_empty:
        return []
    count("T109", nonzero(table))
    if not nonzero(table):
        return []
    text, span = said_empty[0]
    nz = [(r, c) for r in table.rows for c in r.cells.values() if c.value not in (None, Decimal(0))]
    r, c = nz[0]
    return [
        Finding(
            check="T109",
            status="inconsistent",
            message=spec("T109").message(
                "inconsistent",
                {
                    "table": table.id,
                    "title": table.title,
                    "note": text[:60],
                    "row": r.key(),
                    "column": c.column,
                    "value": fmt(c.amount),
                },
            ),
            spans=(span, *((c.span,) if c.span else ())),
            cells=(ref(table, r, c.column),),
        )
    ]
