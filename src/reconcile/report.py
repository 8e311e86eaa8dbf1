"""The Report: findings plus summary, in the JSON contract form.

``Report.to_dict()`` produces a document valid against ``reconcile.report/1``
(shared/report.schema.json); every other format is rendered from that dict.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import __version__
from .document import Document
from .findings import CATALOGUE, Finding
from .model import Table
from .places import add_places, page_label
from .places import where as places_of

__all__ = ["FORMATS", "Report", "render"]

FORMATS = ("json", "text", "csv")


def _num(v: Decimal | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() and abs(v) < 10**15 else float(v)


@dataclass
class Report:
    document: Document
    tables: list[Table]
    findings: list[Finding]
    rules_version: str
    claims: list[dict[str, Any]] = field(default_factory=list)

    @property
    def inconsistent(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "inconsistent"]

    def exit_code(self) -> int:
        return 1 if self.inconsistent else 0

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        findings = _findings_part(self.findings, doc)
        data = {
            "schema": "reconcile.report/1",
            "tool": {"name": "reconcile", "version": __version__, "rules_version": self.rules_version},
            "document": _document_part(doc),
            "tables": [_table_part(t) for t in self.tables],
            "claims": self.claims,
            "findings": findings,
            "summary": _summary_part(self.claims, self.findings, findings, len(self.tables)),
            "errors": [{"stage": p.stage, "message": p.message, "page": p.page} for p in doc.problems],
        }
        add_places(data, doc)
        return data


def _document_part(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "sha256": doc.sha256,
        "format": doc.format,
        "kind": doc.kind if doc.kind in ("final_account", "budget") else "unknown",
        "title": doc.title,
        "organization": doc.organization,
        "year": doc.year,
        "pages": len(doc.pages) if doc.pages else None,
        "lines": len(doc.lines),
    }


def _table_part(t: Table) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind,
        "title": t.title,
        "pages": t.pages,
        "span": list(t.span) if t.span else None,
        "lines": list(t.lines) if t.lines else None,
        "rows": len(t.rows),
        "columns": len(t.columns),
        "column_names": t.columns,
        "cells": t.cell_count(),
        "unit": t.unit or "万元",
        "template": t.template,
    }


def _findings_part(findings: list[Finding], doc: Document) -> list[dict[str, Any]]:
    """The findings in document order (first span, then check), numbered F0001, F0002, …"""
    order = sorted(findings, key=lambda f: (min((s[0] for s in f.all_spans()), default=10**12), f.check))
    return [_finding_part(f"F{i:04d}", f, doc) for i, f in enumerate(order, 1)]


def _finding_part(fid: str, f: Finding, doc: Document) -> dict[str, Any]:
    return {
        "id": fid,
        "status": f.status,
        "check": f.check,
        "check_name": f.name,
        "severity": f.severity,
        "message": f.message,
        "claims": list(f.claims),
        "spans": [list(s) for s in f.all_spans()],
        "lines": sorted({doc.line_number(s[0]) for s in f.all_spans()}),
        "expected": _num(f.expected),
        "observed": _num(f.observed),
        "tolerance": [_num(f.tolerance[0]), _num(f.tolerance[1])] if f.tolerance else None,
        "cells": [
            {
                "table": c.table,
                "row": c.row,
                "column": c.column,
                "value": _num(c.value),
                "span": list(c.span) if c.span else None,
                "page": c.page,
            }
            for c in f.cells
        ],
    }


def _claim_counts(claims: list[dict[str, Any]], findings: list[Finding]) -> dict[str, int]:
    """Claims by status: a claim's own status, else the most telling of its findings'
    (inconsistent, then verified, then unverifiable), else unverifiable."""
    counts = {s: 0 for s in ("verified", "inconsistent", "unverifiable")}
    claim_status: dict[str, str] = {}
    rank = {"inconsistent": 3, "unverifiable": 1, "verified": 2}
    for f in findings:
        for cid in f.claims:
            prev = claim_status.get(cid)
            if prev is None or rank[f.status] > rank[prev]:
                claim_status[cid] = f.status
    for c in claims:
        st = c.get("status") or claim_status.get(c["id"], "unverifiable")
        counts[st if st in counts else "unverifiable"] += 1
    return counts


def _summary_part(
    claims: list[dict[str, Any]], findings: list[Finding], finding_dicts: list[dict[str, Any]], n_tables: int
) -> dict[str, Any]:
    counts = _claim_counts(claims, findings)
    return {
        "claims": len(claims),
        "verified": counts["verified"],
        "inconsistent": counts["inconsistent"],
        "unverifiable": counts["unverifiable"],
        "findings": len(finding_dicts),
        "inconsistent_findings": sum(1 for f in finding_dicts if f["status"] == "inconsistent"),
        "tables": n_tables,
        "by_check": _count_by_check(finding_dicts),
    }


def _count_by_check(findings: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        if f["status"] == "inconsistent":
            out[f["check"]] = out.get(f["check"], 0) + 1
    return dict(sorted(out.items()))


def render(data: dict[str, Any], fmt: str) -> str:
    """Render the JSON report dict in one of FORMATS."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "text":
        return _render_text(data)
    if fmt == "csv":
        return _render_csv(data)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _render_text(data: dict[str, Any]) -> str:
    d = data["document"]
    s = data["summary"]
    kind = {"final_account": "部门决算", "budget": "部门预算"}.get(d["kind"], "unknown kind")
    lines = [
        f"{d['path']}",
        f"  {d.get('title') or '(no title found)'} — {kind}, year {d.get('year') or '?'}",
        f"  tables: {len(data['tables'])}   claims: {s['claims']}   findings: {s['findings']} "
        f"({s['inconsistent_findings']} inconsistent)",
    ]
    for e in data["errors"]:
        lines.append(
            f"  input problem ({e['stage']}{', page ' + str(e['page']) if e.get('page') else ''}): {e['message']}"
        )
    inc = [f for f in data["findings"] if f["status"] == "inconsistent"]
    if not inc:
        lines.append("  No inconsistency found.")
    else:
        lines.append("")
        for f in inc:
            where = ", ".join(places_of(data, f))
            title = CATALOGUE[f["check"]].title if f["check"] in CATALOGUE else f["check"]
            lines.append(f"  [{f['check']} {f['severity']}] {title} ({where})")
            lines.append(f"      {f['message']}")
    other = [f for f in data["findings"] if f["status"] != "inconsistent"]
    if other:
        lines.append("")
        lines.append(
            f"  also: {sum(1 for f in other if f['status'] == 'verified')} verified, "
            f"{sum(1 for f in other if f['status'] == 'unverifiable')} unverifiable (see --format json)"
        )
    return "\n".join(lines) + "\n"


CSV_COLUMNS = [
    "document",
    "finding",
    "status",
    "check",
    "check_name",
    "severity",
    "lines",
    "pages",
    "spans",
    "expected",
    "observed",
    "tolerance_low",
    "tolerance_high",
    "cells",
    "message",
]


def _render_csv(data: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in data["findings"]:
        tol = f.get("tolerance") or [None, None]
        w.writerow(
            [
                data["document"]["path"],
                f["id"],
                f["status"],
                f["check"],
                f.get("check_name", ""),
                f["severity"],
                " ".join(str(n) for n in f.get("lines", [])),
                "; ".join(page_label(data["document"], p) for p in f.get("pages", [])),
                " ".join(f"{a}-{b}" for a, b in f["spans"]),
                f.get("expected"),
                f.get("observed"),
                tol[0],
                tol[1],
                "; ".join(f"{c['table']}|{c['row']}|{c['column']}={c.get('value')}" for c in f.get("cells", [])),
                f["message"],
            ]
        )
    return buf.getvalue()
