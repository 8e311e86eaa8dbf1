"""The gold part of the mutation benchmark's page: the checker's inconsistent findings on
every gold document against corpora/gold/*.yaml, located by document *lines*.

(:mod:`benchmarks.evaluation`, used by ``scripts/eval_gold.py`` and tests/test_gold.py,
scores the same annotation by character *spans*; the two are kept as they were.)
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

from reconcile.api import check_loaded
from reconcile.ingest import load_document
from reconcile.numbers import fold_text
from reconcile.rules import Rules, load_rules

from .corpus import GOLD, PDFS, SEEDS
from .runner import one_line, short_finding


@dataclass
class _GoldDoc:
    """A checked gold document: its parts' reports and a global line/page numbering."""

    findings: list[dict[str, Any]]  # inconsistent findings, lines renumbered over all parts
    all_findings: list[dict[str, Any]]
    text: str
    folded: str
    line_starts: list[int]
    line_pages: list[int | None]


def _check_gold_document(name: str, rules: Rules) -> _GoldDoc | None:
    """Check a gold ``document`` (a seed text, a corpus PDF, or several joined by “+”)."""
    findings: list[dict[str, Any]] = []
    all_findings: list[dict[str, Any]] = []
    texts: list[str] = []
    starts: list[int] = []
    pages: list[int | None] = []
    line_off = page_off = char_off = 0
    for part in name.split("+"):
        path = SEEDS / part if (SEEDS / part).exists() else PDFS / part
        if not path.exists():
            return None
        doc = load_document(path)
        rep = check_loaded(doc, rules).to_dict()
        for f in rep["findings"]:
            g = dict(f, lines=[n + line_off for n in f["lines"]])
            all_findings.append(g)
            if f["status"] == "inconsistent":
                findings.append(g)
        for ln in doc.lines:
            starts.append(ln.start + char_off)
            pages.append(ln.page + page_off if ln.page is not None else None)
        texts.append(doc.text + "\n")
        line_off += len(doc.lines)
        page_off += len(doc.pages)
        char_off += len(doc.text) + 1
    text = "".join(texts)
    return _GoldDoc(findings, all_findings, text, fold_text(text), starts, pages)


def _quote_lines(gd: _GoldDoc, quote: str, page: int | None) -> set[int]:
    """Document lines of a gold quote (whitespace-insensitive), preferring its page."""
    keep = [i for i, ch in enumerate(gd.folded) if not ch.isspace()]
    compact = "".join(gd.folded[i] for i in keep)
    q = "".join(ch for ch in fold_text(quote) if not ch.isspace())
    best: set[int] = set()
    for probe in (q, q[:16], q[-16:]):
        if len(probe) < 6:
            continue
        pos = compact.find(probe)
        while pos >= 0:
            a, b = keep[pos], keep[pos + len(probe) - 1]
            first = bisect.bisect_right(gd.line_starts, a)
            last = bisect.bisect_right(gd.line_starts, b)
            lines = set(range(first, last + 1))
            if page is None or any(gd.line_pages[n - 1] == page for n in lines):
                return lines
            best = best or lines
            pos = compact.find(probe, pos + 1)
        if best:
            return best
    return best


def gold_results(rules: Rules | None = None, *, pdf: bool = True) -> list[dict[str, Any]]:
    """Per gold file: items found / missed, and inconsistent findings on no gold line.

    Seed gold items carry a ``line``: a narrative item is found when an inconsistent
    finding's ``lines`` contain it, a table item when they meet ``line`` +
    ``related_lines``. PDF gold items carry a ``page`` and a ``quote``: the quote is
    located in the document text and its lines play the part of ``line`` (the whole page
    when the quote cannot be located, and for table items). A finding is *stray* when its
    lines meet no item's lines.
    """
    rules = rules or load_rules()
    out: list[dict[str, Any]] = []
    for gp in sorted(GOLD.glob("*.yaml")):
        g = yaml.safe_load(gp.read_text(encoding="utf-8"))
        if not pdf and g["document"].lower().endswith(".pdf"):
            continue
        gd = _check_gold_document(g["document"], rules)
        if gd is None:
            out.append({"seed": gp.stem, "error": f"document {g['document']} not found", "items": []})
            continue
        inc = gd.findings
        items = g.get("inconsistencies") or []
        gold_lines: set[int] = set()
        found: list[dict[str, Any]] = []
        missed: list[dict[str, Any]] = []
        for it in items:
            if "line" in it:
                own = {it["line"]}
                where = {it["line"], *(it.get("related_lines") or [])}
            else:
                page = it.get("page")
                page_lines = {n for n, pg in enumerate(gd.line_pages, 1) if pg == page}
                own = _quote_lines(gd, str(it.get("quote", "")), page) or page_lines
                where = own | (page_lines if it["category"] != "narrative" else set())
            gold_lines |= where
            if it["category"] == "narrative":
                hit = any(own & set(f["lines"]) for f in inc)
            else:
                hit = any(set(f["lines"]) & where for f in inc)
            (found if hit else missed).append(it)
        stray = [f for f in inc if not set(f["lines"]) & gold_lines]
        coarse = g.get("coarse_passes") or []
        n214 = [f for f in gd.all_findings if f["check"] == "N214"]
        coarse_found = []
        for c in coarse:
            own = {c["line"]} if "line" in c else _quote_lines(gd, str(c.get("quote", "")), c.get("page"))
            if any(own & set(f["lines"]) for f in n214):
                coarse_found.append(c)
        out.append(
            {
                "seed": gp.stem,
                "items": items,
                "found": found,
                "missed": missed,
                "stray": stray,
                "inconsistent": len(inc),
                "coarse": coarse,
                "coarse_found": coarse_found,
            }
        )
    return out


def _gold_name(stem: str) -> str:
    return stem[:3] if stem[:3].isdigit() else stem


def gold_markdown(results: list[dict[str, Any]]) -> list[str]:
    md = [
        "| seed | gold items | found | narrative found | table found | inconsistent findings | stray findings "
        "| coarse passes as N214 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    tot = Counter[str]()
    for r in results:
        if "error" in r:
            md.append(f"| {r['seed']} | – | – | – | – | – | – | – ({r['error']}) |")
            continue
        nar = [i for i in r["items"] if i["category"] == "narrative"]
        nar_f = [i for i in r["found"] if i["category"] == "narrative"]
        tab = [i for i in r["items"] if i["category"] != "narrative"]
        tab_f = [i for i in r["found"] if i["category"] != "narrative"]
        md.append(
            f"| {_gold_name(r['seed'])} | {len(r['items'])} | {len(r['found'])} | {len(nar_f)}/{len(nar)} | "
            f"{len(tab_f)}/{len(tab)} | {r['inconsistent']} | {len(r['stray'])} | "
            f"{len(r['coarse_found'])}/{len(r['coarse'])} |"
        )
        tot.update(
            items=len(r["items"]),
            found=len(r["found"]),
            nar=len(nar),
            nar_f=len(nar_f),
            tab=len(tab),
            tab_f=len(tab_f),
            inc=r["inconsistent"],
            stray=len(r["stray"]),
            coarse=len(r["coarse"]),
            coarse_f=len(r["coarse_found"]),
        )
    md.append(
        f"| **all** | {tot['items']} | {tot['found']} | {tot['nar_f']}/{tot['nar']} | {tot['tab_f']}/{tot['tab']} "
        f"| {tot['inc']} | {tot['stray']} | {tot['coarse_f']}/{tot['coarse']} |"
    )
    md += ["", "Gold items missed:", ""]
    any_missed = False
    for r in results:
        for it in r.get("missed", []):
            any_missed = True
            where = f"line {it['line']}" if "line" in it else f"page {it.get('page')}"
            md.append(
                f"- {_gold_name(r['seed'])} {it['id']} {where} ({it['category']}, {it['error_kind']}): "
                f"“{str(it['quote']).strip()}” — {str(it.get('explanation', '')).strip()}"
            )
    if not any_missed:
        md.append("- none")
    md += ["", "Inconsistent findings on no gold line (stray):", ""]
    any_stray = False
    for r in results:
        for f in r.get("stray", []):
            any_stray = True
            md.append(f"- {_gold_name(r['seed'])} {one_line(short_finding(f))}")
    if not any_stray:
        md.append("- none")
    return md
