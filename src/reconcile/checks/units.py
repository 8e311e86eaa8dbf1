"""Units (N210): an amount printed without its unit, or with a stray %, in a money context."""

from __future__ import annotations

from .context import Context
from .registry import check

__all__ = ["check_units"]


@check(needs=("amount_outcomes",))
def check_units(ctx: Context) -> None:
    """Amounts printed without their unit, or with a stray %, in a money context; an amount
    already found inconsistent, or already flagged N210, is not flagged again; a zero needs
    no unit."""
    for c in ctx.claims:
        if c.quantity != "amount" or c.value is None:
            continue
        if ctx.out(c.id).checked and ctx.out(c.id).status == "inconsistent":
            continue
        fields = {"text": c.text, "value": c.value}
        if "stray_percent" in c.flags:
            ctx.record("N210", "inconsistent", "garbled", fields, [c], severity="warning")
        elif c.value == 0:
            continue  # “预算为0”: a zero is zero in any unit
        elif "unit_missing" in c.flags and not any(f.check == "N210" and c.id in f.claims for f in ctx.findings):
            money_context = (
                c.known_subject
                or any(ctx.by_id[x].unit in ctx.cues.money for x in (c.total, *c.components) if x in ctx.by_id)
                or c.total is not None
            )
            if money_context:
                ctx.record("N210", "inconsistent", "missing_unit", fields, [c], severity="warning")
