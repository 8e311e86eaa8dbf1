"""One finding per root cause (issue 14): inconsistent table findings that are consequences of
one error are grouped under a root finding, none is deleted.

Two inconsistent findings of the tables' identities (T codes) belong together when they differ
by the same amount and either rest on a common cell (one wrong cell that breaks several sums),
or are the same check on rows of one classification chain in the same column (类 229, 款 22999,
项 2299999: one figure carried up the levels). The root of a group is its member with the most
certain likely cause, then the first in document order; it lists the others in ``consequences``,
and each of them names it in ``caused_by`` (added fields of the JSON findings).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["group_findings"]


def _difference(f: Mapping[str, Any]) -> Decimal | None:
    disp = f.get("display") or {}
    d = disp.get("difference") if isinstance(disp, Mapping) else None
    if d is None:
        return None
    return abs(Decimal(str(d)))


def _cells(f: Mapping[str, Any]) -> set[tuple[str, str, str]]:
    return {(str(c.get("table")), str(c.get("row")), str(c.get("column"))) for c in f.get("cells") or []}


def _chain(f: Mapping[str, Any]) -> tuple[str, str, str, str] | None:
    """(check, table, column, code) of the total cell of a finding on a coded row."""
    cells = f.get("cells") or []
    if not cells:
        return None
    first = cells[0]
    code = str(first.get("row") or "").split(" ")[0]
    return (str(f.get("check")), str(first.get("table")), str(first.get("column")), code) if code.isdigit() else None


def _linked(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    da, db = _difference(a), _difference(b)
    if da is None or da != db or da == 0:
        return False
    if _cells(a) & _cells(b):
        return True
    ca, cb = _chain(a), _chain(b)
    if ca is None or cb is None or ca[:3] != cb[:3]:
        return False
    return ca[3].startswith(cb[3]) or cb[3].startswith(ca[3])


def group_findings(findings: list[dict[str, Any]]) -> None:
    """Add ``consequences`` to each root finding and ``caused_by`` to the findings it explains."""
    members = [f for f in findings if f.get("status") == "inconsistent" and str(f.get("check", "")).startswith("T")]
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            if _linked(a, members[j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[dict[str, Any]]] = {}
    for i, f in enumerate(members):
        groups.setdefault(find(i), []).append(f)
    for group in groups.values():
        if len(group) < 2:
            continue
        root = min(group, key=lambda f: (int((f.get("likely_cause") or {}).get("rank", 9)), str(f["id"])))
        root["consequences"] = [str(f["id"]) for f in group if f is not root]
        for f in group:
            if f is not root:
                f["caused_by"] = str(root["id"])
