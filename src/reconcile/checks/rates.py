"""Rates of change: a stated growth rate against change / base (N203), its direction words
(N208), a rate over a zero base (N209), a multiple (N215), and coarse passes (N214)."""

from __future__ import annotations

from decimal import Decimal

from ..claims import Claim
from ..claims.state import SENTENCE_WINDOW
from ..findings import Status
from ..numbers import Interval, half_unit
from .context import Context, Evidence
from .figures import HUNDRED, coarse, fine_iv, fmt, is_money, iv, pct_iv, printed, ratio, strip, wan, wide_pass
from .reading import follows_its_amount, number_start, sentence_break
from .registry import check

__all__ = ["check_rates"]

_WORDS = {1: "增加/增长", -1: "减少/下降"}


@check()
def check_rates(ctx: Context) -> None:
    """A rate against the amount and the change it derives from, or against the two amounts
    of the sentence (“2023年执行数为A万元，2024年预算安排B万元，比2023年增加R%”)."""
    for r in ctx.claims:
        if r.quantity != "rate":
            continue
        head = ctx.by_id.get(r.head or "")
        chg = ctx.by_id.get(r.change or "")
        if head is not None and ctx.cues.prior.search(head.text[: number_start(head) - head.span[0]]):
            ctx.out(r.id).set(
                "unverifiable", "the amount before it is of an earlier period or against a base, not the year's level"
            )
            continue
        if head is not None and head.value is not None and chg is None and is_money(ctx, head):
            base = _stated_base(ctx, r, head)
            if base is not None:
                _rate_from_two_amounts(ctx, r, head, base)
                continue
        reason = _unreadable(ctx, head, chg)
        if reason:
            ctx.out(r.id).set("unverifiable", reason)
            continue
        assert head is not None and chg is not None
        _rate_over_change(ctx, r, head, chg)


def _unreadable(ctx: Context, head: Claim | None, chg: Claim | None) -> str | None:
    """Why the rate cannot be read against its amount and change (None when it can)."""
    if head is None or chg is None or head.value is None or chg.value is None:
        return "the amount or the change this rate derives from was not stated"
    if not (is_money(ctx, head) and is_money(ctx, chg)):
        return "the rate is not over money amounts"
    if sentence_break(ctx, head, chg) and not follows_its_amount(ctx, head, chg):
        return "the change is stated in another sentence than the amount it is read against"
    return None


def _rate_over_change(ctx: Context, r: Claim, head: Claim, chg: Claim) -> None:
    assert head.value is not None and chg.value is not None
    d_dir = chg.direction or 1
    if r.direction and chg.direction and r.direction != chg.direction and chg.value != 0 and r.value not in (None, 0):
        words = {
            "change": chg.text,
            "change_words": _WORDS[chg.direction],
            "rate": r.text,
            "rate_words": _WORDS[r.direction],
        }
        ctx.record("N208", "inconsistent", "words", words, [r, chg])
        return
    a, d = iv(ctx, head), iv(ctx, chg)
    prior = a - d if d_dir > 0 else a + d
    base_name = "上年" if (r.base or chg.base or "").startswith("上年") else (r.base or chg.base or "base")
    if r.unit == "倍":
        _check_multiple(ctx, r, head, chg, a, prior)
        return
    if r.value is None:  # "--" / 不可比
        if prior.lo > 0 and chg.value != 0:
            ctx.out(r.id).set("unverifiable", f"rate given as “--” though the {base_name} base is not zero")
        else:
            ctx.out(r.id).set("verified", "rate given as not comparable over a zero base")
        return
    prior_mid = wan(ctx, head) - d_dir * wan(ctx, chg)
    fields: dict[str, object] = {"subject": head.subject, "reported": r.value}
    if prior_mid == 0 and chg.value != 0:
        if r.value != 0:
            fields.update(amount=printed(head), change=printed(chg), base=base_name, rate=r.text)
            ctx.record("N209", "inconsistent", "rate", fields, [r, head, chg], evidence=Evidence(observed=r.value))
        return
    if chg.value == 0:
        status: Status = "verified" if r.value == 0 else "inconsistent"
        ctx.record(
            "N203",
            status,
            "zero_change",
            fields,
            [r, head, chg],
            evidence=Evidence(expected=Decimal(0), observed=r.value),
        )
        return
    rate = ratio(d, prior)
    if rate is None:
        ctx.out(r.id).set("unverifiable", f"the {base_name} base ({fmt(prior.mid)}) is too close to 0")
        return
    rep = pct_iv(r)
    expected = wan(ctx, chg) / prior_mid * HUNDRED if prior_mid else None
    fields.update(
        change=strip(chg),
        amount=strip(head),
        sign="−" if d_dir > 0 else "+",
        expected=fmt(expected) if expected is not None else "?",
        lo=fmt(rate.lo),
        hi=fmt(rate.hi),
    )
    ok = rep.meets(rate)
    is_coarse = ok and (
        (coarse([head, chg]) and not rep.meets(ratio(fine_iv(ctx, chg), _fine(ctx, head, chg, d_dir)) or rate))
        or wide_pass(r, expected, rate)
    )
    evidence = Evidence(expected=expected, observed=r.value, tolerance=rate)
    ctx.verify_or_flag("N203", ok, [r, head, chg], fields, coarse=is_coarse, evidence=evidence)


def _check_multiple(ctx: Context, r: Claim, head: Claim, chg: Claim, a: Interval, prior: Interval) -> None:
    """“增长16倍”: the change over the earlier figure, or (as writers also use it) the new
    figure over the earlier one; either reading within the printed rounding passes."""
    if r.value is None or prior.lo <= 0:
        ctx.out(r.id).set("unverifiable", "a multiple over a zero or unknown base")
        return
    d = iv(ctx, chg)
    inc = Interval(d.lo / prior.hi, d.hi / prior.lo)
    whole = Interval(a.lo / prior.hi, a.hi / prior.lo)
    rep = Interval.printed(r.value, r.decimals or 0)
    rep = Interval(rep.lo, rep.hi + half_unit(r.decimals or 0))  # truncated figures too: [v − ½u, v + u]
    if (chg.direction or 1) < 0:
        ctx.out(r.id).set("unverifiable", "a multiple stated for a decrease")
        return
    fields = {
        "subject": head.subject,
        "change": strip(chg),
        "amount": strip(head),
        "increase": fmt(inc.mid),
        "whole": fmt(whole.mid),
        "reported": r.value,
    }
    ok = rep.meets(inc) or rep.meets(whole)
    ctx.verify_or_flag(
        "N215", ok, [r, head, chg], fields, bare_verified=True, evidence=Evidence(expected=inc.mid, observed=r.value)
    )


def _stated_base(ctx: Context, r: Claim, head: Claim) -> Claim | None:
    """The earlier-year amount a rate is computed over, when the sentence states both
    amounts ("2023年执行数为A万元，2024年预算安排B万元，比2023年增加R%")."""
    # a claim before the last full stop ahead of the rate is across a sentence break: only
    # the claims from there on can qualify
    stop = max(ctx.doc.text.rfind("。", max(0, r.span[0] - SENTENCE_WINDOW), r.span[0]), r.span[0] - SENTENCE_WINDOW)
    cands = [
        x
        for x in ctx.claims_between(max(stop, 0), head.span[0])
        if x.quantity == "amount"
        and x.id != head.id
        and x.value is not None
        and is_money(ctx, x)
        and x.span[0] < head.span[0]
        and x.figure != head.figure
        and x.section == head.section
        and not sentence_break(ctx, x, r)
    ]
    return cands[-1] if len(cands) == 1 or (cands and cands[-1].span[0] > head.span[0] - 80) else None


def _rate_from_two_amounts(ctx: Context, r: Claim, head: Claim, base: Claim) -> None:
    assert head.value is not None and base.value is not None
    cur, prior = iv(ctx, head), iv(ctx, base)
    if r.value is None:
        ctx.out(r.id).set("verified" if base.value == 0 else "unverifiable", "rate given as not comparable")
        return
    if base.value == 0:
        if head.value != 0 and r.value != 0:
            zero = {"base": base.text, "rate": r.text}
            ctx.record(
                "N209", "inconsistent", "stated_base", zero, [r, head, base], evidence=Evidence(observed=r.value)
            )
        return
    rate = ratio(cur - prior, prior)
    if rate is None:
        return
    signed = pct_iv(r) if (r.direction or 1) > 0 else -pct_iv(r)
    expected = (wan(ctx, head) - wan(ctx, base)) / wan(ctx, base) * HUNDRED
    fields: dict[str, object] = {
        "current": head.value,
        "base": base.value,
        "expected": fmt(expected),
        "words": _WORDS[1] if (r.direction or 1) > 0 else _WORDS[-1],
        "reported": r.value,
        "lo": fmt(rate.lo),
        "hi": fmt(rate.hi),
    }
    evidence = Evidence(expected=expected, observed=r.value, tolerance=rate)
    if not signed.meets(rate) and (-signed).meets(rate) and r.value != 0:
        ctx.record("N208", "inconsistent", "stated_base", fields, [r, head, base], evidence=evidence)
        return
    ctx.verify_or_flag("N203", signed.meets(rate), [r, head, base], fields, variant="stated_base", evidence=evidence)


def _fine(ctx: Context, head: Claim, chg: Claim, d_dir: int) -> Interval:
    a, d = fine_iv(ctx, head), fine_iv(ctx, chg)
    return a - d if d_dir > 0 else a + d
