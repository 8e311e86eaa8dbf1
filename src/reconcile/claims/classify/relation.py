"""Qualitative relations: 持平, 无差异, 大于/小于 the base without a number (spans of the
token patterns of claims.yaml), linked to the amount they compare."""

from __future__ import annotations

import re as _re

from ..drafts import Draft
from ..state import Reading
from ..subjects import CLAUSE_DELIMS
from .context import Reader

__all__ = ["relation"]

_LABELS = {"REL_EQUAL": "equal", "REL_GREATER": "greater", "REL_LESS": "less"}
_NEEDS_BASE = ("equal_word", "greater", "less", "less_saving")  # token patterns that compare only with a base


def relation(r: Reader, st: Reading, span: tuple[int, int, str, str]) -> Draft | None:
    """The relation of the span (start, end, label, pattern id), or None when it is no claim."""
    s, e, label, rid = span
    t = r.t
    if _re.match(r"\s*[\d-]", t[e : e + 3]):
        return None  # a numeric relation (大于 10%): read with the number
    bm = r.rules.cue["base_phrase"].match(t, s)
    if bm is not None and _re.match(r"\s*\d", t[bm.end() : bm.end() + 3]):
        return None  # “小于上年预算数40.05万元”: a change, read with the number
    cs = r.subjects.clause_start(s)
    if label == "REL_EQUAL" and r.rules.left["hedge_left"].search(t, max(cs, s - 12), s):
        return None  # “基本与上年持平”: roughly equal, not a claim of equality
    ce = e
    while ce < len(t) and t[ce] not in CLAUSE_DELIMS:
        ce += 1
    base = _base(r, cs, ce)
    if rid in _NEEDS_BASE and base is None:
        return None
    subj, raw, sstart, _ = r.subjects.subject_of(cs, s, raw_ok=False)
    head, subj = _head(r, st, subj, cs, s)
    return r.drafts.new(
        min(sstart, s),
        ce,
        "other",
        None,
        st.section,
        f"relation:{rid}",
        subj,
        raw,
        relation=_LABELS[label],
        base=base,
        head=head.id if head else None,
        figure=r.subjects.figure_in(cs, s),
    )


def _base(r: Reader, cs: int, ce: int) -> str | None:
    base = r.subjects.find_base(cs, ce)
    if base is None:
        m = r.rules.cue["base_word"].search(r.t[cs:ce])
        if m:
            base = r.subjects.base_norm(m.group("base"))
    return base


def _head(r: Reader, st: Reading, subj: str | None, cs: int, s: int) -> tuple[Draft | None, str | None]:
    """The amount compared (and the subject, when the clause has none of its own)."""
    head = None
    if subj is not None:
        head = r.drafts.by_subject(subj, st.section, s)
    if head is None and st.sent_prim:
        head = st.sent_prim[-1]
        subj = subj or head.subject
    if subj is None:
        earlier = r.subjects.known(st.sent_start, cs)
        if earlier:
            subj = earlier[-1][2]
            head = r.drafts.by_subject(subj, st.section, s)
    if head is None and st.last_primary is not None and st.last_primary.start >= st.sent_start - 200:
        head = st.last_primary
    if subj is None and head is not None:
        subj = head.subject
    return head, subj
