"""The guards' screen of a whole file (issue 16): a PDF whose streams, all together, stay within
the resource guards is read by pdfium alone, without pdfminer; the screen must never clear a
file with a page that the per-page guard would skip.

The per-page guard (:func:`page_cost_problem`, through pdfminer's page tree) is the reference:
on real corpus files and on generated ones around the limits, a cleared file has no page past
it. The fast path itself is checked on a real file in a fresh process (no pdfminer imported)
and against the guarded path (the same text).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from reconcile.pdf import read_pdf
from reconcile.pdf.guards import file_within_guards, page_cost_problem
from reconcile.pdf.settings import PdfSettings

from .conftest import ROOT
from .test_hostile import Deflated, pdf_bytes, text_page

CORPUS_PDFS = sorted((ROOT / "corpora").rglob("*.pdf"))
SMALL = PdfSettings.resolve(max_content_bytes=60_000, max_page_objects=900)


def _pages_past_the_guard(data: bytes, settings: PdfSettings) -> list[int]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    pages = PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data))))
    return [n for n, page in enumerate(pages, 1) if page_cost_problem(page, settings) is not None]


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
@pytest.mark.parametrize("settings", [PdfSettings(), SMALL], ids=["defaults", "small limits"])
def test_a_cleared_corpus_file_has_no_page_past_the_guard(path: Path, settings: PdfSettings) -> None:
    data = path.read_bytes()
    if file_within_guards(data, settings):
        assert _pages_past_the_guard(data, settings) == []


def test_the_screen_clears_the_corpus_files_with_the_default_limits() -> None:
    cleared = [p.name for p in CORPUS_PDFS if file_within_guards(p.read_bytes())]
    assert len(cleared) >= len(CORPUS_PDFS) * 3 // 4, cleared  # else the fast path is rarely taken
    assert not all(file_within_guards(p.read_bytes(), SMALL) for p in CORPUS_PDFS)


@pytest.mark.parametrize("rects", [10, 899, 901, 5_000, 60_000])
def test_generated_pages_around_the_limits(rects: int) -> None:
    """Both guards, at and past the limits; a cleared file never has a page past them."""
    data = pdf_bytes([text_page("first page"), b"0 0 1 1 re\n" * rects + b"f\n"])
    for settings in (PdfSettings(), SMALL):
        past = _pages_past_the_guard(data, settings)
        assert file_within_guards(data, settings) == (past == [])


def test_the_streams_of_several_pages_count_together() -> None:
    """Each page within the guard, but all of them together past it: the per-page guard decides."""
    data = pdf_bytes([b"0 0 1 1 re\n" * 500 + b"f\n"] * 3)
    assert _pages_past_the_guard(data, SMALL) == []
    assert not file_within_guards(data, SMALL)


def test_what_the_screen_cannot_account_for_goes_to_the_per_page_guard() -> None:
    page = text_page("x")
    assert file_within_guards(pdf_bytes([page]))
    # another filter than Flate
    lzw = b"<< /Length 3 /Filter /LZWDecode >>\nstream\nabc\nendstream"
    assert not file_within_guards(pdf_bytes([page], objects=[lzw]))
    # a stream cut short (it does not inflate to its end)
    cut = zlib.compress(b"0 0 1 1 re\n" * 100)[:-8]
    assert not file_within_guards(pdf_bytes([Deflated(cut)]))
    # a stream keyword without its endstream
    assert not file_within_guards(pdf_bytes([page], objects=[b"<< /Length 3 >>\nstream\nabc"]))
    # encryption
    assert not file_within_guards(pdf_bytes([page], catalog=b"/Encrypt 9 0 R"))


def test_images_and_fonts_are_not_counted_as_content() -> None:
    ops = zlib.compress(b"0 0 1 1 re\n" * 5_000)
    image = f"<< /Subtype /Image /Width 1 /Height 1 /Length {len(ops)} /Filter /FlateDecode >>\nstream\n".encode()
    font = f"<< /Length1 9 /Length {len(ops)} /Filter /FlateDecode >>\nstream\n".encode()
    page = text_page("x")
    assert file_within_guards(pdf_bytes([page], objects=[image + ops + b"\nendstream"]), SMALL)
    assert file_within_guards(pdf_bytes([page], objects=[font + ops + b"\nendstream"]), SMALL)
    form = f"<< /Subtype /Form /BBox [0 0 1 1] /Length {len(ops)} /Filter /FlateDecode >>\nstream\n".encode()
    assert not file_within_guards(pdf_bytes([page], objects=[form + ops + b"\nendstream"]), SMALL)
    for label in (b"/Length1 9", b"/Type /Metadata"):  # a form is content whatever else its dictionary says
        lying = form.replace(b"/BBox", label + b" /BBox")
        assert not file_within_guards(pdf_bytes([page], objects=[lying + ops + b"\nendstream"]), SMALL)


def test_a_page_content_labelled_as_an_image_or_font_is_still_counted() -> None:
    """pdfium reads a page's /Contents as content whatever its dictionary says."""
    bomb = b"0 0 1 1 re\n" * 5_000 + b"f\n"
    honest = pdf_bytes([text_page("first page"), bomb])
    assert file_within_guards(honest) and not file_within_guards(honest, SMALL)
    for label in (b"/Subtype /Image", b"/Length1 9", b"/Type /Metadata"):
        lying = honest.replace(b" /Filter /FlateDecode >>\nstream", b" /Filter /FlateDecode " + label + b" >>\nstream")
        assert lying.count(label) == 2
        assert not file_within_guards(lying, SMALL)
        assert _pages_past_the_guard(lying, SMALL) == [2]


def test_contents_named_in_an_object_stream_are_counted() -> None:
    """A page dictionary inside an object stream (PDF 1.5) names its /Contents there."""
    body = zlib.compress(b"0 0 1 1 re\n" * 5_000)
    page = b"3 0 << /Type /Page /Contents 5 0 R >>"
    objstm = zlib.compress(page)
    data = (
        b"%PDF-1.5\n"
        + f"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {len(objstm)} >>\nstream\n".encode()
        + objstm
        + b"\nendstream\nendobj\n"
        + f"5 0 obj\n<< /Subtype /Image /Filter /FlateDecode /Length {len(body)} >>\nstream\n".encode()
        + body
        + b"\nendstream\nendobj\n"
    )
    assert not file_within_guards(data, SMALL)  # the "image" is the page's content: 5,000 operators
    assert file_within_guards(data)  # within the default guards
    unnamed = data.replace(objstm, zlib.compress(page.replace(b"/Contents 5 0 R", b"/Contents [ ]")))
    assert file_within_guards(unnamed, SMALL)  # an image no page names is no content
    missing = data.replace(objstm, zlib.compress(page.replace(b"5 0 R", b"9 0 R")))
    assert not file_within_guards(missing)  # /Contents names an object that is no stream


@pytest.mark.parametrize(
    "name",
    ["pdf/js_zhengxieban_2017_budget_tables.pdf", "templates/guangzhou/gd_guangzhou_xuanchuanbu_2026_budget.pdf"],
)
def test_a_cleared_file_reads_as_through_the_page_tree(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (ROOT / "corpora" / name).read_bytes()
    assert file_within_guards(data)
    fast = read_pdf(data, name, "x")
    monkeypatch.setattr("reconcile.pdf.pages.file_within_guards", lambda _data: False)
    guarded = read_pdf(data, name, "x")
    assert fast.text == guarded.text
    assert fast.pages == guarded.pages and fast.boxes == guarded.boxes
    assert repr(fast.raw_tables) == repr(guarded.raw_tables)
    assert [p.message for p in fast.problems] == [p.message for p in guarded.problems]


def test_max_pages_on_a_cleared_file_is_noted_with_the_page_count() -> None:
    path = ROOT / "corpora" / "pdf" / "js_zhengxieban_2017_budget_tables.pdf"
    doc = read_pdf(path.read_bytes(), path.name, "x", max_pages=2)
    assert len(doc.pages) == 2
    assert any("only the first 2 of 13 pages were read" in p.message for p in doc.problems)


def test_a_check_of_a_cleared_pdf_imports_no_pdfminer(tmp_path: Path) -> None:
    path = ROOT / "corpora" / "pdf" / "js_zhengxieban_2017_budget_tables.pdf"
    code = (
        "import contextlib, io, json, sys\nimport reconcile.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = reconcile.cli.main(['check', sys.argv[1], '--format', 'json'])\n"
        "print(json.dumps({'code': code, 'modules': sorted({m.split('.')[0] for m in sys.modules})}))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RECONCILE_CACHE_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(out.stdout)
    assert result["code"] in (0, 1)
    assert "pypdfium2" in result["modules"]
    assert not {"pdfminer", "pdfplumber"} & set(result["modules"])
