"""The document: pages read into one text with its lines, pages, cell boxes and tables.

:func:`read_pdf` (one file), :func:`read_pdfs` (several files of one report) and
:func:`load_documents` (paths) read pages (:mod:`reconcile.pdf.pages`), drop running
headers and footers, join paragraphs (:mod:`reconcile.pdf.paragraphs`) and lay the
blocks out as the text described in :mod:`reconcile.pdf`.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..document import BBox, Document, GeometryBuilder, InputError, Line, PageInfo, ProblemNote, SourceFile
from .chars import TextLine
from .pages import STAGE, PageResult, read_file
from .paragraphs import merge_paragraphs, strip_margins
from .tables import Block, Cell, PdfTable

__all__ = ["load_documents", "read_pdf", "read_pdfs"]


@dataclass(slots=True)
class _Out:
    """The document as it is being laid out: text parts, lines, pages, cell boxes, tables."""

    parts: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    boxes: dict[int, tuple[int, BBox]] = field(default_factory=dict)
    tables: list[PdfTable] = field(default_factory=list)
    geometry: GeometryBuilder = field(default_factory=GeometryBuilder)
    pos: int = 0

    def add_line(self, text: str, page: int | None, bbox: BBox | None, xs: array[float] | None = None) -> int:
        start = self.pos
        self.parts.append(text)
        self.parts.append("\n")
        self.lines.append(Line(len(self.lines) + 1, start, start + len(text), text, page, bbox))
        self.geometry.add_text(len(text), xs)
        self.geometry.add_text(1)
        self.pos += len(text) + 1
        return start

    def add_text_line(self, b: TextLine, page: int) -> None:
        """A line or paragraph of text, with a run for each printed line it is made of."""
        xs = b.xs if b.xs is not None and len(b.xs) == 2 * len(b.text) else array("f", (b.x0, b.x1) * len(b.text))
        start = self.add_line(b.text, page, b.bbox, xs)
        rows = b.rows or [(0, page, b.top, b.bottom)]
        for k, (at, row_page, top, bottom) in enumerate(rows):
            end = rows[k + 1][0] if k + 1 < len(rows) else len(b.text)
            self.geometry.add_run(start + at, start + end, row_page, top, bottom)

    def add_table_row(self, row: list[Cell], page: int) -> None:
        """A table row as one line of tab-separated cells, each cell a run over its box."""
        texts = [c.text.replace("\t", " ") for c in row]
        xs: array[float] = array("f")
        offsets: list[int] = []
        pos = self.pos
        for c, t in zip(row, texts, strict=True):
            offsets.append(pos)
            pos += len(t) + 1
            if offsets[-1] > self.pos:
                xs.extend((math.nan, math.nan))  # the tab
            xs.extend((c.bbox[0], c.bbox[2]) * len(t) if c.bbox is not None else (math.nan, math.nan) * len(t))
        row_boxes = [c.bbox for c in row if c.bbox is not None]
        self.add_line("\t".join(texts), page, _union(row_boxes) if row_boxes else None, xs)
        for c, t, off in zip(row, texts, offsets, strict=True):
            if c.bbox is not None:
                self.boxes[off] = (page, c.bbox)
                self.geometry.add_run(off, off + len(t), page, c.bbox[1], c.bbox[3])


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _assemble(pages: list[PageResult], page_blocks: list[list[Block]], first_number: int, out: _Out) -> None:
    for k, (pr, blocks) in enumerate(zip(pages, page_blocks, strict=True)):
        number = first_number + k
        start = out.pos
        for b in blocks:
            if out.lines and out.lines[-1].text != "":
                out.add_line("", number, None)
            if isinstance(b, TextLine):
                out.add_text_line(b, number)
                continue
            t_start = out.pos
            for row in b.rows:
                out.add_table_row(row, number)
            out.tables.append(
                PdfTable(number, b.bbox, t_start, out.pos - 1, len(b.rows), len(b.rows[0]) if b.rows else 0, b.method)
            )
        out.pages.append(PageInfo(number, start, out.pos, pr.width, pr.height))


def _renumber(pages: list[PageResult], first: int) -> None:
    for k, pr in enumerate(pages):
        number = first + k
        pr.number = number
        for b in pr.blocks:
            b.page = number


def _build(
    files: list[tuple[str, list[PageResult]]],
    path: str,
    sha256: str,
    notes: list[ProblemNote],
) -> Document:
    all_pages: list[PageResult] = []
    for _p, prs in files:
        all_pages.extend(prs)
    if not any(pr.has_text for pr in all_pages):
        raise InputError(f"{path}: no text layer in any page: scanned PDF? reconcile does not do OCR")
    _renumber(all_pages, 1)
    strip_margins(all_pages)
    blocks = merge_paragraphs(all_pages)
    out = _Out()
    _assemble(all_pages, blocks, 1, out)
    text = "".join(out.parts)
    # the page ranges partition the text
    pages = [
        PageInfo(p.number, p.start, out.pages[i + 1].start if i + 1 < len(out.pages) else len(text), p.width, p.height)
        for i, p in enumerate(out.pages)
    ]
    doc = Document(
        text=text,
        path=path,
        sha256=sha256,
        format="pdf",
        lines=out.lines or [Line(1, 0, 0, "")],
        pages=pages,
        boxes=out.boxes,
        geometry=out.geometry.build(),
        files=_sources(files) if len(files) > 1 else [],
    )
    doc.problems.extend(notes)
    doc.raw_tables.extend(out.tables)
    return doc


def _sources(files: list[tuple[str, list[PageResult]]]) -> list[SourceFile]:
    out: list[SourceFile] = []
    first = 1
    for path, prs in files:
        out.append(SourceFile(path, first, len(prs)))
        first += len(prs)
    return out


# ----------------------------------------------------------------------------------
# Public API


def read_pdf(
    data: bytes,
    path: str,
    sha256: str,
    *,
    max_pages: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int | None], None] | None = None,
    reader: str = "pdfium",
) -> Document:
    """Read one PDF into a Document (see :mod:`reconcile.pdf` for the text produced).

    Raises :class:`InputError` for encrypted, damaged or non-PDF input and for PDFs
    without any text layer. ``max_pages`` reads only the first N pages. ``workers > 1``
    reads a long PDF (``PdfSettings.pool_min_pages`` pages or more) on that many
    processes; keep the default of 1 when documents are already spread over processes
    (batch runs). ``reader="pdfminer"`` reads every page with pdfminer instead of pdfium
    (the parity script compares the two).
    """
    notes: list[ProblemNote] = []
    pages = read_file(data, path, max_pages, notes, workers, progress, reader)
    return _build([(path, pages)], path, sha256, notes)


def read_pdfs(
    items: Sequence[tuple[bytes, str]], *, max_pages: int | None = None, workers: int = 1, reader: str = "pdfium"
) -> Document:
    """Read several PDFs of one report (e.g. narrative + tables) into one Document.

    Pages are numbered continuously across the files, the path is ``"a.pdf+b.pdf"`` and
    the hash is the SHA-256 of the concatenated bytes. ``max_pages`` bounds the total.
    """
    if not items:
        raise InputError("no input files")
    notes: list[ProblemNote] = []
    files: list[tuple[str, list[PageResult]]] = []
    digest = hashlib.sha256()
    left = max_pages
    for data, path in items:
        digest.update(data)
        if left is not None and left <= 0:
            notes.append(ProblemNote(STAGE, f"{Path(path).name}: not read (max_pages={max_pages} reached)"))
            continue
        file_notes: list[ProblemNote] = []
        prs = read_file(data, path, left, file_notes, workers, reader=reader)
        offset = sum(len(p) for _q, p in files)
        for n in file_notes:
            page = n.page + offset if n.page is not None else None
            msg = n.message if len(items) == 1 else f"{Path(path).name}: {n.message}"
            notes.append(ProblemNote(n.stage, msg, page))
        files.append((path, prs))
        if left is not None:
            left -= len(prs)
    joined = "+".join(path for _d, path in items)
    return _build(files, joined, digest.hexdigest(), notes)


def load_documents(paths: Sequence[str | Path], *, max_pages: int | None = None, workers: int = 1) -> Document:
    """Read one report given as one or several files (e.g. ``narr.pdf`` + ``tables.pdf``).

    One path goes through :func:`reconcile.ingest.load_document` (text or PDF); several
    paths must all be PDFs and are concatenated with :func:`read_pdfs`.
    """
    from ..ingest import load_document, read_regular_file, sniff_format

    if not paths:
        raise InputError("no input files")
    if len(paths) == 1 and workers == 1:
        return load_document(paths[0], max_pages=max_pages)
    items: list[tuple[bytes, str]] = []
    for p in paths:
        pp = Path(p)
        data = read_regular_file(pp)
        if not data:
            raise InputError(f"{pp}: the file is empty")
        if sniff_format(data, str(pp)) != "pdf":
            if len(paths) == 1:
                return load_document(pp, max_pages=max_pages)
            raise InputError(f"{pp}: only PDF files can be combined into one report")
        items.append((data, str(pp)))
    return read_pdfs(items, max_pages=max_pages, workers=workers)
