"""The state one run of the claim checks shares, and the one way a check records a verdict.

:class:`Context` holds the inputs (document, claims, tables, rules) and the results
that checks hand to later checks as explicit named fields (``suspect``, ``cell_of``,
``item_totals``); which check fills and which reads each is declared in the registry
(:mod:`reconcile.checks.registry`). :meth:`Context.record` renders a message template of
the findings catalogue and records the finding and the claim outcomes;
:meth:`Context.verify_or_flag` is the verified-or-inconsistent choice every relation
check makes.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..claims import Claim
from ..document import Document
from ..findings import CellRef, Finding, Severity, Status, spec
from ..match import CellMatch, ClassPath, MatchRules
from ..model import Table
from ..numbers import Interval
from ..rules import Rules
from ..sections import Section
from .cues import Cues

__all__ = ["COARSE_CODE", "CellKey", "ClaimOutcome", "Context", "Evidence"]

# a relation that holds only thanks to coarse rounding is reported under this code
COARSE_CODE = "N214"

CellKey = tuple[str, str, str]  # (table id, row key, column)

_RANK = {"unverifiable": 0, "verified": 1, "inconsistent": 2}


@dataclass
class ClaimOutcome:
    """A claim's status and the reason for it; a later verdict replaces it only when it ranks higher."""

    status: str = "unverifiable"
    reason: str = "no check applies to this claim"
    checked: bool = False

    def set(self, status: Status, reason: str) -> None:
        if not self.checked or _RANK[status] > _RANK[self.status]:
            self.status, self.reason, self.checked = status, reason, True


@dataclass(frozen=True, slots=True)
class Evidence:
    """The numbers a finding rests on: the value the check computed, the value the text
    states, and the interval the computed value may take given the printed rounding."""

    expected: Decimal | None = None
    observed: Decimal | None = None
    tolerance: Interval | None = None


NO_EVIDENCE = Evidence()


@dataclass
class Context:
    """One document's claim checks: inputs, shared results, findings and outcomes.

    Shared results (each declared by the checks that provide and need it):

    * ``suspect``: cells that fail their table's own identities (from the table findings),
      cell → (the failing check, the value the identity expects);
    * ``cell_of``: claim id → the table cell the amount check compared it with;
    * ``item_totals``: ids of the totals whose items the item-list check already summed.

    ``paths`` and ``class_names`` are caches of pure look-ups, not results.
    """

    doc: Document
    claims: list[Claim]
    by_id: dict[str, Claim]
    tables: list[Table]
    mrules: MatchRules
    rules: Rules
    cues: Cues
    sections: Sequence[Section] = ()
    suspect: dict[CellKey, tuple[str, Decimal | None]] = field(default_factory=dict)
    cell_of: dict[str, CellMatch] = field(default_factory=dict)
    item_totals: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    outcome: dict[str, ClaimOutcome] = field(default_factory=dict)
    paths: dict[str, ClassPath] = field(default_factory=dict)  # claim id → 类/款/项 chain before its number
    class_names: dict[str, bool] = field(default_factory=dict)  # subject → names a function class
    _by_start: tuple[list[int], list[int], int] | None = None  # span starts, claim indexes in that order, longest span
    _by_head: dict[str, list[Claim]] | None = None  # head id → the claims that read against it, in list order
    _appended: dict[str, str] | None = None  # section id → the appended document it stands in

    def change_of(self, head_id: str) -> Claim | None:
        """The first change with a value whose amount is ``head_id`` (through ``with_head``)."""
        return next((x for x in self.with_head(head_id) if x.quantity == "change" and x.value is not None), None)

    def claims_between(self, lo: int, hi: int) -> list[Claim]:
        """Every claim whose span overlaps ``[lo, hi]`` or starts in it, in list order (a bisection
        on an index built once, so that a look-around per claim is not a scan of all claims)."""
        if self._by_start is None:
            order = sorted(range(len(self.claims)), key=lambda k: self.claims[k].span[0])
            longest = max((c.span[1] - c.span[0] for c in self.claims), default=0)
            self._by_start = ([self.claims[k].span[0] for k in order], order, longest)
        starts, order, longest = self._by_start
        i = bisect.bisect_left(starts, lo - longest)
        j = bisect.bisect_right(starts, hi)
        return [self.claims[k] for k in sorted(order[i:j])]

    def with_head(self, head_id: str) -> list[Claim]:
        """The claims whose ``head`` is ``head_id``, in list order (an index built once)."""
        if self._by_head is None:
            self._by_head = {}
            for c in self.claims:
                if c.head is not None:
                    self._by_head.setdefault(c.head, []).append(c)
        return self._by_head.get(head_id, [])

    def appended(self, section_id: str | None) -> str | None:
        """The title of the appended document (an evaluation report printed after the report)
        the section ``section_id`` belongs to, if any (the first such section of that id)."""
        if self._appended is None:
            self._appended = {}
            for s in self.sections:
                if s.appended:
                    self._appended.setdefault(s.id, s.appended)
        return None if section_id is None else self._appended.get(section_id)

    def out(self, cid: str) -> ClaimOutcome:
        return self.outcome.setdefault(cid, ClaimOutcome())

    def record(
        self,
        code: str,
        status: Status,
        template: str,
        fields: Mapping[str, object],
        claims: Sequence[Claim],
        *,
        template_code: str | None = None,
        cells: Sequence[CellMatch] = (),
        evidence: Evidence = NO_EVIDENCE,
        severity: Severity | None = None,
        spans: tuple[tuple[int, int], ...] = (),
    ) -> None:
        """Record a finding whose message is ``template`` of the catalogue entry of
        ``template_code`` (default ``code``) filled with ``fields``, and set the claims'
        outcomes: the first claim takes the finding's status; the other figures of a
        verified relation are consistent with it. ``spans`` adds places of the text that no
        claim covers."""
        message = spec(template_code or code).message(template, fields)
        self.findings.append(
            Finding(
                check=code,
                status=status,
                message=message,
                spans=(*(c.span for c in claims), *spans),
                claims=tuple(c.id for c in claims),
                cells=_refs(cells),
                expected=evidence.expected,
                observed=evidence.observed,
                tolerance=(evidence.tolerance.lo, evidence.tolerance.hi) if evidence.tolerance else None,
                severity=severity,
            )
        )
        if claims:
            self.out(claims[0].id).set(status, message)
        if status == "verified":
            # an amount no table holds, checked through the rate it yields, is verified by it
            for other in claims[1:]:
                o = self.out(other.id)
                if not o.checked or o.status == "unverifiable":
                    o.set("verified", f"consistent with {claims[0].id}: {message}")

    def verify_or_flag(
        self,
        code: str,
        ok: bool,
        claims: Sequence[Claim],
        fields: Mapping[str, object],
        *,
        coarse: bool = False,
        bare_verified: bool = False,
        variant: str | None = None,
        cells: Sequence[CellMatch] = (),
        evidence: Evidence = NO_EVIDENCE,
        spans: tuple[tuple[int, int], ...] = (),
    ) -> None:
        """A relation that holds (``ok``) is verified with ``code``'s ``verified`` template,
        or, when it holds only thanks to coarse rounding, reported as N214 with its
        ``coarse`` template; one that does not hold is inconsistent (``inconsistent``
        template). ``bare_verified``: the verified finding carries no expected, observed or
        tolerance (only its claims and cells). ``variant``: use the templates
        ``<variant>.verified`` and ``<variant>.inconsistent`` instead."""
        prefix = f"{variant}." if variant else ""
        if not ok:
            self.record(
                code,
                "inconsistent",
                prefix + "inconsistent",
                fields,
                claims,
                cells=cells,
                evidence=evidence,
                spans=spans,
            )
            return
        self.record(
            COARSE_CODE if coarse else code,
            "verified",
            prefix + ("coarse" if coarse else "verified"),
            fields,
            claims,
            template_code=code,
            cells=cells,
            evidence=NO_EVIDENCE if bare_verified else evidence,
            spans=spans,
        )


def _refs(cells: Sequence[CellMatch]) -> tuple[CellRef, ...]:
    return tuple(
        CellRef(m.table.id, r.key(), m.column, r.cells[m.column].value, r.cells[m.column].span, r.cells[m.column].page)
        for m in cells
        for r in (m.row, *m.plus)
    )
