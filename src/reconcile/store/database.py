"""The results store: one embedded DuckDB file that a batch run fills and researchers query.

Writing a document replaces all of its rows in one transaction (idempotent upsert), so a
re-check never leaves stale rows. Only one process may write a store at a time (DuckDB's
file lock); open it ``read_only=True`` to read while nothing writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from .parquet import write_parquet
from .rows import rows_for_result
from .schema import DOC_TABLES, SCHEMA, STORE_SCHEMA_VERSION, TIMING_COLUMNS, arrow_schema, pyarrow

__all__ = ["KnownDocument", "Store", "export_parquet"]


@dataclass(frozen=True, slots=True)
class KnownDocument:
    """What the store says about a document already checked (for resuming)."""

    rules_version: str | None
    status: str
    n_inconsistent: int


class Store:
    """An open results store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no such store")
        self.read_only = read_only
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        self._seq = 0
        if not read_only:
            self._create()

    # -- lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _create(self) -> None:
        for name, cols in SCHEMA.items():
            body = ", ".join(f'"{c}" {t}' for c, t in cols)
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({body})')
        # older stores gain new columns (columns are only ever added)
        for name, cols in SCHEMA.items():
            have = {
                r[0]
                for r in self.con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?", [name]
                ).fetchall()
            }
            for c, t in cols:
                if c not in have:
                    self.con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{c}" {t}')
        self.con.execute("DELETE FROM meta WHERE key = 'schema_version'")
        self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [STORE_SCHEMA_VERSION])

    # -- reading
    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return list(self.con.execute(sql, list(params) if params is not None else None).fetchall())

    def known_documents(self) -> dict[str, KnownDocument]:
        rows = self.query("SELECT doc_id, rules_version, status, coalesce(n_inconsistent, 0) FROM documents")
        return {r[0]: KnownDocument(r[1], r[2], int(r[3])) for r in rows}

    def count(self, table: str) -> int:
        if table not in SCHEMA:
            raise KeyError(table)
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def snapshot(self, table: str, *, timing: bool = False) -> list[tuple[Any, ...]]:
        """Every row of a table, sorted, without the timing columns unless ``timing``."""
        if table not in SCHEMA:
            raise KeyError(table)
        skip = () if timing else TIMING_COLUMNS.get(table, ())
        cols = [c for c, _ in SCHEMA[table] if c not in skip]
        sel = ", ".join(f'"{c}"' for c in cols)
        return sorted(
            self.query(f'SELECT {sel} FROM "{table}"'),
            key=lambda r: tuple((x is None, str(x)) for x in r),
        )

    # -- writing
    def _insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        schema = arrow_schema(table)
        data = pyarrow().Table.from_pylist([dict(r) for r in rows], schema=schema)
        self._seq += 1
        name = f"_in_{table}_{self._seq}"
        self.con.register(name, data)
        try:
            cols = ", ".join(f'"{c}"' for c, _ in SCHEMA[table])
            self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{name}"')
        finally:
            self.con.unregister(name)

    def write(self, rows: Mapping[str, Sequence[Mapping[str, Any]]], *, replace: bool = True) -> None:
        """Write one document's rows (from :func:`rows_for_result`), replacing its old rows."""
        self.write_batch([rows], replace=replace)

    def write_batch(self, batch: Sequence[Mapping[str, Sequence[Mapping[str, Any]]]], *, replace: bool = True) -> None:
        """Write several documents' rows in one transaction, replacing their old rows.

        ``replace=False`` skips the deletes when the caller knows the documents are new.
        """
        by_id: dict[str, Mapping[str, Sequence[Mapping[str, Any]]]] = {}
        for rows in batch:
            docs = rows.get("documents") or []
            if len(docs) != 1:
                raise ValueError("each entry holds the rows of exactly one document")
            by_id[str(docs[0]["doc_id"])] = rows  # the last outcome of a document wins
        if not by_id:
            return
        ids = list(by_id)
        self.con.begin()
        try:
            if replace:
                marks = ", ".join("?" for _ in ids)
                for t in DOC_TABLES:
                    self.con.execute(f'DELETE FROM "{t}" WHERE doc_id IN ({marks})', ids)
            for t in DOC_TABLES:
                self._insert(t, [r for rows in by_id.values() for r in rows.get(t) or []])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def write_result(self, result: Mapping[str, Any], *, rules_version: str | None = None) -> dict[str, Any]:
        """Write one :func:`reconcile.batch.check_one` outcome; return its documents row."""
        rows = rows_for_result(result, rules_version=rules_version)
        self.write(rows)
        return rows["documents"][0]

    def record_files(self, files: Iterable[Mapping[str, Any]]) -> None:
        """Upsert ``files`` rows (path, doc_id, sha256, size, mtime) keyed by path."""
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = [{**f, "seen_at": f.get("seen_at") or now} for f in files]
        if not rows:
            return
        self.con.begin()
        try:
            schema = arrow_schema("files")
            data = pyarrow().Table.from_pylist(rows, schema=schema)
            self._seq += 1
            name = f"_in_files_{self._seq}"
            self.con.register(name, data)
            try:
                self.con.execute(f'DELETE FROM files WHERE path IN (SELECT path FROM "{name}")')
                cols = ", ".join(f'"{c}"' for c, _ in SCHEMA["files"])
                self.con.execute(f'INSERT INTO files ({cols}) SELECT {cols} FROM "{name}"')
            finally:
                self.con.unregister(name)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def replace_table(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace a derived table (``crossyear_findings``) as a whole."""
        if table in DOC_TABLES or table not in SCHEMA:
            raise ValueError(f"{table} is not a derived table")
        self.con.begin()
        try:
            self.con.execute(f'DELETE FROM "{table}"')
            self._insert(table, rows)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write one parquet file per table into ``directory``; return their paths."""
        return write_parquet(self.con, directory)


def export_parquet(store: str | Path, directory: str | Path) -> list[Path]:
    """Write one parquet file per table of the store at ``store`` into ``directory``."""
    with Store(store, read_only=True) as st:
        return st.export_parquet(directory)
