"""References between rule files, checked when the rules are loaded.

A table kind named anywhere (match.yaml, sections.yaml, a template) must exist in
tables.yaml; a check named in tables.yaml must be a registered identity check; the
regular expressions inside selectors must compile. Each mistake is one line naming
the file, the rule and the field, so a misspelling fails at load, not silently later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .base import RuleError
from .tables import CellSelector

if TYPE_CHECKING:
    from .loader import Rules

__all__ = ["check_references"]


def check_references(rules: Rules) -> None:
    problems = [
        *_checks_named(rules),
        *_kinds_in_match(rules),
        *_kinds_in_sections(rules),
        *_kinds_in_templates(rules),
    ]
    if problems:
        raise RuleError("\n".join(problems))


def _kinds(rules: Rules) -> set[str]:
    return {k.kind for k in rules.table_kinds}


def _checks_named(rules: Rules) -> Iterator[str]:
    from ..identities import CHECKS  # the registry fills as identities is imported

    for k in rules.table_kinds:
        where = (
            f"templates/{k.template}.yaml: checks {k.kind}"
            if k.template
            else f"tables.yaml: tables (rule {k.kind!r}) checks"
        )
        for name in k.checks:
            if name not in CHECKS:
                yield (f"{rules.directory}/{where}: unknown check {name!r} (known: {', '.join(sorted(CHECKS))})")


def _selector(where: str, sel: CellSelector, kinds: set[str]) -> Iterator[str]:
    if sel.table not in kinds:
        yield f"{where} table: unknown table kind {sel.table!r}"
    for field in ("block", "row", "column"):
        value = getattr(sel, field)
        if value is None or value in ("first", "last", "total") or value.startswith("code:"):
            continue
        try:
            re.compile(value)
        except re.error as exc:
            yield f"{where} {field}: invalid regular expression {value!r}: {exc}"


def _kinds_in_match(rules: Rules) -> Iterator[str]:
    path, kinds = rules.directory / "match.yaml", _kinds(rules)
    for subject, locators in rules.match.subjects.items():
        for i, loc in enumerate(locators):
            yield from _selector(f"{path}: subjects {subject} [{i}]", loc, kinds)
    for i, c in enumerate(rules.match.classification):
        if c.table not in kinds:
            yield f"{path}: classification [{i}] table: unknown table kind {c.table!r}"
    for i, cover in enumerate(rules.match.covers):
        for field in ("scope", "also"):
            if getattr(cover, field) not in kinds:
                yield f"{path}: covers [{i}] {field}: unknown table kind {getattr(cover, field)!r}"
        yield from _selector(f"{path}: covers [{i}] zero", cover.zero, kinds)
    for name, fund in rules.match.funds.items():
        for kind in fund.tables:
            if kind not in kinds:
                yield f"{path}: funds {name} tables: unknown table kind {kind!r}"


def _kinds_in_sections(rules: Rules) -> Iterator[str]:
    path, kinds = rules.directory / "sections.yaml", _kinds(rules)
    for rule in rules.sections.scopes:
        for doc in ("final_account", "budget"):
            for kind in getattr(rule.scope, doc):
                if kind not in kinds:
                    yield f"{path}: scopes (rule {rule.id!r}) scope {doc}: unknown table kind {kind!r}"


def _kinds_in_templates(rules: Rules) -> Iterator[str]:
    kinds = _kinds(rules)
    owner: dict[str, str] = {}
    for t in rules.templates:
        for e in t.equalities:
            if e.id in owner:
                yield f"{rules.directory / 'templates' / f'{t.id}.yaml'}: equalities (rule {e.id!r}): id also in {owner[e.id]}.yaml"
            owner.setdefault(e.id, t.id)
    for t in rules.templates:
        path = rules.directory / "templates" / f"{t.id}.yaml"
        for ex in t.excludes:
            if ex not in owner:
                yield f"{path}: excludes: no equality {ex!r} in any template"
        for kind in [*t.checks, *t.row_sums]:
            if kind not in t.titles:
                yield f"{path}: checks/row_sums {kind}: the template gives no title for {kind!r}"
        for field in ("titles", "layouts"):
            for kind in getattr(t, field):
                if kind not in kinds:
                    yield f"{path}: {field} {kind}: unknown table kind {kind!r}"
        for e in t.equalities:
            for side in ("left", "right", "unless"):
                for i, sel in enumerate(getattr(e, side)):
                    yield from _selector(f"{path}: equalities (rule {e.id!r}) {side} [{i}]", sel, kinds)
