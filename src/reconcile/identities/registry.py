"""The registry of table checks: each check is registered under the name the rules use
(``rules/tables.yaml`` names the checks of each table kind), and ``check_tables`` runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..findings import Finding, spec
from ..model import Table
from ..rules import Rules
from .cross import check_cross
from .notes import check_notes

__all__ = ["CHECKS", "TableCheck", "check", "check_tables"]

TableCheck = Callable[[Table, Rules], list[Finding]]
CHECKS: dict[str, TableCheck] = {}


def check(name: str) -> Callable[[TableCheck], TableCheck]:
    """Register the decorated function as the check the rules call ``name``."""

    def deco(fn: TableCheck) -> TableCheck:
        CHECKS[name] = fn
        return fn

    return deco


def check_tables(tables: Iterable[Table], rules: Rules) -> list[Finding]:
    """Run on each table the checks its kind names, then its notes check; then the checks
    across tables. A table whose reading had problems is reported (I002), not checked."""
    tables = list(tables)
    out: list[Finding] = []
    for t in tables:
        if t.problems:
            out.append(
                Finding(
                    check="I002",
                    status="unverifiable",
                    message=spec("I002").message(
                        "unverifiable", {"table": t.id, "title": t.title, "problems": "; ".join(t.problems)}
                    ),
                    spans=(t.title_span,) if t.title_span else (),
                )
            )
            continue
        kind = rules.table_kind(t.kind, t.template)
        names = kind.checks if kind else []
        for name in names:
            fn = CHECKS.get(name)
            if fn is None:
                raise KeyError(f"rules name an unknown check {name!r} (table kind {t.kind})")
            out.extend(fn(t, rules))
        out.extend(check_notes(t))
    out.extend(check_cross([t for t in tables if not t.problems], rules))
    return out
