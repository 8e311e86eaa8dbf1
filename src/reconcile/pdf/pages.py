"""Reading a PDF's pages: one page at a time, in chunks on worker processes, whole files.

:func:`read_file` returns one :class:`PageResult` per page: its size and its blocks
(text lines and tables, top to bottom). Pages are made one at a time from the page tree
and closed at once, so memory stays bounded on large files; a damaged page is skipped
with a note.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..document import InputError, ProblemNote
from ..numbers import fold_text
from ..quiet import quiet_readers
from .chars import Char, make_lines, pdfium_chars
from .guards import page_cost_problem
from .rulings import Edge, add_edges, find_ruled_tables
from .settings import SETTINGS
from .tables import Block, aligned_tables

__all__ = ["STAGE", "PageResult", "read_file"]

log = logging.getLogger(__name__)

STAGE = "pdf"


@dataclass(slots=True)
class PageResult:
    """What is kept of a page once it is closed: its size and its blocks, top to bottom."""

    number: int  # 1-based within its file
    width: float
    height: float
    blocks: list[Block]
    has_text: bool


# ----------------------------------------------------------------------------------
# One page


@dataclass(slots=True)
class _PageObjects:
    """What :func:`_page_objects` collects from a page's layout objects."""

    chars: list[Char] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    image_area: float = 0.0
    n_cid: int = 0


def _page_objects(page: Any) -> _PageObjects:
    """Characters, visible rulings and image area of a page, straight from pdfminer.

    pdfplumber's ``page.chars``/``page.rects`` would build a dict with every attribute
    for every object; reading the layout objects directly is markedly cheaper.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    out = _PageObjects()
    stack: list[Any] = list(reversed(page.layout._objs))
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if not text:
                continue
            if text.startswith("(cid:"):
                out.n_cid += 1
            text = fold_text(text)
            top = height - obj.y1 + mb_top
            bottom = height - obj.y0 + mb_top
            m = obj.matrix
            base = bottom
            if m[0] > 0 and m[3] > 0 and abs(m[1]) < 1e-6:
                base = height - m[5] + mb_top
            size = float(obj.size) or (bottom - top) or 1.0
            out.chars.append(Char(text, obj.x0 + mb_x0, obj.x1 + mb_x0, top, bottom, size, base))
        elif isinstance(obj, LTCurve):
            add_edges(obj, out.edges, height, mb_x0, mb_top)
        elif isinstance(obj, LTImage):
            out.image_area += max(0.0, obj.width) * max(0.0, obj.height)
        elif isinstance(obj, LTContainer):
            stack.extend(reversed(obj._objs))
    return out


def _read_page(page: Any, number: int, pdfium_src: _PdfiumSource, notes: list[ProblemNote]) -> PageResult:
    width, height = float(page.width), float(page.height)
    objs = _page_objects(page)
    chars = objs.chars
    if objs.n_cid >= SETTINGS.cid_min and objs.n_cid > SETTINGS.cid_share * len(chars):
        what = f"page {number}: {objs.n_cid} of {len(objs.chars)} characters have no Unicode mapping ((cid:…) codes)"
        try:
            chars = pdfium_chars(pdfium_src.get(), page.page_number - 1, height)
        except Exception as exc:
            notes.append(
                ProblemNote(STAGE, f"{what}; pdfium could not re-read the page ({type(exc).__name__})", number)
            )
        else:
            notes.append(ProblemNote(STAGE, f"{what}; the page text was re-read with pdfium", number))
    chars = [c for c in chars if c.x1 >= 0 and c.x0 <= width and c.bottom >= 0 and c.top <= height]
    if not any(not c.text.isspace() for c in chars):
        if objs.image_area > 0.1 * width * height:
            notes.append(
                ProblemNote(STAGE, f"page {number} has no text layer (scanned image?); no OCR is done", number)
            )
        return PageResult(number, width, height, [], False)
    tables, outside = find_ruled_tables(page, objs.edges, chars, number)
    lines = make_lines(outside, number)
    blocks: list[Block] = aligned_tables(lines, number)
    blocks.extend(tables)
    blocks.sort(key=lambda b: b.top)
    return PageResult(number, width, height, blocks, True)


class _PdfiumSource:
    """Opens the PDF with pypdfium2 only when a page needs it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.doc: Any = None

    def get(self) -> Any:
        if self.doc is None:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(self.data)
        return self.doc

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None


# ----------------------------------------------------------------------------------
# A whole file


def _open_error(path: str, exc: BaseException) -> InputError:
    inner: BaseException = exc
    while inner.args and isinstance(inner.args[0], BaseException):
        inner = inner.args[0]
    name = type(inner).__name__
    text = str(inner).strip() or name
    text = " ".join(text.split())[:120]
    if "Password" in name or "Encrypt" in name or "password" in text.lower():
        return InputError(f"{path}: the PDF is encrypted and cannot be opened without a password")
    if name in ("PSEOF", "PDFNoValidXRef") or "Root" in text or "EOF" in text or "xref" in text.lower():
        return InputError(f"{path}: the PDF is damaged or truncated ({name}: {text})")
    return InputError(f"{path}: not a readable PDF ({name}: {text})")


def _read_pages(
    data: bytes, path: str, max_pages: int | None, notes: list[ProblemNote], *, first: int = 1, note_limit: bool = True
) -> Iterator[PageResult]:
    """Read a PDF page by page, keeping only the small per-page results.

    Pages are made one at a time from the page tree (``pdf.pages`` would keep every page
    object alive) and closed at once; every few pages pdfminer's object cache, which
    holds the decoded content streams, is emptied, so memory stays flat on long files.
    """
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: not a PDF file (no %PDF- header)")
    if max_pages is not None and max_pages < 1:
        raise InputError(f"{path}: max_pages must be at least 1 (got {max_pages})")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds; all mean "cannot open"
        raise _open_error(path, exc) from exc
    pdfium_src = _PdfiumSource(data)
    total = _page_count(pdf)
    tree = PDFPage.create_pages(pdf.doc)
    number = 0
    try:
        while True:
            try:
                page_obj = next(tree)
            except StopIteration:
                break
            except Exception as exc:
                if number == 0:
                    raise _open_error(path, exc) from exc
                notes.append(ProblemNote(STAGE, f"the page tree is damaged after page {number}; the rest was skipped"))
                break
            if max_pages is not None and number >= max_pages:
                if note_limit:
                    shown = f"{max_pages} of {total}" if total else f"{max_pages}"
                    notes.append(
                        ProblemNote(STAGE, f"only the first {shown} pages were read (max_pages); the rest were skipped")
                    )
                break
            number += 1
            if number < first:  # another worker reads this page
                continue
            page: Any = None
            try:
                problem = page_cost_problem(page_obj)
                if problem is not None:
                    notes.append(ProblemNote(STAGE, f"page {number} skipped: {problem} (resource guard)", number))
                    result = _empty_page(page_obj, number)
                else:
                    page = Page(pdf, page_obj, page_number=number, initial_doctop=0)
                    result = _read_page(page, number, pdfium_src, notes)
            except Exception as exc:  # a damaged page must not sink the document
                log.debug("page %s of %s failed", number, path, exc_info=True)
                notes.append(
                    ProblemNote(STAGE, f"page {number} could not be read ({type(exc).__name__}); skipped", number)
                )
                width, height = (float(page.width), float(page.height)) if page is not None else (0.0, 0.0)
                result = PageResult(number, width, height, [], False)
            finally:
                if page is not None:
                    page.close()
                del page, page_obj
                if number % SETTINGS.flush_every == 0:
                    _flush_object_cache(pdf)
            yield result
        if number == 0:
            raise InputError(f"{path}: the PDF has no pages")
    finally:
        pdfium_src.close()
        pdf.stream.close()


def _empty_page(page_obj: Any, number: int) -> PageResult:
    """A skipped page: its size from the MediaBox, no blocks."""
    try:
        x0, y0, x1, y1 = (float(v) for v in page_obj.mediabox)
        return PageResult(number, abs(x1 - x0), abs(y1 - y0), [], False)
    except (TypeError, ValueError):
        return PageResult(number, 0.0, 0.0, [], False)


def _flush_object_cache(pdf: Any) -> None:
    """Forget pdfminer's parsed objects (they are parsed again if needed)."""
    doc = pdf.doc
    for name in ("_cached_objs", "_parsed_objs"):
        cache = getattr(doc, name, None)
        if isinstance(cache, dict):
            cache.clear()
    # fonts are shared by pages and costly to parse: keep them unless a merged file
    # brings so many that they would pile up
    fonts = getattr(pdf.rsrcmgr, "_cached_fonts", None)
    if isinstance(fonts, dict) and len(fonts) > SETTINGS.max_cached_fonts:
        fonts.clear()


def _read_chunk(
    job: tuple[bytes, str, int, int, bool],
) -> tuple[list[PageResult], list[ProblemNote]]:
    """Pages ``first..last`` of a PDF (run in a worker process)."""
    data, path, first, last, note_limit = job
    notes: list[ProblemNote] = []
    pages = list(_read_pages(data, path, last, notes, first=first, note_limit=note_limit))
    return pages, notes


def read_file(
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    workers: int,
    progress: Callable[[int, int | None], None] | None = None,
) -> list[PageResult]:
    """All pages of one PDF, on ``workers`` processes when the file is long enough to pay.

    The PDF libraries' log records and warnings are silenced meanwhile (see :mod:`reconcile.quiet`).
    """
    with quiet_readers():
        return _read_file(data, path, max_pages, notes, workers, progress)


def _read_file(
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    workers: int,
    progress: Callable[[int, int | None], None] | None,
) -> list[PageResult]:
    if workers > 1:
        total = _quick_page_count(data)
        n = total if max_pages is None or total is None else min(total, max_pages)
        if n is not None and n >= SETTINGS.pool_min_pages:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            k = min(workers, n // (SETTINGS.pool_min_pages // 2))
            bounds = [round(i * n / k) for i in range(k + 1)]
            jobs = [(data, path, bounds[i] + 1, bounds[i + 1], i == k - 1) for i in range(k)]
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            with ProcessPoolExecutor(max_workers=k, mp_context=multiprocessing.get_context(method)) as pool:
                results = list(pool.map(_read_chunk, jobs))
            pages: list[PageResult] = []
            for prs, chunk_notes in results:
                pages.extend(prs)
                notes.extend(chunk_notes)
            return pages
    if progress is None:
        return list(_read_pages(data, path, max_pages, notes))
    total_pages = _quick_page_count(data)
    if total_pages is not None and max_pages is not None:
        total_pages = min(total_pages, max_pages)
    out: list[PageResult] = []
    for pr in _read_pages(data, path, max_pages, notes):
        out.append(pr)
        progress(len(out), total_pages)
    return out


def _quick_page_count(data: bytes) -> int | None:
    try:
        import pypdfium2 as pdfium

        with pdfium.PdfDocument(data) as doc:
            return len(doc)
    except Exception:
        return None


def _page_count(pdf: Any) -> int | None:
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
        return int(count) if count is not None else None
    except Exception:
        return None
