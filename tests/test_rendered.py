"""The PDF corpus made by the project: every seed rendered to PDF checks like its text.

``corpora/rendered/*.pdf`` are the seeds printed by ``scripts/render_seeds.py`` (HTML with
ruled tables whose header repeats on every page, page numbers in the footer, headless
Chromium). These tests use the committed PDFs and render nothing, except the one marked
``browser``, which renders a seed again and is skipped when Chromium is missing.

For every PDF, against ``check_document`` on its seed text:

* the same inconsistent findings: the multiset of (check code, observed, expected) with
  the amounts rounded to 2 decimals (spans and line numbers differ between the two);
* the same standard tables, in order, with the same number of rows each;
* the narrative claims' (quantity, value, unit) multisets overlap by at least 95 %.

And what the rendering puts around the content never reaches the text (footer page
numbers, the running head), while lines that look like page furniture but are content
("表 2" atop a table page, a right-aligned "单位：万元") stay, each on a line of its own.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from benchmarks import render_seeds
from reconcile.api import check_loaded
from reconcile.document import Document
from reconcile.findings import Finding
from reconcile.ingest import load_document
from reconcile.report import Report
from reconcile.tables import parse_tables

ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / "corpora" / "rendered"
SEEDS = ROOT / "corpora" / "seeds"
PDFS = sorted(RENDERED.glob("*.pdf"))

# Tables whose row count may differ between the text and the PDF, with the reason:
# {(pdf name, table index): reason}. None is needed today.
ROW_COUNT_EXCEPTIONS: dict[tuple[str, int], str] = {}
MIN_CLAIM_OVERLAP = 0.95


def _render_module() -> ModuleType:
    return render_seeds


def seed_of(pdf: Path) -> Path:
    """``004_x__narrow.pdf`` -> ``corpora/seeds/004_x.txt`` (as ``render_seeds.seed_of``)."""
    return SEEDS / (pdf.stem.split("__", 1)[0] + ".txt")


@functools.cache
def _doc(path: Path) -> Document:
    return load_document(path)


@functools.cache
def _report(path: Path) -> Report:
    return check_loaded(_doc(path))


def _amount(value: Decimal | None) -> Decimal | None:
    return None if value is None else round(value, 2)


def _key(f: Finding) -> tuple[str, Decimal | None, Decimal | None]:
    return (f.check, _amount(f.observed), _amount(f.expected))


def _inconsistencies(report: Report) -> Counter[tuple[str, Decimal | None, Decimal | None]]:
    return Counter(_key(f) for f in report.findings if f.status == "inconsistent")


def _claims(report: Report) -> Counter[tuple[object, object, object]]:
    return Counter((c.get("quantity"), c.get("value"), c.get("unit")) for c in report.claims)


def _explain(report: Report, keys: Counter[tuple[str, Decimal | None, Decimal | None]]) -> list[str]:
    return [f"{f.check}: {f.message}" for f in report.findings if f.status == "inconsistent" and _key(f) in keys]


def test_every_variant_is_rendered() -> None:
    """Each variant the script makes is committed, and every committed PDF has its seed."""
    rs = _render_module()
    expected = {name.name for _seed, _layout, name in rs.variants()}
    assert expected == {p.name for p in PDFS}, "run: python scripts/render_seeds.py"
    for pdf in PDFS:
        assert seed_of(pdf).exists()
        assert rs.seed_of(pdf) == seed_of(pdf)
        assert pdf.stat().st_size < 400_000, f"{pdf.name} is {pdf.stat().st_size} bytes: keep the corpus small"


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_same_inconsistencies(pdf: Path) -> None:
    text, from_pdf = _report(seed_of(pdf)), _report(pdf)
    a, b = _inconsistencies(text), _inconsistencies(from_pdf)
    only_text, only_pdf = a - b, b - a
    assert not only_text and not only_pdf, (
        f"{pdf.name}: {sum(a.values())} inconsistencies on the text, {sum(b.values())} on the PDF\n"
        + "\n".join(
            ["only on the text:", *_explain(text, only_text), "only on the PDF:", *_explain(from_pdf, only_pdf)]
        )
    )


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_same_tables(pdf: Path) -> None:
    text, from_pdf = _report(seed_of(pdf)), _report(pdf)
    assert [t.kind for t in from_pdf.tables] == [t.kind for t in text.tables]
    for i, (t, p) in enumerate(zip(text.tables, from_pdf.tables, strict=True)):
        if (pdf.name, i) in ROW_COUNT_EXCEPTIONS:
            continue
        assert len(p.rows) == len(t.rows), f"{pdf.name} {t.id} {t.title}: {len(t.rows)} rows on the text, {len(p.rows)}"
        assert [r.code for r in p.rows] == [r.code for r in t.rows], f"{pdf.name} {t.id} {t.title}: codes differ"


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_claims_overlap(pdf: Path) -> None:
    a, b = _claims(_report(seed_of(pdf))), _claims(_report(pdf))
    common = sum((a & b).values())
    share = common / max(sum(a.values()), sum(b.values()), 1)
    diff = f"only on the text: {sorted(map(str, (a - b).elements()))}; only on the PDF: {sorted(map(str, (b - a).elements()))}"
    assert share >= MIN_CLAIM_OVERLAP, f"{pdf.name}: claims overlap {share:.1%} ({common} common); {diff}"


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_page_furniture_is_dropped(pdf: Path) -> None:
    """The footer page numbers ("- 3 -") and the running head never reach the text."""
    doc = _doc(pdf)
    assert len(doc.pages) > 1
    assert not [ln.text for ln in doc.lines if re.fullmatch(r"\s*-\s*\d+\s*-\s*", ln.text)]
    if "__narrow" in pdf.name:  # the report's title runs at the top of every page: only the cover keeps it
        assert sum("部门决算公开" in ln.text for ln in doc.lines) == 1


def test_table_numbers_and_unit_lines_survive() -> None:
    """Lines that look like page furniture but are content stay, each on a line of its own.

    002 puts "表 N" above every table title, at the top of a table page: it repeats on many
    pages (digits ignored) yet is no running header. 004 right-aligns "单位：万元" just
    above "部门名称：…": a line that reaches the right margin, but does not wrap.
    """
    seed_002 = next(SEEDS.glob("002_*.txt"))
    pdf_002 = _doc(RENDERED / f"{seed_002.stem}.pdf")
    labels = [ln.text.replace(" ", "") for ln in pdf_002.lines if re.fullmatch(r"表\s*\d+", ln.text.strip())]
    assert labels == [f"表{n}" for n in range(1, 10)]
    for pdf in RENDERED.glob("004_*.pdf"):
        lines = [ln.text for ln in _doc(pdf).lines]
        assert lines.count("单位：万元") == 9, pdf.name
        assert not [t for t in lines if t.startswith("单位：万元") and t != "单位：万元"], pdf.name


@pytest.mark.browser
def test_render_a_seed_again(tmp_path: Path) -> None:
    """Rendering works here and gives a PDF with the seed's tables (skipped without Chromium)."""
    rs = _render_module()
    if rs.chromium() is None:
        pytest.skip("chromium is not installed (bash scripts/setup.sh)")
    seed = next(SEEDS.glob("000_*.txt"))
    pdf = rs.render(seed, "a4", tmp_path / "000.pdf")
    doc = load_document(pdf)
    expected = parse_tables(load_document(seed))
    got = parse_tables(doc)
    assert [t.kind for t in got] == [t.kind for t in expected]
    assert len(doc.raw_tables) >= len(expected)  # a table broken across pages is one per page
