"""A copy of the original PDF with the findings as highlight annotations (pypdf).

Every flagged finding (by default: inconsistent and unverifiable) becomes one
highlight annotation per page it rests on, covering the boxes of its spans, with
the message, the arithmetic and the cells as the annotation's note. Boxes come
from ``data["locations"]``: ``[{"span": [s, e], "page": n, "bbox": [x0, top, x1, bottom]}]``
in pdfplumber coordinates (origin top-left of the displayed page); they are
converted to PDF user space here (page rotation and MediaBox offset included).

A finding with no known box gets a sticky note on the page its cells or claims
are on, when known; every such finding is also listed in the summary note on the
first page.

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

__all__ = ["Location", "annotate_pdf", "to_user_space"]

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


def _note_rect(writer: PdfWriter, page_index: int, slot: int) -> tuple[float, float, float, float]:
    box = writer.pages[page_index].mediabox
    x0, y1 = float(box.left) + 6, float(box.top) - 6 - 26 * slot
    return x0, y1 - 22, x0 + 22, y1


@dataclass
class _Annotator:
    """What annotating one PDF threads through: the writer, the report's places and
    claims, the next free note slot of each page and the number of findings highlighted."""

    writer: PdfWriter
    locations: list[Location]
    claims: dict[str, Mapping[str, Any]]
    slots: dict[int, int] = field(default_factory=lambda: {0: 1})  # page index -> next free note slot
    highlighted: int = 0  # (slot 0 of page 1 holds the summary)

    @property
    def n_pages(self) -> int:
        return len(self.writer.pages)

    def annotate(self, f: Mapping[str, Any]) -> bool:
        """Annotate one finding; False when none of its places is known (it gets sticky notes)."""
        by_page = self._boxes_by_page(self._spans(f))
        note = _note(f)
        if not by_page:
            self._sticky_notes(f, note)
            return False
        self.highlighted += 1
        for page_no, boxes in sorted(by_page.items()):
            self._highlight(f, note, page_no, boxes)
        return True

    def _spans(self, f: Mapping[str, Any]) -> set[tuple[int, int]]:
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

    def _boxes_by_page(self, spans: set[tuple[int, int]]) -> dict[int, list[tuple[float, float, float, float]]]:
        by_page: dict[int, list[tuple[float, float, float, float]]] = {}
        for loc in self.locations:
            if 1 <= loc.page <= self.n_pages and any(loc.start < e and s < loc.end for s, e in spans):
                by_page.setdefault(loc.page, []).append(loc.bbox)
        return by_page

    def _note_pages(self, f: Mapping[str, Any]) -> list[int]:
        """The pages the finding's cells or claims are on (for a finding with no known box)."""
        claims = self.claims
        return sorted(
            {
                int(c["page"])
                for c in (f.get("cells") or [])
                if isinstance(c, Mapping) and isinstance(c.get("page"), int)
            }
            | {
                int(claims[str(x)]["page"])
                for x in (f.get("claims") or [])
                if isinstance(claims.get(str(x), {}).get("page"), int)
            }
        )

    def _sticky_notes(self, f: Mapping[str, Any], note: str) -> None:
        for p in self._note_pages(f):
            if 1 <= p <= self.n_pages:
                slot = self.slots.get(p - 1, 0)
                self.slots[p - 1] = slot + 1
                self.writer.add_annotation(
                    p - 1,
                    Text(
                        rect=_note_rect(self.writer, p - 1, slot),
                        text=note + "\n(位置未知：此页 location unknown: on this page)",
                        title_bar=f"{_AUTHOR} {f.get('id')} {f.get('check')}",
                    ),
                )

    def _highlight(
        self, f: Mapping[str, Any], note: str, page_no: int, boxes: list[tuple[float, float, float, float]]
    ) -> None:
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
        annot[NameObject("/Contents")] = TextStringObject(note)
        annot[NameObject("/Subj")] = TextStringObject(f"{STATUS_LABEL.get(st, st)} {check_title(str(f.get('check')))}")
        annot[NameObject("/CA")] = FloatObject(0.6)
        annot[NameObject("/F")] = NumberObject(_PRINT)
        annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): _appearance(self.writer, rect, quads, color)})
        self.writer.add_annotation(page_no - 1, annot)


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


def annotate_pdf(
    data: Mapping[str, Any],
    pdf_path: str | Path,
    out_path: str | Path,
    *,
    statuses: Sequence[str] = ("inconsistent", "unverifiable"),
) -> Path:
    """Write a copy of ``pdf_path`` to ``out_path`` with the findings whose status is in
    ``statuses`` as highlight annotations (message as the note). Returns ``out_path``."""
    with quiet_readers():
        return _annotate(data, pdf_path, out_path, statuses)


def _annotate(data: Mapping[str, Any], pdf_path: str | Path, out_path: str | Path, statuses: Sequence[str]) -> Path:
    reader = PdfReader(str(pdf_path))
    writer = PdfWriter(clone_from=reader)
    _drop_actions(writer)
    claims = {str(c.get("id")): c for c in (data.get("claims") or []) if isinstance(c, Mapping)}
    findings = [f for f in (data.get("findings") or []) if isinstance(f, Mapping)]
    flagged = [f for f in findings if f.get("status") in statuses]
    annotator = _Annotator(writer, _locations(data), claims)
    unlocated = [f for f in flagged if not annotator.annotate(f)]
    if annotator.n_pages:
        _summary_note(writer, data, findings, len(flagged), unlocated, annotator.highlighted)
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


def _summary_note(
    writer: PdfWriter,
    data: Mapping[str, Any],
    findings: list[Mapping[str, Any]],
    n_flagged: int,
    unlocated: list[Mapping[str, Any]],
    highlighted: int,
) -> None:
    """The summary note on the first page: counts, and every flagged finding not highlighted."""
    doc = data.get("document") or {}
    counts = {s: sum(1 for f in findings if f.get("status") == s) for s in ("inconsistent", "unverifiable", "verified")}
    lines = [
        f"reconcile {((data.get('tool') or {}).get('version') or '')} — {doc.get('title') or doc.get('path') or ''}",
        f"核对结果 findings: {len(findings)} (不一致 inconsistent {counts['inconsistent']}, "
        f"无法核实 unverifiable {counts['unverifiable']}, 已核实 verified {counts['verified']})",
        f"已在原文中高亮 highlighted: {highlighted} of {n_flagged} flagged",
    ]
    if unlocated:
        lines.append("位置未知的问题 findings without a known place in the PDF:")
        for f in unlocated:
            lines.append(f"- {f.get('id')} [{f.get('check')} {f.get('status')}] {f.get('message', '')}")
    writer.add_annotation(
        0,
        Text(
            rect=_note_rect(writer, 0, 0),
            text="\n".join(lines),
            open=bool(unlocated) and highlighted == 0,
            title_bar=f"{_AUTHOR} summary",
        ),
    )
