"""The table data model shared by the text and PDF paths.

A :class:`Table` is a list of :class:`Row` objects; each row has a label, an
optional classification code and level, the block it stands in (for side-by-side
layouts such as 收入 | 支出 or 人员经费 | 公用经费) and its value cells keyed by
canonical column name. Every cell keeps its printed decimals and its span in the
document text (and page/bbox for PDFs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .document import BBox
from .numbers import Interval, Printed

__all__ = ["Cell", "Row", "Table", "code_level", "compact", "human_name"]

_COMPACT_RE = re.compile(r"[\s*#_`]+|<[^>]{0,40}>")


def compact(text: str) -> str:
    """Remove whitespace, markdown marks and HTML tags; fold brackets."""
    t = _COMPACT_RE.sub("", text)
    return t.replace("(", "（").replace(")", "）").replace("“", '"').replace("”", '"')


def code_level(code: str | None) -> str | None:
    """Function codes: 3 digits 类, 5 款, 7 项. Economic codes: 3 class, 5 item."""
    if not code:
        return None
    return {3: "class", 5: "item", 7: "subitem"}.get(len(code))


@dataclass(slots=True)
class Cell:
    column: str  # canonical column name (e.g. "本年支出合计", "决算数/合计")
    header: str  # header text as printed (compacted)
    value: Decimal | None  # None: empty cell (the template means zero)
    decimals: int | None
    span: tuple[int, int] | None
    text: str = ""
    page: int | None = None
    bbox: BBox | None = None

    @property
    def amount(self) -> Decimal:
        return self.value if self.value is not None else Decimal(0)

    @property
    def interval(self) -> Interval:
        if self.value is None:
            return Interval.exact(Decimal(0))
        return Printed(self.value, self.decimals or 0).interval


@dataclass(slots=True)
class Row:
    label: str  # compacted label, without code
    code: str | None = None
    block: str = ""  # side-by-side block name ("收入", "支出", "人员经费" …) or ""
    cells: dict[str, Cell] = field(default_factory=dict)
    line: int | None = None  # 1-based document line where the row starts
    span: tuple[int, int] | None = None  # span of the label (or of the row)
    row_number: str | None = None  # 行次 as printed
    indent: int | None = None  # label columns left empty before the label (TAB tables)
    page: int | None = None

    @property
    def level(self) -> str | None:
        return code_level(self.code)

    @property
    def name(self) -> str:
        """Plain label: ordinal prefixes like 一、 and （一） removed."""
        return strip_ordinal(self.label)

    def key(self) -> str:
        return f"{self.code} {self.label}" if self.code else self.label

    def get(self, column: str) -> Cell | None:
        return self.cells.get(column)


_ORDINAL_RE = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]\d+[)）]|\d+[、.．])+")


_REPEAT_RE = re.compile(r"#(\d+)$")


def human_name(name: str) -> str:
    """A column or block name as people read it: a repeated header numbered ``支出#2`` by the
    reader becomes ``支出（第2栏）``."""
    return _REPEAT_RE.sub(lambda m: f"（第{m.group(1)}栏）", name)


def strip_ordinal(label: str) -> str:
    return _ORDINAL_RE.sub("", label)


@dataclass(slots=True)
class Table:
    id: str  # "T1", "T2" … in document order
    kind: str  # canonical kind from rules/tables.yaml or "unknown"
    title: str
    doc_kind: str  # final_account | budget
    columns: list[str] = field(default_factory=list)  # canonical value columns, in order
    column_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)  # header path of each column
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    span: tuple[int, int] | None = None
    title_span: tuple[int, int] | None = None
    pages: list[int] = field(default_factory=list)
    lines: tuple[int, int] | None = None  # first and last document line
    problems: list[str] = field(default_factory=list)
    unit: str | None = None  # money unit as printed above the table (单位：元); None: not printed (万元)
    to_wan: Decimal = Decimal(1)  # 万元 per one unit (the vocabulary's money_units), set when the table is read
    template: str | None = None  # the rules template whose title named the table (None: a general title)

    @property
    def scale(self) -> Decimal:
        """Factor from the table's unit to 万元."""
        return self.to_wan

    # ---- lookups -------------------------------------------------------
    def blocks(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.rows:
            seen.setdefault(r.block, None)
        return list(seen)

    def rows_in(self, block: str | None = None) -> list[Row]:
        return [r for r in self.rows if block is None or r.block == block]

    def find_rows(self, *names: str, block: str | None = None, exact: bool = True) -> list[Row]:
        """Rows whose plain label equals (or contains, ``exact=False``) one of ``names``."""
        wanted = [compact(n) for n in names]
        out = []
        for r in self.rows_in(block):
            nm = r.name
            if (exact and nm in wanted) or (not exact and any(w in nm for w in wanted)):
                out.append(r)
        return out

    def row(self, *names: str, block: str | None = None) -> Row | None:
        rows = self.find_rows(*names, block=block)
        return rows[0] if rows else None

    def by_code(self, code: str) -> Row | None:
        for r in self.rows:
            if r.code == code:
                return r
        return None

    def total_row(self, block: str | None = None) -> Row | None:
        rows = self.rows_in(block)
        for r in rows:
            if r.code is None and r.name in ("合计", "总计", "合计数"):
                return r
        if len(rows) == 1 and rows[0].code is None and not rows[0].name:
            return rows[0]  # a one-row table whose label column is empty: the row is the total
        return _sum_of_classes(rows)

    def value_columns(self) -> list[str]:
        return list(self.columns)

    def cell_count(self) -> int:
        return sum(len(r.cells) for r in self.rows)

    def to_frame(self) -> object:
        """A pandas DataFrame view (analysis and export only)."""
        import pandas as pd

        records = []
        for r in self.rows:
            rec: dict[str, object] = {"block": r.block, "code": r.code, "label": r.label, "line": r.line}
            for c in self.columns:
                cell = r.cells.get(c)
                rec[c] = cell.value if cell is not None else None
            records.append(rec)
        return pd.DataFrame.from_records(records)


def _sum_of_classes(rows: list[Row]) -> Row | None:
    """An uncoded first row above coded rows, labelled with the unit's name instead of 合计
    (“深圳市退役军人事务局（本级）”), is the total row when its first amount is the sum of the
    类 rows' amounts in that column (within their printed rounding)."""
    if len(rows) < 2 or rows[0].code is not None:
        return None
    classes = [r for r in rows[1:] if r.code is not None and len(r.code) == 3]
    first = rows[0]
    col = next((k for k, c in first.cells.items() if c.value is not None), None)
    if not classes or col is None:
        return None
    parts = Interval.sum([r.cells[col].interval for r in classes if col in r.cells])
    return first if first.cells[col].interval.meets(parts) else None
