"""Mutation benchmark and gold benchmark for the narrative checks (issue 3, item 6).

Mutation: take clean reports (seeds 000 and 001, seed 002 and the six corpus PDFs with
their real errors subtracted, and wording/spacing variants of 000 and 001), inject one realistic error
per mutant with :mod:`reconcile.mutation`, run the checker on every mutant and report
recall per kind and false flags per document. Gold: compare the checker's findings on
every seed with the hand-built annotation in corpora/gold/*.yaml.

    python scripts/bench_mutation.py                  # both; writes docs/benchmark.md
    python scripts/bench_mutation.py --gold           # gold benchmark only (printed)
    python scripts/bench_mutation.py --per-kind 8 --jobs 2 --seed 0 --no-write
"""

from __future__ import annotations

import argparse
import bisect
import multiprocessing as mp
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
GOLD = ROOT / "corpora" / "gold"
DOC_PAGE = ROOT / "docs" / "benchmark.md"

sys.path.insert(0, str(ROOT / "src"))

from reconcile import __version__  # noqa: E402
from reconcile.api import check_text  # noqa: E402
from reconcile.mutation import (  # noqa: E402
    KINDS,
    VARIANTS,
    Mutant,
    baseline_keys,
    evaluate,
    generate_mutants,
    inconsistent_findings,
)
from reconcile.rules import Rules, load_rules  # noqa: E402

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


@dataclass
class Result:
    kind: str
    doc: str
    line: int
    old: str
    new: str
    description: str
    detected: bool
    hits: list[str] = field(default_factory=list)
    false_flags: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    seconds: float = 0.0


# ------------------------------------------------------------------------------ corpus
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


# ------------------------------------------------------------------------------ running
_RULES: Rules | None = None
_BASE: dict[str, set[Any]] = {}


def _short(f: dict[str, Any]) -> str:
    return f"{f['check']} (lines {', '.join(str(n) for n in f['lines'][:4])}): {f['message']}"


def _run_one(m: Mutant) -> Result:
    t0 = time.perf_counter()
    rep = check_text(m.text, path=m.doc, rules=_RULES).to_dict()
    o = evaluate(m, rep, _BASE[m.doc])
    return Result(
        kind=m.kind,
        doc=m.doc,
        line=m.line,
        old=m.old,
        new=m.new,
        description=m.description,
        detected=o.detected,
        hits=[_short(f) for f in o.hits],
        false_flags=[_short(f) for f in o.false_flags],
        edited=[
            f"{c.get('id')} {c.get('quantity')} “{str(c.get('text', '')).strip()}” → {c.get('status')}"
            f" ({c.get('reason', '')})"
            for c in o.edited_claims
        ],
        seconds=time.perf_counter() - t0,
    )


def run_mutants(docs: list[Doc], mutants: list[Mutant], rules: Rules, jobs: int) -> list[Result]:
    global _RULES
    _RULES = rules
    _BASE.clear()
    _BASE.update({d.name: baseline_keys(d.report) for d in docs})
    if jobs <= 1:
        return [_run_one(m) for m in mutants]
    # fork after the warm-up: the workers inherit the loaded pipeline and rules
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as pool:
        return pool.map(_run_one, mutants, chunksize=4)


# ------------------------------------------------------------------------------ coverage
_SITE_QUANTITY = {
    "rate": ("rate",),
    "change": ("change",),
    "share": ("share",),
    "completion": ("completion",),
    "amount": ("amount",),
}


def coverage(docs: list[Doc]) -> list[tuple[str, int, int, list[str]]]:
    """Per claim quantity: narrative claims with a non-zero number, how many are verified
    (so mutable), and the others with the checker's reason."""
    rows = []
    for q in ("rate", "change", "share", "completion", "amount"):
        total = verified = 0
        others: list[str] = []
        for d in docs:
            if "~" in d.name:
                continue
            for c in d.report["claims"]:
                if c["quantity"] != q or not c.get("value"):
                    continue
                if q == "amount" and c.get("unit") not in ("万元", "元", "亿元"):
                    continue
                total += 1
                if c.get("status") == "verified":
                    verified += 1
                else:
                    others.append(
                        f"{d.name} line {c['line']}: “{str(c['text']).strip()}” — {c.get('status')}: {c.get('reason')}"
                    )
        rows.append((q, total, verified, others))
    return rows


# ------------------------------------------------------------------------------ gold
PDFS = ROOT / "corpora" / "pdf"


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
    from reconcile.api import check_loaded
    from reconcile.ingest import load_document
    from reconcile.numbers import fold_text

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
    from reconcile.numbers import fold_text

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
            md.append(f"- {_gold_name(r['seed'])} {_one_line(_short(f))}")
    if not any_stray:
        md.append("- none")
    return md


# ------------------------------------------------------------------------------ report
def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def _one_line(s: str) -> str:
    return " ".join(s.split())


def mutation_markdown(
    docs: list[Doc], mutants: list[Mutant], results: list[Result], seconds: float, args: argparse.Namespace
) -> list[str]:
    md: list[str] = []
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    md += [
        "### Recall per kind",
        "",
        "| kind | mutants | detected | recall | mutants with a false flag |",
        "|---|---:|---:|---:|---:|",
    ]
    all_n = all_d = all_ff = 0
    for k in KINDS:
        rs = by_kind.get(k, [])
        n, det = len(rs), sum(r.detected for r in rs)
        ff = sum(bool(r.false_flags) for r in rs)
        all_n, all_d, all_ff = all_n + n, all_d + det, all_ff + ff
        md.append(f"| {k} | {n} | {det} | {_pct(det, n)} | {ff} |")
    md.append(f"| **all** | {all_n} | {all_d} | {_pct(all_d, all_n)} | {all_ff} |")

    md += [
        "",
        "### Documents and false flags",
        "",
        "False flags per mutated document = new inconsistent findings (not in the clean run) that do not touch "
        "the edit. *Clean* = inconsistent findings on the unmutated text (the real errors of 002 and of the PDFs, "
        "subtracted from their mutants as baseline; *of which gold* counts those on a gold line of the seeds).",
        "",
        "| document | source | clean: inconsistent findings | of which gold | mutants | detected | false flags "
        "per mutant (mean / max) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    per_doc: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        per_doc[r.doc].append(r)
    for d in docs:
        rs = per_doc.get(d.name, [])
        ffs = [len(r.false_flags) for r in rs]
        mean = sum(ffs) / len(ffs) if ffs else 0.0
        clean_inc = len(inconsistent_findings(d.report))
        md.append(
            f"| {d.name} | {d.source} | {clean_inc} | {d.known()} | {len(rs)} | "
            f"{sum(r.detected for r in rs)} | {mean:.2f} / {max(ffs, default=0)} |"
        )
    ffs_all = [len(r.false_flags) for r in results]
    md.append(
        f"| **all** | | {sum(len(inconsistent_findings(d.report)) for d in docs)} | | {len(results)} | "
        f"{sum(r.detected for r in results)} | "
        f"{(sum(ffs_all) / len(ffs_all) if ffs_all else 0):.2f} / {max(ffs_all, default=0)} |"
    )
    clean_flags = [(d.name, f) for d in docs for f in inconsistent_findings(d.report)]
    if clean_flags:
        md.append("")
    for name, f in clean_flags:
        md.append(f"- clean {name}: {_one_line(_short(f))}")

    md += ["", "### Missed mutants", ""]
    missed = [r for r in results if not r.detected]
    if not missed:
        md.append("- none")
    for r in missed:
        md.append(
            f"- **{r.kind}** {r.doc} line {r.line}: `{_one_line(r.old)}` → `{_one_line(r.new)}` — "
            f"{_one_line(r.description)}"
        )
        for e in r.edited:
            md.append(f"  - edited claim in the mutant: {_one_line(e)}")
        for msg in r.false_flags:
            md.append(f"  - flagged instead: {_one_line(msg)}")
    md += ["", "### False flags on mutants", ""]
    flagged = [r for r in results if r.false_flags]
    if not flagged:
        md.append("- none")
    for r in flagged:
        md.append(
            f"- **{r.kind}** {r.doc} line {r.line}: `{_one_line(r.old)}` → `{_one_line(r.new)}` "
            f"({'detected' if r.detected else 'missed'})"
        )
        for msg in r.false_flags:
            md.append(f"  - {_one_line(msg)}")

    md += [
        "",
        "### Mutable sites",
        "",
        "Mutants are drawn only from numbers whose check is verified in the clean run (an error elsewhere cannot be "
        "caught by construction). Narrative claims with a non-zero number in the mutated documents (variants excluded), and how "
        "many of them are verified:",
        "",
        "| claim quantity | claims | verified | not verified |",
        "|---|---:|---:|---:|",
    ]
    cov = coverage(docs)
    for q, total, verified, _ in cov:
        md.append(f"| {q} | {total} | {verified} | {total - verified} |")
    md += ["", "<details><summary>claims not verified (cannot be mutated), with the checker's reason</summary>", ""]
    for q, _, _, others in cov:
        for o in others:
            md.append(f"- {q}: {_one_line(o)}")
    md += ["", "</details>", ""]

    md += ["### All mutants", "", "<details><summary>every mutant and its outcome</summary>", ""]
    for r in results:
        md.append(
            f"- {'✔' if r.detected else '✘'} {r.kind} {r.doc} line {r.line}: {_one_line(r.description)}"
            + (f" — caught by {_one_line(r.hits[0])[:160]}" if r.hits else "")
        )
    md += ["", "</details>"]
    return md


def write_page(mut_md: list[str], gold_md: list[str], args: argparse.Namespace, seconds: float, n: int) -> str:
    cmd = "python scripts/bench_mutation.py"
    if args.per_kind != 8 or args.seed != 0:
        cmd += f" --per-kind {args.per_kind} --seed {args.seed}"
    head = [
        "# Benchmark: narrative checks",
        "",
        "Generated by `scripts/bench_mutation.py` — do not edit by hand. Reproduce with:",
        "",
        "```sh",
        f"{cmd}            # writes this page ({n} mutants, ~{seconds:.0f} s with --jobs {args.jobs})",
        "python scripts/bench_mutation.py --gold     # the gold part only, printed",
        "pytest tests/test_mutation.py               # the fast subset (seed 000, 2 mutants per kind)",
        "```",
        "",
        f"reconcile {__version__}, rules {load_rules().version}, seed {args.seed}, up to {args.per_kind} mutants per "
        "kind and document.",
        "",
        "## Mutation benchmark",
        "",
        "Each mutant is a clean report with exactly one realistic error injected (`src/reconcile/mutation.py`); "
        "the rest of the text is byte-identical. Mutated numbers are always ones whose check is verified in the "
        "clean report, and every numeric edit is re-verified independently with interval arithmetic on printed "
        "decimals: the new value misses the interval its inputs allow by at least one unit of its last digit "
        "(rates, shares and completions also allow truncation). Among the one-digit edits (±1…5, no carry, no "
        "leading zero) the least significant digit that clearly breaks the check is changed.",
        "",
        "| kind | edit |",
        "|---|---|",
        "| rate | one digit of a verified growth/decline rate (下降10.2% → 下降10.5%) |",
        "| change | one digit of the 增加/减少 amount a verified rate derives from |",
        "| share | one digit of a verified 占 …% |",
        "| completion | one digit of a verified 完成预算…的 …% |",
        "| transposed | two adjacent different digits of an amount that equals its table cell (611.98 → 619.18) |",
        "| direction | one word of a change/rate pair flipped (减少…下降 → 增加…下降, or the rate's word) |",
        "| unit | 万元 → 元 on an amount that equals its table cell |",
        "| cell | one digit of a table cell whose value a verified narrative amount states (printed decimals kept): "
        "half the draws the cell the claim was matched to (smallest edit that clearly misses the claim), half "
        "another cell of the same value, e.g. the same figure in another table (changed by at least 1万元, so "
        "that the tables' identities must see it); tables the checker reports as unreadable (I002: layout "
        "text whose blank cells could not be placed) are not drawn from, since no check reads them |",
        "| component | one item of a 其中 list whose total is verified (raised, so that the parts exceed the total) |",
        "",
        "A mutant is **detected** when a new inconsistent finding (not in the clean run) has a span that overlaps "
        "the edit — for `cell`, the cell or a claim quoting it; for `direction`, the change/rate clause. A **false "
        "flag** is a new inconsistent finding that does not. Findings are compared by check code and spans "
        "(shifted back for edits that change the length), not by message.",
        "",
        "Documents: seeds 000 (决算, tab-separated tables) and 001 (预算, markdown), both clean in the gold; seeds 002 "
        "(决算, pdftotext layout), 003 (narrative only) and 004 (markdown + HTML) with their real errors subtracted "
        "as baseline; synthesized clean variants of 000 and 001: `~wording` (较上年/同比 for 比上年, 增幅/降幅 for "
        "增长/下降 before a number) and `~spaced` (narrative spaced like pdftotext: “收入 611.98 万元，下降 10.2 %”); "
        "the six corpus PDFs (Jiangsu and Shanghai 预算, a Shanghai 决算) read to text, their real errors subtracted "
        "as baseline; and `layout:` — five of those PDFs and four rendered seeds as `pdftotext -layout` text "
        "(corpora/layout/, tables without their blank cells).",
        "",
    ]
    gold_head = [
        "",
        "## Gold benchmark",
        "",
        "The hand-built annotation corpora/gold/*.yaml against the checker's inconsistent findings. A narrative "
        "gold item is found when a finding's `lines` contain its `line`; a table item when they meet `line` + "
        "`related_lines`. *Stray* = an inconsistent finding on no gold item's line or related lines. Coarse "
        "passes (claims that pass only thanks to coarse rounding) are counted as found when an N214 finding "
        "stands on their line.",
        "",
    ]
    return "\n".join([*head, *mut_md, *gold_head, *gold_md]) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", action="store_true", help="run the gold benchmark only and print it")
    ap.add_argument("--per-kind", type=int, default=8, help="mutants per kind and document (default 8)")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the mutant choice (default 0)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument(
        "--no-pdf", action="store_true", help="skip the corpus PDFs (as mutation documents and as gold files)"
    )
    ap.add_argument("--no-write", action="store_true", help=f"print only, do not write {DOC_PAGE.relative_to(ROOT)}")
    args = ap.parse_args(argv)

    rules = load_rules()
    if args.gold:
        print("\n".join(gold_markdown(gold_results(rules, pdf=not args.no_pdf))))
        return 0
    t0 = time.perf_counter()
    docs = load_corpus(rules, pdfs=not args.no_pdf)
    mutants: list[Mutant] = []
    for d in docs:
        mutants.extend(generate_mutants(d.text, d.report, doc=d.name, seed=args.seed, per_kind=args.per_kind))
    results = run_mutants(docs, mutants, rules, args.jobs)
    seconds = time.perf_counter() - t0
    mut_md = mutation_markdown(docs, mutants, results, seconds, args)
    gold_md = gold_markdown(gold_results(rules, pdf=not args.no_pdf))
    page = write_page(mut_md, gold_md, args, seconds, len(mutants))
    if args.no_write:
        print(page)
    else:
        DOC_PAGE.write_text(page, encoding="utf-8")
        print("\n".join(mut_md[: mut_md.index("### Missed mutants")]))
        print(f"wrote {DOC_PAGE.relative_to(ROOT)} ({len(mutants)} mutants, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
