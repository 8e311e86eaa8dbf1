"""Copies of the original PDFs with the findings as highlight annotations (pypdf).

Every flagged finding (by default: inconsistent and unverifiable) gets a highlight
over each place it rests on, each claim and each table cell it was compared with (one
highlight per span and page, a quad per printed line), named ``F0003:1200-1210``
(finding id, span) in ``/NM``; the note with the message, the arithmetic and the cells
is the highlight's text and a sticky note placed right next to the first highlight of
the finding on each page. Boxes come from ``data["locations"]`` (see
:mod:`reconcile.places`): ``[{"span": [s, e], "page": n, "bbox": [x0, top, x1, bottom]}]``
in pdfplumber coordinates (origin top-left of the displayed page), ``page`` counted
over the whole report; they are converted to PDF user space here (page rotation and
MediaBox offset included).

A report read from several PDFs annotates each: ``out.pdf`` for the first file,
``out.2.pdf`` for the second, and so on (:func:`annotated_paths`).

A finding with no known box gets a sticky note on the page its cells or claims
are on, when known; every such finding is also listed in the summary note on the
first page, which says how many flagged findings are highlighted.

The copy carries no action of the input: the document's /OpenAction and /AA, its
JavaScript name tree and every page's /AA are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.annotations import Highlight, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from ..quiet import quiet_readers
from ._common import GLYPH, STATUS_LABEL, check_title, fmt_num, span_of, spans_of

__all__ = ["Location", "annotate_pdf", "annotate_pdfs", "annotated_paths", "to_user_space"]

_COLOR = {"inconsistent": "ff6e6e", "unverifiable": "ffd54f", "verified": "8fd19e"}
_AUTHOR = "reconcile"
_PRINT = 4  # annotation flag: print


@dataclass(frozen=True, slots=True)
class Location:
    start: int
    end: int
    page: int  # 1-based
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber, top-left origin)


def _locations(data: Mapping[str, Any]) -> list[Location]:
    out: list[Location] = []
    for loc in data.get("locations") or []:
        if not isinstance(loc, Mapping):
            continue
        sp = span_of(loc.get("span"))
        page, bbox = loc.get("page"), loc.get("bbox")
        if sp is None or not isinstance(page, int) or not isinstance(bbox, Sequence) or len(bbox) != 4:
            continue
        try:
            b = (float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3]))
        except (TypeError, ValueError):
            continue
        out.append(Location(sp[0], sp[1], page, b))
    return out


def to_user_space(
    bbox: tuple[float, float, float, float], mediabox: tuple[float, float, float, float], rotation: int = 0
) -> tuple[float, float, float, float]:
    """A pdfplumber box (x0, top, x1, bottom on the displayed page) as a PDF user-space
    rectangle (llx, lly, urx, ury) of a page with this MediaBox and /Rotate."""
    mx0, my0, mx1, my1 = mediabox
    rot = rotation % 360
    disp_h = (mx1 - mx0) if rot in (90, 270) else (my1 - my0)
    x0, top, x1, bottom = bbox
    pts = []
    for dx, t in ((x0, top), (x1, bottom)):
        dy = disp_h - t  # display space, bottom-left origin
        if rot == 90:
            ux, uy = mx1 - dy, dx + my0
        elif rot == 180:
            ux, uy = mx1 - dx, my1 - dy
        elif rot == 270:
            ux, uy = dy + mx0, my1 - dx
        else:
            ux, uy = dx + mx0, dy + my0
        pts.append((ux, uy))
    (ax, ay), (bx, by) = pts
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _note(f: Mapping[str, Any]) -> str:
    st = str(f.get("status"))
    lines = [
        f"{GLYPH.get(st, '')} {STATUS_LABEL.get(st, st)} {st} · {f.get('id')} {f.get('check')} "
        f"{check_title(str(f.get('check')))} ({f.get('severity')})",
        str(f.get("message", "")),
    ]
    arith = []
    if f.get("observed") is not None:
        arith.append(f"表中数 observed {fmt_num(f.get('observed'))}")
    if f.get("expected") is not None:
        arith.append(f"应为 expected {fmt_num(f.get('expected'))}")
    tol = f.get("tolerance")
    if isinstance(tol, Sequence) and not isinstance(tol, str) and len(tol) == 2:
        arith.append(f"允许区间 tolerance [{fmt_num(tol[0])}, {fmt_num(tol[1])}]")
    if arith:
        lines.append("; ".join(arith))
    cells = [c for c in (f.get("cells") or []) if isinstance(c, Mapping)]
    if cells:
        lines.append("单元格 cells:")
        for c in cells[:40]:
            page = f" (p.{c.get('page')})" if c.get("page") is not None else ""
            lines.append(
                f"  {c.get('table')} | {c.get('row')} | {c.get('column')} = {fmt_num(c.get('value'), '空')}{page}"
            )
        if len(cells) > 40:
            lines.append(f"  … {len(cells) - 40} more")
    return "\n".join(lines)


def _appearance(writer: PdfWriter, rect: tuple[float, float, float, float], quads: list[float], color: str) -> Any:
    """A normal appearance (multiply-blended fill of the quads), so every viewer draws the same."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (0, 2, 4))
    ops = [f"/GS0 gs {r:.3f} {g:.3f} {b:.3f} rg"]
    for i in range(0, len(quads), 8):
        q = quads[i : i + 8]
        # UL, UR, LL, LR
        ops.append(
            f"{q[0]:.2f} {q[1]:.2f} m {q[2]:.2f} {q[3]:.2f} l {q[6]:.2f} {q[7]:.2f} l {q[4]:.2f} {q[5]:.2f} l h f"
        )
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("ascii"))
    gs = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/BM"): NameObject("/Multiply"),
            NameObject("/ca"): FloatObject(0.6),
        }
    )
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(rect),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/ExtGState"): DictionaryObject({NameObject("/GS0"): gs})}
            ),
        }
    )
    return writer._add_object(stream)


def _free_rect(
    taken: list[tuple[float, float, float, float]], rect: tuple[float, float, float, float], floor: float
) -> tuple[float, float, float, float]:
    """``rect``, moved down until it overlaps no rectangle already taken (not below ``floor``)."""
    x0, y0, x1, y1 = rect
    while y0 > floor and any(x0 < t[2] and t[0] < x1 and y0 < t[3] and t[1] < y1 for t in taken):
        y0, y1 = y0 - _NOTE, y1 - _NOTE
    return x0, y0, x1, y1


_NOTE = 18.0  # size of a note icon, points


def _note_beside(page: PageObject, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A note icon's rectangle right of a highlight (left of it at the right edge of the page)."""
    mb = page.mediabox
    left, right, top = float(mb.left), float(mb.right), float(mb.top)
    x = rect[2] + 2 if rect[2] + 2 + _NOTE <= right else max(left, rect[0] - 2 - _NOTE)
    y1 = min(rect[3], top)
    return x, y1 - _NOTE, x + _NOTE, y1


def _margin_rect(page: PageObject, slot: int) -> tuple[float, float, float, float]:
    box = page.mediabox
    x0, y1 = float(box.left) + 6, float(box.top) - 6 - (_NOTE + 4) * slot
    return x0, y1 - _NOTE, x0 + _NOTE, y1


@dataclass
class _Annotator:
    """What annotating one PDF threads through: the writer, the report's places (in this
    file's page numbers) and claims, the note icons placed on each page and the flagged
    findings highlighted."""

    writer: PdfWriter
    locations: dict[tuple[int, int], list[Location]]
    claims: dict[str, Mapping[str, Any]]
    first_page: int = 1  # the report page this file's first page is
    notes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)  # page index -> rects
    highlighted: int = 0
    missing: int = 0  # places of flagged findings with no known box

    @property
    def n_pages(self) -> int:
        return len(self.writer.pages)

    def local(self, page: int) -> int | None:
        """The page of this file a report page is (1-based), None when in another file."""
        p = page - self.first_page + 1
        return p if 1 <= p <= self.n_pages else None

    def annotate(self, f: Mapping[str, Any]) -> bool:
        """Highlight one finding's places in this file; False when none is known."""
        note = _note(f)
        done_pages: set[int] = set()
        for span in sorted(self.spans(f)):
            locs = self.locations.get(span)
            if not locs:
                self.missing += 1
                continue
            by_page: dict[int, list[tuple[float, float, float, float]]] = {}
            for loc in locs:
                page = self.local(loc.page)
                if page is not None:
                    by_page.setdefault(page, []).append(loc.bbox)
            for page, boxes in sorted(by_page.items()):
                rect = self._highlight(f, note, page, boxes, span)
                if page not in done_pages:
                    done_pages.add(page)
                    self._note(f, note, page, _note_beside(self.writer.pages[page - 1], rect))
        if done_pages:
            self.highlighted += 1
        return bool(done_pages)

    def spans(self, f: Mapping[str, Any]) -> set[tuple[int, int]]:
        """The finding's spans, its claims' spans and its cells' spans."""
        spans = set(spans_of(f.get("spans")))
        for cid in f.get("claims") or []:
            c = self.claims.get(str(cid))
            sp = span_of(c.get("span")) if c else None
            if sp is not None:
                spans.add(sp)
        for c in f.get("cells") or []:
            sp = span_of(c.get("span")) if isinstance(c, Mapping) else None
            if sp is not None:
                spans.add(sp)
        return spans

    def note_pages(self, f: Mapping[str, Any]) -> list[int]:
        """The pages of this file the finding's cells or claims are on (for a finding with no known box)."""
        claims = self.claims
        pages = {
            int(c["page"]) for c in (f.get("cells") or []) if isinstance(c, Mapping) and isinstance(c.get("page"), int)
        }
        pages |= {
            int(claims[str(x)]["page"])
            for x in (f.get("claims") or [])
            if isinstance(claims.get(str(x), {}).get("page"), int)
        }
        return sorted(p for p in (self.local(q) for q in pages) if p is not None)

    def sticky_notes(self, f: Mapping[str, Any]) -> None:
        note = _note(f) + "\n(位置未知：此页 location unknown: on this page)"
        for p in self.note_pages(f):
            self._note(f, note, p, _margin_rect(self.writer.pages[p - 1], 1))

    def _note(self, f: Mapping[str, Any], note: str, page_no: int, rect: tuple[float, float, float, float]) -> None:
        taken = self.notes.setdefault(page_no - 1, [])
        rect = _free_rect(taken, rect, float(self.writer.pages[page_no - 1].mediabox.bottom))
        taken.append(rect)
        self.writer.add_annotation(
            page_no - 1, Text(rect=rect, text=note, title_bar=f"{_AUTHOR} {f.get('id')} {f.get('check')}")
        )

    def _highlight(
        self,
        f: Mapping[str, Any],
        note: str,
        page_no: int,
        boxes: list[tuple[float, float, float, float]],
        span: tuple[int, int],
    ) -> tuple[float, float, float, float]:
        st = str(f.get("status"))
        rect, quads = _quads(self.writer.pages[page_no - 1], boxes)
        color = _COLOR.get(st, "ffd54f")
        annot = Highlight(
            rect=rect,
            quad_points=ArrayObject([FloatObject(round(q, 3)) for q in quads]),
            highlight_color=color,
            printing=True,
            title_bar=f"{_AUTHOR} {f.get('id')} {f.get('check')}",
        )
        annot[NameObject("/NM")] = TextStringObject(f"{f.get('id')}:{span[0]}-{span[1]}")
        annot[NameObject("/Contents")] = TextStringObject(note)
        annot[NameObject("/Subj")] = TextStringObject(f"{STATUS_LABEL.get(st, st)} {check_title(str(f.get('check')))}")
        annot[NameObject("/CA")] = FloatObject(0.6)
        annot[NameObject("/F")] = NumberObject(_PRINT)
        annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): _appearance(self.writer, rect, quads, color)})
        self.writer.add_annotation(page_no - 1, annot)
        return rect


def _quads(
    page: PageObject, boxes: list[tuple[float, float, float, float]]
) -> tuple[tuple[float, float, float, float], list[float]]:
    """The boxes in the page's user space, padded by 1pt: the enclosing rectangle and the quad points."""
    mb = page.mediabox
    mediabox = (float(mb.left), float(mb.bottom), float(mb.right), float(mb.top))
    rotation = int(page.get("/Rotate", 0) or 0)
    quads: list[float] = []
    rects = []
    for bb in boxes:
        llx, lly, urx, ury = to_user_space(bb, mediabox, rotation)
        llx, lly, urx, ury = llx - 1, lly - 1, urx + 1, ury + 1
        rects.append((llx, lly, urx, ury))
        quads.extend([llx, ury, urx, ury, llx, lly, urx, lly])
    rect = (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )
    return rect, quads


def annotated_paths(out_path: str | Path, n: int) -> list[Path]:
    """Where the annotated copies of a report's ``n`` input PDFs go: ``out.pdf`` for the
    first, ``out.2.pdf``, ``out.3.pdf`` … for the others."""
    out = Path(out_path)
    suffix = out.suffix or ".pdf"
    return [out] + [out.with_name(f"{out.stem if out.suffix else out.name}.{k}{suffix}") for k in range(2, n + 1)]


def annotate_pdfs(
    data: Mapping[str, Any],
    pdf_paths: Sequence[str | Path],
    out_path: str | Path,
    *,
    statuses: Sequence[str] = ("inconsistent", "unverifiable"),
) -> list[Path]:
    """Annotate every input PDF of a report (see :func:`annotated_paths` for the names)."""
    files = [f for f in ((data.get("document") or {}).get("files") or []) if isinstance(f, Mapping)]
    if len(pdf_paths) > 1 and len(files) != len(pdf_paths):
        raise ValueError(f"the report was read from {len(files) or 1} file(s), {len(pdf_paths)} given")
    outs = annotated_paths(out_path, len(pdf_paths))
    if {Path(src).resolve() for src in pdf_paths} & {out.resolve() for out in outs}:
        raise ValueError("the annotated PDF must not overwrite the input")
    firsts = [int(f.get("first_page") or 1) for f in files] if len(pdf_paths) > 1 else [1]
    for src, out, first in zip(pdf_paths, outs, firsts, strict=True):
        annotate_pdf(data, src, out, statuses=statuses, first_page=first)
    return outs


def annotate_pdf(
    data: Mapping[str, Any],
    pdf_path: str | Path,
    out_path: str | Path,
    *,
    statuses: Sequence[str] = ("inconsistent", "unverifiable"),
    first_page: int = 1,
) -> Path:
    """Write a copy of ``pdf_path`` to ``out_path`` with the findings whose status is in
    ``statuses`` as highlight annotations (message as the note). ``first_page`` is the
    report page the file's first page is (for the second file of a report read from two
    PDFs). Returns ``out_path``."""
    with quiet_readers():
        return _annotate(data, pdf_path, out_path, statuses, first_page)


def _annotate(
    data: Mapping[str, Any], pdf_path: str | Path, out_path: str | Path, statuses: Sequence[str], first_page: int
) -> Path:
    reader = PdfReader(str(pdf_path))
    writer = PdfWriter(clone_from=reader)
    _drop_actions(writer)
    claims = {str(c.get("id")): c for c in (data.get("claims") or []) if isinstance(c, Mapping)}
    findings = [f for f in (data.get("findings") or []) if isinstance(f, Mapping)]
    flagged = [f for f in findings if f.get("status") in statuses]
    locations: dict[tuple[int, int], list[Location]] = {}
    for loc in _locations(data):
        locations.setdefault((loc.start, loc.end), []).append(loc)
    annotator = _Annotator(writer, locations, claims, first_page)
    here = [f for f in flagged if annotator.annotate(f)]
    elsewhere = [f for f in flagged if f not in here and _located(f, locations, annotator)]
    unlocated = [f for f in flagged if f not in here and f not in elsewhere]
    for f in unlocated:
        annotator.sticky_notes(f)
    if annotator.n_pages:
        counts = _Counts(len(findings), len(flagged), len(here), len(elsewhere), annotator.missing)
        _summary_note(writer, data, findings, counts, unlocated)
    out = Path(out_path)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def _drop_actions(writer: PdfWriter) -> None:
    """Remove what a viewer would run: /OpenAction, /AA (document and pages), the /JavaScript names."""
    root = writer._root_object
    for key in ("/OpenAction", "/AA"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        del names["/JavaScript"]
    for page in writer.pages:
        if "/AA" in page:
            del page["/AA"]


def _located(f: Mapping[str, Any], locations: Mapping[tuple[int, int], list[Location]], a: _Annotator) -> bool:
    """Whether some place of ``f`` is known (in another file of the report)."""
    return any(sp in locations for sp in a.spans(f))


@dataclass(frozen=True, slots=True)
class _Counts:
    findings: int
    flagged: int
    here: int  # flagged findings highlighted in this file
    elsewhere: int  # … highlighted only in another file of the report
    missing: int  # places (claims, cells) of flagged findings with no known box


def _summary_note(
    writer: PdfWriter,
    data: Mapping[str, Any],
    findings: list[Mapping[str, Any]],
    n: _Counts,
    unlocated: list[Mapping[str, Any]],
) -> None:
    """The summary note on the first page: counts, and every flagged finding not highlighted."""
    doc = data.get("document") or {}
    counts = {s: sum(1 for f in findings if f.get("status") == s) for s in ("inconsistent", "unverifiable", "verified")}
    lines = [
        f"reconcile {((data.get('tool') or {}).get('version') or '')} — {doc.get('title') or doc.get('path') or ''}",
        f"核对结果 findings: {n.findings} (不一致 inconsistent {counts['inconsistent']}, "
        f"无法核实 unverifiable {counts['unverifiable']}, 已核实 verified {counts['verified']})",
        f"已在原文中高亮 highlighted: {n.here} of {n.flagged} flagged",
    ]
    if n.elsewhere:
        lines.append(f"另一文件中高亮 highlighted in the other file(s) of the report: {n.elsewhere}")
    if n.missing:
        lines.append(f"位置未知的单元格或数字 places (claims, cells) without a known box: {n.missing}")
    if unlocated:
        lines.append("位置未知的问题 findings without a known place in the PDF:")
        for f in unlocated:
            lines.append(f"- {f.get('id')} [{f.get('check')} {f.get('status')}] {f.get('message', '')}")
    writer.add_annotation(
        0,
        Text(
            rect=_margin_rect(writer.pages[0], 0),
            text="\n".join(lines),
            open=bool(unlocated) and n.here == 0,
            title_bar=f"{_AUTHOR} summary",
        ),
    )
