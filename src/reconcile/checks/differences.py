"""Differences: a stated saving, balance or difference against its two amounts (N207)."""

from __future__ import annotations

from decimal import Decimal

from .context import Context, Evidence
from .figures import factor, fmt, is_money, iv, printed
from .registry import check

__all__ = ["check_differences"]


@check()
def check_differences(ctx: Context) -> None:
    for c in ctx.claims:
        if c.quantity != "difference" or c.value is None:
            continue
        ops = [ctx.by_id[x] for x in c.operands if x in ctx.by_id]
        ops = [x for x in ops if x.value is not None and is_money(ctx, x)]
        if len(ops) != 2 or not is_money(ctx, c):
            ctx.out(c.id).set("unverifiable", "the two amounts of this difference were not both stated")
            continue
        a, b = ops
        diff = iv(ctx, a) - iv(ctx, b)
        if diff.hi < 0:
            diff = iv(ctx, b) - iv(ctx, a)
        val = abs((a.value or Decimal(0)) * (factor(ctx, a) or 1) - (b.value or Decimal(0)) * (factor(ctx, b) or 1))
        fields = {"a": a.value, "b": b.value, "value": fmt(val), "stated": c.value, "printed": printed(c)}
        evidence = Evidence(expected=val, observed=c.value, tolerance=diff)
        ctx.verify_or_flag("N207", iv(ctx, c).meets(diff), [c, a, b], fields, variant="difference", evidence=evidence)
