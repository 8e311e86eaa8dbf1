"""Table rules: canonical table kinds (tables.yaml), column names (columns.yaml),
cell selectors and cross-table equalities (held by the templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from .base import After, Strict, check_regex

__all__ = ["CellSelector", "ColumnsFile", "CrossFile", "CrossRule", "RowSum", "TableKind", "TableKindsFile"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RowSum(Strict):
    total: str  # regex on the canonical column name
    parts: list[str] | None = None  # regexes; None: every other value column of the block


def _titles(v: list[str]) -> list[str]:
    for pat in v:
        check_regex(pat)
    return v


@dataclass(frozen=True, slots=True, kw_only=True)
class TableKind(Strict):
    kind: str
    doc: Literal["final_account", "budget"]
    label: str
    titles: Annotated[list[str], After(_titles)]
    checks: list[str] = field(default_factory=list)
    row_sums: list[RowSum] | None = None
    layouts: list[list[str]] | None = None
    # the template whose titles name this variant of the kind (set by the loader, not in tables.yaml)
    template: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TableKindsFile(Strict):
    schema_version: Literal[1]
    kind: Literal["table_kinds"]
    tables: list[TableKind]
    # words before a standard title that name the budget it belongs to, not another table
    # (“部门综合预算收支总表”): the title after them is read as the standard one
    title_qualifiers: list[str] = field(default_factory=list)
    # a title's parenthetical that names the classification its rows follow
    # (“…明细表（按支出功能分类科目）”): read as that classification word before 预算表
    title_classifications: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnsFile(Strict):
    schema_version: Literal[1]
    kind: Literal["columns"]
    aliases: dict[str, list[str]]
    label_headers: list[str]
    code_headers: list[str]
    rownum_headers: list[str]
    vocabulary: list[str]
    # fixed layouts by table kind; the templates add theirs (Rules.columns holds the union)
    layouts: dict[str, list[list[str]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class CellSelector(Strict):
    table: str  # a table kind
    block: str | None = None  # regex on block name, or "first"/"last"
    row: str  # "total" | "code:201" | regex on the plain label
    column: str | None = None  # regex on column name; None: first value column
    optional: bool = False  # in a sum: a row the table may leave out (it counts as 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossRule(Strict):
    id: str
    description: str
    left: list[CellSelector]
    right: list[CellSelector]
    by_class: bool = False  # compare class rows by name (e.g. T1 functions vs T3 类 rows)
    code: Literal["T108", "T110"] = "T108"  # T110 for a total of rows within one table
    # the equality holds only where none of these cells is non-zero (e.g. no carry-over that one
    # table's total may include and the other's not)
    unless: list[CellSelector] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossFile(Strict):
    """All cross-table equalities in force (the templates' equalities, in template order)."""

    equalities: list[CrossRule]
