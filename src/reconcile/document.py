"""The Document: one text, its lines and pages, and what we know about the report.

Every later object (table cell, claim, finding) points back into ``Document.text``
by ``[start, end)`` character offsets. For a text input the text is the decoded file
itself; for a PDF it is the text that ``reconcile text FILE`` prints.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .numbers import fold_text

__all__ = ["BBox", "Document", "InputError", "Line", "PageInfo", "ProblemNote"]

BBox = tuple[float, float, float, float]


class InputError(Exception):
    """The input cannot be read as a report (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document text: ``text == document.text[start:end]``."""

    number: int  # 1-based
    start: int
    end: int
    text: str
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class PageInfo:
    number: int  # 1-based
    start: int
    end: int
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True, slots=True)
class ProblemNote:
    """A problem with the input itself, reported in the JSON ``errors`` list."""

    stage: str
    message: str
    page: int | None = None


@dataclass
class Document:
    text: str
    path: str
    sha256: str
    format: str  # "text" | "pdf"
    lines: list[Line] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    problems: list[ProblemNote] = field(default_factory=list)
    kind: str = "unknown"  # final_account | budget | unknown
    title: str | None = None
    organization: str | None = None
    year: int | None = None
    # Extra per-line layout (PDF): cell boxes keyed by character offset of the cell start.
    boxes: dict[int, tuple[int, BBox]] = field(default_factory=dict)
    # Tables extracted geometrically (PDF); the text path leaves this empty.
    raw_tables: list[object] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = split_lines(self.text)
        self._line_starts = [ln.start for ln in self.lines]
        self.folded = fold_text(self.text)
        if self.kind == "unknown" or self.title is None:
            detect_metadata(self)

    def line_at(self, offset: int) -> Line:
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return self.lines[max(i, 0)]

    def line_number(self, offset: int) -> int:
        return self.line_at(offset).number

    def page_of(self, offset: int) -> int | None:
        if not self.pages:
            return None
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[max(i, 0)].number

    def bbox_of(self, offset: int) -> BBox | None:
        hit = self.boxes.get(offset)
        return hit[1] if hit else None


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    n = 1
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(n, pos, pos + len(body), body))
        pos += len(raw)
        n += 1
    if not lines:
        lines.append(Line(1, 0, 0, ""))
    return lines


_YEAR_RE = re.compile(r"(20\d{2})\s*年")
_TITLE_RE = re.compile(
    r"(?P<title>(?:(?P<year>20\d{2})\s*年度?\s*)?(?P<org>[\u4e00-\u9fff（）()·]{2,40}?)\s*"
    r"(?P<kind>部门决算|部门预算|单位决算|单位预算|决算|预算))"
)


def detect_metadata(doc: Document) -> None:
    """Fill kind, year, organization and title from the first lines of the text."""
    head = doc.folded[:4000]
    head_compact = re.sub(r"[\s#*]+", "", head)
    n_final = head_compact.count("决算")
    n_budget = head_compact.count("预算") - head_compact.count("年初预算") - head_compact.count("全年预算")
    if doc.kind == "unknown":
        if n_final == 0 and n_budget == 0:
            body = re.sub(r"\s+", "", doc.folded)
            n_final, n_budget = body.count("决算表"), body.count("预算表")
        if n_final > n_budget:
            doc.kind = "final_account"
        elif n_budget > 0:
            doc.kind = "budget"
    if doc.year is None:
        m = _YEAR_RE.search(head)
        if m:
            doc.year = int(m.group(1))
    if doc.title is None:
        m = _TITLE_RE.search(head_compact[:600])
        if m:
            doc.title = m.group("title")
            org = m.group("org")
            if org and doc.organization is None:
                doc.organization = re.sub(r"^(年度?|度)", "", org)
