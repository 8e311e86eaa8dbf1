"""The cells a page's rulings make, and the tables those cells form.

This is pdfplumber's table finder with its ``explicit`` strategies (snap, join, filter,
intersections, smallest cells, cells grouped by shared corners), step for step, on plain
tuples instead of one dict per edge, with the lookups indexed: the points below and right
of an intersection come from its column and row, and tables are the connected groups of
cells that share a corner. It gives exactly pdfplumber's cells and tables (the parity
script compares both readers' output on the whole corpus; ``tests/test_pdf.py`` compares
this finder with pdfplumber's on real pages) at a fraction of the cost.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

from ..document import BBox
from .settings import SETTINGS

__all__ = ["Segment", "find_tables"]

# (x0, top, x1, bottom): a horizontal segment has top == bottom, a vertical one x0 == x1
Segment = tuple[float, float, float, float]
Point = tuple[float, float]
Crossings = dict[Point, tuple[set[Segment], set[Segment]]]  # point -> (horizontal, vertical) edges through it


def find_tables(horizontal: Iterable[Segment], vertical: Iterable[Segment]) -> list[tuple[BBox, list[BBox]]]:
    """The ruled tables of a page: each one's box and cells, top to bottom."""
    tol = SETTINGS.table_tolerance
    h = _merge(_snap(list(horizontal), 1, 3, tol), 0, 2, tol)
    v = _merge(_snap(list(vertical), 0, 2, tol), 1, 3, tol)
    h = [e for e in h if e[2] - e[0] >= tol]
    v = [e for e in v if e[3] - e[1] >= tol]
    cells = _cells(_intersections(h, v, tol))
    return _tables(cells)


def _clusters(values: list[float], tol: float) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: sorted distinct values chained while within ``tol``."""
    out: dict[float, int] = {}
    group, last = -1, None
    for x in sorted(set(values)):
        if last is None or x > last + tol:
            group += 1
        out[x] = group
        last = x
    return out


def _snap(edges: list[Segment], a: int, b: int, tol: float) -> list[Segment]:
    """Move the edges whose position (coordinates ``a`` and ``b``) lies in one cluster to its mean."""
    cluster = _clusters([e[a] for e in edges], tol)
    members: dict[int, list[Segment]] = defaultdict(list)
    for e in edges:
        members[cluster[e[a]]].append(e)
    out: list[Segment] = []
    for k in sorted(members):
        group = members[k]
        mean = sum(e[a] for e in group) / len(group)
        for e in group:
            d = mean - e[a]
            moved = list(e)
            moved[a] += d
            moved[b] += d
            out.append((moved[0], moved[1], moved[2], moved[3]))
    return out


def _merge(edges: list[Segment], lo: int, hi: int, tol: float) -> list[Segment]:
    """Join the edges of one line (same position) that overlap or lie within ``tol`` of each other."""
    pos = 1 if lo == 0 else 0
    lines: dict[float, list[Segment]] = defaultdict(list)
    for e in edges:
        lines[e[pos]].append(e)
    out: list[Segment] = []
    for key in sorted(lines):
        joined: list[list[float]] = []
        for e in sorted(lines[key], key=lambda s: s[lo]):
            if joined and e[lo] <= joined[-1][hi] + tol:
                if e[hi] > joined[-1][hi]:
                    joined[-1][hi] = e[hi]
            else:
                joined.append(list(e))
        out.extend((j[0], j[1], j[2], j[3]) for j in joined)
    return out


def _intersections(h: list[Segment], v: list[Segment], tol: float) -> Crossings:
    """Points where a vertical and a horizontal edge cross (within ``tol``), with the edges through each."""
    out: Crossings = {}
    for ve in v:
        x, top, bottom = ve[0], ve[1], ve[3]
        for he in h:
            y = he[1]
            if top <= y + tol and bottom >= y - tol and he[0] - tol <= x <= he[2] + tol:
                at = out.get((x, y))
                if at is None:
                    at = out[(x, y)] = (set(), set())
                at[0].add(he)
                at[1].add(ve)
    return out


def _cells(points: Crossings) -> list[BBox]:
    """For every intersection, the smallest cell it is the top-left corner of (pdfplumber's order)."""
    by_x: dict[float, list[float]] = defaultdict(list)
    by_y: dict[float, list[float]] = defaultdict(list)
    for x, y in sorted(points):
        by_x[x].append(y)
        by_y[y].append(x)
    cells: list[BBox] = []
    for pt in sorted(points):
        x, y = pt
        ys, xs = by_x[x], by_y[y]
        below = [(x, yy) for yy in ys[bisect.bisect_right(ys, y) :]]
        right = [(xx, y) for xx in xs[bisect.bisect_right(xs, x) :]]
        cell = _smallest(pt, below, right, points)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest(pt: Point, below: list[Point], right: list[Point], points: Crossings) -> BBox | None:
    """The first cell (nearest bottom edge, then nearest right edge) whose four sides are ruled."""

    def joined(p: Point, q: Point, kind: int) -> bool:  # kind 0: a shared horizontal edge, 1: vertical
        return not points[p][kind].isdisjoint(points[q][kind])

    for b in below:
        if not joined(pt, b, 1):
            continue
        for r in right:
            if not joined(pt, r, 0):
                continue
            corner = (r[0], b[1])
            if corner in points and joined(corner, r, 1) and joined(corner, b, 0):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def _tables(cells: list[BBox]) -> list[tuple[BBox, list[BBox]]]:
    """Cells grouped by shared corners (connected groups of two cells or more), top to bottom."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[BBox]] = defaultdict(list)
    for i, c in enumerate(cells):
        groups[root(i)].append(c)
    tables = [g for g in groups.values() if len(g) > 1]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [
        ((min(c[0] for c in t), min(c[1] for c in t), max(c[2] for c in t), max(c[3] for c in t)), t) for t in tables
    ]
