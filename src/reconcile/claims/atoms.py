"""Atoms: every number (or "--" marker) of the joined text, with its unit, and the
numbers that are not quantities (years, dates, ordinals…) with their reason."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal

import regex as re

from ..numbers import NumberError, parse_chinese_numeral, parse_number
from ..rules import CompiledRules, UnclaimedRule

__all__ = ["Atom", "Atoms", "scan_atoms"]


@dataclass(slots=True)
class Atom:
    start: int  # joined offsets, number (or marker) and unit
    end: int
    num_end: int
    value: Decimal | None
    decimals: int | None
    unit: str | None
    marker: str | None
    flags: list[str]
    reason: str | None = None  # unclaimed reason (not a quantity)
    excluded: bool = False
    claims: list[str] = field(default_factory=list)
    consumed: bool = False  # read as part of another claim (基数为0)


class Atoms:
    """The atoms of a text, in order, with a lookup by position."""

    def __init__(self, atoms: list[Atom]) -> None:
        self.all = atoms
        self._starts = [a.start for a in atoms]
        # the index of the last counted (not excluded) atom of all[:k], -1 if none
        self._last_counted = [-1]
        ends_ordered, last_end = True, -1
        for k, a in enumerate(atoms):
            if not a.excluded:
                ends_ordered = ends_ordered and a.end >= last_end
                last_end = a.end
            self._last_counted.append(self._last_counted[-1] if a.excluded else k)
        self._ends_ordered = ends_ordered

    def between(self, a: int, b: int) -> list[Atom]:
        """The atoms that start in [a, b)."""
        lo = bisect.bisect_left(self._starts, a)
        hi = bisect.bisect_left(self._starts, b)
        return self.all[lo:hi]

    def last_end(self, a: int, b: int) -> int | None:
        """The furthest end of the counted (not excluded) atoms that start in [a, b), None if none.

        Constant time when the counted atoms end in order (they do unless a unit reaches
        over the next number); otherwise a scan of the range.
        """
        lo = bisect.bisect_left(self._starts, a)
        hi = bisect.bisect_left(self._starts, b)
        if self._ends_ordered:
            k = self._last_counted[hi]
            return self.all[k].end if k >= lo else None
        ends = [x.end for x in self.all[lo:hi] if not x.excluded]
        return max(ends) if ends else None


def scan_atoms(t: str, rules: CompiledRules) -> list[Atom]:
    """Every atom of ``t``, each with its unclaimed reason when a rule of ``unclaimed`` covers it."""
    excl = _exclusions(t, rules)
    ex_starts = [s for s, _, _ in excl]
    atoms: list[Atom] = []
    for m in rules.atom.finditer(t):
        if m.group("marker"):
            mk = m.group("marker")
            atoms.append(Atom(m.start(), m.end(), m.end(), None, None, "%" if mk.endswith("%") else None, "--", []))
            continue
        atom = _number(t, m, rules)
        if atom is None:
            continue
        # not a quantity?
        i = bisect.bisect_right(ex_starts, atom.num_end) - 1
        while i >= 0 and excl[i][0] > m.start() - 40:
            s, e, rule = excl[i]
            if s < atom.num_end and e > m.start():
                atom.reason, atom.excluded = rule.reason, rule.exclude
                break
            i -= 1
        atoms.append(atom)
    return atoms


def _exclusions(t: str, rules: CompiledRules) -> list[tuple[int, int, UnclaimedRule]]:
    """Every non-empty match of an unclaimed rule, by start."""
    excl: list[tuple[int, int, UnclaimedRule]] = []
    for rule, rx in rules.unclaimed:
        for m in rx.finditer(t):
            if m.end() > m.start():
                excl.append((m.start(), m.end(), rule))
    excl.sort(key=lambda x: x[0])
    return excl


def _number(t: str, m: re.Match[str], rules: CompiledRules) -> Atom | None:
    """The atom of a number match (digits or a Chinese numeral), None when it does not parse."""
    flags: list[str] = []
    if m.group("num"):
        try:
            p = parse_number(m.group("num"))
        except NumberError:
            return None
        value: Decimal | None = p.value
        decimals: int | None = p.decimals
        num_end = m.end("num")
        unit = m.group("unit")
    else:
        try:
            value = Decimal(parse_chinese_numeral(m.group("cnum")))
        except NumberError:
            return None
        decimals = 0
        num_end = m.end("cnum")
        unit = m.group("cunit")
        flags.append("chinese_numeral")
    end = m.end()
    if unit and "余" in unit:
        unit = unit.replace("余", "")
        flags.append("approx")
    if unit == "%":
        stray = rules.cue["unit_stray_percent"].match(t, end - 1)
        if stray is not None:
            mm = rules.frag["MONEY"].match(t, end)
            if mm:
                unit = mm.group(0)
                end = mm.end()
                flags.append("stray_percent")
    if unit:
        unit = unit.replace("(", "（").replace(")", "）")
    return Atom(m.start(), end, num_end, value, decimals, unit or None, None, flags)
