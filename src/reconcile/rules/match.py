"""Matching rules (match.yaml): where each narrative subject stands in the tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .base import Strict
from .tables import CellSelector

__all__ = ["ClassLocator", "Cover", "Fund", "Locator", "MatchRules"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Locator(CellSelector):
    figure: str | None = None
    # only for claims whose section speaks about this table
    scoped: bool = False
    # more rows whose cells (same column) add to the first one: 人员经费 = 301 + 303
    plus: tuple[str, ...] = ()
    # the locator holds only when the table's 3-digit classes are among these
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassLocator(Strict):
    table: str
    column: str
    # only for claims whose section speaks about this table (economic-class tables
    # hold basic expenditure only, a section may speak of all expenditure)
    scoped: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Cover(Strict):
    """A section about ``scope`` also speaks of ``also`` when ``zero`` (a cell) is 0 or
    empty: all 一般公共预算财政拨款支出 is basic, so its breakdown by economic class is
    the basic-expenditure table's."""

    scope: str
    also: str
    zero: CellSelector


@dataclass(frozen=True, slots=True, kw_only=True)
class Fund(Strict):
    """One fund (政府性基金预算, 国有资本经营预算): the words that name it and the tables that
    hold its money only."""

    words: list[str]
    tables: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchRules(Strict):
    schema_version: Literal[1]
    kind: Literal["match"]
    subjects: dict[str, list[Locator]]
    classification: list[ClassLocator]
    unique: list[list[str]]
    subset_cues: list[str] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    funds: dict[str, Fund] = field(default_factory=dict)
    general_fund: list[str] = field(default_factory=list)
