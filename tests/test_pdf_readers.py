"""The two PDF readers: pdfium (the default) and pdfminer, on real corpus files.

pdfium reads every page it can; pdfminer reads the rest (rotated pages, pages pdfium
cannot open) and is kept for ``scripts/pdf_parity.py``. These tests run both on real
files and compare what the checks see; ``scripts/pdf_parity.py`` does the same over the
whole corpus.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_loaded
from reconcile.pdf import read_pdf
from reconcile.pdf.grid import find_tables
from reconcile.pdf.objects import pdfium_objects
from reconcile.pdf.rulings import Edge, _close_open_ends, _may_hold_table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "pdf"
TEMPLATES = ROOT / "corpora" / "templates"
SHARED_PDF2 = ROOT.parent / "shared" / "corpus" / "pdf2"

# where things sit (offsets, boxes, ids) is left out: a space read more or less moves them
_POSITIONS = frozenset(
    ("id", "span", "spans", "number_span", "line", "lines", "bbox", "section_id", "claims", "caused_by", "consequences")
)


def _checked(doc: Any) -> dict[str, list[str]]:
    def strip(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: strip(v) for k, v in obj.items() if k not in _POSITIONS}
        if isinstance(obj, list):
            return [strip(v) for v in obj]
        return obj

    report = check_loaded(doc).to_dict()
    return {
        kind: sorted(json.dumps(strip(x), ensure_ascii=False, sort_keys=True) for x in report[kind])
        for kind in ("claims", "findings")
    }


@pytest.mark.parametrize(
    "name",
    [
        "pdf/sh_putuo_wanli_jiedao_2024_budget.pdf",
        "pdf/js_gaoyuan_2017_budget.pdf",
        "templates/xian/sn_xian_gonganju_2026_budget.pdf",
    ],
)
def test_both_readers_give_the_same_claims_and_findings(name: str) -> None:
    data = (ROOT / "corpora" / name).read_bytes()
    a = read_pdf(data, name, "x", reader="pdfminer")
    b = read_pdf(data, name, "x", reader="pdfium")
    assert [len(t) for t in (a.pages, a.raw_tables)] == [len(t) for t in (b.pages, b.raw_tables)]
    checked = _checked(b)
    assert checked["claims"] and checked == _checked(a)


def test_both_readers_give_the_same_text_where_no_typed_space_is_at_stake() -> None:
    data = (ROOT / "corpora" / "rendered" / "001_cd39569243bc1f52.pdf").read_bytes()
    a = read_pdf(data, "a.pdf", "x", reader="pdfminer")
    b = read_pdf(data, "a.pdf", "x", reader="pdfium")
    assert a.text == b.text
    assert [(ln.page, ln.text) for ln in a.lines] == [(ln.page, ln.text) for ln in b.lines]


def _as_plumber(e: Edge) -> dict[str, Any]:
    """A ruling as pdfplumber's table finder takes an explicit line."""
    w, h = e.x1 - e.x0, e.bottom - e.top
    return {"object_type": "line_edge", "orientation": e.orientation, "x0": e.x0, "x1": e.x1} | {
        "top": e.top,
        "bottom": e.bottom,
        "doctop": e.top,
        "width": w,
        "height": h,
    }


def test_the_grid_finder_gives_pdfplumbers_tables() -> None:
    """grid.find_tables reimplements pdfplumber's explicit table finder: same cells on real pages."""
    import pypdfium2 as pdfium
    from pdfplumber.table import TableFinder

    compared = 0
    for path in [CORPUS / "js_gaoyuan_2017_budget.pdf", TEMPLATES / "xian" / "sn_xian_gonganju_2026_budget.pdf"]:
        doc = pdfium.PdfDocument(path.read_bytes())
        for i in range(len(doc)):
            page = doc[i]
            edges = pdfium_objects(page, page.get_height()).edges
            if not _may_hold_table(edges):
                continue
            edges = _close_open_ends(edges)
            lines = [_as_plumber(e) for e in edges]
            settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit"}
            settings |= {"explicit_vertical_lines": lines, "explicit_horizontal_lines": lines}
            settings |= {"snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3, "edge_min_length": 3}
            theirs = [(t.bbox, sorted(t.cells)) for t in TableFinder(None, settings).tables]  # type: ignore[arg-type]
            h = [(e.x0, e.top, e.x1, e.bottom) for e in edges if e.orientation == "h"]
            v = [(e.x0, e.top, e.x1, e.bottom) for e in edges if e.orientation == "v"]
            ours = [(bbox, sorted(cells)) for bbox, cells in find_tables(h, v)]
            assert ours == theirs, f"{path.name} page {i + 1}"
            compared += bool(theirs)
    assert compared >= 20


def test_a_hyphen_that_ends_a_line_in_a_cell_is_kept() -> None:
    """pdfium marks a hyphen at the end of a line as a soft hyphen (code 2): it is printed, so it stays."""
    path = TEMPLATES / "guangzhou" / "gd_guangzhou_xuanchuanbu_2026_budget.pdf"
    doc = read_pdf(path.read_bytes(), path.name, "x")
    assert "市委宣传部2024年-2025年信息化运维项目" in doc.text
    assert "2024年2025年" not in doc.text


def test_a_rotated_page_is_read_by_pdfminer() -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument((CORPUS / "js_zhengxieban_2017_budget_tables.pdf").read_bytes())
    src[0].set_rotation(90)
    buf = io.BytesIO()
    src.save(buf)
    data = buf.getvalue()
    a = read_pdf(data, "r.pdf", "x", reader="pdfminer")
    b = read_pdf(data, "r.pdf", "x")
    first = a.pages[0]
    assert a.text[first.start : first.end].strip()
    assert b.text == a.text  # the rotated page by pdfminer, in its rotated frame; the rest by pdfium


def test_an_unknown_reader_is_refused() -> None:
    data = (CORPUS / "js_zhengxieban_2017_budget_tables.pdf").read_bytes()
    with pytest.raises(ValueError, match="unknown PDF reader"):
        read_pdf(data, "a.pdf", "x", reader="poppler")


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_PDF2.is_dir(), reason="../shared/corpus/pdf2 is not present")
def test_pages_with_an_upside_down_media_box_are_read() -> None:
    """sn_xian_minzhengju_2021: pages 39-84 have MediaBox [0 595 842 0]; pdfminer put their text off the page."""
    path = SHARED_PDF2 / "sn_xian_minzhengju_2021_budget.pdf"
    data = path.read_bytes()
    old = read_pdf(data, path.name, "x", reader="pdfminer")
    new = read_pdf(data, path.name, "x")
    assert len(old.raw_tables) < 10 and len(new.raw_tables) >= 40
    report = check_loaded(new).to_dict()
    assert not [f for f in report["findings"] if f["check"] == "I001"]
