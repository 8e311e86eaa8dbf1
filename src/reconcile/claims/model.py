"""The claim model: :class:`Claim`, what became of each number (:class:`NumberUse`,
:class:`Coverage`), and the claims as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

__all__ = ["Claim", "Coverage", "NumberUse", "Quantity", "Relation", "claims_json"]

Quantity = Literal["amount", "change", "rate", "share", "completion", "sum", "difference", "count", "score", "other"]
Relation = Literal["equal", "greater", "less", ">=", "<=", ">", "<", "approx"]


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable statement of the narrative.

    ``text == doc.text[span[0]:span[1]]``. ``value``/``decimals`` are the number as
    printed (None for "--" markers and qualitative claims). Links point to other
    claims by id: ``head`` is the amount a change/rate/share/completion/relation
    qualifies; ``change`` the change a rate derives from; ``budget`` the budget
    amount of a completion; ``whole`` the total of a share; ``total`` the total a
    "其中" item belongs to and ``components`` the items of a total (or of a sum);
    ``operands`` the amounts a difference (节约, 结余) is computed from.
    """

    id: str
    text: str
    span: tuple[int, int]
    line: int
    page: int | None
    section: str | None
    section_heading: str | None
    scope: tuple[str, ...]
    quantity: Quantity
    value: Decimal | None
    decimals: int | None
    unit: str | None
    subject: str | None
    subject_raw: str | None
    base: str | None = None
    figure: str | None = None
    direction: int | None = None
    marker: str | None = None
    relation: str | None = None
    head: str | None = None
    change: str | None = None
    budget: str | None = None
    whole: str | None = None
    whole_subject: str | None = None
    total: str | None = None
    total_subject: str | None = None
    components: tuple[str, ...] = ()
    operands: tuple[str, ...] = ()
    classification: tuple[str, ...] = ()
    number_span: tuple[int, int] | None = None
    flags: tuple[str, ...] = ()
    rule: str = ""

    @property
    def known_subject(self) -> bool:
        return self.subject is not None and self.subject != self.subject_raw

    def to_json(self) -> dict[str, Any]:
        """The claim as in the report schema (plus extra fields)."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "span": list(self.span),
            "line": self.line,
            "page": self.page,
            "section": self.section_heading,
            "section_id": self.section,
            "subject": self.subject,
            "subject_raw": self.subject_raw,
            "quantity": self.quantity,
            "value": float(self.value) if self.value is not None else None,
            "decimals": self.decimals,
            "unit": self.unit,
        }
        for k in (
            "base",
            "figure",
            "direction",
            "marker",
            "relation",
            "head",
            "change",
            "budget",
            "whole",
            "whole_subject",
            "total",
            "total_subject",
            "rule",
        ):
            v = getattr(self, k)
            if v not in (None, ""):
                out[k] = v
        for k in ("components", "operands", "classification", "flags", "scope"):
            v = getattr(self, k)
            if v:
                out[k] = list(v)
        if self.number_span is not None:
            out["number_span"] = list(self.number_span)
        return out


# ============================================================================ coverage


@dataclass(frozen=True, slots=True)
class NumberUse:
    """One number of the narrative and what became of it."""

    span: tuple[int, int]
    text: str
    claims: tuple[str, ...]
    reason: str | None  # why it is not in a claim
    excluded: bool  # left out of the coverage denominator (years, dates, ordinals…)
    section: str | None


@dataclass(frozen=True, slots=True)
class Coverage:
    numbers: tuple[NumberUse, ...]

    @property
    def found(self) -> int:
        return len(self.numbers)

    @property
    def excluded(self) -> int:
        return sum(1 for n in self.numbers if n.excluded)

    @property
    def claimed(self) -> int:
        return sum(1 for n in self.numbers if n.claims)

    @property
    def countable(self) -> int:
        return self.found - self.excluded

    @property
    def ratio(self) -> float:
        return self.claimed / self.countable if self.countable else 1.0

    @property
    def unclaimed(self) -> tuple[NumberUse, ...]:
        return tuple(n for n in self.numbers if not n.claims)

    def reasons(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in self.unclaimed:
            key = n.reason or "unknown"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def claims_json(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    return [c.to_json() for c in claims]
