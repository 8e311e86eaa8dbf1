"""Findings and claims in the HTML report: the side list, the detail cards and the script's data.

The side list has one item per finding (inconsistent first) and per claim; every
item opens its card. Cards live in a ``<template>`` the script clones into the
detail panel: a finding's card shows its message, arithmetic, cells, places and
claims; a claim's card shows the claim and the cards of its findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..report import ordered_findings
from ._common import GLYPH, cause_line, cell_value, check_title, fmt_num, shown, shown_tolerance, span_of, spans_of
from ._html_context import Ctx, badge, cell_display, esc, excerpt, sev, span_button

__all__ = ["items", "iter_cards", "script_data"]

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


# --------------------------------------------------------------------------- finding card


def _finding_card(ctx: Ctx, i: int, f: Mapping[str, Any], *, nested: bool = False) -> str:
    fk = f"f{i}"
    st = str(f.get("status"))
    check = str(f.get("check"))
    out = [f'<article class="card s-{esc(st)}" {"data-sub" if nested else "data-card"}="{fk}">']
    out.append(
        f'<div class="it-head">{badge(st)} <b>{esc(f.get("id"))}</b> <code>{esc(check)}</code> '
        f"{sev(str(f.get('severity')))}</div>"
    )
    out.append(f"<h3>{esc(check_title(check, st))}</h3>")
    out.append(f'<p class="msg">{esc(f.get("message", ""))}</p>')
    cause = cause_line(f)
    if cause:
        out.append(f'<p class="cause" data-field="likely_cause"><b>可能原因 likely cause:</b> {esc(cause)}</p>')
    out.append(_group_line(f))
    out.append(_arithmetic(f, st))
    cells = [c for c in (f.get("cells") or []) if isinstance(c, Mapping)]
    if cells:
        out.append(_cells_table(ctx, cells, ctx.fcells.get(fk, [])))
    spans = spans_of(f.get("spans"), len(ctx.text))
    if spans:
        out.append('<div class="where">原文位置 places in the text:</div><div class="links">')
        out.extend(span_button(ctx, sp) for sp in spans)
        out.append("</div>")
    cl = [str(x) for x in (f.get("claims") or [])]
    if cl:
        out.append(_claim_links(ctx, cl))
    out.append("</article>")
    return "".join(out)


def _arithmetic(f: Mapping[str, Any], st: str) -> str:
    """Observed, expected, their difference and the tolerance at the inputs' printed precision,
    with the verdict ("" when none)."""
    exp, obs = f.get("expected"), f.get("observed")
    tl = shown_tolerance(f)
    if not (exp is not None or obs is not None or tl):
        return ""
    out = ['<dl class="arith">']
    if obs is not None:
        out.append(f'<dt>观察值 observed</dt><dd data-field="observed">{esc(shown(f, "observed"))}</dd>')
    if exp is not None:
        out.append(f'<dt>应为 expected</dt><dd data-field="expected">{esc(shown(f, "expected"))}</dd>')
    diff = shown(f, "difference") if obs is not None and exp is not None else ""
    if diff:
        out.append(f'<dt>差额 difference</dt><dd data-field="difference">{esc(diff)}</dd>')
    if tl is not None:
        interval = f"[{tl[0]}, {tl[1]}]"
        out.append(f'<dt>允许区间 tolerance</dt><dd data-field="tolerance">{esc(interval)}</dd>')
        if obs is not None and st in ("inconsistent", "verified"):
            rel = "∉" if st == "inconsistent" else "∈"
            words = "不在允许区间内，超出印刷舍入误差" if st == "inconsistent" else "在允许区间内"
            out.append(
                f'<dd class="verdict">{esc(shown(f, "observed"))} {rel} {esc(interval)}：{esc(words)}'
                f"{' (outside the printed-rounding interval)' if st == 'inconsistent' else ' (within the interval)'}"
                "</dd>"
            )
    out.append("</dl>")
    return "".join(out)


def _cells_table(ctx: Ctx, cells: list[Mapping[str, Any]], doms: list[list[str]]) -> str:
    """The cells a finding rests on (``doms``: each cell's DOM ids in the tables)."""
    out = [f'<table class="cells"><caption class="sr">{esc("依据的单元格 cells")}</caption>']
    out.append(
        "<thead><tr><th>表</th><th>行 row</th><th>列 column</th><th>值 value</th><th>位置</th></tr></thead><tbody>"
    )
    for j, c in enumerate(cells):
        out.append(_cell_row(ctx, j, c, doms[j] if j < len(doms) else []))
    out.append("</tbody></table>")
    return "".join(out)


def _cell_row(ctx: Ctx, j: int, c: Mapping[str, Any], dj: list[str]) -> str:
    links: list[str] = []
    if dj:
        links.append(
            f'<button type="button" class="lnk" data-jcell="{" ".join(dj)}" title="在表格中显示 show in the table">表格</button>'
        )
    sp = span_of(c.get("span"), len(ctx.text))
    if sp is not None:
        links.append(span_button(ctx, sp, ctx.place(sp, c.get("page"))))
    elif c.get("page") is not None:
        links.append(f'<span class="where">p.{esc(c.get("page"))}</span>')
    value = cell_display(ctx, c) or cell_value(c)
    tid = str(c.get("table"))
    t = ctx.details.get(tid)
    ttl = str(c.get("table_label") or (f"{tid} {t.get('title', '')}" if t else tid))
    row = c.get("row_label") if c.get("row_label") is not None else c.get("row", "")
    col = c.get("column_label") or c.get("column", "")
    return (
        f'<tr data-cellrow="{j}"><td title="{esc(ttl)}">{esc(ttl)}</td><td>{esc(row)}</td>'
        f'<td>{esc(col)}</td><td class="v">{esc(value) if value else "<i>空</i>"}</td>'
        f"<td>{''.join(links)}</td></tr>"
    )


def _claim_links(ctx: Ctx, cl: list[str]) -> str:
    out = ['<div class="where">相关数字 claims:</div><div class="links">']
    for cid in cl:
        ck = ctx.ckey.get(cid)
        if ck is None:
            out.append(f'<span class="where">{esc(cid)}</span>')
            continue
        c = ctx.claims[int(ck[1:])]
        out.append(
            f'<button type="button" class="lnk" data-open="{ck}" data-jump>{esc(cid)} 「{esc(excerpt(str(c.get("text", "")), 30))}」</button>'
        )
    out.append("</div>")
    return "".join(out)


# --------------------------------------------------------------------------- claim card


def _claim_card(ctx: Ctx, i: int, c: Mapping[str, Any]) -> str:
    ck = f"c{i}"
    st = ctx.cstatus.get(ck, "unchecked")
    out = [f'<article class="card s-{esc(st)}" data-card="{ck}">']
    q = str(c.get("quantity") or "")
    out.append(
        f'<div class="it-head">{badge(st)} <b>{esc(c.get("id"))}</b> '
        f"<span>数字声明 claim · {esc(_QUANTITY_LABEL.get(q, q))} {esc(q)}</span></div>"
    )
    out.append(f"<blockquote>{esc(c.get('text', ''))}</blockquote>")
    sp = span_of(c.get("span"), len(ctx.text))
    rows = _claim_facts(ctx, c, sp)
    if rows:
        out.append('<dl class="kv">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>")
    if sp is not None:
        out.append('<div class="links">' + span_button(ctx, sp) + "</div>")
    fks = ctx.fkeys_of_claim(ck)
    if fks:
        out.append('<div class="where">核对结果 findings:</div>')
        out.extend(_finding_card(ctx, int(fk[1:]), ctx.findings[int(fk[1:])], nested=True) for fk in fks)
    else:
        out.append('<p class="hint">没有针对此数字的核对结果。No finding refers to this claim.</p>')
    out.append("</article>")
    return "".join(out)


def _claim_facts(ctx: Ctx, c: Mapping[str, Any], sp: tuple[int, int] | None) -> list[tuple[str, str]]:
    """The claim's subject, value, decimals, section, line and page, as far as known."""
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
    line = c.get("line") or (ctx.lines.number(sp[0]) if sp else None)
    if line is not None:
        rows.append(("行 line", str(line)))
    if c.get("page") is not None:
        rows.append(("页 page", str(c["page"])))
    return rows


def iter_cards(ctx: Ctx) -> Iterable[str]:
    for i, f in enumerate(ctx.findings):
        yield _finding_card(ctx, i, f)
    for i, c in enumerate(ctx.claims):
        yield _claim_card(ctx, i, c)


# --------------------------------------------------------------------------- side list


def _line_of(ctx: Ctx, f: Mapping[str, Any]) -> int | None:
    lines = f.get("lines")
    if isinstance(lines, Sequence) and lines and isinstance(lines[0], int):
        return int(lines[0])
    sps = spans_of(f.get("spans"), len(ctx.text))
    return ctx.lines.number(sps[0][0]) if sps else None


def _finding_item(ctx: Ctx, i: int, f: Mapping[str, Any]) -> str:
    fk = f"f{i}"
    st = str(f.get("status"))
    line = _line_of(ctx, f)
    where = f"第{line}行" if line is not None else "无原文位置"
    pages = f.get("pages")
    if isinstance(pages, Sequence) and pages and isinstance(pages[0], int):
        where = ctx.place(None, pages[0]) or where
    check = str(f.get("check"))
    return (
        f'<li class="s-{esc(st)}" data-item="{fk}" data-status="{esc(st)}" data-severity="{esc(f.get("severity"))}" '
        f'data-check="{esc(check)}"><button type="button" data-open="{fk}" data-jump>'
        f'<span class="it-head"><span class="g s-{esc(st)}">{esc(GLYPH.get(st, ""))}</span>'
        f"<b>{esc(f.get('id'))}</b> <code>{esc(check)}</code> {sev(str(f.get('severity')))} "
        f'<span class="where">{esc(where)}</span></span>'
        f'<span class="it-title">{esc(check_title(check, st))}</span>'
        f'<span class="it-msg">{esc(f.get("message", ""))}</span>{_cause_span(f)}</button></li>'
    )


def _group_line(f: Mapping[str, Any]) -> str:
    """The root finding this one follows from, or the findings that follow from it ("" for neither)."""
    if f.get("caused_by"):
        return f'<p class="group" data-field="caused_by">同一原因，见 same cause as <b>{esc(f["caused_by"])}</b></p>'
    cons = [str(x) for x in f.get("consequences") or []]
    if cons:
        return f'<p class="group" data-field="consequences">同一原因的后果 consequences of the same cause: {esc(", ".join(cons))}</p>'
    return ""


def _cause_span(f: Mapping[str, Any]) -> str:
    if f.get("caused_by"):
        return f'<span class="it-cause">同一原因，见 same cause as {esc(f["caused_by"])}</span>'
    lc = f.get("likely_cause")
    if not isinstance(lc, Mapping):
        return ""
    return f'<span class="it-cause">可能原因 likely cause: {esc(lc.get("title", ""))}</span>'


def _claim_place(ctx: Ctx, c: Mapping[str, Any]) -> str:
    """``第12页`` for a claim of a PDF, ``第N行`` for a text input."""
    if isinstance(c.get("page"), int):
        placed = ctx.place(None, c["page"])
        if placed is not None:
            return placed
    return f"第{c.get('line', '?')}行"


def _claim_item(ctx: Ctx, i: int, c: Mapping[str, Any]) -> str:
    ck = f"c{i}"
    st = ctx.cstatus.get(ck, "unchecked")
    return (
        f'<li class="s-{esc(st)}" data-item="{ck}" data-status="{esc(st)}"><button type="button" data-open="{ck}" data-jump>'
        f'<span class="it-head"><span class="g s-{esc(st)}">{esc(GLYPH.get(st, ""))}</span>'
        f'<b>{esc(c.get("id"))}</b> <span class="where">{esc(_claim_place(ctx, c))}</span> '
        f"<span>{esc(c.get('subject') or '')}</span></span>"
        f'<span class="it-msg">{esc(c.get("text", ""))}</span></button></li>'
    )


def items(ctx: Ctx) -> str:
    """The side list: findings (inconsistent first), then the claims."""
    out = [
        f"<h2>核对结果 findings ({len(ctx.findings)})</h2>"
        '<p class="hint">不一致的排在前面，原因最确定的在最前。Inconsistent first, the most certain cause first; '
        "then in document order.</p>"
        '<ul class="items" id="finding-list">'
    ]
    pos = {id(f): i for i, f in enumerate(ctx.findings)}
    order = [pos[id(f)] for f in ordered_findings(ctx.findings)]
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


# --------------------------------------------------------------------------- script data


def script_data(ctx: Ctx) -> dict[str, Any]:
    """What the page's script needs: per finding its jump offset, status, severity, check and
    DOM cells; per claim its status and findings; every key's id; the first inconsistent finding."""
    f = {}
    for i, x in enumerate(ctx.findings):
        fk = f"f{i}"
        f[fk] = {
            "jo": _jump_offset(ctx, x),
            "st": str(x.get("status")),
            "sv": str(x.get("severity")),
            "ck": str(x.get("check")),
            "cells": sorted({d for ds in ctx.fcells.get(fk, []) for d in ds}),
        }
    c = {
        f"c{i}": {"st": ctx.cstatus.get(f"c{i}", "unchecked"), "f": ctx.fkeys_of_claim(f"c{i}")}
        for i in range(len(ctx.claims))
    }
    ids = {f"f{i}": str(x.get("id")) for i, x in enumerate(ctx.findings)}
    ids.update({f"c{i}": str(x.get("id")) for i, x in enumerate(ctx.claims)})
    pos = {id(x): i for i, x in enumerate(ctx.findings)}
    most = ordered_findings(ctx.findings, inconsistent_only=True)[:1]
    first = f"f{pos[id(most[0])]}" if most else None
    return {"f": f, "c": c, "ids": ids, "first": first}


def _jump_offset(ctx: Ctx, x: Mapping[str, Any]) -> int | None:
    """Where a finding jumps to in the text: its first claim with a span, else its first span."""
    for cid in x.get("claims") or []:
        ck = ctx.ckey.get(str(cid))
        sp = span_of(ctx.claims[int(ck[1:])].get("span"), len(ctx.text)) if ck else None
        if sp is not None:
            return sp[0]
    return min((sp[0] for sp in spans_of(x.get("spans"), len(ctx.text))), default=None)
