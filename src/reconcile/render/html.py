"""One self-contained HTML report (inline CSS and JS, works offline).

``render_html(data, text)`` takes the JSON report dict (``Report.to_dict()``,
schema ``reconcile.report/1``) and the document text its spans index. It never
recomputes a finding: it lays out what the dict holds.

Safety: every piece of document or report text goes through :func:`_esc`; the
report data the script needs is embedded as JSON with ``<``, ``>`` and ``&``
escaped; a Content-Security-Policy allows no network access and runs only the
page's own script (by hash), so even a missed escape could not run anything.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._assets import CSS, JS
from ._common import (
    CLAIM_STATUSES,
    FINDING_STATUSES,
    GLYPH,
    KIND_LABEL,
    SEVERITIES,
    SEVERITY_LABEL,
    STATUS_LABEL,
    check_title,
    claim_findings,
    claim_statuses,
    difference,
    fmt_num,
    row_key,
    span_of,
    spans_of,
    visible_controls,
    worst,
)

__all__ = ["render_html"]

_STATUS_EN = {
    "inconsistent": "inconsistent",
    "unverifiable": "unverifiable",
    "verified": "verified",
    "unchecked": "unchecked",
}
_RANK_LIST = {"inconsistent": 3, "unverifiable": 2, "verified": 1}
_QUANTITY_LABEL = {
    "amount": "金额",
    "change": "增减额",
    "rate": "增减率",
    "share": "占比",
    "completion": "完成率",
    "sum": "合计",
    "difference": "差额",
    "count": "数量",
    "score": "分数",
    "other": "其他",
}


def _esc(s: object) -> str:
    """Escape text for HTML (element content and quoted attributes).

    Control characters become visible stand-ins; ``://`` is written with an entity so
    that no URL scheme appears literally in the file (the text still reads the same).
    """
    return html.escape(visible_controls(str(s)), quote=True).replace("://", "&#58;//")


def _json_for_script(obj: object) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class _Lines:
    """Line boundaries exactly as ``Document`` counts them (``str.splitlines``)."""

    starts: list[int]
    body_ends: list[int]

    @classmethod
    def of(cls, text: str) -> _Lines:
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for raw in text.splitlines(keepends=True):
            starts.append(pos)
            ends.append(pos + len(raw.splitlines()[0]))  # the body, without its line break
            pos += len(raw)
        if not starts:
            starts, ends = [0], [0]
        return cls(starts, ends)

    def number(self, offset: int) -> int:
        return max(bisect.bisect_right(self.starts, offset) - 1, 0) + 1


# --------------------------------------------------------------------------- context


@dataclass
class _Ctx:
    data: Mapping[str, Any]
    text: str
    lines: _Lines
    findings: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    fkey: dict[str, str] = field(default_factory=dict)  # finding id -> internal key
    ckey: dict[str, str] = field(default_factory=dict)  # claim id -> internal key
    cstatus: dict[str, str] = field(default_factory=dict)  # claim key -> status
    cfind: dict[str, list[str]] = field(default_factory=dict)  # claim key -> finding keys
    # table cells: dom id lookups
    cell_by_span: dict[tuple[str, int, int], str] = field(default_factory=dict)
    cell_by_name: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    row_label: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    cell_users: dict[str, list[str]] = field(default_factory=dict)  # dom id -> finding keys
    fcells: dict[str, list[list[str]]] = field(default_factory=dict)  # finding key -> dom ids per cell
    details: dict[str, Mapping[str, Any]] = field(default_factory=dict)  # table id -> detail

    def fkeys_of_claim(self, ck: str) -> list[str]:
        return self.cfind.get(ck, [])


def _build(data: Mapping[str, Any], text: str) -> _Ctx:
    findings = [f for f in data.get("findings", []) if isinstance(f, Mapping)]
    claims = [c for c in data.get("claims", []) if isinstance(c, Mapping)]
    ctx = _Ctx(data, text, _Lines.of(text), [dict(f) for f in findings], [dict(c) for c in claims])
    for i, f in enumerate(ctx.findings):
        ctx.fkey.setdefault(str(f.get("id")), f"f{i}")
    for i, c in enumerate(ctx.claims):
        ctx.ckey.setdefault(str(c.get("id")), f"c{i}")
    statuses = claim_statuses({"claims": ctx.claims, "findings": ctx.findings})
    for i, c in enumerate(ctx.claims):
        ctx.cstatus[f"c{i}"] = statuses.get(str(c.get("id")), "unchecked")
    for cid, fids in claim_findings({"findings": ctx.findings}).items():
        ck = ctx.ckey.get(cid)
        if ck is not None:
            ctx.cfind[ck] = [ctx.fkey[x] for x in fids if x in ctx.fkey]
    # table details and cell ids
    detail = data.get("tables_detail")
    if isinstance(detail, Sequence):
        for ti, t in enumerate(detail):
            if not isinstance(t, Mapping):
                continue
            tid = str(t.get("id"))
            ctx.details.setdefault(tid, t)
            for ri, r in enumerate(t.get("rows") or []):
                if not isinstance(r, Mapping):
                    continue
                key = row_key(r)
                label_dom = f"x{ti}-{ri}-label"
                ctx.row_label.setdefault((tid, key), []).append(label_dom)
                ctx.cell_by_name.setdefault((tid, key, "code"), []).append(f"x{ti}-{ri}-code")
                ctx.cell_by_name.setdefault((tid, key, "label"), []).append(label_dom)
                rsp = span_of(r.get("span"))
                if rsp is not None:
                    ctx.cell_by_span.setdefault((tid, rsp[0], rsp[1]), label_dom)
                for ci, (col, cell) in enumerate((r.get("cells") or {}).items()):
                    dom = f"x{ti}-{ri}-{ci}"
                    sp = span_of(cell.get("span") if isinstance(cell, Mapping) else None)
                    if sp is not None:
                        ctx.cell_by_span.setdefault((tid, sp[0], sp[1]), dom)
                    ctx.cell_by_name.setdefault((tid, key, str(col)), []).append(dom)
    for i, f in enumerate(ctx.findings):
        fk = f"f{i}"
        per_cell: list[list[str]] = []
        for c in f.get("cells") or []:
            doms = _resolve_cell(ctx, c)
            per_cell.append(doms)
            for d in doms:
                users = ctx.cell_users.setdefault(d, [])
                if fk not in users:
                    users.append(fk)
        ctx.fcells[fk] = per_cell
    return ctx


def _resolve_cell(ctx: _Ctx, c: Mapping[str, Any]) -> list[str]:
    tid = str(c.get("table"))
    sp = span_of(c.get("span"))
    if sp is not None:
        hit = ctx.cell_by_span.get((tid, sp[0], sp[1]))
        if hit is not None:
            return [hit]
    row = str(c.get("row"))
    hit_names = ctx.cell_by_name.get((tid, row, str(c.get("column"))))
    if hit_names:
        return list(hit_names)
    return list(ctx.row_label.get((tid, row), []))  # a column the table does not have: mark the row


# --------------------------------------------------------------------------- document text


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    key: str  # internal key: f… (finding) or c… (claim)


def _marks(ctx: _Ctx) -> list[_Mark]:
    n = len(ctx.text)
    out: list[_Mark] = []
    for i, c in enumerate(ctx.claims):
        sp = span_of(c.get("span"), n)
        if sp is not None:
            out.append(_Mark(sp[0], sp[1], f"c{i}"))
    for i, f in enumerate(ctx.findings):
        for s, e in sorted(set(spans_of(f.get("spans"), n))):
            out.append(_Mark(s, e, f"f{i}"))
    return out


def _status_of(ctx: _Ctx, key: str) -> str:
    if key.startswith("f"):
        return str(ctx.findings[int(key[1:])].get("status"))
    return ctx.cstatus.get(key, "unchecked")


def _id_of(ctx: _Ctx, key: str) -> str:
    if key.startswith("f"):
        return str(ctx.findings[int(key[1:])].get("id"))
    return str(ctx.claims[int(key[1:])].get("id"))


def _render_text(ctx: _Ctx) -> str:
    text = ctx.text
    marks = _marks(ctx)
    points: set[int] = {0, len(text)}
    points.update(ctx.lines.starts)
    points.update(ctx.lines.body_ends)
    starts_at: dict[int, list[_Mark]] = {}
    ends_at: dict[int, list[_Mark]] = {}
    for m in marks:
        points.add(m.start)
        points.add(m.end)
        starts_at.setdefault(m.start, []).append(m)
        ends_at.setdefault(m.end, []).append(m)
    pts = sorted(points)
    active: dict[str, int] = {}  # key -> number of its spans open here
    # segments grouped by line
    line_html: list[list[str]] = [[] for _ in ctx.lines.starts]
    for i, a in enumerate(pts[:-1]):
        b = pts[i + 1]
        for m in ends_at.get(a, []):
            active[m.key] -= 1
            if active[m.key] == 0:
                del active[m.key]
        for m in starts_at.get(a, []):
            active[m.key] = active.get(m.key, 0) + 1
        li = ctx.lines.number(a) - 1
        if a >= ctx.lines.body_ends[li]:
            continue  # line terminator: not shown
        seg = text[a:b]
        if not active:
            line_html[li].append(_esc(seg))
            continue
        keys = sorted(active, key=lambda k: (k[0] != "c", int(k[1:])))
        ckeys = [k for k in keys if k.startswith("c")]
        fkeys = [k for k in keys if k.startswith("f")]
        ending = [m.key for m in ends_at.get(b, []) if m.key in active and active[m.key] == 1]
        # a claim shows its own status; a finding's status colours only text no claim covers
        # (a share flagged as wrong must not paint the whole it was divided by)
        shown = ckeys or fkeys
        st = worst(_status_of(ctx, k) for k in shown) or "unchecked"
        g = worst(_status_of(ctx, k) for k in ending if k in shown)
        label = "; ".join(
            f"{GLYPH[_status_of(ctx, k)]} {STATUS_LABEL[_status_of(ctx, k)]} {_id_of(ctx, k)}"
            for k in keys
            if _status_of(ctx, k) in GLYPH
        )
        attrs = [
            f'class="m s-{_esc(st)}"',
            f'data-o="{a}"',
            'role="button"',
            'tabindex="0"',
            f'aria-label="{_esc(label)}"',
        ]
        if ckeys:
            attrs.append(f'data-c="{" ".join(ckeys)}"')
        if fkeys:
            attrs.append(f'data-f="{" ".join(fkeys)}"')
        if ending:
            attrs.append(f'data-e="{" ".join(sorted(set(ending)))}"')
        if g:
            attrs.append(f'data-g="{_esc(g)}"')
        line_html[li].append(f"<span {' '.join(attrs)}>{_esc(seg)}</span>")
    out = []
    for i, parts in enumerate(line_html):
        out.append(f'<div class="ln" id="L{i + 1}" data-n="{i + 1}">{"".join(parts)}</div>')
    return "".join(out)


# --------------------------------------------------------------------------- pieces


def _badge(status: str) -> str:
    return (
        f'<span class="badge s-{_esc(status)}">{_esc(GLYPH.get(status, ""))} '
        f"{_esc(STATUS_LABEL.get(status, status))} <small>{_esc(_STATUS_EN.get(status, status))}</small></span>"
    )


def _sev(sev: str) -> str:
    return f'<span class="sev sev-{_esc(sev)}">{_esc(SEVERITY_LABEL.get(sev, sev))} {_esc(sev)}</span>'


def _excerpt(s: str, n: int = 24) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _span_button(ctx: _Ctx, sp: tuple[int, int], label: str | None = None) -> str:
    line = ctx.lines.number(sp[0])
    shown = label if label is not None else f"第{line}行 「{_excerpt(ctx.text[sp[0] : sp[1]])}」"
    return (
        f'<button type="button" class="lnk" data-jo="{sp[0]}" data-je="{sp[1]}" data-jline="{line}" '
        f'title="跳到原文 jump to the text">{_esc(shown)}</button>'
    )


def _cell_display(ctx: _Ctx, cell: Mapping[str, Any]) -> str:
    """The cell as printed (the text at its span) or its value; empty cells read as 空."""
    sp = span_of(cell.get("span"), len(ctx.text))
    if sp is not None:
        return " ".join(ctx.text[sp[0] : sp[1]].split())
    v = cell.get("value")
    return fmt_num(v) if v is not None else ""


def _finding_card(ctx: _Ctx, i: int, f: Mapping[str, Any], *, nested: bool = False) -> str:
    fk = f"f{i}"
    st = str(f.get("status"))
    check = str(f.get("check"))
    out = [f'<article class="card s-{_esc(st)}" {"data-sub" if nested else "data-card"}="{fk}">']
    out.append(
        f'<div class="it-head">{_badge(st)} <b>{_esc(f.get("id"))}</b> <code>{_esc(check)}</code> '
        f"{_sev(str(f.get('severity')))}</div>"
    )
    out.append(f"<h3>{_esc(check_title(check))}</h3>")
    out.append(f'<p class="msg">{_esc(f.get("message", ""))}</p>')
    exp, obs, tol = f.get("expected"), f.get("observed"), f.get("tolerance")
    if exp is not None or obs is not None or tol:
        out.append('<dl class="arith">')
        if obs is not None:
            out.append(f'<dt>观察值 observed</dt><dd data-field="observed">{_esc(fmt_num(obs))}</dd>')
        if exp is not None:
            out.append(f'<dt>应为 expected</dt><dd data-field="expected">{_esc(fmt_num(exp))}</dd>')
        diff = difference(obs, exp)
        if diff is not None:
            out.append(f'<dt>差额 difference</dt><dd data-field="difference">{_esc(diff)}</dd>')
        tl = tol if isinstance(tol, Sequence) and not isinstance(tol, str) and len(tol) == 2 else None
        if tl is not None:
            interval = f"[{fmt_num(tl[0])}, {fmt_num(tl[1])}]"
            out.append(f'<dt>允许区间 tolerance</dt><dd data-field="tolerance">{_esc(interval)}</dd>')
            if obs is not None and st in ("inconsistent", "verified"):
                rel = "∉" if st == "inconsistent" else "∈"
                words = "不在允许区间内，超出印刷舍入误差" if st == "inconsistent" else "在允许区间内"
                out.append(
                    f'<dd class="verdict">{_esc(fmt_num(obs))} {rel} {_esc(interval)}：{_esc(words)}'
                    f"{' (outside the printed-rounding interval)' if st == 'inconsistent' else ' (within the interval)'}"
                    "</dd>"
                )
        out.append("</dl>")
    cells = [c for c in (f.get("cells") or []) if isinstance(c, Mapping)]
    if cells:
        doms = ctx.fcells.get(fk, [])
        out.append(f'<table class="cells"><caption class="sr">{_esc("依据的单元格 cells")}</caption>')
        out.append(
            "<thead><tr><th>表</th><th>行 row</th><th>列 column</th><th>值 value</th><th>位置</th></tr></thead><tbody>"
        )
        for j, c in enumerate(cells):
            links: list[str] = []
            dj = doms[j] if j < len(doms) else []
            if dj:
                links.append(
                    f'<button type="button" class="lnk" data-jcell="{" ".join(dj)}" title="在表格中显示 show in the table">表格</button>'
                )
            sp = span_of(c.get("span"), len(ctx.text))
            if sp is not None:
                links.append(_span_button(ctx, sp, f"第{ctx.lines.number(sp[0])}行"))
            if c.get("page") is not None:
                links.append(f'<span class="where">p.{_esc(c.get("page"))}</span>')
            shown = _cell_display(ctx, c)
            tid = str(c.get("table"))
            t = ctx.details.get(tid)
            ttl = f"{tid} {t.get('title', '')}" if t else tid
            out.append(
                f'<tr data-cellrow="{j}"><td title="{_esc(ttl)}">{_esc(tid)}</td><td>{_esc(c.get("row", ""))}</td>'
                f'<td>{_esc(c.get("column", ""))}</td><td class="v">{_esc(shown) if shown else "<i>空</i>"}</td>'
                f"<td>{''.join(links)}</td></tr>"
            )
        out.append("</tbody></table>")
    spans = spans_of(f.get("spans"), len(ctx.text))
    if spans:
        out.append('<div class="where">原文位置 places in the text:</div><div class="links">')
        out.extend(_span_button(ctx, sp) for sp in spans)
        out.append("</div>")
    cl = [str(x) for x in (f.get("claims") or [])]
    if cl:
        out.append('<div class="where">相关数字 claims:</div><div class="links">')
        for cid in cl:
            ck = ctx.ckey.get(cid)
            if ck is None:
                out.append(f'<span class="where">{_esc(cid)}</span>')
                continue
            c = ctx.claims[int(ck[1:])]
            out.append(
                f'<button type="button" class="lnk" data-open="{ck}" data-jump>{_esc(cid)} 「{_esc(_excerpt(str(c.get("text", "")), 30))}」</button>'
            )
        out.append("</div>")
    out.append("</article>")
    return "".join(out)


def _claim_card(ctx: _Ctx, i: int, c: Mapping[str, Any]) -> str:
    ck = f"c{i}"
    st = ctx.cstatus.get(ck, "unchecked")
    out = [f'<article class="card s-{_esc(st)}" data-card="{ck}">']
    q = str(c.get("quantity") or "")
    out.append(
        f'<div class="it-head">{_badge(st)} <b>{_esc(c.get("id"))}</b> '
        f"<span>数字声明 claim · {_esc(_QUANTITY_LABEL.get(q, q))} {_esc(q)}</span></div>"
    )
    out.append(f"<blockquote>{_esc(c.get('text', ''))}</blockquote>")
    rows: list[tuple[str, str]] = []
    if c.get("subject"):
        rows.append(("主题 subject", str(c["subject"])))
    val = c.get("value")
    if val is not None:
        rows.append(("数值 value", f"{fmt_num(val)} {c.get('unit') or ''}".strip()))
    if c.get("decimals") is not None:
        rows.append(("小数位 decimals", str(c["decimals"])))
    if c.get("section"):
        rows.append(("章节 section", str(c["section"])))
    sp = span_of(c.get("span"), len(ctx.text))
    line = c.get("line") or (ctx.lines.number(sp[0]) if sp else None)
    if line is not None:
        rows.append(("行 line", str(line)))
    if c.get("page") is not None:
        rows.append(("页 page", str(c["page"])))
    if rows:
        out.append('<dl class="kv">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in rows) + "</dl>")
    if sp is not None:
        out.append('<div class="links">' + _span_button(ctx, sp) + "</div>")
    fks = ctx.fkeys_of_claim(ck)
    if fks:
        out.append('<div class="where">核对结果 findings:</div>')
        out.extend(_finding_card(ctx, int(fk[1:]), ctx.findings[int(fk[1:])], nested=True) for fk in fks)
    else:
        out.append('<p class="hint">没有针对此数字的核对结果。No finding refers to this claim.</p>')
    out.append("</article>")
    return "".join(out)


def _line_of(ctx: _Ctx, f: Mapping[str, Any]) -> int | None:
    lines = f.get("lines")
    if isinstance(lines, Sequence) and lines and isinstance(lines[0], int):
        return int(lines[0])
    sps = spans_of(f.get("spans"), len(ctx.text))
    return ctx.lines.number(sps[0][0]) if sps else None


def _finding_item(ctx: _Ctx, i: int, f: Mapping[str, Any]) -> str:
    fk = f"f{i}"
    st = str(f.get("status"))
    line = _line_of(ctx, f)
    where = f"第{line}行" if line is not None else "无原文位置"
    check = str(f.get("check"))
    return (
        f'<li class="s-{_esc(st)}" data-item="{fk}" data-status="{_esc(st)}" data-severity="{_esc(f.get("severity"))}" '
        f'data-check="{_esc(check)}"><button type="button" data-open="{fk}" data-jump>'
        f'<span class="it-head"><span class="g s-{_esc(st)}">{_esc(GLYPH.get(st, ""))}</span>'
        f"<b>{_esc(f.get('id'))}</b> <code>{_esc(check)}</code> {_sev(str(f.get('severity')))} "
        f'<span class="where">{_esc(where)}</span></span>'
        f'<span class="it-title">{_esc(check_title(check))}</span>'
        f'<span class="it-msg">{_esc(f.get("message", ""))}</span></button></li>'
    )


def _claim_item(ctx: _Ctx, i: int, c: Mapping[str, Any]) -> str:
    ck = f"c{i}"
    st = ctx.cstatus.get(ck, "unchecked")
    return (
        f'<li class="s-{_esc(st)}" data-item="{ck}" data-status="{_esc(st)}"><button type="button" data-open="{ck}" data-jump>'
        f'<span class="it-head"><span class="g s-{_esc(st)}">{_esc(GLYPH.get(st, ""))}</span>'
        f'<b>{_esc(c.get("id"))}</b> <span class="where">第{_esc(c.get("line", "?"))}行</span> '
        f"<span>{_esc(c.get('subject') or '')}</span></span>"
        f'<span class="it-msg">{_esc(c.get("text", ""))}</span></button></li>'
    )


def _header(ctx: _Ctx) -> str:
    data = ctx.data
    doc = data.get("document") or {}
    tool = data.get("tool") or {}
    summary = data.get("summary") or {}
    title = doc.get("title") or doc.get("path") or "reconcile report"
    kind = str(doc.get("kind") or "unknown")
    meta = [
        ("单位 organization", doc.get("organization") or "—"),
        ("年度 year", doc.get("year") or "—"),
        ("类型 kind", f"{KIND_LABEL.get(kind, kind)} ({kind})"),
        ("格式 format", doc.get("format") or "—"),
        ("页数 pages", doc.get("pages") if doc.get("pages") is not None else "—"),
        ("文件 path", doc.get("path") or "—"),
        ("规则版本 rules_version", tool.get("rules_version") or "—"),
        ("工具 tool", f"{tool.get('name', 'reconcile')} {tool.get('version', '')}".strip()),
    ]
    out = ['<header class="top">', f"<h1>{_esc(title)}</h1>", '<dl class="meta">']
    for k, v in meta:
        field_name = k.split(" ")[-1]
        out.append(f'<div><dt>{_esc(k)}</dt><dd data-meta="{_esc(field_name)}">{_esc(v)}</dd></div>')
    out.append(
        f'<div><dt>SHA-256</dt><dd class="mono hash" data-meta="sha256">{_esc(doc.get("sha256") or "—")}</dd></div>'
    )
    out.append("</dl>")
    # counts
    fcount = {s: 0 for s in FINDING_STATUSES}
    for f in ctx.findings:
        st = str(f.get("status"))
        fcount[st] = fcount.get(st, 0) + 1
    out.append('<div class="counts">')
    out.append('<div class="stat-group">')
    out.append(
        f'<div class="stat"><span class="lbl">数字声明 claims</span><b data-count="summary.claims">{_esc(summary.get("claims", len(ctx.claims)))}</b></div>'
    )
    for st in ("inconsistent", "verified", "unverifiable"):
        out.append(
            f'<div class="stat s-{st}"><span class="lbl">{GLYPH[st]} {STATUS_LABEL[st]} {st}</span>'
            f'<b data-count="summary.{st}">{_esc(summary.get(st, 0))}</b></div>'
        )
    out.append("</div>")
    out.append('<div class="stat-group">')
    out.append(
        f'<div class="stat"><span class="lbl">核对结果 findings</span><b data-count="findings.total">{len(ctx.findings)}</b></div>'
    )
    for st in FINDING_STATUSES:
        out.append(
            f'<div class="stat s-{st}"><span class="lbl">{GLYPH[st]} {STATUS_LABEL[st]}</span>'
            f'<b data-count="findings.{st}">{fcount.get(st, 0)}</b></div>'
        )
    out.append("</div>")
    out.append('<div class="stat-group">')
    out.append(
        f'<div class="stat"><span class="lbl">标准表 tables</span><b data-count="tables">{len(data.get("tables") or [])}</b></div>'
    )
    out.append("</div>")
    by_check: dict[str, dict[str, int]] = {}
    for f in ctx.findings:
        row = by_check.setdefault(str(f.get("check")), {s: 0 for s in FINDING_STATUSES})
        st = str(f.get("status"))
        row[st] = row.get(st, 0) + 1
    out.append("</div>")
    if by_check:
        inc = [
            f"{code} ✗{by_check[code]['inconsistent']}"
            for code in sorted(by_check)
            if by_check[code].get("inconsistent")
        ]
        out.append(
            f'<details class="bycheck-box"><summary>按检查分类 by check ({len(by_check)}) — 不一致 inconsistent: '
            f"{_esc(' · '.join(inc) or '—')}</summary>"
        )
        out.append('<table class="bycheck"><thead><tr><th>检查 check</th><th>说明</th>')
        out.extend(f"<th>{GLYPH[s]} {STATUS_LABEL[s]}</th>" for s in FINDING_STATUSES)
        out.append("</tr></thead><tbody>")
        for code in sorted(by_check):
            out.append(f"<tr><td><code>{_esc(code)}</code></td><td>{_esc(check_title(code))}</td>")
            out.extend(
                f'<td class="n" data-count="check.{_esc(code)}.{s}">{by_check[code].get(s, 0)}</td>'
                for s in FINDING_STATUSES
            )
            out.append("</tr>")
        out.append("</tbody></table></details>")
    errors = [e for e in (data.get("errors") or []) if isinstance(e, Mapping)]
    if errors:
        out.append('<div class="errors"><b>输入问题 input problems:</b><ul>')
        for e in errors:
            page = f" (p.{e.get('page')})" if e.get("page") is not None else ""
            out.append(f"<li>[{_esc(e.get('stage', ''))}]{_esc(page)} {_esc(e.get('message', ''))}</li>")
        out.append("</ul></div>")
    out.append("</header>")
    return "".join(out)


def _filters(ctx: _Ctx) -> str:
    fcount: dict[str, int] = {}
    ccount: dict[str, int] = {}
    scount: dict[str, int] = {}
    kcount: dict[str, int] = {}
    for f in ctx.findings:
        fcount[str(f.get("status"))] = fcount.get(str(f.get("status")), 0) + 1
        scount[str(f.get("severity"))] = scount.get(str(f.get("severity")), 0) + 1
        kcount[str(f.get("check"))] = kcount.get(str(f.get("check")), 0) + 1
    for st in ctx.cstatus.values():
        ccount[st] = ccount.get(st, 0) + 1
    out = ['<div class="presets" role="group" aria-label="快速筛选 presets">']
    out.append('<button type="button" data-preset="all">全部 all</button>')
    out.append('<button type="button" data-preset="inconsistent">只看不一致 inconsistent only</button>')
    out.append('<button type="button" data-preset="problems">不一致+无法核实</button>')
    out.append("</div>")
    out.append('<fieldset class="flt" id="flt-status"><legend>状态 status</legend>')
    statuses = list(CLAIM_STATUSES) + sorted(s for s in set(fcount) | set(ccount) if s not in CLAIM_STATUSES)
    for st in statuses:
        n = f"问题 {fcount.get(st, 0)} · 数字 {ccount.get(st, 0)}"
        out.append(
            f'<label><input type="checkbox" data-filter="status" value="{_esc(st)}" checked> '
            f'<span class="g s-{_esc(st)}">{_esc(GLYPH.get(st, ""))}</span>{_esc(STATUS_LABEL.get(st, st))} '
            f'<span class="n">({_esc(n)})</span></label>'
        )
    out.append("</fieldset>")
    out.append('<fieldset class="flt" id="flt-severity"><legend>严重度 severity</legend>')
    sevs = list(SEVERITIES) + sorted(s for s in scount if s not in SEVERITIES)
    for sv in sevs:
        out.append(
            f'<label><input type="checkbox" data-filter="severity" value="{_esc(sv)}" checked> '
            f'{_esc(SEVERITY_LABEL.get(sv, sv))} {_esc(sv)} <span class="n">({scount.get(sv, 0)})</span></label>'
        )
    out.append("</fieldset>")
    out.append(
        f'<details class="flt-check"{" open" if len(kcount) <= 8 else ""}><summary>检查 check ({len(kcount)})</summary>'
        '<fieldset class="flt" id="flt-check"><legend class="sr">检查 check</legend>'
    )
    for code in sorted(kcount):
        out.append(
            f'<label title="{_esc(check_title(code))}"><input type="checkbox" data-filter="check" value="{_esc(code)}" checked> '
            f'<code>{_esc(code)}</code> <span class="n">({kcount[code]})</span></label>'
        )
    if not kcount:
        out.append('<span class="hint">无 none</span>')
    out.append("</fieldset></details>")
    out.append(
        f'<p class="shown">显示 shown: 问题 findings <b id="shown-f">{len(ctx.findings)}</b> / {len(ctx.findings)} · '
        f'数字 claims <b id="shown-c">{len(ctx.claims)}</b> / {len(ctx.claims)}</p>'
    )
    return "".join(out)


def _tables(ctx: _Ctx) -> str:
    tables = [t for t in (ctx.data.get("tables") or []) if isinstance(t, Mapping)]
    detail = ctx.data.get("tables_detail")
    out = ['<section class="box" id="tables">', f"<h2>标准表 standard tables ({len(tables)})</h2>"]
    if not tables:
        out.append('<p class="hint">未找到标准表。No standard table found.</p></section>')
        return "".join(out)
    tid_to_index: dict[str, int] = {}
    if isinstance(detail, Sequence):
        for ti, t in enumerate(detail):
            if isinstance(t, Mapping):
                tid_to_index.setdefault(str(t.get("id")), ti)
    # findings per table (for the list)
    per_table: dict[str, set[str]] = {}
    for i, f in enumerate(ctx.findings):
        for c in f.get("cells") or []:
            if isinstance(c, Mapping):
                per_table.setdefault(str(c.get("table")), set()).add(f"f{i}")
    out.append('<ol class="tlist">')
    for t in tables:
        tid = str(t.get("id"))
        n_inc = sum(1 for fk in per_table.get(tid, ()) if _status_of(ctx, fk) == "inconsistent")
        lines = t.get("lines")
        where = f" 第{lines[0]}–{lines[1]}行" if isinstance(lines, Sequence) and len(lines) == 2 else ""
        pages = t.get("pages")
        if pages:
            where += f" p.{', '.join(str(p) for p in pages)}"
        badge = f' <span class="badge s-inconsistent">✗ {n_inc}</span>' if n_inc else ""
        jump = ""
        sp = span_of(t.get("span"), len(ctx.text))
        if sp is not None:
            jump = " " + _span_button(ctx, sp, "原文")
        anchor = (
            f'<button type="button" class="lnk" data-jcell="tbl-{tid_to_index[tid]}">表格</button>'
            if tid in tid_to_index
            else ""
        )
        out.append(
            f"<li><b>{_esc(tid)}</b> {_esc(t.get('title', ''))} <code>{_esc(t.get('kind', ''))}</code>"
            f'<span class="where">{_esc(where)} · {_esc(t.get("rows", "?"))} 行 × {_esc(t.get("columns", "?"))} 列</span>'
            f"{badge} {anchor}{jump}</li>"
        )
    out.append("</ol>")
    if not tid_to_index:
        out.append(
            '<p class="hint">报告未包含表格明细（tables_detail），单元格可在原文中查看。'
            "The report holds no table detail; the cells are shown in the text.</p>"
        )
        for t in tables:
            cols = t.get("column_names")
            if isinstance(cols, Sequence) and cols:
                out.append(
                    f'<p class="where"><b>{_esc(t.get("id"))}</b> 列 columns: {_esc(" | ".join(str(c) for c in cols))}</p>'
                )
        out.append("</section>")
        return "".join(out)
    assert isinstance(detail, Sequence)
    for ti, t in enumerate(detail):
        if isinstance(t, Mapping):
            out.append(_table_grid(ctx, ti, t, bool(per_table.get(str(t.get("id"))))))
    out.append("</section>")
    return "".join(out)


def _table_grid(ctx: _Ctx, ti: int, t: Mapping[str, Any], has_findings: bool) -> str:
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
        f"<summary><b>{_esc(tid)}</b> {_esc(t.get('title', ''))} <code>{_esc(t.get('kind', ''))}</code> "
        f'<span class="where">{_esc(where)} · {len(rows)} 行 × {len(columns)} 列</span></summary>',
        '<div class="tscroll"><table class="grid"><thead><tr><th>编码 code</th><th>项目 item</th>',
    ]
    out.extend(f"<th>{_esc(c)}</th>" for c in columns)
    out.append("</tr></thead><tbody>")
    block_order: dict[str, int] = {}
    for r in rows:
        block_order.setdefault(str(r.get("block") or ""), len(block_order))
    blocks = set(block_order)
    ordered = sorted(
        enumerate(rows), key=lambda p: block_order[str(p[1].get("block") or "")]
    )  # side-by-side blocks one after the other
    current: str | None = None
    for ri, r in ordered:
        blk = str(r.get("block") or "")
        if len(blocks) > 1 and blk != current:
            out.append(f'<tr class="blk"><th colspan="{len(columns) + 2}">{_esc(blk or "—")}</th></tr>')
        current = blk
        line = r.get("line")
        label_dom, code_dom = f"x{ti}-{ri}-label", f"x{ti}-{ri}-code"
        label = _esc(r.get("label", ""))
        if isinstance(line, int) and not ctx.cell_users.get(label_dom):
            label = f'<button type="button" data-jline="{line}" title="第{line}行 jump to line {line}">{label}</button>'
        out.append(f'<tr id="r{ti}-{ri}">')
        out.append(_td(ctx, code_dom, "code", _esc(r.get("code") or ""), str(r.get("code") or "")))
        out.append(_td(ctx, label_dom, "label", label, str(r.get("label") or "")))
        cells = r.get("cells") or {}
        keyed = list(cells.items())
        index = {str(k): ci for ci, (k, _) in enumerate(keyed)}
        for col in columns:
            ci = index.get(col)
            if ci is None:
                out.append('<td class="num"></td>')
                continue
            cell = keyed[ci][1] if isinstance(keyed[ci][1], Mapping) else {}
            shown = _cell_display(ctx, cell)
            out.append(_td(ctx, f"x{ti}-{ri}-{ci}", "num", _esc(shown), shown))
        out.append("</tr>")
    out.append("</tbody></table></div></details>")
    return "".join(out)


def _td(ctx: _Ctx, dom: str, cls: str, inner: str, shown: str) -> str:
    """A table cell; marked (status, findings, keyboard and click target) when findings rest on it."""
    users = ctx.cell_users.get(dom, [])
    if not users:
        return f'<td class="{cls}" id="{dom}">{inner}</td>'
    st = worst(_status_of(ctx, k) for k in users) or "unchecked"
    ids = ", ".join(
        f"{_id_of(ctx, k)} {ctx.findings[int(k[1:])].get('check')} {STATUS_LABEL.get(_status_of(ctx, k), '')}"
        for k in users
    )
    return (
        f'<td class="{cls} used s-{_esc(st)}" id="{dom}" data-f="{" ".join(users)}" tabindex="0" role="button" '
        f'title="{_esc(ids)}" aria-label="{_esc(shown or "空")}: {_esc(ids)}">{inner}</td>'
    )


def _script_data(ctx: _Ctx) -> dict[str, Any]:
    f = {}
    for i, x in enumerate(ctx.findings):
        fk = f"f{i}"
        cells = sorted({d for ds in ctx.fcells.get(fk, []) for d in ds})
        jo: int | None = None
        for cid in x.get("claims") or []:
            ck = ctx.ckey.get(str(cid))
            sp = span_of(ctx.claims[int(ck[1:])].get("span"), len(ctx.text)) if ck else None
            if sp is not None:
                jo = sp[0]
                break
        if jo is None:
            jo = min((sp[0] for sp in spans_of(x.get("spans"), len(ctx.text))), default=None)
        f[fk] = {
            "jo": jo,
            "st": str(x.get("status")),
            "sv": str(x.get("severity")),
            "ck": str(x.get("check")),
            "cells": cells,
        }
    c = {
        f"c{i}": {"st": ctx.cstatus.get(f"c{i}", "unchecked"), "f": ctx.fkeys_of_claim(f"c{i}")}
        for i in range(len(ctx.claims))
    }
    ids = {f"f{i}": str(x.get("id")) for i, x in enumerate(ctx.findings)}
    ids.update({f"c{i}": str(x.get("id")) for i, x in enumerate(ctx.claims)})
    first = next((f"f{i}" for i, x in enumerate(ctx.findings) if x.get("status") == "inconsistent"), None)
    return {"f": f, "c": c, "ids": ids, "first": first}


def _legend() -> str:
    parts = []
    for st in CLAIM_STATUSES:
        parts.append(
            f'<span><span class="lg s-{st}" data-g="{st}">{STATUS_LABEL[st]} 123.45</span> {_esc(_STATUS_EN[st])}</span>'
        )
    return '<div class="legend" aria-hidden="true">图例 legend: ' + "".join(parts) + "</div>"


def _items(ctx: _Ctx) -> str:
    out = [
        f"<h2>核对结果 findings ({len(ctx.findings)})</h2>"
        '<p class="hint">不一致的排在前面。Inconsistent first, then in document order.</p>'
        '<ul class="items" id="finding-list">'
    ]
    order = sorted(range(len(ctx.findings)), key=lambda i: (-_RANK_LIST.get(str(ctx.findings[i].get("status")), 0), i))
    out.extend(_finding_item(ctx, i, ctx.findings[i]) for i in order)
    out.append("</ul>")
    if not ctx.findings:
        out.append('<p class="hint">没有核对结果。No findings.</p>')
    if ctx.claims:
        many = len(ctx.claims) > 40
        out.append(
            f"<details{'' if many else ' open'}><summary><b>数字声明 claims ({len(ctx.claims)})</b></summary>"
            '<ul class="items" id="claim-list">'
        )
        out.extend(_claim_item(ctx, i, c) for i, c in enumerate(ctx.claims))
        out.append("</ul></details>")
    return "".join(out)


def _iter_cards(ctx: _Ctx) -> Iterable[str]:
    for i, f in enumerate(ctx.findings):
        yield _finding_card(ctx, i, f)
    for i, c in enumerate(ctx.claims):
        yield _claim_card(ctx, i, c)


def render_html(data: Mapping[str, Any], text: str) -> str:
    """The report as one self-contained HTML page (a ``str``; write it as UTF-8)."""
    ctx = _build(data, text)
    doc = data.get("document") or {}
    title = doc.get("title") or doc.get("path") or "report"
    script_hash = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    n_lines = len(ctx.lines.starts)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="reconcile">',
        f"<title>{_esc(f'核对报告 reconcile — {title}')}</title>",
        f"<style>{CSS}</style></head><body>",
        _header(ctx),
        '<div class="layout">',
        '<aside class="side" id="side" aria-label="筛选与问题列表 filters and findings">',
        _filters(ctx),
        _items(ctx),
        "</aside>",
        "<main>",
        '<section class="box" id="document">',
        f"<h2>原文 document text ({n_lines} 行)</h2>",
        _legend(),
        '<p class="hint">点击高亮的数字查看核对依据；点击左侧问题跳到原文。'
        "Click a highlighted number for the evidence; click a finding on the left to jump to it.</p>",
        f'<div class="doc" id="doc-text">{_render_text(ctx)}</div>',
        "</section>",
        _tables(ctx),
        "</main>",
        '<aside class="panel" id="panel" aria-live="polite" aria-label="详情 details">',
        "<h2>详情 details</h2>",
        '<div id="panel-body"><p class="hint">点击高亮的数字、表格中标出的单元格或左侧的问题查看详情。'
        "Click a highlighted number, a marked table cell or a finding.</p></div>",
        "</aside>",
        "</div>",
        '<template id="rc-cards">',
        *_iter_cards(ctx),
        "</template>",
        f'<script type="application/json" id="rc-data">{_json_for_script(_script_data(ctx))}</script>',
        f"<script>{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
