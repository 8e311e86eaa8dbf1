"""Rulings (drawn lines and rectangles), the grids they make, and the ruled tables in them.

:func:`add_edges` turns a drawn path into horizontal and vertical :class:`Edge`
segments; :func:`find_ruled_tables` hands them to pdfplumber's table finder, lays the
found cells on a grid, puts every character into its cell and returns the tables as
:class:`~reconcile.pdf.tables.TableBlock` records with the characters left outside.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from ..document import BBox
from .chars import Char, group_lines, join_wrapped, line_text
from .grid import find_tables
from .settings import SETTINGS
from .tables import Cell, TableBlock

__all__ = ["Edge", "add_edges", "add_path_edges", "find_ruled_tables"]


@dataclass(slots=True)
class Edge:
    """A horizontal ("h") or vertical ("v") ruling segment, top-down page coordinates."""

    orientation: str
    x0: float
    top: float
    x1: float
    bottom: float


def add_edges(obj: Any, edges: list[Edge], height: float, mb_x0: float, mb_top: float) -> None:
    """Add the ruling segments a pdfminer path object shows (white boxes show nothing)."""
    stroked = bool(obj.stroke) and not _is_white(obj.stroking_color)
    filled = bool(obj.fill) and not _is_white(obj.non_stroking_color)
    if not (stroked or filled):
        return
    pts = [(x + mb_x0, height - y + mb_top) for x, y in obj.pts]
    # rectangles and filled shapes are closed; an open polyline is not
    if len(pts) > 2 and (filled or type(obj).__name__ == "LTRect"):
        pts.append(pts[0])
    add_path_edges(pts, filled, edges)


def add_path_edges(pts: list[tuple[float, float]], filled: bool, edges: list[Edge]) -> None:
    """Add the segments of one visible subpath (points top-down, closed by repeating the first).

    A filled sliver is a rule drawn as a rectangle: one segment along its middle. Otherwise
    every horizontal or vertical segment of the subpath is a ruling.
    """
    if not pts:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if filled and (x1 - x0 < SETTINGS.thin or bottom - top < SETTINGS.thin):
        if x1 - x0 >= bottom - top:
            y = (top + bottom) / 2
            edges.append(Edge("h", x0, y, x1, y))
        else:
            x = (x0 + x1) / 2
            edges.append(Edge("v", x, top, x, bottom))
        return
    if filled and len(pts) > 2 and pts[-1] != pts[0]:
        pts = [*pts, pts[0]]
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        if abs(ay - by) < 0.5 and abs(ax - bx) >= 1:
            y = (ay + by) / 2
            edges.append(Edge("h", min(ax, bx), y, max(ax, bx), y))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= 1:
            x = (ax + bx) / 2
            edges.append(Edge("v", x, min(ay, by), x, max(ay, by)))


def _is_white(color: Any) -> bool:
    if color is None or isinstance(color, str):
        return False
    if isinstance(color, int | float):
        return float(color) >= 0.95
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):
        return False
    if len(vals) == 1 or len(vals) == 3:
        return all(v >= 0.95 for v in vals)
    if len(vals) == 4:  # CMYK
        return all(v <= 0.05 for v in vals)
    return False


# ----------------------------------------------------------------------------------
# Grids


def _close_open_ends(edges: list[Edge]) -> list[Edge]:
    """Add the missing top (bottom) rule of a table that continues from (onto) another page.

    Word leaves the first row on a continuation page open at the top: the vertical rules
    start higher than any horizontal rule. When two or more vertical rules start (end)
    at the topmost (bottommost) vertical extent and no horizontal rule is there, one is
    added across them.
    """
    verticals = [e for e in edges if e.orientation == "v" and e.bottom - e.top > 3]
    horizontals = [e for e in edges if e.orientation == "h"]
    if len(verticals) < 2:
        return edges
    extra: list[Edge] = []
    for end in ("top", "bottom"):
        ys = [e.top if end == "top" else e.bottom for e in verticals]
        y = min(ys) if end == "top" else max(ys)
        at = [v for v, vy in zip(verticals, ys, strict=True) if abs(vy - y) <= 1.0]
        if len(at) < 2:
            continue
        x0 = min(v.x0 for v in at)
        x1 = max(v.x1 for v in at)
        covered = any(abs(h.top - y) <= 2.0 and h.x0 <= x0 + 3 and h.x1 >= x1 - 3 for h in horizontals)
        if not covered:
            extra.append(Edge("h", x0, y, x1, y))
    return edges + extra


def _may_hold_table(edges: list[Edge]) -> bool:
    n_h = sum(1 for e in edges if e.orientation == "h" and e.x1 - e.x0 > 3)
    n_v = sum(1 for e in edges if e.orientation == "v" and e.bottom - e.top > 3)
    return n_h >= 2 and n_v >= 2


def _cluster(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(coords: list[float], v: float, tol: float = 1.5) -> int:
    i = bisect.bisect_left(coords, v - tol)
    return min(i, len(coords) - 1)


@dataclass(slots=True)
class _Grid:
    """A ruled table's cells on the grid of its distinct x and y coordinates."""

    bbox: BBox
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int, BBox]]  # r0, r1, c0, c1, bbox
    at: dict[tuple[int, int], int]  # grid position -> cell index
    chars: dict[int, list[Char]] = field(default_factory=dict)

    def locate(self, x: float, y: float) -> int:
        c = bisect.bisect_right(self.xs, x) - 1
        r = bisect.bisect_right(self.ys, y) - 1
        c = min(max(c, 0), len(self.xs) - 2)
        r = min(max(r, 0), len(self.ys) - 2)
        hit = self.at.get((r, c))
        if hit is None:  # a hole in the ruling: make it a cell of its own
            bbox = (self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
            self.cells.append((r, r + 1, c, c + 1, bbox))
            hit = len(self.cells) - 1
            self.at[(r, c)] = hit
        return hit


def _grid_of(bbox: BBox, table_cells: list[BBox]) -> _Grid | None:
    cells: list[BBox] = [tuple(float(v) for v in c) for c in table_cells]  # type: ignore[misc]
    if not cells:
        return None
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 2 or len(ys) < 2:
        return None
    placed: list[tuple[int, int, int, int, BBox]] = []
    at: dict[tuple[int, int], int] = {}
    for bb in sorted(cells, key=lambda b: (b[1], b[0])):
        c0, c1 = _index(xs, bb[0]), _index(xs, bb[2])
        r0, r1 = _index(ys, bb[1]), _index(ys, bb[3])
        if c1 <= c0 or r1 <= r0:
            continue
        k = len(placed)
        placed.append((r0, r1, c0, c1, bb))
        for r in range(r0, r1):
            for c in range(c0, c1):
                at.setdefault((r, c), k)
    return _Grid(bbox, xs, ys, placed, at)


# ----------------------------------------------------------------------------------
# Ruled tables

_CJK_GAP_RE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +(?=[\u3000-\u9fff\uff00-\uffef])")


def _cell_text(chars: list[Char]) -> str:
    """Text of a table cell: wrapped lines rejoined, letter-spacing ("合 计") removed."""
    text = join_wrapped([line_text(g)[0] for g in group_lines(chars)])
    return _CJK_GAP_RE.sub("", text)


def _grid_to_block(grid: _Grid, page: int) -> TableBlock | None:
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    texts: dict[int, str] = {k: _cell_text(v) for k, v in grid.chars.items()}
    rows: list[list[Cell]] = [[Cell("", None) for _ in range(n_cols)] for _ in range(n_rows)]
    for k, (r0, _r1, c0, _c1, bb) in enumerate(grid.cells):
        rows[r0][c0] = Cell(texts.get(k, ""), bb)
    keep_rows = [r for r in range(n_rows) if any(cell.text for cell in rows[r])]
    filled = [any(rows[r][c].text for r in keep_rows) for c in range(n_cols)]
    # Empty columns are kept (a continued table keeps its shape) unless they are slivers
    # between doubled rules.
    keep_cols = [c for c in range(n_cols) if grid.xs[c + 1] - grid.xs[c] >= SETTINGS.min_column_width or filled[c]]
    if sum(1 for c in keep_cols if filled[c]) < 2:
        return None
    if not keep_rows or len(keep_cols) < 2:
        return None  # empty, or a one-column box (a frame around text)
    # A cell whose column is dropped (empty everywhere) but that starts a span covering a
    # kept column is moved onto the first kept column it covers.
    kept = set(keep_cols)
    moved: dict[int, list[tuple[int, int, int, BBox]]] = {}
    for k, (r0, _r1, c0, c1, bb) in enumerate(grid.cells):
        if c0 not in kept:
            moved.setdefault(r0, []).append((k, c0, c1, bb))
    out_rows: list[list[Cell]] = []
    for r in keep_rows:
        row = rows[r]
        for k, c0, c1, bb in moved.get(r, ()):
            target = next((c for c in keep_cols if c0 < c < c1), None)
            if target is not None and row[target].bbox is None:
                row[target] = Cell(texts.get(k, ""), bb)
        out_rows.append([row[c] for c in keep_cols])
    return TableBlock(out_rows, grid.bbox, "lines", page)


def find_ruled_tables(edges: list[Edge], chars: list[Char], number: int) -> tuple[list[TableBlock], list[Char]]:
    """Ruled tables of a page, and the characters that lie outside them.

    The cells are pdfplumber's (its table finder with ``explicit`` strategies, as
    :mod:`reconcile.pdf.grid` reimplements it), found on the rulings alone.
    """
    if not _may_hold_table(edges):
        return [], chars
    closed = _close_open_ends(edges)
    found = find_tables(
        ((e.x0, e.top, e.x1, e.bottom) for e in closed if e.orientation == "h"),
        ((e.x0, e.top, e.x1, e.bottom) for e in closed if e.orientation == "v"),
    )
    grids = [g for g in (_grid_of(bbox, cells) for bbox, cells in found) if g is not None]
    if not grids:
        return [], chars
    outside: list[Char] = []
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        for g in grids:
            x0, top, x1, bottom = g.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                g.chars.setdefault(g.locate(cx, cy), []).append(c)
                break
        else:
            outside.append(c)
    blocks: list[TableBlock] = []
    for g in grids:
        block = _grid_to_block(g, number)
        if block is None:  # a box, not a table: its text is ordinary text
            for cs in g.chars.values():
                outside.extend(cs)
        else:
            blocks.append(block)
    return blocks, outside
