"""What every classifier receives: the reader (text, rules, subjects, drafts, atoms),
the reading state, and the number with the words just before it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import regex as re

from ...document import Document
from ...rules import CompiledRules
from ..atoms import Atom, Atoms
from ..drafts import Draft, Drafts
from ..state import Reading
from ..subjects import Subjects
from ..words import Words

__all__ = ["LEFT_WINDOW", "Context", "Reader", "context_of"]

# The ``*_left`` cues are searched in the last LEFT_WINDOW characters of the clause before a
# number: each is anchored at the number and none matches more than a few dozen characters,
# so the result is the same as over the whole clause, in time that does not grow with it.
LEFT_WINDOW = 300


@dataclass(slots=True)
class Reader:
    """The text being read and everything read from it so far."""

    doc: Document
    t: str
    rules: CompiledRules
    words: Words
    subjects: Subjects
    drafts: Drafts
    atoms: Atoms
    headings: Mapping[str, str] = field(default_factory=dict)  # section id → its heading


@dataclass(slots=True)
class Context:
    """One number to classify, in its clause."""

    r: Reader
    st: Reading
    atom: Atom
    cs: int  # the start of the number's clause
    prev_end: int  # the end of the previous number of the clause (or cs)
    left: str  # the clause up to the number
    unit: str | None
    is_pct: bool  # a percentage (or a "--" marker)
    note_end: int  # the end of the claim: after a zero-base note "（基数为0，不可比）"
    zflags: list[str]  # the words of that note
    mchange: re.Match[str] | None  # the change cue just before the number
    head: Draft | None  # the amount it qualifies, if it qualifies one

    @property
    def t(self) -> str:
        return self.r.t

    @property
    def money_units(self) -> frozenset[str]:
        return self.r.words.money_units

    @property
    def section(self) -> str | None:
        return self.st.section

    @property
    def sent_start(self) -> int:
        return self.st.sent_start

    def search_left(self, cue: str) -> re.Match[str] | None:
        """The cue ``cue`` (a ``*_left`` cue of claims.yaml) at the end of the clause before the number."""
        return search_left(self.r.rules.left[cue], self.left)


def context_of(r: Reader, st: Reading, atom: Atom) -> Context:
    """The context of ``atom``; the numbers of a zero-base note after it are consumed."""
    cs = r.subjects.clause_start(atom.start, floor=st.sent_start if st.sent_start <= atom.start else 0)
    # text since the previous number (or the clause start)
    last_end = r.atoms.last_end(cs, atom.start)
    prev_end = cs if last_end is None else max(cs, last_end)
    left = r.t[cs : atom.start]
    is_pct = atom.unit in ("%", "‰") or atom.marker is not None
    note_end, zflags = _zero_base_note(r, atom, is_pct)
    mchange = search_left(r.rules.left["change_left"], left)
    head = st.sent_prim[-1] if st.sent_prim else (st.prev_sent_prim[-1] if st.prev_sent_prim else st.last_primary)
    head = _enumeration_total(r, head)
    return Context(r, st, atom, cs, prev_end, left, atom.unit, is_pct, note_end, zflags, mchange, head)


def search_left(rx: re.Pattern[str], left: str) -> re.Match[str] | None:
    """``rx`` (anchored at the end) searched in the last :data:`LEFT_WINDOW` characters of
    ``left``; a lookbehind still sees the characters before them."""
    return rx.search(left, max(0, len(left) - LEFT_WINDOW))


def _zero_base_note(r: Reader, atom: Atom, is_pct: bool) -> tuple[int, list[str]]:
    """A zero base note "（基数为0，不可比）" after a rate or marker: its end and words."""
    zb = r.rules.cue["zero_base_right"].match(r.t, atom.end)
    zflags: list[str] = []
    if zb is None or not (is_pct or atom.marker):
        return atom.end, zflags
    note = zb.group("note")
    for w in r.words.zero_base:
        if w in note:
            zflags.append(w)
    for a in r.atoms.between(zb.start(), zb.end()):
        a.consumed = True
    return zb.end(), zflags


def _enumeration_total(r: Reader, head: Draft | None) -> Draft | None:
    """“预算收入X，其中：A a、B b、C c，较上年减少Y”: after items joined by 、 the clause goes
    back to their total; the change is the total's, not the last item's."""
    if head is None or head.total is None:
        return head
    total = r.drafts.by_id.get(head.total)
    if total is None or len(total.components) < 2 or total.components[-1] != head.id:
        return head
    items = [r.drafts.by_id[x] for x in total.components if x in r.drafts.by_id]
    joined = all(
        "、" in r.t[a.end : b.start] and not re.search(r"[，,；;。]", r.t[a.end : b.start]) for a, b in pairwise(items)
    )
    return total if joined else head
