"""The tables' own identities (勾稽关系), as a registry of named checks.

Rules name the checks that apply to a table kind (``rules/tables.yaml``); this module
implements them. Every comparison is interval arithmetic on printed decimals: a
total is inconsistent only when its printed interval does not meet the interval of
the sum of its parts, so the tolerance widens with the number of addends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from .findings import CellRef, Finding
from .model import Cell, Row, Table, compact
from .numbers import Interval
from .rules import CellSelector, Rules

__all__ = ["CHECKS", "check", "check_tables", "select_cell"]

TableCheck = Callable[[Table, Rules], list[Finding]]
CHECKS: dict[str, TableCheck] = {}

_TOTAL_LEAF = re.compile(r"^(合计|总计|小计|本年收入合计|本年支出合计|支出合计|收入合计)$")


def check(name: str) -> Callable[[TableCheck], TableCheck]:
    def deco(fn: TableCheck) -> TableCheck:
        CHECKS[name] = fn
        return fn

    return deco


# ---------------------------------------------------------------------- helpers
def _iv(cell: Cell | None) -> Interval:
    """A printed cell as an interval; empty and zero cells are exact zeros."""
    if cell is None or cell.value is None or cell.value == 0:
        return Interval.exact(Decimal(0))
    return cell.interval


def _fmt(v: Decimal) -> str:
    return f"{v:,.2f}" if v == v.quantize(Decimal("0.01")) else f"{v:,}"


def ref(table: Table, row: Row, column: str) -> CellRef:
    cell = row.cells.get(column)
    return CellRef(
        table=table.id,
        row=row.key(),
        column=column,
        value=cell.value if cell else None,
        span=cell.span if cell else None,
        page=cell.page if cell else row.page,
    )


def _where(table: Table, row: Row) -> str:
    blk = f"[{row.block}] " if row.block and not row.block.startswith("B") else ""
    return f"{table.id} {table.title}, {blk}row {row.key()}"


def sum_finding(
    code: str,
    what: str,
    total: tuple[Table, Row, str],
    parts: list[tuple[Table, Row, str]],
    *,
    parts_desc: str | None = None,
    min_parts: int = 1,
) -> Finding | None:
    """Compare a printed total with the sum of printed parts. None when nothing to say."""
    t_table, t_row, t_col = total
    t_cell = t_row.cells.get(t_col)
    if t_cell is None or (t_cell.value is None and not t_cell.text):
        return None
    present = [(tb, r, c) for tb, r, c in parts if c in r.cells]
    if len(present) < min_parts:
        return None
    parts_iv = Interval.sum([_iv(r.cells.get(c)) for _, r, c in present])
    tot_iv = _iv(t_cell)
    if tot_iv.meets(parts_iv):
        return None
    observed = t_cell.value if t_cell.value is not None else Decimal(0)
    expected = sum((r.cells[c].amount for _, r, c in present), Decimal(0))
    desc = (
        parts_desc or " + ".join(f"{_fmt(r.cells[c].amount)}" for _, r, c in present if r.cells[c].amount != 0) or "0"
    )
    if len(present) == 1:
        against = f"{desc} shows {_fmt(expected)}" if parts_desc else f"its only part is {_fmt(expected)}"
    elif not any(r.cells[c].amount for _, r, c in present):
        against = "its parts are all empty or zero"
    elif sum(1 for _, r, c in present if r.cells[c].amount) == 1 and not parts_desc:
        against = f"the parts sum to {_fmt(expected)}"
    else:
        against = f"the parts sum to {desc} = {_fmt(expected)}"
    msg = (
        f"{what}: {_where(t_table, t_row)} [{t_col}] is {_fmt(observed)}, but {against} "
        f"(difference {_fmt(observed - expected)}; printed rounding allows {_fmt(parts_iv.lo)}–{_fmt(parts_iv.hi)})"
    )
    cells = (ref(t_table, t_row, t_col), *(ref(tb, r, c) for tb, r, c in present))
    return Finding(
        check=code,
        status="inconsistent",
        message=msg,
        cells=cells,
        spans=tuple(x.span for x in cells if x.span is not None),
        expected=expected,
        observed=observed,
        tolerance=(parts_iv.lo, parts_iv.hi),
    )


def _nonzero(table: Table) -> bool:
    return any(c.value not in (None, Decimal(0)) for r in table.rows for c in r.cells.values())


# ---------------------------------------------------------------------- row sums
def _column_groups(table: Table) -> list[tuple[str, list[str]]]:
    """(total column, part columns) pairs from the header tree."""
    paths = {c: table.column_paths.get(c, (c,)) for c in table.columns}
    out: list[tuple[str, list[str]]] = []

    def members(prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        seen: dict[tuple[str, ...], None] = {}
        for p in paths.values():
            if len(p) > len(prefix) and p[: len(prefix)] == prefix:
                seen.setdefault(p[: len(prefix) + 1], None)
        return list(seen)

    def columns_under(node: tuple[str, ...]) -> list[str]:
        return [c for c, p in paths.items() if p[: len(node)] == node]

    def representative(node: tuple[str, ...]) -> list[str]:
        cols = columns_under(node)
        if len(cols) == 1:
            return cols
        subtotal = [c for c in cols if len(paths[c]) == len(node) + 1 and _TOTAL_LEAF.match(paths[c][-1])]
        if subtotal:
            return subtotal[:1]
        kids = members(node)
        return [c for k in kids for c in representative(k)]

    def walk(prefix: tuple[str, ...]) -> None:
        kids = members(prefix)
        totals = [k for k in kids if _TOTAL_LEAF.match(k[-1]) and len(columns_under(k)) == 1]
        if totals and len(kids) > 1:
            t = totals[0]
            parts = [c for k in kids if k != t for c in representative(k)]
            if parts:
                out.append((columns_under(t)[0], parts))
        for k in kids:
            if len(columns_under(k)) > 1:
                walk(k)

    walk(())
    return out


@check("row_sum")
def check_row_sum(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    groups = _column_groups(table)
    kind = rules.table_kind(table.kind)
    if kind is not None and kind.row_sums:
        groups = []
        for rs in kind.row_sums:
            tcols = [c for c in table.columns if re.fullmatch(rs.total, c)]
            if not tcols:
                continue
            if rs.parts is None:
                parts = [c for c in table.columns if c != tcols[0]]
            else:
                parts = [c for c in table.columns if any(re.fullmatch(p, c) for p in rs.parts)]
            groups.append((tcols[0], parts))
    for total, parts in groups:
        for row in table.rows:
            if total not in row.cells:
                continue
            f = sum_finding(
                "T101",
                "row total ≠ sum of its columns",
                (table, row, total),
                [(table, row, p) for p in parts],
                min_parts=2,
            )
            if f:
                out.append(f)
    return out


_FLAT_TOTAL = re.compile(r"^(?:合计|总计|合计数|收入总计|支出总计)$")


@check("column_sum")
def check_column_sum(table: Table, rules: Rules) -> list[Finding]:
    """A flat list without codes grouped by 小计 rows (收入预算总表: 一般公共预算资金小计,
    its items, 其他资金小计, its items …): each 小计 = the items after it (其中 rows are not
    items), and the 总计/合计 row = the 小计 rows."""
    out: list[Finding] = []
    if any(r.code for r in table.rows):
        return out
    for block in table.blocks():
        rows = table.rows_in(block)
        subs = [i for i, r in enumerate(rows) if r.name.endswith("小计")]
        total = next((r for r in rows if _FLAT_TOTAL.match(r.name)), None)
        if not subs:
            continue
        for k, i in enumerate(subs):
            end = subs[k + 1] if k + 1 < len(subs) else len(rows)
            items = [r for r in rows[i + 1 : end] if not r.name.startswith("其中") and not _FLAT_TOTAL.match(r.name)]
            if not items:
                continue
            for col in table.columns:
                f = sum_finding(
                    "T110",
                    "小计 ≠ sum of its items",
                    (table, rows[i], col),
                    [(table, r, col) for r in items],
                    parts_desc=" + ".join(f"{r.name} {_fmt(r.cells[col].amount)}" for r in items if col in r.cells),
                )
                if f:
                    out.append(f)
        if total is not None and len(subs) >= 2:
            for col in table.columns:
                f = sum_finding(
                    "T110",
                    "total ≠ sum of the 小计 rows",
                    (table, total, col),
                    [(table, rows[i], col) for i in subs],
                    parts_desc=" + ".join(
                        f"{rows[i].name} {_fmt(rows[i].cells[col].amount)}" for i in subs if col in rows[i].cells
                    ),
                )
                if f:
                    out.append(f)
    return out


# ---------------------------------------------------------------------- hierarchy
def _coded(table: Table) -> list[Row]:
    return [r for r in table.rows if r.code]


def _children(rows: list[Row], parent: Row, child_len: int) -> list[Row]:
    """Rows listed under the parent (by position, so that a code under the wrong parent,
    reported by T104, does not also break the parent's sum)."""
    assert parent.code is not None
    out: list[Row] = []
    i = next(k for k, r in enumerate(rows) if r is parent)
    for r in rows[i + 1 :]:
        if r.block != parent.block:
            continue
        if not r.code or len(r.code) <= len(parent.code):
            break
        if len(r.code) == child_len:
            out.append(r)
    return out


@check("total_row")
def check_total_row(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    for block in table.blocks():
        total = table.total_row(block)
        classes = [r for r in table.rows_in(block) if r.code and len(r.code) == 3]
        if total is None or not classes:
            continue
        for col in table.columns:
            f = sum_finding(
                "T102",
                "total row ≠ sum of the 类 rows",
                (table, total, col),
                [(table, r, col) for r in classes],
                parts_desc=" + ".join(f"{r.code} {_fmt(r.cells[col].amount)}" for r in classes if col in r.cells),
            )
            if f:
                out.append(f)
    return out


@check("hierarchy")
def check_hierarchy(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    rows = _coded(table)
    for parent in rows:
        assert parent.code is not None
        child_len = {3: 5, 5: 7}.get(len(parent.code))
        if child_len is None:
            continue
        kids = _children(rows, parent, child_len)
        if not kids:
            continue
        for col in table.columns:
            f = sum_finding(
                "T103",
                f"{'类' if len(parent.code) == 3 else '款'} ≠ sum of its {'款' if child_len == 5 else '项'}",
                (table, parent, col),
                [(table, r, col) for r in kids],
                parts_desc=" + ".join(f"{r.code} {_fmt(r.cells[col].amount)}" for r in kids if col in r.cells),
            )
            if f:
                out.append(f)
    return out


# 政府采购预算表 columns: 采购品目大类 | 专项名称 | 经济科目 | 采购物品名称 | …: a row's level is the
# column its label starts in (a 经济科目 row under the 专项 above leaves 专项名称 empty)
_PROCUREMENT_LEVEL = {0: 0, 1: 1, 2: 1}


def _parts(rows: list[Row]) -> list[list[Row]]:
    """Rows split where the table goes on after a break: another page, or lines between
    them (a repeated title and header)."""
    out: list[list[Row]] = []
    for r in rows:
        prev = out[-1][-1] if out else None
        if (
            prev is None
            or r.page != prev.page
            or (r.line is not None and prev.line is not None and r.line - prev.line > 2)
        ):
            out.append([r])
        else:
            out[-1].append(r)
    return out


@check("procurement_hierarchy")
def check_procurement_hierarchy(table: Table, rules: Rules) -> list[Finding]:
    """政府采购预算表: each class (一、货物) is the sum of its 专项/经济科目 rows, and each of these
    the sum of its 采购物品 rows (when it lists any)."""
    out: list[Finding] = []
    total = table.total_row()
    rows = [
        r
        for r in table.rows
        if r.indent is not None and r is not total and any(c.value is not None for c in r.cells.values())
    ]
    if not rows or all(r.indent == rows[0].indent for r in rows):
        return out
    # the columns must read as the template's: classes (一、货物A) in the first, nothing else there.
    # A part continued on another page may have lost its empty first column: its rows start one
    # column left, and are read one column right. Any other misfit ends the reading.
    indents: list[int] = []
    for part in _parts(rows):
        lost_first = not any(r.label != r.name for r in part) and min(r.indent or 0 for r in part) == 0
        indents += [(r.indent or 0) + (1 if lost_first else 0) for r in part]
    shifted = next(
        (i for i, (r, k) in enumerate(zip(rows, indents, strict=True)) if (k == 0) != (r.label != r.name)), len(rows)
    )
    rows, indents = rows[:shifted], indents[:shifted]
    levels = [_PROCUREMENT_LEVEL.get(k, 2) for k in indents]
    names = {0: "class", 1: "专项 line", 2: "item"}
    for i, (parent, lvl) in enumerate(zip(rows, levels, strict=True)):
        if lvl == 2:
            continue
        kids: list[Row] = []
        closed = False  # a row of the parent's level or above ends its block
        for r, k in zip(rows[i + 1 :], levels[i + 1 :], strict=True):
            if k <= lvl:
                closed = True
                break
            if k == lvl + 1:
                kids.append(r)
        if not kids or not closed:
            continue  # the last block may go on in the table's next part (a page break)
        for col in table.columns:
            f = sum_finding(
                "T103",
                f"政府采购 {names[lvl]} ≠ sum of its {names[lvl + 1]}s",
                (table, parent, col),
                [(table, r, col) for r in kids],
            )
            if f:
                out.append(f)
    return out


@check("wrong_parent")
def check_wrong_parent(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    current: dict[int, Row] = {}
    for r in table.rows:
        if not r.code:
            continue
        n = len(r.code)
        if n == 3:
            current = {3: r}
            continue
        parent = current.get(n - 2)
        if parent is not None and parent.code is not None and not r.code.startswith(parent.code):
            span = r.span
            out.append(
                Finding(
                    check="T104",
                    status="inconsistent",
                    message=(
                        f"code under the wrong parent: {table.id} {table.title} lists {r.code} {r.label} under "
                        f"{parent.code} {parent.label}, but a child code must start with {parent.code}"
                    ),
                    spans=(span,) if span else (),
                    cells=(CellRef(table.id, r.key(), "code", None, span, r.page),),
                )
            )
        current[n] = r
        for k in list(current):
            if k > n:
                del current[k]
    return out


# ---------------------------------------------------------------------- summary tables
_FUND_SUBROWS = (
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
)
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[、）)]")


# “当年收入” alone: a PDF cell whose “小计” wrapped onto a line of its own
_YEAR_TOTAL = re.compile(r"^(?:本年|当年)(?:收入|支出)(?:合计|小计)?$")


@check("summary_balance")
def check_summary_balance(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    blocks = table.blocks()
    grand: dict[str, Row] = {}
    year_rows: dict[str, Row] = {}
    for block in blocks:
        rows = table.rows_in(block)
        idx_year = next((i for i, r in enumerate(rows) if _YEAR_TOTAL.match(r.name)), None)
        grand_names = ("总计", "收入总计", "支出总计") + (("收入合计", "支出合计") if idx_year is not None else ())
        if idx_year is None and not any(r.name in grand_names for r in rows):
            # 财政拨款收支预算总表 (Jiangsu): 一、… 二、… then 收入合计 / 支出合计 and nothing else
            idx_year = next((i for i, r in enumerate(rows) if r.name in ("收入合计", "支出合计")), None)
            if idx_year is not None and not any(_ORDINAL.match(r.label) for r in rows[:idx_year]):
                idx_year = None
        idx_total = next((i for i, r in enumerate(rows) if r.name in grand_names), None)
        if idx_year is not None:
            year_rows[block] = rows[idx_year]
        if idx_year is not None:
            items = [r for r in rows[:idx_year] if _ORDINAL.match(r.label)]
            if not items:
                items = [r for r in rows[:idx_year] if r.label and r.name not in _FUND_SUBROWS]
            for col in _cols(rows[idx_year]):
                f = sum_finding(
                    "T105",
                    f"{rows[idx_year].name} ≠ sum of the rows above it",
                    (table, rows[idx_year], col),
                    [(table, r, col) for r in items],
                    parts_desc=None,
                )
                if f:
                    out.append(f)
        if idx_year is not None and idx_total is not None and idx_total > idx_year:
            between = rows[idx_year + 1 : idx_total]
            addends = [r for r in between if r.name not in _FUND_SUBROWS]
            for col in _cols(rows[idx_total]):
                f = sum_finding(
                    "T105",
                    f"{rows[idx_total].name} ≠ {rows[idx_year].name} + the balances below it",
                    (table, rows[idx_total], col),
                    [(table, r, col) for r in [rows[idx_year], *addends]],
                )
                if f:
                    out.append(f)
            # a balance split by fund: parent = Σ fund rows
            for i, r in enumerate(between):
                if r.name in _FUND_SUBROWS:
                    continue
                subs = []
                for r2 in between[i + 1 :]:
                    if r2.name in _FUND_SUBROWS:
                        subs.append(r2)
                    else:
                        break
                if subs:
                    for col in _cols(r) or _dedupe_cols(subs):
                        f = sum_finding(
                            "T105", f"{r.name} ≠ sum of its fund rows", (table, r, col), [(table, s, col) for s in subs]
                        )
                        if f:
                            out.append(f)
        if idx_total is not None:
            grand[block] = rows[idx_total]
    # a second 支出 block by use (一、基本支出 二、项目支出 三、单位预留机动经费) without a
    # total of its own adds up to the year's total of the 支出 block by function
    for block in blocks:
        rows = table.rows_in(block)
        if block in year_rows or block in grand or not rows or not all(_ORDINAL.match(r.label) for r in rows):
            continue
        side = block.split("#")[0]
        year = next((r for b, r in year_rows.items() if b != block and b.split("#")[0] == side), None)
        if year is None:
            continue
        for col in _cols(year):
            f = sum_finding(
                "T105",
                f"{year.name} ≠ sum of the rows of the [{block}] block",
                (table, year, col),
                [(table, r, col) for r in rows],
            )
            if f:
                out.append(f)
    if len(grand) == 2:
        (_b1, r1), (b2, r2) = list(grand.items())
        c1, c2 = _cols(r1), _cols(r2)
        if c1 and c2:
            f = sum_finding(
                "T105",
                f"{r1.name} ≠ {r2.name}",
                (table, r1, c1[0]),
                [(table, r2, c2[0])],
                parts_desc=f"{b2} {r2.name} {_fmt(r2.cells[c2[0]].amount)}",
            )
            if f:
                out.append(f)
    return out


def _dedupe_cols(rows: list[Row]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for c in _cols(r):
            seen.setdefault(c, None)
    return list(seen)


def _cols(row: Row) -> list[str]:
    return [c for c in row.cells if row.cells[c].value is not None or row.cells[c].text]


@check("fund_balance")
def check_fund_balance(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    need = ("年初结转和结余", "本年收入", "年末结转和结余")
    spend = next((c for c in table.columns if c in ("小计", "本年支出/小计", "本年支出")), None)
    if spend is None or not all(c in table.columns for c in need):
        return out
    for r in table.rows:
        if not all(c in r.cells for c in (*need, spend)):
            continue
        start, inc, _end, exp = (_iv(r.cells[c]) for c in (*need, spend))
        calc = start + inc - exp
        if not _iv(r.cells["年末结转和结余"]).meets(calc):
            expected = r.cells["年初结转和结余"].amount + r.cells["本年收入"].amount - r.cells[spend].amount
            cells = tuple(ref(table, r, c) for c in (*need, spend))
            out.append(
                Finding(
                    check="T105",
                    status="inconsistent",
                    message=(
                        f"年初结转和结余 + 本年收入 − 本年支出 ≠ 年末结转和结余: {_where(table, r)}: "
                        f"{_fmt(r.cells['年初结转和结余'].amount)} + {_fmt(r.cells['本年收入'].amount)} − "
                        f"{_fmt(r.cells[spend].amount)} = {_fmt(expected)}, table shows "
                        f"{_fmt(r.cells['年末结转和结余'].amount)}"
                    ),
                    cells=cells,
                    spans=tuple(c.span for c in cells if c.span),
                    expected=expected,
                    observed=r.cells["年末结转和结余"].amount,
                    tolerance=(calc.lo, calc.hi),
                )
            )
    return out


# ---------------------------------------------------------------------- economic classes
_PERSONNEL = ("301", "303")
_PUBLIC = ("302", "307", "309", "310", "312", "313", "399")


@check("economic_sum")
def check_economic_sum(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    rows = [r for r in table.rows if r.code and r.code[0] in "35"]
    classes = [r for r in rows if len(r.code or "") == 3]
    for cls in classes:
        assert cls.code is not None
        kids = [r for r in rows if len(r.code or "") == 5 and (r.code or "").startswith(cls.code)]
        if not kids:
            continue
        for col in _cols(cls):
            f = sum_finding(
                "T106",
                f"economic class {cls.code} ≠ sum of its items",
                (table, cls, col),
                [(table, r, col) for r in kids],
                parts_desc=" + ".join(
                    f"{r.code} {_fmt(r.cells[col].amount)}" for r in kids if col in r.cells and r.cells[col].amount
                ),
            )
            if f:
                out.append(f)
    by_code = {r.code: r for r in classes}
    for names, codes in ((("人员经费合计", "人员经费"), _PERSONNEL), (("公用经费合计", "公用经费"), _PUBLIC)):
        tot = table.row(*names)
        if tot is None:
            continue
        parts = [by_code[c] for c in codes if c in by_code]
        if not parts:
            continue
        for col in _cols(tot):
            cols_parts = [(table, r, col if col in r.cells else next(iter(_cols(r)), col)) for r in parts]
            f = sum_finding(
                "T106",
                f"{tot.name} ≠ sum of its economic classes",
                (table, tot, col),
                cols_parts,
                parts_desc=" + ".join(f"{r.code} {_fmt(r.cells[c].amount)}" for _, r, c in cols_parts if c in r.cells),
            )
            if f:
                out.append(f)
    total = table.total_row()
    if total is not None and classes:
        for col in _cols(total):
            f = sum_finding(
                "T106", "合计 ≠ sum of the economic classes", (table, total, col), [(table, r, col) for r in classes]
            )
            if f:
                out.append(f)
    return out


# ---------------------------------------------------------------------- 三公
@check("three_public")
def check_three_public(table: Table, rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    cols = table.columns
    prefixes = sorted({c.split("/")[0] + "/" for c in cols if c.startswith(("预算数/", "决算数/"))}) or [""]
    canonical = any(
        f"{pre}合计" in cols and f"{pre}公务用车购置及运行维护费/小计" in cols for pre in ("", "预算数/", "决算数/")
    )
    if not canonical and any(len(p) > 1 for p in table.column_paths.values()):
        # another layout (e.g. with 会议费 and 培训费 beside the 三公): sums by the header tree
        for total, parts in _column_groups(table):
            for row in table.rows:
                f = sum_finding(
                    "T107",
                    "三公 table: total ≠ sum of its columns",
                    (table, row, total),
                    [(table, row, p) for p in parts],
                    min_parts=2,
                )
                if f:
                    out.append(f)
        return out
    if canonical:  # column-oriented (决算 template)
        for pre in prefixes:
            tot = f"{pre}合计"
            sub = f"{pre}公务用车购置及运行维护费/小计"
            parts = [f"{pre}因公出国（境）费", sub, f"{pre}公务接待费"]
            buy = next((c for c in cols if c.startswith(pre) and c.endswith("公务用车购置费")), None)
            run = next((c for c in cols if c.startswith(pre) and c.endswith("公务用车运行维护费")), None)
            for r in table.rows:
                if tot in r.cells:
                    f = sum_finding(
                        "T107",
                        "三公 合计 ≠ 出国 + 公务用车 + 接待",
                        (table, r, tot),
                        [(table, r, p) for p in parts],
                        min_parts=2,
                    )
                    if f:
                        out.append(f)
                if sub in r.cells and buy and run:
                    f = sum_finding(
                        "T107",
                        "公务用车 小计 ≠ 购置费 + 运行维护费",
                        (table, r, sub),
                        [(table, r, buy), (table, r, run)],
                        min_parts=2,
                    )
                    if f:
                        out.append(f)
        return out

    # row-oriented (budget template): rows 三公经费, 因公出国, 公务用车购置及运行维护, 购置费, 运行维护费, 公务接待
    def find(*keys: str) -> Row | None:
        for r in table.rows:
            n = compact(r.label)
            if all(k in n for k in keys):
                return r
        return None

    total_row = next((r for r in table.rows if re.search(r"三公\"?经费(合计)?$", r.label)), None)
    abroad, car, recv = find("因公出国"), find("公务用车购置及运行"), find("公务接待")
    buy_row = next((r for r in table.rows if r.label.endswith("公务用车购置费")), None)
    run_row = next((r for r in table.rows if r.label.endswith(("公务用车运行维护费", "公务用车运行费"))), None)
    for col in table.columns:
        if total_row and abroad and car and recv:
            f = sum_finding(
                "T107",
                "三公经费 ≠ 出国 + 公务用车 + 接待",
                (table, total_row, col),
                [(table, r, col) for r in (abroad, car, recv)],
            )
            if f:
                out.append(f)
        if car and buy_row and run_row:
            f = sum_finding(
                "T107",
                "公务用车购置及运行维护费 ≠ 购置费 + 运行维护费",
                (table, car, col),
                [(table, r, col) for r in (buy_row, run_row)],
            )
            if f:
                out.append(f)
    return out


# ---------------------------------------------------------------------- notes
_NO_DATA = re.compile(
    r"(本表|故本表|本部门本表|本单位本表).{0,6}(无数据|无发生额|为空表?|无此项)|没有.{0,40}(支出|收入|经费).{0,10}(故|因此)?本表无数据"
)


def check_notes(table: Table) -> list[Finding]:
    out: list[Finding] = []
    if not _nonzero(table):
        return out
    for text, span in table.notes:
        if _NO_DATA.search(text):
            nz = [(r, c) for r in table.rows for c in r.cells.values() if c.value not in (None, Decimal(0))]
            r, c = nz[0]
            out.append(
                Finding(
                    check="T109",
                    status="inconsistent",
                    message=(
                        f"note contradicts the table: {table.id} {table.title} says “{text[:60]}”, but the table "
                        f"holds non-zero amounts (e.g. {r.key()} [{c.column}] {_fmt(c.amount)})"
                    ),
                    spans=(span, *((c.span,) if c.span else ())),
                    cells=(ref(table, r, c.column),),
                )
            )
            break
    return out


# ---------------------------------------------------------------------- cross-table
def select_cell(tables: list[Table], sel: CellSelector, *, empty: bool = False) -> tuple[Table, Row, str] | None:
    """The cell ``sel`` names; a row whose cells are all empty gives its first cell only with ``empty``
    (the template leaves a nil amount blank: a narrative “0万元” or “没有…” reads it as 0)."""
    table = next((t for t in tables if t.kind == sel.table), None)
    if table is None or table.problems:
        return None
    blocks = table.blocks()
    block: str | None = None
    if sel.block == "first":
        block = blocks[0]
    elif sel.block == "last":
        block = blocks[-1]
    elif sel.block:
        block = next((b for b in blocks if re.search(sel.block, b)), None)
        if block is None:
            return None
    row = _select_row(table, block, sel.row)
    if row is None and sel.block in ("first", "last") and sel.row not in ("total", ".*"):
        # side-by-side layouts differ (收入 | 功能分类 | 支出用途): a named row may stand in another block
        order = blocks if sel.block == "first" else blocks[::-1]
        row = next((r for b in order[1:] if (r := _select_row(table, b, sel.row)) is not None), None)
    if row is None:
        return None
    cols = [c for c in row.cells if row.cells[c].value is not None or row.cells[c].text]
    if not cols and empty:
        cols = list(row.cells)
    if sel.column:
        col = next((c for c in row.cells if re.fullmatch(sel.column, c)), None)
    else:
        col = cols[0] if cols else None
    if col is None or col not in row.cells:
        return None
    return table, row, col


def _select_row(table: Table, block: str | None, pattern: str) -> Row | None:
    rows = table.rows_in(block)
    if pattern == "total":
        return table.total_row(block)
    if pattern.startswith("code:"):
        return next((r for r in rows if r.code == pattern[5:]), None)
    return next((r for r in rows if re.fullmatch(pattern, r.name)), None)


def check_cross(tables: list[Table], rules: Rules) -> list[Finding]:
    out: list[Finding] = []
    if rules.cross is None:
        return out
    for rule in rules.cross.equalities:
        if rule.by_class:
            out.extend(_cross_by_class(tables, rule.left[0], rule.right[0], rule.description))
            continue
        left = [(s, select_cell(tables, s)) for s in rule.left]
        right = [(s, select_cell(tables, s)) for s in rule.right]
        if any(x is None and not s.optional for s, x in (*left, *right)):
            continue
        lsel = [x for _, x in left if x is not None]
        rsel = [x for _, x in right if x is not None]
        if not lsel or not rsel:
            continue
        if len({t.scale for t, _, _ in (*lsel, *rsel)}) > 1:
            continue  # tables printed in different units (元 and 万元): rounding differs, not compared
        if len(lsel) == 1:
            total, parts = lsel[0], rsel
        elif len(rsel) == 1:
            total, parts = rsel[0], lsel
        else:
            continue
        what = "tables disagree" if rule.code == "T108" else "total ≠ sum of its rows"
        f = sum_finding(
            rule.code,
            f"{what} ({rule.description})",
            total,
            parts,
            parts_desc=" + ".join(f"{tb.id} {tb.title} [{r.name}] [{c}]" for tb, r, c in parts),
        )
        if f:
            out.append(f)
    return out


def _cross_by_class(tables: list[Table], a: CellSelector, b: CellSelector, desc: str) -> list[Finding]:
    out: list[Finding] = []
    ta = next((t for t in tables if t.kind == a.table), None)
    tb = next((t for t in tables if t.kind == b.table), None)
    if ta is None or tb is None or ta.scale != tb.scale:
        return out
    arows = ta.rows_in(_block(ta, a.block))
    for rb in tb.rows:
        if not rb.code or len(rb.code) != 3:
            continue
        ra = next((r for r in arows if r.name == rb.name), None)
        if ra is None:
            continue
        ca = _pick(ra, a.column)
        cb = _pick(rb, b.column)
        if ca is None or cb is None:
            continue
        f = sum_finding(
            "T108",
            f"tables disagree ({desc})",
            (ta, ra, ca),
            [(tb, rb, cb)],
            parts_desc=f"{tb.id} {rb.key()} [{cb}] {_fmt(rb.cells[cb].amount)}",
        )
        if f:
            out.append(f)
    return out


def _block(t: Table, sel: str | None) -> str | None:
    if not sel:
        return None
    blocks = t.blocks()
    if sel == "first":
        return blocks[0]
    if sel == "last":
        return blocks[-1]
    return next((b for b in blocks if re.search(sel, b)), None)


def _pick(row: Row, column: str | None) -> str | None:
    if column:
        return next((c for c in row.cells if re.fullmatch(column, c)), None)
    cols = _cols(row)
    return cols[0] if cols else None


# ---------------------------------------------------------------------- driver
def check_tables(tables: Iterable[Table], rules: Rules) -> list[Finding]:
    tables = list(tables)
    out: list[Finding] = []
    for t in tables:
        if t.problems:
            out.append(
                Finding(
                    check="I002",
                    status="unverifiable",
                    message=f"{t.id} {t.title}: " + "; ".join(t.problems),
                    spans=(t.title_span,) if t.title_span else (),
                )
            )
            continue
        kind = rules.table_kind(t.kind)
        names = kind.checks if kind else []
        for name in names:
            fn = CHECKS.get(name)
            if fn is None:
                raise KeyError(f"rules name an unknown check {name!r} (table kind {t.kind})")
            out.extend(fn(t, rules))
        out.extend(check_notes(t))
    out.extend(check_cross([t for t in tables if not t.problems], rules))
    return out
