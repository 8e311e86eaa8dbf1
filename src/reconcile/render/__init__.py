"""Reports people read, all rendered from the one JSON report dict.

- :func:`render_html` — one self-contained, offline HTML page;
- :func:`render_xlsx` — an Excel workbook (findings, cells, claims, tables, errors);
- :func:`annotate_pdf` — a copy of the original PDF with highlight annotations;
- :func:`table_details` — the tables' rows and cells as JSON (``data["tables_detail"]``);
- :func:`render_to_file` — one of the above by format name (what the CLI calls).

None of them computes a finding: they read ``Report.to_dict()`` (schema
``reconcile.report/1``) and the document text its spans index.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .annotate import annotate_pdf
from .detail import table_details
from .html import render_html
from .xlsx import render_xlsx

__all__ = ["FORMATS", "annotate_pdf", "render_html", "render_to_file", "render_xlsx", "table_details"]

#: Formats written to a file by :func:`render_to_file`.
FORMATS = ("html", "xlsx", "pdf")


def render_to_file(
    data: Mapping[str, Any], fmt: str, output: str | Path, *, text: str, source: str | Path | None = None
) -> Path:
    """Write ``data`` as ``fmt`` (html, xlsx or pdf) to ``output``.

    ``text`` is the document text the spans index; ``source`` the original file,
    needed for ``pdf`` (which must be a PDF). Raises ValueError on a bad combination.
    """
    out = Path(output)
    if fmt == "html":
        out.write_text(render_html(data, text), encoding="utf-8")
        return out
    if fmt == "xlsx":
        return render_xlsx(data, out, text)
    if fmt == "pdf":
        if source is None or (data.get("document") or {}).get("format") != "pdf":
            raise ValueError("--format pdf annotates the original PDF: the input must be a PDF")
        if Path(source).resolve() == out.resolve():
            raise ValueError("the annotated PDF must not overwrite the input")
        return annotate_pdf(data, source, out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
