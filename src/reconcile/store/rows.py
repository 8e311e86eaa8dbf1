"""The store rows of one document outcome: one function per table.

:func:`rows_for_result` turns what :func:`reconcile.batch.check_one` returns into the rows
of the per-document tables (``documents``, ``tables``, ``claims``, ``findings``,
``identities``, ``problems``). Values are converted to the column types (None when absent or malformed);
lists are stored as compact JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from .regions import derive_region

__all__ = ["doc_id_for", "rows_for_result"]

Row = dict[str, Any]
Item = Mapping[str, Any]  # one entry of a report's list (a table, a claim, a finding, a problem)


def doc_id_for(sha256: str) -> str:
    """The document id of a content hash."""
    return sha256[:16]


# ---------------------------------------------------------------------------- conversions


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _int(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _float(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _span(v: Any) -> tuple[int | None, int | None]:
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return _int(v[0]), _int(v[1])
    return None, None


# ---------------------------------------------------------------------------- one function per table


@dataclass(frozen=True, slots=True)
class _Parts:
    """The parts of a report that have rows (all empty when there is no report)."""

    checked: bool  # there is a report
    document: Mapping[str, Any]
    tool: Mapping[str, Any]
    tables: list[Item]
    claims: list[Item]
    findings: list[Item]
    problems: list[Item]
    identities: Mapping[str, Any]
    summary: Mapping[str, Any]

    @classmethod
    def of(cls, report: Mapping[str, Any] | None) -> _Parts:
        r = report or {}
        return cls(
            checked=report is not None,
            document=r.get("document") or {},
            tool=r.get("tool") or {},
            tables=list(r.get("tables") or []),
            claims=list(r.get("claims") or []),
            findings=list(r.get("findings") or []),
            problems=list(r.get("errors") or []),
            identities=(r.get("summary") or {}).get("identities") or {},
            summary=r.get("summary") or {},
        )


def rows_for_result(result: Mapping[str, Any], *, rules_version: str | None = None) -> dict[str, list[Row]]:
    """The store rows of one document outcome.

    ``result`` is what :func:`reconcile.batch.check_one` returns: ``path``, ``sha256``,
    ``status``, ``error``, ``seconds``, ``worker`` and ``report`` (the JSON report dict, or
    None when the document could not be checked). ``rules_version`` is used when there is
    no report to take it from.
    """
    sha = _str(result.get("sha256"))
    doc_id = _str(result.get("doc_id")) or (doc_id_for(sha) if sha else None)
    if doc_id is None:
        raise ValueError("a result needs a doc_id or a sha256")
    parts = _Parts.of(result.get("report"))
    return {
        "documents": [_document_row(doc_id, sha, result, parts, rules_version)],
        "tables": _table_rows(doc_id, parts.tables),
        "claims": _claim_rows(doc_id, parts.claims, parts.findings),
        "findings": _finding_rows(doc_id, parts.findings),
        "identities": _identity_rows(doc_id, parts.identities),
        "problems": _problem_rows(doc_id, parts.problems),
    }


def _identity_rows(doc_id: str, identities: Mapping[str, Any]) -> list[Row]:
    return [
        {"doc_id": doc_id, "check": str(code), "checked": _int(v.get("checked")), "held": _int(v.get("held"))}
        for code, v in sorted(identities.items())
        if isinstance(v, Mapping)
    ]


def _document_row(
    doc_id: str, sha: str | None, result: Mapping[str, Any], parts: _Parts, rules_version: str | None
) -> Row:
    """The ``documents`` row: what the document is, how its check went, and its counts."""
    path = _str(result.get("path"))
    doc, tool = parts.document, parts.tool
    organization = _str(doc.get("organization"))
    region = derive_region(organization, path)
    checked_at = result.get("checked_at")
    if not isinstance(checked_at, datetime):
        checked_at = datetime.now(UTC).replace(tzinfo=None)
    return {
        "doc_id": doc_id,
        "path": path,
        "sha256": sha,
        "format": _str(doc.get("format")),
        "title": _str(doc.get("title")),
        "organization": organization,
        "region": region.label,
        "province": region.province,
        "city": region.city,
        "year": _int(doc.get("year")),
        "kind": _str(doc.get("kind")),
        "pages": _int(doc.get("pages")),
        "lines": _int(doc.get("lines")),
        "size": _int(result.get("size")),
        "status": str(result.get("status") or "error"),
        "error": _str(result.get("error")),
        **_counts(parts),
        "checkable": _checkable(parts),
        "not_checked": _not_checked(parts),
        "rules_version": _str(tool.get("rules_version")) or rules_version,
        "tool_version": _str(tool.get("version")) or __version__,
        "seconds": _float(result.get("seconds")),
        "checked_at": checked_at,
        "worker": _str(result.get("worker")),
    }


def _counts(parts: _Parts) -> dict[str, int | None]:
    """The ``n_*`` columns of a documents row (None when there is no report)."""
    if not parts.checked:
        return dict.fromkeys(("n_tables", "n_claims", "n_findings", "n_inconsistent", "n_problems"))
    return {
        "n_tables": len(parts.tables),
        "n_claims": len(parts.claims),
        "n_findings": len(parts.findings),
        "n_inconsistent": sum(1 for f in parts.findings if f.get("status") == "inconsistent"),
        "n_problems": len(parts.problems),
    }


def _checkable(parts: _Parts) -> bool | None:
    """Whether anything of the document could be checked (None when there is no report)."""
    if not parts.checked:
        return None
    return bool(parts.summary.get("checkable", True))


def _not_checked(parts: _Parts) -> str | None:
    """Why parts of the document could not be checked (reason codes, ``; ``-joined)."""
    reasons = [str(r.get("code") or r.get("reason")) for r in parts.summary.get("not_checked") or []]
    return "; ".join(reasons) or None


def _table_rows(doc_id: str, tables: Sequence[Item]) -> list[Row]:
    rows = []
    for t in tables:
        a, b = _span(t.get("span"))
        rows.append(
            {
                "doc_id": doc_id,
                "table_id": _str(t.get("id")),
                "kind": _str(t.get("kind")),
                "title": _str(t.get("title")),
                "rows": _int(t.get("rows")),
                "columns": _int(t.get("columns")),
                "cells": _int(t.get("cells")),
                "pages": _dumps(t.get("pages") or []),
                "span_start": a,
                "span_end": b,
                "column_names": _dumps(t.get("column_names") or []),
            }
        )
    return rows


# Claim fields with a column of their own; the others go to the ``extra`` JSON column.
_CLAIM_FIELDS = frozenset(
    {
        "id",
        "text",
        "span",
        "line",
        "page",
        "section",
        "subject",
        "quantity",
        "value",
        "decimals",
        "unit",
        "status",
        "base",
        "figure",
        "direction",
        "head",
    }
)


def _claim_status(findings: Sequence[Item]) -> dict[str, str]:
    """The strongest status of the findings citing each claim (inconsistent > verified > unverifiable)."""
    rank = {"inconsistent": 3, "verified": 2, "unverifiable": 1}
    out: dict[str, str] = {}
    for f in findings:
        st = str(f.get("status"))
        for cid in f.get("claims") or ():
            prev = out.get(cid)
            if st in rank and (prev is None or rank[st] > rank[prev]):
                out[cid] = st
    return out


def _claim_rows(doc_id: str, claims: Sequence[Item], findings: Sequence[Item]) -> list[Row]:
    status_of = _claim_status(findings)
    rows = []
    for c in claims:
        a, b = _span(c.get("span"))
        cid = _str(c.get("id"))
        extra = {k: v for k, v in c.items() if k not in _CLAIM_FIELDS}
        rows.append(
            {
                "doc_id": doc_id,
                "claim_id": cid,
                "text": _str(c.get("text")),
                "span_start": a,
                "span_end": b,
                "line": _int(c.get("line")),
                "page": _int(c.get("page")),
                "section": _str(c.get("section")),
                "subject": _str(c.get("subject")),
                "quantity": _str(c.get("quantity")),
                "value": _float(c.get("value")),
                "decimals": _int(c.get("decimals")),
                "unit": _str(c.get("unit")),
                "status": _str(c.get("status")) or (status_of.get(cid) if cid else None),
                "base": _str(c.get("base")),
                "figure": _str(c.get("figure")),
                "direction": _int(c.get("direction")),
                "head": _str(c.get("head")),
                "extra": _dumps(extra),
            }
        )
    return rows


def _finding_rows(doc_id: str, findings: Sequence[Item]) -> list[Row]:
    rows = []
    for f in findings:
        tol = f.get("tolerance") or [None, None]
        rows.append(
            {
                "doc_id": doc_id,
                "finding_id": _str(f.get("id")),
                "status": _str(f.get("status")),
                "check": _str(f.get("check")),
                "check_name": _str(f.get("check_name")),
                "severity": _str(f.get("severity")),
                "message": _str(f.get("message")),
                "expected": _float(f.get("expected")),
                "observed": _float(f.get("observed")),
                "tol_low": _float(tol[0]) if len(tol) == 2 else None,
                "tol_high": _float(tol[1]) if len(tol) == 2 else None,
                "lines": _dumps(f.get("lines") or []),
                "spans": _dumps(f.get("spans") or []),
                "cells": _dumps(f.get("cells") or []),
                "claim_ids": _dumps(f.get("claims") or []),
            }
        )
    return rows


def _problem_rows(doc_id: str, problems: Sequence[Item]) -> list[Row]:
    return [
        {
            "doc_id": doc_id,
            "n": i,
            "stage": _str(p.get("stage")),
            "message": _str(p.get("message")),
            "page": _int(p.get("page")),
        }
        for i, p in enumerate(problems, 1)
    ]
