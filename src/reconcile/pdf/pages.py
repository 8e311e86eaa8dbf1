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
from dataclasses import dataclass
from typing import Any

from ..document import InputError, ProblemNote
from ..quiet import quiet_readers
from .chars import make_lines, pdfium_chars
from .guards import file_within_guards, page_cost_problem
from .objects import PageObjects, pdfium_objects, pdfminer_objects
from .rulings import find_ruled_tables
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

READERS = ("pdfium", "pdfminer")


def _read_page(objs: PageObjects, width: float, height: float, number: int) -> PageResult:
    """Lines and tables of a page, from its characters and rulings."""
    chars = [c for c in objs.chars if c.x1 >= 0 and c.x0 <= width and c.bottom >= 0 and c.top <= height]
    if not any(not c.text.isspace() for c in chars):
        return PageResult(number, width, height, [], False)
    tables, outside = find_ruled_tables(objs.edges, chars, number)
    lines = make_lines(outside, number)
    blocks: list[Block] = aligned_tables(lines, number)
    blocks.extend(tables)
    blocks.sort(key=lambda b: b.top)
    return PageResult(number, width, height, blocks, True)


def _unmapped(objs: PageObjects) -> bool:
    return objs.n_unmapped >= SETTINGS.cid_min and objs.n_unmapped > SETTINGS.cid_share * len(objs.chars)


def _page_objects(
    pdf: Any, page_obj: Any, number: int, pdfium_src: _PdfiumSource, reader: str, notes: list[ProblemNote]
) -> tuple[PageObjects, float, float]:
    """A page's objects and size: read by pdfium, or by pdfminer where pdfium cannot."""
    page = pdfium_src.page(number - 1) if reader == "pdfium" else None
    if page is not None:
        return _pdfium_page_objects(page, number, notes)
    from pdfplumber.page import Page

    plumber = Page(pdf, page_obj, page_number=number, initial_doctop=0)
    try:
        width, height = float(plumber.width), float(plumber.height)
        objs = pdfminer_objects(plumber)
    finally:
        plumber.close()
    if _unmapped(objs):
        what = (
            f"page {number}: {objs.n_unmapped} of {len(objs.chars)} characters have no Unicode mapping ((cid:…) codes)"
        )
        try:
            objs.chars = pdfium_chars(pdfium_src.get(), number - 1, height)
        except Exception as exc:
            notes.append(
                ProblemNote(STAGE, f"{what}; pdfium could not re-read the page ({type(exc).__name__})", number)
            )
        else:
            notes.append(ProblemNote(STAGE, f"{what}; the page text was re-read with pdfium", number))
    return objs, width, height


def _pdfium_page_objects(page: Any, number: int, notes: list[ProblemNote]) -> tuple[PageObjects, float, float]:
    """A page's objects and size as pdfium reads them (the page is closed)."""
    try:
        width, height = float(page.get_width()), float(page.get_height())
        objs = pdfium_objects(page, height)
    finally:
        page.close()
    if _unmapped(objs):
        what = f"page {number}: {objs.n_unmapped} of {len(objs.chars)} characters have no Unicode mapping"
        notes.append(ProblemNote(STAGE, f"{what}; pdfium read them from their character codes", number))
    return objs, width, height


def _page_result(objs: PageObjects, width: float, height: float, number: int, notes: list[ProblemNote]) -> PageResult:
    """The page's lines and tables, with a note when it shows an image and no text."""
    result = _read_page(objs, width, height, number)
    if not result.has_text and objs.image_area > 0.1 * width * height:
        notes.append(ProblemNote(STAGE, f"page {number} has no text layer (scanned image?); no OCR is done", number))
    return result


class _PdfiumSource:
    """Opens the PDF with pypdfium2 when a page is first asked for."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.doc: Any = None
        self.failed = False

    def opens(self) -> bool:
        """Whether pdfium opens the file (it is then open)."""
        try:
            self.get()
        except Exception:
            log.debug("pdfium cannot open the file", exc_info=True)
            self.failed = True
            return False
        return True

    def get(self) -> Any:
        if self.doc is None:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(self.data)
        return self.doc

    def page(self, index: int) -> Any:
        """Page ``index`` (0-based) for pdfium to read, or None where pdfminer must read it.

        pdfminer reads the page when pdfium cannot open the file or the page, and when the
        page is rotated (pdfminer reads it in the rotated frame; pdfium's boxes are not).
        """
        if self.failed:
            return None
        try:
            doc = self.get()
            if index >= len(doc):
                return None
            page = doc[index]
        except Exception:
            log.debug("pdfium cannot open page %s", index + 1, exc_info=True)
            self.failed = self.doc is None
            return None
        if page.get_rotation() % 360:
            page.close()
            return None
        return page

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
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    *,
    first: int = 1,
    note_limit: bool = True,
    reader: str = "pdfium",
) -> Iterator[PageResult]:
    """Read a PDF page by page, keeping only the small per-page results.

    A file whose streams the screen clears (:func:`.guards.file_within_guards`) is read by
    pdfium alone; any other goes through pdfminer's page tree and the per-page guard.
    """
    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: not a PDF file (no %PDF- header)")
    if max_pages is not None and max_pages < 1:
        raise InputError(f"{path}: max_pages must be at least 1 (got {max_pages})")
    if reader == "pdfium" and file_within_guards(data):
        pdfium_src = _PdfiumSource(data)
        if pdfium_src.opens():
            yield from _pdfium_pages(pdfium_src, data, path, max_pages, notes, first, note_limit)
            return
    yield from _guarded_pages(data, path, max_pages, notes, first, note_limit, reader)


def _guarded_pages(
    data: bytes, path: str, max_pages: int | None, notes: list[ProblemNote], first: int, note_limit: bool, reader: str
) -> Iterator[PageResult]:
    """Pages made one at a time from pdfminer's page tree (``pdf.pages`` would keep every page
    object alive), each within the resource guards, and closed at once; every few pages
    pdfminer's object cache, which holds the decoded content streams, is emptied, so memory
    stays flat on long files."""
    import pdfplumber
    from pdfminer.pdfpage import PDFPage

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
                    notes.append(_limit_note(max_pages, total))
                break
            number += 1
            if number < first:  # another worker reads this page
                continue
            try:
                result = _one_page(pdf, page_obj, number, pdfium_src, reader, notes, path)
            finally:
                del page_obj
                if number % SETTINGS.flush_every == 0:
                    _flush_object_cache(pdf)
                if number % SETTINGS.pdfium_reopen_every == 0:
                    pdfium_src.close()
            yield result
        if number == 0:
            raise InputError(f"{path}: the PDF has no pages")
    finally:
        pdfium_src.close()
        pdf.stream.close()


def _limit_note(max_pages: int, total: int | None) -> ProblemNote:
    """The note that ``max_pages`` stopped the reading (with the page count when known)."""
    shown = f"{max_pages} of {total}" if total else f"{max_pages}"
    return ProblemNote(STAGE, f"only the first {shown} pages were read (max_pages); the rest were skipped")


def _pdfium_pages(
    src: _PdfiumSource,
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    first: int,
    note_limit: bool,
) -> Iterator[PageResult]:
    """Every page by pdfium (a file the guards' screen cleared); a page pdfium cannot open or
    that is rotated is read by pdfminer, which opens the file for it."""
    total = len(src.get())
    miner = _MinerPages(data, path)
    try:
        for number in range(1, total + 1):
            if max_pages is not None and number > max_pages:
                if note_limit:
                    notes.append(_limit_note(max_pages, total))
                break
            if number < first:  # another worker reads this page
                continue
            yield _pdfium_page(src, miner, number, notes, path)
            if number % SETTINGS.pdfium_reopen_every == 0:
                src.close()
        if total == 0:
            raise InputError(f"{path}: the PDF has no pages")
    finally:
        src.close()
        miner.close()


def _pdfium_page(
    src: _PdfiumSource, miner: _MinerPages, number: int, notes: list[ProblemNote], path: str
) -> PageResult:
    """One page of a screened file; a page that fails is skipped with a note."""
    try:
        page = src.page(number - 1)
        if page is None:
            pdf, page_obj = miner.page(number)
            return _one_page(pdf, page_obj, number, src, "pdfium", notes, path)
        objs, width, height = _pdfium_page_objects(page, number, notes)
        return _page_result(objs, width, height, number, notes)
    except Exception as exc:  # a damaged page must not sink the document
        log.debug("page %s of %s failed", number, path, exc_info=True)
        notes.append(ProblemNote(STAGE, f"page {number} could not be read ({type(exc).__name__}); skipped", number))
        return PageResult(number, 0.0, 0.0, [], False)


class _MinerPages:
    """pdfminer's pages of a file, opened when a page first needs them (asked in increasing order)."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data, self.path = data, path
        self.pdf: Any = None
        self.tree: Iterator[Any] = iter(())
        self.number = 0
        self.page_obj: Any = None

    def page(self, number: int) -> tuple[Any, Any]:
        if self.pdf is None:
            import pdfplumber
            from pdfminer.pdfpage import PDFPage

            try:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            except Exception as exc:
                raise _open_error(self.path, exc) from exc
            self.tree = PDFPage.create_pages(self.pdf.doc)
        while self.number < number:
            self.page_obj = next(self.tree)
            self.number += 1
        return self.pdf, self.page_obj

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.stream.close()
            self.pdf = self.page_obj = None


def _one_page(
    pdf: Any,
    page_obj: Any,
    number: int,
    pdfium_src: _PdfiumSource,
    reader: str,
    notes: list[ProblemNote],
    path: str,
) -> PageResult:
    """One page within the resource guards; a page that fails is skipped with a note."""
    try:
        problem = page_cost_problem(page_obj)
        if problem is not None:
            notes.append(ProblemNote(STAGE, f"page {number} skipped: {problem} (resource guard)", number))
            return _empty_page(page_obj, number)
        objs, width, height = _page_objects(pdf, page_obj, number, pdfium_src, reader, notes)
        return _page_result(objs, width, height, number, notes)
    except Exception as exc:  # a damaged page must not sink the document
        log.debug("page %s of %s failed", number, path, exc_info=True)
        notes.append(ProblemNote(STAGE, f"page {number} could not be read ({type(exc).__name__}); skipped", number))
        return _empty_page(page_obj, number)


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
    job: tuple[bytes, str, int, int, bool, str],
) -> tuple[list[PageResult], list[ProblemNote]]:
    """Pages ``first..last`` of a PDF (run in a worker process)."""
    data, path, first, last, note_limit, reader = job
    notes: list[ProblemNote] = []
    pages = list(_read_pages(data, path, last, notes, first=first, note_limit=note_limit, reader=reader))
    return pages, notes


def read_file(
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    workers: int,
    progress: Callable[[int, int | None], None] | None = None,
    reader: str = "pdfium",
) -> list[PageResult]:
    """All pages of one PDF, on ``workers`` processes when the file is long enough to pay.

    ``reader`` is ``"pdfium"`` (the default: every page pdfium can read is read by it)
    or ``"pdfminer"`` (every page read by pdfminer, as before pdfium; for the parity
    script). The PDF libraries' log records and warnings are silenced meanwhile (see
    :mod:`reconcile.quiet`).
    """
    if reader not in READERS:
        raise ValueError(f"unknown PDF reader {reader!r} (expected one of {', '.join(READERS)})")
    with quiet_readers():
        return _read_file(data, path, max_pages, notes, workers, progress, reader)


def _read_file(
    data: bytes,
    path: str,
    max_pages: int | None,
    notes: list[ProblemNote],
    workers: int,
    progress: Callable[[int, int | None], None] | None,
    reader: str,
) -> list[PageResult]:
    if workers > 1:
        total = _quick_page_count(data)
        n = total if max_pages is None or total is None else min(total, max_pages)
        if n is not None and n >= SETTINGS.pool_min_pages:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            k = min(workers, n // (SETTINGS.pool_min_pages // 2))
            bounds = [round(i * n / k) for i in range(k + 1)]
            jobs = [(data, path, bounds[i] + 1, bounds[i + 1], i == k - 1, reader) for i in range(k)]
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            with ProcessPoolExecutor(max_workers=k, mp_context=multiprocessing.get_context(method)) as pool:
                results = list(pool.map(_read_chunk, jobs))
            pages: list[PageResult] = []
            for prs, chunk_notes in results:
                pages.extend(prs)
                notes.extend(chunk_notes)
            return pages
    if progress is None:
        return list(_read_pages(data, path, max_pages, notes, reader=reader))
    total_pages = _quick_page_count(data)
    if total_pages is not None and max_pages is not None:
        total_pages = min(total_pages, max_pages)
    out: list[PageResult] = []
    for pr in _read_pages(data, path, max_pages, notes, reader=reader):
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
