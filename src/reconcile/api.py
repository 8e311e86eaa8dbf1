"""The library entry points: one document in, one Report out."""

from __future__ import annotations

from pathlib import Path

from .causes import assign_causes
from .document import Document
from .findings import Finding, spec
from .identities import check_tables_counted
from .ingest import document_from_bytes, load_document
from .report import Report
from .rules import Rules, load_rules
from .tables import parse_tables, table_spans

__all__ = ["check_document", "check_loaded", "check_text"]


def check_loaded(doc: Document, rules: Rules | None = None) -> Report:
    """Run every stage on an already loaded document."""
    rules = rules or load_rules()
    tables = parse_tables(doc, rules)
    findings: list[Finding] = []
    if not tables:
        findings.append(
            Finding(
                check="I001",
                status="unverifiable",
                message=spec("I001").message("unverifiable", {}),
            )
        )
    table_findings, identities = check_tables_counted(tables, rules)
    findings.extend(table_findings)
    from .checks import check_claims
    from .claims import extract_claims
    from .sections import split_sections

    spans = table_spans(tables)
    sections = split_sections(doc, spans, rules=rules)
    claims = extract_claims(doc, sections, tables_spans=spans, rules=rules)
    claim_findings, outcome = check_claims(doc, claims, tables, rules, table_findings, sections)
    findings.extend(claim_findings)
    claim_dicts = []
    for c in claims:
        d = c.to_json()
        o = outcome.get(c.id)
        d["status"] = o.status if o else "unverifiable"
        d["reason"] = o.reason if o else "no check applies to this claim"
        claim_dicts.append(d)
    findings = assign_causes(findings, claim_dicts, tables)
    return Report(
        document=doc,
        tables=tables,
        findings=findings,
        rules_version=rules.version,
        claims=claim_dicts,
        identities=identities,
        kind_labels=_kind_labels(rules),
    )


def _kind_labels(rules: Rules) -> dict[str, str]:
    """Table kind → its label in rules/tables.yaml, without the notes in brackets after it."""
    out: dict[str, str] = {}
    for k in rules.table_kinds:
        out.setdefault(k.kind, k.label.split(" (")[0].strip())
    return out


def check_document(
    path: str | Path, *, rules: Rules | str | Path | None = None, max_pages: int | None = None
) -> Report:
    """Read a report (text or PDF) and check it. Raises InputError when unreadable."""
    r = rules if isinstance(rules, Rules) else load_rules(rules)
    doc = load_document(path, max_pages=max_pages)
    return check_loaded(doc, r)


def check_text(text: str, *, path: str = "<text>", rules: Rules | None = None) -> Report:
    """Check a report given as a string (tests, notebooks)."""
    doc = document_from_bytes(text.encode("utf-8"), path)
    return check_loaded(doc, rules)
