"""One self-contained HTML report (inline CSS and JS, works offline).

``render_html(data, text)`` takes the JSON report dict (``Report.to_dict()``,
schema ``reconcile.report/1``) and the document text its spans index. It never
recomputes a finding: it lays out what the dict holds.

The page's parts live in their own modules: the shared context and small pieces
(:mod:`._html_context`), the header and filters (:mod:`._html_header`), the
findings and claims (:mod:`._html_findings`), the document text
(:mod:`._html_text`) and the tables (:mod:`._html_tables`). This module puts them
on one page.

Safety: every piece of document or report text goes through ``esc``; the
report data the script needs is embedded as JSON with ``<``, ``>`` and ``&``
escaped; a Content-Security-Policy allows no network access and runs only the
page's own script (by hash), so even a missed escape could not run anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from ._assets import CSS, JS
from ._html_context import build_context, esc, json_for_script
from ._html_findings import items, iter_cards, script_data
from ._html_header import filters, header
from ._html_tables import tables
from ._html_text import document_text, legend

__all__ = ["render_html"]


def render_html(data: Mapping[str, Any], text: str) -> str:
    """The report as one self-contained HTML page (a ``str``; write it as UTF-8)."""
    ctx = build_context(data, text)
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
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="reconcile">',
        f"<title>{esc(f'核对报告 reconcile — {title}')}</title>",
        f"<style>{CSS}</style></head><body>",
        header(ctx),
        '<div class="layout">',
        '<aside class="side" id="side" aria-label="筛选与问题列表 filters and findings">',
        filters(ctx),
        items(ctx),
        "</aside>",
        "<main>",
        '<section class="box" id="document">',
        f"<h2>原文 document text ({n_lines} 行)</h2>",
        legend(),
        '<p class="hint">点击高亮的数字查看核对依据；点击左侧问题跳到原文。'
        "Click a highlighted number for the evidence; click a finding on the left to jump to it.</p>",
        f'<div class="doc" id="doc-text">{document_text(ctx)}</div>',
        "</section>",
        tables(ctx),
        "</main>",
        '<aside class="panel" id="panel" aria-live="polite" aria-label="详情 details">',
        "<h2>详情 details</h2>",
        '<div id="panel-body"><p class="hint">点击高亮的数字、表格中标出的单元格或左侧的问题查看详情。'
        "Click a highlighted number, a marked table cell or a finding.</p></div>",
        "</aside>",
        "</div>",
        '<template id="rc-cards">',
        *iter_cards(ctx),
        "</template>",
        f'<script type="application/json" id="rc-data">{json_for_script(script_data(ctx))}</script>',
        f"<script>{JS}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
