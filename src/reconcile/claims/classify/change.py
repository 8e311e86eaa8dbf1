"""Change and rate: 比上年决算数减少69.64万元，下降10.2%; 增长2倍.

The subject stands before the base phrase (X比上年增加) or after it (与上年相比，X增加);
a rate without a subject of its own is the rate of the last change of the sentence.
"""

from __future__ import annotations

import regex as re

from ..drafts import Draft
from ..model import Quantity
from .context import Context
from .difference import make_difference

__all__ = ["change"]


def change(ctx: Context) -> list[Draft] | None:
    """A change (an amount or a count) or a rate (a percentage or a multiple)."""
    mchange = ctx.mchange
    if mchange is None:
        return None
    word = mchange.group("up") or mchange.group("down")
    direction = 1 if mchange.group("up") is not None else -1
    sent_start, cs = ctx.sent_start, ctx.cs
    base = ctx.r.subjects.find_base(sent_start if sent_start <= cs else cs, ctx.atom.start)
    a, b, bm, win_a = _subject_window(ctx, mchange)
    subj, raw, sstart, names = ctx.r.subjects.subject_of(a, b)
    if raw and ctx.r.rules.cue["this_year"].fullmatch(raw):
        subj, raw, names = None, None, []  # “本年数小于上年预算数…”: the subject is the head's
    if word in ctx.r.words.saving and not ctx.is_pct:
        return make_difference(ctx, cs + mchange.start(), word)
    names, heads = _heads(ctx, names)
    start = min(sstart, cs + mchange.start()) if subj else cs + mchange.start()
    if bm is not None and not subj:
        start = win_a + bm.start()
    q, rule = _kind(ctx)
    out: list[Draft] = []
    for nm, h in zip(names, heads, strict=True):
        nm_or_none = nm or None
        ch = _change_of_rate(ctx, nm_or_none, len(names), subj is not None) if q == "rate" else None
        d = ctx.r.drafts.new(
            start,
            ctx.note_end,
            q,
            ctx.atom,
            ctx.section,
            rule,
            nm_or_none,
            raw,
            base=base,
            direction=direction,
            head=h.id if h else None,
            change=ch.id if ch else None,
            figure=h.figure if h else None,
        )
        _flag(ctx, d, word, mchange)
        out.append(d)
    return out


def _subject_window(ctx: Context, mchange: re.Match[str]) -> tuple[int, int, re.Match[str] | None, int]:
    """The window of the change's subject: (start, end, the base phrase in it, the window's start)."""
    t, cs = ctx.t, ctx.cs
    win_a = max(ctx.prev_end, cs)
    subjects_left = t[win_a : cs + mchange.start()]
    if subjects_left.endswith("同比"):
        subjects_left = subjects_left[:-2]
    if not subjects_left.strip() and cs > 0 and t[cs - 1] in "，,":
        found = _subject_before_base(ctx, cs - 1)
        if found is not None:
            return found
    base_matches = list(ctx.r.rules.cue["base_phrase"].finditer(subjects_left))
    bm = base_matches[-1] if base_matches else None
    subj_text_end = cs + mchange.start()
    subj_text_start = win_a
    if bm is not None:
        # subject may stand before the base phrase (X比上年增加) or after (与上年相比，X增加)
        before = subjects_left[: bm.start()]
        after = subjects_left[bm.end() :].lstrip("，,")
        if after.strip(" 各均分别"):
            subj_text_start = win_a + bm.end() + (len(subjects_left[bm.end() :]) - len(after))
        else:
            subj_text_end = win_a + len(before)
    return subj_text_start, subj_text_end, bm, win_a


def _subject_before_base(ctx: Context, comma: int) -> tuple[int, int, re.Match[str] | None, int] | None:
    """“政府性基金预算财政拨款收入与上年同期相比，增加144.81%”: a change alone in its clause
    after a clause that ends with its base phrase takes its subject from there (that clause
    holds no number of its own)."""
    pcs = ctx.r.subjects.clause_start(comma)
    if pcs < ctx.sent_start or ctx.r.atoms.last_end(pcs, comma) is not None:
        return None
    prev = ctx.t[pcs:comma]
    bm = next((m for m in ctx.r.rules.cue["base_phrase"].finditer(prev) if not prev[m.end() :].strip()), None)
    if bm is None or not prev[: bm.start()].strip():
        return None
    return pcs, pcs + bm.start(), bm, pcs


def _heads(ctx: Context, names: list[str]) -> tuple[list[str], list[Draft | None]]:
    """The subjects of the change and, for each, the amount it qualifies."""
    head, last_change = ctx.head, ctx.st.last_change
    heads: list[Draft | None] = []
    if (
        not names
        and (ctx.is_pct or ctx.unit == "倍")
        and last_change is not None
        and last_change.start >= ctx.sent_start
    ):
        names = [last_change.subject or ""]
        heads = [ctx.r.drafts.by_id.get(last_change.head) if last_change.head else head]
    elif names:
        for nm in names:
            h = next((p for p in reversed(ctx.st.sent_prim) if p.subject == nm), None) or ctx.r.drafts.by_subject(
                nm, ctx.section, ctx.atom.start
            )
            heads.append(h or head)
    else:
        names = [head.subject if head and head.subject else ""]
        heads = [head]
    return names, heads


def _kind(ctx: Context) -> tuple[Quantity, str]:
    """(quantity, rule) from the unit: a money change, a rate or multiple, or a count change."""
    unit, sent_prim = ctx.unit, ctx.st.sent_prim
    money_context = bool(sent_prim) and sent_prim[-1].unit in ctx.money_units
    if unit in ctx.money_units or (unit is None and not ctx.is_pct and money_context):
        return "change", "change"
    if ctx.is_pct or unit == "倍":
        return "rate", "rate_multiple" if unit == "倍" else "rate"
    return "change", "change_count"


def _change_of_rate(ctx: Context, subject: str | None, n_names: int, named: bool) -> Draft | None:
    """The change a rate derives from: the last change (of the same subject when there are
    several, or when the rate names a subject of its own: ``named``)."""
    last_change = ctx.st.last_change
    if last_change is None or not (last_change.subject == subject or (n_names == 1 and not named)):
        return None
    if n_names == 1:
        return last_change
    return next(
        (
            c
            for c in reversed(ctx.r.drafts.all)
            if c.quantity == "change" and c.subject == subject and c.start >= ctx.sent_start
        ),
        last_change,
    )


def _flag(ctx: Context, d: Draft, word: str, mchange: re.Match[str]) -> None:
    if ctx.r.words.magnitude_word(word):
        d.flags.append("magnitude_word")
    if mchange.group(0).endswith("/"):
        d.flags.append("slash")
    if ctx.unit is None and not ctx.atom.marker:
        d.flags.append("unit_missing")
    d.flags.extend(ctx.zflags)
