"""The Document: one text, its lines and pages, and what we know about the report.

Every later object (table cell, claim, finding) points back into ``Document.text``
by ``[start, end)`` character offsets. For a text input the text is the decoded file
itself; for a PDF it is the text that ``reconcile text FILE`` prints.
"""

from __future__ import annotations

import bisect
import math
import re
from array import array
from dataclasses import dataclass, field

from .numbers import fold_text

__all__ = ["BBox", "Document", "Geometry", "InputError", "Line", "PageInfo", "Place", "ProblemNote", "SourceFile"]

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


@dataclass(frozen=True, slots=True)
class Place:
    """Where some characters are printed: a page (1-based, of the whole document) and a box
    (x0, top, x1, bottom in points, origin at the top left of the displayed page)."""

    page: int
    bbox: BBox


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file of a report read from several PDFs (narrative + tables)."""

    path: str
    first_page: int  # the document page its first page became
    pages: int


def _nan_pairs(n: int) -> array[float]:
    return array("f", [math.nan]) * (2 * n)


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where the characters of a PDF's document text are printed.

    The text is cut into runs, each printed on one line of one page (a line of a
    paragraph, a table cell): ``starts``/``ends`` are their offsets, ``pages``,
    ``tops`` and ``bottoms`` where they stand. ``xs`` holds x0 and x1 of character
    ``i`` of the text at ``2i`` and ``2i + 1`` (NaN where nothing is printed: line
    breaks, tabs). About 8 bytes a character, built once when the PDF is read.
    """

    starts: array[int]
    ends: array[int]
    pages: array[int]
    tops: array[float]
    bottoms: array[float]
    xs: array[float]

    def places(self, start: int, end: int) -> list[Place]:
        """The boxes of the characters ``[start, end)``: one per printed line they cover."""
        out: list[Place] = []
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        while i < len(self.starts) and self.starts[i] < end:
            a, b = max(start, self.starts[i]), min(end, self.ends[i])
            pairs = self.xs[2 * a : 2 * b] if a < b else array("f")
            x0s = [v for v in pairs[0::2] if not math.isnan(v)]
            x1s = [v for v in pairs[1::2] if not math.isnan(v)]
            if x0s and x1s:
                page, top, bottom = self.pages[i], self.tops[i], self.bottoms[i]
                box = (min(x0s), top, max(x1s), bottom)
                last = out[-1] if out else None
                if (
                    last is not None
                    and last.page == page
                    and abs(last.bbox[1] - top) < 0.5
                    and abs(last.bbox[3] - bottom) < 0.5
                ):
                    lb = last.bbox
                    out[-1] = Place(page, (min(lb[0], box[0]), lb[1], max(lb[2], box[2]), lb[3]))
                else:
                    out.append(Place(page, box))
            i += 1
        return out


@dataclass
class GeometryBuilder:
    """Collects the runs of a :class:`Geometry` while the document text is laid out."""

    runs: list[tuple[int, int, int, float, float]] = field(default_factory=list)
    xs: array[float] = field(default_factory=lambda: array("f"))

    def add_text(self, n: int, xs: array[float] | None = None) -> None:
        """The x extents of the next ``n`` characters (unknown: NaN)."""
        self.xs.extend(xs if xs is not None and len(xs) == 2 * n else _nan_pairs(n))

    def add_run(self, start: int, end: int, page: int, top: float, bottom: float) -> None:
        if end > start:
            self.runs.append((start, end, page, top, bottom))

    def build(self) -> Geometry:
        runs = self.runs
        return Geometry(
            array("q", [r[0] for r in runs]),
            array("q", [r[1] for r in runs]),
            array("i", [r[2] for r in runs]),
            array("f", [r[3] for r in runs]),
            array("f", [r[4] for r in runs]),
            self.xs,
        )


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
    # Where each character is printed (PDF); None for a text input.
    geometry: Geometry | None = None
    # The input files of a report read from several PDFs; empty for one file.
    files: list[SourceFile] = field(default_factory=list)

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

    def places(self, start: int, end: int) -> list[Place]:
        """Where the text ``[start, end)`` is printed (PDF): one box per line it covers.

        Spaces at either end are left out; empty for a text input or unknown places.
        """
        if self.geometry is None:
            return []
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return self.geometry.places(start, end) if start < end else []

    def source_of(self, page: int) -> tuple[SourceFile, int] | None:
        """The input file a document page comes from and its page number in that file
        (reports read from several PDFs only)."""
        for f in self.files:
            if f.first_page <= page < f.first_page + f.pages:
                return f, page - f.first_page + 1
        return None


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
    if doc.organization is None or _GENERIC_ORG_RE.fullmatch(doc.organization):
        doc.organization = _named_organization(head) or doc.organization


# what a title says instead of a name (“2026年度部门预算”, “2026年市级单位预算”)
_GENERIC_ORG_RE = re.compile(r"(?:部门|单位|部门综合|单位综合|综合|市级|省级|区级|县级|本级|汇总)+")
# an organization's name ends with what it is (局, 委员会, 中心 …), maybe with （本级）/（汇总）
_ORG_NAME_RE = re.compile(
    r"[\u4e00-\u9fff（）]{2,40}?(?:局|委员会|委|厅|办公室|办|中心|院|所|队|馆|部|会|站|处|校|学院|大学|署|集团|公司)"
    r"(?:[（(](?:本级|汇总|机关)[）)])?"
)
_ORG_LABEL_RE = re.compile(
    r"(?:预算单位|决算单位|单位名称|部门名称|编制单位|填报单位)[：:]\s*(?P<name>[^\s，,。；;]{3,40})"
)


def _named_organization(head: str) -> str | None:
    """The organization a report names outside its title: a label (预算单位：上海市海洋监测预报中心)
    or a line of its own before the title (北京市教育委员会部门 ⏎ 2026年度部门预算)."""
    m = _ORG_LABEL_RE.search(head[:1500])
    if m:
        return m.group("name")
    for line in head[:600].splitlines()[:6]:
        t = re.sub(r"[\s#*]+", "", line)
        t = re.sub(r"(?:部门|单位)$", "", t)
        if _ORG_NAME_RE.fullmatch(t):
            return t
        y = _YEAR_RE.search(t)
        if y:  # the title line: a name stands before it (西安市医疗保障局2022年部门综合预算), not after
            name = re.sub(r"(?:部门|单位)$", "", t[: y.start()])
            return name if _ORG_NAME_RE.fullmatch(name) else None
    return None
