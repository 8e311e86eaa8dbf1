"""A chart's percentages (N204): a percentage printed alone in a figure, right before its
caption (“3.55%  96.45%  基本支出 项目支出  图2：基本支出和项目支出情况”), is the share of one
amount of its section in the section's lead total. The chart's labels come out of the PDF
in no reliable order, so the share is matched by value: verified when one amount of the
section gives it, and left unverifiable (never flagged) otherwise."""

from __future__ import annotations

import re
from decimal import Decimal

from ..claims import Claim
from .context import Context, Evidence
from .figures import fmt, is_money, iv, pct_iv, ratio, wan
from .registry import check

__all__ = ["check_chart_shares"]

_CAPTION_RE = re.compile(r"\n[ \t\u3000]*图\s*\d{1,2}\s*[：:]")
_REACH = 300  # characters from a percentage to its figure's caption
_LOOK_BACK = 3000  # characters before the figure within which its section's amounts are read


def _in_a_figure(ctx: Context, c: Claim) -> bool:
    """No full stop stands between the percentage and a figure caption just below it."""
    after = ctx.doc.text[c.span[1] : c.span[1] + _REACH]
    m = _CAPTION_RE.search(after)
    return m is not None and "。" not in after[: m.start()]


def _amounts(ctx: Context, c: Claim) -> list[Claim]:
    """The money amounts of the percentage's section before it, in order."""
    return [
        x
        for x in ctx.claims_between(c.span[0] - _LOOK_BACK, c.span[0])
        if x.section == c.section
        and x.quantity == "amount"
        and x.value is not None
        and x.span[1] <= c.span[0]
        and is_money(ctx, x)
    ]


@check(needs=("amount_outcomes",))
def check_chart_shares(ctx: Context) -> None:
    for c in ctx.claims:
        if c.quantity != "other" or c.unit != "%" or c.value is None or c.relation or not _in_a_figure(ctx, c):
            continue
        amounts = _amounts(ctx, c)
        if len(amounts) < 2:
            continue
        whole, printed = amounts[0], pct_iv(c)
        fits = {
            wan(ctx, x): x
            for x in amounts[1:]
            if (r := ratio(iv(ctx, x), iv(ctx, whole))) is not None and printed.meets(r)
        }
        if len(fits) != 1:
            ctx.out(c.id).set("unverifiable", "a chart's percentage that no one amount of its section gives")
            continue
        part = next(iter(fits.values()))
        expected = wan(ctx, part) / wan(ctx, whole) * Decimal(100) if wan(ctx, whole) else Decimal(0)
        fields = {
            "subject": part.subject,
            "part": part.value,
            "whole": f"{whole.subject} {whole.value}",
            "expected": fmt(expected),
            "reported": c.value,
        }
        evidence = Evidence(expected=expected, observed=c.value)
        ctx.record("N204", "verified", "chart.verified", fields, [c, part, whole], evidence=evidence)
