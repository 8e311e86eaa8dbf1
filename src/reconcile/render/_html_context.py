"""What every part of the HTML report shares: escaping, the page context and small pieces.

:class:`Ctx` holds the report dict, the document text and the lookups the parts of
the page need (internal keys ``f…``/``c…`` of findings and claims, claim statuses,
the DOM ids of the table cells each finding rests on). :func:`build_context`
makes it once per page; the parts only read it.
"""

from __future__ import annotations

import bisect
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..places import page_label
from ._common import (
    GLYPH,
    SEVERITY_LABEL,
    STATUS_LABEL,
    claim_findings,
    claim_statuses,
    fmt_num,
    row_key,
    span_of,
    visible_controls,
)

__all__ = [
    "STATUS_EN",
    "Ctx",
    "Lines",
    "badge",
    "build_context",
    "cell_display",
    "esc",
    "excerpt",
    "id_of",
    "json_for_script",
    "sev",
    "span_button",
    "status_of",
]

STATUS_EN = {
    "inconsistent": "inconsistent",
    "unverifiable": "unverifiable",
    "verified": "verified",
    "unchecked": "unchecked",
}


def esc(s: object) -> str:
    """Escape text for HTML (element content and quoted attributes).

    Control characters become visible stand-ins; ``://`` is written with an entity so
    that no URL scheme appears literally in the file (the text still reads the same).
    """
    return html.escape(visible_controls(str(s)), quote=True).replace("://", "&#58;//")


def json_for_script(obj: object) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Lines:
    """Line boundaries exactly as ``Document`` counts them (``str.splitlines``)."""

    starts: list[int]
    body_ends: list[int]

    @classmethod
    def of(cls, text: str) -> Lines:
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
class Ctx:
    data: Mapping[str, Any]
    text: str
    lines: Lines
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
    span_page: dict[tuple[int, int], int] = field(default_factory=dict)  # span -> page it is printed on (PDF)

    def place(self, sp: tuple[int, int] | None, page: Any = None) -> str | None:
        """Where a span stands for a reader: ``第12页`` for a PDF input, else ``第N行``."""
        if sp is not None and page is None:
            page = self.span_page.get(sp)
        if isinstance(page, int) and (self.data.get("document") or {}).get("format") == "pdf":
            return page_label(self.data.get("document") or {}, page, zh=True)
        return f"第{self.lines.number(sp[0])}行" if sp is not None else None

    def fkeys_of_claim(self, ck: str) -> list[str]:
        return self.cfind.get(ck, [])


def build_context(data: Mapping[str, Any], text: str) -> Ctx:
    findings = [f for f in data.get("findings", []) if isinstance(f, Mapping)]
    claims = [c for c in data.get("claims", []) if isinstance(c, Mapping)]
    ctx = Ctx(data, text, Lines.of(text), [dict(f) for f in findings], [dict(c) for c in claims])
    for loc in data.get("locations") or []:
        sp = span_of(loc.get("span")) if isinstance(loc, Mapping) else None
        if sp is not None and isinstance(loc.get("page"), int):
            ctx.span_page.setdefault(sp, int(loc["page"]))
    _index_claims(ctx)
    detail = data.get("tables_detail")
    if isinstance(detail, Sequence):
        for ti, t in enumerate(detail):
            if isinstance(t, Mapping):
                _index_table(ctx, ti, t)
    _index_finding_cells(ctx)
    return ctx


def _index_claims(ctx: Ctx) -> None:
    """Internal keys of findings and claims, each claim's status and its findings."""
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


def _index_table(ctx: Ctx, ti: int, t: Mapping[str, Any]) -> None:
    """The DOM ids of one detailed table's cells, by span and by (table, row, column)."""
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


def _index_finding_cells(ctx: Ctx) -> None:
    """Each finding's cells as DOM ids, and the findings resting on each DOM cell."""
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


def _resolve_cell(ctx: Ctx, c: Mapping[str, Any]) -> list[str]:
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


def status_of(ctx: Ctx, key: str) -> str:
    if key.startswith("f"):
        return str(ctx.findings[int(key[1:])].get("status"))
    return ctx.cstatus.get(key, "unchecked")


def id_of(ctx: Ctx, key: str) -> str:
    if key.startswith("f"):
        return str(ctx.findings[int(key[1:])].get("id"))
    return str(ctx.claims[int(key[1:])].get("id"))


# --------------------------------------------------------------------------- small pieces


def badge(status: str) -> str:
    return (
        f'<span class="badge s-{esc(status)}">{esc(GLYPH.get(status, ""))} '
        f"{esc(STATUS_LABEL.get(status, status))} <small>{esc(STATUS_EN.get(status, status))}</small></span>"
    )


def sev(severity: str) -> str:
    return f'<span class="sev sev-{esc(severity)}">{esc(SEVERITY_LABEL.get(severity, severity))} {esc(severity)}</span>'


def excerpt(s: str, n: int = 24) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def span_button(ctx: Ctx, sp: tuple[int, int], label: str | None = None) -> str:
    line = ctx.lines.number(sp[0])
    shown = label if label is not None else f"{ctx.place(sp)} 「{excerpt(ctx.text[sp[0] : sp[1]])}」"
    return (
        f'<button type="button" class="lnk" data-jo="{sp[0]}" data-je="{sp[1]}" data-jline="{line}" '
        f'title="跳到原文 jump to the text">{esc(shown)}</button>'
    )


def cell_display(ctx: Ctx, cell: Mapping[str, Any]) -> str:
    """The cell as printed (the text at its span) or its value; empty cells read as 空."""
    sp = span_of(cell.get("span"), len(ctx.text))
    if sp is not None:
        return " ".join(ctx.text[sp[0] : sp[1]].split())
    v = cell.get("value")
    return fmt_num(v) if v is not None else ""
