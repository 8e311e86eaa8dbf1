"""Check time per KB from 10 KB to 1 MB: claim extraction (and the whole check) is linear.

Three generated texts, each cut to every size of ``--sizes`` (KB of UTF-8):

* ``soup``: the number soup of issue 15, ``0 1 2 … 9 0 1 …`` (one clause without end);
* ``cjk``: numbers, units and Chinese words with no punctuation (“支出12.5万元增长3%…”);
* ``narrative``: the prose paragraphs of a seed report (lines with a 。), repeated, under
  its title line: real-looking narrative with real claims.

Each text is written to a temporary file and checked with :func:`reconcile.check_document`
(reading, sections, claims, checks: what ``reconcile check`` does) in this process, after
one warm-up check that loads the rules and the spaCy pipeline; the claim extraction alone
(:func:`reconcile.claims.extract_claims` on the loaded document: sections, spaCy spans,
claims) is timed too. Times are the best of ``--repeat`` runs; the peak RSS is the process's
so far (give ``--sizes`` in increasing order). The result is printed as a markdown table; time per KB that stays flat
as the size grows is linear work.

``--stages`` times the stages of the check one by one instead (best of ``--repeat``, at least 2):
reading the file, the tables and sections, the claim extraction, the claim checks
(:func:`reconcile.checks.check_claims`), and the whole check.

    python3 scripts/bench_size.py                          # 10 KB … 1 MB, all three texts
    python3 scripts/bench_size.py --sizes 10 80 --kinds soup
    python3 scripts/bench_size.py --stages --kinds narrative --sizes 100 1000 5120
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seeds" / "000_590c6e9490a39a18.txt"
SIZES_KB = (10, 20, 40, 80, 160, 320, 640, 1024)
KINDS = ("soup", "cjk", "narrative")


def cut(text: str, kb: int) -> str:
    """The longest prefix of ``text`` of at most ``kb`` KB of UTF-8 (``text`` is repeated as needed)."""
    limit = kb * 1024
    unit = max(1, len(text.encode("utf-8")))
    text = text * (limit // unit + 1)
    out = text.encode("utf-8")[:limit]
    return out.decode("utf-8", errors="ignore")


def soup(kb: int) -> str:
    """“0 1 2 … 9 0 1 …”: every number of one endless clause."""
    return cut(" ".join(str(i % 10) for i in range(20)) + " ", kb)


def cjk(kb: int) -> str:
    """Numbers with units among Chinese words, no punctuation."""
    parts = [f"支出{i}.{i % 10}万元增长{i % 7}%一般公共预算{i * 3}项" for i in range(1, 50)]
    return cut("".join(parts), kb)


def narrative(kb: int, seed: Path = SEED) -> str:
    """The seed's title, then its prose paragraphs repeated."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    title = next(x for x in lines if x.strip())
    prose = "\n".join(x for x in lines if "。" in x) + "\n"
    return title + "\n\n" + cut(prose, kb - max(1, len(title.encode("utf-8")) // 1024))


MAKERS: dict[str, Callable[[int], str]] = {"soup": soup, "cjk": cjk, "narrative": narrative}


def time_check(text: str, repeat: int) -> tuple[float, float, int]:
    """Best wall times of ``repeat`` checks of ``text`` (as a file) and of its claim
    extraction alone (sections and claims of the loaded document), and the claims found."""
    from reconcile import check_document
    from reconcile.claims import extract_claims
    from reconcile.ingest import load_document

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        best = best_claims = float("inf")
        claims = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            report = check_document(path)
            best = min(best, time.perf_counter() - t0)
            claims = len(report.claims)
            doc = load_document(path)
            t0 = time.perf_counter()
            extract_claims(doc)
            best_claims = min(best_claims, time.perf_counter() - t0)
    return best, best_claims, claims


def time_stages(text: str, repeat: int) -> tuple[int, list[float]]:
    """The claims of ``text`` (as a file) and the best times of the check's stages: reading,
    tables and sections, claim extraction, claim checks, the whole check (``check_loaded``)."""
    from reconcile.api import check_loaded
    from reconcile.checks import check_claims
    from reconcile.claims import extract_claims
    from reconcile.identities import check_tables_counted
    from reconcile.ingest import load_document
    from reconcile.rules import load_rules
    from reconcile.sections import split_sections
    from reconcile.tables import parse_tables, table_spans

    rules = load_rules()
    best: list[float] = []
    claims = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        for _ in range(max(2, repeat)):
            t = [time.perf_counter()]
            doc = load_document(path)
            t.append(time.perf_counter())
            tables = parse_tables(doc, rules)
            table_findings, _ = check_tables_counted(tables, rules)
            spans = table_spans(tables)
            sections = split_sections(doc, spans, rules=rules)
            t.append(time.perf_counter())
            found = extract_claims(doc, sections, tables_spans=spans, rules=rules)
            t.append(time.perf_counter())
            check_claims(doc, found, tables, rules, table_findings, sections)
            t.append(time.perf_counter())
            check_loaded(doc, rules)
            t.append(time.perf_counter())
            row = [b - a for a, b in pairwise(t)]
            best = row if not best else [min(a, b) for a, b in zip(best, row, strict=True)]
            claims = len(found)
    return claims, best


def stages(kinds: list[str], sizes: list[int], repeat: int) -> None:
    print(
        "| text | KB | claims | read s | tables, sections s | extraction s | checks s | whole check s | checks ms/KB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in kinds:
        for kb in sizes:
            text = MAKERS[kind](kb)
            size = len(text.encode("utf-8")) / 1024
            claims, t = time_stages(text, repeat)
            cells = " | ".join(f"{x:.2f}" for x in t)
            print(f"| {kind} | {size:.0f} | {claims} | {cells} | {1000 * t[3] / size:.2f} |", flush=True)


def _peak_mb() -> float:
    """Peak RSS of this process so far (sizes run in increasing order, so it is that of the largest yet)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="*", type=int, default=list(SIZES_KB), help="sizes in KB")
    ap.add_argument("--kinds", nargs="*", choices=KINDS, default=list(KINDS))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--stages", action="store_true", help="time the stages of the check one by one")
    args = ap.parse_args(argv)
    time_check(narrative(4), 1)  # warm-up: rules, pipeline
    if args.stages:
        stages(args.kinds, args.sizes, args.repeat)
        return 0
    print("| text | KB | claims | check s | check ms/KB | extraction s | extraction ms/KB | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in args.kinds:
        for kb in args.sizes:
            text = MAKERS[kind](kb)
            size = len(text.encode("utf-8")) / 1024
            seconds, extraction, claims = time_check(text, args.repeat)
            per_kb, ex_per_kb = 1000 * seconds / size, 1000 * extraction / size
            print(
                f"| {kind} | {size:.0f} | {claims} | {seconds:.2f} | {per_kb:.1f} | {extraction:.2f} | {ex_per_kb:.1f} "
                f"| {_peak_mb():.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
