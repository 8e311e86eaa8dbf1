"""Tokens and cells shared by both readers: what a number, a code and a 栏次 row look like,
the value cell of a token, and the lines of a table that are notes or page furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Line
from ..model import Cell, Row, Table, compact
from ..numbers import NumberError, parse_number

__all__ = [
    "CODE_PREFIX_RE",
    "CODE_RE",
    "GARBLED_CELL",
    "Tok",
    "dedupe",
    "is_number",
    "is_rownum_row",
    "is_value",
    "line_col",
    "note_or_meta",
    "real_cells",
    "value_cell",
]

# a classification code (类 3, 款 5, 项 7 digits), alone in its cell or before a label
CODE_RE = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?$")
CODE_PREFIX_RE = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?\s*(?=[\u4e00-\u9fff“\"（(])")
# characters of a label between the digits of an amount
GARBLED_CELL = re.compile(r"\d[\u4e00-\u9fff]+[\d.,]*\d")
_WRAPPED_DECIMALS = re.compile(r"([-+]?\d{1,3}(?:,\d{3})*\.\d*)\s+(\d{1,4})")
_NUM_IN_CELL = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")
_META_RE = re.compile(
    r"^(?:单位[:：]|单位名称|部门[:：]|部门名称|编制单位|编制部门|金额单位|公开\d+表|表\d+|\d{4}年度?$|"
    r"单位[:：]?万元|\(?（?单位|预算单位|所属单位)"
)
_NOTE_RE = re.compile(r"^(?:注[:：1１]|注释|说明[:：]|备注|本表|本部门本表|本单位本表|本套报表)")


@dataclass
class Tok:
    """One cell's (TAB text) or one word's (spaced text) text and where it stands."""

    text: str  # compacted text
    start: int
    end: int
    first: bool = False  # the first token of its line (layout text)


def is_number(text: str) -> bool:
    t = text.replace(",", "")
    return bool(re.fullmatch(r"[-+]?\d+(?:\.\d+)?", t))


def is_value(text: str) -> bool:
    return is_number(text) or text in ("-", "--", "—", "——", "－", "/", "*")


def is_rownum_row(cells: list[str]) -> bool:
    """A 栏次 row: the word 栏次, or only consecutive small integers (1 2 3 …)."""
    if any(c == "栏次" for c in cells):
        return True
    nums = [c for c in cells if c]
    if len(nums) < 2 or not all(re.fullmatch(r"\d{1,2}", c) for c in nums):
        return False
    ints = [int(c) for c in nums]
    return ints == list(range(ints[0], ints[0] + len(ints)))


def dedupe(names: list[str]) -> list[str]:
    """The names in order, each once."""
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    return list(seen)


def real_cells(row: Row) -> dict[str, Cell]:
    """The row's cells that hold a number."""
    return {k: c for k, c in row.cells.items() if c.value is not None}


def value_cell(doc: Document, tok: Tok, column: str) -> Cell:
    """The cell of a value token: the number it prints (with its decimals and span), if any."""
    text = doc.folded[tok.start : tok.end]
    page = doc.page_of(tok.start)
    bbox = doc.bbox_of(tok.start)
    if GARBLED_CELL.search(text):  # “障中18心39311.66”: a label overflowed into the number: no value read
        return Cell(column, column, None, None, (tok.start, tok.end), text.strip(), page, bbox)
    wrapped = _WRAPPED_DECIMALS.fullmatch(text.strip())
    if wrapped:  # “1,263,231.7 8”: the cell's last digits wrapped onto a line of their own
        pr = parse_number(wrapped.group(1) + wrapped.group(2))
        return Cell(column, column, pr.value, pr.decimals, (tok.start, tok.end), text.strip(), page, bbox)
    m = _NUM_IN_CELL.search(text)
    if m is None:
        return Cell(column, column, None, None, (tok.start, tok.end), tok.text, page, bbox)
    try:
        pr = parse_number(m.group(0))
    except NumberError:
        return Cell(column, column, None, None, (tok.start, tok.end), tok.text, page, bbox)
    s = tok.start + m.start()
    return Cell(column, column, pr.value, pr.decimals, (s, s + len(m.group(0))), m.group(0), page, bbox)


def line_col(doc: Document, tok: Tok) -> int:
    """Where the token ends on its line (a column of layout text)."""
    return tok.end - doc.line_at(tok.start).start


def note_or_meta(doc: Document, ln: Line, table: Table, bare_int_is_page: bool = True) -> bool:
    """A line that is no row: blank, a note (kept in ``table.notes``), the unit or the
    organization, or a page number."""
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
