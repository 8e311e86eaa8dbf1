"""Extraction: one pass over the numbers and qualitative spans of the narrative, in
document order, building claims and linking them; then the claims renumbered in
document order."""

from __future__ import annotations

import re as _re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..document import Document
from ..rules import Rules, load_rules
from ..sections import Section, split_sections
from .atoms import Atoms, scan_atoms
from .classify import Reader, classify, relation
from .drafts import Draft, Drafts
from .model import Claim
from .spans import find_spans
from .state import Reading, gap_marks
from .subjects import Subjects
from .view import View, narrative_view
from .words import words_of

__all__ = ["Extractor", "extract", "extract_claims"]

Event = tuple[int, int, str, Any]  # (position, 0 for a span / 1 for a number, kind, payload)


class Extractor:
    """The claims of one narrative view."""

    def __init__(self, doc: Document, sections: Sequence[Section], view: View, rules: Rules) -> None:
        self.doc = doc
        self.view = view
        self.t = view.text
        self.rules = rules.claims
        self.sections = {s.id: s for s in sections}
        subj_spans: list[tuple[int, int, str]] = []
        self.rel_spans: list[tuple[int, int, str, str]] = []
        for start, end, label, rid in find_spans(self.t, rules) if self.t else ():
            if label == "SUBJECT":
                subj_spans.append((start, end, rid))
            else:
                self.rel_spans.append((start, end, label, rid))
        self.atoms = Atoms(scan_atoms(self.t, self.rules))
        self.drafts = Drafts()
        words = words_of(rules.vocabulary, self.rules.alias_to_name)
        self.subjects = Subjects(self.t, self.rules, words, doc, subj_spans)
        headings = {s.id: s.heading for s in sections if s.heading}
        self.reader = Reader(doc, self.t, self.rules, words, self.subjects, self.drafts, self.atoms, headings)

    def run(self) -> list[Draft]:
        """Every draft, in the order read."""
        st = Reading()
        for start, _, kind, payload in self._events():
            sid = self.view.section_at(start)
            if sid != st.section:
                st.enter_section(sid, start, self.subjects.clause_start(start, "。！？!?\n"))
            if start < st.pos:
                continue
            self._advance(st, start)
            st.bound_sentence(start)
            if kind == "rel":
                self._relation(st, payload)
                continue
            atom = self.atoms.all[payload]
            if atom.consumed or (atom.reason is not None and atom.excluded):
                continue
            st.made(classify(self.reader, st, atom))
        self._absences()
        return self.drafts.all

    def _events(self) -> list[Event]:
        events: list[Event] = []
        for k, a in enumerate(self.atoms.all):
            events.append((a.start, 1, "atom", k))
        for s, e, label, rid in self.rel_spans:
            events.append((s, 0, "rel", (s, e, label, rid)))
        events.sort(key=lambda x: (x[0], x[1]))
        return events

    def _advance(self, st: Reading, to: int) -> None:
        """Read the text between the last event and ``to``: sentence ends, parentheses, lists, paths."""
        pos = st.pos
        for at, kind, m in gap_marks(self.t[pos:to], self.rules):
            if kind == "end":
                st.end_sentence(pos + int(at), m)
            elif kind == "open":
                st.open_paren(pos + int(at), self.t)
            elif kind == "close":
                st.close_paren()
            elif kind == "list":
                end = pos + m.end()
                after = self.t[end : end + 1]
                st.open_list("block" if after in ("\n", "") or self._line_ends_after(end) else "sentence")
            elif kind == "implicit":
                subj, _, _, _ = self.subjects.subject_of(pos + m.start("subject"), pos + m.end("subject"))
                st.implicit_total(subj)
            elif kind == "path":
                st.set_path(m.group("path"), self.rules)
        st.pos = to

    def _relation(self, st: Reading, span: tuple[int, int, str, str]) -> None:
        """A qualitative relation; a second one of the same relation and head in the sentence is dropped."""
        d = relation(self.reader, st, span)
        if d is None:
            return
        last = st.last_rel
        if last is not None and last.relation == d.relation and last.head == d.head and last.start >= st.sent_start:
            self.drafts.drop(d)
        else:
            st.last_rel = d

    def _absences(self) -> None:
        """“2024 年度没有政府性基金收入，也没有使用政府性基金安排的支出”: subjects said to be nil."""
        for rule, rx in self.rules.absences:
            for m in rx.finditer(self.t):
                sid = self.view.section_at(m.start())
                if sid is not None:
                    d = self.drafts.new(
                        m.start(), m.end(), "other", None, sid, f"absent:{rule.id}", rule.subject, m.group(0)
                    )
                    d.relation = "none"

    def _line_ends_after(self, pos: int) -> bool:
        """True when, in the original text, a line break follows joined position ``pos`` (exclusive end)."""
        if pos <= 0 or pos > len(self.view.offs):
            return False
        off = self.view.offs[pos - 1] + 1
        rest = self.doc.text[off : off + 40]
        m = _re.match(r"[ \t\u3000]*\r?\n", rest)
        return m is not None


def extract_claims(
    doc: Document,
    sections: Sequence[Section] | None = None,
    *,
    tables_spans: list[tuple[int, int]] | None = None,
    rules: str | Path | Rules | None = None,
) -> list[Claim]:
    """Every claim of the narrative sections, in document order (ids C0001…)."""
    claims, _ = extract(doc, sections, tables_spans, rules)
    return claims


def extract(
    doc: Document,
    sections: Sequence[Section] | None,
    tables_spans: list[tuple[int, int]] | None,
    rules_in: str | Path | Rules | None,
) -> tuple[list[Claim], Extractor]:
    """The claims in document order, and the extractor that read them (its atoms know their claims)."""
    all_rules = rules_in if isinstance(rules_in, Rules) else load_rules(rules_in)
    if sections is None:
        sections = split_sections(doc, tables_spans, rules=all_rules)
    view = narrative_view(doc, sections, tables_spans)
    ex = Extractor(doc, sections, view, all_rules)
    drafts = ex.run()
    drafts.sort(key=lambda d: (d.start, d.id))
    # renumber in document order
    new_ids = {d.id: f"C{i + 1:04d}" for i, d in enumerate(drafts)}
    for a in ex.atoms.all:
        a.claims = [new_ids[c] for c in a.claims if c in new_ids]
    return [_claim(doc, ex, d, new_ids) for d in drafts], ex


def _claim(doc: Document, ex: Extractor, d: Draft, new_ids: dict[str, str]) -> Claim:
    """The claim of a draft, its links renumbered."""

    def ren(x: str | None) -> str | None:
        return new_ids.get(x) if x else None

    span = ex.view.span(d.start, d.end)
    sec = ex.sections.get(d.section) if d.section else None
    return Claim(
        id=new_ids[d.id],
        text=doc.text[span[0] : span[1]],
        span=span,
        line=doc.line_number(span[0]),
        page=doc.page_of(span[0]),
        section=d.section,
        section_heading=sec.heading if sec else None,
        scope=sec.scope if sec else (),
        quantity=d.quantity,
        value=d.value,
        decimals=d.decimals,
        unit=d.unit,
        subject=d.subject,
        subject_raw=_re.sub(r"\s+", "", d.subject_raw) if d.subject_raw else None,
        base=d.base,
        figure=d.figure,
        direction=d.direction,
        marker=d.marker,
        relation=d.relation,
        head=ren(d.head),
        change=ren(d.change),
        budget=ren(d.budget),
        whole=ren(d.whole),
        whole_subject=d.whole_subject,
        total=ren(d.total),
        total_subject=d.total_subject,
        components=tuple(x for x in (ren(c) for c in d.components) if x),
        operands=tuple(x for x in (ren(c) for c in d.operands) if x),
        classification=d.classification,
        number_span=ex.view.span(*d.number) if d.number else None,
        flags=tuple(dict.fromkeys(d.flags)),
        rule=d.rule,
    )
