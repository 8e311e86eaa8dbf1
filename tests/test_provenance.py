"""Provenance all the way out: on real corpus PDFs, every claim and cell of the report
names its page and box, the boxes hold the printed words, the annotated PDF highlights
exactly those words, and every renderer names pages (text inputs keep their lines)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reconcile.api import check_document
from reconcile.cli import main
from reconcile.pdf import load_documents
from reconcile.render import annotate_pdf, annotate_pdfs, annotated_paths, render_html, render_xlsx
from reconcile.report import render

from .conftest import ROOT, SCHEMA, SEEDS

pypdf = pytest.importorskip("pypdf")
pdfplumber = pytest.importorskip("pdfplumber")
openpyxl = pytest.importorskip("openpyxl")

PDF_DIR = ROOT / "corpora" / "pdf"
FLAGGED_PDF = PDF_DIR / "sh_putuo_wanli_jiedao_2024_budget.pdf"  # 4 inconsistent findings, claims and cells
PAIR = (PDF_DIR / "js_zhengxieban_2017_budget_narr.pdf", PDF_DIR / "js_zhengxieban_2017_budget_tables.pdf")
FLAGGED = ("inconsistent", "unverifiable")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def flagged_report() -> tuple[dict[str, Any], str]:
    r = check_document(FLAGGED_PDF)
    return r.to_dict(), r.document.text


@pytest.fixture(scope="module")
def pair_report() -> tuple[dict[str, Any], str]:
    from reconcile.api import check_loaded

    doc = load_documents([str(p) for p in PAIR])
    return check_loaded(doc).to_dict(), doc.text


def _words_in(pdf: Any, page: int, bbox: list[float], pad: float = 0.5) -> str:
    """The characters printed inside a box (pdfplumber coordinates) of a page (1-based)."""
    x0, top, x1, bottom = bbox
    return _squash(pdf.pages[page - 1].within_bbox((x0 - pad, top - pad, x1 + pad, bottom + pad)).extract_text())


# --------------------------------------------------------------------------- JSON


def test_pdf_report_gives_page_and_box_of_every_claim_and_cell(flagged_report: tuple[dict[str, Any], str]) -> None:
    data, text = flagged_report
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["claims"] and all(isinstance(c.get("bbox"), list) and len(c["bbox"]) == 4 for c in data["claims"])
    cells = [c for f in data["findings"] for c in f["cells"] if c.get("span")]
    assert cells and all(isinstance(c.get("bbox"), list) and isinstance(c.get("page"), int) for c in cells)
    assert all(f["pages"] for f in data["findings"] if f["spans"])
    assert "file" not in data["claims"][0]  # one input file: no file field
    by_span: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for loc in data["locations"]:
        by_span.setdefault(tuple(loc["span"]), []).append(loc)  # type: ignore[arg-type]
    with pdfplumber.open(FLAGGED_PDF) as pdf:
        for c in data["claims"]:
            pieces = by_span[tuple(c["span"])]  # type: ignore[index]
            assert pieces[0]["page"] == c["page"]
            got = "".join(_words_in(pdf, p["page"], p["bbox"]) for p in pieces)
            assert got == _squash(c["text"]), c["id"]
        for c in cells:
            printed = _squash(text[c["span"][0] : c["span"][1]])
            assert printed in _words_in(pdf, c["page"], c["bbox"]), c


def test_text_input_report_has_no_boxes() -> None:
    data = check_document(SEEDS[4]).to_dict()
    assert "locations" not in data
    assert all("bbox" not in c and c["page"] is None for c in data["claims"])
    assert all("pages" not in f for f in data["findings"])


def test_two_file_report_names_the_file_and_its_page(pair_report: tuple[dict[str, Any], str]) -> None:
    data, _text = pair_report
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    files = data["document"]["files"]
    assert [f["path"] for f in files] == [str(p) for p in PAIR] and files[1]["first_page"] == files[0]["pages"] + 1
    cells = [c for f in data["findings"] for c in f["cells"] if c.get("bbox")]
    in_tables = [c for c in cells if c["file"] == str(PAIR[1])]
    assert in_tables and all(c["file_page"] == c["page"] - files[0]["pages"] for c in in_tables)
    assert all(c["file"] == str(PAIR[0]) and c["file_page"] == c["page"] for c in data["claims"] if c.get("bbox"))


# --------------------------------------------------------------------------- annotated PDF


def _highlights(path: Path) -> list[tuple[int, Any, Any]]:
    """(page, highlight, page object) of every highlight of a PDF."""
    out = []
    for i, page in enumerate(pypdf.PdfReader(path).pages, 1):
        for a in page.get("/Annots") or []:
            a = a.get_object()
            if a["/Subtype"] == "/Highlight":
                out.append((i, a, page))
    return out


def _named(annot: Any) -> tuple[str, tuple[int, int]]:
    """The finding id and span a highlight names in /NM (``F0003:1200-1210``)."""
    fid, span = str(annot["/NM"]).split(":")
    s, e = span.split("-")
    return fid, (int(s), int(e))


def _under_quads(pdf: Any, page_no: int, annot: Any, page: Any) -> str:
    """The words under a highlight's quads (back in pdfplumber coordinates)."""
    q = [float(v) for v in annot["/QuadPoints"]]
    top = float(page.mediabox.top)
    return "".join(
        _words_in(pdf, page_no, [q[k], top - q[k + 1], q[k + 2], top - q[k + 5]], pad=0.0) for k in range(0, len(q), 8)
    )


def _expected_text(data: dict[str, Any], text: str, s: int, e: int) -> str:
    for c in data["claims"]:
        if c["span"] == [s, e]:
            return _squash(c["text"])
    return _squash(text[s:e])


def _check_highlights(data: dict[str, Any], text: str, out: Path, first_page: int = 1) -> int:
    """Every highlight of ``out`` covers the words of the span it names; returns how many."""
    hs = _highlights(out)
    with pdfplumber.open(out) as pdf:
        for page_no, annot, page in hs:
            fid, (s, e) = _named(annot)
            f = next(f for f in data["findings"] if f["id"] == fid)
            assert [s, e] in f["spans"] or any(c["span"] == [s, e] for c in data["claims"] if c["id"] in f["claims"])
            got, want = _under_quads(pdf, page_no, annot, page), _expected_text(data, text, s, e)
            assert want and (got == want or (want in got and _is_cell(f, s, e))), (fid, got, want)
            pages = {loc["page"] - first_page + 1 for loc in data["locations"] if loc["span"] == [s, e]}
            assert page_no in pages
    return len(hs)


def _is_cell(f: dict[str, Any], s: int, e: int) -> bool:
    return any(c.get("span") == [s, e] for c in f["cells"])


def test_annotated_real_pdf_highlights_each_flagged_claim_and_cell(
    flagged_report: tuple[dict[str, Any], str], tmp_path: Path
) -> None:
    data, text = flagged_report
    out = annotate_pdf(data, FLAGGED_PDF, tmp_path / "a.pdf")
    flagged = [f for f in data["findings"] if f["status"] in FLAGGED]
    located = {tuple(loc["span"]) for loc in data["locations"]}
    claim_span = {c["id"]: tuple(c["span"]) for c in data["claims"]}
    want = set()
    for f in flagged:
        spans = {tuple(s) for s in f["spans"]} | {claim_span[c] for c in f["claims"]}
        want |= {(f["id"], sp) for sp in spans if sp in located}
    got = {_named(a) for _page, a, _obj in _highlights(out)}
    assert got == want and len(want) >= 8  # claims and the T109 cell
    assert _check_highlights(data, text, out) == len(want)
    kinds = {"cell" if _is_cell(f, s, e) else "claim" for f in flagged for fid, (s, e) in want if fid == f["id"]}
    assert kinds == {"cell", "claim"}
    reader = pypdf.PdfReader(out)
    summary = next(
        str(a.get_object()["/Contents"]) for a in reader.pages[0]["/Annots"] if "summary" in str(a.get_object()["/T"])
    )
    n_located = len({fid for fid, _sp in want})
    assert f"highlighted: {n_located} of {len(flagged)} flagged" in summary


def test_notes_stand_beside_their_highlights(flagged_report: tuple[dict[str, Any], str], tmp_path: Path) -> None:
    data, _ = flagged_report
    out = annotate_pdf(data, FLAGGED_PDF, tmp_path / "a.pdf")
    reader = pypdf.PdfReader(out)
    for page in reader.pages:
        annots = [a.get_object() for a in page.get("/Annots") or []]
        highs = [a for a in annots if a["/Subtype"] == "/Highlight"]
        notes = [a for a in annots if a["/Subtype"] == "/Text" and "summary" not in str(a["/T"])]
        rects = [tuple(float(v) for v in n["/Rect"]) for n in notes]
        assert len(set(rects)) == len(rects)  # not stacked on one another
        for n in notes:
            fid = str(n["/T"]).split()[1]
            mine = [tuple(float(v) for v in h["/Rect"]) for h in highs if str(h["/NM"]).startswith(fid + ":")]
            nx0, ny0, nx1, ny1 = (float(v) for v in n["/Rect"])
            assert mine and any(
                (abs(nx0 - r[2]) < 4 or abs(nx1 - r[0]) < 4) and ny0 < r[3] + 1 and ny1 > r[1] - 40 for r in mine
            ), fid
            assert str(n["/Contents"]).startswith("✗") or str(n["/Contents"]).startswith("?")  # the finding's note


def test_two_file_report_annotates_both_pdfs(pair_report: tuple[dict[str, Any], str], tmp_path: Path) -> None:
    data, text = pair_report
    everything = ("inconsistent", "unverifiable", "verified")
    outs = annotate_pdfs(data, PAIR, tmp_path / "out.pdf", statuses=everything)
    assert outs == [tmp_path / "out.pdf", tmp_path / "out.2.pdf"]
    first = data["document"]["files"][1]["first_page"]
    n_narr = _check_highlights(data, text, outs[0])
    n_tables = _check_highlights(data, text, outs[1], first_page=first)
    assert n_narr > 20 and n_tables > 20
    for out, src in zip(outs, PAIR, strict=True):
        assert len(pypdf.PdfReader(out).pages) == len(pypdf.PdfReader(src).pages)


def test_cli_writes_one_annotated_pdf_per_input(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    code = main(["check", *map(str, PAIR), "--format", "pdf", "-o", str(out)])
    assert code in (0, 1)
    assert out.exists() and (tmp_path / "out.2.pdf").exists()
    assert annotated_paths(tmp_path / "r", 2) == [tmp_path / "r", tmp_path / "r.2.pdf"]


# --------------------------------------------------------------------------- pages in every format


def test_every_format_names_the_page_for_a_pdf(flagged_report: tuple[dict[str, Any], str], tmp_path: Path) -> None:
    data, text = flagged_report
    inc = [f for f in data["findings"] if f["status"] == "inconsistent"]
    txt = render(data, "text")
    for f in inc:
        assert f"(p. {f['pages'][0]}" in txt
    assert "line " not in txt
    csv_lines = render(data, "csv").splitlines()
    header = csv_lines[0].split(",")
    assert "pages" in header
    assert all(",p. " in ln for ln in csv_lines[1:] if "inconsistent" in ln)
    page = render_html(data, text)
    for f in inc:
        assert f"<b>{f['id']}</b> <code>{f['check']}</code>" in page
        item = page.split(f"<b>{f['id']}</b> <code>{f['check']}</code>", 1)[1][:400]
        assert f"第{f['pages'][0]}页" in item
    wb = openpyxl.load_workbook(render_xlsx(data, tmp_path / "r.xlsx", text))
    rows = list(wb["findings"].iter_rows(values_only=True))
    col = next(i for i, h in enumerate(rows[0]) if h and str(h).startswith("Pages"))
    ids = next(i for i, h in enumerate(rows[0]) if h and "编号" in str(h))
    for r in rows[1:]:
        f = next(f for f in data["findings"] if f["id"] == r[ids])
        assert r[col] == " ".join(str(p) for p in f.get("pages", [])) or (not f.get("pages") and not r[col])


def test_text_inputs_keep_their_lines() -> None:
    data = check_document(SEEDS[4]).to_dict()
    txt = render(data, "text")
    assert "(line " in txt and "p. " not in txt
    assert "第" in render_html(data, check_document(SEEDS[4]).document.text)


def test_two_file_text_report_names_the_file(pair_report: tuple[dict[str, Any], str]) -> None:
    data, _ = pair_report
    f = next(f for f in data["findings"] if any(p > data["document"]["files"][0]["pages"] for p in f["pages"]))
    from reconcile.places import where

    assert any(w.startswith(PAIR[1].name + " p. ") for w in where(data, f))
