"""Table blocks of a page, and tables made of words aligned in columns (no rulings).

A page is read into blocks: :class:`~reconcile.pdf.chars.TextLine` for text and
:class:`TableBlock` for tables, ruled (:mod:`reconcile.pdf.rulings`) or aligned
(:func:`aligned_tables`). :class:`PdfTable` is what a table becomes in
``Document.raw_tables``. (The standard budget tables are parsed later, from the
document text, by :mod:`reconcile.tables`.)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..document import BBox
from .chars import TextLine

__all__ = ["Block", "Cell", "PdfTable", "TableBlock", "aligned_tables"]

_NUMERIC_RE = re.compile(r"[-+－]?\s*[\d０-９][\d０-９,，.．\s]*%?")


@dataclass(slots=True)
class Cell:
    """One cell of a table block: its text and box."""

    text: str
    bbox: BBox | None  # None: covered by a span, or a cell the ruling does not close


@dataclass(slots=True)
class TableBlock:
    """A table of a page, ruled (``"lines"``) or of aligned words (``"text"``), as rows of cells."""

    rows: list[list[Cell]]
    bbox: BBox
    method: str  # "lines" | "text"
    page: int = 0

    @property
    def top(self) -> float:
        return self.bbox[1]


Block = TextLine | TableBlock


@dataclass(frozen=True, slots=True)
class PdfTable:
    """A table found geometrically in a PDF (``Document.raw_tables`` holds these).

    ``start``/``end`` are offsets of its first row and the end of its last row in
    ``Document.text``; ``method`` is ``"lines"`` (ruled) or ``"text"`` (aligned words).
    """

    page: int
    bbox: BBox
    start: int
    end: int
    n_rows: int
    n_cols: int
    method: str


# ----------------------------------------------------------------------------------
# Tables without rulings: words aligned in columns


def _is_numeric(s: str) -> bool:
    return bool(_NUMERIC_RE.fullmatch(s.strip())) and any(ch.isdigit() for ch in s)


def aligned_tables(lines: list[TextLine], number: int) -> list[Block]:
    """Replace runs of column-aligned lines holding many numbers by text tables."""
    out: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        j = i
        while j < n and len(lines[j].segments) >= 2:
            j += 1
        run = lines[i:j]
        numeric_lines = sum(1 for ln in run if any(_is_numeric(s[0]) for s in ln.segments))
        numeric_cells = sum(1 for ln in run for s in ln.segments if _is_numeric(s[0]))
        if j > i and numeric_lines >= 3 and numeric_cells >= 6:
            block = _text_table(run, number)
            if block is not None:
                out.append(block)
                i = j
                continue
        if j == i:
            out.append(lines[i])
            i += 1
        else:
            out.extend(run)
            i = j
    return out


def _text_table(run: list[TextLine], number: int) -> TableBlock | None:
    spans = sorted((s[1], s[2]) for ln in run for s in ln.segments)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 2:
        return None
    starts = [c[0] for c in cols]
    rows: list[list[Cell]] = []
    for ln in run:
        row = [Cell("", None) for _ in cols]
        for text, x0, x1 in ln.segments:
            k = max(bisect.bisect_right(starts, x0) - 1, 0)
            old = row[k]
            if old.bbox is None:
                row[k] = Cell(text, (x0, ln.top, x1, ln.bottom))
            else:
                ob = old.bbox
                row[k] = Cell(old.text + " " + text, (ob[0], ob[1], x1, ob[3]))
        rows.append(row)
    bbox = (min(c[0] for c in cols), run[0].top, max(c[1] for c in cols), run[-1].bottom)
    return TableBlock(rows, bbox, "text", number)
