"""Completion: 完成(全年)预算X万元的Y%, 预算执行率Y%, and the budget amount of a
completion (完成全年预算1.35万元的100%); and a "--" marker that is no rate."""

from __future__ import annotations

from ..drafts import Draft
from .context import Context

__all__ = ["completion", "completion_budget", "completion_ratio", "dash"]


def dash(ctx: Context) -> list[Draft] | None:
    """A dash that is not a rate: ignored (not a number)."""
    if (
        ctx.atom.marker is not None
        and ctx.mchange is None
        and not ctx.search_left("completion_left")
        and not ctx.search_left("completion_ratio_left")
    ):
        return []
    return None


def completion(ctx: Context) -> list[Draft] | None:
    """完成(全年)预算X万元的Y%: a completion, linked to its budget amount."""
    atom, unit, head = ctx.atom, ctx.unit, ctx.head
    mc = ctx.search_left("completion_left")
    if not ((ctx.is_pct or unit is None) and mc is not None and (unit is not None or atom.marker)):
        return None
    budget_draft: Draft | None = None
    subjects = ctx.r.subjects
    base = subjects.base_norm(mc.group("base")) if mc.group("base") not in ("计划", "全年计划") else "计划"
    if mc.group("budget"):
        bstart = ctx.cs + mc.start("budget")
        for a in ctx.r.atoms.between(bstart, atom.start):
            if a.claims:
                budget_draft = ctx.r.drafts.by_id.get(a.claims[0])
    d = ctx.r.drafts.new(
        ctx.cs + mc.start(),
        ctx.note_end,
        "completion",
        atom,
        ctx.section,
        "completion",
        head.subject if head else None,
        None,
        base=base,
        head=head.id if head else None,
        budget=budget_draft.id if budget_draft else None,
    )
    d.flags.extend(ctx.zflags)
    if unit is None and not atom.marker:
        d.flags.append("unit_missing")
    return [d]


def completion_ratio(ctx: Context) -> list[Draft] | None:
    """预算执行率Y%: a completion against the budget."""
    mr = ctx.search_left("completion_ratio_left")
    if not (ctx.is_pct and mr is not None and ctx.mchange is None):
        return None
    head = ctx.head
    subj, raw, sstart, _ = ctx.r.subjects.subject_of(ctx.prev_end, ctx.cs + mr.start())
    d = ctx.r.drafts.new(
        min(ctx.cs + mr.start(), sstart),
        ctx.note_end,
        "completion",
        ctx.atom,
        ctx.section,
        f"completion_ratio:{mr.group('label')}",
        subj or (head.subject if head else None),
        raw,
        head=head.id if head else None,
        base="预算",
    )
    d.flags.extend(ctx.zflags)
    return [d]


def completion_budget(ctx: Context) -> list[Draft] | None:
    """完成全年预算1.35万元的100%: the amount is the budget of the completion after it."""
    mcb = ctx.search_left("completion_budget_left")
    if not (mcb is not None and ctx.unit in ctx.money_units and ctx.t.startswith("的", ctx.atom.end)):
        return None
    head = ctx.head
    base = ctx.r.subjects.base_norm(mcb.group("base")) if "计划" not in mcb.group("base") else "计划"
    d = ctx.r.drafts.new(
        ctx.atom.start,
        ctx.atom.end,
        "amount",
        ctx.atom,
        ctx.section,
        "completion_budget",
        head.subject if head else None,
        None,
        figure=base,
        head=head.id if head else None,
        classification=head.classification if head else (),
    )
    return [d]
