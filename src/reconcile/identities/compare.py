"""Comparing a printed total with the sum of printed parts, and the cell references and
wording of the findings that say they differ.

Every comparison is interval arithmetic on printed decimals: a total is inconsistent only
when its printed interval does not meet the interval of the sum of its parts, so the
tolerance widens with the number of addends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from ..findings import CellRef, Finding, spec
from ..model import Cell, Row, Table, human_name
from ..numbers import Interval

__all__ = ["Tally", "count", "filled_columns", "fmt", "iv", "nonzero", "ref", "sum_finding", "tally", "where"]


def iv(cell: Cell | None) -> Interval:
    """A printed cell as an interval; empty and zero cells are exact zeros."""
    if cell is None or cell.value is None or cell.value == 0:
        return Interval.exact(Decimal(0))
    return cell.interval


def fmt(v: Decimal) -> str:
    """An amount as messages print it: two decimals (more when printed), thousands separated."""
    return f"{v:,.2f}" if v == v.quantize(Decimal("0.01")) else f"{v:,}"


def ref(table: Table, row: Row, column: str) -> CellRef:
    """The reference a finding gives to a cell."""
    cell = row.cells.get(column)
    return CellRef(
        table=table.id,
        row=row.key(),
        column=column,
        value=cell.value if cell else None,
        span=cell.span if cell else None,
        page=cell.page if cell else row.page,
    )


def where(table: Table, row: Row) -> str:
    """A row as messages name it: table, block (when named), row."""
    blk = f"[{human_name(row.block)}] " if row.block and not row.block.startswith("B") else ""
    return (
        f"{table.id} {table.title}, {blk}row {row.key()}"
        if row.key()
        else f"{table.id} {table.title}{', ' + blk.strip() if blk else ''}"
    )


def filled_columns(row: Row) -> list[str]:
    """The row's columns whose cell prints something."""
    return [c for c in row.cells if row.cells[c].value is not None or row.cells[c].text]


def nonzero(table: Table) -> bool:
    """The table holds an amount other than zero."""
    return any(c.value not in (None, Decimal(0)) for r in table.rows for c in r.cells.values())


@dataclass
class Tally:
    """How many identities were compared, and how many failed, in all and per check code
    (``by_code``: code → [checked, held]), while the block of :func:`tally` runs."""

    compared: int = 0
    failed: int = 0
    by_code: dict[str, list[int]] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        """Count ``other``'s identities in this tally too."""
        self.compared += other.compared
        self.failed += other.failed
        for code, (n, held) in other.by_code.items():
            mine = self.by_code.setdefault(code, [0, 0])
            mine[0] += n
            mine[1] += held


_TALLY: ContextVar[tuple[Tally, ...]] = ContextVar("identity_tally", default=())


@contextmanager
def tally() -> Iterator[Tally]:
    """Count the identities compared (and failed) by the checks run inside the block;
    tallies nest (an inner block's identities count in the outer ones too)."""
    t = Tally()
    token = _TALLY.set((*_TALLY.get(), t))
    try:
        yield t
    finally:
        _TALLY.reset(token)


def count(code: str, failed: bool) -> None:
    """One identity of ``code`` was compared; ``failed``: it does not hold."""
    for t in _TALLY.get():
        t.compared += 1
        t.failed += failed
        mine = t.by_code.setdefault(code, [0, 0])
        mine[0] += 1
        mine[1] += not failed


def sum_finding(
    code: str,
    what: str,
    total: tuple[Table, Row, str],
    parts: list[tuple[Table, Row, str]],
    *,
    parts_desc: str | None = None,
    min_parts: int = 1,
) -> Finding | None:
    """Compare a printed total with the sum of printed parts. None when nothing to say."""
    t_table, t_row, t_col = total
    t_cell = t_row.cells.get(t_col)
    if t_cell is None or (t_cell.value is None and not t_cell.text):
        return None
    present = [(tb, r, c) for tb, r, c in parts if c in r.cells]
    if len(present) < min_parts:
        return None
    parts_iv = Interval.sum([iv(r.cells.get(c)) for _, r, c in present])
    tot_iv = iv(t_cell)
    count(code, not tot_iv.meets(parts_iv))
    if tot_iv.meets(parts_iv):
        return None
    observed = t_cell.value if t_cell.value is not None else Decimal(0)
    expected = sum((r.cells[c].amount for _, r, c in present), Decimal(0))
    desc = parts_desc or " + ".join(f"{fmt(r.cells[c].amount)}" for _, r, c in present if r.cells[c].amount != 0) or "0"
    msg = spec(code).message(
        "inconsistent",
        {
            "what": what,
            "where": where(t_table, t_row),
            "column": human_name(t_col),
            "observed": fmt(observed),
            "against": _against(present, desc, expected, parts_desc),
            "difference": fmt(observed - expected),
            "low": fmt(parts_iv.lo),
            "high": fmt(parts_iv.hi),
        },
    )
    cells = (ref(t_table, t_row, t_col), *(ref(tb, r, c) for tb, r, c in present))
    return Finding(
        check=code,
        status="inconsistent",
        message=msg,
        cells=cells,
        spans=tuple(x.span for x in cells if x.span is not None),
        expected=expected,
        observed=observed,
        tolerance=(parts_iv.lo, parts_iv.hi),
    )


def _against(present: list[tuple[Table, Row, str]], desc: str, expected: Decimal, parts_desc: str | None) -> str:
    """What the message sets against the total: the parts and their sum."""
    if len(present) == 1:
        return f"{desc} shows {fmt(expected)}" if parts_desc else f"its only part is {fmt(expected)}"
    if not any(r.cells[c].amount for _, r, c in present):
        return "its parts are all empty or zero"
    if sum(1 for _, r, c in present if r.cells[c].amount) == 1 and not parts_desc:
        return f"the parts sum to {fmt(expected)}"
    return f"the parts sum to {desc} = {fmt(expected)}"
