"""Reading a table whose cells are separated by TAB (extraction tools, markdown exports, and
the text the PDF path writes for ruled tables): cells are aligned with the header by position."""

from __future__ import annotations

import re

from ..document import Document, Line
from ..model import Cell, Row, Table, compact
from ..rules import Rules
from .cells import CODE_PREFIX_RE, CODE_RE, Tok, dedupe, is_number, is_rownum_row, note_or_meta, real_cells, value_cell
from .columns import TsvColumns, split_blocks, tsv_columns

__all__ = ["read_tsv"]

_TAG_RE = re.compile(r"<[^>]{0,40}>")

_Data = list[tuple[Line, list[Tok]]]


_TOTAL_LABELS = ("合计", "总计")


def read_tsv(doc: Document, body: list[Line], table: Table, rules: Rules) -> None:
    """Fill ``table`` (columns, rows, notes) from the region's non-blank lines ``body``."""
    header_rows, data_rows = _sort_lines(doc, body, table)
    width = max([len(r) for r in header_rows] + [len(c) for _, c in data_rows] + [0])
    cols = tsv_columns(header_rows, data_rows, width, rules, table.kind)
    table.column_paths = cols.paths
    table.columns = dedupe([n for n, r in zip(cols.names, cols.roles, strict=True) if r == "value"])
    blocks = split_blocks(cols.roles)
    for ln, cells in data_rows:
        table.rows.extend(_line_rows(doc, ln, cells, blocks, cols))
    _drop_header_residue(table)


def _sort_lines(doc: Document, body: list[Line], table: Table) -> tuple[list[list[Tok]], _Data]:
    """The header rows (before the first data row, without numbers or codes) and the data
    rows; notes, 栏次 rows and repeated headers are left out."""
    header_rows: list[list[Tok]] = []
    data_rows: _Data = []
    header_keys: set[str] = set()
    for ln in body:
        cells = _line_cells(doc, ln, table)
        if cells is None:
            continue
        texts = [c.text for c in cells]
        if is_rownum_row(texts):
            continue
        key = "|".join(texts)
        if key in header_keys:
            continue
        has_num = any(is_number(t) and ("." in t or len(t) < 3 or not CODE_RE.match(t)) for t in texts)
        has_code = any(CODE_RE.match(t) or CODE_PREFIX_RE.match(t) for t in texts)
        # a table printed empty: its total row, every cell blank (“合计\t\t\t”), is its one data row
        blank_total = len(texts) > 1 and texts[0] in _TOTAL_LABELS and not any(texts[1:])
        if not data_rows and not has_num and not has_code and not blank_total:
            header_rows.append(cells)
            header_keys.add(key)
            continue
        if data_rows and not has_num and not has_code and _looks_header(texts, header_rows):
            header_keys.add(key)
            continue
        data_rows.append((ln, cells))
    return header_rows, data_rows


def _line_cells(doc: Document, ln: Line, table: Table) -> list[Tok] | None:
    """The cells of a line; None for a note or page furniture (a note is kept in the table)."""
    if "\t" in ln.text:
        return _cells_tsv(doc, ln)
    if note_or_meta(doc, ln, table):
        return None
    # a line without TAB inside a TSV table: a one-cell row (e.g. a label alone)
    return [Tok(compact(doc.folded[ln.start : ln.end]), ln.start, ln.end)]


def _cells_tsv(doc: Document, ln: Line) -> list[Tok]:
    out: list[Tok] = []
    pos = ln.start
    for part in doc.folded[ln.start : ln.end].split("\t"):
        s, e = pos, pos + len(part)
        stripped = _TAG_RE.sub(lambda m: " " * len(m.group(0)), part)
        lead = len(stripped) - len(stripped.lstrip())
        body = stripped.strip()
        out.append(Tok(compact(body), s + lead, s + lead + len(body)))
        pos = e + 1
    return out


def _looks_header(texts: list[str], header_rows: list[list[Tok]]) -> bool:
    known = {c.text for r in header_rows for c in r if c.text}
    non_empty = [t for t in texts if t]
    return bool(non_empty) and sum(t in known for t in non_empty) >= max(1, len(non_empty) - 1)


def _line_rows(doc: Document, ln: Line, cells: list[Tok], blocks: list[tuple[int, int]], cols: TsvColumns) -> list[Row]:
    """The rows of one data line, one per side-by-side block. A total whose label stands in
    one block and its values in the next (a misaligned row) is one row."""
    out: list[Row] = []
    pending: Row | None = None
    for bi, (lo, hi) in enumerate(blocks):
        row = _row_from_cells(doc, ln, cells, lo, hi, cols.roles, cols.names)
        if row is None:
            continue
        row.block = cols.block_names[bi] if len(blocks) > 1 else ""
        if pending is not None and not row.label and row.code is None and not real_cells(pending):
            _take_values(pending, row)
            out.append(pending)
            pending = None
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        if row.label and not real_cells(row) and row.code is None and bi + 1 < len(blocks):
            pending = row
            continue
        out.append(row)
    if pending is not None:
        out.append(pending)
    return out


def _take_values(pending: Row, row: Row) -> None:
    """A total whose label stands in one block and its value in the next (misaligned row)."""
    own = [k for k in pending.cells if pending.cells[k].value is None]
    got = real_cells(row)
    if own and len(own) == len(got):
        for k, (_, cell) in zip(own, got.items(), strict=True):
            cell.column = k
            pending.cells[k] = cell
    else:
        pending.cells.update(got)


def _row_from_cells(
    doc: Document,
    ln: Line,
    cells: list[Tok],
    lo: int,
    hi: int,
    roles: list[str],
    names: list[str],
) -> Row | None:
    """The row that positions ``lo`` to ``hi`` of a line hold; None for an empty or header row."""
    code: str | None = None
    label = ""
    label_span: tuple[int, int] | None = None
    rownum: str | None = None
    values: dict[str, Cell] = {}
    indent: int | None = None
    for p in range(lo, min(hi, len(cells))):
        tok = cells[p]
        role = roles[p] if p < len(roles) else "value"
        if not tok.text:
            if role == "value":
                values.setdefault(names[p], Cell(names[p], names[p], None, None, None, ""))
            continue
        if role == "rownum":
            rownum = tok.text
        elif role == "code" and code is not None and re.fullmatch(r"\d{1,2}", tok.text):
            # codes printed in 类 | 款 | 项 columns: 201 | 06 | 01 (a PDF may drop the 0 of 02)
            code += tok.text.zfill(2)
            if label_span is not None:
                label_span = (label_span[0], tok.end)
        elif role == "code" and CODE_RE.match(tok.text):
            code = CODE_RE.match(tok.text).group(1)  # type: ignore[union-attr]
            if label_span is None:
                label_span = (tok.start, tok.end)
        elif role in ("code", "label", "empty"):
            if values and any(v.value is not None for v in values.values()):
                continue  # text after the values (绩效目标 …) is not part of the label
            if indent is None:
                indent = p - lo
            text = tok.text
            m = CODE_PREFIX_RE.match(text)
            if m and code is None:
                code = m.group(1)
                text = text[m.end() :]
            if text == "栏次":
                return None
            label = (label + text) if label else text
            label_span = (tok.start, tok.end) if label_span is None else (label_span[0], tok.end)
        else:  # value
            values[names[p]] = value_cell(doc, tok, names[p])
    real = {k: v for k, v in values.items() if v.value is not None or v.text}
    if not label and code is None and not real:
        return None
    if label in ("项目", "科目名称") and not real:
        return None
    row = Row(label=label, code=code, cells=values, line=ln.number, span=label_span or (ln.start, ln.end))
    row.row_number = rownum
    row.indent = indent
    row.page = doc.page_of(ln.start)
    return row


def _drop_header_residue(table: Table) -> None:
    """Drop rows that are only header residue (no label, code or value), and the unnamed
    columns (col3 …) no row fills."""
    table.rows = [r for r in table.rows if r.label or r.code or any(c.value is not None for c in r.cells.values())]
    used = {k for r in table.rows for k, c in r.cells.items() if c.value is not None or c.text}
    unnamed = {c for c in table.columns if c.startswith("col") and c not in used}
    table.columns = [c for c in table.columns if c not in unnamed]
    for r in table.rows:
        for c in unnamed:
            r.cells.pop(c, None)
