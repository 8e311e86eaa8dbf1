"""Finding and reading the standard tables in a document's text.

Two text shapes are read:

* cells separated by TAB (extraction tools, markdown exports, and the text that the
  PDF path writes for ruled tables): cells are aligned with the header by position;
* cells separated by spaces only (pdftotext without layout): values are aligned with
  the header by the column vocabulary of the rules, or by a fixed layout.

A table's parts on consecutive pages (title repeated, or header repeated) are merged;
repeated headers, 栏次 rows and repeated total rows are dropped; wrapped labels are
rejoined. Every cell keeps its printed decimals and its span.

The stages, one module each:

* ``find``: the title lines and the region of lines each table holds;
* ``tsv`` and ``spaced``: the two readers (``columns`` names the columns from the header,
  ``three_public`` the columns of a 三公 table, ``align`` places the values of layout text
  rows that leave cells blank; ``cells`` holds what both readers share);
* ``labels``: labels wrapped in their cell, rejoined;
* ``parse``: the driver (``parse_tables``), and the merging of a table's parts.
"""

from __future__ import annotations

from .parse import iter_cells, parse_tables, table_spans

__all__ = ["iter_cells", "parse_tables", "table_spans"]
