"""Share: 占X的Y% (the whole named, or the total of the open list)."""

from __future__ import annotations

from ..drafts import Draft
from .context import Context

__all__ = ["share"]


def share(ctx: Context) -> list[Draft] | None:
    msh = ctx.search_left("share_left")
    if not (ctx.is_pct and msh is not None):
        return None
    subjects, cs = ctx.r.subjects, ctx.cs
    whole_raw = msh.groupdict().get("whole")
    whole_subject = None
    whole = None
    if whole_raw:
        ws, _, _, _ = subjects.subject_of(cs + msh.start("whole"), cs + msh.end("whole"))
        whole_subject = ws or whole_raw
        whole = ctx.r.drafts.by_subject(whole_subject, ctx.section, ctx.atom.start) if ws else None
    elif ctx.st.list_stack:
        top = ctx.st.list_stack[-1]
        whole_subject = top.subject
        whole = top.by_figure.get(subjects.default_figure()) or next(iter(top.by_figure.values()), None)
    own_subj, raw, sstart, _ = subjects.subject_of(ctx.prev_end, cs + msh.start())
    part = None
    if own_subj is None:
        sent_prim = ctx.st.sent_prim
        part = sent_prim[-1] if sent_prim and sent_prim[-1].start >= cs - 40 else ctx.head
    start = min(sstart, cs + msh.start()) if own_subj else cs + msh.start()
    d = ctx.r.drafts.new(
        start,
        ctx.note_end,
        "share",
        ctx.atom,
        ctx.section,
        "share",
        own_subj or (part.subject if part else None),
        raw,
        head=part.id if part else None,
        whole=whole.id if whole else None,
        whole_subject=whole_subject,
    )
    return [d]
