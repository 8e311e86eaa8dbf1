"""Reports people read, all rendered from the one JSON report dict.

- :func:`render_html` — one self-contained, offline HTML page;
- :func:`render_xlsx` — an Excel workbook (findings, cells, claims, tables, errors);
- :func:`annotate_pdf` / :func:`annotate_pdfs` — copies of the original PDF(s) with highlight annotations;
- :func:`table_details` — the tables' rows and cells as JSON (``data["tables_detail"]``);
- :func:`render_to_file` — one of the above by format name (what the CLI calls).

None of them computes a finding: they read ``Report.to_dict()`` (schema
``reconcile.report/1``) and the document text its spans index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .annotate import annotate_pdf, annotate_pdfs, annotated_paths
from .detail import table_details
from .html import render_html
from .xlsx import render_xlsx

__all__ = [
    "FORMATS",
    "annotate_pdf",
    "annotate_pdfs",
    "annotated_paths",
    "render_html",
    "render_to_file",
    "render_xlsx",
    "table_details",
]

#: Formats written to a file by :func:`render_to_file`.
FORMATS = ("html", "xlsx", "pdf")


def render_to_file(
    data: Mapping[str, Any],
    fmt: str,
    output: str | Path,
    *,
    text: str,
    source: str | Path | Sequence[str | Path] | None = None,
) -> Path:
    """Write ``data`` as ``fmt`` (html, xlsx or pdf) to ``output``.

    ``text`` is the document text the spans index; ``source`` the original file(s),
    needed for ``pdf`` (which must be PDFs). A report read from several PDFs writes
    one annotated copy of each (:func:`~reconcile.render.annotate.annotated_paths`:
    ``out.pdf``, ``out.2.pdf`` …); the first is returned. Raises ValueError on a bad
    combination.
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
        sources = [source] if isinstance(source, str | Path) else list(source)
        return annotate_pdfs(data, sources, out)[0]
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
