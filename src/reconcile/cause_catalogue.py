"""The catalogue of likely causes of an inconsistency (:data:`CAUSES`) and the :class:`Cause`
a finding carries: what most probably went wrong (a unit slip, swapped digits, a zero base…).
:mod:`reconcile.causes` decides which one fits; docs/checks.md documents every cause."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["CAUSES", "Cause", "CauseSpec", "cause"]


@dataclass(frozen=True, slots=True)
class CauseSpec:
    """A likely cause of an inconsistency: its code, title, explanation template
    (:meth:`str.format`; ``variants`` for other ways to reach the same cause) and certainty rank (1 = most certain; findings are listed
    most certain first). docs/checks.md documents every cause."""

    code: str
    title: str
    template: str
    rank: int
    variants: Mapping[str, str] = field(default_factory=dict)


def _causes(*specs: CauseSpec) -> Mapping[str, CauseSpec]:
    return MappingProxyType({s.code: s for s in specs})


CAUSES: Mapping[str, CauseSpec] = _causes(
    CauseSpec(
        "unit_yuan",
        "元 written for 万元",
        "{value}元 = {wan}万元; the figure fits {expected}万元 only when its 元 is read as 万元 (a factor of 10,000)",
        1,
    ),
    CauseSpec(
        "zero_base_100",
        "A rate over a zero base given as 100% (增长100%)",
        "the earlier or budget figure is 0, so a rate over it has no value; “{rate}” is written where “--” "
        "(不可比) is due: {meaning}",
        1,
    ),
    CauseSpec(
        "digits_swapped",
        "Two adjacent digits swapped",
        "{stated} is {expected} with the adjacent digits “{a}{b}” swapped to “{b}{a}”",
        2,
    ),
    CauseSpec(
        "forced_100",
        "Shares forced to sum to 100%",
        "{part} / {whole} = {exact}%, reported {reported}%; the shares listed with it ({listing}) add up to exactly "
        "100%, so one was adjusted to make the list sum to 100%",
        3,
    ),
    CauseSpec(
        "neighbour_value",
        "The value of the neighbouring row or column",
        "{stated} is the value of the neighbouring {axis} {other} in {table} ({value}); {row} [{column}] is {cell}",
        3,
    ),
    CauseSpec(
        "other_column",
        "The figure of another column of the same row (e.g. last year's or the budget figure)",
        "{stated} is the figure of another column of the same row, {table} {row} [{other}] = {value}; "
        "[{column}] is {cell}",
        3,
    ),
    CauseSpec(
        "wrong_whole",
        "A share over the wrong whole",
        "{part} / {other} = {fits}%, which gives the reported {reported}%: the share was taken of “{other_text}” "
        "instead of {whole} ({part} / {whole} = {exact}%)",
        4,
    ),
    CauseSpec(
        "one_digit",
        "One digit wrong",
        "{stated} and {expected} differ in one digit only ({digit} for {right}, difference {difference}): one "
        "figure has one digit mistyped",
        5,
        {
            "sum": "the total is {total} and its parts sum to {sum}: the difference {difference} is one digit's "
            "worth ({digit} in the {place}), so one figure of the sum has one digit mistyped"
        },
    ),
    CauseSpec("unknown", "Cause unknown", "no rule fits (not a swap, one digit, another cell, a unit or a base)", 9),
)


@dataclass(frozen=True, slots=True)
class Cause:
    """The likely cause of an inconsistent finding: a :data:`CAUSES` code and its
    explanation with the arithmetic."""

    code: str
    explanation: str

    @property
    def rank(self) -> int:
        return CAUSES[self.code].rank

    @property
    def title(self) -> str:
        return CAUSES[self.code].title


def cause(code: str, variant: str | None = None, **fields: object) -> Cause:
    """The ``code`` cause with its explanation (its ``variant`` template) filled from ``fields``."""
    spec_ = CAUSES[code]
    return Cause(code, (spec_.variants[variant] if variant else spec_.template).format_map(fields))
