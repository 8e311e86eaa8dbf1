"""The standard tables in the HTML report: a list of the tables, then each table as a grid.

Without ``tables_detail`` in the report only the list (and each table's column
names) is shown. In the grids, every cell a finding rests on is marked with the
worst status of its findings and opens them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._common import STATUS_LABEL, span_of, worst
from ._html_context import Ctx, cell_display, esc, id_of, span_button, status_of

__all__ = ["tables"]


def tables(ctx: Ctx) -> str:
    """The ``tables`` section: the list of tables and, when the report has their detail, their grids."""
    listed = [t for t in (ctx.data.get("tables") or []) if isinstance(t, Mapping)]
    detail = ctx.data.get("tables_detail")
    out = ['<section class="box" id="tables">', f"<h2>标准表 standard tables ({len(listed)})</h2>"]
    if not listed:
        out.append('<p class="hint">未找到标准表。No standard table found.</p></section>')
        return "".join(out)
    tid_to_index: dict[str, int] = {}
    if isinstance(detail, Sequence):
        for ti, t in enumerate(detail):
            if isinstance(t, Mapping):
                tid_to_index.setdefault(str(t.get("id")), ti)
    per_table = _findings_per_table(ctx)
    out.append('<ol class="tlist">')
    out.extend(_list_item(ctx, t, per_table, tid_to_index) for t in listed)
    out.append("</ol>")
    if not tid_to_index:
        out.append(_without_detail(listed))
        return "".join(out)
    assert isinstance(detail, Sequence)
    for ti, t in enumerate(detail):
        if isinstance(t, Mapping):
            out.append(_table_grid(ctx, ti, t, bool(per_table.get(str(t.get("id"))))))
    out.append("</section>")
    return "".join(out)


def _findings_per_table(ctx: Ctx) -> dict[str, set[str]]:
    """Table id -> keys of the findings resting on one of its cells."""
    per_table: dict[str, set[str]] = {}
    for i, f in enumerate(ctx.findings):
        for c in f.get("cells") or []:
            if isinstance(c, Mapping):
                per_table.setdefault(str(c.get("table")), set()).add(f"f{i}")
    return per_table


def _list_item(ctx: Ctx, t: Mapping[str, Any], per_table: dict[str, set[str]], tid_to_index: dict[str, int]) -> str:
    tid = str(t.get("id"))
    n_inc = sum(1 for fk in per_table.get(tid, ()) if status_of(ctx, fk) == "inconsistent")
    lines = t.get("lines")
    where = f" 第{lines[0]}–{lines[1]}行" if isinstance(lines, Sequence) and len(lines) == 2 else ""
    pages = t.get("pages")
    if pages:
        where += f" p.{', '.join(str(p) for p in pages)}"
    badge = f' <span class="badge s-inconsistent">✗ {n_inc}</span>' if n_inc else ""
    jump = ""
    sp = span_of(t.get("span"), len(ctx.text))
    if sp is not None:
        jump = " " + span_button(ctx, sp, "原文")
    anchor = (
        f'<button type="button" class="lnk" data-jcell="tbl-{tid_to_index[tid]}">表格</button>'
        if tid in tid_to_index
        else ""
    )
    return (
        f"<li><b>{esc(tid)}</b> {esc(t.get('title', ''))} <span class='kind'>{esc(t.get('kind_label') or '')}</span>"
        f'<span class="where">{esc(where)} · {esc(t.get("rows", "?"))} 行 × {esc(t.get("columns", "?"))} 列</span>'
        f"{badge} {anchor}{jump}</li>"
    )


def _without_detail(listed: list[Mapping[str, Any]]) -> str:
    """The rest of the section when the report has no table detail: each table's column names."""
    out = [
        '<p class="hint">报告未包含表格明细（tables_detail），单元格可在原文中查看。'
        "The report holds no table detail; the cells are shown in the text.</p>"
    ]
    for t in listed:
        cols = t.get("column_names")
        if isinstance(cols, Sequence) and cols:
            out.append(
                f'<p class="where"><b>{esc(t.get("id"))}</b> 列 columns: {esc(" | ".join(str(c) for c in cols))}</p>'
            )
    out.append("</section>")
    return "".join(out)


def _table_grid(ctx: Ctx, ti: int, t: Mapping[str, Any], has_findings: bool) -> str:
    tid = str(t.get("id"))
    rows = [r for r in (t.get("rows") or []) if isinstance(r, Mapping)]
    columns = [str(c) for c in (t.get("columns") or [])]
    for r in rows:
        for col in r.get("cells") or {}:
            if str(col) not in columns:
                columns.append(str(col))
    lines = t.get("lines")
    where = f"第{lines[0]}–{lines[1]}行" if isinstance(lines, Sequence) and len(lines) == 2 else ""
    out = [
        f'<details class="tbl" id="tbl-{ti}"{" open" if has_findings else ""}>',
        f"<summary><b>{esc(tid)}</b> {esc(t.get('title', ''))} <span class='kind'>{esc(t.get('kind_label') or '')}</span> "
        f'<span class="where">{esc(where)} · {len(rows)} 行 × {len(columns)} 列</span></summary>',
        '<div class="tscroll"><table class="grid"><thead><tr><th>编码 code</th><th>项目 item</th>',
    ]
    out.extend(f"<th>{esc(c)}</th>" for c in columns)
    out.append("</tr></thead><tbody>")
    block_order: dict[str, int] = {}
    for r in rows:
        block_order.setdefault(str(r.get("block") or ""), len(block_order))
    ordered = sorted(
        enumerate(rows), key=lambda p: block_order[str(p[1].get("block") or "")]
    )  # side-by-side blocks one after the other
    current: str | None = None
    for ri, r in ordered:
        blk = str(r.get("block") or "")
        if len(block_order) > 1 and blk != current:
            out.append(f'<tr class="blk"><th colspan="{len(columns) + 2}">{esc(blk or "—")}</th></tr>')
        current = blk
        out.append(_grid_row(ctx, ti, ri, r, columns))
    out.append("</tbody></table></div></details>")
    return "".join(out)


def _grid_row(ctx: Ctx, ti: int, ri: int, r: Mapping[str, Any], columns: list[str]) -> str:
    line = r.get("line")
    label_dom, code_dom = f"x{ti}-{ri}-label", f"x{ti}-{ri}-code"
    label = esc(r.get("label", ""))
    if isinstance(line, int) and not ctx.cell_users.get(label_dom):
        label = f'<button type="button" data-jline="{line}" title="第{line}行 jump to line {line}">{label}</button>'
    out = [f'<tr id="r{ti}-{ri}">']
    out.append(_td(ctx, code_dom, "code", esc(r.get("code") or ""), str(r.get("code") or "")))
    out.append(_td(ctx, label_dom, "label", label, str(r.get("label") or "")))
    keyed = list((r.get("cells") or {}).items())
    index = {str(k): ci for ci, (k, _) in enumerate(keyed)}
    for col in columns:
        ci = index.get(col)
        if ci is None:
            out.append('<td class="num"></td>')
            continue
        cell = keyed[ci][1] if isinstance(keyed[ci][1], Mapping) else {}
        shown = cell_display(ctx, cell)
        out.append(_td(ctx, f"x{ti}-{ri}-{ci}", "num", esc(shown), shown))
    out.append("</tr>")
    return "".join(out)


def _td(ctx: Ctx, dom: str, cls: str, inner: str, shown: str) -> str:
    """A table cell; marked (status, findings, keyboard and click target) when findings rest on it."""
    users = ctx.cell_users.get(dom, [])
    if not users:
        return f'<td class="{cls}" id="{dom}">{inner}</td>'
    st = worst(status_of(ctx, k) for k in users) or "unchecked"
    ids = ", ".join(
        f"{id_of(ctx, k)} {ctx.findings[int(k[1:])].get('check')} {STATUS_LABEL.get(status_of(ctx, k), '')}"
        for k in users
    )
    return (
        f'<td class="{cls} used s-{esc(st)}" id="{dom}" data-f="{" ".join(users)}" tabindex="0" role="button" '
        f'title="{esc(ids)}" aria-label="{esc(shown or "空")}: {esc(ids)}">{inner}</td>'
    )
