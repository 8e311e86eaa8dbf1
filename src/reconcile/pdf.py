"""PDF ingestion: one plain text for the whole PDF, in the tab-separated table style.

The text that :func:`read_pdf` builds is the same kind of text the text path parses:

* narrative as paragraphs, one paragraph per line (lines wrapped at the right margin
  are rejoined), a blank line between paragraphs, page headers, footers and bare page
  numbers removed;
* every ruled table as rows, one line per row, cells joined by TAB, text wrapped inside
  a cell rejoined, cells covered by a span left empty; table titles and unit lines stay
  ordinary text lines above the table;
* pages in order, blocks of a page in reading order (top to bottom), tables placed where
  they stand; no form feeds: page boundaries are in ``Document.pages``.

Every :class:`~reconcile.document.Line` carries its page and bounding box, and every
table cell's start offset maps to its page and box in ``Document.boxes``. Pages are read
one at a time and closed at once, so memory stays bounded on large files.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import BBox, Document, InputError, Line, PageInfo, ProblemNote
from .numbers import fold_text

__all__ = [
    "PdfTable",
    "load_documents",
    "read_pdf",
    "read_pdfs",
]

log = logging.getLogger(__name__)

STAGE = "pdf"

# --- tunables (in units of the font size unless said otherwise) --------------------
LINE_TOLERANCE = 0.35  # baselines closer than this belong to one line
SEGMENT_GAP = 1.5  # a horizontal gap this wide splits a line into segments (columns)
WIDE_SPACE_GAP = 0.6  # gap next to a CJK character that still prints as a space
CJK_SPACE_GAP = 0.4  # a typed space between two CJK characters at least this wide is kept
NARROW_SPACE_GAP = 0.2  # gap between two Latin characters that prints as a space
INDENT = 0.8  # a line starting this far right of the left margin is indented
RIGHT_SLACK = 1.5  # a line ending this close to the right margin (plus the next word) wrapped
FAR_INDENT = 4.5  # a line starting this far right of the left margin is centred or right-aligned
SIZE_CHANGE = 0.1  # lines whose font sizes differ by more than this share are not one paragraph
CENTRED = 2.5  # a line with margins at least this wide and equal (within an em) on both sides is centred
CID_SHARE = 0.05  # share of (cid:…) characters above which pdfium re-reads the page
CID_MIN = 5
MARGIN_SHARE = 0.09  # top/bottom share of the page where headers and footers live
PDFIUM_SIZE = 10.5  # font size assumed for blank characters re-read with pdfium
THIN = 2.0  # points: a filled rectangle thinner than this is a rule
MIN_COLUMN_WIDTH = 6.0  # points: an empty column narrower than this is an artefact
FLUSH_EVERY = 8  # pages between two flushes of pdfminer's object cache
MAX_CACHED_FONTS = 24  # parsed fonts kept across pages
POOL_MIN_PAGES = 16  # with workers > 1, files shorter than this are read in-process

_BREAKS_RE = re.compile("[\x00-\x08\x0a-\x1f\x85\u2028\u2029\t]")
_NUMERIC_RE = re.compile(r"[-+－]?\s*[\d０-９][\d０-９,，.．\s]*%?")
_PAGE_NUMBER_RE = re.compile(
    r"[-—–－_\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_\s]*"
    r"|[-—–－\s]*[ivxlcIVXLC]{1,6}[-—–－\s]*"
)
# a table's number above its title ("表1", "表 2-1", "公开01表", "附表3"): content, not a
# running header, although "digits ignored" makes the lines of all table pages look alike
_TABLE_LABEL_RE = re.compile(r"\s*(?:附?表\s*[一二三四五六七八九十\d]+(?:\s*[-—－]\s*\d+)?|公开\s*\d+\s*表)\s*")
_HEADING_RE = re.compile(
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+[部分章节条篇]"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、．](?![\d０-９])|\d{1,2}\.(?![\d０-９])|\d{1,2}\.(?=\d{4}年)"
    r"|[①-⑳⑴-⒇]"
    r"|表[一二三四五六七八九十\d]+"
    r"|附[件表录]"
    r"|注[:：]"
    r")"
)


# ----------------------------------------------------------------------------------
# Small records kept per page after the pdfplumber page is closed.


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    base: float  # baseline, in top-down page coordinates


@dataclass(slots=True)
class _TextLine:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    segments: list[tuple[str, float, float]]  # (text, x0, x1) split at wide gaps
    page: int = 0

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(slots=True)
class _Cell:
    text: str
    bbox: BBox | None  # None: covered by a span, or a cell the ruling does not close


@dataclass(slots=True)
class _TableBlock:
    rows: list[list[_Cell]]
    bbox: BBox
    method: str  # "lines" | "text"
    page: int = 0

    @property
    def top(self) -> float:
        return self.bbox[1]


_Block = _TextLine | _TableBlock


@dataclass(slots=True)
class _PageResult:
    number: int  # 1-based within its file
    width: float
    height: float
    blocks: list[_Block]
    has_text: bool


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
# Characters and lines


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2000


@dataclass(slots=True)
class _Edge:
    """A horizontal ("h") or vertical ("v") ruling segment, top-down page coordinates."""

    orientation: str
    x0: float
    top: float
    x1: float
    bottom: float

    def as_plumber(self) -> dict[str, Any]:
        return {
            "object_type": "line_edge",
            "orientation": self.orientation,
            "x0": self.x0,
            "x1": self.x1,
            "top": self.top,
            "bottom": self.bottom,
            "doctop": self.top,
            "width": self.x1 - self.x0,
            "height": self.bottom - self.top,
        }


@dataclass(slots=True)
class _PageObjects:
    chars: list[_Char] = field(default_factory=list)
    edges: list[_Edge] = field(default_factory=list)
    image_area: float = 0.0
    n_cid: int = 0


def _page_objects(page: Any) -> _PageObjects:
    """Characters, visible rulings and image area of a page, straight from pdfminer.

    pdfplumber's ``page.chars``/``page.rects`` would build a dict with every attribute
    for every object; reading the layout objects directly is markedly cheaper.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    out = _PageObjects()
    stack: list[Any] = list(reversed(page.layout._objs))
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if not text:
                continue
            if text.startswith("(cid:"):
                out.n_cid += 1
            text = fold_text(text)
            top = height - obj.y1 + mb_top
            bottom = height - obj.y0 + mb_top
            m = obj.matrix
            base = bottom
            if m[0] > 0 and m[3] > 0 and abs(m[1]) < 1e-6:
                base = height - m[5] + mb_top
            size = float(obj.size) or (bottom - top) or 1.0
            out.chars.append(_Char(text, obj.x0 + mb_x0, obj.x1 + mb_x0, top, bottom, size, base))
        elif isinstance(obj, LTCurve):
            _add_edges(obj, out.edges, height, mb_x0, mb_top)
        elif isinstance(obj, LTImage):
            out.image_area += max(0.0, obj.width) * max(0.0, obj.height)
        elif isinstance(obj, LTContainer):
            stack.extend(reversed(obj._objs))
    return out


def _add_edges(obj: Any, edges: list[_Edge], height: float, mb_x0: float, mb_top: float) -> None:
    """Add the ruling segments a drawn path shows (white boxes show nothing)."""
    stroked = bool(obj.stroke) and not _is_white(obj.stroking_color)
    filled = bool(obj.fill) and not _is_white(obj.non_stroking_color)
    if not (stroked or filled):
        return
    pts = [(x + mb_x0, height - y + mb_top) for x, y in obj.pts]
    w, h = obj.x1 - obj.x0, obj.y1 - obj.y0
    x0, x1 = obj.x0 + mb_x0, obj.x1 + mb_x0
    top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
    if filled and (w < THIN or h < THIN):
        # a filled sliver is a rule drawn as a rectangle: one segment along its middle
        if w >= h:
            y = (top + bottom) / 2
            edges.append(_Edge("h", x0, y, x1, y))
        else:
            x = (x0 + x1) / 2
            edges.append(_Edge("v", x, top, x, bottom))
        return
    # rectangles and filled shapes are closed; an open polyline is not
    closed = len(pts) > 2 and (filled or type(obj).__name__ == "LTRect")
    for (ax, ay), (bx, by) in zip(pts, pts[1:] + (pts[:1] if closed else []), strict=False):
        if abs(ay - by) < 0.5 and abs(ax - bx) >= 1:
            y = (ay + by) / 2
            edges.append(_Edge("h", min(ax, bx), y, max(ax, bx), y))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= 1:
            x = (ax + bx) / 2
            edges.append(_Edge("v", x, min(ay, by), x, max(ay, by)))


def _group_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Group characters into lines by baseline; each line sorted left to right."""
    if not chars:
        return []
    order = sorted(chars, key=lambda c: (c.base, c.x0))
    lines: list[list[_Char]] = []
    cur: list[_Char] = [order[0]]
    base = order[0].base
    for c in order[1:]:
        tol = LINE_TOLERANCE * max(c.size, cur[-1].size, 1.0)
        if c.base - base <= tol:
            cur.append(c)
        else:
            lines.append(cur)
            cur = [c]
            base = c.base
    lines.append(cur)
    for ln in lines:
        ln.sort(key=lambda c: c.x0)
    return lines


def _line_text(chars: list[_Char]) -> tuple[str, list[tuple[str, float, float]]]:
    """Text of one line of characters, with spaces only where they mean something.

    Justification gaps and the spaces Word puts between CJK and Latin runs are dropped
    ("2017 年" -> "2017年"); a wide gap splits the line into segments (columns).
    """
    segments: list[tuple[str, float, float]] = []
    buf: list[str] = []
    seg_x0 = 0.0
    prev: _Char | None = None
    had_space = False
    for c in chars:
        if c.text.isspace():
            had_space = True
            continue
        if prev is not None:
            # overprinted duplicate (fake bold)
            if c.text == prev.text and abs(c.x0 - prev.x0) < 0.3 * (prev.x1 - prev.x0 + 0.1):
                continue
            gap = c.x0 - prev.x1
            size = max(c.size, prev.size, 1.0)
            a, b = prev.text[-1], c.text[0]
            if gap > SEGMENT_GAP * size:
                segments.append(("".join(buf), seg_x0, prev.x1))
                buf = []
                seg_x0 = c.x0
            elif _is_wide(a) or _is_wide(b):
                # a typed space between two CJK words ("第一部分 部门概况") stays; the
                # space Word puts between CJK and Latin ("2017 年") goes
                both = _is_wide(a) and _is_wide(b)
                if gap > WIDE_SPACE_GAP * size or (both and had_space and gap > CJK_SPACE_GAP * size):
                    buf.append(" ")
            elif b in "%％" and a.isdigit():
                pass
            elif had_space or gap > NARROW_SPACE_GAP * size:
                buf.append(" ")
        else:
            seg_x0 = c.x0
        buf.append(c.text)
        prev = c
        had_space = False
    if prev is not None and buf:
        segments.append(("".join(buf), seg_x0, prev.x1))
    segments = [(_clean(t), x0, x1) for t, x0, x1 in segments]
    segments = [s for s in segments if s[0].strip()]
    return " ".join(s[0] for s in segments), segments


def _clean(s: str) -> str:
    """Fold look-alike characters and remove anything that would break a line."""
    return _BREAKS_RE.sub(" ", fold_text(s))


def _make_lines(chars: list[_Char], page: int) -> list[_TextLine]:
    out: list[_TextLine] = []
    for group in _group_lines(chars):
        text, segs = _line_text(group)
        if not text.strip():
            continue
        visible = [c for c in group if not c.text.isspace()]
        sizes = sorted(c.size for c in visible)
        out.append(
            _TextLine(
                text=text.strip(),
                x0=min(c.x0 for c in visible),
                top=min(c.top for c in visible),
                x1=max(c.x1 for c in visible),
                bottom=max(c.bottom for c in visible),
                size=sizes[len(sizes) // 2],
                segments=segs,
                page=page,
            )
        )
    return out


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell or paragraph: no space next to CJK."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not _is_wide(out[-1]) and not _is_wide(p[0]) and out[-1].isalnum() and p[0].isalnum():
            out += " "
        out += p
    return out


# ----------------------------------------------------------------------------------
# Ruled tables


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


def _close_open_ends(edges: list[_Edge]) -> list[_Edge]:
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
    extra: list[_Edge] = []
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
            extra.append(_Edge("h", x0, y, x1, y))
    return edges + extra


def _may_hold_table(edges: list[_Edge]) -> bool:
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
    bbox: BBox
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int, BBox]]  # r0, r1, c0, c1, bbox
    at: dict[tuple[int, int], int]  # grid position -> cell index
    chars: dict[int, list[_Char]] = field(default_factory=dict)

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


def _grid_of(table: Any) -> _Grid | None:
    cells: list[BBox] = [tuple(float(v) for v in c) for c in table.cells]  # type: ignore[misc]
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
    bbox = tuple(float(v) for v in table.bbox)
    return _Grid(bbox, xs, ys, placed, at)  # type: ignore[arg-type]


_CJK_GAP_RE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +(?=[\u3000-\u9fff\uff00-\uffef])")


def _cell_text(chars: list[_Char]) -> str:
    """Text of a table cell: wrapped lines rejoined, letter-spacing ("合 计") removed."""
    text = _join_wrapped([_line_text(g)[0] for g in _group_lines(chars)])
    return _CJK_GAP_RE.sub("", text)


def _grid_to_block(grid: _Grid, page: int) -> _TableBlock | None:
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    texts: dict[int, str] = {k: _cell_text(v) for k, v in grid.chars.items()}
    rows: list[list[_Cell]] = [[_Cell("", None) for _ in range(n_cols)] for _ in range(n_rows)]
    for k, (r0, _r1, c0, _c1, bb) in enumerate(grid.cells):
        rows[r0][c0] = _Cell(texts.get(k, ""), bb)
    keep_rows = [r for r in range(n_rows) if any(cell.text for cell in rows[r])]
    # Empty columns are kept (a continued table keeps its shape) unless they are slivers
    # between doubled rules.
    keep_cols = [
        c
        for c in range(n_cols)
        if grid.xs[c + 1] - grid.xs[c] >= MIN_COLUMN_WIDTH or any(rows[r][c].text for r in keep_rows)
    ]
    if sum(1 for c in keep_cols if any(rows[r][c].text for r in keep_rows)) < 2:
        return None
    if not keep_rows or len(keep_cols) < 2:
        return None  # empty, or a one-column box (a frame around text)
    # A cell whose column is dropped (empty everywhere) but that starts a span covering a
    # kept column is moved onto the first kept column it covers.
    out_rows: list[list[_Cell]] = []
    for r in keep_rows:
        row = rows[r]
        for k, (r0, _r1, c0, c1, bb) in enumerate(grid.cells):
            if r0 == r and c0 not in keep_cols:
                target = next((c for c in keep_cols if c0 < c < c1), None)
                if target is not None and row[target].bbox is None:
                    row[target] = _Cell(texts.get(k, ""), bb)
        out_rows.append([row[c] for c in keep_cols])
    return _TableBlock(out_rows, grid.bbox, "lines", page)


def _find_ruled_tables(
    page: Any, edges: list[_Edge], chars: list[_Char], number: int
) -> tuple[list[_TableBlock], list[_Char]]:
    """Ruled tables of a page, and the characters that lie outside them."""
    if not _may_hold_table(edges):
        return [], chars
    objs = [e.as_plumber() for e in _close_open_ends(edges)]
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": objs,
        "explicit_horizontal_lines": objs,
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "intersection_tolerance": 3,
        "edge_min_length": 3,
    }
    try:
        found = page.find_tables(table_settings=settings)
    except ValueError:
        return [], chars
    grids = [g for g in (_grid_of(t) for t in found) if g is not None]
    if not grids:
        return [], chars
    outside: list[_Char] = []
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        for g in grids:
            x0, top, x1, bottom = g.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                g.chars.setdefault(g.locate(cx, cy), []).append(c)
                break
        else:
            outside.append(c)
    blocks: list[_TableBlock] = []
    for g in grids:
        block = _grid_to_block(g, number)
        if block is None:  # a box, not a table: its text is ordinary text
            for cs in g.chars.values():
                outside.extend(cs)
        else:
            blocks.append(block)
    return blocks, outside


# ----------------------------------------------------------------------------------
# Tables without rulings: words aligned in columns


def _is_numeric(s: str) -> bool:
    return bool(_NUMERIC_RE.fullmatch(s.strip())) and any(ch.isdigit() for ch in s)


def _aligned_tables(lines: list[_TextLine], number: int) -> list[_Block]:
    """Replace runs of column-aligned lines holding many numbers by text tables."""
    out: list[_Block] = []
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


def _text_table(run: list[_TextLine], number: int) -> _TableBlock | None:
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
    rows: list[list[_Cell]] = []
    for ln in run:
        row = [_Cell("", None) for _ in cols]
        for text, x0, x1 in ln.segments:
            k = max(bisect.bisect_right(starts, x0) - 1, 0)
            old = row[k]
            if old.bbox is None:
                row[k] = _Cell(text, (x0, ln.top, x1, ln.bottom))
            else:
                ob = old.bbox
                row[k] = _Cell(old.text + " " + text, (ob[0], ob[1], x1, ob[3]))
        rows.append(row)
    bbox = (min(c[0] for c in cols), run[0].top, max(c[1] for c in cols), run[-1].bottom)
    return _TableBlock(rows, bbox, "text", number)


# ----------------------------------------------------------------------------------
# One page


def _pdfium_chars(pdfium_doc: Any, index: int, height: float) -> list[_Char]:
    """Characters of a page as pypdfium2 reads them (for fonts pdfminer cannot map).

    Loose boxes (font ascent to descent) and the glyph origin give every character of a
    line the same baseline, as pdfminer's matrix does.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = pdfium_doc[index]
    try:
        tp = page.get_textpage()
        try:
            out: list[_Char] = []
            ox, oy = ctypes.c_double(), ctypes.c_double()
            for i in range(tp.count_chars()):
                ch = fold_text(tp.get_text_range(i, 1))
                if not ch or ch in "\r\n" or ch == "\ufffe":
                    continue
                left, bottom, right, top = tp.get_charbox(i, loose=True)
                size = float(pdfium_c.FPDFText_GetFontSize(tp.raw, i)) or PDFIUM_SIZE
                base = height - bottom
                if pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(ox), ctypes.byref(oy)):
                    base = height - oy.value
                out.append(_Char(ch, left, right, height - top, height - bottom, size, base))
            return out
        finally:
            tp.close()
    finally:
        page.close()


def _read_page(page: Any, number: int, pdfium_src: _PdfiumSource, notes: list[ProblemNote]) -> _PageResult:
    width, height = float(page.width), float(page.height)
    objs = _page_objects(page)
    chars = objs.chars
    if objs.n_cid >= CID_MIN and objs.n_cid > CID_SHARE * len(chars):
        what = f"page {number}: {objs.n_cid} of {len(objs.chars)} characters have no Unicode mapping ((cid:…) codes)"
        try:
            chars = _pdfium_chars(pdfium_src.get(), page.page_number - 1, height)
        except Exception as exc:
            notes.append(
                ProblemNote(STAGE, f"{what}; pdfium could not re-read the page ({type(exc).__name__})", number)
            )
        else:
            notes.append(ProblemNote(STAGE, f"{what}; the page text was re-read with pdfium", number))
    chars = [c for c in chars if c.x1 >= 0 and c.x0 <= width and c.bottom >= 0 and c.top <= height]
    if not any(not c.text.isspace() for c in chars):
        if objs.image_area > 0.1 * width * height:
            notes.append(
                ProblemNote(STAGE, f"page {number} has no text layer (scanned image?); no OCR is done", number)
            )
        return _PageResult(number, width, height, [], False)
    tables, outside = _find_ruled_tables(page, objs.edges, chars, number)
    lines = _make_lines(outside, number)
    blocks: list[_Block] = _aligned_tables(lines, number)
    blocks.extend(tables)
    blocks.sort(key=lambda b: b.top)
    return _PageResult(number, width, height, blocks, True)


class _PdfiumSource:
    """Opens the PDF with pypdfium2 only when a page needs it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.doc: Any = None

    def get(self) -> Any:
        if self.doc is None:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(self.data)
        return self.doc

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None


def _open_error(path: str, exc: BaseException) -> InputError:
    inner: BaseException = exc
    while inner.args and isinstance(inner.args[0], BaseException):
        inner = inner.args[0]
    name = type(inner).__name__
    text = str(inner).strip() or name
    text = " ".join(text.split())[:120]
    if "Password" in name or "Encrypt" in name or "password" in text.lower():
        return InputError(f"{path}: the PDF is encrypted and cannot be opened without a password")
    if name in ("PSEOF", "PDFNoValidXRef") or "Root" in text or "EOF" in text or "xref" in text.lower():
        return InputError(f"{path}: the PDF is damaged or truncated ({name}: {text})")
    return InputError(f"{path}: not a readable PDF ({name}: {text})")


def _read_pages(
    data: bytes, path: str, max_pages: int | None, notes: list[ProblemNote], *, first: int = 1, note_limit: bool = True
) -> Iterator[_PageResult]:
    """Read a PDF page by page, keeping only the small per-page results.

    Pages are made one at a time from the page tree (``pdf.pages`` would keep every page
    object alive) and closed at once; every few pages pdfminer's object cache, which
    holds the decoded content streams, is emptied, so memory stays flat on long files.
    """
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: not a PDF file (no %PDF- header)")
    if max_pages is not None and max_pages < 1:
        raise InputError(f"{path}: max_pages must be at least 1 (got {max_pages})")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds; all mean "cannot open"
        raise _open_error(path, exc) from exc
    pdfium_src = _PdfiumSource(data)
    total = _page_count(pdf)
    tree = PDFPage.create_pages(pdf.doc)
    number = 0
    try:
        while True:
            try:
                page_obj = next(tree)
            except StopIteration:
                break
            except Exception as exc:
                if number == 0:
                    raise _open_error(path, exc) from exc
                notes.append(ProblemNote(STAGE, f"the page tree is damaged after page {number}; the rest was skipped"))
                break
            if max_pages is not None and number >= max_pages:
                if note_limit:
                    shown = f"{max_pages} of {total}" if total else f"{max_pages}"
                    notes.append(
                        ProblemNote(STAGE, f"only the first {shown} pages were read (max_pages); the rest were skipped")
                    )
                break
            number += 1
            if number < first:  # another worker reads this page
                continue
            page: Any = None
            try:
                page = Page(pdf, page_obj, page_number=number, initial_doctop=0)
                result = _read_page(page, number, pdfium_src, notes)
            except Exception as exc:  # a damaged page must not sink the document
                log.debug("page %s of %s failed", number, path, exc_info=True)
                notes.append(
                    ProblemNote(STAGE, f"page {number} could not be read ({type(exc).__name__}); skipped", number)
                )
                width, height = (float(page.width), float(page.height)) if page is not None else (0.0, 0.0)
                result = _PageResult(number, width, height, [], False)
            finally:
                if page is not None:
                    page.close()
                del page, page_obj
                if number % FLUSH_EVERY == 0:
                    _flush_object_cache(pdf)
            yield result
        if number == 0:
            raise InputError(f"{path}: the PDF has no pages")
    finally:
        pdfium_src.close()
        pdf.stream.close()


def _flush_object_cache(pdf: Any) -> None:
    """Forget pdfminer's parsed objects (they are parsed again if needed)."""
    doc = pdf.doc
    for name in ("_cached_objs", "_parsed_objs"):
        cache = getattr(doc, name, None)
        if isinstance(cache, dict):
            cache.clear()
    # fonts are shared by pages and costly to parse: keep them unless a merged file
    # brings so many that they would pile up
    fonts = getattr(pdf.rsrcmgr, "_cached_fonts", None)
    if isinstance(fonts, dict) and len(fonts) > MAX_CACHED_FONTS:
        fonts.clear()


def _read_chunk(
    job: tuple[bytes, str, int, int, bool],
) -> tuple[list[_PageResult], list[ProblemNote]]:
    """Pages ``first..last`` of a PDF (run in a worker process)."""
    data, path, first, last, note_limit = job
    notes: list[ProblemNote] = []
    pages = list(_read_pages(data, path, last, notes, first=first, note_limit=note_limit))
    return pages, notes


def _read_file(
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    workers: int,
    progress: Callable[[int, int | None], None] | None = None,
) -> list[_PageResult]:
    """All pages of one PDF, on ``workers`` processes when the file is long enough to pay."""
    if workers > 1:
        total = _quick_page_count(data)
        n = total if max_pages is None or total is None else min(total, max_pages)
        if n is not None and n >= POOL_MIN_PAGES:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            k = min(workers, n // (POOL_MIN_PAGES // 2))
            bounds = [round(i * n / k) for i in range(k + 1)]
            jobs = [(data, path, bounds[i] + 1, bounds[i + 1], i == k - 1) for i in range(k)]
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            with ProcessPoolExecutor(max_workers=k, mp_context=multiprocessing.get_context(method)) as pool:
                results = list(pool.map(_read_chunk, jobs))
            pages: list[_PageResult] = []
            for prs, chunk_notes in results:
                pages.extend(prs)
                notes.extend(chunk_notes)
            return pages
    if progress is None:
        return list(_read_pages(data, path, max_pages, notes))
    total_pages = _quick_page_count(data)
    if total_pages is not None and max_pages is not None:
        total_pages = min(total_pages, max_pages)
    out: list[_PageResult] = []
    for pr in _read_pages(data, path, max_pages, notes):
        out.append(pr)
        progress(len(out), total_pages)
    return out


def _quick_page_count(data: bytes) -> int | None:
    try:
        import pypdfium2 as pdfium

        with pdfium.PdfDocument(data) as doc:
            return len(doc)
    except Exception:
        return None


def _page_count(pdf: Any) -> int | None:
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
        return int(count) if count is not None else None
    except Exception:
        return None


# ----------------------------------------------------------------------------------
# Headers, footers and page numbers


def _norm_header(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _strip_margins(pages: list[_PageResult]) -> None:
    """Drop bare page numbers and lines repeated in the top/bottom margin of many pages.

    Digits are ignored when lines are compared ("第3页" repeats "第4页"), but a table's
    number above its title ("表2" at the top of every table page) is content and stays.
    """
    cands: Counter[str] = Counter()
    per_page: list[list[tuple[int, str]]] = []
    for pr in pages:
        found: list[tuple[int, str]] = []
        texts = [(i, b) for i, b in enumerate(pr.blocks) if isinstance(b, _TextLine)]
        head = [(i, t) for i, t in texts[:2] if t.bottom <= pr.height * MARGIN_SHARE * 1.4]
        foot = [(i, t) for i, t in texts[-2:] if t.top >= pr.height * (1 - MARGIN_SHARE * 1.4)]
        for i, t in head + foot:
            found.append((i, _norm_header(t.text)))
        per_page.append(found)
        for key in {k for _i, k in found}:
            cands[key] += 1
    n_text_pages = sum(1 for pr in pages if pr.has_text)
    repeated = {k for k, v in cands.items() if v >= 3 and v >= 0.25 * n_text_pages}
    for pr, found in zip(pages, per_page, strict=True):
        drop: set[int] = set()
        for i, key in found:
            block = pr.blocks[i]
            assert isinstance(block, _TextLine)
            if _PAGE_NUMBER_RE.fullmatch(block.text) or (key in repeated and not _TABLE_LABEL_RE.fullmatch(block.text)):
                drop.add(i)
        # a bare page number anywhere in the bottom or top band
        for i, b in enumerate(pr.blocks):
            if (
                isinstance(b, _TextLine)
                and (b.top >= pr.height * (1 - MARGIN_SHARE * 1.4) or b.bottom <= pr.height * MARGIN_SHARE)
                and _PAGE_NUMBER_RE.fullmatch(b.text)
            ):
                drop.add(i)
        if drop:
            pr.blocks = [b for i, b in enumerate(pr.blocks) if i not in drop]


# ----------------------------------------------------------------------------------
# Paragraphs


@dataclass(slots=True)
class _Margins:
    left: float
    right: float


def _margins(pages: list[_PageResult]) -> dict[int, _Margins]:
    """Left and right text margins per page shape (portrait and landscape differ)."""
    by_shape: dict[int, tuple[list[float], list[float]]] = {}
    for pr in pages:
        xs = by_shape.setdefault(round(pr.width), ([], []))
        for b in pr.blocks:
            if isinstance(b, _TextLine) and len(b.text) >= 10:
                xs[0].append(b.x0)
                xs[1].append(b.x1)
    out: dict[int, _Margins] = {}
    for shape, (x0s, x1s) in by_shape.items():
        if len(x0s) < 3:
            out[shape] = _Margins(0.1 * shape, 0.9 * shape)
            continue
        x0s.sort()
        x1s.sort()
        out[shape] = _Margins(x0s[int(0.05 * len(x0s))], x1s[int(0.9 * (len(x1s) - 1))])
    return out


_LEAD_LATIN_RE = re.compile(r"[0-9A-Za-z.,%+\-/]+")
_LEAD_BRACKET_RE = re.compile(r"[（(][^）)]{1,6}[）)][。，、；：！？]?")


_LEADER_RE = re.compile(r"(?:…|\.{3}|·{3}|-{3})\s*[\dⅰ-ⅹivx]*\s*$")


def _lead_width(text: str) -> float:
    """Width (in ems) of the unbreakable token a wrapped line starts with.

    A line breaks early when the next word does not fit: a number ("161.62") or a
    bracketed term ("（项）。") moves to the next line whole.
    """
    m = _LEAD_LATIN_RE.match(text)
    if m:
        return 0.55 * len(m.group())
    m = _LEAD_BRACKET_RE.match(text)
    if m:
        return float(len(m.group()))
    return 1.0


def _continues(prev: _TextLine, nxt: _TextLine, m_prev: _Margins, m_next: _Margins, same_page: bool) -> bool:
    size = max(prev.size, 1.0)
    if abs(prev.size - nxt.size) > SIZE_CHANGE * size:
        return False  # a heading and the line below it (小四 12 pt over 五号 10.5 pt: 12.5 %)
    if prev.x1 < m_prev.right - (RIGHT_SLACK + _lead_width(nxt.text)) * size:
        return False  # the previous line ends short: end of a paragraph
    left_gap, right_gap = prev.x0 - m_prev.left, m_prev.right - prev.x1
    if left_gap > FAR_INDENT * size or (min(left_gap, right_gap) > CENTRED * size and abs(left_gap - right_gap) < size):
        return False  # a right-aligned ("单位：万元") or centred line (a title) does not wrap
    if _HEADING_RE.match(nxt.text) or _LEADER_RE.search(prev.text):
        return False
    # an indented next line starts a new paragraph, unless it hangs under a wrapped
    # heading or list item that starts at the same indentation
    hanging = same_page and bool(_HEADING_RE.match(prev.text)) and abs(nxt.x0 - prev.x0) < 0.5 * size
    if nxt.x0 > m_next.left + INDENT * size and not hanging:
        return False
    if same_page:
        gap = nxt.top - prev.bottom
        if gap > 1.6 * size or gap < -0.5 * size:
            return False
    return True


def _paragraphs(pages: list[_PageResult]) -> list[list[_Block]]:
    """Merge wrapped lines into paragraphs; a paragraph may continue onto the next page.

    A paragraph that runs onto the next page stays with the page where it starts.
    """
    margins = _margins(pages)
    default = _Margins(0.0, 1e9)
    out: list[list[_Block]] = [[] for _ in pages]
    last: _TextLine | None = None  # the last physical line, while a paragraph is open
    last_pi = -1
    para: tuple[int, int] | None = None  # (page index, block index) of the open paragraph
    for pi, pr in enumerate(pages):
        m = margins.get(round(pr.width), default)
        for b in pr.blocks:
            if isinstance(b, _TableBlock):
                out[pi].append(b)
                last, para = None, None
                continue
            if last is not None and para is not None:
                m_prev = margins.get(round(pages[last_pi].width), default)
                if _continues(last, b, m_prev, m, same_page=last_pi == pi):
                    ppi, k = para
                    cur = out[ppi][k]
                    assert isinstance(cur, _TextLine)
                    if ppi == pi:
                        cur.x0, cur.x1 = min(cur.x0, b.x0), max(cur.x1, b.x1)
                        cur.bottom = max(cur.bottom, b.bottom)
                    cur.text = _join_wrapped([cur.text, b.text])
                    last, last_pi = b, pi
                    continue
            line = _TextLine(b.text, b.x0, b.top, b.x1, b.bottom, b.size, b.segments, b.page)
            out[pi].append(line)
            last, last_pi, para = b, pi, (pi, len(out[pi]) - 1)
    return out


# ----------------------------------------------------------------------------------
# Assembling the document


@dataclass(slots=True)
class _Out:
    parts: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    boxes: dict[int, tuple[int, BBox]] = field(default_factory=dict)
    tables: list[PdfTable] = field(default_factory=list)
    pos: int = 0

    def add_line(self, text: str, page: int | None, bbox: BBox | None) -> int:
        start = self.pos
        self.parts.append(text)
        self.parts.append("\n")
        self.lines.append(Line(len(self.lines) + 1, start, start + len(text), text, page, bbox))
        self.pos += len(text) + 1
        return start


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _assemble(pages: list[_PageResult], page_blocks: list[list[_Block]], first_number: int, out: _Out) -> None:
    for k, (pr, blocks) in enumerate(zip(pages, page_blocks, strict=True)):
        number = first_number + k
        start = out.pos
        for b in blocks:
            if out.lines and out.lines[-1].text != "":
                out.add_line("", number, None)
            if isinstance(b, _TextLine):
                out.add_line(b.text, number, b.bbox)
                continue
            t_start = out.pos
            for row in b.rows:
                row_start = out.pos
                texts = [c.text.replace("\t", " ") for c in row]
                offsets: list[int] = []
                pos = row_start
                for t in texts:
                    offsets.append(pos)
                    pos += len(t) + 1
                line_text = "\t".join(texts)
                row_boxes = [c.bbox for c in row if c.bbox is not None]
                out.add_line(line_text, number, _union(row_boxes) if row_boxes else None)
                for c, off in zip(row, offsets, strict=True):
                    if c.bbox is not None:
                        out.boxes[off] = (number, c.bbox)
            out.tables.append(
                PdfTable(number, b.bbox, t_start, out.pos - 1, len(b.rows), len(b.rows[0]) if b.rows else 0, b.method)
            )
        out.pages.append(PageInfo(number, start, out.pos, pr.width, pr.height))


def _renumber(pages: list[_PageResult], first: int) -> None:
    for k, pr in enumerate(pages):
        number = first + k
        pr.number = number
        for b in pr.blocks:
            b.page = number


def _build(
    files: list[tuple[str, list[_PageResult]]],
    path: str,
    sha256: str,
    notes: list[ProblemNote],
) -> Document:
    all_pages: list[_PageResult] = []
    for _p, prs in files:
        all_pages.extend(prs)
    if not any(pr.has_text for pr in all_pages):
        raise InputError(f"{path}: no text layer in any page: scanned PDF? reconcile does not do OCR")
    _renumber(all_pages, 1)
    _strip_margins(all_pages)
    blocks = _paragraphs(all_pages)
    out = _Out()
    _assemble(all_pages, blocks, 1, out)
    text = "".join(out.parts)
    # the page ranges partition the text
    pages = [
        PageInfo(p.number, p.start, out.pages[i + 1].start if i + 1 < len(out.pages) else len(text), p.width, p.height)
        for i, p in enumerate(out.pages)
    ]
    doc = Document(
        text=text,
        path=path,
        sha256=sha256,
        format="pdf",
        lines=out.lines or [Line(1, 0, 0, "")],
        pages=pages,
        boxes=out.boxes,
    )
    doc.problems.extend(notes)
    doc.raw_tables.extend(out.tables)
    return doc


# ----------------------------------------------------------------------------------
# Public API


def read_pdf(
    data: bytes,
    path: str,
    sha256: str,
    *,
    max_pages: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int | None], None] | None = None,
) -> Document:
    """Read one PDF into a Document (see the module docstring for the text produced).

    Raises :class:`InputError` for encrypted, damaged or non-PDF input and for PDFs
    without any text layer. ``max_pages`` reads only the first N pages. ``workers > 1``
    reads a long PDF (``POOL_MIN_PAGES`` pages or more) on that many processes; keep the
    default of 1 when documents are already spread over processes (batch runs).
    """
    notes: list[ProblemNote] = []
    pages = _read_file(data, path, max_pages, notes, workers, progress)
    return _build([(path, pages)], path, sha256, notes)


def read_pdfs(items: Sequence[tuple[bytes, str]], *, max_pages: int | None = None, workers: int = 1) -> Document:
    """Read several PDFs of one report (e.g. narrative + tables) into one Document.

    Pages are numbered continuously across the files, the path is ``"a.pdf+b.pdf"`` and
    the hash is the SHA-256 of the concatenated bytes. ``max_pages`` bounds the total.
    """
    if not items:
        raise InputError("no input files")
    notes: list[ProblemNote] = []
    files: list[tuple[str, list[_PageResult]]] = []
    digest = hashlib.sha256()
    left = max_pages
    for data, path in items:
        digest.update(data)
        if left is not None and left <= 0:
            notes.append(ProblemNote(STAGE, f"{Path(path).name}: not read (max_pages={max_pages} reached)"))
            continue
        file_notes: list[ProblemNote] = []
        prs = _read_file(data, path, left, file_notes, workers)
        offset = sum(len(p) for _q, p in files)
        for n in file_notes:
            page = n.page + offset if n.page is not None else None
            msg = n.message if len(items) == 1 else f"{Path(path).name}: {n.message}"
            notes.append(ProblemNote(n.stage, msg, page))
        files.append((path, prs))
        if left is not None:
            left -= len(prs)
    joined = "+".join(path for _d, path in items)
    return _build(files, joined, digest.hexdigest(), notes)


def load_documents(paths: Sequence[str | Path], *, max_pages: int | None = None, workers: int = 1) -> Document:
    """Read one report given as one or several files (e.g. ``narr.pdf`` + ``tables.pdf``).

    One path goes through :func:`reconcile.ingest.load_document` (text or PDF); several
    paths must all be PDFs and are concatenated with :func:`read_pdfs`.
    """
    from .ingest import load_document, sniff_format

    if not paths:
        raise InputError("no input files")
    if len(paths) == 1 and workers == 1:
        return load_document(paths[0], max_pages=max_pages)
    items: list[tuple[bytes, str]] = []
    for p in paths:
        pp = Path(p)
        try:
            data = pp.read_bytes()
        except FileNotFoundError as exc:
            raise InputError(f"{pp}: no such file") from exc
        except IsADirectoryError as exc:
            raise InputError(f"{pp}: is a directory, not a report file") from exc
        except OSError as exc:
            raise InputError(f"{pp}: cannot read ({exc.strerror})") from exc
        if not data:
            raise InputError(f"{pp}: the file is empty")
        if sniff_format(data, str(pp)) != "pdf":
            if len(paths) == 1:
                return load_document(pp, max_pages=max_pages)
            raise InputError(f"{pp}: only PDF files can be combined into one report")
        items.append((data, str(pp)))
    return read_pdfs(items, max_pages=max_pages, workers=workers)
