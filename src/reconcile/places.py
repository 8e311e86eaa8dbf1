"""Where the claims and cells of a report are printed: page, box and input file (PDF).

:func:`add_places` adds to the report dict, for a PDF input, the fields that let a
reader (or the annotated PDF) find each claim and cell on the page:

- every claim and every finding cell: ``bbox`` (x0, top, x1, bottom in points, origin at
  the top left of the displayed page: the box of its characters on its first page) and
  ``page`` (the page they are printed on); for a report read from several PDFs also
  ``file`` (the input file) and ``file_page`` (the page in that file);
- every finding: ``pages``, the pages its spans are printed on;
- the report: ``locations``, one box per printed line of every claim span and every
  span a finding rests on (what ``--format pdf`` highlights), and, for several PDFs,
  ``document.files``.

A text input gets none of these: its places are lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from .document import BBox, Document, Place

__all__ = ["add_places", "page_label", "place_fields", "where"]


def _box(b: BBox) -> list[float]:
    return [round(float(v), 2) for v in b]


def _first_page_box(places: list[Place]) -> BBox:
    first = [p.bbox for p in places if p.page == places[0].page]
    return (min(b[0] for b in first), min(b[1] for b in first), max(b[2] for b in first), max(b[3] for b in first))


def place_fields(doc: Document, span: Iterable[int] | None) -> dict[str, Any]:
    """``page``, ``bbox`` (and ``file``, ``file_page``) of a span; empty when unknown."""
    if span is None:
        return {}
    s, e = span
    places = doc.places(int(s), int(e))
    if not places:
        return {}
    out: dict[str, Any] = {"page": places[0].page, "bbox": _box(_first_page_box(places))}
    src = doc.source_of(places[0].page)
    if src is not None:
        out["file"] = src[0].path
        out["file_page"] = src[1]
    return out


def _pages(doc: Document, s: int, e: int) -> set[int]:
    """The pages a span is printed on (where its box is unknown: the page its text is on)."""
    found = {p.page for p in doc.places(s, e)}
    page = doc.page_of(s)
    return found or ({page} if page is not None else set())


def _location(doc: Document, span: tuple[int, int], place: Place) -> dict[str, Any]:
    loc: dict[str, Any] = {"span": list(span), "page": place.page, "bbox": _box(place.bbox)}
    src = doc.source_of(place.page)
    if src is not None:
        loc["file"] = src[0].path
        loc["file_page"] = src[1]
    return loc


def _spans(data: dict[str, Any]) -> list[tuple[int, int]]:
    seen: dict[tuple[int, int], None] = {}
    for c in data["claims"]:
        seen.setdefault((int(c["span"][0]), int(c["span"][1])), None)
    for f in data["findings"]:
        for s, e in f["spans"]:
            seen.setdefault((int(s), int(e)), None)
    return sorted(seen)


def add_places(data: dict[str, Any], doc: Document) -> None:
    """Add the places of claims, cells and findings to a report dict (PDF input only)."""
    if doc.geometry is None:
        return
    data["claims"] = [c | place_fields(doc, c.get("span")) for c in data["claims"]]
    for f in data["findings"]:
        f["cells"] = [c | place_fields(doc, c.get("span")) for c in f["cells"]]
        f["pages"] = sorted({p for s, e in f["spans"] for p in _pages(doc, int(s), int(e))})
    data["locations"] = [_location(doc, sp, p) for sp in _spans(data) for p in doc.places(*sp)]
    if doc.files:
        data["document"]["files"] = [{"path": f.path, "first_page": f.first_page, "pages": f.pages} for f in doc.files]


def page_label(document: Mapping[str, Any], page: int, *, zh: bool = False) -> str:
    """How a report page is named to a reader: ``p. 12`` (``第12页``), or, for a report read
    from several PDFs, the file and its own page: ``tables.pdf p. 3``."""
    for f in document.get("files") or []:
        first, n = int(f.get("first_page") or 1), int(f.get("pages") or 0)
        if first <= page < first + n:
            name = PurePath(str(f.get("path"))).name
            return f"{name} 第{page - first + 1}页" if zh else f"{name} p. {page - first + 1}"
    return f"第{page}页" if zh else f"p. {page}"


def where(data: Mapping[str, Any], f: Mapping[str, Any], *, zh: bool = False, limit: int = 4) -> list[str]:
    """Where a finding stands, for a reader: its pages for a PDF input, else its lines."""
    document = data.get("document") or {}
    pages = f.get("pages")
    if document.get("format") == "pdf" and isinstance(pages, Sequence) and pages:
        return [page_label(document, int(p), zh=zh) for p in list(pages)[:limit]]
    lines = list(f.get("lines") or [])[:limit]
    return [f"第{n}行" if zh else f"line {n}" for n in lines]
