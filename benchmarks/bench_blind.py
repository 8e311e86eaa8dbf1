"""Blind mutation benchmark: errors injected where a plain pattern finds a number, not
where the checker verified one.

The mutation benchmark (scripts/bench_mutation.py) mutates only numbers whose check is
verified in the clean run, so it measures whether a verified check catches its error.
This one measures coverage: every money amount (… 万元) and every percentage after a
rate, share or completion word in the narrative is edited, whether or not the checker
read it, and the report says which edits were caught and, for the others, what the clean
run said of the number. Some edits cannot be caught by anyone (a threshold such as
“单价50万元以上”, a performance indicator with nothing to compare it with); the list of
misses shows them next to the real gaps.

    python3 scripts/bench_blind.py               # writes docs/benchmark_blind.md
    python3 scripts/bench_blind.py --no-write    # prints the summary only

Edits: an amount has two adjacent different digits swapped (the rightmost such pair,
611.98 → 611.89); a percentage has its units digit raised by 3 (10.2% → 13.2%). Both
are well outside printed rounding in most places, so a miss is a coverage gap or a
number with nothing to check against. Detected and false flag mean what they mean in
the mutation benchmark (benchmarks.mutation.evaluate).
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from reconcile import __version__
from reconcile.rules import Rules, load_rules

from .corpus import ROOT, Doc, load_corpus
from .mutation import Mutant
from .runner import Result as MutantResult
from .runner import run_mutants

PAGE = ROOT / "docs" / "benchmark_blind.md"
PCT_RE = re.compile(
    r"(增长|下降|增加|减少|上升|降低|增幅|降幅|占|完成|执行率|比重|比例)[^%，。；\n\d]{0,14}?(\d+(?:\.\d+)?)\s*%"
)
AMOUNT_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*万元")


def swap_digits(num: str) -> str | None:
    """The rightmost pair of adjacent different digits swapped (no leading zero made)."""
    pos = [i for i, ch in enumerate(num) if ch.isdigit()]
    for a, b in zip(pos[-2::-1], pos[:0:-1], strict=True):
        if b != a + 1 and num[a + 1] not in ".,":
            continue
        if num[a] != num[b] and not (a == pos[0] and num[b] == "0"):
            chars = list(num)
            chars[a], chars[b] = chars[b], chars[a]
            return "".join(chars)
    return None


def raise_units(num: str) -> str:
    """The units digit raised by 3 (mod 10; a leading digit never becomes 0: then by 4)."""
    i = len(num.split(".")[0]) - 1
    new = (int(num[i]) + 3) % 10
    if i == 0 and new == 0:
        new = (int(num[i]) + 4) % 10
    return num[:i] + str(new) + num[i + 1 :]


def _table_lines(report: dict[str, Any]) -> set[int]:
    out: set[int] = set()
    for t in report.get("tables", []):
        lines = t.get("lines") or []
        if len(lines) == 2:
            out.update(range(lines[0], lines[1] + 1))
    return out


def sites(doc: Doc, per_kind: int, rng: random.Random) -> list[Mutant]:
    starts = [0] + [m.end() for m in re.finditer("\n", doc.text)]
    in_table = _table_lines(doc.report)
    bad = {
        c["id"]
        for f in doc.report["findings"]
        if f["status"] == "inconsistent"
        for c in [{"id": x} for x in f.get("claims", [])]
    }
    flagged = {
        pos
        for c in doc.report["claims"]
        if c["id"] in bad and c.get("number_span")
        for pos in range(c["number_span"][0], c["number_span"][1])
    }
    out: list[Mutant] = []
    for kind, rx, group, edit in (("percent", PCT_RE, 2, raise_units), ("amount", AMOUNT_RE, 1, swap_digits)):
        found = []
        for m in rx.finditer(doc.text):
            a, b = m.span(group)
            num = m.group(group)
            line = bisect.bisect_right(starts, a)
            if line in in_table or float(num.replace(",", "")) == 0 or a in flagged:
                continue  # a number the clean run already flags: a second error on it cannot be told apart
            new = edit(num)
            if new is None or new == num:
                continue
            found.append((a, b, num, new, line))
        rng.shuffle(found)
        for a, b, num, new, line in sorted(found[:per_kind]):
            text = doc.text[:a] + new + doc.text[b:]
            out.append(
                Mutant(
                    kind=kind,
                    doc=doc.name,
                    text=text,
                    span=(a, a + len(new)),
                    original_span=(a, b),
                    old=num,
                    new=new,
                    description=f"{num} → {new}",
                    line=line,
                    targets=((a, a + len(new)),),
                )
            )
    return out


@dataclass
class Result(MutantResult):
    """The mutation benchmark's result, with the clean run's word on the edited number."""

    clean_status: str = ""  # what the clean run said of the claim reading this number
    context: str = ""


def run(docs: list[Doc], mutants: list[Mutant], rules: Rules, jobs: int) -> list[Result]:
    """Check every mutant with the mutation benchmark's runner, then say what the clean run
    said of each edited number."""
    claims = {d.name: d.report["claims"] for d in docs}
    out = []
    for m, r in zip(mutants, run_mutants(docs, mutants, rules, jobs), strict=True):
        a = m.original_span[0]
        read = [c for c in claims[m.doc] if c.get("number_span") and c["number_span"][0] <= a < c["number_span"][1]]
        status = f"{read[0]['status']}: {read[0].get('reason', '')}" if read else "no claim reads this number"
        ctx = m.text[max(0, m.span[0] - 30) : m.span[1] + 6].replace("\n", " ")
        out.append(Result(**vars(r), clean_status=status, context=ctx))
    return out


def _why(status: str) -> str:
    """The clean run's word on a missed number, without its particulars."""
    if status.startswith("verified: consistent with"):
        return "verified only as consistent with another claim (no cell of its own): the edit fits its rounding"
    if status.startswith("verified"):
        return "verified by its own arithmetic: the edit stays within the rounding its inputs allow"
    if status.startswith("unverifiable"):
        return re.split(r"[“:：(（]", status.split(": ", 1)[1])[0].strip()
    return status


def markdown(results: list[Result], seconds: float, args: argparse.Namespace) -> str:
    lines = [
        "# Benchmark: blind mutation (coverage)",
        "",
        "Generated by `scripts/bench_blind.py` — do not edit by hand. Reproduce with "
        f"`python3 scripts/bench_blind.py` (seed {args.seed}, up to {args.per_kind} sites per kind and "
        f"document, {len(results)} mutants, {seconds:.0f} s with --jobs {args.jobs}; reconcile {__version__}).",
        "",
        "Unlike [benchmark.md](benchmark.md), the edited numbers are found by a plain pattern, not by the "
        "checker: every `… 万元` amount and every percentage after 增长/下降/占/完成/执行率 … in the "
        "narrative (variants excluded). An amount has two adjacent digits swapped; a percentage has its units "
        "digit raised by 3. A miss is either a coverage gap or a number nothing in the document can check "
        "(the clean run's reason is listed).",
        "",
        "| kind | mutants | detected | recall | mutants with a false flag |",
        "|---|---:|---:|---:|---:|",
    ]
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    for kind in ("amount", "percent"):
        rs = by_kind.get(kind, [])
        if not rs:
            continue
        det = sum(r.detected for r in rs)
        lines.append(
            f"| {kind} | {len(rs)} | {det} | {100 * det / len(rs):.1f}% | {sum(bool(r.false_flags) for r in rs)} |"
        )
    det = sum(r.detected for r in results)
    lines.append(
        f"| **all** | {len(results)} | {det} | {100 * det / max(1, len(results)):.1f}% | "
        f"{sum(bool(r.false_flags) for r in results)} |"
    )
    lines += ["", "## Per document", "", "| document | mutants | detected |", "|---|---:|---:|"]
    per_doc: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        per_doc[r.doc].append(r)
    for name, rs in per_doc.items():
        lines.append(f"| {name} | {len(rs)} | {sum(r.detected for r in rs)} |")
    missed = [r for r in results if not r.detected]
    why = Counter(_why(r.clean_status) for r in missed)
    lines += ["", "## Why the misses were missed (the clean run's word on the number)", ""]
    lines += [f"- {n} × {w}" for w, n in why.most_common()]
    lines += ["", "<details><summary>every miss</summary>", ""]
    for r in missed:
        lines.append(f"- {r.kind} {r.doc} line {r.line}: {r.old} → {r.new} — “…{r.context}…” — {r.clean_status[:140]}")
    lines += ["", "</details>", ""]
    flagged = [r for r in results if r.false_flags]
    if flagged:
        lines += ["## False flags", ""]
        lines += [f"- {r.kind} {r.doc} line {r.line}: {r.old} → {r.new}: {'; '.join(r.false_flags)}" for r in flagged]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-kind", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rules = load_rules()
    docs = [d for d in load_corpus(rules) if "~" not in d.name]
    rng = random.Random(args.seed)
    mutants = [m for d in docs for m in sites(d, args.per_kind, rng)]
    results = run(docs, mutants, rules, args.jobs)
    page = markdown(results, time.perf_counter() - t0, args)
    summary = page.split("## Per document")[0]
    print(summary)
    if not args.no_write:
        PAGE.write_text(page, encoding="utf-8")
        print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
