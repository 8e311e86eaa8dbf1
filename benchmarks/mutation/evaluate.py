"""Was a mutant caught? New inconsistent findings that touch the edit, and the others."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .mutant import Key, Mutant, Outcome, Report, Span


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def inconsistent_findings(report: Report) -> list[dict[str, Any]]:
    return [f for f in report.get("findings", []) if f.get("status") == "inconsistent"]


def finding_key(f: Mapping[str, Any], mutant: Mutant | None = None) -> Key:
    """A message-independent identity of a finding: its check and its spans (original offsets)."""
    spans: list[Span] = []
    for s in f.get("spans", []):
        a, b = int(s[0]), int(s[1])
        if mutant is not None:
            a, b = mutant.to_original(a), mutant.to_original(b)
        spans.append((a, b))
    return str(f["check"]), tuple(sorted(set(spans)))


def baseline_keys(report: Report) -> set[Key]:
    """Keys of the clean report's inconsistent findings (subtracted from every mutant's)."""
    return {finding_key(f) for f in inconsistent_findings(report)}


def evaluate(mutant: Mutant, report: Report, baseline: set[Key] | None = None) -> Outcome:
    """Was the injected error caught, and what else was flagged?

    A new inconsistent finding (one whose key is not in ``baseline``) that touches one of
    the mutant's targets catches it; every other new inconsistent finding is a false flag.
    """
    base = baseline or set()
    out = Outcome(detected=False)
    for f in inconsistent_findings(report):
        if finding_key(f, mutant) in base:
            continue
        spans = [tuple(s) for s in f.get("spans", [])]
        if any(_overlaps(s, t) for s in spans for t in mutant.targets):
            out.hits.append(f)
        else:
            out.false_flags.append(f)
    out.detected = bool(out.hits)
    for c in report.get("claims", []):
        span = c.get("span")
        if span and _overlaps(span, mutant.span):
            out.edited_claims.append(
                {
                    k: c.get(k)
                    for k in ("id", "text", "quantity", "subject", "value", "unit", "status", "reason")
                    if k in c
                }
            )
    return out
