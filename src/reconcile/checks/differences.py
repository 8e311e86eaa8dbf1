"""Differences: a stated saving, balance or difference against its two amounts (N207); a
change against the level and the base amount its sentence states (N218)."""

from __future__ import annotations

from decimal import Decimal

from ..claims import Claim
from ..match import BUDGET_FIGURES
from .context import Context, Evidence
from .figures import factor, fmt, is_money, iv, printed, wan
from .reading import number_start, sentence_break
from .registry import check

__all__ = ["check_differences", "check_stated_bases"]


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


def _number_end(c: Claim) -> int:
    return c.number_span[1] if c.number_span else c.span[1]


def _stated_base(ctx: Context, head: Claim, chg: Claim) -> Claim | None:
    """The one base amount written between a level and its change in one sentence
    (“支出预算213,895.03万元，比2025年年初预算数211,138.66万元增加2,756.37万元”), else the one
    amount of an earlier period in a parenthesis right after the change (“与上年相比增加186,525.21
    万元（去年预算数为0万元，无法计算增减比率）”)."""
    if head.span[1] > chg.span[0] or sentence_break(ctx, head, chg):
        return None
    bases = [
        x
        for x in ctx.claims_between(head.span[1], chg.span[0])
        if "base_amount" in x.flags
        and x.quantity == "amount"
        and head.span[1] <= x.span[0]
        and _number_end(x) <= number_start(chg)
    ]
    if not bases:
        after = ctx.doc.text[chg.span[1] : chg.span[1] + 40]
        close = after.find("）") if after.lstrip().startswith("（") else -1
        bases = [
            x
            for x in ctx.claims_between(chg.span[1], chg.span[1] + close)
            if close > 0
            and x.quantity == "amount"
            and chg.span[1] <= x.span[0]
            and ctx.cues.prior.search(ctx.doc.text[x.span[0] : number_start(x)])
        ]
    bases = [x for x in bases if x.value is not None and is_money(ctx, x)]
    return bases[0] if len(bases) == 1 else None


@check()
def check_stated_bases(ctx: Context) -> None:
    """A change stated with its level and the base amount: level − base = the change, signed
    by its direction word. A change against the budget in a final account is N207's."""
    for chg in ctx.claims:
        if chg.quantity != "change" or chg.value is None or not chg.direction or not is_money(ctx, chg):
            continue
        head = ctx.by_id.get(chg.head or "")
        if head is None or head.value is None or not is_money(ctx, head):
            continue
        if chg.base in BUDGET_FIGURES and head.figure not in BUDGET_FIGURES:
            continue
        base = _stated_base(ctx, head, chg)
        if base is None:
            continue
        diff = iv(ctx, head) - iv(ctx, base)
        stated = iv(ctx, chg) if chg.direction > 0 else -iv(ctx, chg)
        expected = wan(ctx, head) - wan(ctx, base)
        fields = {
            "subject": head.subject,
            "current": head.value,
            "base": base.value,
            "expected": fmt(expected),
            "word": "增加" if chg.direction > 0 else "减少",
            "value": chg.value,
            "printed": printed(chg),
        }
        evidence = Evidence(expected=expected if chg.direction > 0 else -expected, observed=chg.value, tolerance=diff)
        ctx.verify_or_flag("N218", diff.meets(stated), [chg, head, base], fields, evidence=evidence)
