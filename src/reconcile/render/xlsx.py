"""The report as an Excel workbook (openpyxl).

Sheets: ``summary`` (document and counts), ``findings`` (one row per finding, with
its lines, spans, pages and cells), ``cells`` (one row per cell a finding rests
on), ``claims``, ``tables`` (and ``table_cells`` when the dict has
``tables_detail``) and ``errors``. Every sheet has a bold header row, an
autofilter, a frozen header and column widths fitted to the content.
Text is always written as text: a value starting with ``=`` never becomes a formula.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..places import page_label
from ..report import ordered_findings
from ._common import (
    KIND_LABEL,
    STATUS_LABEL,
    cause_line,
    cell_label,
    cell_value,
    check_title,
    claim_findings,
    claim_statuses,
    row_key,
    shown,
    shown_tolerance,
    span_of,
    spans_of,
)

__all__ = ["FINDING_COLUMNS", "render_xlsx"]

#: Header of the ``findings`` sheet, in order (key, header text).
FINDING_COLUMNS: list[tuple[str, str]] = [
    ("id", "Finding 编号"),
    ("status", "Status 状态"),
    ("status_zh", "状态"),
    ("severity", "Severity 严重度"),
    ("check", "Check 检查"),
    ("check_name", "Check name"),
    ("check_title", "Check title 说明"),
    ("message", "Message 说明"),
    ("likely_cause", "Likely cause 可能原因"),
    ("caused_by", "Same cause 同一原因"),
    ("observed", "Observed 核对数"),
    ("table_value", "Table value 表中数"),
    ("expected", "Expected 应为"),
    ("tolerance_low", "Tolerance low 允许下限"),
    ("tolerance_high", "Tolerance high 允许上限"),
    ("lines", "Lines 行"),
    ("pages", "Pages 页"),
    ("spans", "Spans 位置"),
    ("text_at_spans", "Text at spans 原文"),
    ("cells", "Cells 单元格"),
    ("claims", "Claims 数字声明"),
]

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EAED")
_STATUS_FILL = {
    "inconsistent": PatternFill("solid", fgColor="FDE3E1"),
    "unverifiable": PatternFill("solid", fgColor="FFF0C2"),
    "verified": PatternFill("solid", fgColor="DCF2E2"),
}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_MAX_CELL = 32_000  # Excel's limit is 32,767 characters


def _clean(v: Any) -> Any:
    """A value openpyxl can store: numbers stay numbers, everything else becomes clean text."""
    if v is None or isinstance(v, bool | int | float):
        return v
    s = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(v))
    return s if len(s) <= _MAX_CELL else s[: _MAX_CELL - 1] + "…"


def _width(v: Any) -> int:
    s = "" if v is None else str(v)
    longest = max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in ln) for ln in s.split("\n")), default=0
    )
    return longest


def _sheet(
    wb: Workbook,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    wrap: Sequence[int] = (),
    status_col: int | None = None,
    max_width: int = 60,
) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append([_clean(h) for h in header])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for r in rows:
        ws.append([_clean(v) for v in r])
        row_cells = ws[ws.max_row]
        for c in row_cells:
            if isinstance(c.value, str):
                c.data_type = "s"  # never a formula, whatever the text starts with
            c.alignment = _TOP
        for i in wrap:
            row_cells[i].alignment = _WRAP
        if status_col is not None:
            fill = _STATUS_FILL.get(str(r[status_col]))
            if fill is not None:
                row_cells[status_col].fill = fill
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    for i, h in enumerate(header):
        widths = [_width(h)] + [_width(r[i]) for r in rows[:2000] if i < len(r)]
        limit = max_width if i not in wrap else 80
        ws.column_dimensions[get_column_letter(i + 1)].width = max(6, min(limit, max(widths) + 2))
    return ws


def _join(xs: Sequence[Any], sep: str = " ") -> str:
    return sep.join(str(x) for x in xs)


@dataclass(frozen=True, slots=True)
class _Source:
    """The document text the spans index (when given) and its line starts."""

    text: str | None
    starts: list[int] | None
    document: Mapping[str, Any]

    @classmethod
    def of(cls, text: str | None, document: Mapping[str, Any]) -> _Source:
        return cls(text, _line_starts(text), document)

    def page(self, page: int) -> str:
        """A page as the ``pages`` columns show it: its number, or ``tables.pdf p. 3`` for
        a report read from several PDFs."""
        return page_label(self.document, page) if self.document.get("files") else str(page)

    def line_of(self, offset: int) -> int | None:
        if self.starts is None:
            return None
        return bisect.bisect_right(self.starts, offset)

    def printed(self, sp: tuple[int, int] | None) -> str | None:
        """The text at ``sp`` with its whitespace collapsed; None without a span or text."""
        return " ".join(self.text[sp[0] : sp[1]].split()) if sp and self.text is not None else None


def _line_starts(text: str | None) -> list[int] | None:
    if text is None:
        return None
    starts: list[int] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        starts.append(pos)
        pos += len(raw)
    return starts or [0]


def _mappings(items: Any) -> list[Mapping[str, Any]]:
    return [x for x in (items or []) if isinstance(x, Mapping)]


def render_xlsx(data: Mapping[str, Any], path: str | Path, text: str | None = None) -> Path:
    """Write the workbook to ``path`` and return it. ``text`` (optional) adds the
    printed text at each finding's spans."""
    findings: list[Mapping[str, Any]] = ordered_findings(
        [f for f in data.get("findings", []) if isinstance(f, Mapping)]
    )
    claims = [c for c in data.get("claims", []) if isinstance(c, Mapping)]
    src = _Source.of(text, data.get("document") or {})
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    _summary_sheet(wb, data, findings, claims)
    _findings_sheets(wb, findings, src)
    _claims_sheet(wb, data, claims)
    _tables_sheet(wb, data)
    detail = data.get("tables_detail")
    if isinstance(detail, Sequence) and detail:
        _table_cells_sheet(wb, detail, findings)
    _errors_sheet(wb, data)
    out = Path(path)
    wb.save(out)
    return out


# --------------------------------------------------------------------------- summary


def _summary_sheet(
    wb: Workbook, data: Mapping[str, Any], findings: list[Mapping[str, Any]], claims: list[Mapping[str, Any]]
) -> None:
    doc = data.get("document") or {}
    tool = data.get("tool") or {}
    summary = data.get("summary") or {}
    meta: list[tuple[str, Any]] = [
        ("path 文件", doc.get("path")),
        ("title 标题", doc.get("title")),
        ("organization 单位", doc.get("organization")),
        ("year 年度", doc.get("year")),
        ("kind 类型", f"{doc.get('kind')} {KIND_LABEL.get(str(doc.get('kind')), '')}".strip()),
        ("format 格式", doc.get("format")),
        ("pages 页数", doc.get("pages")),
        ("sha256", doc.get("sha256")),
        ("tool", f"{tool.get('name', 'reconcile')} {tool.get('version', '')}".strip()),
        ("rules_version 规则版本", tool.get("rules_version")),
        ("schema", data.get("schema")),
        ("claims 数字声明", summary.get("claims", len(claims))),
        ("claims verified 已核实", summary.get("verified")),
        ("claims inconsistent 不一致", summary.get("inconsistent")),
        ("claims unverifiable 无法核实", summary.get("unverifiable")),
        ("findings 核对结果", len(findings)),
    ]
    meta.extend(_finding_counts(findings))
    if summary.get("identities_checked") is not None:
        meta.append(("table identities checked 表内勾稽", summary.get("identities_checked")))
        meta.append(("table identities held 成立", summary.get("identities_held")))
    meta.append(("checkable 可核对", "yes 是" if summary.get("checkable", True) else "no 否: nothing could be checked"))
    meta.extend(("not checked 未核对", r.get("reason")) for r in summary.get("not_checked") or [])
    meta.append(("tables 标准表", len(data.get("tables") or [])))
    meta.append(("errors 输入问题", len(data.get("errors") or [])))
    _sheet(wb, "summary", ["Field 项目", "Value 值"], meta, max_width=70)


def _finding_counts(findings: list[Mapping[str, Any]]) -> list[tuple[str, Any]]:
    """The summary's finding counts: by status, then by check."""
    out: list[tuple[str, Any]] = []
    for st in ("inconsistent", "unverifiable", "verified"):
        out.append((f"findings {st} {STATUS_LABEL[st]}", sum(1 for f in findings if f.get("status") == st)))
    by_check: dict[str, int] = {}
    checked: dict[str, int] = {}
    for f in findings:
        code = str(f.get("check"))
        checked[code] = checked.get(code, 0) + 1
        if f.get("status") == "inconsistent":
            by_check[code] = by_check.get(code, 0) + 1
    for code in sorted(by_check):  # a failure title counts only the inconsistent findings
        out.append((f"inconsistent {code} {check_title(code)}", by_check[code]))
    for code in sorted(checked):
        out.append((f"findings {code} {check_title(code, 'verified')}", checked[code]))
    return out


# --------------------------------------------------------------------------- findings and their cells


def _findings_sheets(wb: Workbook, findings: list[Mapping[str, Any]], src: _Source) -> None:
    """The ``findings`` sheet (one row per finding) and the ``cells`` sheet (one row per cell)."""
    frows: list[list[Any]] = []
    crows: list[list[Any]] = []
    for f in findings:
        cells = _mappings(f.get("cells"))
        row = _finding_row(f, cells, src)
        frows.append([row[k] for k, _ in FINDING_COLUMNS])
        crows.extend(_cell_rows(f, cells, src))
    keys = [k for k, _ in FINDING_COLUMNS]
    _sheet(
        wb,
        "findings",
        [h for _, h in FINDING_COLUMNS],
        frows,
        wrap=[keys.index("message"), keys.index("likely_cause"), keys.index("cells")],
        status_col=keys.index("status"),
    )
    _sheet(wb, "cells", _CELL_HEADER, crows, status_col=1)


def _finding_row(f: Mapping[str, Any], cells: list[Mapping[str, Any]], src: _Source) -> dict[str, Any]:
    """One finding's ``findings`` row, keyed as :data:`FINDING_COLUMNS`."""
    tl: Sequence[str | None] = shown_tolerance(f) or (None, None)
    spans = spans_of(f.get("spans"))
    lines = f.get("lines")
    if not isinstance(lines, Sequence) or isinstance(lines, str):
        lines = sorted({n for n in (src.line_of(s) for s, _ in spans) if n is not None})
    pages = f.get("pages")
    if not isinstance(pages, Sequence) or isinstance(pages, str):
        pages = sorted({int(c["page"]) for c in cells if isinstance(c.get("page"), int)})
    at = ""
    if src.text is not None:
        at = " | ".join(" ".join(src.text[s:e].split()) for s, e in spans)
    return {
        "id": f.get("id"),
        "status": f.get("status"),
        "status_zh": STATUS_LABEL.get(str(f.get("status")), ""),
        "severity": f.get("severity"),
        "check": f.get("check"),
        "check_name": f.get("check_name", ""),
        "check_title": check_title(str(f.get("check")), str(f.get("status"))),
        "message": f.get("message", ""),
        "likely_cause": cause_line(f),
        "caused_by": _group_text(f),
        "observed": shown(f, "observed") if f.get("observed") is not None else None,
        "table_value": cell_value(cells[0]) if cells else None,
        "expected": shown(f, "expected") if f.get("expected") is not None else None,
        "tolerance_low": tl[0],
        "tolerance_high": tl[1],
        "lines": _join(lines),
        "pages": _join([src.page(int(p)) for p in pages], "; " if src.document.get("files") else " "),
        "spans": _join([f"{s}-{e}" for s, e in spans]),
        "text_at_spans": at,
        "cells": "\n".join(f"{cell_label(c)} = {cell_value(c, '(空)')}" for c in cells),
        "claims": _join([str(x) for x in (f.get("claims") or [])]),
    }


def _group_text(f: Mapping[str, Any]) -> str | None:
    """“caused by F0016” for a consequence, “root of F0017 F0018” for the finding they follow from."""
    if f.get("caused_by"):
        return f"caused by {f['caused_by']}"
    cons = [str(x) for x in f.get("consequences") or []]
    return f"root of {' '.join(cons)}" if cons else None


_CELL_HEADER = [
    "Finding 编号",
    "Status 状态",
    "Check 检查",
    "#",
    "Table 表",
    "Row 行",
    "Column 列",
    "Value 值",
    "Printed 原文",
    "Span start",
    "Span end",
    "Line 行号",
    "Page 页",
]


def _cell_rows(f: Mapping[str, Any], cells: list[Mapping[str, Any]], src: _Source) -> list[list[Any]]:
    """One ``cells`` row per cell the finding rests on."""
    rows: list[list[Any]] = []
    for j, c in enumerate(cells, 1):
        sp = span_of(c.get("span"))
        rows.append(
            [
                f.get("id"),
                f.get("status"),
                f.get("check"),
                j,
                c.get("table_label") or c.get("table"),
                c.get("row_label") if c.get("row_label") is not None else c.get("row"),
                c.get("column_label") or c.get("column"),
                cell_value(c) or None,
                src.printed(sp),
                sp[0] if sp else None,
                sp[1] if sp else None,
                src.line_of(sp[0]) if sp else None,
                src.page(c["page"]) if src.document.get("files") and isinstance(c.get("page"), int) else c.get("page"),
            ]
        )
    return rows


# --------------------------------------------------------------------------- claims


_CLAIM_HEADER = [
    "Claim 编号",
    "Status 状态",
    "Text 原文",
    "Line 行",
    "Page 页",
    "Section 章节",
    "Subject 主题",
    "Quantity 类别",
    "Value 数值",
    "Decimals 小数位",
    "Unit 单位",
    "Span start",
    "Span end",
    "Findings 核对结果",
]


def _claims_sheet(wb: Workbook, data: Mapping[str, Any], claims: list[Mapping[str, Any]]) -> None:
    cstatus = claim_statuses(data)
    cfind = claim_findings(data)
    rows: list[list[Any]] = []
    for c in claims:
        sp = span_of(c.get("span"))
        rows.append(
            [
                c.get("id"),
                cstatus.get(str(c.get("id")), "unchecked"),
                c.get("text"),
                c.get("line"),
                c.get("page"),
                c.get("section"),
                c.get("subject"),
                c.get("quantity"),
                c.get("value"),
                c.get("decimals"),
                c.get("unit"),
                sp[0] if sp else None,
                sp[1] if sp else None,
                _join(cfind.get(str(c.get("id")), [])),
            ]
        )
    _sheet(wb, "claims", _CLAIM_HEADER, rows, wrap=[2], status_col=1)


# --------------------------------------------------------------------------- tables


_TABLE_HEADER = [
    "Table 表",
    "Kind 类型",
    "Title 标题",
    "Pages 页",
    "Lines 行",
    "Rows 行数",
    "Columns 列数",
    "Cells 单元格数",
    "Column names 列名",
]


def _tables_sheet(wb: Workbook, data: Mapping[str, Any]) -> None:
    rows: list[list[Any]] = []
    for t in data.get("tables") or []:
        if not isinstance(t, Mapping):
            continue
        lines = t.get("lines")
        rows.append(
            [
                t.get("id"),
                t.get("kind_label") or t.get("kind"),
                t.get("title"),
                _join(t.get("pages") or []),
                f"{lines[0]}–{lines[1]}" if isinstance(lines, Sequence) and len(lines) == 2 else None,
                t.get("rows"),
                t.get("columns"),
                t.get("cells"),
                " | ".join(str(x) for x in (t.get("column_names") or [])),
            ]
        )
    _sheet(wb, "tables", _TABLE_HEADER, rows)


_TABLE_CELL_HEADER = [
    "Table 表",
    "Block 栏",
    "Code 编码",
    "Label 项目",
    "Column 列",
    "Value 值",
    "Decimals 小数位",
    "Line 行",
    "Page 页",
    "Span start",
    "Span end",
    "Used by 被引用",
]


@dataclass
class _CellUsers:
    """Which findings rest on each table cell: by the cell's span, else by its names."""

    by_name: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    by_span: dict[tuple[str, int, int], list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: list[Mapping[str, Any]]) -> _CellUsers:
        users = cls()
        for f in findings:
            for c in f.get("cells") or []:
                if not isinstance(c, Mapping):
                    continue
                sp = span_of(c.get("span"))
                if sp is not None:
                    users.by_span.setdefault((str(c.get("table")), sp[0], sp[1]), []).append(str(f.get("id")))
                else:
                    users.by_name.setdefault((str(c.get("table")), str(c.get("row")), str(c.get("column"))), []).append(
                        str(f.get("id"))
                    )
        return users

    def of_cell(self, tid: str, key: str, col: str, sp: tuple[int, int] | None) -> list[str]:
        by = self.by_span.get((tid, sp[0], sp[1]), []) if sp else []
        return by + self.by_name.get((tid, key, col), [])


def _table_cells_sheet(wb: Workbook, detail: Sequence[Any], findings: list[Mapping[str, Any]]) -> None:
    """One row per cell of every table in ``tables_detail``, with the findings that use it."""
    users = _CellUsers.of(findings)
    rows: list[list[Any]] = []
    for t in detail:
        if not isinstance(t, Mapping):
            continue
        tid = str(t.get("id"))
        for r in t.get("rows") or []:
            if isinstance(r, Mapping):
                rows.extend(_row_cells(tid, r, users))
    _sheet(wb, "table_cells", _TABLE_CELL_HEADER, rows)


def _row_cells(tid: str, r: Mapping[str, Any], users: _CellUsers) -> list[list[Any]]:
    key = row_key(r)
    rows: list[list[Any]] = []
    for col, cell in (r.get("cells") or {}).items():
        cm = cell if isinstance(cell, Mapping) else {}
        sp = span_of(cm.get("span"))
        by = users.of_cell(tid, key, str(col), sp)
        rows.append(
            [
                tid,
                r.get("block") or None,
                r.get("code"),
                r.get("label"),
                col,
                cm.get("value"),
                cm.get("decimals"),
                r.get("line"),
                cm.get("page", r.get("page")),
                sp[0] if sp else None,
                sp[1] if sp else None,
                _join(sorted(set(by))),
            ]
        )
    return rows


# --------------------------------------------------------------------------- errors


def _errors_sheet(wb: Workbook, data: Mapping[str, Any]) -> None:
    rows = [
        [e.get("stage"), e.get("page"), e.get("message")] for e in (data.get("errors") or []) if isinstance(e, Mapping)
    ]
    _sheet(wb, "errors", ["Stage 阶段", "Page 页", "Message 说明"], rows, wrap=[2])
