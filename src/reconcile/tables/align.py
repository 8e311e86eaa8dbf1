"""Placing the values of short rows of layout text by where they stand on the line.

Layout text (pdftotext) drops blank cells, so a row with fewer values than columns cannot be
read by order. Its values are placed by where they end on the line, against the columns' right
edges learned from the rows that fill every column; a row that cannot be placed that way makes
the table unreliable (its identities and cells are not used).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..document import Document
from ..model import Cell, Row, Table
from .cells import Tok, dedupe, line_col, value_cell

__all__ = ["Placed", "align_short_rows"]

# how far (in characters) a value's right edge may stand from its column's in layout text
_ALIGN_TOLERANCE = 3


class Placed(NamedTuple):
    """A row read from spaced text, the block it was put in, and its value tokens in order."""

    row: Row
    block: int
    values: list[Tok]


def align_short_rows(
    doc: Document,
    table: Table,
    placed: list[Placed],
    block_names_cols: list[list[str]],
    *,
    counted: bool,
) -> None:
    """Place the values of the rows that fill fewer columns than their block has (see the
    module's docstring); blank cells of the rows are added as in TSV text.

    Without a 栏次 line (``counted`` false) the header may name more columns than the rows
    fill (the label column's header read as a column name): the widest rows then hold the
    last columns named."""
    width: dict[int, int] = {}
    for _, bi, vals in placed:
        width[bi] = max(width.get(bi, 0), min(len(vals), len(block_names_cols[bi])))
    eff = _effective_names(table, width, block_names_cols, counted)
    if eff is None:
        return
    if any(eff[bi] is not block_names_cols[bi] for bi in eff):
        table.columns = dedupe([n for bi in sorted(eff) for n in eff[bi]])
    ends = _full_row_ends(doc, placed, width, eff, block_names_cols)
    bad = _place_short_rows(doc, placed, width, eff, ends)
    if not bad:
        _add_blank_cells(placed, eff)
    else:
        table.problems.append(
            f"{bad} row(s) have fewer values than the table has columns and their values could not be placed "
            "by position (layout text drops blank cells): the table's identities and cells are not used"
        )


def _effective_names(
    table: Table, width: dict[int, int], block_names_cols: list[list[str]], counted: bool
) -> dict[int, list[str]] | None:
    """Each block's column names as the rows fill them; None (with a problem noted) when the
    header names more columns than any row fills and which ones they fill is not known."""
    eff = dict(enumerate(block_names_cols))
    for bi, w in width.items():
        names = block_names_cols[bi]
        if w and not counted and w < len(names):
            if names[:w] != names[-w:]:
                table.problems.append(
                    f"the header names {len(names)} columns ({', '.join(names)}) but no row fills more than {w}: "
                    "which columns the values stand in is not known"
                )
                return None
            eff[bi] = names[:w]
    return eff


def _full_row_ends(
    doc: Document,
    placed: list[Placed],
    width: dict[int, int],
    eff: dict[int, list[str]],
    block_names_cols: list[list[str]],
) -> dict[int, list[list[int]]]:
    """Per block, where the values of each full row end on their line. A full row's cells are
    renamed when the block's effective names differ from the header's."""
    ends: dict[int, list[list[int]]] = {}
    for row, bi, vals in placed:
        if vals and len(vals) == width[bi]:
            ends.setdefault(bi, []).append([line_col(doc, t) for t in vals])
            if eff[bi] is not block_names_cols[bi]:
                row.cells = {n: value_cell(doc, t, n) for t, n in zip(vals, eff[bi], strict=False)}
    return ends


def _place_short_rows(
    doc: Document,
    placed: list[Placed],
    width: dict[int, int],
    eff: dict[int, list[str]],
    ends: dict[int, list[list[int]]],
) -> int:
    """Put each short row's values in the columns they stand under; the number of short rows
    whose values fit no column, or two."""
    bad = 0
    for row, bi, vals in placed:
        names = eff[bi]
        if not vals or len(vals) >= width[bi]:
            continue
        full = ends.get(bi)
        slots = _slots([line_col(doc, t) for t in vals], full) if full else None
        if slots is None:
            bad += 1
            continue
        row.cells = {names[j]: value_cell(doc, t, names[j]) for t, j in zip(vals, slots, strict=True)}
    return bad


def _add_blank_cells(placed: list[Placed], eff: dict[int, list[str]]) -> None:
    """The columns a row leaves out are its blank cells (the template means 0), as in TSV text."""
    for row, bi, vals in placed:
        if vals and not any(re.fullmatch(r"col\d+", c) for c in row.cells):
            for n in eff[bi]:
                row.cells.setdefault(n, Cell(n, n, None, None, None, "", row.page, None))


def _slots(cols: list[int], full: list[list[int]]) -> list[int] | None:
    """Columns for values ending at ``cols``: each within tolerance of one column's right edge as
    the full rows print it (all of them), in order; None when any value fits no column or two."""
    n = len(full[0])
    edges = [sorted(r[j] for r in full) for j in range(n)]
    out: list[int] = []
    for c in cols:
        fits = [j for j in range(n) if edges[j][0] - _ALIGN_TOLERANCE <= c <= edges[j][-1] + _ALIGN_TOLERANCE]
        if len(fits) != 1 or (out and fits[0] <= out[-1]):
            return None
        out.append(fits[0])
    return out
