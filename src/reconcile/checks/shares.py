"""Shares: a stated share (占 …%) against part / whole (N204, N209, N214)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..claims import Claim
from ..match import CellMatch
from ..numbers import Interval
from .context import Context, Evidence
from .figures import HUNDRED, coarse, fine_iv, fmt, is_money, iv, pct_iv, ratio, wan, wide_pass
from .reading import match
from .registry import check

__all__ = ["check_shares"]


@dataclass
class _Whole:
    """The whole a share is of: its interval and value in 万元, how the message names it,
    and the claim or cell it was read from."""

    interval: Interval
    value: Decimal
    desc: str
    claims: list[Claim] = field(default_factory=list)
    cells: list[CellMatch] = field(default_factory=list)


@check()
def check_shares(ctx: Context) -> None:
    for s in ctx.claims:
        if s.quantity != "share" or s.value is None:
            continue
        part = ctx.by_id.get(s.head or "")
        if part is None or part.value is None or not is_money(ctx, part):
            ctx.out(s.id).set("unverifiable", "the part this share is of was not stated as an amount")
            continue
        whole = _whole_of(ctx, s, part)
        if whole is None:
            ctx.out(s.id).set("unverifiable", f"the whole ({s.whole_subject or '?'}) is not known")
            continue
        _check_share(ctx, s, part, whole)


def _whole_of(ctx: Context, s: Claim, part: Claim) -> _Whole | None:
    """The whole: the amount the share names, else the cell of its whole subject, else an
    amount of that subject stated shortly before in the same section."""
    whole_c = ctx.by_id.get(s.whole or "")
    if whole_c is not None and whole_c.value is not None and is_money(ctx, whole_c):
        return _Whole(iv(ctx, whole_c), wan(ctx, whole_c), f"{whole_c.subject} {whole_c.value}", [whole_c])
    if not s.whole_subject:
        return None
    found, how = match(ctx, s, subject=s.whole_subject, figure=part.figure)
    if found and how != "ambiguous":
        m = found[0]
        interval = m.interval if m.value else Interval.exact(Decimal(0))
        return _Whole(interval, m.value, f"{m.label()} {fmt(m.value)}", cells=[m])
    stated = [
        x
        for x in ctx.claims_between(s.span[0] - 600, s.span[0])
        if x.quantity == "amount"
        and x.subject == s.whole_subject
        and x.value is not None
        and is_money(ctx, x)
        and x.span[0] < s.span[0]
        and x.section == s.section
        and s.span[0] - x.span[0] <= 600
        and (x.figure or "决算") == (part.figure or "决算")
    ]
    if not stated:
        return None
    w = stated[-1]
    return _Whole(iv(ctx, w), wan(ctx, w), f"{w.subject} {w.value}", [w])


def _check_share(ctx: Context, s: Claim, part: Claim, whole: _Whole) -> None:
    assert s.value is not None and part.value is not None
    claims = [s, part, *whole.claims]
    fields: dict[str, object] = {"whole": whole.desc, "share": s.text}
    if whole.value == 0:
        if s.value == 0 and part.value == 0:
            ctx.out(s.id).set("verified", "0 of 0")
        else:
            ctx.record(
                "N209", "inconsistent", "share", fields, claims, cells=whole.cells, evidence=Evidence(observed=s.value)
            )
        return
    share = ratio(iv(ctx, part), whole.interval)
    if share is None:
        ctx.out(s.id).set("unverifiable", "the whole is too close to zero")
        return
    expected = wan(ctx, part) / whole.value * HUNDRED
    rep = pct_iv(s)
    ok = rep.meets(share)
    fine_whole = fine_iv(ctx, whole.claims[0]) if whole.claims else whole.interval
    is_coarse = ok and (
        (coarse([part, *whole.claims]) and not rep.meets(ratio(fine_iv(ctx, part), fine_whole) or share))
        or wide_pass(s, expected, share)
    )
    fields.update(
        subject=part.subject,
        part=part.value,
        expected=fmt(expected),
        reported=s.value,
        lo=fmt(share.lo),
        hi=fmt(share.hi),
    )
    evidence = Evidence(expected=expected, observed=s.value, tolerance=share)
    ctx.verify_or_flag("N204", ok, claims, fields, coarse=is_coarse, cells=whole.cells, evidence=evidence)
