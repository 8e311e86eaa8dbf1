"""The Report: findings plus summary, in the JSON contract form.

``Report.to_dict()`` produces a document valid against ``reconcile.report/1``
(shared/report.schema.json); every other format is rendered from that dict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from . import __version__
from .document import Document
from .findings import CATALOGUE, Finding
from .grouping import group_findings
from .model import Table, human_name
from .places import add_places, page_label
from .places import where as places_of
from .sanitize import csv_text, terminal_safe
from .shown import as_printed, finding_display

__all__ = ["FORMATS", "Report", "ordered_findings", "render"]

FORMATS = ("json", "text", "csv")

_F = TypeVar("_F", bound=Mapping[str, Any])


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
    #: per table identity code: how many were checked and how many held
    identities: dict[str, dict[str, int]] = field(default_factory=dict)
    #: table kind → its human label (rules/tables.yaml)
    kind_labels: dict[str, str] = field(default_factory=dict)

    @property
    def inconsistent(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "inconsistent"]

    def exit_code(self) -> int:
        return 1 if self.inconsistent else 0

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        tables = {t.id: t for t in self.tables}
        findings = _findings_part(self.findings, doc, tables)
        summary = _summary_part(self.claims, self.findings, findings, len(self.tables))
        summary.update(_checkable_part(summary, doc, self.tables, self.identities))
        data = {
            "schema": "reconcile.report/1",
            "tool": {"name": "reconcile", "version": __version__, "rules_version": self.rules_version},
            "document": _document_part(doc),
            "tables": [_table_part(t, self.kind_labels) for t in self.tables],
            "claims": self.claims,
            "findings": findings,
            "summary": summary,
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


def _table_part(t: Table, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind,
        "kind_label": labels.get(t.kind) or t.title,
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


def _findings_part(findings: list[Finding], doc: Document, tables: dict[str, Table]) -> list[dict[str, Any]]:
    """The findings in document order (first span, then check), numbered F0001, F0002, …"""
    order = sorted(findings, key=lambda f: (min((s[0] for s in f.all_spans()), default=10**12), f.check))
    out = [_finding_part(f"F{i:04d}", f, doc, tables) for i, f in enumerate(order, 1)]
    group_findings(out)
    return out


def _finding_part(fid: str, f: Finding, doc: Document, tables: dict[str, Table]) -> dict[str, Any]:
    out: dict[str, Any] = {
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
                "value_text": as_printed(c.value),
                **cell_labels(tables.get(c.table), c.row, c.column),
            }
            for c in f.cells
        ],
        "display": finding_display(f),
    }
    if f.likely_cause is not None:
        out["likely_cause"] = {
            "code": f.likely_cause.code,
            "title": f.likely_cause.title,
            "explanation": f.likely_cause.explanation,
            "rank": f.likely_cause.rank,
        }
    return out


def cell_labels(t: Table | None, row: str, column: str) -> dict[str, str]:
    """Human labels of a cell: the table's id and title, the row's name (the table's own
    label for a one-row table), and the column's header path as printed."""
    if t is None:
        return {"table_label": "", "row_label": row, "column_label": column}
    path = t.column_paths.get(column)
    col = "/".join(path) if path else human_name(column)
    if t.doc_kind == "budget" and col.endswith("决算数"):
        col = col[: -len("决算数")] + "金额"
    return {"table_label": f"{t.id} {t.title}", "row_label": row or "（全表）", "column_label": col}


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


def _checkable_part(
    summary: dict[str, Any], doc: Document, tables: list[Table], identities: dict[str, dict[str, int]]
) -> dict[str, Any]:
    """What could be checked: the identities per code, whether anything was checked, and
    the reasons for what was not (never a bare “no inconsistency”)."""
    reasons: list[dict[str, str]] = []
    usable = [t for t in tables if not t.problems]
    if doc.kind not in ("final_account", "budget"):
        reasons.append({"code": "kind_unknown", "reason": "document kind unknown: neither 部门预算 nor 部门决算"})
    elif not usable:
        word = "部门预算" if doc.kind == "budget" else "部门决算"
        reasons.append(
            {
                "code": "kind_unconfirmed",
                "reason": f"{word} is only guessed from the text's words: no standard table confirms it",
            }
        )
    if not tables:
        reasons.append({"code": "no_tables", "reason": "no standard table found: no table identity was checked"})
    elif not usable:
        reasons.append({"code": "tables_unreadable", "reason": "no standard table could be read (I002)"})
    checked_claims = summary["verified"] + summary["inconsistent"]
    if not summary["claims"]:
        reasons.append({"code": "no_claims", "reason": "no number stated in the narrative was found"})
    elif not checked_claims:
        reasons.append(
            {"code": "no_claim_checked", "reason": f"none of the {summary['claims']} claims could be checked"}
        )
    n_ident = sum(v["checked"] for v in identities.values())
    return {
        "identities": identities,
        "identities_checked": n_ident,
        "identities_held": sum(v["held"] for v in identities.values()),
        "checkable": bool(checked_claims or n_ident),
        "not_checked": reasons,
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
        return terminal_safe(_render_text(data))
    if fmt == "csv":
        return _render_csv(data)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _render_text(data: dict[str, Any]) -> str:
    d = data["document"]
    s = data["summary"]
    kind = {"final_account": "部门决算", "budget": "部门预算"}.get(d["kind"], "unknown kind")
    if any(r.get("code") == "kind_unconfirmed" for r in s.get("not_checked", [])):
        kind += " (guessed, unconfirmed)"
    lines = [
        f"{d['path']}",
        f"  {d.get('title') or '(no title found)'} — {kind}, year {d.get('year') or '?'}",
        f"  tables: {len(data['tables'])}   claims: {s['claims']} ({s['verified']} verified, "
        f"{s['inconsistent']} inconsistent, {s['unverifiable']} unverifiable)   findings: {s['findings']} "
        f"({s['inconsistent_findings']} inconsistent)",
    ]
    if s.get("identities_checked") is not None:
        lines.append(f"  table identities: {s['identities_checked']} checked, {s['identities_held']} held")
    for e in data["errors"]:
        lines.append(
            f"  input problem ({e['stage']}{', page ' + str(e['page']) if e.get('page') else ''}): {e['message']}"
        )
    lines.extend(f"  not checked: {r['reason']}" for r in s.get("not_checked", []))
    inc = ordered_findings(data["findings"], inconsistent_only=True)
    if not inc:
        lines.append(_nothing_found(s))
    else:
        lines.append("")
        by_id = {f["id"]: f for f in inc}
        for f in inc:
            if f.get("caused_by") in by_id:
                continue  # listed under its root
            lines.extend(_text_finding(data, f, "  "))
            for cid in f.get("consequences", []):
                if cid in by_id:
                    lines.extend(_text_finding(data, by_id[cid], "      ↳ same cause: "))
    return "\n".join(lines) + "\n"


def _text_finding(data: dict[str, Any], f: dict[str, Any], lead: str) -> list[str]:
    where = ", ".join(places_of(data, f))
    title = CATALOGUE[f["check"]].title if f["check"] in CATALOGUE else f["check"]
    pad = " " * (len(lead) + 4)
    out = [f"{lead}[{f['check']} {f['severity']}] {title} ({where})", f"{pad}{f['message']}"]
    cause = f.get("likely_cause")
    if cause and not f.get("caused_by"):
        out.append(f"{pad}likely cause: {cause['title']} — {cause['explanation']}")
    return out


def _nothing_found(s: dict[str, Any]) -> str:
    """The verdict when no finding is inconsistent: what was checked, or that nothing could be."""
    if s.get("checkable", True):
        return (
            f"  No inconsistency found among the {s['verified']} claims and "
            f"{s.get('identities_checked', 0)} table identities that could be checked."
        )
    return "  Nothing could be checked (see “not checked” above): this may not be a 部门预算 or 部门决算."


def ordered_findings(findings: Sequence[_F], *, inconsistent_only: bool = False) -> list[_F]:
    """Findings most certain first: inconsistent ones by the rank of their likely cause
    (a known cause before an unknown one), then unverifiable, then verified; document order within."""
    status_rank = {"inconsistent": 0, "unverifiable": 1, "verified": 2}

    def key(item: tuple[int, _F]) -> tuple[int, int, int]:
        i, f = item
        cause = f.get("likely_cause") or {}
        return status_rank.get(str(f.get("status")), 3), int(cause.get("rank", 9)), i

    chosen = [f for f in findings if not inconsistent_only or f.get("status") == "inconsistent"]
    return [f for _, f in sorted(enumerate(chosen), key=key)]


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
    """One row per finding; every cell neutralised against formula injection, after a UTF-8 BOM."""
    rows = []
    for f in data["findings"]:
        tol = f.get("tolerance") or [None, None]
        rows.append(
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
    return csv_text(CSV_COLUMNS, rows)
