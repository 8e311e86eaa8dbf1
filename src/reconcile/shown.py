"""Numbers as the document prints them, for the report's ``display`` fields (issue 14).

Every printed number keeps its decimals (a :class:`~decimal.Decimal` keeps its exponent,
see :mod:`reconcile.numbers`). A finding's observed value is shown as printed; a computed
expected value and the interval rounding allows are shown with one decimal more than the
printed value they are compared with, enough to see why it fails (more when the printed
value would sit on a shown bound).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from .findings import Finding

__all__ = ["as_printed", "decimals_of", "finding_display", "show"]

_MAX_EXTRA = 4


def decimals_of(v: Decimal) -> int:
    """Decimals a value was printed with (a Decimal keeps its exponent)."""
    exp = v.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def show(v: Decimal, decimals: int) -> str:
    """``v`` at ``decimals`` decimals, without exponent."""
    return f"{v:.{max(decimals, 0)}f}"


def as_printed(v: Decimal | None) -> str | None:
    """A printed value at its own decimals ("0.00", "611.90"); None stays None."""
    return None if v is None else show(v, decimals_of(v))


def _bound(v: Decimal, decimals: int, rounding: str) -> Decimal:
    return v.quantize(Decimal(10) ** -decimals, rounding=rounding)


def _interval(lo: Decimal, hi: Decimal, value: Decimal | None, places: int) -> tuple[str, str]:
    """``[lo, hi]`` rounded outward at ``places`` decimals, or more when ``value`` (outside
    the interval) would sit on a shown bound."""
    d = places
    for extra in range(_MAX_EXTRA + 1):
        d = places + extra
        a, b = _bound(lo, d, ROUND_FLOOR), _bound(hi, d, ROUND_CEILING)
        if value is None or (value >= lo and value <= hi) or not (a <= value <= b):
            break
    return show(_bound(lo, d, ROUND_FLOOR), d), show(_bound(hi, d, ROUND_CEILING), d)


def finding_display(f: Finding) -> dict[str, Any] | None:
    """Observed, expected, difference and tolerance as text at the inputs' precision
    (None when the finding compares no number)."""
    if f.observed is None and f.expected is None and f.tolerance is None:
        return None
    base = decimals_of(f.observed) if f.observed is not None else decimals_of(f.expected or Decimal(0))
    places = base + 1
    out: dict[str, Any] = {"observed": as_printed(f.observed), "expected": None, "difference": None, "tolerance": None}
    if f.expected is not None:
        own = decimals_of(f.expected)
        out["expected"] = show(f.expected, own if own <= places else places)
        if f.observed is not None:
            out["difference"] = show(f.observed - f.expected, min(max(base, own), places))
    if f.tolerance is not None:
        lo, hi = f.tolerance
        # more decimals only to show an inconsistent value outside the interval
        out["tolerance"] = list(_interval(lo, hi, f.observed if f.status == "inconsistent" else None, places))
    return out
