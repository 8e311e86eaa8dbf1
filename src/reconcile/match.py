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
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .claims import Claim
from .identities import select_cell
from .model import Cell, Row, Table, compact
from .rules import CellSelector, RuleError, Rules

__all__ = ["CellMatch", "MatchRules", "find_cells", "load_match_rules"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Locator(CellSelector):
    figure: str | None = None


class ClassLocator(_Strict):
    table: str
    column: str


class MatchRules(_Strict):
    schema_version: int
    kind: str
    subjects: dict[str, list[Locator]]
    classification: list[ClassLocator]
    unique: list[list[str]]
    subset_cues: list[str] = []


@lru_cache(maxsize=8)
def _load(path: str) -> MatchRules:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        return MatchRules.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{p}: {exc}") from exc
    except ValidationError as exc:
        msgs = [f"{p.name}: {'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise RuleError("\n".join(msgs)) from None


def load_match_rules(rules: Rules) -> MatchRules:
    return _load(str(rules.directory / "match.yaml"))


@dataclass(frozen=True, slots=True)
class CellMatch:
    table: Table
    row: Row
    column: str

    @property
    def cell(self) -> Cell:
        return self.row.cells[self.column]

    @property
    def value(self) -> Decimal:
        return self.cell.amount

    def label(self) -> str:
        return f"{self.table.id} {self.table.title} [{self.row.key()}] [{self.column}]"


_BUDGET_FIGURES = ("预算", "年初预算", "全年预算", "调整预算")


def _figure_ok(claim_figure: str | None, loc_figure: str | None, doc_kind: str) -> bool:
    want = "预算" if claim_figure in _BUDGET_FIGURES else "决算"
    if loc_figure is None:
        # plain cells hold the document's own figure: 决算 in a final account, 预算 in a budget
        own = "预算" if doc_kind == "budget" else "决算"
        if doc_kind == "budget":
            return True
        return want == own
    return want == loc_figure


def find_cells(
    claim: Claim, subject: str | None, tables: list[Table], mrules: MatchRules, doc_kind: str, figure: str | None
) -> tuple[list[CellMatch], str]:
    """Candidate cells for ``subject``; returns (cells, how) where how explains the choice.

    An empty list with a reason means the claim cannot be matched.
    """
    cands: list[CellMatch] = []
    if subject and subject in mrules.subjects:
        for loc in mrules.subjects[subject]:
            if not _figure_ok(figure, loc.figure, doc_kind):
                continue
            hit = select_cell(tables, loc)
            if hit is not None:
                cands.append(CellMatch(*hit))
    elif claim.classification:
        if figure in _BUDGET_FIGURES and doc_kind != "budget":
            return [], "the tables hold no budget figure for this item"
        for cl in mrules.classification:
            t = next((x for x in tables if x.kind == cl.table), None)
            if t is None:
                continue
            row = _class_row(t, claim.classification)
            if row is None:
                continue
            col = next((c for c in row.cells if re.fullmatch(cl.column, c)), None)
            if col is not None:
                cands.append(CellMatch(t, row, col))
    if not cands:
        if subject and subject in mrules.subjects:
            return [], f"no table of this document holds {subject}"
        return [], f"no table cell is known for “{subject or claim.subject_raw or '?'}”"
    scope = set(claim.scope)
    in_scope = [c for c in cands if c.table.kind in scope]
    pool = in_scope or cands
    values = {c.value for c in pool}
    if len(values) == 1:
        return pool, "in the section's table" if in_scope else "in the tables"
    return pool, "ambiguous"


def _class_row(table: Table, path: tuple[str, ...]) -> Row | None:
    """The row of a 类/款/项 path; a 款 row missing from the table is skipped."""
    names = [compact(re.sub(r"（[类款项]）$", "", p)) for p in path][:3]

    def same(label: str, name: str) -> bool:
        return label == name or label.removesuffix("支出") == name.removesuffix("支出")

    def find(length: int, prefix: str, name: str) -> Row | None:
        for r in table.rows:
            if r.code and len(r.code) == length and r.code.startswith(prefix) and same(r.name, name):
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
