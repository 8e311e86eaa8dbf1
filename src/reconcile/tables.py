"""Finding and reading the standard tables in a document's text.

Two text shapes are read:

* cells separated by TAB (extraction tools, markdown exports, and the text that the
  PDF path writes for ruled tables): cells are aligned with the header by position;
* cells separated by spaces only (pdftotext without layout): values are aligned with
  the header by the column vocabulary of the rules, or by a fixed layout.

A table's parts on consecutive pages (title repeated, or header repeated) are merged;
repeated headers, 栏次 rows and repeated total rows are dropped; wrapped labels are
rejoined. Every cell keeps its printed decimals and its span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .document import Document, Line
from .model import Cell, Row, Table, compact, strip_ordinal
from .numbers import NumberError, parse_number
from .rules import Rules, TableKind, load_rules

__all__ = ["parse_tables", "table_spans"]

_TAG_RE = re.compile(r"<[^>]{0,40}>")
_NUM_IN_CELL = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")
_CODE_RE = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?$")
_CODE_PREFIX_RE = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?\s*(?=[\u4e00-\u9fff“\"（(])")
_TITLE_PREFIX_RE = re.compile(
    r"^(?:[-•·]|附表\d*[:：]?|表[一二三四五六七八九十\d]+[-—]?\d*[:：]?|公开\d+表[:：]?|[（(]?[一二三四五六七八九十]+[）)、.．]|\d+[.、．]"
    r"|20\d{2}年度?)+"
)
_TITLE_SUFFIX_RE = re.compile(r"(?:表\d+[-—]?\d*|公开\d+表|\.{2,}\d*|…+\d*|\d+)$")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
_NARR_HEAD_RE = re.compile(r"情况说明|编制说明|名词解释|绩效自评|^[一二三四五六七八九十]+、.*(说明|情况)$")
_TABLE_NO_RE = re.compile(r"(?:附表|表)[一二三四五六七八九十\d]+|公开\d+表")
_OTHER_TITLE_RE = re.compile(r"[\u4e00-\u9fff“”\"（）()、]{4,40}(?:预算|决算|情况|明细|统计|汇总|绩效目标)?表")
_META_RE = re.compile(
    r"^(?:单位[:：]|单位名称|部门[:：]|部门名称|编制单位|编制部门|金额单位|公开\d+表|表\d+|\d{4}年度?$|"
    r"单位[:：]?万元|\(?（?单位|预算单位|所属单位)"
)
_NOTE_RE = re.compile(r"^(?:注[:：1１]|注释|说明[:：]|备注|本表|本部门本表|本单位本表|本套报表)")
_ZERO_NOTE_RE = re.compile(
    r"(本表|本部门|本单位).{0,20}(无数据|无发生额|为空表|没有.{0,30}(支出|收入|数据)|无.{0,12}(支出|收入))"
)


@dataclass
class _Region:
    kind: TableKind | None
    title: str
    title_line: Line
    lines: list[Line] = field(default_factory=list)


def parse_tables(doc: Document, rules: Rules | None = None) -> list[Table]:
    """Find and read every standard table of the document."""
    rules = rules or load_rules()
    regions = _regions(doc, rules)
    tables: list[Table] = []
    for reg in regions:
        table = _read_region(doc, reg, rules)
        if table is None:
            continue
        prev = tables[-1] if tables else None
        if prev is not None and prev.kind == table.kind and prev.title == table.title and _continues(prev, table):
            _merge(prev, table)
        else:
            tables.append(table)
    for i, t in enumerate(tables, 1):
        t.id = f"T{i}"
        _dedupe_total_rows(t)
    return tables


def table_spans(tables: list[Table]) -> list[tuple[int, int]]:
    return [t.span for t in tables if t.span is not None]


# --------------------------------------------------------------------------- regions
def _title_of(line_text: str) -> str:
    c = compact(line_text)
    c = c.replace('"', "").replace("'", "")
    c = _TITLE_PREFIX_RE.sub("", c)
    c = _TITLE_SUFFIX_RE.sub("", c)
    return c.replace("三公", '"三公"')


_ORG_HEAD_RE = re.compile(r"[^，。；：:,;、\s]{2,30}")


def _titled_by_organization(raw: str, title: str, rules: Rules) -> tuple[TableKind | None, str]:
    """“2017年度江苏省高级人民法院部门收支预算总表”: a standard title after the year and
    the organization's name (the name has no punctuation; the line names a year or the
    name ends with 部门/单位)."""
    dated = bool(re.search(r"20\d{2}年", compact(raw)))
    if re.search(r"[见据照。]", raw):
        return None, title  # a sentence that names a table (详见…表), not a title
    for k in range(2, min(len(title) - 3, 31)):
        head = title[:k]
        if not _ORG_HEAD_RE.fullmatch(head) or not (dated or head.endswith(("部门", "单位"))):
            continue
        kind = rules.match_title(title[k:])
        if kind is not None:
            return kind, title[k:]
    return None, title


def _regions(doc: Document, rules: Rules) -> list[_Region]:
    heads: list[tuple[int, TableKind | None, str, int]] = []
    lines = doc.lines
    folded = doc.folded
    for i, ln in enumerate(lines):
        raw = folded[ln.start : ln.end]
        if len(raw) > 80 or not raw.strip():
            continue
        title = _title_of(raw)
        skip = 0
        if not title.endswith(("表", "）")) and "\t" not in ln.text:
            # a title broken before its last word: “…支出预算” + “表”
            nxt = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].text.strip()), None)
            if nxt is not None:
                tail = compact(folded[lines[nxt].start : lines[nxt].end])
                if 0 < len(tail) <= 6 and "表" in tail and "\t" not in lines[nxt].text and not re.search(r"\d", tail):
                    title, skip = _title_of(raw + tail), nxt - i
        if len(title) < 4 or not title.endswith(("表", "）")):
            continue
        kind = rules.match_title(title)
        if kind is None:
            kind, title = _titled_by_organization(raw, title, rules)
        if kind is None:
            continue
        heads.append((i, kind, title, skip))
    regions: list[_Region] = []
    for j, (i, kind, title, skip) in enumerate(heads):
        end = heads[j + 1][0] if j + 1 < len(heads) else len(lines)
        body: list[Line] = []
        seen_data = False
        for ln in lines[i + 1 + skip : end]:
            t = compact(folded[ln.start : ln.end])
            if _PART_RE.match(t) or (_NARR_HEAD_RE.search(t) and "\t" not in ln.text and len(t) < 60):
                break
            if (
                seen_data
                and "\t" not in ln.text
                and (_OTHER_TITLE_RE.fullmatch(_title_of(t)) or _TABLE_NO_RE.fullmatch(t))
            ):
                break  # after the data, the title or number of a table the rules do not know ends this one
            seen_data = seen_data or "\t" in ln.text or bool(re.search(r"\d\.\d", t))
            body.append(ln)
        reg = _Region(kind, title, lines[i], body)
        if _has_data(doc, reg):
            regions.append(reg)
    return regions


def _has_data(doc: Document, reg: _Region) -> bool:
    """A title followed by at least one row with numbers (a table of contents entry has none)."""
    for ln in reg.lines:
        t = doc.folded[ln.start : ln.end]
        tabular = "\t" in t or re.search(r"\d\.\d{1,2}(?:\s|$)|\d,\d{3}", t)
        if tabular and re.search(r"\d", t) and not re.search(r"\.{3,}|…{2,}", t):
            return True
    return False


# --------------------------------------------------------------------------- reading
@dataclass
class _Tok:
    text: str  # compacted text
    start: int
    end: int
    first: bool = False  # the first token of its line (layout text)


def _cells_tsv(doc: Document, ln: Line) -> list[_Tok]:
    out: list[_Tok] = []
    pos = ln.start
    for part in doc.folded[ln.start : ln.end].split("\t"):
        s, e = pos, pos + len(part)
        stripped = _TAG_RE.sub(lambda m: " " * len(m.group(0)), part)
        lead = len(stripped) - len(stripped.lstrip())
        body = stripped.strip()
        out.append(_Tok(compact(body), s + lead, s + lead + len(body)))
        pos = e + 1
    return out


def _is_number(text: str) -> bool:
    t = text.replace(",", "")
    return bool(re.fullmatch(r"[-+]?\d+(?:\.\d+)?", t))


def _is_value(text: str) -> bool:
    return _is_number(text) or text in ("-", "--", "—", "——", "－", "/", "*")


def _is_rownum_row(cells: list[str]) -> bool:
    if any(c == "栏次" for c in cells):
        return True
    nums = [c for c in cells if c]
    if len(nums) < 2 or not all(re.fullmatch(r"\d{1,2}", c) for c in nums):
        return False
    ints = [int(c) for c in nums]
    return ints == list(range(ints[0], ints[0] + len(ints)))


def _read_region(doc: Document, reg: _Region, rules: Rules) -> Table | None:
    kind = reg.kind
    assert kind is not None
    table = Table(
        id="",
        kind=kind.kind,
        title=reg.title,
        doc_kind=kind.doc,
        title_span=(reg.title_line.start, reg.title_line.end),
    )
    body = [ln for ln in reg.lines if ln.text.strip()]
    if not body:
        return None
    tsv = sum(1 for ln in body if "\t" in ln.text) >= max(2, len(body) // 3)
    if tsv:
        _read_tsv(doc, reg, body, table, rules)
    else:
        _read_spaced(doc, reg, body, table, rules)
    if not table.rows and not table.notes:
        return None
    _join_wrapped_labels(table)
    table.unit = _unit_of(doc, reg)
    first = reg.title_line.start
    last_line = reg.lines[-1] if reg.lines else reg.title_line
    table.span = (first, last_line.end)
    table.lines = (reg.title_line.number, last_line.number)
    pages = sorted({p for p in (doc.page_of(first), doc.page_of(last_line.end)) if p is not None})
    table.pages = list(range(pages[0], pages[-1] + 1)) if pages else []
    return table


# a label that reads as complete: it ends as the names of the standard rows do
_COMPLETE_LABEL = re.compile(r"(支出|收入|资金|拨款|预算|合计|小计|总计|经费|费|款|金|入|出|助|他|务|贴|息|目|计)$")


def _join_wrapped_labels(table: Table) -> None:
    """A label wrapped in its cell comes as two rows: “八、社会保障和就” with the value, then
    “业支出” alone. The second is joined to the first when the first reads as cut off (it
    does not end as row names do) and the second holds nothing but a few characters."""
    last: dict[str, Row] = {}
    keep: list[Row] = []
    for r in table.rows:
        prev = last.get(r.block)
        if (
            prev is not None
            and r.code is None
            and r.label
            and len(r.label) <= 8
            and r.label == r.name  # no ordinal of its own
            and not any(c.value is not None or c.text for c in r.cells.values())
            and prev.label != prev.name  # the row before starts with an ordinal (八、…)
            and any(c.value is not None for c in prev.cells.values())
            and not _COMPLETE_LABEL.search(prev.label)
        ):
            prev.label += r.label
            continue
        last[r.block] = r
        keep.append(r)
    table.rows = keep


_UNIT_RE = re.compile(r"(?:单位|金额单位|计量单位)[:：]?(千元|万元|亿元|元)")


def _unit_of(doc: Document, reg: _Region) -> str | None:
    """The money unit printed with the title or in the lines before the first row."""
    for ln in [reg.title_line, *reg.lines[:8]]:
        m = _UNIT_RE.search(compact(doc.folded[ln.start : ln.end]))
        if m:
            return m.group(1)
    return None


def _note_or_meta(doc: Document, ln: Line, table: Table, bare_int_is_page: bool = True) -> bool:
    raw = doc.folded[ln.start : ln.end]
    t = compact(raw)
    if not t:
        return True
    if _NOTE_RE.match(t) or (table.notes and "\t" not in raw and not re.search(r"\d\.\d", t)):
        s = ln.start + (len(raw) - len(raw.lstrip()))
        table.notes.append((t, (s, ln.end)))
        return True
    if "\t" not in raw and _META_RE.match(t):
        return True
    if bare_int_is_page and re.fullmatch(r"-?\d{1,2}-?", t):
        return True
    return bool(re.fullmatch(r"(?:表\d+|公开\d+表|第\d+页|第\d+页共\d+页|\d{4}年度?)", t))


# ---- TAB-separated ---------------------------------------------------------------
def _read_tsv(doc: Document, reg: _Region, body: list[Line], table: Table, rules: Rules) -> None:
    header_rows: list[list[_Tok]] = []
    data_rows: list[tuple[Line, list[_Tok]]] = []
    header_keys: set[str] = set()
    for ln in body:
        if "\t" not in ln.text:
            if _note_or_meta(doc, ln, table):
                continue
            # a line without TAB inside a TSV table: a one-cell row (e.g. a label alone)
            cells = [_Tok(compact(doc.folded[ln.start : ln.end]), ln.start, ln.end)]
        else:
            cells = _cells_tsv(doc, ln)
        texts = [c.text for c in cells]
        if _is_rownum_row(texts):
            continue
        key = "|".join(texts)
        has_num = any(_is_number(t) and ("." in t or len(t) < 3 or not _CODE_RE.match(t)) for t in texts)
        has_code = any(_CODE_RE.match(t) or _CODE_PREFIX_RE.match(t) for t in texts)
        if key in header_keys:
            continue
        if not data_rows and not has_num and not has_code:
            header_rows.append(cells)
            header_keys.add(key)
            continue
        if data_rows and not has_num and not has_code and _looks_header(texts, header_rows):
            header_keys.add(key)
            continue
        data_rows.append((ln, cells))
    width = max([len(r) for r in header_rows] + [len(c) for _, c in data_rows] + [0])
    roles, names, block_names, table.column_paths = _tsv_columns(header_rows, data_rows, width, rules, table.kind)
    table.columns = _dedupe([n for n, r in zip(names, roles, strict=True) if r == "value"])
    blocks = _blocks(roles)
    for ln, cells in data_rows:
        pending: Row | None = None
        for bi, (lo, hi) in enumerate(blocks):
            row = _row_from_cells(doc, ln, cells, lo, hi, roles, names, table)
            if row is None:
                continue
            row.block = block_names[bi] if len(blocks) > 1 else ""
            if pending is not None and not row.label and row.code is None and not _real(pending):
                _take_values(pending, row)
                table.rows.append(pending)
                pending = None
                continue
            if pending is not None:
                table.rows.append(pending)
                pending = None
            if row.label and not _real(row) and row.code is None and bi + 1 < len(blocks):
                pending = row
                continue
            table.rows.append(row)
        if pending is not None:
            table.rows.append(pending)
    _fix_kind_layout(table, rules)


def _real(row: Row) -> dict[str, Cell]:
    return {k: c for k, c in row.cells.items() if c.value is not None}


def _take_values(pending: Row, row: Row) -> None:
    """A total whose label stands in one block and its value in the next (misaligned row)."""
    own = [k for k in pending.cells if pending.cells[k].value is None]
    got = _real(row)
    if own and len(own) == len(got):
        for k, (_, cell) in zip(own, got.items(), strict=True):
            cell.column = k
            pending.cells[k] = cell
    else:
        pending.cells.update(got)


def _looks_header(texts: list[str], header_rows: list[list[_Tok]]) -> bool:
    known = {c.text for r in header_rows for c in r if c.text}
    non_empty = [t for t in texts if t]
    return bool(non_empty) and sum(t in known for t in non_empty) >= max(1, len(non_empty) - 1)


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    return list(seen)


def _tsv_columns(
    header_rows: list[list[_Tok]],
    data_rows: list[tuple[Line, list[_Tok]]],
    width: int,
    rules: Rules,
    kind: str,
) -> tuple[list[str], list[str], list[str], dict[str, tuple[str, ...]]]:
    cols = rules.columns
    hdr = [[(r[p].text if p < len(r) else "") for p in range(width)] for r in header_rows]
    leaf_row = [-1] * width
    leaves = [""] * width
    for p in range(width):
        for ri in range(len(hdr) - 1, -1, -1):
            if hdr[ri][p]:
                leaves[p] = hdr[ri][p]
                leaf_row[p] = ri
                break
    paths: list[list[str]] = []
    for p in range(width):
        path: list[str] = []
        for ri in range(0, max(leaf_row[p], 0)):
            # the spanning label of row ri over position p: nearest non-empty to the left,
            # unless a row above starts a new group between it and p (a merged cell above)
            q = p
            while q >= 0 and not hdr[ri][q]:
                q -= 1
            if q < 0:
                continue
            blocked = q != p and any(hdr[r][k] for r in range(ri) for k in range(q + 1, p + 1))
            if not blocked and (leaf_row[q] > ri or q == p):
                path.append(hdr[ri][q])
        if leaves[p]:
            path.append(leaves[p])
        paths.append(path)
    roles: list[str] = []
    for p in range(width):
        leaf = leaves[p]
        col_vals = [c[p].text for _, c in data_rows if p < len(c) and c[p].text]
        numeric = sum(1 for v in col_vals if _is_value(v) and not _CODE_RE.match(v))
        codes = sum(1 for v in col_vals if _CODE_RE.match(v))
        if leaf in cols.rownum_headers:
            roles.append("rownum")
        elif leaf in cols.code_headers or (leaf.endswith(("编码", "代码")) and len(leaf) < 12):
            roles.append("code")
        elif leaf in cols.label_headers or (leaf.endswith("科目") and len(leaf) < 8):
            roles.append("label")
        elif leaf and not col_vals:
            roles.append("value")
        elif col_vals and codes >= max(1, len(col_vals) // 2) and numeric - codes < len(col_vals) // 2:
            roles.append("code")
        elif col_vals and numeric >= max(1, (len(col_vals) + 1) // 2):
            roles.append("value")
        elif col_vals:
            roles.append("label")
        else:
            roles.append("value" if leaf else "empty")
    # Name value columns: leaf, qualified by parents when a leaf repeats.
    names = []
    blocks = _blocks(roles)
    block_of = {p: bi for bi, (lo, hi) in enumerate(blocks) for p in range(lo, hi)}
    for p in range(width):
        path = [rules.canonical_column(x) for x in paths[p]]
        if roles[p] != "value":
            names.append(path[-1] if path else "")
            continue
        leaf = path[-1] if path else f"col{p + 1}"
        same = [
            q for q in range(width) if roles[q] == "value" and block_of[q] == block_of[p] and leaves[q] == leaves[p]
        ]
        if len(same) > 1 and len(path) > 1:
            names.append("/".join(path[-3:]) if len(path) > 2 else "/".join(path))
        else:
            names.append(leaf)
    # three_public tables: canonical names from the header tree, else the layout by column count.
    vpos = [p for p in range(width) if roles[p] == "value"]
    if "three_public" in kind and vpos:
        canon = [_three_public_name([rules.canonical_column(x) for x in paths[p]]) for p in vpos]
        if all(canon) and len(set(canon)) == len(canon):
            for p, name in zip(vpos, canon, strict=True):
                names[p] = name or names[p]
        else:
            for layout in cols.layouts.get(kind.replace("budget_", ""), []):
                if len(layout) == len(vpos):
                    for p, name in zip(vpos, layout, strict=True):
                        names[p] = name
                    break
    # Block names: the top header cell spanning each block's first position.
    block_names = []
    for bi, (lo, _hi) in enumerate(blocks):
        name = ""
        if hdr:
            q = lo
            while q >= 0 and not hdr[0][q]:
                q -= 1
            if q >= 0 and roles[q] in ("label", "code", "rownum") and len(hdr) > 1:
                name = ""
            if q >= 0:
                name = hdr[0][q]
        if not name or name in cols.label_headers or name in cols.code_headers:
            name = f"B{bi + 1}"
        block_names.append(name)
    if len(set(block_names)) < len(block_names):
        block_names = [f"{n}#{i + 1}" if block_names.count(n) > 1 else n for i, n in enumerate(block_names)]
    paths_by_name = {
        names[p]: tuple(rules.canonical_column(x) for x in paths[p]) for p in range(width) if roles[p] == "value"
    }
    return roles, names, block_names, paths_by_name


_CAR = "公务用车购置及运行维护费"


def _three_public_name(path: list[str]) -> str | None:
    """Canonical 三公 column name from a header path, e.g. 预算数/公务用车购置及运行维护费/小计."""
    half = next((h for h in ("预算数", "决算数") if h in path), None)
    items = [x for x in path if x not in ("预算数", "决算数")]
    if not items:
        return None
    leaf = items[-1]
    if leaf in ("小计",) and _CAR in items:
        item = f"{_CAR}/小计"
    elif leaf in ("公务用车购置费", "公务用车运行维护费"):
        item = f"{_CAR}/{leaf}"
    elif leaf in ("合计", "因公出国（境）费", "公务接待费", _CAR):
        item = f"{_CAR}/小计" if leaf == _CAR else leaf
    else:
        return None
    return f"{half}/{item}" if half else item


def _blocks(roles: list[str]) -> list[tuple[int, int]]:
    """Split positions into side-by-side blocks: a block starts at a code/label after values."""
    blocks: list[tuple[int, int]] = []
    start = 0
    seen_value = False
    for p, r in enumerate(roles):
        if r in ("code", "label") and seen_value:
            blocks.append((start, p))
            start = p
            seen_value = False
        elif r == "value":
            seen_value = True
    blocks.append((start, len(roles)))
    # a trailing text column (e.g. 绩效目标) is not a block of its own
    merged: list[tuple[int, int]] = []
    for lo, hi in blocks:
        if merged and not any(roles[p] == "value" for p in range(lo, hi)):
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _row_from_cells(
    doc: Document,
    ln: Line,
    cells: list[_Tok],
    lo: int,
    hi: int,
    roles: list[str],
    names: list[str],
    table: Table,
) -> Row | None:
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
        elif role == "code" and _CODE_RE.match(tok.text):
            code = _CODE_RE.match(tok.text).group(1)  # type: ignore[union-attr]
            if label_span is None:
                label_span = (tok.start, tok.end)
        elif role in ("code", "label", "empty"):
            if values and any(v.value is not None for v in values.values()):
                continue  # text after the values (绩效目标 …) is not part of the label
            if indent is None:
                indent = p - lo
            text = tok.text
            m = _CODE_PREFIX_RE.match(text)
            if m and code is None:
                code = m.group(1)
                text = text[m.end() :]
            if text == "栏次":
                return None
            label = (label + text) if label else text
            label_span = (tok.start, tok.end) if label_span is None else (label_span[0], tok.end)
        else:  # value
            values[names[p]] = _value_cell(doc, tok, names[p])
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


def _value_cell(doc: Document, tok: _Tok, column: str) -> Cell:
    text = doc.folded[tok.start : tok.end]
    m = _NUM_IN_CELL.search(text)
    page = doc.page_of(tok.start)
    bbox = doc.bbox_of(tok.start)
    if m is None:
        return Cell(column, column, None, None, (tok.start, tok.end), tok.text, page, bbox)
    try:
        pr = parse_number(m.group(0))
    except NumberError:
        return Cell(column, column, None, None, (tok.start, tok.end), tok.text, page, bbox)
    s = tok.start + m.start()
    return Cell(column, column, pr.value, pr.decimals, (s, s + len(m.group(0))), m.group(0), page, bbox)


def _fix_kind_layout(table: Table, rules: Rules) -> None:
    """Drop rows that are only header residue (no label, code or value)."""
    table.rows = [r for r in table.rows if r.label or r.code or any(c.value is not None for c in r.cells.values())]
    used = {k for r in table.rows for k, c in r.cells.items() if c.value is not None or c.text}
    unnamed = {c for c in table.columns if c.startswith("col") and c not in used}
    table.columns = [c for c in table.columns if c not in unnamed]
    for r in table.rows:
        for c in unnamed:
            r.cells.pop(c, None)


# ---- space-separated (pdftotext without layout) ----------------------------------------
_SP_TOKEN = re.compile(r"\S+")
_SPLIT_CODE_RE = re.compile(r"\d{2}")
_WIDE_GAP = re.compile(r"[ \t\u3000]{4,}")


def _is_code_part(text: str) -> bool:
    return bool(_CODE_RE.match(text) or _SPLIT_CODE_RE.fullmatch(text))


def _read_spaced(doc: Document, reg: _Region, body: list[Line], table: Table, rules: Rules) -> None:
    header_lines: list[Line] = []
    data_started = False
    n_cols: list[int] = []
    has_rownum = False
    rows_tokens: list[tuple[Line, list[_Tok]]] = []
    pending: list[_Tok] = []
    pending_line: Line | None = None
    header_texts: set[str] = set()
    for ln in body:
        raw = doc.folded[ln.start : ln.end]
        t = compact(raw)
        if _note_or_meta(doc, ln, table, bare_int_is_page=not has_rownum):
            continue
        toks = [
            _Tok(m.group(0), ln.start + m.start(), ln.start + m.end(), first=k == 0)
            for k, m in enumerate(_SP_TOKEN.finditer(raw))
        ]
        words = [x.text for x in toks]
        lanci = re.sub(r"栏\s*次", "栏次", raw).split()
        if (lanci and lanci[0] == "栏次") or _is_rownum_row(words):
            n_cols = (
                [len([w for w in grp if w.isdigit()]) for grp in _split_on(lanci, "栏次")]
                if "栏次" in lanci
                else [len(words)]
            )
            n_cols = [n for n in n_cols if n]
            data_started = False if not rows_tokens else data_started
            continue
        is_value_line = any(_is_number(w) and ("." in w or "," in w) for w in words)
        if not data_started and not is_value_line and not _CODE_RE.match(words[0] if words else ""):
            header_lines.append(ln)
            header_texts.add(t)
            if "行次" in t:
                has_rownum = True
            continue
        if t in header_texts:
            continue
        data_started = True
        if pending_line is None:
            pending_line = ln
        pending.extend(toks)
        last = toks[-1].text if toks else ""
        if _is_number(last) and ("." in last or "," in last or (not has_rownum and not _CODE_RE.match(last))):
            rows_tokens.append((pending_line, pending))
            pending, pending_line = [], None
    if pending and pending_line is not None:
        rows_tokens.append((pending_line, pending))
    # a wide gap inside a header line parts two cells (“项目      支出预算” is not 项目支出)
    header = "".join(compact(_WIDE_GAP.sub("|", doc.folded[ln.start : ln.end].strip())) for ln in header_lines)
    block_names = (["收入", "支出"] if header.startswith("收入") and "支出" in header[:12] else []) or (
        ["人员经费", "公用经费"] if header.startswith("人员经费") else []
    )
    # without a 栏次 line, the widest row tells how many columns a fixed layout must have
    line_groups = [_groups(toks, has_rownum) for _, toks in rows_tokens]
    widest = [max((_n_values(groups) for groups in line_groups), default=0)]
    layout_cols = n_cols or ([] if block_names else widest)
    found = [n for n in _spaced_columns(header, layout_cols, rules, table.kind, per_block=True) if n not in block_names]
    if len(n_cols) > 1 and sum(n_cols) == len(found):
        cuts = [sum(n_cols[:i]) for i in range(len(n_cols) + 1)]
        block_paths = [found[cuts[i] : cuts[i + 1]] for i in range(len(n_cols))]
    else:
        one = found[: n_cols[0]] if n_cols and len(found) >= n_cols[0] else found
        block_paths = [one]
    all_paths = _dedupe([p for bp in block_paths for p in bp])
    block_names_cols = [[_leaf_name(p, all_paths) for p in bp] for bp in block_paths]
    table.columns = _dedupe([n for bn in block_names_cols for n in bn])
    table.column_paths = {_leaf_name(p, all_paths): tuple(p.split("/")) for bp in block_paths for p in bp}
    widths = [len(b) for b in block_names_cols]
    placed: list[tuple[Row, int, list[_Tok]]] = []
    n_blocks = max(len(widths), len(block_names))
    starts = _block_starts(doc, line_groups, n_blocks)
    several = any(len(groups) > 1 for groups in line_groups)
    for (ln, _), groups in zip(rows_tokens, line_groups, strict=True):
        for gi, grp in enumerate(groups):
            bi = gi
            n_vals = sum(1 for t in grp if _is_number(t.text) and "." in t.text)
            if len(groups) < n_blocks and n_vals and widths.count(n_vals) == 1:
                bi = widths.index(n_vals)  # a half-row on lines of its own: place it by its value count
            elif len(groups) < n_blocks and starts is not None:
                bi = _nearest_block(_line_col(doc, grp[0]) - len(grp[0].text), starts, gi)
            names = block_names_cols[min(bi, len(block_names_cols) - 1)]
            got = _spaced_row(doc, ln, grp, names, has_rownum, table)
            if got is None:
                continue
            row, vals = got
            placed.append((row, min(bi, len(block_names_cols) - 1), vals))
            if block_names and len(block_names) > bi:
                row.block = block_names[bi]
            elif bi:
                row.block = f"B{bi + 1}"
            elif several:
                row.block = "B1"
            table.rows.append(row)
    _align_short_rows(doc, table, placed, block_names_cols, counted=bool(n_cols))
    stray = [r for r in table.rows if block_names and r.block not in block_names]
    if stray:
        table.problems.append(
            f"{len(stray)} row(s) fall into more side-by-side blocks than the header has ({', '.join(block_names)})"
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


# an integer of 3, 5 or 7 digits starting 2 or 3 (a 功能/经济分类 code) where amounts are printed
_CODE_LIKE_VALUE = re.compile(r"[23]\d{2}(?:\d{2}){0,2}")
_ORDINAL_RE = re.compile(r"(?:^|(?<=[^\d一二三四五六七八九十]))(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d))")


def _n_values(groups: list[list[_Tok]]) -> int:
    """How many value cells a line's widest group holds (codes and 行次 left out)."""
    return max((sum(1 for t in g if _is_number(t.text) and not _CODE_RE.match(t.text)) for g in groups), default=0)


def _block_starts(doc: Document, lines_groups: list[list[list[_Tok]]], n_blocks: int) -> list[int] | None:
    """Where each side-by-side block starts on the line (median over the lines that fill every
    block), so that a line holding only some blocks (“    八、社会保障和就业支出    2,347.13”)
    puts them in the right one; None when no line fills every block."""
    if n_blocks < 2:
        return None
    cols = [
        [_line_col(doc, g[0]) - len(g[0].text) for g in groups] for groups in lines_groups if len(groups) == n_blocks
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


# how far (in characters) a value's right edge may stand from its column's in layout text
_ALIGN_TOLERANCE = 3


def _align_short_rows(
    doc: Document,
    table: Table,
    placed: list[tuple[Row, int, list[_Tok]]],
    block_names_cols: list[list[str]],
    *,
    counted: bool,
) -> None:
    """Layout text (pdftotext) drops blank cells, so a row with fewer values than columns cannot be
    read by order. Its values are placed by where they end on the line, against the columns' right
    edges learned from the rows that fill every column; a row that cannot be placed that way makes
    the table unreliable (its identities and cells are not used).

    Without a 栏次 line the header may name more columns than the rows fill (the label column's
    header read as a column name): the widest rows then hold the last columns named."""
    width: dict[int, int] = {}
    for _, bi, vals in placed:
        width[bi] = max(width.get(bi, 0), min(len(vals), len(block_names_cols[bi])))
    eff = dict(enumerate(block_names_cols))
    for bi, w in width.items():
        names = block_names_cols[bi]
        if w and not counted and w < len(names):
            if names[:w] != names[-w:]:
                table.problems.append(
                    f"the header names {len(names)} columns ({', '.join(names)}) but no row fills more than {w}: "
                    "which columns the values stand in is not known"
                )
                return
            eff[bi] = names[:w]
    if any(eff[bi] is not block_names_cols[bi] for bi in eff):
        table.columns = _dedupe([n for bi in sorted(eff) for n in eff[bi]])
    ends: dict[int, list[list[int]]] = {}
    for row, bi, vals in placed:
        if vals and len(vals) == width[bi]:
            ends.setdefault(bi, []).append([_line_col(doc, t) for t in vals])
            if eff[bi] is not block_names_cols[bi]:
                row.cells = {n: _value_cell(doc, t, n) for t, n in zip(vals, eff[bi], strict=False)}
    bad = 0
    for row, bi, vals in placed:
        names = eff[bi]
        if not vals or len(vals) >= width[bi]:
            continue
        full = ends.get(bi)
        slots = _slots([_line_col(doc, t) for t in vals], full) if full else None
        if slots is None:
            bad += 1
            continue
        row.cells = {names[j]: _value_cell(doc, t, names[j]) for t, j in zip(vals, slots, strict=True)}
    if not bad:
        # the columns a row leaves out are its blank cells (the template means 0), as in TSV text
        for row, bi, vals in placed:
            if vals and not any(re.fullmatch(r"col\d+", c) for c in row.cells):
                for n in eff[bi]:
                    row.cells.setdefault(n, Cell(n, n, None, None, None, "", row.page, None))
    if bad:
        table.problems.append(
            f"{bad} row(s) have fewer values than the table has columns and their values could not be placed "
            "by position (layout text drops blank cells): the table's identities and cells are not used"
        )


def _line_col(doc: Document, tok: _Tok) -> int:
    return tok.end - doc.line_at(tok.start).start


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


def _leaf_name(path: str, all_paths: list[str]) -> str:
    leaf = path.rsplit("/", 1)[-1]
    return leaf if sum(1 for p in all_paths if p.rsplit("/", 1)[-1] == leaf) == 1 else path


def _split_on(words: list[str], sep: str) -> list[list[str]]:
    out: list[list[str]] = []
    for w in words:
        if w == sep:
            out.append([])
        elif out:
            out[-1].append(w)
    return out


def _spaced_columns(header: str, n_cols: list[int], rules: Rules, kind: str, per_block: bool = False) -> list[str]:
    n = n_cols[0] if n_cols else 0
    layouts = (
        rules.columns.layouts[kind]
        if kind in rules.columns.layouts
        else rules.columns.layouts.get(kind.replace("budget_", ""), [])
    )
    for layout in layouts:
        if len(layout) == n:
            return list(layout)
    vocab = sorted(rules.columns.vocabulary, key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken = [False] * len(header)
    for word in vocab:
        for m in re.finditer(re.escape(word), header):
            if not any(taken[m.start() : m.end()]):
                found.append((m.start(), word))
                for k in range(m.start(), m.end()):
                    taken[k] = True
    found.sort()
    return [rules.canonical_column(w) for _, w in found]


def _groups(toks: list[_Tok], has_rownum: bool) -> list[list[_Tok]]:
    """Split a logical row into side-by-side groups: [code] label [rownum] values."""
    groups: list[list[_Tok]] = []
    cur: list[_Tok] = []
    state = "start"  # start | label | rownum | values
    for tok in toks:
        w = tok.text
        is_code = bool(_CODE_RE.match(w)) and state in ("start", "values", "rownum")
        if _CODE_RE.match(w) and tok.first and state == "label" and not any(_is_number(t.text) for t in cur):
            # a label wrapped around its code: “政府办公厅（室）及相关机构” ⏎ “20103   749.17 …” ⏎ “事务”
            cur.append(tok)
            continue
        if _SPLIT_CODE_RE.fullmatch(w) and state == "label" and cur and all(_is_code_part(t.text) for t in cur):
            cur.append(tok)  # “201   05   07”: 类 / 款 / 项 printed in columns of their own
            continue
        is_num = _is_number(w) and not is_code
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
    doc: Document, ln: Line, grp: list[_Tok], names: list[str], has_rownum: bool, table: Table
) -> tuple[Row, list[_Tok]] | None:
    """The row of a group of tokens and its value tokens (in order)."""
    code = None
    label_parts: list[_Tok] = []
    rownum = None
    vals: list[_Tok] = []
    for tok in grp:
        w = tok.text
        if code is None and not vals and _CODE_RE.match(w) and (not label_parts or tok.first):
            code = _CODE_RE.match(w).group(1)  # type: ignore[union-attr]
        elif code is not None and len(code) < 7 and not label_parts and not vals and _SPLIT_CODE_RE.fullmatch(w):
            code += w
        elif _is_number(w):
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
        cells[col] = _value_cell(doc, tok, col)
    span = (label_parts[0].start, label_parts[-1].end) if label_parts else (grp[0].start, grp[0].end)
    row = Row(label=label, code=code, cells=cells, line=doc.line_number(grp[0].start), span=span)
    row.row_number = rownum
    row.page = doc.page_of(grp[0].start)
    return row, vals


# --------------------------------------------------------------------------- merging
def _continues(prev: Table, nxt: Table) -> bool:
    return prev.lines is not None and nxt.lines is not None


def _merge(prev: Table, nxt: Table) -> None:
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


def iter_cells(table: Table) -> Iterator[tuple[Row, Cell]]:
    for r in table.rows:
        for c in r.cells.values():
            yield r, c
