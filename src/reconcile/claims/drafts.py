"""Drafts: claims while they are being read (mutable, linked by id), and the book that
numbers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .atoms import Atom
from .model import Quantity

__all__ = ["Draft", "Drafts"]


@dataclass(slots=True)
class Draft:
    id: str
    start: int
    end: int
    quantity: Quantity
    value: Decimal | None
    decimals: int | None
    unit: str | None
    subject: str | None
    subject_raw: str | None
    section: str | None
    rule: str
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
    components: list[str] = field(default_factory=list)
    operands: tuple[str, ...] = ()
    classification: tuple[str, ...] = ()
    number: tuple[int, int] | None = None
    flags: list[str] = field(default_factory=list)
    primary: bool = False


class Drafts:
    """Every draft so far, in the order made, by id too."""

    def __init__(self) -> None:
        self.all: list[Draft] = []
        self.by_id: dict[str, Draft] = {}
        self.n = 0

    def new(
        self,
        start: int,
        end: int,
        quantity: Quantity,
        atom: Atom | None,
        section: str | None,
        rule: str,
        subject: str | None = None,
        subject_raw: str | None = None,
        **kw: Any,
    ) -> Draft:
        """A new draft read from ``atom`` (None: a qualitative claim); ``kw`` sets more fields."""
        self.n += 1
        d = Draft(
            id=f"C{self.n:04d}",
            start=start,
            end=end,
            quantity=quantity,
            value=atom.value if atom else None,
            decimals=atom.decimals if atom else None,
            unit=atom.unit if atom else None,
            subject=subject,
            subject_raw=subject_raw,
            section=section,
            rule=rule,
            marker=atom.marker if atom else None,
            number=(atom.start, atom.num_end) if atom else None,
            flags=list(atom.flags) if atom else [],
        )
        for k, v in kw.items():
            setattr(d, k, v)
        if atom is not None:
            atom.claims.append(d.id)
        self.all.append(d)
        self.by_id[d.id] = d
        return d

    def drop(self, d: Draft) -> None:
        """Forget ``d``: looked for from the end by identity (a dropped draft is a recent one;
        ``list.remove`` compared it field by field with every draft before it, quadratic in a
        long text). Ids are unique, so this is the draft ``remove`` would find."""
        for i in range(len(self.all) - 1, -1, -1):
            if self.all[i] is d:
                del self.all[i]
                break
        del self.by_id[d.id]

    def by_subject(self, subject: str, section: str | None, before: int) -> Draft | None:
        """The last primary draft of ``subject`` before ``before`` in the same section."""
        for d in reversed(self.all):
            if d.start >= before:
                continue
            if d.section != section:
                break
            if d.primary and d.subject == subject:
                return d
        return None
