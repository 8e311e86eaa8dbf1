"""A mutant (one injected error) and the checker's outcome on it; the kinds of error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconcile.rules import load_rules

Span = tuple[int, int]
Key = tuple[str, tuple[Span, ...]]
Report = Mapping[str, Any]

KINDS: tuple[str, ...] = (
    "rate",
    "change",
    "share",
    "completion",
    "transposed",
    "direction",
    "unit",
    "cell",
    "component",
)

# the likely cause (reconcile.findings.CAUSES) each kind of mutant injects; kinds without a cause rule are absent
KIND_CAUSE: dict[str, str] = {
    "rate": "one_digit",
    "change": "one_digit",
    "share": "one_digit",
    "completion": "one_digit",
    "transposed": "digits_swapped",
    "unit": "unit_yuan",
    "cell": "one_digit",
    "component": "one_digit",
}

# a direction word and its opposite: the vocabulary of the bundled rules (rules/vocabulary.yaml)
FLIP: dict[str, str] = dict(load_rules().vocabulary.opposites)


@dataclass(frozen=True, slots=True)
class Mutant:
    """One injected error.

    ``text`` is the whole mutated document; it equals the original except inside
    ``span`` (new-text offsets), which replaced ``original[original_span]``.
    ``targets`` are the new-text spans a finding may touch to count as catching the
    error (the edited span, plus for ``cell`` the claims quoting the cell and for
    ``direction`` the change/rate clause).
    """

    kind: str
    doc: str
    text: str
    span: Span
    original_span: Span
    old: str
    new: str
    description: str
    line: int
    targets: tuple[Span, ...]
    claim: str | None = None  # id (in the clean report) of the claim or cell quoter edited

    @property
    def delta(self) -> int:
        """Length change of the text (new − old)."""
        return (self.span[1] - self.span[0]) - (self.original_span[1] - self.original_span[0])

    def to_original(self, pos: int) -> int:
        """Map an offset of the mutated text back to the original text."""
        if pos <= self.span[0]:
            return pos
        if pos >= self.span[1]:
            return pos - self.delta
        return min(pos, self.original_span[1])


@dataclass(slots=True)
class Outcome:
    """What the checker said about one mutant."""

    detected: bool
    hits: list[dict[str, Any]] = field(default_factory=list)  # new inconsistent findings touching the edit
    false_flags: list[dict[str, Any]] = field(default_factory=list)  # new inconsistent findings elsewhere
    edited_claims: list[dict[str, Any]] = field(default_factory=list)  # claims of the mutant at the edit
