"""The corpus PDFs and the seeds rendered to PDF, as `pdftotext -layout` text (corpora/layout/): the
tables lose their blank cells, so the reader must not invent inconsistencies that the PDFs (or the
seeds' own text) do not have."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.api import check_document
from reconcile.report import Report

pytestmark = pytest.mark.slow  # corpus-wide: run by `pytest --all` and CI

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = sorted((ROOT / "corpora" / "layout").glob("*.txt")) + sorted((ROOT / "corpora" / "plain").glob("*.txt"))


def _source(p: Path) -> Path:
    """The document the layout text was made from: a corpus PDF, or the seed a rendered PDF came from."""
    if p.stem.startswith("seed_"):
        return ROOT / "corpora" / "seeds" / f"{p.stem[5:]}.txt"
    return ROOT / "corpora" / "pdf" / f"{p.stem}.pdf"


@pytest.fixture(scope="session")
def layout_pairs() -> dict[str, tuple[Report, Report]]:
    return {_key(p): (check_document(_source(p)), check_document(p)) for p in LAYOUT}


def _key(p: Path) -> str:
    return f"{p.parent.name}/{p.stem}"


def _flags(rep: Report) -> list[tuple[str, str]]:
    return [(f.check, f.message) for f in rep.findings if f.status == "inconsistent"]


def test_the_layout_corpus_is_there() -> None:
    assert len(LAYOUT) == 14  # 9 layout texts, 5 plain ones


@pytest.mark.parametrize("stem", [_key(p) for p in LAYOUT])
def test_layout_text_raises_no_flag_the_pdf_does_not(stem: str, layout_pairs: dict[str, tuple[Report, Report]]) -> None:
    pdf, text = layout_pairs[stem]
    pdf_codes = {c for c, _ in _flags(pdf)}
    flags = _flags(text)
    assert len(flags) <= len(_flags(pdf))
    assert [(c, m) for c, m in flags if c not in pdf_codes] == []


@pytest.mark.parametrize("stem", [_key(p) for p in LAYOUT if p.parent.name == "layout"])
def test_layout_text_still_verifies_most_claims(stem: str, layout_pairs: dict[str, tuple[Report, Report]]) -> None:
    pdf, text = layout_pairs[stem]
    verified = sum(c["status"] == "verified" for c in text.claims)
    assert verified >= 0.6 * sum(c["status"] == "verified" for c in pdf.claims)
