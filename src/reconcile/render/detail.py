"""``tables_detail``: every standard table's rows and cells as plain JSON.

The renderers draw the tables from ``data["tables_detail"]`` when the report dict
has it. This is a serialisation of the parsed :class:`~reconcile.model.Table`
objects (no checking happens here); the caller adds it to the report dict::

    data = report.to_dict()
    data["tables_detail"] = table_details(report.tables)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Table
from ..report import _num

__all__ = ["table_details"]


def table_details(tables: Sequence[Table]) -> list[dict[str, Any]]:
    """One dict per table: id, kind, title, columns, lines, pages and rows with their cells."""
    out: list[dict[str, Any]] = []
    for t in tables:
        out.append(
            {
                "id": t.id,
                "kind": t.kind,
                "title": t.title,
                "columns": list(t.columns),
                "lines": list(t.lines) if t.lines else None,
                "pages": list(t.pages),
                "span": list(t.span) if t.span else None,
                "rows": [
                    {
                        "key": r.key(),
                        "block": r.block,
                        "code": r.code,
                        "label": r.label,
                        "line": r.line,
                        "page": r.page,
                        "row_number": r.row_number,
                        "span": list(r.span) if r.span else None,
                        "cells": {
                            col: {
                                "value": _num(c.value),
                                "decimals": c.decimals,
                                "span": list(c.span) if c.span else None,
                                "page": c.page,
                            }
                            for col, c in r.cells.items()
                        },
                    }
                    for r in t.rows
                ],
            }
        )
    return out
