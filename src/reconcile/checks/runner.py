"""Run every registered claim check on one document, in the order their needs require."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..claims import Claim
from ..document import Document
from ..findings import Finding
from ..match import load_match_rules, widened_scopes
from ..model import Table
from ..rules import Rules
from ..sections import Section
from .context import ClaimOutcome, Context
from .cues import Cues
from .registry import settled

__all__ = ["check_claims"]


def check_claims(
    doc: Document,
    claims: list[Claim],
    tables: list[Table],
    rules: Rules,
    table_findings: list[Finding] | None = None,
    sections: Sequence[Section] = (),
) -> tuple[list[Finding], dict[str, ClaimOutcome]]:
    """Check every claim; ``table_findings`` mark cells that fail the tables' own identities;
    ``sections`` let the notes that describe a table (本表…与《…》的“…”一致) be checked."""
    mrules = load_match_rules(rules)
    claims = _widen(claims, widened_scopes(tables, mrules))
    ctx = Context(
        doc, claims, {c.id: c for c in claims}, tables, mrules, rules, Cues.build(rules.vocabulary), sections=sections
    )
    for f in table_findings or []:
        if f.status == "inconsistent" and f.cells and f.check != "T109":
            total = f.cells[0]
            ctx.suspect[(total.table, total.row, total.column)] = (f.check, f.expected)
    for c in claims:
        _default_reason(ctx.out(c.id), c)
    for chk in settled():
        chk.fn(ctx)
    return _dedupe(ctx.findings), ctx.outcome


def _default_reason(o: ClaimOutcome, c: Claim) -> None:
    """Why a claim of this kind stays unverifiable when no check speaks of it."""
    if c.quantity == "count":
        o.reason = "a count with nothing in the document to compare it with"
    elif c.quantity == "score":
        o.reason = "a score with no stated parts or total to compare it with"
    elif c.quantity == "change":
        o.reason = "a change whose base year amount is not in this document (no rate to check it against)"
    elif c.quantity == "other" and c.relation:
        o.reason = f"a statement ({c.text}) with nothing to compare it with"


def _widen(claims: list[Claim], more: dict[str, tuple[str, ...]]) -> list[Claim]:
    """Claims whose section speaks of a table that wholly holds another one also speak of that one."""
    if not more:
        return claims
    out = []
    for c in claims:
        extra = [k for s in c.scope for k in more.get(s, ()) if k not in c.scope]
        out.append(replace(c, scope=(*c.scope, *dict.fromkeys(extra))) if extra else c)
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, tuple[object, ...]]] = set()
    out = []
    for f in findings:
        key = (f.check, f.status, (f.message,) if f.check in ("N206", "N213") else tuple(sorted(f.spans)))
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
