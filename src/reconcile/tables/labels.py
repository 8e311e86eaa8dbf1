"""Row labels wrapped in their cell, rejoined."""

from __future__ import annotations

import re

from ..model import Row, Table

__all__ = ["join_wrapped_labels"]

# a label that reads as complete: it ends as the names of the standard rows do
_COMPLETE_LABEL = re.compile(r"(支出|收入|资金|拨款|预算|合计|小计|总计|经费|费|款|金|入|出|助|他|务|贴|息|目|计)$")


def join_wrapped_labels(table: Table) -> None:
    """A label wrapped in its cell comes as two rows: “八、社会保障和就” with the value, then
    “业支出” alone. The second is joined to the first when the first reads as cut off (it
    does not end as row names do) and the second holds nothing but a few characters."""
    last: dict[str, Row] = {}
    keep: list[Row] = []
    for r in table.rows:
        prev = last.get(r.block)
        if prev is not None and _continues_label(prev, r):
            prev.label += r.label
            continue
        last[r.block] = r
        keep.append(r)
    table.rows = keep


def _continues_label(prev: Row, r: Row) -> bool:
    """``r`` is the wrapped end of ``prev``'s label."""
    return (
        r.code is None
        and bool(r.label)
        and len(r.label) <= 8
        and r.label == r.name  # no ordinal of its own
        and not any(c.value is not None or c.text for c in r.cells.values())
        and prev.label != prev.name  # the row before starts with an ordinal (八、…)
        and any(c.value is not None for c in prev.cells.values())
        and not _COMPLETE_LABEL.search(prev.label)
    )
