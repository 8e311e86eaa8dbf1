"""The clean report's JSON, indexed for mutant generation."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .intervals import UNIT_FACTOR, Printed, parse_printed
from .mutant import Report


class ReportIndex:
    """The clean report, indexed for mutant generation."""

    def __init__(self, text: str, report: Report) -> None:
        self.text = text
        self.claims: dict[str, dict[str, Any]] = {c["id"]: c for c in report.get("claims", [])}
        self.findings: list[dict[str, Any]] = list(report.get("findings", []))
        self.verified = [f for f in self.findings if f["status"] == "verified"]
        self.inconsistent_claims = {
            cid for f in self.findings if f["status"] == "inconsistent" for cid in f.get("claims", [])
        }
        self._starts = line_starts(text)
        # the unit each table is printed in (a table in 元 is read as 万元 by the checker)
        self.table_units: dict[str, str] = {t["id"]: t.get("unit") or "万元" for t in report.get("tables", [])}

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos)

    def sound(self, cid: str) -> bool:
        """The claim exists and no check found it inconsistent."""
        c = self.claims.get(cid)
        return c is not None and c.get("status") != "inconsistent" and cid not in self.inconsistent_claims

    def clean(self, cid: str) -> bool:
        """The claim's own check verified it (and none found it inconsistent)."""
        return self.sound(cid) and self.claims[cid].get("status") == "verified"

    def num(self, cid: str) -> Printed | None:
        """The printed number of a claim, read from the text at its number span."""
        c = self.claims.get(cid)
        if c is None or c.get("value") is None or not c.get("number_span"):
            return None
        a, b = c["number_span"]
        raw = self.text[a:b]
        p = parse_printed(raw)
        if p is None:
            return None
        factor = UNIT_FACTOR.get(c.get("unit") or "万元", Decimal(1))
        return Printed((a, b), raw, p[0], p[1], factor)

    def cell_num(self, cell: Mapping[str, Any]) -> Printed | None:
        span = cell.get("span")
        if not span:
            return None
        raw = self.text[span[0] : span[1]]
        p = parse_printed(raw)
        if p is None:
            return None
        # trim to the digits (a cell span may carry surrounding spaces)
        m = re.search(r"\d[\d,.\s]*\d|\d", raw)
        if m is None:
            return None
        factor = UNIT_FACTOR.get(self.table_units.get(str(cell.get("table")), "万元"), Decimal(1))
        return Printed((span[0] + m.start(), span[0] + m.end()), m.group(0), p[0], p[1], factor)

    def by_check(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        return [f for f in self.verified if f["check"] in codes]


def line_starts(text: str) -> list[int]:
    starts: list[int] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        starts.append(pos)
        pos += len(raw)
    return starts or [0]
