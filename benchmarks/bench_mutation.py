"""Mutation benchmark and gold benchmark for the narrative checks (issue 3, item 6).

Mutation: take clean reports (seeds 000 and 001, seed 002 and the six corpus PDFs with
their real errors subtracted, and wording/spacing variants of 000 and 001), inject one realistic error
per mutant with :mod:`benchmarks.mutation`, run the checker on every mutant and report
recall per kind and false flags per document. Gold: compare the checker's findings on
every seed with the hand-built annotation in corpora/gold/*.yaml.

    python scripts/bench_mutation.py                  # both; writes docs/benchmark.md
    python scripts/bench_mutation.py --gold           # gold benchmark only (printed)
    python scripts/bench_mutation.py --per-kind 8 --jobs 2 --seed 0 --no-write
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from reconcile import __version__
from reconcile.rules import load_rules

from .corpus import ROOT, Doc, load_corpus
from .gold import gold_markdown, gold_results
from .mutation import KIND_CAUSE, KINDS, Mutant, generate_mutants, inconsistent_findings
from .runner import Result, one_line, run_mutants, short_finding

DOC_PAGE = ROOT / "docs" / "benchmark.md"


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


# ------------------------------------------------------------------------------ report
def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def _by(results: list[Result], key: str) -> dict[str, list[Result]]:
    """Results grouped by one of their fields (``kind`` or ``doc``), in order."""
    out: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        out[getattr(r, key)].append(r)
    return out


def _recall_section(results: list[Result]) -> list[str]:
    md = [
        "### Recall per kind",
        "",
        "| kind | mutants | detected | recall | mutants with a false flag |",
        "|---|---:|---:|---:|---:|",
    ]
    by_kind = _by(results, "kind")
    all_n = all_d = all_ff = 0
    for k in KINDS:
        rs = by_kind.get(k, [])
        n, det = len(rs), sum(r.detected for r in rs)
        ff = sum(bool(r.false_flags) for r in rs)
        all_n, all_d, all_ff = all_n + n, all_d + det, all_ff + ff
        md.append(f"| {k} | {n} | {det} | {_pct(det, n)} | {ff} |")
    md.append(f"| **all** | {all_n} | {all_d} | {_pct(all_d, all_n)} | {all_ff} |")
    return md


def cause_accuracy(results: list[Result]) -> dict[str, tuple[int, int, dict[str, int]]]:
    """Per kind with a cause rule: detected mutants, how many were given the injected cause first,
    and the causes given instead."""
    out: dict[str, tuple[int, int, dict[str, int]]] = {}
    for k in KINDS:
        if k not in KIND_CAUSE:
            continue
        rs = [r for r in _by(results, "kind").get(k, []) if r.detected]
        other: dict[str, int] = defaultdict(int)
        for r in rs:
            if r.cause != KIND_CAUSE[k]:
                other[str(r.cause)] += 1
        out[k] = (len(rs), len(rs) - sum(other.values()), dict(other))
    return out


def _cause_section(results: list[Result]) -> list[str]:
    md = [
        "",
        "### Likely cause per kind",
        "",
        "Each inconsistent finding carries a likely cause (`likely_cause`, docs/checks.md). For each kind with a "
        "cause rule, the cause of the first finding that caught the mutant, findings ordered most certain first "
        "(as the reports list them), against the cause injected.",
        "",
        "| kind | injected cause | detected | given the injected cause | accuracy | causes given instead |",
        "|---|---|---:|---:|---:|---|",
    ]
    for k, (n, ok, other) in cause_accuracy(results).items():
        instead = ", ".join(f"{c} {m}" for c, m in sorted(other.items())) or "—"
        md.append(f"| {k} | {KIND_CAUSE[k]} | {n} | {ok} | {_pct(ok, n)} | {instead} |")
    return md


def _documents_section(docs: list[Doc], results: list[Result]) -> list[str]:
    md = [
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
    per_doc = _by(results, "doc")
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
        md.append(f"- clean {name}: {one_line(short_finding(f))}")
    return md


def _missed_and_flagged_sections(results: list[Result]) -> list[str]:
    md = ["", "### Missed mutants", ""]
    missed = [r for r in results if not r.detected]
    if not missed:
        md.append("- none")
    for r in missed:
        md.append(
            f"- **{r.kind}** {r.doc} line {r.line}: `{one_line(r.old)}` → `{one_line(r.new)}` — "
            f"{one_line(r.description)}"
        )
        for e in r.edited:
            md.append(f"  - edited claim in the mutant: {one_line(e)}")
        for msg in r.false_flags:
            md.append(f"  - flagged instead: {one_line(msg)}")
    md += ["", "### False flags on mutants", ""]
    flagged = [r for r in results if r.false_flags]
    if not flagged:
        md.append("- none")
    for r in flagged:
        md.append(
            f"- **{r.kind}** {r.doc} line {r.line}: `{one_line(r.old)}` → `{one_line(r.new)}` "
            f"({'detected' if r.detected else 'missed'})"
        )
        for msg in r.false_flags:
            md.append(f"  - {one_line(msg)}")
    return md


def _sites_section(docs: list[Doc]) -> list[str]:
    md = [
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
            md.append(f"- {q}: {one_line(o)}")
    md += ["", "</details>", ""]
    return md


def _all_mutants_section(results: list[Result]) -> list[str]:
    md = ["### All mutants", "", "<details><summary>every mutant and its outcome</summary>", ""]
    for r in results:
        md.append(
            f"- {'✔' if r.detected else '✘'} {r.kind} {r.doc} line {r.line}: {one_line(r.description)}"
            + (f" — caught by {one_line(r.hits[0])[:160]}" if r.hits else "")
        )
    md += ["", "</details>"]
    return md


def mutation_markdown(
    docs: list[Doc], mutants: list[Mutant], results: list[Result], seconds: float, args: argparse.Namespace
) -> list[str]:
    """The mutation part of the page: recall per kind, documents, misses and false flags,
    mutable sites, every mutant (``mutants``, ``seconds`` and ``args`` are not used)."""
    return [
        *_recall_section(results),
        *_cause_section(results),
        *_documents_section(docs, results),
        *_missed_and_flagged_sections(results),
        *_sites_section(docs),
        *_all_mutants_section(results),
    ]


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
        "Each mutant is a clean report with exactly one realistic error injected (`benchmarks/mutation/`); "
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
        print("\n".join(mut_md[: mut_md.index("### Documents and false flags")]))
        print(f"wrote {DOC_PAGE.relative_to(ROOT)} ({len(mutants)} mutants, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
