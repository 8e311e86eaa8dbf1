"""The store's tables: their columns and DuckDB types, and the matching arrow schemas."""

from __future__ import annotations

import functools
import importlib
from typing import Any

__all__ = ["DOC_TABLES", "SCHEMA", "STORE_SCHEMA_VERSION", "TIMING_COLUMNS", "arrow_schema", "pyarrow"]

STORE_SCHEMA_VERSION = "1"

# name -> [(column, duckdb type)]; the arrow type is derived from the duckdb type.
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "VARCHAR"),
        ("path", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("format", "VARCHAR"),
        ("title", "VARCHAR"),
        ("organization", "VARCHAR"),
        ("region", "VARCHAR"),
        ("province", "VARCHAR"),
        ("city", "VARCHAR"),
        ("year", "INTEGER"),
        ("kind", "VARCHAR"),
        ("pages", "INTEGER"),
        ("lines", "INTEGER"),
        ("size", "BIGINT"),
        ("status", "VARCHAR"),
        ("error", "VARCHAR"),
        ("n_tables", "INTEGER"),
        ("n_claims", "INTEGER"),
        ("n_findings", "INTEGER"),
        ("n_inconsistent", "INTEGER"),
        ("n_problems", "INTEGER"),
        ("checkable", "BOOLEAN"),
        ("not_checked", "VARCHAR"),
        ("rules_version", "VARCHAR"),
        ("tool_version", "VARCHAR"),
        ("seconds", "DOUBLE"),
        ("checked_at", "TIMESTAMP"),
        ("worker", "VARCHAR"),
    ],
    "files": [
        ("path", "VARCHAR"),
        ("doc_id", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("size", "BIGINT"),
        ("mtime", "DOUBLE"),
        ("seen_at", "TIMESTAMP"),
    ],
    "tables": [
        ("doc_id", "VARCHAR"),
        ("table_id", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("title", "VARCHAR"),
        ("rows", "INTEGER"),
        ("columns", "INTEGER"),
        ("cells", "INTEGER"),
        ("pages", "VARCHAR"),  # JSON
        ("span_start", "INTEGER"),
        ("span_end", "INTEGER"),
        ("column_names", "VARCHAR"),  # JSON
    ],
    "claims": [
        ("doc_id", "VARCHAR"),
        ("claim_id", "VARCHAR"),
        ("text", "VARCHAR"),
        ("span_start", "INTEGER"),
        ("span_end", "INTEGER"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("section", "VARCHAR"),
        ("subject", "VARCHAR"),
        ("quantity", "VARCHAR"),
        ("value", "DOUBLE"),
        ("decimals", "INTEGER"),
        ("unit", "VARCHAR"),
        ("status", "VARCHAR"),
        ("base", "VARCHAR"),
        ("figure", "VARCHAR"),
        ("direction", "INTEGER"),
        ("head", "VARCHAR"),
        ("extra", "VARCHAR"),  # JSON: every other field of the claim
    ],
    "findings": [
        ("doc_id", "VARCHAR"),
        ("finding_id", "VARCHAR"),
        ("status", "VARCHAR"),
        ("check", "VARCHAR"),
        ("check_name", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("message", "VARCHAR"),
        ("expected", "DOUBLE"),
        ("observed", "DOUBLE"),
        ("tol_low", "DOUBLE"),
        ("tol_high", "DOUBLE"),
        ("lines", "VARCHAR"),  # JSON
        ("spans", "VARCHAR"),  # JSON
        ("cells", "VARCHAR"),  # JSON
        ("claim_ids", "VARCHAR"),  # JSON
    ],
    # per document and table identity code: identities compared and how many held (the
    # denominator of a T code's error rate; the identities that hold are not findings)
    "identities": [
        ("doc_id", "VARCHAR"),
        ("check", "VARCHAR"),
        ("checked", "INTEGER"),
        ("held", "INTEGER"),
    ],
    "problems": [
        ("doc_id", "VARCHAR"),
        ("n", "INTEGER"),
        ("stage", "VARCHAR"),
        ("message", "VARCHAR"),
        ("page", "INTEGER"),
    ],
    "crossyear_findings": [
        ("finding_id", "VARCHAR"),
        ("check", "VARCHAR"),
        ("check_name", "VARCHAR"),
        ("status", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("message", "VARCHAR"),
        ("organization", "VARCHAR"),
        ("subject", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("doc_id", "VARCHAR"),
        ("year", "INTEGER"),
        ("claim_ids", "VARCHAR"),  # JSON
        ("spans", "VARCHAR"),  # JSON
        ("other_doc_id", "VARCHAR"),
        ("other_year", "INTEGER"),
        ("other_claim_ids", "VARCHAR"),  # JSON
        ("other_spans", "VARCHAR"),  # JSON
        ("expected", "DOUBLE"),
        ("observed", "DOUBLE"),
        ("tol_low", "DOUBLE"),
        ("tol_high", "DOUBLE"),
    ],
    "meta": [("key", "VARCHAR"), ("value", "VARCHAR")],
}

# Columns that differ between two runs over the same inputs (leave them out to compare stores).
TIMING_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("seconds", "checked_at", "worker"),
    "files": ("seen_at", "mtime"),
}

# Per-document tables: replaced as a whole when a document is written again.
DOC_TABLES = ("documents", "tables", "claims", "findings", "identities", "problems")


def pyarrow() -> Any:
    """pyarrow, imported on first use (batch workers never need it)."""
    return importlib.import_module("pyarrow")


@functools.cache
def arrow_schema(table: str) -> Any:
    """The arrow schema of a store table (the types follow its DuckDB types)."""
    pa = pyarrow()
    types = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "TIMESTAMP": pa.timestamp("us"),
        "BOOLEAN": pa.bool_(),
    }
    return pa.schema([(name, types[typ]) for name, typ in SCHEMA[table]])
