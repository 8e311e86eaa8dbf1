"""Templates (templates/*.yaml): one file per family of documents.

A family (the national 部门决算, the national 部门预算, Jiangsu's 部门预算, Beijing's
预算01表…) prints the canonical tables of tables.yaml under its own titles and with
its own columns. Its template adds, per canonical kind: title patterns (hints: the
kind is still decided by the title), fixed column layouts, and the cross-table
equalities that hold between its tables. docs/templates.md walks through writing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from .base import After, Limits, Strict, check_regex
from .tables import CrossRule, RowSum

__all__ = ["Template"]


def _titles(v: dict[str, list[str]]) -> dict[str, list[str]]:
    for pats in v.values():
        for p in pats:
            check_regex(p)
    return v


@dataclass(frozen=True, slots=True, kw_only=True)
class Template(Strict):
    schema_version: Literal[1]
    kind: Literal["template"]
    id: Annotated[str, Limits(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    doc: Literal["final_account", "budget", "any"] = "any"
    # where the family is published (documentation and the region hint of a batch)
    provinces: tuple[str, ...] = ()
    # canonical kind → more title patterns (compacted title, full match), tried after the kind's own
    titles: Annotated[dict[str, list[str]], After(_titles)] = field(default_factory=dict)
    # canonical kind → fixed column layouts (chosen by column count when a header cannot be aligned)
    layouts: dict[str, list[list[str]]] = field(default_factory=dict)
    # canonical kind → the identity checks of this family's table, in place of the kind's own
    checks: dict[str, list[str]] = field(default_factory=dict)
    # canonical kind → the row sums of this family's table (which columns add up), in place of the kind's own
    row_sums: dict[str, list[RowSum]] = field(default_factory=dict)
    # cross-table equalities between this family's tables (they apply to its tables only
    # when the template has titles, else to every document)
    equalities: list[CrossRule] = field(default_factory=list)
    # ids of other templates' equalities that do not hold between this family's tables
    excludes: list[str] = field(default_factory=list)
