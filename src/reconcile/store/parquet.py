"""Parquet export: one file per store table, for tools that do not read DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .schema import SCHEMA

__all__ = ["write_parquet"]


def write_parquet(con: Any, directory: str | Path) -> list[Path]:
    """Write every table but ``meta`` of the DuckDB connection ``con`` as ``directory/<table>.parquet``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name in SCHEMA:
        if name == "meta":
            continue
        target = out / f"{name}.parquet"
        literal = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{literal}' (FORMAT parquet)")
        paths.append(target)
    return paths
