"""The top of the HTML report and its filters.

The header shows the document's metadata, the claim, finding and table counts, the
findings by check and the input problems; the filters (in the side bar) select
findings and claims by status, severity and check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._common import (
    CLAIM_STATUSES,
    FINDING_STATUSES,
    GLYPH,
    KIND_LABEL,
    SEVERITIES,
    SEVERITY_LABEL,
    STATUS_LABEL,
    check_title,
)
from ._html_context import Ctx, esc

__all__ = ["filters", "header"]


# --------------------------------------------------------------------------- header


def header(ctx: Ctx) -> str:
    data = ctx.data
    doc = data.get("document") or {}
    title = doc.get("title") or doc.get("path") or "reconcile report"
    out = ['<header class="top">', f"<h1>{esc(title)}</h1>", _meta(doc, data.get("tool") or {})]
    out.append(_counts(ctx, data.get("summary") or {}))
    by_check = _by_check(ctx)
    if by_check:
        out.append(_by_check_box(by_check))
    out.append(_errors(data))
    out.append("</header>")
    return "".join(out)


def _meta(doc: Mapping[str, Any], tool: Mapping[str, Any]) -> str:
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
    out = ['<dl class="meta">']
    for k, v in meta:
        field_name = k.split(" ")[-1]
        out.append(f'<div><dt>{esc(k)}</dt><dd data-meta="{esc(field_name)}">{esc(v)}</dd></div>')
    out.append(
        f'<div><dt>SHA-256</dt><dd class="mono hash" data-meta="sha256">{esc(doc.get("sha256") or "—")}</dd></div>'
    )
    out.append("</dl>")
    return "".join(out)


def _counts(ctx: Ctx, summary: Mapping[str, Any]) -> str:
    """Three groups of counts: claims by status (from the summary), findings by status, tables."""
    fcount = {s: 0 for s in FINDING_STATUSES}
    for f in ctx.findings:
        st = str(f.get("status"))
        fcount[st] = fcount.get(st, 0) + 1
    out = ['<div class="counts">']
    out.append('<div class="stat-group">')
    out.append(
        f'<div class="stat"><span class="lbl">数字声明 claims</span><b data-count="summary.claims">{esc(summary.get("claims", len(ctx.claims)))}</b></div>'
    )
    for st in ("inconsistent", "verified", "unverifiable"):
        out.append(
            f'<div class="stat s-{st}"><span class="lbl">{GLYPH[st]} {STATUS_LABEL[st]} {st}</span>'
            f'<b data-count="summary.{st}">{esc(summary.get(st, 0))}</b></div>'
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
        f'<div class="stat"><span class="lbl">标准表 tables</span><b data-count="tables">{len(ctx.data.get("tables") or [])}</b></div>'
    )
    if summary.get("identities_checked") is not None:
        out.append(
            f'<div class="stat"><span class="lbl">表内勾稽 identities checked / held</span>'
            f'<b data-count="summary.identities_checked">{esc(summary.get("identities_checked"))}</b> / '
            f'<b data-count="summary.identities_held">{esc(summary.get("identities_held"))}</b></div>'
        )
    out.append("</div>")
    out.append("</div>")
    out.append(_not_checked(summary))
    return "".join(out)


def _not_checked(summary: Mapping[str, Any]) -> str:
    """What could not be checked, and the verdict when nothing could be (never a bare “no inconsistency”)."""
    reasons = [r for r in summary.get("not_checked") or [] if isinstance(r, Mapping)]
    if not reasons:
        return ""
    items = "".join(f'<li data-reason="{esc(r.get("code"))}">{esc(r.get("reason"))}</li>' for r in reasons)
    verdict = (
        ""
        if summary.get("checkable", True)
        else "<p><b>无法核对 Nothing could be checked</b>: this may not be a 部门预算 or 部门决算.</p>"
    )
    return f'<div class="not-checked" role="note">{verdict}<p>未核对 not checked:</p><ul>{items}</ul></div>'


def _by_check(ctx: Ctx) -> dict[str, dict[str, int]]:
    """Check code -> finding status -> count."""
    by_check: dict[str, dict[str, int]] = {}
    for f in ctx.findings:
        row = by_check.setdefault(str(f.get("check")), {s: 0 for s in FINDING_STATUSES})
        st = str(f.get("status"))
        row[st] = row.get(st, 0) + 1
    return by_check


def _by_check_box(by_check: dict[str, dict[str, int]]) -> str:
    inc = [
        f"{code} ✗{by_check[code]['inconsistent']}" for code in sorted(by_check) if by_check[code].get("inconsistent")
    ]
    out = [
        f'<details class="bycheck-box"><summary>按检查分类 by check ({len(by_check)}) — 不一致 inconsistent: '
        f"{esc(' · '.join(inc) or '—')}</summary>"
    ]
    out.append('<table class="bycheck"><thead><tr><th>检查 check</th><th>说明</th>')
    out.extend(f"<th>{GLYPH[s]} {STATUS_LABEL[s]}</th>" for s in FINDING_STATUSES)
    out.append("</tr></thead><tbody>")
    for code in sorted(by_check):
        title = check_title(code) if by_check[code].get("inconsistent") else check_title(code, "verified")
        out.append(f"<tr><td><code>{esc(code)}</code></td><td>{esc(title)}</td>")
        out.extend(
            f'<td class="n" data-count="check.{esc(code)}.{s}">{by_check[code].get(s, 0)}</td>'
            for s in FINDING_STATUSES
        )
        out.append("</tr>")
    out.append("</tbody></table></details>")
    return "".join(out)


def _errors(data: Mapping[str, Any]) -> str:
    """The input problems ("" when none)."""
    errors = [e for e in (data.get("errors") or []) if isinstance(e, Mapping)]
    if not errors:
        return ""
    out = ['<div class="errors"><b>输入问题 input problems:</b><ul>']
    for e in errors:
        page = f" (p.{e.get('page')})" if e.get("page") is not None else ""
        out.append(f"<li>[{esc(e.get('stage', ''))}]{esc(page)} {esc(e.get('message', ''))}</li>")
    out.append("</ul></div>")
    return "".join(out)


# --------------------------------------------------------------------------- filters


def filters(ctx: Ctx) -> str:
    """Preset buttons, then the status, severity and check filters and the shown counts."""
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
    out.append(_status_filter(fcount, ccount))
    out.append(_severity_filter(scount))
    out.append(_check_filter(kcount))
    out.append(
        f'<p class="shown">显示 shown: 问题 findings <b id="shown-f">{len(ctx.findings)}</b> / {len(ctx.findings)} · '
        f'数字 claims <b id="shown-c">{len(ctx.claims)}</b> / {len(ctx.claims)}</p>'
    )
    return "".join(out)


def _status_filter(fcount: dict[str, int], ccount: dict[str, int]) -> str:
    out = ['<fieldset class="flt" id="flt-status"><legend>状态 status</legend>']
    statuses = list(CLAIM_STATUSES) + sorted(s for s in set(fcount) | set(ccount) if s not in CLAIM_STATUSES)
    for st in statuses:
        n = f"问题 {fcount.get(st, 0)} · 数字 {ccount.get(st, 0)}"
        out.append(
            f'<label><input type="checkbox" data-filter="status" value="{esc(st)}" checked> '
            f'<span class="g s-{esc(st)}">{esc(GLYPH.get(st, ""))}</span>{esc(STATUS_LABEL.get(st, st))} '
            f'<span class="n">({esc(n)})</span></label>'
        )
    out.append("</fieldset>")
    return "".join(out)


def _severity_filter(scount: dict[str, int]) -> str:
    out = ['<fieldset class="flt" id="flt-severity"><legend>严重度 severity</legend>']
    sevs = list(SEVERITIES) + sorted(s for s in scount if s not in SEVERITIES)
    for sv in sevs:
        out.append(
            f'<label><input type="checkbox" data-filter="severity" value="{esc(sv)}" checked> '
            f'{esc(SEVERITY_LABEL.get(sv, sv))} {esc(sv)} <span class="n">({scount.get(sv, 0)})</span></label>'
        )
    out.append("</fieldset>")
    return "".join(out)


def _check_filter(kcount: dict[str, int]) -> str:
    out = [
        f'<details class="flt-check"{" open" if len(kcount) <= 8 else ""}><summary>检查 check ({len(kcount)})</summary>'
        '<fieldset class="flt" id="flt-check"><legend class="sr">检查 check</legend>'
    ]
    for code in sorted(kcount):
        out.append(
            f'<label title="{esc(check_title(code))}"><input type="checkbox" data-filter="check" value="{esc(code)}" checked> '
            f'<code>{esc(code)}</code> <span class="n">({kcount[code]})</span></label>'
        )
    if not kcount:
        out.append('<span class="hint">无 none</span>')
    out.append("</fieldset></details>")
    return "".join(out)
