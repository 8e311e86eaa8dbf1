"""The pdftotext seed (002) as blocks: its tables from ``parse_tables`` (code, label, 行次
and every value as printed; side-by-side blocks such as 收入 | 支出 stay side by side), its
narrative lines, wrapped at the width of the original page, joined back into paragraphs."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from reconcile.document import Document
from reconcile.model import Row, Table

from .blocks import (
    ITEM_RE,
    META_RE,
    NOTE_RE,
    NUMBER_RE,
    PAGE_NO_RE,
    PART_RE,
    SECTION_RE,
    SUBSECTION_RE,
    Block,
    Grid,
    Para,
    cell_html,
    md_para,
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _wrapped_width(lines: list[str]) -> int | None:
    """The width (in half-em units) a seed's lines were wrapped at, or None if they are not.

    pdftotext keeps the line breaks of the original page: nearly every line of a long
    paragraph has about the same width (about 30 CJK characters on A4). Seeds that hold
    one paragraph per line have far longer lines.
    """
    widths = sorted(_width(ln.strip()) for ln in lines if ln.strip())
    if len(widths) < 20:
        return None
    p90 = widths[int(0.9 * (len(widths) - 1))]
    return p90 if p90 <= 72 else None


def _reflow(lines: list[str], wrap: int | None) -> list[Para]:
    """Paragraphs of narrative lines: lines wrapped at width ``wrap`` are joined back."""
    if wrap is None:
        return [md_para(ln) for ln in lines if ln.strip() and not PAGE_NO_RE.fullmatch(ln)]
    full = wrap - 6
    paras: list[Para] = []
    cur: str | None = None
    indent = False
    prev_full = False
    for raw in lines:
        text = raw.strip()
        if not text or PAGE_NO_RE.fullmatch(text):
            continue
        heading = bool(PART_RE.match(text) or SECTION_RE.match(text) or SUBSECTION_RE.match(text))
        starts_new = heading or any(rx.match(text) for rx in (ITEM_RE, NOTE_RE, META_RE))
        if cur is not None and prev_full and not starts_new and not (cur.endswith("。") and raw.startswith(" ")):
            cur = _join(cur, text)
        else:
            if cur is not None:
                paras.append(_para_002(cur, indent))
            cur, indent = text, raw.startswith(" ")
        prev_full = _width(text) >= full
    if cur is not None:
        paras.append(_para_002(cur, indent))
    return paras


def _para_002(text: str, indent: bool) -> Para:
    if PART_RE.match(text):
        return Para(cell_html(text), "h2")
    if (SECTION_RE.match(text) or SUBSECTION_RE.match(text)) and len(text) < 40 and not text.endswith("。"):
        return Para(cell_html(text), "h4")
    if META_RE.match(text) and len(text) < 30:
        return Para(cell_html(text), "meta")
    return Para(cell_html(text), "p" if indent or len(text) > 20 else "p0")


@dataclass(frozen=True)
class _BlockColumns:
    """What one side-by-side block of a parsed table shows: its fixed columns and value columns."""

    code: bool  # 科目编码
    label: bool  # 项目
    rownum: bool  # 行次
    columns: list[str]


def _slot(named: list[str], block: str) -> int:
    """The position of a row's block among the named blocks."""
    m = re.fullmatch(r"B(\d+)", block)
    if m and block not in named:  # a group the pdftotext parse could not name: by alternation
        return (int(m.group(1)) - 1) % len(named)
    return named.index(block) if block in named else 0


def _block_columns(t: Table, named: list[str]) -> list[_BlockColumns]:
    """Each block's columns, in table order (defined by its own rows, else all rows placed in it)."""
    groups: list[list[Row]] = [[r for r in t.rows if r.block == name] for name in named]
    for k, rows in enumerate(groups):
        if not rows:
            groups[k] = [r for r in t.rows if _slot(named, r.block) == k]
    specs: list[_BlockColumns] = []
    for rows in groups:
        cols = [c for c in t.columns if any(c in r.cells for r in rows)]
        width = max([len(r.cells) for r in rows] + [len(cols)])
        cols += [f"col{k + 1}" for k in range(len(cols), width)]
        specs.append(
            _BlockColumns(
                any(r.code for r in rows),
                any(r.label or r.code for r in rows),
                any(r.row_number for r in rows),
                cols,
            )
        )
    return specs


def _grid_head(t: Table, named: list[str], specs: list[_BlockColumns]) -> list[list[str]]:
    """Header rows: the block names (when there are several), then each column's header path."""
    depth = max([len(t.column_paths.get(c, (c,))) for s in specs for c in s.columns] + [1])
    multi = len(named) > 1
    head: list[list[str]] = [[] for _ in range(depth + (1 if multi else 0))]
    for s, name in zip(specs, named, strict=True):
        fixed = [h for h, on in (("科目编码", s.code), ("项目", s.label), ("行次", s.rownum)) if on]
        n = len(fixed) + len(s.columns)
        if multi:
            head[0].extend([html.escape(name)] + [""] * (n - 1))
        base = 1 if multi else 0
        for h in fixed:
            for d in range(depth):
                head[base + d].append(h if d == 0 else "")
        for c in s.columns:
            path = list(t.column_paths.get(c, tuple(c.split("/"))))
            for d in range(depth):
                head[base + d].append(html.escape(path[d]) if d < len(path) else "")
    return head


def _grid_row(specs: list[_BlockColumns], current: dict[int, Row]) -> list[str]:
    """One grid row: the parsed rows of one source line, each in its block's slots."""
    cells: list[str] = []
    for k, s in enumerate(specs):
        r = current.get(k)
        if s.code:
            cells.append(html.escape(r.code or "") if r else "")
        if s.label:
            cells.append(html.escape(r.label) if r else "")
        if s.rownum:
            cells.append(html.escape(r.row_number or "") if r else "")
        values = list(r.cells.values()) if r else []
        slots = [""] * len(s.columns)
        stray: list[str] = []
        for cell in values:
            if cell.column in s.columns:
                slots[s.columns.index(cell.column)] = html.escape(cell.text)
            else:
                stray.append(html.escape(cell.text))
        for text in stray:  # a group the parse put in a block without its columns: by position
            free = next((k for k, v in enumerate(slots) if not v), None)
            if free is not None:
                slots[free] = text
        cells.extend(slots)
    return cells


def _table_grid(t: Table) -> Grid:
    """A parsed table as a ruled grid: blocks side by side, one row per parsed row."""
    named = [b for b in t.blocks() if not re.fullmatch(r"B\d+", b)]
    if not named:
        named = [""]
    specs = _block_columns(t, named)
    head = _grid_head(t, named, specs)
    # rows: parsed rows of the same source line stand side by side
    body: list[list[str]] = []
    current: dict[int, Row] = {}
    current_line: int | None = None
    for r in t.rows:
        k = _slot(named, r.block)
        if current and (k in current or r.line != current_line):  # a new source line, or a block taken
            body.append(_grid_row(specs, current))
            current.clear()
        current[k] = r
        current_line = r.line
    if current:
        body.append(_grid_row(specs, current))
    return Grid(head, body)


def pdftotext_blocks(doc: Document, tables: list[Table]) -> list[Block]:
    """Blocks of a seed in pdftotext style: parsed tables, narrative joined into paragraphs."""
    lines = doc.text.split("\n")
    regions: list[tuple[int, int, Table]] = []
    for t in tables:
        if t.lines is not None:
            regions.append((t.lines[0] - 1, t.lines[1], t))
    wrap = _wrapped_width(lines)
    blocks: list[Block] = []
    pos = 0
    for first, last, t in regions:
        blocks.extend(_reflow(lines[pos:first], wrap))
        title = lines[first].strip()
        blocks.append(Para(cell_html(title), "title"))
        for ln in lines[first + 1 : last]:
            s = ln.strip()
            if "\t" in s or not s:
                continue
            if re.match(r"^(?:部门|单位|编制)[:：]", s):
                blocks.append(Para(cell_html(s), "meta"))
                break
            if NUMBER_RE.search(s):
                break
        blocks.append(_table_grid(t))
        for note, _span in t.notes:
            blocks.append(Para(cell_html(note), "note"))
        pos = last
    blocks.extend(_reflow(lines[pos:], wrap))
    return blocks
