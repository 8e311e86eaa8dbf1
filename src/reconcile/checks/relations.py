"""Qualitative statements (N211): 持平 against the stated change, 等于/大于/小于预算 against the
two figures, a subject said not to exist against its cell, and a reason that moves the
item the other way than the stated change."""

from __future__ import annotations

from ..claims import Claim
from ..match import BUDGET_FIGURES, paths_in
from ..model import compact
from .completion import budget_for
from .context import Context, Evidence
from .figures import ZERO, flat, fmt, is_money, iv, printed, wan
from .reading import match
from .registry import check

__all__ = ["check_absences", "check_qualitative", "check_reason_direction"]


@check(needs=("suspect",))
def check_qualitative(ctx: Context) -> None:
    for q in ctx.claims:
        if q.quantity != "other" or q.relation is None:
            continue
        head = ctx.by_id.get(q.head or "")
        if head is None or head.value is None:
            continue
        base = q.base or ""
        if q.relation == "equal" and base.startswith("上年"):
            _unchanged(ctx, q, head)
        elif q.relation in ("greater", "less") and base in BUDGET_FIGURES:
            _greater_or_less(ctx, q, head)
        elif q.relation == "equal" and base in BUDGET_FIGURES:
            _equals_budget(ctx, q, head)


def _unchanged(ctx: Context, q: Claim, head: Claim) -> None:
    """“与上年持平”: the change stated with the amount must be 0."""
    chg = next((x for x in ctx.with_head(head.id) if x.quantity == "change" and x.value is not None), None)
    if chg is None:
        return
    fields = {"subject": head.subject, "text": q.text, "change": chg.text, "printed": printed(chg)}
    ctx.verify_or_flag("N211", chg.value == 0, [q, chg], fields, variant="unchanged")


def _equals_budget(ctx: Context, q: Claim, head: Claim) -> None:
    """“决算数与预算数一致”: the actual figure equals the budget figure."""
    if not is_money(ctx, head):
        return
    budget = budget_for(ctx, q, head)
    if budget is None:
        return
    fields = {
        "subject": head.subject,
        "actual": head.value,
        "budget": budget.desc,
        "text": q.text,
        "printed": printed(head),
    }
    ctx.verify_or_flag(
        "N211",
        iv(ctx, head).meets(budget.interval),
        [q, head, *budget.claims],
        fields,
        variant="equal_budget",
        bare_verified=True,
        cells=budget.cells,
        evidence=Evidence(expected=budget.value, observed=head.value),
    )


def _greater_or_less(ctx: Context, q: Claim, head: Claim) -> None:
    """“决算数小于预算数的主要原因…”: the actual figure against the budget figure."""
    if not is_money(ctx, head) or head.value is None or head.figure in BUDGET_FIGURES:
        return
    budget = budget_for(ctx, q, head)
    if budget is None:
        return
    h, b_iv = iv(ctx, head), budget.interval
    holds: bool | None
    if wan(ctx, head) == budget.value:
        holds = False
    elif q.relation == "greater":
        holds = True if h.lo > b_iv.hi else (False if h.hi < b_iv.lo else None)
    else:
        holds = True if h.hi < b_iv.lo else (False if h.lo > b_iv.hi else None)
    said = "大于" if q.relation == "greater" else "小于"
    fields = {"subject": head.subject, "actual": printed(head), "budget": budget.desc, "text": q.text, "said": said}
    if holds is None:
        desc = f"{head.subject}: 决算 {printed(head)}, 预算 {budget.desc}"
        ctx.out(q.id).set("unverifiable", f"{desc}: too close to tell “{said}” within printed rounding")
    elif holds:
        # an order does not verify the figures themselves: only the statement is verified
        spans = (head.span, *(b.span for b in budget.claims))
        ctx.record("N211", "verified", "order.verified", fields, [q], cells=budget.cells, spans=spans)
    else:
        evidence = Evidence(expected=budget.value, observed=head.value)
        claims = [q, head, *budget.claims]
        ctx.record("N211", "inconsistent", "order.inconsistent", fields, claims, cells=budget.cells, evidence=evidence)


@check()
def check_absences(ctx: Context) -> None:
    """A subject said not to exist (“没有使用政府性基金安排的支出”) must be 0 in its table."""
    figure = {"final_account": "决算", "budget": "预算"}.get(ctx.doc.kind)
    for q in ctx.claims:
        if q.quantity != "other" or q.relation != "none":
            continue
        if not ctx.tables:
            ctx.out(q.id).set("unverifiable", "the document has no tables to compare with")
            continue
        cells, how = match(ctx, q, subject=q.subject, figure=figure)
        if not cells:
            ctx.out(q.id).set("unverifiable", f"not in the tables: {how}")
            continue
        nonzero = [m for m in cells if m.value != 0]
        if how == "ambiguous" and len(nonzero) not in (0, len(cells)):
            ctx.out(q.id).set("unverifiable", "two table cells could be meant and they disagree — not guessed")
            continue
        if not nonzero:
            fields = {"text": flat(q), "label": cells[0].label()}
            ctx.record("N211", "verified", "absence.verified", fields, [q], cells=cells[:1])
            continue
        m = nonzero[0]
        fields = {"text": flat(q), "label": m.label(), "cell": fmt(m.value)}
        evidence = Evidence(expected=m.value, observed=ZERO)
        ctx.record("N211", "inconsistent", "absence.inconsistent", fields, [q], cells=[m], evidence=evidence)


@check()
def check_reason_direction(ctx: Context) -> None:
    """“比2023年减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加”: the reason
    names the item itself and moves it the other way."""
    for r in ctx.claims:
        if r.quantity not in ("rate", "change") or not r.direction or not r.value:
            continue
        after = ctx.doc.folded[r.span[1] : r.span[1] + 80]
        m = ctx.cues.reason.match(after)
        if m is None:
            continue
        line = ctx.doc.line_at(r.span[0])
        paths = paths_in(ctx.doc.text[line.start : r.span[0]])
        if not paths:
            continue
        names = [n for _, n in paths[-1]]
        item = ctx.cues.item_tail.sub("", compact(m.group("body")))
        if not item or item not in {names[-1], "".join(names[-2:]), "".join(names)}:
            continue
        said = ctx.cues.direction(m.group("word"))
        if said == r.direction:
            continue  # agreeing words prove nothing about the number
        words = {1: "an increase", -1: "a decrease"}
        fields = {
            "item": item,
            "text": r.text,
            "stated": words[r.direction],
            "reason": f"{m.group('body')}{m.group('word')}",
            "said": words[said],
        }
        ctx.record("N211", "inconsistent", "reason", fields, [r])
