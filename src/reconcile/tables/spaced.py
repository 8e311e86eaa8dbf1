"""Reading a table whose cells are separated by spaces only (pdftotext, with or without
layout): each line is split into words; the words of a logical row are split into side-by-side
groups ([code] label [行次] values); values are named by the column vocabulary of the rules
or by a fixed layout, in order, or by position for rows that leave cells blank (align.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Document, Line
from ..model import Cell, Row, Table, compact
from ..rules import Rules
from .align import Placed, align_short_rows
from .cells import CODE_RE, Tok, dedupe, is_number, is_rownum_row, line_col, note_or_meta, value_cell
from .columns import leaf_name, spaced_columns

__all__ = ["read_spaced"]

_SP_TOKEN = re.compile(r"\S+")
_SPLIT_CODE_RE = re.compile(r"\d{2}")
_WIDE_GAP = re.compile(r"[ \t\u3000]{4,}")
# an integer of 3, 5 or 7 digits starting 2 or 3 (a 功能/经济分类 code) where amounts are printed
_CODE_LIKE_VALUE = re.compile(r"[23]\d{2}(?:\d{2}){0,2}")
_ORDINAL_RE = re.compile(r"(?:^|(?<=[^\d一二三四五六七八九十]))(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d))")


@dataclass
class _Lines:
    """What one pass over the region's lines finds."""

    header_lines: list[Line] = field(default_factory=list)
    header_texts: set[str] = field(default_factory=set)  # compacted, to drop a repeated header
    n_cols: list[int] = field(default_factory=list)  # values per block, as the 栏次 line counts them
    has_rownum: bool = False  # the header has a 行次 column
    rows: list[tuple[Line, list[Tok]]] = field(default_factory=list)  # each logical row's first line and words


def read_spaced(doc: Document, body: list[Line], table: Table, rules: Rules) -> None:
    """Fill ``table`` (columns, rows, notes, problems) from the region's non-blank lines ``body``."""
    lines = _gather(doc, body, table)
    # a wide gap inside a header line parts two cells (“项目      支出预算” is not 项目支出)
    header = "".join(compact(_WIDE_GAP.sub("|", doc.folded[ln.start : ln.end].strip())) for ln in lines.header_lines)
    sides = (["收入", "支出"] if header.startswith("收入") and "支出" in header[:12] else []) or (
        ["人员经费", "公用经费"] if header.startswith("人员经费") else []
    )
    line_groups = [_groups(toks, lines.has_rownum) for _, toks in lines.rows]
    block_cols = _name_columns(table, header, lines.n_cols, sides, line_groups, rules)
    placed = _place_rows(doc, table, lines, line_groups, block_cols, sides)
    align_short_rows(doc, table, placed, block_cols, counted=bool(lines.n_cols))
    _note_problems(table, sides)


# ---- lines -----------------------------------------------------------------------------
def _gather(doc: Document, body: list[Line], table: Table) -> _Lines:
    """Header lines, the 栏次 counts and the logical rows: a row's words run over lines until
    one ends with an amount (a wrapped label goes on over several lines)."""
    out = _Lines()
    data_started = False
    pending: list[Tok] = []
    pending_line: Line | None = None
    for ln in body:
        raw = doc.folded[ln.start : ln.end]
        t = compact(raw)
        if note_or_meta(doc, ln, table, bare_int_is_page=not out.has_rownum):
            continue
        toks = [
            Tok(m.group(0), ln.start + m.start(), ln.start + m.end(), first=k == 0)
            for k, m in enumerate(_SP_TOKEN.finditer(raw))
        ]
        words = [x.text for x in toks]
        counts = _rownum_counts(raw, words)
        if counts is not None:
            out.n_cols = counts
            data_started = False if not out.rows else data_started
            continue
        is_value_line = any(is_number(w) and ("." in w or "," in w) for w in words)
        if not data_started and not is_value_line and not CODE_RE.match(words[0] if words else ""):
            out.header_lines.append(ln)
            out.header_texts.add(t)
            if "行次" in t:
                out.has_rownum = True
            continue
        if t in out.header_texts:
            continue
        data_started = True
        if pending_line is None:
            pending_line = ln
        pending.extend(toks)
        if _ends_row(toks, out.has_rownum):
            out.rows.append((pending_line, pending))
            pending, pending_line = [], None
    if pending and pending_line is not None:
        out.rows.append((pending_line, pending))
    return out


def _rownum_counts(raw: str, words: list[str]) -> list[int] | None:
    """For a 栏次 line, the number of columns of each block it counts; None for another line."""
    lanci = re.sub(r"栏\s*次", "栏次", raw).split()
    if not ((lanci and lanci[0] == "栏次") or is_rownum_row(words)):
        return None
    counts = (
        [len([w for w in grp if w.isdigit()]) for grp in _split_on(lanci, "栏次")] if "栏次" in lanci else [len(words)]
    )
    return [n for n in counts if n]


def _split_on(words: list[str], sep: str) -> list[list[str]]:
    out: list[list[str]] = []
    for w in words:
        if w == sep:
            out.append([])
        elif out:
            out[-1].append(w)
    return out


def _ends_row(toks: list[Tok], has_rownum: bool) -> bool:
    """A line that ends with an amount ends its logical row."""
    last = toks[-1].text if toks else ""
    return is_number(last) and ("." in last or "," in last or (not has_rownum and not CODE_RE.match(last)))


# ---- columns ---------------------------------------------------------------------------
def _name_columns(
    table: Table,
    header: str,
    n_cols: list[int],
    sides: list[str],
    line_groups: list[list[list[Tok]]],
    rules: Rules,
) -> list[list[str]]:
    """The column names of each block (also set as the table's columns and header paths)."""
    # without a 栏次 line, the widest row tells how many columns a fixed layout must have
    widest = [max((_n_values(groups) for groups in line_groups), default=0)]
    layout_cols = n_cols or ([] if sides else widest)
    found = [n for n in spaced_columns(header, layout_cols, rules, table.kind) if n not in sides]
    if len(n_cols) > 1 and sum(n_cols) == len(found):
        cuts = [sum(n_cols[:i]) for i in range(len(n_cols) + 1)]
        block_paths = [found[cuts[i] : cuts[i + 1]] for i in range(len(n_cols))]
    else:
        one = found[: n_cols[0]] if n_cols and len(found) >= n_cols[0] else found
        block_paths = [one]
    all_paths = dedupe([p for bp in block_paths for p in bp])
    block_cols = [[leaf_name(p, all_paths) for p in bp] for bp in block_paths]
    table.columns = dedupe([n for bn in block_cols for n in bn])
    table.column_paths = {leaf_name(p, all_paths): tuple(p.split("/")) for bp in block_paths for p in bp}
    return block_cols


def _n_values(groups: list[list[Tok]]) -> int:
    """How many value cells a line's widest group holds (codes and 行次 left out)."""
    return max((sum(1 for t in g if is_number(t.text) and not CODE_RE.match(t.text)) for g in groups), default=0)


# ---- rows ------------------------------------------------------------------------------
def _place_rows(
    doc: Document,
    table: Table,
    lines: _Lines,
    line_groups: list[list[list[Tok]]],
    block_cols: list[list[str]],
    sides: list[str],
) -> list[Placed]:
    """Read each group of each logical row as a row of its block (added to the table)."""
    widths = [len(b) for b in block_cols]
    placed: list[Placed] = []
    n_blocks = max(len(widths), len(sides))
    starts = _block_starts(doc, line_groups, n_blocks)
    several = any(len(groups) > 1 for groups in line_groups)
    last = len(block_cols) - 1
    for (ln, _), groups in zip(lines.rows, line_groups, strict=True):
        for gi, grp in enumerate(groups):
            bi = gi
            n_vals = sum(1 for t in grp if is_number(t.text) and "." in t.text)
            if len(groups) < n_blocks and n_vals and widths.count(n_vals) == 1:
                bi = widths.index(n_vals)  # a half-row on lines of its own: place it by its value count
            elif len(groups) < n_blocks and starts is not None:
                bi = _nearest_block(line_col(doc, grp[0]) - len(grp[0].text), starts, gi)
            got = _spaced_row(doc, ln, grp, block_cols[min(bi, last)], lines.has_rownum)
            if got is None:
                continue
            row, vals = got
            placed.append(Placed(row, min(bi, last), vals))
            row.block = _block_name(bi, sides, several)
            table.rows.append(row)
    return placed


def _block_name(bi: int, sides: list[str], several: bool) -> str:
    if sides and len(sides) > bi:
        return sides[bi]
    if bi:
        return f"B{bi + 1}"
    return "B1" if several else ""


def _block_starts(doc: Document, lines_groups: list[list[list[Tok]]], n_blocks: int) -> list[int] | None:
    """Where each side-by-side block starts on the line (median over the lines that fill every
    block), so that a line holding only some blocks (“    八、社会保障和就业支出    2,347.13”)
    puts them in the right one; None when no line fills every block."""
    if n_blocks < 2:
        return None
    cols = [
        [line_col(doc, g[0]) - len(g[0].text) for g in groups] for groups in lines_groups if len(groups) == n_blocks
    ]
    if not cols:
        return None
    # layout text only: each block starts at about the same place on every line
    if any(max(c[b] for c in cols) - min(c[b] for c in cols) > 6 for b in range(n_blocks)):
        return None
    return [sorted(c[b] for c in cols)[len(cols) // 2] for b in range(n_blocks)]


def _nearest_block(col: int, starts: list[int], default: int) -> int:
    dist = sorted((abs(col - s), b) for b, s in enumerate(starts))
    if len(dist) > 1 and dist[1][0] - dist[0][0] < 4:
        return default  # between two blocks: keep the order
    return dist[0][1]


def _is_code_part(text: str) -> bool:
    return bool(CODE_RE.match(text) or _SPLIT_CODE_RE.fullmatch(text))


def _groups(toks: list[Tok], has_rownum: bool) -> list[list[Tok]]:
    """Split a logical row into side-by-side groups: [code] label [rownum] values."""
    groups: list[list[Tok]] = []
    cur: list[Tok] = []
    state = "start"  # start | label | rownum | values
    for tok in toks:
        w = tok.text
        is_code = bool(CODE_RE.match(w)) and state in ("start", "values", "rownum")
        if CODE_RE.match(w) and tok.first and state == "label" and not any(is_number(t.text) for t in cur):
            # a label wrapped around its code: “政府办公厅（室）及相关机构” ⏎ “20103   749.17 …” ⏎ “事务”
            cur.append(tok)
            continue
        if _SPLIT_CODE_RE.fullmatch(w) and state == "label" and cur and all(_is_code_part(t.text) for t in cur):
            cur.append(tok)  # “201   05   07”: 类 / 款 / 项 printed in columns of their own
            continue
        is_num = is_number(w) and not is_code
        is_int = is_num and re.fullmatch(r"\d{1,3}", w) is not None
        if is_code and state in ("values", "rownum") and cur:
            groups.append(cur)
            cur = []
            state = "start"
        if is_code:
            cur.append(tok)
            state = "label"
            continue
        if is_num:
            if has_rownum and is_int and state == "values" and cur:
                groups.append(cur)  # an integer after values: the next group's 行次
                cur = [tok]
                state = "rownum"
            elif has_rownum and is_int and state in ("start", "label"):
                cur.append(tok)
                state = "rownum"
            else:
                cur.append(tok)
                state = "values"
            continue
        # text
        if state in ("values", "rownum") and cur:
            groups.append(cur)
            cur = []
        cur.append(tok)
        state = "label"
    if cur:
        groups.append(cur)
    return groups


def _spaced_row(
    doc: Document, ln: Line, grp: list[Tok], names: list[str], has_rownum: bool
) -> tuple[Row, list[Tok]] | None:
    """The row of a group of tokens and its value tokens (in order)."""
    code = None
    label_parts: list[Tok] = []
    rownum = None
    vals: list[Tok] = []
    for tok in grp:
        w = tok.text
        if code is None and not vals and CODE_RE.match(w) and (not label_parts or tok.first):
            code = CODE_RE.match(w).group(1)  # type: ignore[union-attr]
        elif code is not None and len(code) < 7 and not label_parts and not vals and _SPLIT_CODE_RE.fullmatch(w):
            code += w
        elif is_number(w):
            if has_rownum and rownum is None and not vals and re.fullmatch(r"\d{1,3}", w):
                rownum = w
            else:
                vals.append(tok)
        else:
            label_parts.append(tok)
    label = compact("".join(t.text for t in label_parts))
    if not label and code is None and not vals:
        return None
    cells: dict[str, Cell] = {}
    for i, tok in enumerate(vals):
        col = names[i] if i < len(names) else f"col{i + 1}"
        cells[col] = value_cell(doc, tok, col)
    span = (label_parts[0].start, label_parts[-1].end) if label_parts else (grp[0].start, grp[0].end)
    row = Row(label=label, code=code, cells=cells, line=doc.line_number(grp[0].start), span=span)
    row.row_number = rownum
    row.page = doc.page_of(grp[0].start)
    return row, vals


# ---- problems --------------------------------------------------------------------------
def _note_problems(table: Table, sides: list[str]) -> None:
    """What makes the rows unreliable: more blocks or values than the header names, values
    without labels, codes among amounts, labels of blocks run together."""
    stray = [r for r in table.rows if sides and r.block not in sides]
    if stray:
        table.problems.append(
            f"{len(stray)} row(s) fall into more side-by-side blocks than the header has ({', '.join(sides)})"
        )
    extra = [r for r in table.rows if any(re.fullmatch(r"col\d+", c) for c in r.cells)]
    if extra:
        table.problems.append(
            f"{len(extra)} row(s) hold more values than the header names columns: the columns cannot be named"
        )
    bare = [r for r in table.rows if not r.label and r.code is None and any(c.text for c in r.cells.values())]
    if bare and len(table.rows) > 1:
        table.problems.append(
            f"{len(bare)} row(s) of values without a label: the text put the labels and the values apart"
        )
    texts = [c.text for r in table.rows for c in r.cells.values() if c.text]
    coded = [x for x in texts if _CODE_LIKE_VALUE.fullmatch(x)]
    if coded and sum(1 for x in texts if "." in x or "," in x) > len(texts) // 2:
        table.problems.append(
            f"values that read like classification codes ({', '.join(coded[:3])}) among printed amounts: "
            "the text lost the table's columns"
        )
    merged = [r.label for r in table.rows if len(_ORDINAL_RE.findall(r.label)) > 1]
    if merged:
        table.problems.append(
            f"labels of side-by-side blocks ran together (“{merged[0]}”): the layout text lost the columns"
        )
