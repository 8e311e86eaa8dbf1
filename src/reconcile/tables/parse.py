"""Reading every standard table of a document: each titled region is read by the reader its
text calls for, and a table's parts on consecutive pages are merged into one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..document import Document
from ..model import Cell, Row, Table, compact, strip_ordinal
from ..rules import Rules, load_rules
from .cells import GARBLED_CELL
from .find import Region, regions
from .labels import join_wrapped_labels
from .spaced import read_spaced
from .tsv import read_tsv

__all__ = ["iter_cells", "parse_tables", "table_spans"]


def parse_tables(doc: Document, rules: Rules | None = None) -> list[Table]:
    """Find and read every standard table of the document."""
    rules = rules or load_rules()
    tables: list[Table] = []
    for reg in regions(doc, rules):
        table = _read_region(doc, reg, rules)
        if table is None:
            continue
        prev = tables[-1] if tables else None
        if prev is not None and prev.kind == table.kind and prev.title == table.title and _continues(prev, table):
            if _side_by_side(prev, table):
                _join_columns(prev, table)
            else:
                _merge(prev, table)
        else:
            tables.append(table)
    for i, t in enumerate(tables, 1):
        t.id = f"T{i}"
        _dedupe_total_rows(t)
    return tables


def table_spans(tables: list[Table]) -> list[tuple[int, int]]:
    """The text spans the tables cover (the narrative is read outside them)."""
    return [t.span for t in tables if t.span is not None]


def iter_cells(table: Table) -> Iterator[tuple[Row, Cell]]:
    """Every cell of the table with its row."""
    for r in table.rows:
        for c in r.cells.values():
            yield r, c


def _read_region(doc: Document, reg: Region, rules: Rules) -> Table | None:
    """The table of a region (TAB text when enough of its lines hold a TAB); None when it
    holds neither rows nor notes."""
    kind = reg.kind
    assert kind is not None
    table = Table(
        id="",
        kind=kind.kind,
        template=kind.template,
        title=reg.title,
        doc_kind=kind.doc,
        title_span=(reg.title_line.start, reg.title_line.end),
    )
    body = [ln for ln in reg.lines if ln.text.strip()]
    if not body:
        return None
    tsv = sum(1 for ln in body if "\t" in ln.text) >= max(2, len(body) // 3)
    if tsv:
        read_tsv(doc, body, table, rules)
    else:
        read_spaced(doc, body, table, rules)
    if not table.rows and not table.notes:
        return None
    join_wrapped_labels(table)
    garbled = next((c.text for r in table.rows for c in r.cells.values() if GARBLED_CELL.search(c.text)), None)
    if garbled:
        table.problems.append(f"label characters inside an amount (“{garbled}”): the cells overlap, so none is read")
    table.unit = _unit_of(doc, reg, rules)
    table.to_wan = rules.vocabulary.money_factor(table.unit or "万元") or Decimal(1)
    first = reg.title_line.start
    last_line = reg.lines[-1] if reg.lines else reg.title_line
    table.span = (first, last_line.end)
    table.lines = (reg.title_line.number, last_line.number)
    pages = sorted({p for p in (doc.page_of(first), doc.page_of(last_line.end)) if p is not None})
    table.pages = list(range(pages[0], pages[-1] + 1)) if pages else []
    return table


def _unit_of(doc: Document, reg: Region, rules: Rules) -> str | None:
    """The money unit printed with the title or in the lines before the first row."""
    units = "|".join(sorted(rules.vocabulary.money_units, key=len, reverse=True))
    unit_re = re.compile(rf"(?:单位|金额单位|计量单位)[:：]?({units})")
    for ln in [reg.title_line, *reg.lines[:8]]:
        m = unit_re.search(compact(doc.folded[ln.start : ln.end]))
        if m:
            return m.group(1)
    return None


# ---- merging ---------------------------------------------------------------------------
def _continues(prev: Table, nxt: Table) -> bool:
    return prev.lines is not None and nxt.lines is not None


def _merge(prev: Table, nxt: Table) -> None:
    own, theirs = prev.blocks(), nxt.blocks()
    filled = {c for r in nxt.rows for c, cell in r.cells.items() if cell.value is not None}
    if len(own) == 1 and len(theirs) == 1 and own != theirs and filled <= set(prev.columns):
        for r in nxt.rows:  # one block on both pages, under the same header: the same block
            r.block = own[0]
    for c in nxt.columns:
        if c not in prev.columns:
            prev.columns.append(c)
    prev.rows.extend(nxt.rows)
    prev.notes.extend(nxt.notes)
    if prev.span and nxt.span:
        prev.span = (prev.span[0], nxt.span[1])
    if prev.lines and nxt.lines:
        prev.lines = (prev.lines[0], nxt.lines[1])
    prev.pages = sorted(set(prev.pages) | set(nxt.pages))


def _side_by_side(prev: Table, nxt: Table) -> bool:
    """The next page holds the columns to the right (its header shares no column with the first
    page's), not more rows under the same header."""
    a, b = set(prev.column_paths.values()), set(nxt.column_paths.values())
    return bool(a) and bool(b) and not a & b


def _join_columns(prev: Table, nxt: Table) -> None:
    """Join a table continued to the right on the next page: row by row when the two parts
    have the same rows; else the table is reported unreadable (I002), never guessed."""
    same_rows = len(prev.rows) == len(nxt.rows) and all(
        not a.label or not b.label or a.label == b.label for a, b in zip(prev.rows, nxt.rows, strict=True)
    )
    if not same_rows:
        prev.problems.append(
            f"continued to the right on the next page with other rows ({len(prev.rows)} and {len(nxt.rows)}): "
            "the two parts cannot be joined"
        )
        _merge(prev, nxt)
        return
    group = prev.column_paths[prev.columns[-1]][:-1] if prev.columns else ()
    paths = {c: nxt.column_paths.get(c, (c,)) for c in nxt.columns}
    for c in nxt.columns:  # a merged header cell over the last columns runs on into the next page
        if len(paths[c]) == 1 and group:
            paths[c] = (*group, *paths[c])
        else:
            break
    names = {c: _unique_name(prev, c, paths[c]) for c in nxt.columns}
    for c in nxt.columns:
        prev.columns.append(names[c])
        prev.column_paths[names[c]] = paths[c]
    for a, b in zip(prev.rows, nxt.rows, strict=True):
        a.cells.update({names[c]: cell for c, cell in b.cells.items()})
    nxt.rows = []
    _merge(prev, nxt)


def _unique_name(table: Table, name: str, path: tuple[str, ...]) -> str:
    """``name``, or its header path when the table already has a column of that name."""
    if name not in table.columns:
        return name
    full = "/".join(path)
    return full if full not in table.columns else f"{full}#{len(table.columns)}"


def _dedupe_total_rows(table: Table) -> None:
    """A 合计 row repeated on every page part is kept once."""
    seen: set[tuple[str, str, tuple[tuple[str, Decimal | None], ...]]] = set()
    out: list[Row] = []
    for r in table.rows:
        if r.code is None and strip_ordinal(r.label) in ("合计", "总计"):
            key = (r.block, r.label, tuple(sorted((k, c.value) for k, c in r.cells.items())))
            if key in seen:
                continue
            seen.add(key)
        out.append(r)
    table.rows = out
