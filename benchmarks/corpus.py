"""The mutation benchmark's clean documents: seeds, their wording/spacing variants, the
corpus PDFs read to text and their ``pdftotext -layout`` texts, each with its clean report.

A document's real errors (the inconsistent findings of its clean run) are the baseline
subtracted from its mutants' findings; :meth:`Doc.known` counts those that stand on a
gold item's line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reconcile.api import check_text
from reconcile.rules import Rules

from .mutation import VARIANTS, inconsistent_findings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
GOLD = ROOT / "corpora" / "gold"
PDFS = ROOT / "corpora" / "pdf"

# clean documents for mutation: (name, seed file stem, variant or None)
CLEAN_SEEDS = ("000", "001", "002", "003", "004")
VARIANT_SOURCES = ("000", "001")
# the corpus PDFs, read to text once (their real errors are the clean baseline)
PDF_DOCS = {
    "gaoyuan": ("js_gaoyuan_2017_budget.pdf",),
    "jianchayuan": ("js_jianchayuan_2018_budget.pdf",),
    "renda": ("js_rendachangweiban_2017_budget.pdf",),
    "zhengxieban": ("js_zhengxieban_2017_budget_narr.pdf", "js_zhengxieban_2017_budget_tables.pdf"),
    "caizhengju": ("sh_putuo_caizhengju_2024_final.pdf",),
    "wanli": ("sh_putuo_wanli_jiedao_2024_budget.pdf",),
}


@dataclass
class Doc:
    name: str
    text: str
    report: dict[str, Any]
    source: str
    gold_lines: frozenset[int] = frozenset()  # lines of the gold items (real errors) of the clean text

    def known(self) -> int:
        """Clean-run inconsistent findings that stand on a gold item's line."""
        return sum(bool(set(f["lines"]) & self.gold_lines) for f in inconsistent_findings(self.report))


def _seed_path(prefix: str) -> Path:
    hits = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not hits:
        raise SystemExit(f"no seed {prefix}_*.txt under {SEEDS}")
    return hits[0]


def _gold_lines(stem: str) -> frozenset[int]:
    p = GOLD / f"{stem}.yaml"
    if not p.exists():
        return frozenset()
    items = yaml.safe_load(p.read_text(encoding="utf-8")).get("inconsistencies") or []
    return frozenset(n for it in items for n in (it["line"], *(it.get("related_lines") or [])))


def load_corpus(rules: Rules, pdfs: bool = True) -> list[Doc]:
    docs: list[Doc] = []
    for prefix in CLEAN_SEEDS:
        p = _seed_path(prefix)
        text = p.read_text(encoding="utf-8")
        docs.append(
            Doc(prefix, text, check_text(text, path=p.name, rules=rules).to_dict(), p.name, _gold_lines(p.stem))
        )
    for prefix in VARIANT_SOURCES:
        p = _seed_path(prefix)
        base = p.read_text(encoding="utf-8")
        for vname, fn in VARIANTS.items():
            text = fn(base)
            name = f"{prefix}~{vname}"
            docs.append(Doc(name, text, check_text(text, path=name, rules=rules).to_dict(), f"{p.name} ({vname})"))
    if pdfs:
        from reconcile.pdf import load_documents

        for name, files in PDF_DOCS.items():
            paths = [ROOT / "corpora" / "pdf" / f for f in files]
            if not all(p.exists() for p in paths):
                continue
            text = load_documents(paths).text
            docs.append(Doc(name, text, check_text(text, path=name, rules=rules).to_dict(), " + ".join(files)))
    # the same documents as pdftotext -layout text (tables without their blank cells)
    for p in sorted((ROOT / "corpora" / "layout").glob("*.txt")):
        if p.stem.startswith("seed_") and p.stem[5:8] not in CLEAN_SEEDS:
            continue
        text = p.read_text(encoding="utf-8")
        parts = p.stem.split("_")
        short = parts[1][:3] if parts[0] == "seed" else (parts[1] if parts[0] == "js" else parts[2])
        name = f"layout:{short}"
        docs.append(Doc(name, text, check_text(text, path=name, rules=rules).to_dict(), f"corpora/layout/{p.name}"))
    return docs
