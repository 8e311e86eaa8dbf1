"""Coverage: which numbers of the narrative ended up in a claim, and why the others did not."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..document import Document
from ..rules import Rules
from ..sections import Section
from .extract import extract
from .model import Claim, Coverage, NumberUse

__all__ = ["claim_coverage"]


def claim_coverage(
    doc: Document,
    sections: Sequence[Section] | None = None,
    claims: Sequence[Claim] | None = None,
    *,
    tables_spans: list[tuple[int, int]] | None = None,
    rules: str | Path | Rules | None = None,
) -> Coverage:
    """Which numbers of the narrative are in a claim, and why the others are not.

    A number is claimed when a claim was read from it (its value, or a number a
    claim consumed such as the 0 of "基数为0"). Numbers that are not quantities
    (years, dates, ordinals, document numbers…) are listed with their reason and
    left out of the denominator of :attr:`Coverage.ratio`.
    """
    got, ex = extract(doc, sections, tables_spans, rules)
    got_ids = {c.id for c in claims} if claims is not None else {c.id for c in got}
    out: list[NumberUse] = []
    for a in ex.atoms.all:
        if a.marker is not None:
            continue
        span = ex.view.span(a.start, a.num_end)
        ids = tuple(c for c in a.claims if c in got_ids)
        if a.consumed and not ids:
            owner = next((c.id for c in got if c.span[0] <= span[0] and span[1] <= c.span[1] and c.id in got_ids), None)
            ids = (owner,) if owner else ()
        reason = None if ids else (a.reason or "no claim pattern matched")
        excluded = (not ids) and a.excluded
        sec = ex.view.section_at(a.start)
        out.append(NumberUse(span, doc.text[span[0] : span[1]], ids, reason, excluded, sec))
    return Coverage(tuple(out))
