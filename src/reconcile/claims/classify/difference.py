"""Difference: 节约/结余/差额 X万元, computed from the last two amounts of the sentence."""

from __future__ import annotations

from ..drafts import Draft
from .context import Context

__all__ = ["difference", "make_difference"]


def difference(ctx: Context) -> list[Draft] | None:
    """节约/结余 X万元 (not a percentage, and not the end of a subject name such as 年终结转结余资金)."""
    mdiff = ctx.search_left("difference_left")
    if mdiff is None or ctx.is_pct:
        return None
    # a known subject that ends at the number, or at the cue word (年终结转结余|资金): a balance, no difference
    ends = (ctx.atom.start, ctx.cs + mdiff.end("word"))
    if any(e in ends for _, e, _ in ctx.r.subjects.known(ctx.cs, ctx.atom.start)):
        return None
    return make_difference(ctx, ctx.cs + mdiff.start(), mdiff.group("word"))


def make_difference(ctx: Context, start: int, word: str) -> list[Draft]:
    head = ctx.head
    ops = [p for p in ctx.st.sent_prim if p.unit in ctx.money_units][-2:]
    d = ctx.r.drafts.new(
        start,
        ctx.note_end,
        "difference",
        ctx.atom,
        ctx.section,
        f"difference:{word}",
        head.subject if head else None,
        None,
        operands=tuple(p.id for p in ops),
        head=head.id if head else None,
    )
    return [d]
