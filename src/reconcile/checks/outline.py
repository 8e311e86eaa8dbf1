"""Outline totals (N206): a numbered heading line that states one amount (“（二）本年其他资金收入
8,790.49万元”) and the numbered lines of the next level below it, each stating one amount
(“4.财政专户管理资金收入780.00万元。” … “9.其他收入983.24万元。”), up to the next heading of
its level. When the items add up to the heading's amount, both are verified; when they do
not, the heading stays unverifiable (the items may be its main ones only): never a flag."""

from __future__ import annotations

import re
from decimal import Decimal

from ..claims import Claim
from ..numbers import Interval
from .context import Context, Evidence
from .figures import fmt, is_money, iv, printed, strip, wan
from .registry import check

__all__ = ["check_outline_totals"]

_HEAD_RE = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]")  # （二）
_ITEM_RE = re.compile(r"^\s*\d{1,2}[.．、]")  # 4.
_STOP_RE = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]+部分)"
)
_REACH = 40  # lines below a heading within which its items are read


def _money_in(ctx: Context, start: int, end: int) -> list[Claim]:
    return [
        x
        for x in ctx.claims_between(start, end)
        if start <= x.span[0] < end and x.quantity == "amount" and x.value is not None and is_money(ctx, x)
    ]


def _items(ctx: Context, t: Claim) -> list[Claim] | None:
    """The one amount of each numbered line below the heading of ``t``; None when a line holds
    another shape (no amount or several) or no item is there."""
    lines = ctx.doc.lines
    head = ctx.doc.line_at(t.span[0])
    items: list[Claim] = []
    for ln in lines[head.number : head.number + _REACH]:  # the lines after it (numbers are 1-based)
        text = ctx.doc.text[ln.start : ln.end]
        if not text.strip():
            continue
        if _STOP_RE.match(text):
            break
        if not _ITEM_RE.match(text):
            return None  # a paragraph that is no item: not a plain outline
        amounts = _money_in(ctx, ln.start, ln.end)
        if len(amounts) != 1:
            return None
        items.append(amounts[0])
    return items


@check(needs=("amount_outcomes",))
def check_outline_totals(ctx: Context) -> None:
    for t in ctx.claims:
        if t.quantity != "amount" or t.value is None or not is_money(ctx, t):
            continue
        line = ctx.doc.line_at(t.span[0])
        if not _HEAD_RE.match(ctx.doc.text[line.start : line.end]) or len(_money_in(ctx, line.start, line.end)) != 1:
            continue
        items = _items(ctx, t)
        if not items or len(items) < 2:
            continue
        parts = Interval.sum([iv(ctx, x) for x in items])
        value = sum((wan(ctx, x) for x in items), Decimal(0))
        if not iv(ctx, t).meets(parts):
            continue  # the items may be its main ones only
        fields = {
            "label": t.subject or "合计",
            "listing": " + ".join(strip(x) for x in items),
            "value": fmt(value),
            "total": printed(t),
            "difference": fmt(wan(ctx, t) - value),
        }
        evidence = Evidence(expected=value, observed=t.value, tolerance=parts)
        ctx.record("N206", "verified", "heading.verified", fields, [t, *items], evidence=evidence)
