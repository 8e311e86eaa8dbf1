"""Render the seed reports to PDF, the way reports are published: the project's PDF test corpus.

Each seed in ``corpora/seeds/*.txt`` becomes an HTML document (headings and paragraphs for
the narrative, every table a ruled ``<table>`` whose header repeats on every page it runs
onto, page numbers in the footer) printed to PDF with headless Chromium and the
WenQuanYi Zen Hei font (both installed by ``scripts/setup.sh``). ``tests/test_rendered.py``
checks that ``reconcile check`` gives the same inconsistencies on each PDF as on its text.

Usage::

    python scripts/render_seeds.py                  # every variant into corpora/rendered/
    python scripts/render_seeds.py --only 004       # the variants of the seeds whose name starts so
    python scripts/render_seeds.py --out /tmp/r --html   # elsewhere, keeping the HTML

Variants (``variants()``): every seed on A4 portrait with each table starting a new page;
seed 004 on narrow pages (A5, tables flowing with the text, so tables break at other rows
and lines wrap elsewhere); seed 001 with its tables on A4 landscape pages (GB style: the
narrative on portrait pages, the tables on landscape ones).

How a seed becomes HTML:

* TAB-separated seeds (000, 001, 004): every run of TAB lines is a table; a run that
  follows another one after blank lines only and starts with the same header rows is the
  same table continued (its repeated header is dropped: Chromium repeats the ``thead``
  wherever the table breaks). Leading rows without amounts or codes (and 栏次 rows) are
  the header; in the header a label over empty cells becomes a merged cell (colspan where
  the row below splits it, rowspan where the cells below are empty). Narrative lines are
  one paragraph each, markdown marks (``#``, ``**``, ``- ``) turned into headings, bold and
  plain list lines.
* The pdftotext seed (002): its tables are read with ``reconcile.tables.parse_tables`` and
  rendered from the parsed rows (code, label, 行次 and every value as printed; side-by-side
  blocks such as 收入 | 支出 stay side by side); its narrative lines, wrapped at the width
  of the original page, are joined back into paragraphs that wrap at the new page width.
"""

from __future__ import annotations

from .blocks import Block, Grid, Para, tsv_blocks
from .page import FONT, LAYOUTS, Layout, build_html, grid_html
from .pdftotext import pdftotext_blocks
from .render import EXTRA_VARIANTS, OUT, ROOT, SEEDS, chromium, main, print_pdf, render, seed_blocks, seed_of, variants

__all__ = [
    "EXTRA_VARIANTS",
    "FONT",
    "LAYOUTS",
    "OUT",
    "ROOT",
    "SEEDS",
    "Block",
    "Grid",
    "Layout",
    "Para",
    "build_html",
    "chromium",
    "grid_html",
    "main",
    "pdftotext_blocks",
    "print_pdf",
    "render",
    "seed_blocks",
    "seed_of",
    "tsv_blocks",
    "variants",
]
