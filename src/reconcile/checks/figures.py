"""Printed figures as intervals: a claim's value in 万元, its rounding, derived percentages.

A printed value with *d* decimals stands for ``[v - ½·10⁻ᵈ, v + ½·10⁻ᵈ]``; a printed
percentage may also be truncated (up to one unit of its last digit more). Money units
and their factors come from the vocabulary (``ctx.cues.money``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..claims import Claim
from ..numbers import Interval, half_unit

if TYPE_CHECKING:
    from .context import Context

__all__ = [
    "HUNDRED",
    "ZERO",
    "coarse",
    "factor",
    "fine_iv",
    "flat",
    "fmt",
    "is_money",
    "iv",
    "pct_iv",
    "printed",
    "ratio",
    "strip",
    "wan",
    "wide_pass",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def fmt(v: Decimal, places: int = 2) -> str:
    q = Decimal(1).scaleb(-places)
    return f"{v.quantize(q):,}"


def printed(c: Claim) -> str:
    """The figure as printed, with its unit (or the claim's text when it has no value)."""
    return f"{c.value}{c.unit or ''}" if c.value is not None else c.text


def strip(c: Claim) -> str:
    return f"{c.value}"


def flat(c: Claim) -> str:
    """The claim's text without the line breaks of its page."""
    return re.sub(r"\s*\n\s*", "", c.text.strip())


def factor(ctx: Context, c: Claim) -> Decimal | None:
    """万元 per one unit of the claim (a missing unit is read as 万元; None: not money)."""
    if c.unit in ctx.cues.money:
        return ctx.cues.money[c.unit or ""]
    if c.unit is None:
        return Decimal(1)  # the unit slip is reported separately
    return None


def wan(ctx: Context, c: Claim) -> Decimal:
    """The claim's value in 万元 (the printed value when the unit is not money)."""
    assert c.value is not None
    return c.value * (factor(ctx, c) or 1)


def is_money(ctx: Context, c: Claim | None) -> bool:
    return (
        c is not None
        and c.value is not None
        and (c.unit in ctx.cues.money or (c.unit is None and "unit_missing" in c.flags))
    )


def iv(ctx: Context, c: Claim, *, exact_zero: bool = True) -> Interval:
    assert c.value is not None
    if exact_zero and c.value == 0:
        return Interval.exact(Decimal(0))
    return Interval.printed(c.value, c.decimals or 0).scale(factor(ctx, c) or Decimal(1))


def fine_iv(ctx: Context, c: Claim) -> Interval:
    """The interval the value would have if it had been printed with 2 decimals."""
    assert c.value is not None
    d = max(c.decimals or 0, 2)
    return Interval.printed(c.value, d).scale(factor(ctx, c) or Decimal(1))


def pct_iv(c: Claim) -> Interval:
    """A printed percentage, allowing rounding and truncation."""
    assert c.value is not None
    d = c.decimals or 0
    h = half_unit(d)
    return Interval(c.value - h, c.value + 2 * h)


def coarse(claims: Sequence[Claim]) -> bool:
    """One of the figures is a non-zero integer (printed coarsely)."""
    return any(c.value is not None and c.value != 0 and (c.decimals or 0) == 0 for c in claims)


def wide_pass(reported: Claim, point: Decimal | None, computed: Interval) -> bool:
    """The reported percentage passes only thanks to the inputs' rounding: the printed values
    themselves give a point that does not round to it, and their rounding spans more than one
    unit of the reported figure (“减少0.42万元，下降35.5%”: 0.42 / 1.18 = 35.59%, while the inputs
    allow 34.87%–36.32%). A narrow interval that merely straddles a rounding edge is tail rounding."""
    if point is None or reported.value is None:
        return False
    d = reported.decimals or 0
    return not Interval.printed(reported.value, d).contains(point) and computed.hi - computed.lo > 2 * half_unit(d)


def ratio(num: Interval, den: Interval) -> Interval | None:
    """num / den in percent (None when den may be zero)."""
    if den.lo <= 0 <= den.hi:
        return None
    return (num / den).scale(HUNDRED)
