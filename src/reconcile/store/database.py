"""The results store: one embedded DuckDB file that a batch run fills and researchers query.

Writing a document replaces all of its rows in one transaction (idempotent upsert), so a
re-check never leaves stale rows. Only one process may write a store at a time (DuckDB's
file lock); open it ``read_only=True`` to read while nothing writes.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from .parquet import write_parquet
from .rows import rows_for_result
from .schema import DOC_TABLES, SCHEMA, STORE_SCHEMA_VERSION, TIMING_COLUMNS, arrow_schema, pyarrow

__all__ = ["KnownDocument", "Store", "StoreFull", "export_parquet"]


class StoreFull(OSError):
    """The disk holding the store is full (ENOSPC).

    DuckDB reports a failed write and then, on rollback, "cannot rollback - no transaction
    is active" or "database has been invalidated", which hide the cause; the store raises
    this error instead, with a one-line message that names it.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(errno.ENOSPC, f"no space left on device (ENOSPC) writing the store {path}", str(path))

    def __str__(self) -> str:
        return str(self.strerror)


def _names_enospc(exc: BaseException | None) -> bool:
    """Whether ``exc`` or an error it was raised from or during is a full disk."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if "no space left on device" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


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
        with self._disk_full_named():
            self.con = duckdb.connect(str(self.path), read_only=read_only)
            self._seq = 0
            if not read_only:
                self._create()

    # -- lifecycle
    def close(self) -> None:
        with self._disk_full_named():
            self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
        else:  # the error that ends the block is the one to report, not a failure to close after it
            with contextlib.suppress(Exception):
                self.con.close()

    @contextlib.contextmanager
    def _disk_full_named(self) -> Iterator[None]:
        """Raise :class:`StoreFull` for a full disk, whatever DuckDB calls it."""
        try:
            yield
        except StoreFull:
            raise
        except Exception as exc:
            if _names_enospc(exc):
                raise StoreFull(self.path) from exc
            raise

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises.

        A failed commit (a full disk) has already ended the transaction: the rollback's own
        error ("no transaction is active") is dropped so that the first error is the one raised.
        """
        with self._disk_full_named():
            self.con.begin()
            try:
                yield
                self.con.commit()
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    self.con.rollback()
                raise

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

    def write_batch(
        self,
        batch: Sequence[Mapping[str, Sequence[Mapping[str, Any]]]],
        *,
        replace: bool = True,
        files: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Write several documents' rows in one transaction, replacing their old rows.

        ``replace=False`` skips the deletes when the caller knows the documents are new.
        ``files`` rows (the paths of these documents) are upserted in the same transaction,
        dropping the documents those paths held before (see :meth:`record_files`).
        """
        by_id: dict[str, Mapping[str, Sequence[Mapping[str, Any]]]] = {}
        for rows in batch:
            docs = rows.get("documents") or []
            if len(docs) != 1:
                raise ValueError("each entry holds the rows of exactly one document")
            by_id[str(docs[0]["doc_id"])] = rows  # the last outcome of a document wins
        if not by_id and not files:
            return
        ids = list(by_id)
        with self._transaction():
            if replace and ids:
                marks = ", ".join("?" for _ in ids)
                for t in DOC_TABLES:
                    self.con.execute(f'DELETE FROM "{t}" WHERE doc_id IN ({marks})', ids)
            for t in DOC_TABLES:
                self._insert(t, [r for rows in by_id.values() for r in rows.get(t) or []])
            self._upsert_files(files)

    def write_result(self, result: Mapping[str, Any], *, rules_version: str | None = None) -> dict[str, Any]:
        """Write one :func:`reconcile.batch.check_one` outcome; return its documents row."""
        rows = rows_for_result(result, rules_version=rules_version)
        self.write(rows)
        return rows["documents"][0]

    def record_files(self, files: Iterable[Mapping[str, Any]]) -> None:
        """Upsert ``files`` rows (path, doc_id, sha256, size, mtime) keyed by path.

        A path whose content changed (edited in place) now names another document: the
        document it named before is dropped from every per-document table when no other
        path holds that content any more (else its ``path`` moves to one that does), so
        ``documents`` keeps one row per path and no count holds an old version twice.
        """
        rows = list(files)
        if rows:
            with self._transaction():
                self._upsert_files(rows)

    def _upsert_files(self, files: Sequence[Mapping[str, Any]]) -> None:
        """Upsert ``files`` rows and drop the documents they replace (inside a transaction)."""
        if not files:
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = [{**f, "seen_at": f.get("seen_at") or now} for f in files]
        data = pyarrow().Table.from_pylist(rows, schema=arrow_schema("files"))
        self._seq += 1
        name = f"_in_files_{self._seq}"
        self.con.register(name, data)
        try:
            self.con.execute(f'DELETE FROM files WHERE path IN (SELECT path FROM "{name}")')
            cols = ", ".join(f'"{c}"' for c, _ in SCHEMA["files"])
            self.con.execute(f'INSERT INTO files ({cols}) SELECT {cols} FROM "{name}"')
            self._drop_replaced(name)
        finally:
            self.con.unregister(name)

    def _drop_replaced(self, name: str) -> None:
        """Drop the documents whose path now names other content (``name``: the new files rows)."""
        replaced = f'SELECT 1 FROM "{name}" n WHERE n.path = d.path AND n.doc_id IS DISTINCT FROM d.doc_id'
        orphans = [
            r[0]
            for r in self.con.execute(
                f"SELECT d.doc_id FROM documents d WHERE EXISTS ({replaced}) "
                "AND NOT EXISTS (SELECT 1 FROM files f WHERE f.doc_id = d.doc_id)"
            ).fetchall()
        ]
        if orphans:
            marks = ", ".join("?" for _ in orphans)
            for t in DOC_TABLES:
                self.con.execute(f'DELETE FROM "{t}" WHERE doc_id IN ({marks})', orphans)
        # a content another path still holds: its documents row names that path from now on
        self.con.execute(
            "UPDATE documents SET path = (SELECT min(f.path) FROM files f WHERE f.doc_id = documents.doc_id) "
            f"WHERE EXISTS ({replaced.replace('d.', 'documents.')})"
        )

    def replace_table(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace a derived table (``crossyear_findings``) as a whole."""
        if table in DOC_TABLES or table not in SCHEMA:
            raise ValueError(f"{table} is not a derived table")
        with self._transaction():
            self.con.execute(f'DELETE FROM "{table}"')
            self._insert(table, rows)

    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write one parquet file per table into ``directory``; return their paths."""
        with self._disk_full_named():
            return write_parquet(self.con, directory)


def export_parquet(store: str | Path, directory: str | Path) -> list[Path]:
    """Write one parquet file per table of the store at ``store`` into ``directory``."""
    with Store(store, read_only=True) as st:
        return st.export_parquet(directory)
