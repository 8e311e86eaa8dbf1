"""PDF ingestion: one plain text for the whole PDF, in the tab-separated table style.

The text that :func:`read_pdf` builds is the same kind of text the text path parses:

* narrative as paragraphs, one paragraph per line (lines wrapped at the right margin
  are rejoined), a blank line between paragraphs, page headers, footers and bare page
  numbers removed;
* every ruled table as rows, one line per row, cells joined by TAB, text wrapped inside
  a cell rejoined, cells covered by a span left empty; table titles and unit lines stay
  ordinary text lines above the table;
* pages in order, blocks of a page in reading order (top to bottom), tables placed where
  they stand; no form feeds: page boundaries are in ``Document.pages``.

Every :class:`~reconcile.document.Line` carries its page and bounding box, and every
table cell's start offset maps to its page and box in ``Document.boxes``. Pages are read
one at a time and closed at once, so memory stays bounded on large files.

The package follows what a page is made of:

* :mod:`~reconcile.pdf.settings`: the tuning constants (:class:`PdfSettings`);
* :mod:`~reconcile.pdf.objects`: a page's characters, visible rulings and images, read by
  pdfium (every page it can) or pdfminer (rotated pages, pages pdfium cannot open);
* :mod:`~reconcile.pdf.chars`: characters, lines and the text of a line; pdfium re-reads
  the text of pdfminer pages whose fonts have no Unicode map;
* :mod:`~reconcile.pdf.rulings`: drawn rules, the grids they make, ruled tables;
* :mod:`~reconcile.pdf.grid`: the cells rulings make (pdfplumber's table finder, on tuples);
* :mod:`~reconcile.pdf.tables`: table blocks, tables of aligned words, :class:`PdfTable`;
* :mod:`~reconcile.pdf.pages`: reading pages, chunks on worker processes, whole files;
* :mod:`~reconcile.pdf.paragraphs`: running headers, footers and page numbers dropped,
  wrapped lines joined into paragraphs;
* :mod:`~reconcile.pdf.assemble`: the Document, and the entry points :func:`read_pdf`,
  :func:`read_pdfs` and :func:`load_documents`.
"""

from __future__ import annotations

from .assemble import load_documents, read_pdf, read_pdfs
from .settings import SETTINGS, PdfSettings
from .tables import PdfTable

__all__ = [
    "SETTINGS",
    "PdfSettings",
    "PdfTable",
    "load_documents",
    "read_pdf",
    "read_pdfs",
]
