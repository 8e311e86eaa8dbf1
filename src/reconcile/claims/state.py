"""The reading state threaded through one pass over the narrative: the section, the
sentence and its primary amounts, the open lists and parentheses, the budget
classification path (类/款/项) in force; and the boundaries between two numbers that
change it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..rules import CompiledRules
from .drafts import Draft
from .lists import ListEntry, host_groups
from .view import SENT_END

__all__ = ["SENTENCE_WINDOW", "Mark", "Reading", "gap_marks"]

Mark = tuple[float, str, Any]  # (offset in the gap, kind, payload)

# A sentence is read at most this many characters back from a number: the work per number
# is bounded, so extraction takes time linear in the text (no sentence of the corpus
# reaches 410 characters; a longer one is soup, not prose).
SENTENCE_WINDOW = 2000


def gap_marks(gap: str, rules: CompiledRules) -> list[Mark]:
    """Sentence ends, parentheses, list openers, implicit totals and classification paths
    of ``gap``, in order."""
    marks: list[Mark] = []
    for i, ch in enumerate(gap):
        if ch in SENT_END or ch == "\n":
            marks.append((i, "end", ch))
        elif ch in "（(":
            marks.append((i, "open", None))
        elif ch in "）)":
            marks.append((i, "close", None))
    for m in rules.cue["list_open"].finditer(gap):
        marks.append((m.end() - 0.5, "list", m))
    for mi in rules.cue["implicit_total"].finditer(gap):
        marks.append((mi.end() - 0.5, "implicit", mi))
    for mp in rules.cue["class_path"].finditer(gap):
        marks.append((mp.start() + 0.1, "path", mp))
    marks.sort(key=lambda x: x[0])
    return marks


@dataclass(slots=True)
class Reading:
    """Where the reading stands (reset at each section)."""

    section: str | None = None
    pos: int = 0  # the text before pos has been read
    sent_start: int = 0
    sent_prim: list[Draft] = field(default_factory=list)  # primary amounts of the sentence
    prev_sent_prim: list[Draft] = field(default_factory=list)  # … of the last sentence that had some
    last_primary: Draft | None = None
    last_change: Draft | None = None
    list_stack: list[ListEntry] = field(default_factory=list)
    paren_saved: list[tuple[list[Draft], Draft | None]] = field(default_factory=list)
    depth: int = 0  # parentheses
    path: tuple[str, ...] = ()
    path_text: str | None = None
    last_rel: Draft | None = None

    def enter_section(self, section: str | None, start: int, sent_start: int) -> None:
        self.section = section
        self.sent_prim, self.prev_sent_prim, self.last_primary, self.last_change = [], [], None, None
        self.list_stack, self.paren_saved, self.depth = [], [], 0
        self.path, self.path_text = (), None
        self.pos = start
        self.sent_start = sent_start
        self.last_rel = None

    def bound_sentence(self, at: int) -> None:
        """A sentence longer than :data:`SENTENCE_WINDOW` is read from that many characters before ``at``."""
        self.sent_start = max(self.sent_start, at - SENTENCE_WINDOW)

    def made(self, drafts: list[Draft]) -> None:
        """Drafts read from a number: primary amounts and changes are remembered."""
        for x in drafts:
            if x.primary:
                self.sent_prim.append(x)
                self.last_primary = x
            if x.quantity == "change":
                self.last_change = x

    def end_sentence(self, at: int, ch: str) -> None:
        if self.depth > 0:
            return
        if self.sent_prim:
            self.prev_sent_prim = self.sent_prim
        self.sent_prim = []
        self.sent_start = at + 1
        self.last_change = None
        self.list_stack = [e for e in self.list_stack if e.scope != "sentence"]
        if ch == "\n":
            self.path, self.path_text = (), None

    def open_paren(self, at: int, t: str) -> None:
        self.paren_saved.append((list(self.sent_prim), self.last_change))
        self.depth += 1
        # "X万元（A万元，B万元）": the parenthesis lists the parts of X
        if self.sent_prim and not t[self.sent_prim[-1].end : at].strip():
            host = self.sent_prim[-1]
            self.list_stack.append(ListEntry(host.subject, {host.figure or "": host}, "paren", self.depth))

    def close_paren(self) -> None:
        if self.depth > 0:
            self.depth -= 1
            self.sent_prim, self.last_change = self.paren_saved.pop()
            self.list_stack = [e for e in self.list_stack if e.depth <= self.depth]

    def open_list(self, scope: str) -> None:
        """“其中：” after the last primary amount (of this sentence, or else of the last one)."""
        sent_prim, prev_sent_prim = self.sent_prim, self.prev_sent_prim
        lhost = sent_prim[-1] if sent_prim else (prev_sent_prim[-1] if prev_sent_prim else None)
        if lhost is None:
            return
        group = {d.figure or "": d for d in (sent_prim or prev_sent_prim) if d.subject == lhost.subject}
        group[lhost.figure or ""] = lhost
        if self.list_stack and self.list_stack[-1].by_figure.get(lhost.figure or "") is lhost:
            return
        hosts = host_groups(prev_sent_prim) if not sent_prim else ()
        if len(hosts) > 1:  # “A合计X，包括B Y，C Z。其中：…”: whose parts? the first item tells
            self.list_stack.append(ListEntry(None, {}, scope, self.depth, hosts))
            return
        self.list_stack.append(ListEntry(lhost.subject, group, scope, self.depth))

    def implicit_total(self, subject: str | None) -> None:
        """“X支出决算中，”: a list of the parts of X, whose total is not printed."""
        self.list_stack.append(ListEntry(subject, {}, "sentence", self.depth))

    def set_path(self, p: str, rules: CompiledRules) -> None:
        """A budget classification path (“一般公共服务支出（类）…（项）”): its levels."""
        lead = rules.cue["class_path_lead"].match(p)
        p = p[lead.end() if lead else 0 :]
        self.path_text = p
        self.path = tuple(x for x in rules.cue["class_level"].split(p) if x)
