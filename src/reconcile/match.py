"""Matching a narrative claim to the table cell it speaks about.

Candidates come from ``rules/match.yaml`` (subject → cell selectors); the section's
scope decides between candidates from different tables. When the candidates that
remain disagree, nothing is guessed: the match says so and the claim stays
unverifiable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .claims import Claim
from .identities import select_cell
from .model import Cell, Row, Table, compact, human_name
from .numbers import Interval
from .rules import Locator, MatchRules, Rules

__all__ = [
    "BUDGET_FIGURES",
    "CellMatch",
    "ClassPath",
    "MatchRules",
    "claim_fund",
    "find_cells",
    "fund_named",
    "load_match_rules",
    "marked_path",
    "path_rows",
    "paths_in",
    "same_name",
    "widened_scopes",
]


def load_match_rules(rules: Rules) -> MatchRules:
    return rules.match


@dataclass(frozen=True, slots=True)
class CellMatch:
    table: Table
    row: Row
    column: str
    plus: tuple[Row, ...] = ()  # rows whose cells add to this one (a figure the table splits)

    @property
    def cell(self) -> Cell:
        return self.row.cells[self.column]

    def _cells(self) -> list[Cell]:
        return [self.cell, *(r.cells[self.column] for r in self.plus)]

    @property
    def value(self) -> Decimal:
        """The cell (or the sum of the cells) in 万元; a table printed in 元 is scaled."""
        return sum((c.amount for c in self._cells()), Decimal(0)) * self.table.scale

    @property
    def interval(self) -> Interval:
        """The printed cell's interval (or the sum of the cells' intervals), in 万元."""
        return Interval.sum([c.interval for c in self._cells()]).scale(self.table.scale)

    def label(self) -> str:
        printed = self.cell.text or self.cell.value
        unit = f" (printed {printed}{self.table.unit})" if self.table.scale != 1 and printed is not None else ""
        unit = " (left blank)" if printed is None else unit
        rows = " + ".join(f"[{r.key()}]" for r in (self.row, *self.plus) if r.key())
        return f"{self.table.id} {self.table.title} {rows + ' ' if rows else ''}[{human_name(self.column)}]{unit}"


def widened_scopes(tables: list[Table], mrules: MatchRules) -> dict[str, tuple[str, ...]]:
    """Section table kind → the further table kinds the section speaks of (``covers``)."""
    out: dict[str, tuple[str, ...]] = {}
    kinds = {t.kind for t in tables}
    for cv in mrules.covers:
        if cv.also not in kinds:
            continue
        hit = select_cell(tables, cv.zero)
        if hit is None:
            continue
        _, row, col = hit
        if row.cells[col].amount == 0:  # an empty cell means zero in these templates
            out[cv.scope] = (*out.get(cv.scope, ()), cv.also)
    return out


# the figures that are a budget (a claim with one is compared with a 预算 cell)
BUDGET_FIGURES = ("预算", "年初预算", "全年预算", "调整预算")


def _figure_ok(claim_figure: str | None, loc_figure: str | None, doc_kind: str) -> bool:
    want = "预算" if claim_figure in BUDGET_FIGURES else "决算"
    if loc_figure is None:
        # plain cells hold the document's own figure: 决算 in a final account, 预算 in a budget
        own = "预算" if doc_kind == "budget" else "决算"
        if doc_kind == "budget":
            return True
        return want == own
    return want == loc_figure


def find_cells(
    claim: Claim,
    subject: str | None,
    tables: list[Table],
    mrules: MatchRules,
    doc_kind: str,
    figure: str | None,
    path: ClassPath = (),
    head: str = "",
) -> tuple[list[CellMatch], str]:
    """Candidate cells for ``subject``; returns (cells, how) where how explains the choice (no
    cells: why). ``path``, the 类/款/项 chain right before the amount (:func:`marked_path`),
    decides the row. ``head``: the sentence before its first number (:func:`claim_fund`)."""
    cands: list[CellMatch] = []
    unread = {t.kind for t in tables if t.problems}
    tables = [t for t in tables if not t.problems]  # a table whose columns could not be aligned is not read
    if path:
        if figure in BUDGET_FIGURES and doc_kind != "budget":
            return [], "the tables hold no budget figure for this item"
        scope = set(claim.scope)
        for cl in mrules.classification:
            if cl.scoped and cl.table not in scope:
                continue
            for tb in tables:
                if tb.kind != cl.table:
                    continue
                for prow in path_rows(tb, path):
                    col = _class_column(prow, cl.column)
                    if col is not None:
                        cands.append(CellMatch(tb, prow, col))
        named = "".join(f"{n}（{lvl}）" if lvl != "code" else n for lvl, n in path)
        if not cands:
            return [], f"no table row is {named}"
        if scope and not any(c.table.kind in scope for c in cands):
            # the section speaks of another table (e.g. all funds in 收支总表, while the
            # function table holds 财政拨款 only): the same name is another quantity
            kinds = ", ".join(sorted({c.table.kind for c in cands}))
            return [], f"{named} is a row of {kinds}, not of the table this section speaks of"
    elif subject and subject in mrules.subjects:
        for loc in mrules.subjects[subject]:
            if not _figure_ok(figure, loc.figure, doc_kind) or (loc.scoped and loc.table not in claim.scope):
                continue
            hit = select_cell(tables, loc, empty=True)
            if hit is not None:
                got = _with_plus(hit, loc)
                if got is not None:
                    cands.append(got)
    elif claim.classification:
        if figure in BUDGET_FIGURES and doc_kind != "budget":
            return [], "the tables hold no budget figure for this item"
        for cl in mrules.classification:
            t = next((x for x in tables if x.kind == cl.table), None)
            if t is None:
                continue
            row = _class_row(t, claim.classification)
            if row is None:
                continue
            col = _class_column(row, cl.column)
            if col is not None:
                cands.append(CellMatch(t, row, col))
    cands, why = _of_claims_fund(cands, claim_fund(claim, subject, head, mrules), mrules)
    if why:
        return [], why
    if not cands:
        if subject and subject in mrules.subjects:
            return [], f"no table of this document holds {subject}"
        return [], f"no table cell is known for “{subject or claim.subject_raw or '?'}”"
    scope = set(claim.scope)
    in_scope = [c for c in cands if c.table.kind in scope]
    if not in_scope and scope & unread:
        # the section's own table could not be read: another table's cell is not a stand-in
        return [], f"the table this section speaks of ({', '.join(sorted(scope & unread))}) could not be read"
    pool = in_scope or cands
    if path and in_scope:
        pool = [c for c in in_scope if c.table.kind == claim.scope[0]] or in_scope
    values = {c.value for c in pool}
    if len(values) == 1:
        return pool, "in the section's table" if in_scope else "in the tables"
    return pool, "ambiguous"


def fund_named(text: str | None, mrules: MatchRules) -> str | None:
    """The one fund (match.yaml ``funds``) ``text`` names, if it names exactly one."""
    if not text:
        return None
    named = [name for name, f in mrules.funds.items() if any(w in text for w in f.words)]
    return named[0] if len(named) == 1 else None


def claim_fund(claim: Claim, subject: str | None, head: str, mrules: MatchRules) -> str | None:
    """The fund a claim speaks of: the one its subject names, else the one its sentence names
    before its first number (``head``), else, when the sentence names no fund at all (not even
    the general one), the fund whose tables are all its section speaks of
    (七、政府性基金预算财政拨款收入支出决算情况说明)."""
    named = fund_named(subject, mrules) or fund_named(head, mrules)
    if named or any(w in head for w in mrules.general_fund):
        return named
    scope = set(claim.scope)
    funds = [name for name, f in mrules.funds.items() if scope and scope <= set(f.tables)]
    return funds[0] if len(funds) == 1 else None


def _cell_fund(m: CellMatch, mrules: MatchRules) -> str | None:
    """The fund a cell holds the money of: its table's, or the one its column or (uncoded) row names."""
    for name, f in mrules.funds.items():
        if m.table.kind in f.tables:
            return name
    return fund_named(m.column, mrules) or (fund_named(m.row.label, mrules) if m.row.code is None else None)


def _of_claims_fund(cands: list[CellMatch], fund: str | None, mrules: MatchRules) -> tuple[list[CellMatch], str]:
    """The candidates of the claim's fund, and why none is when every candidate is of another."""
    kept = [c for c in cands if _cell_fund(c, mrules) == fund]
    if cands and not kept:
        return [], _fund_reason(fund, cands[0], mrules)
    return kept, ""


def _fund_reason(fund: str | None, m: CellMatch, mrules: MatchRules) -> str:
    held = _cell_fund(m, mrules)
    if fund is None:
        return f"{m.label()} holds {held} money only, and the claim names no fund"
    return f"the claim speaks of {fund} money, while {m.label()} holds {held or 'all funds'}"


def _with_plus(hit: tuple[Table, Row, str], loc: Locator) -> CellMatch | None:
    table, row, col = hit
    if loc.classes and not {r.code for r in table.rows if r.code and len(r.code) == 3} <= set(loc.classes):
        return None
    plus: list[Row] = []
    for sel in loc.plus:
        other = next((r for r in table.rows if sel.startswith("code:") and r.code == sel[5:]), None)
        if other is None or col not in other.cells:
            return None
        plus.append(other)
    return CellMatch(table, row, col, tuple(plus))


ClassPath = tuple[tuple[str, str], ...]
_LEVEL_LEN = {"类": 3, "款": 5, "项": 7}
# one element of a 类/款/项 chain: a name (which may hold a short bracket such as
# 维修（护）费) followed by its level marker
_ELEMENT_RE = re.compile(
    r"((?:[^\s，,。；;：:（）()、.．\d\"'“”‘’]|（[^类款项（）\d一二三四五六七八九十]{1,4}）)+?)（([类款项])）"
)
_CLAUSE_END = re.compile(r"[，,。；;：:]")
_TAIL_MAX = 8
_YEAR_RE = re.compile(r"(?:19|20)\d\d年度?")
# what may stand between a heading chain's colon and its amount: the figure's name only
_COLON_TAIL_RE = re.compile(r"(?:预算|决算)?(?:支出|收入)?(?:预算|决算)?数?(?:合计|总计|小计)?(?:为|是)?")


def marked_path(before: str) -> ClassPath:
    """The 类/款/项 chain that ends right before an amount.

    ``before`` is the text from the start of the line to the number. The chain must
    stand in the same clause as the number with at most a few words between its last
    marker and the number (“政协事务（款）行政运行（项）支出 3,233.03”), so that a class
    named earlier in a sentence does not claim a later amount.
    """
    parts = _CLAUSE_END.split(compact(before))
    clause = parts[-1]
    elements = list(_ELEMENT_RE.finditer(clause))
    # a heading chain, a colon, then the amount: “检察（款）: 2018年预算支出合计16,444.36万元”
    if (
        not elements
        and len(parts) > 1
        and re.search(r"[：:]$", compact(before)[: -len(clause) or None])
        and _COLON_TAIL_RE.fullmatch(_YEAR_RE.sub("", clause))
    ):
        clause = parts[-2]
        elements = list(_ELEMENT_RE.finditer(clause))
    if not elements:
        return _coded_item(clause)
    last = elements[-1]
    tail = clause[last.end() :]
    tail = tail.strip("\"'“”‘’")
    if len(tail) > _TAIL_MAX or re.search(r"\d", tail):
        return ()
    chain = [last]
    for m in reversed(elements[:-1]):
        if m.end() != chain[-1].start():
            break
        chain.append(m)
    return tuple((m.group(2), m.group(1)) for m in reversed(chain))


# an item named by its code: “（一）2040201-行政运行22431.07万元”, “2010601 行政运行”
_CODED_RE = re.compile(
    r"(?<![\d.])(?P<code>\d{3}|\d{5}|\d{7})[-－—–]?(?P<name>[^\d，,。；;：:（）()、\-－—–]{2,30}?)"
    r"(?:支出)?(?:预算|决算)?数?(?:为|是)?$"
)
# … or by its name and then its code in brackets: “12.其他社会保障和就业支出（2089999）195.59万元”
_NAMED_CODE_RE = re.compile(
    r"(?P<name>[^\d，,。；;：:（）()、\-－—–.．]{2,30}?)[（(](?P<code>\d{3}|\d{5}|\d{7})[）)]"
    r"(?:支出)?(?:预算|决算)?数?(?:为|是)?$"
)
_CODE_LEVEL = {3: "类", 5: "款", 7: "项"}


def _coded_item(clause: str) -> ClassPath:
    """The item of a clause that ends with its code and name (the code then decides the row)."""
    m = _CODED_RE.search(clause) or _NAMED_CODE_RE.search(clause)
    if m is None:
        return ()
    return (("code", m.group("code")), (_CODE_LEVEL[len(m.group("code"))], m.group("name")))


def paths_in(text: str) -> list[ClassPath]:
    """Every 类/款/项 chain written in ``text``, in order."""
    out: list[ClassPath] = []
    chain: list[re.Match[str]] = []
    for m in _ELEMENT_RE.finditer(compact(text)):
        if chain and m.start() != chain[-1].end():
            out.append(tuple((x.group(2), x.group(1)) for x in chain))
            chain = []
        chain.append(m)
    if chain:
        out.append(tuple((x.group(2), x.group(1)) for x in chain))
    return out


def same_name(label: str, name: str) -> bool:
    a, b = compact(label), compact(name)
    return a == b or a.removesuffix("支出") == b.removesuffix("支出")


def path_rows(table: Table, path: ClassPath) -> list[Row]:
    """The coded rows of ``table`` that fit a 类/款/项 chain (an ancestor missing from
    the table does not exclude a row; one present under another name does)."""
    codes = [n for lvl, n in path if lvl == "code"]
    path = tuple(p for p in path if p[0] != "code")
    level, name = path[-1]
    n = _LEVEL_LEN[level]
    if not any(r.code for r in table.rows):
        # a summary table lists the classes by name only (一、一般公共服务支出)
        if level != "类" or len(path) > 1:
            return []
        return [r for r in table.rows if same_name(r.name, name)]
    by_code: dict[str, list[Row]] = {}
    for r in table.rows:
        if r.code:
            by_code.setdefault(r.code, []).append(r)

    def named(r: Row) -> bool:
        if same_name(r.name, name):
            return True
        # a name that holds 、 is read from its last part: “公诉、审判、侦查、执行等检察监督支出（项）”
        row_name = compact(r.name)
        if row_name.endswith(compact(name)) and row_name[: -len(compact(name))].endswith("、"):
            return True
        # the parent written without its own marker: 人大事务行政运行（项）
        whole = compact(name)
        if not whole.endswith(r.name) or len(whole) == len(r.name):
            return False
        head = whole[: -len(r.name)]
        return any(same_name(a.name, head) for k in (3, 5) if k < n for a in by_code.get((r.code or "")[:k], []))

    rows = [r for r in table.rows if r.code and len(r.code) == n and named(r) and (not codes or r.code == codes[0])]
    for alevel, aname in path[:-1]:
        k = _LEVEL_LEN[alevel]
        if k >= n:
            return []
        rows = [
            r
            for r in rows
            if not by_code.get((r.code or "")[:k]) or any(same_name(a.name, aname) for a in by_code[(r.code or "")[:k]])
        ]
    return rows


def _class_column(row: Row, pattern: str) -> str | None:
    col = next((c for c in row.cells if re.fullmatch(pattern, c)), None)
    if col is None and len(row.cells) == 1:
        col = next(iter(row.cells))
    return col


def _class_row(table: Table, path: tuple[str, ...]) -> Row | None:
    """The row of a 类/款/项 path; a 款 row missing from the table is skipped."""
    names = [compact(re.sub(r"（[类款项]）$", "", p)) for p in path][:3]

    def find(length: int, prefix: str, name: str) -> Row | None:
        for r in table.rows:
            if r.code and len(r.code) == length and r.code.startswith(prefix) and same_name(r.name, name):
                return r
        return None

    cls = find(3, "", names[0])
    if cls is None or cls.code is None:
        return None
    if len(names) == 1:
        return cls
    kuan = find(5, cls.code, names[1])
    if len(names) == 2:
        return kuan
    return find(7, kuan.code if kuan and kuan.code else cls.code, names[2])


def as_dict(m: CellMatch) -> dict[str, Any]:
    return {"table": m.table.id, "row": m.row.key(), "column": m.column, "value": m.value}
