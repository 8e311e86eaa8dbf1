"""Printed numbers as intervals, and the one-digit edits of a printed number.

A number printed with ``d`` decimals stands for any value within half a unit of its
last digit; the generators re-verify every numeric mutant with this arithmetic,
independently of the checker.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from reconcile.rules import load_rules

from .mutant import Span

# 万元 per unit: the vocabulary of the bundled rules (rules/vocabulary.yaml)
UNIT_FACTOR: dict[str, Decimal] = dict(load_rules().vocabulary.money_units)


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Decimal
    hi: Decimal

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, f: Decimal) -> Interval:
        return Interval(self.lo * f, self.hi * f) if f >= 0 else Interval(self.hi * f, self.lo * f)

    def gap(self, other: Interval) -> Decimal:
        """Distance between two intervals (negative when they overlap)."""
        return max(other.lo - self.hi, self.lo - other.hi)


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


def digit_unit(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def printed_interval(value: Decimal, decimals: int) -> Interval:
    """A printed figure as an interval; a printed 0 is an exact zero (as the checker reads it)."""
    if value == 0:
        return Interval(Decimal(0), Decimal(0))
    h = half_unit(decimals)
    return Interval(value - h, value + h)


def percent_interval(value: Decimal, decimals: int) -> Interval:
    """A printed percentage: rounding, or truncation (up to one unit more)."""
    h = half_unit(decimals)
    return Interval(value - h, value + 2 * h)


def ratio_interval(num: Interval, den: Interval) -> Interval | None:
    """100 · num / den for a positive denominator."""
    if den.lo <= 0:
        return None
    cands = [num.lo / den.lo, num.lo / den.hi, num.hi / den.lo, num.hi / den.hi]
    return Interval(min(cands) * 100, max(cands) * 100)


def parse_printed(printed: str) -> tuple[Decimal, int] | None:
    """A printed number (``2,627.63``, ``611.9\\n8``) as value and decimals."""
    s = re.sub(r"[,，\s]", "", printed)
    if not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return None
    dec = len(s.split(".")[1]) if "." in s else 0
    return Decimal(s), dec


@dataclass(frozen=True, slots=True)
class Printed:
    """A number printed in the original text."""

    span: Span
    text: str
    value: Decimal
    decimals: int
    factor: Decimal = Decimal(1)

    @property
    def iv(self) -> Interval:
        return printed_interval(self.value, self.decimals).scale(self.factor)

    @property
    def scaled(self) -> Decimal:
        return self.value * self.factor


def digit_edits(printed: str, *, up_only: bool = False) -> list[list[tuple[str, Decimal]]]:
    """One-digit edits of a printed number, grouped by position, least significant first.

    Each digit changes by ±1…5 (no carry); a leading digit never becomes 0 and the
    value never becomes 0.
    """
    digits = [i for i, ch in enumerate(printed) if ch.isdigit()]
    if not digits:
        return []
    int_digits = [i for i in digits if "." not in printed[:i]]
    lead = int_digits[0] if len(int_digits) > 1 else None
    groups: list[list[tuple[str, Decimal]]] = []
    for i in reversed(digits):
        d = int(printed[i])
        group: list[tuple[str, Decimal]] = []
        for step in (1, 2, 3, 4, 5, -1, -2, -3, -4, -5):
            nd = d + step
            if not 0 <= nd <= 9 or (up_only and step < 0) or (i == lead and nd == 0):
                continue
            s = printed[:i] + str(nd) + printed[i + 1 :]
            p = parse_printed(s)
            if p is None or p[0] == 0:
                continue
            group.append((s, p[0]))
        groups.append(group)
    return groups


def pick_edit(
    rng: random.Random,
    printed: str,
    ok: Callable[[Decimal], bool],
    *,
    up_only: bool = False,
) -> tuple[str, Decimal] | None:
    """The smallest one-digit edit that ``ok`` accepts (random among the edits of that digit)."""
    for group in digit_edits(printed, up_only=up_only):
        good = [(s, v) for s, v in group if ok(v)]
        if good:
            return rng.choice(good)
    return None
