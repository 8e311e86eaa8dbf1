"""The registry of table checks: each check is registered under the name the rules use
(``rules/tables.yaml`` names the checks of each table kind), and ``check_tables`` runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..findings import Finding, spec
from ..model import Table
from ..rules import Rules
from .compare import Tally, tally
from .cross import check_cross
from .notes import check_notes

__all__ = ["CHECKS", "TableCheck", "check", "check_tables", "check_tables_counted"]

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
    return check_tables_counted(tables, rules)[0]


def check_tables_counted(tables: Iterable[Table], rules: Rules) -> tuple[list[Finding], dict[str, dict[str, int]]]:
    """:func:`check_tables`, and per identity code how many identities were checked and how
    many held (``{"T101": {"checked": n, "held": m}}``; a doubted table's are not counted)."""
    tables = list(tables)
    out: list[Finding] = []
    total = Tally()
    for t in tables:
        with tally() as own:
            found = [] if t.problems else _own_checks(t, rules)
        if not t.problems:
            total.add(own)
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
        out.extend(found)
    with tally() as cross:
        out.extend(check_cross([t for t in tables if not t.problems], rules))
    total.add(cross)
    counts = {code: {"checked": n, "held": held} for code, (n, held) in sorted(total.by_code.items())}
    return out, counts


# a table whose sums mostly fail was read wrongly: its reading is doubted, not the document
DOUBT_MIN_FAILED = 5
DOUBT_SHARE = 0.5


def _own_checks(t: Table, rules: Rules) -> list[Finding]:
    """The table's own checks; when most of the sums of one check fail (at least
    DOUBT_MIN_FAILED), the reading is in doubt: the table gets a problem (reported I002,
    used for no flag)."""
    kind = rules.table_kind(t.kind, t.template)
    out: list[Finding] = []
    for name in kind.checks if kind else []:
        fn = CHECKS.get(name)
        if fn is None:
            raise KeyError(f"rules name an unknown check {name!r} (table kind {t.kind})")
        with tally() as n:
            out.extend(fn(t, rules))
        if n.failed >= DOUBT_MIN_FAILED and n.failed > DOUBT_SHARE * n.compared:
            t.problems.append(
                f"{n.failed} of its {n.compared} {name} sums fail: its columns or rows are probably misread, "
                "so none is reported"
            )
            return []
    return [*out, *check_notes(t)]
