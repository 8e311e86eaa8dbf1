"""The results store: one embedded DuckDB file that a batch run fills and researchers query.

Tables (joinable by ``doc_id``; ids inside a document are the report's own ids):

* ``documents`` — one row per distinct document content: ``doc_id`` (the first 16 hex
  digits of its sha256), path, sha256, organization, region, year, kind, pages, status
  (``ok`` | ``error`` | ``timeout``), error, rules_version, tool_version, seconds, checked_at …
* ``files`` — every input path seen and the ``doc_id`` of its content (two copies of one
  report are one document, checked once).
* ``tables``, ``claims``, ``findings``, ``problems`` — the report's lists, one row per item.
* ``crossyear_findings`` — checks across documents (:mod:`reconcile.crossyear`).

Writing a document replaces all of its rows in one transaction (idempotent upsert), so a
re-check never leaves stale rows. Only one process may write a store at a time (DuckDB's
file lock); open it ``read_only=True`` to read while nothing writes.

Modules: :mod:`~reconcile.store.schema` (tables and columns), :mod:`~reconcile.store.rows`
(the rows of one document outcome), :mod:`~reconcile.store.regions` (province and city,
from ``rules/regions.yaml``), :mod:`~reconcile.store.database` (the DuckDB store) and
:mod:`~reconcile.store.parquet` (parquet export).
"""

from __future__ import annotations

from .database import KnownDocument, Store, StoreFull, export_parquet
from .regions import Region, RegionsFile, derive_region, load_regions
from .rows import doc_id_for, rows_for_result
from .schema import DOC_TABLES, SCHEMA, STORE_SCHEMA_VERSION, TIMING_COLUMNS

__all__ = [
    "DOC_TABLES",
    "SCHEMA",
    "STORE_SCHEMA_VERSION",
    "TIMING_COLUMNS",
    "KnownDocument",
    "Region",
    "RegionsFile",
    "Store",
    "StoreFull",
    "derive_region",
    "doc_id_for",
    "export_parquet",
    "load_regions",
    "rows_for_result",
]
