"""Against the budget: a change against the budget figure (N207) and a completion rate
(N205, N209, N214); :func:`budget_for` finds the budget figure for the other checks too."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..claims import Claim
from ..match import BUDGET_FIGURES, CellMatch
from ..numbers import Interval
from .context import Context, Evidence
from .figures import HUNDRED, coarse, fine_iv, fmt, is_money, iv, pct_iv, printed, ratio, strip, wan, wide_pass
from .reading import follows_its_amount, match, sentence_break
from .registry import check

__all__ = ["Budget", "budget_for", "check_budget_changes", "check_completion"]


@dataclass(frozen=True)
class Budget:
    """A budget figure: its interval and value in 万元, how messages name it, and the
    claims or cells it was read from."""

    interval: Interval
    value: Decimal
    desc: str
    claims: list[Claim]
    cells: list[CellMatch]


def budget_for(ctx: Context, comp: Claim, actual: Claim) -> Budget | None:
    """The budget figure ``comp`` compares ``actual`` with: the amount it names, else an
    amount of the same subject stating the budget figure shortly before, else the
    budget cell of the tables (unless that cell fails its table's own identities)."""
    b = ctx.by_id.get(comp.budget or "")
    if b is not None and b.value is not None and is_money(ctx, b):
        return Budget(iv(ctx, b), wan(ctx, b), f"{b.value}", [b], [])
    # an amount claim of the same subject stating the budget figure, in the same section, before the actual
    cands = [
        x
        for x in ctx.claims_between(actual.span[0] - 400, actual.span[0])
        if x.quantity == "amount"
        and x.subject == actual.subject
        and x.figure in BUDGET_FIGURES
        and 0 <= actual.span[0] - x.span[0] <= 400
        and x.value is not None
        and is_money(ctx, x)
    ]
    if cands:
        b = cands[-1]
        return Budget(iv(ctx, b), wan(ctx, b), f"{b.value}", [b], [])
    found, how = match(ctx, actual, figure="预算")
    if found and how != "ambiguous":
        m = found[0]
        if (m.table.id, m.row.key(), m.column) in ctx.suspect:
            return None  # the budget cell fails the table's own identity: do not build on it
        interval = m.interval if m.value else Interval.exact(Decimal(0))
        return Budget(interval, m.value, f"{m.label()} {fmt(m.value)}", [], [m])
    return None


@check(needs=("suspect",))
def check_budget_changes(ctx: Context) -> None:
    """“支出决算120万元，比年初预算数增加20万元”: the change against the budget is the
    actual figure minus the budget figure (stated in the text or held by a table)."""
    for chg in ctx.claims:
        if chg.quantity != "change" or chg.value is None or not is_money(ctx, chg) or chg.base not in BUDGET_FIGURES:
            continue
        head = ctx.by_id.get(chg.head or "")
        if head is None or head.value is None or not is_money(ctx, head) or head.figure in BUDGET_FIGURES:
            continue
        if sentence_break(ctx, head, chg) and not follows_its_amount(ctx, head, chg):
            continue
        budget = budget_for(ctx, chg, head)
        if budget is None:
            continue
        sign = chg.direction or 1
        actual = iv(ctx, head) - budget.interval
        stated = iv(ctx, chg) if sign > 0 else -iv(ctx, chg)
        expected = wan(ctx, head) - budget.value
        fields = {
            "subject": head.subject,
            "actual": strip(head),
            "base": chg.base,
            "budget": budget.desc,
            "expected": fmt(expected),
            "word": "增加" if sign > 0 else "减少",
            "value": chg.value,
            "printed": printed(chg),
        }
        ctx.verify_or_flag(
            "N207",
            actual.meets(stated),
            [chg, head, *budget.claims],
            fields,
            variant="budget_change",
            bare_verified=True,
            cells=budget.cells,
            evidence=Evidence(expected=expected if sign > 0 else -expected, observed=chg.value, tolerance=actual),
        )


@check(needs=("suspect",))
def check_completion(ctx: Context) -> None:
    for c in ctx.claims:
        if c.quantity != "completion":
            continue
        actual = ctx.by_id.get(c.head or "")
        if actual is None or actual.value is None or not is_money(ctx, actual):
            ctx.out(c.id).set("unverifiable", "the executed amount was not stated as money")
            continue
        budget = budget_for(ctx, c, actual)
        if budget is None:
            ctx.out(c.id).set("unverifiable", "the budget figure is not stated and no table holds it")
            continue
        _check_completion(ctx, c, actual, budget)


def _check_completion(ctx: Context, c: Claim, actual: Claim, budget: Budget) -> None:
    claims = [c, actual, *budget.claims]
    fields: dict[str, object] = {"budget": budget.desc, "text": c.text}
    if budget.value == 0:
        if c.value is not None and c.value != 0:
            ctx.record(
                "N209",
                "inconsistent",
                "completion",
                fields,
                claims,
                cells=budget.cells,
                evidence=Evidence(observed=c.value),
            )
        else:
            ctx.out(c.id).set("verified", "zero budget, rate given as 0 or not comparable")
        return
    if c.value is None:
        ctx.out(c.id).set("unverifiable", "rate given as “--” though the budget is not zero")
        return
    rate = ratio(iv(ctx, actual), budget.interval)
    if rate is None:
        ctx.out(c.id).set("unverifiable", "the budget is too close to zero")
        return
    expected = wan(ctx, actual) / budget.value * HUNDRED
    ok = pct_iv(c).meets(rate)
    is_coarse = ok and (
        (coarse([actual, *budget.claims]) and not pct_iv(c).meets(ratio(fine_iv(ctx, actual), budget.interval) or rate))
        or wide_pass(c, expected, rate)
    )
    fields.update(
        subject=actual.subject,
        actual=actual.value,
        expected=fmt(expected),
        reported=c.value,
        lo=fmt(rate.lo),
        hi=fmt(rate.hi),
    )
    evidence = Evidence(expected=expected, observed=c.value, tolerance=rate)
    ctx.verify_or_flag("N205", ok, claims, fields, coarse=is_coarse, cells=budget.cells, evidence=evidence)
