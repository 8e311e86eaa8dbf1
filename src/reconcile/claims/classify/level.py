"""Levels: an amount, count, score, sum (合计 of the sentence's parts) or other number,
with a relation before or after it (≥95%, 不少于1.3万条, 10万元以上). The last
classifier: it always decides (a bare number without context is no claim)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..drafts import Draft
from ..lists import attach
from ..model import Quantity
from .context import Context

__all__ = ["level"]

_WINDOW_STRIP = "，,；;：: "


@dataclass(slots=True)
class _Level:
    """What is known of the number so far."""

    relation: str | None
    rel_start: int  # where the relation word (or the number) starts: the end of the subject window
    note_end: int
    window: str = ""  # the words between the previous number and the relation (or number)
    subj: str | None = None
    raw: str | None = None
    sstart: int = 0
    names: list[str | None] = field(default_factory=list)
    fig: str | None = None
    figure_only: bool = False  # the window only says which figure the number is
    classification: tuple[str, ...] = ()
    q_hint: str | None = None
    score_figure: str | None = None


def level(ctx: Context) -> list[Draft]:
    lv = _relation(ctx)
    _subject(ctx, lv)
    _score_subject(ctx, lv)
    if lv.subj is None and ctx.st.path_text and (lv.figure_only or not lv.window.strip("，,：:")):
        lv.subj, lv.classification = ctx.st.path_text, ctx.st.path
    if lv.subj is None:
        _inherited_subject(ctx, lv)
    names = lv.names or [lv.subj if lv.subj else None]
    start = (
        lv.sstart if lv.subj and lv.sstart < lv.rel_start else (ctx.prev_end if lv.window.strip() else ctx.atom.start)
    )
    start = min(start, lv.rel_start)
    q = _quantity(ctx, lv)
    if q is None:
        ctx.atom.reason = "bare number without unit or context"
        return []
    named_total = ctx.r.rules.cue["sum_subject"].match(lv.window.strip(_WINDOW_STRIP))
    if q in ("score", "count", "amount") and named_total and _sum_parts(ctx):
        q = "sum"
    figure = (
        (lv.fig or ctx.r.subjects.default_figure()) if q == "amount" else (lv.score_figure if q == "score" else None)
    )
    if q == "sum":
        names = [ctx.r.rules.cue["subject_trail"].sub("", lv.window.strip(_WINDOW_STRIP)) or "合计"]
    return [_draft(ctx, lv, q, nm, start, figure) for nm in names]


def _relation(ctx: Context) -> _Level:
    """A relation before the number (≥95%, 不少于1.3万条) or after it (以上, 左右…)."""
    relation = None
    rel_start = ctx.atom.start
    note_end = ctx.note_end
    mrel = ctx.search_left("relation_left")
    if mrel is not None:
        relation = ctx.r.words.relation_before.get(mrel.group("rel"))
        rel_start = ctx.cs + mrel.start()
    mright = ctx.r.rules.cue["relation_right"].match(ctx.t, ctx.atom.end)
    if mright is not None:
        relation = relation or ctx.r.words.relation_after[mright.group("rel")]
        note_end = max(note_end, mright.end())
    return _Level(relation, rel_start, note_end)


def _subject(ctx: Context, lv: _Level) -> None:
    """The subject in the window before the number, or the counted noun after a count."""
    atom, unit, subjects, cue = ctx.atom, ctx.unit, ctx.r.subjects, ctx.r.rules.cue
    subj, raw, sstart, names = subjects.subject_of(ctx.prev_end, lv.rel_start)
    window = ctx.t[ctx.prev_end : lv.rel_start]
    if unit is not None and unit not in ctx.money_units and unit not in ("%", "‰", "倍", "分"):
        right = subjects.right_noun(atom.end)
        if right and (subj is None or subj not in ctx.r.rules.alias_to_name.values()):
            subj, raw, names = right, right, [right]
            sstart = atom.start
            lv.note_end = max(lv.note_end, atom.end + len(right))
            window = ""
    lv.subj, lv.raw, lv.sstart, lv.names, lv.window = subj, raw, sstart, list(names), window
    lv.fig = subjects.figure_in(ctx.prev_end, lv.rel_start) if window else None
    lv.figure_only = (
        bool(cue["figure_words"].match(cue["subject_trail"].sub("", cue["subject_lead"].sub("", window)) or ""))
        and subj is None
    )


def _score_subject(ctx: Context, lv: _Level) -> None:
    """A score (分, or a number after 指标/分值/满分): its figure, and the sentence's lead as subject."""
    lv.q_hint = "score" if ctx.unit == "分" else None
    if not (lv.q_hint == "score" or (ctx.unit is None and lv.window.endswith(ctx.r.words.score_words))):
        return
    wl = ctx.r.rules.cue["subject_trail"].sub("", lv.window.strip(_WINDOW_STRIP))
    if wl in (*ctx.r.words.score_words, "得", "得分", "") or lv.subj in ("指标", None):
        lv.score_figure = "得分" if wl in ("得", "得分") else ("分值" if wl else None)
        lead_m = ctx.r.rules.cue["score_lead"].match(ctx.t[ctx.sent_start : ctx.prev_end + 1])
        if lead_m:
            lv.subj, lv.raw = lead_m.group("lead"), lead_m.group("lead")
            lv.names = [lv.subj]


def _inherited_subject(ctx: Context, lv: _Level) -> None:
    """No subject in the window: the topic of a labelled part, the subject of the last
    amount of the sentence, an earlier known subject, or the sentence's topic."""
    t, unit, st, subjects = ctx.t, ctx.unit, ctx.st, ctx.r.subjects
    sent_start, prev_end = ctx.sent_start, ctx.prev_end
    money = unit in ctx.money_units or unit is None
    carrier = next(
        (
            p
            for p in reversed(st.sent_prim)
            if (p.unit in ctx.money_units or p.unit is None) == money and p.quantity != "score"
        ),
        None,
    )
    earlier = subjects.known(sent_start, prev_end) if sent_start < prev_end else []
    labelled = not lv.window.strip() and prev_end > 0 and t[prev_end - 1] in "：:"
    topic_first = subjects.topic(sent_start, prev_end) if labelled else None
    if topic_first is not None:
        lv.subj = topic_first
    elif carrier is not None and _other_flow(ctx, lv.window, carrier.subject):
        return  # its own flow word, no subject the rules know: unverifiable, not the balance's figure
    elif carrier is not None:
        lv.subj, lv.classification = carrier.subject, carrier.classification
    elif earlier and lv.q_hint != "score":
        lv.subj = earlier[-1][2]
    else:
        topic = subjects.topic(sent_start, prev_end)
        if topic is None and lv.figure_only:
            topic = subjects.heading_before(sent_start)  # “（一）因公出国（境）费用。2026年预算数X万元”
        heading = ctx.r.headings.get(ctx.section or "")
        if topic is None and lv.figure_only and heading:
            # a section headed by one item (“（一）因公出国（境）经费” ⏎ “2026年预算安排5.38万元”)
            topic = subjects.heading_item(heading)
        if topic is not None:
            lv.subj = topic


def _other_flow(ctx: Context, window: str, carrier: str | None) -> bool:
    """The window names a flow (收入, 支出) while the sentence's subject before it is a balance:
    “年初结转和结余A万元，收入决算X万元” — X is no figure of the balance."""
    words, c = ctx.r.words, carrier or ""
    balance = any(w in c for w in words.balances) and not any(w in c for w in words.flows)
    return balance and any(w in window for w in words.flows)


def _quantity(ctx: Context, lv: _Level) -> Quantity | None:
    """The quantity from the unit (from the context for a bare number; None: no claim)."""
    unit = ctx.unit
    if unit in ctx.money_units:
        return "amount"
    if unit in ("%", "‰") or unit == "倍":
        return "other"
    if unit == "分":
        return "score"
    if unit is not None:
        return "count"
    return _bare_quantity(ctx, lv.window, lv.subj)


def _bare_quantity(ctx: Context, window: str, subj: str | None) -> Quantity | None:
    """What a number printed without unit is, from its context (or None)."""
    atom = ctx.atom
    nxt = ctx.t[atom.end : atom.end + 1]
    if window.endswith(ctx.r.words.score_words):
        return "score"
    in_list = nxt in ("、", "，", ",", "；", "。", "") or window.startswith("、")
    money_near = any(
        a.unit in ctx.money_units
        for a in ctx.r.atoms.between(max(0, atom.start - 60), atom.start + 60)
        if a is not atom
    )
    if atom.decimals == 2 and (in_list or window.endswith(("为", "是"))) and (subj is not None or money_near):
        return "amount"
    if money_near and window.rstrip("为是").endswith(("决算数", "预算数", "执行数", "决算", "预算")):
        return "amount"
    return None


def _sum_parts(ctx: Context) -> list[Draft]:
    """The amounts, counts or scores of the sentence in the number's unit: the parts of a 合计."""
    unit = ctx.unit
    return [p for p in ctx.st.sent_prim if p.unit == unit and p.quantity in ("score", "count", "amount")]


def _draft(ctx: Context, lv: _Level, q: Quantity, subject: str | None, start: int, figure: str | None) -> Draft:
    unit = ctx.unit
    d = ctx.r.drafts.new(
        start,
        lv.note_end,
        q,
        ctx.atom,
        ctx.section,
        f"{q}:{'unit' if unit else 'bare'}",
        subject,
        lv.raw,
        figure=figure,
        relation=lv.relation,
        classification=lv.classification,
    )
    if unit is None:
        d.flags.append("unit_missing")
        if q == "amount":
            d.unit = None
    if q == "sum":
        comps = _sum_parts(ctx)
        d.components = [p.id for p in comps]
        for p in comps:
            p.total = d.id
    elif q == "amount" and ctx.search_left("base_amount_left") is not None:
        d.flags.append("base_amount")  # the base's amount: not the level the sentence's changes qualify
    elif q in ("amount", "count", "score") and lv.relation is None:
        d.primary = True
        attach(d, ctx.st.list_stack, ctx.r.rules, ctx.r.words, _opens_list(ctx))
    return d


def _opens_list(ctx: Context) -> bool:
    """The amount is followed by a list of its own parts (“X万元，其中：…”)."""
    after = ctx.t[ctx.atom.end : ctx.atom.end + 12]
    m = ctx.r.rules.cue["list_open"].search(after)
    return m is not None and not re.search(r"[\d。；;]", after[: m.start()])
