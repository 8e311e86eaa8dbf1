"""Parity of the two PDF readers: pdfium (the default) against pdfminer, on every corpus PDF.

    python3 scripts/pdf_parity.py                 # corpora/ and ../shared/corpus: text, tables, claims, findings
    python3 scripts/pdf_parity.py --text-only     # only the text and tables (faster)
    python3 scripts/pdf_parity.py --show 20       # print up to 20 differing lines per document
    python3 scripts/pdf_parity.py --only NAME     # documents whose name contains NAME

Each document (a two-file report of pdf2.tsv as one, as `reconcile check NARR TABLES`) is read
with ``reader="pdfminer"`` and ``reader="pdfium"`` (`reconcile.pdf.read_pdfs`). The script
reports, per document: pages, the time of each reader's PDF stage, the lines of the text
that differ, the tables found, and then checks both Documents (`reconcile.api.check_loaded`)
and lists the claims and findings that differ (as `scripts/snapshot.py diff` does, places
ignored). The last line sums it up; the exit status is 1 when any document differs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from snapshot import SHARED, _normalise, jobs

# where a claim, cell or finding sits in the text and on the page: offsets move when a space
# more or less is read before them, so the comparison leaves them out
_POSITIONS = frozenset(
    ("id", "span", "spans", "number_span", "line", "lines", "bbox", "section_id", "claims", "caused_by", "consequences")
)


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in _POSITIONS}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The claims and findings of one reading and not the other (as multisets, positions left out)."""
    out: list[str] = []
    for kind in ("claims", "findings"):
        ca = Counter(json.dumps(_strip(x), ensure_ascii=False, sort_keys=True) for x in a.get(kind, []))
        cb = Counter(json.dumps(_strip(x), ensure_ascii=False, sort_keys=True) for x in b.get(kind, []))
        out += [f"{kind} only with pdfminer: {k}" for k in sorted((ca - cb).elements())]
        out += [f"{kind} only with pdfium: {k}" for k in sorted((cb - ca).elements())]
    return out


def _read(files: list[str], reader: str) -> tuple[Any, float]:
    from reconcile.pdf import read_pdfs

    items = [(Path(f).read_bytes(), f) for f in files]
    t = time.perf_counter()
    doc = read_pdfs(items, reader=reader)
    return doc, time.perf_counter() - t


def compare_one(job: tuple[str, list[str], bool, int]) -> dict[str, Any]:
    """Read one document with both readers and compare what comes out."""
    from reconcile.api import check_loaded

    name, files, text_only, show = job
    try:
        a, ta = _read(files, "pdfminer")
        b, tb = _read(files, "pdfium")
    except Exception as exc:
        return {"name": name, "error": f"{type(exc).__name__}: {exc}"}
    la, lb = a.text.splitlines(), b.text.splitlines()
    diff = [
        line
        for line in difflib.unified_diff(la, lb, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("---", "+++")
    ]
    out: dict[str, Any] = {
        "name": name,
        "pages": len(b.pages),
        "t_pdfminer": ta,
        "t_pdfium": tb,
        "text_lines": len(diff),
        "lines": diff[:show],
        "tables": (len(a.raw_tables), len(b.raw_tables)),
        "notes": ([n.message for n in a.problems], [n.message for n in b.problems]),
        "checks": [],
    }
    if not text_only:
        ra = _normalise(json.loads(json.dumps(check_loaded(a).to_dict(), ensure_ascii=False)))
        rb = _normalise(json.loads(json.dumps(check_loaded(b).to_dict(), ensure_ascii=False)))
        out["checks"] = _compare(ra, rb)
    return out


def _print(r: dict[str, Any], show: int) -> None:
    if "error" in r:
        print(f"{r['name']}: ERROR {r['error']}")
        return
    ta, tb = r["t_pdfminer"], r["t_pdfium"]
    flag = "" if not (r["text_lines"] or r["checks"]) else "  DIFFERS"
    print(
        f"{r['name']}: {r['pages']} p, pdfminer {ta:.2f} s, pdfium {tb:.2f} s ({tb / ta:.2f}x); "
        f"text lines differing {r['text_lines']}; tables {r['tables'][0]} -> {r['tables'][1]}; "
        f"claims/findings differing {len(r['checks'])}{flag}"
    )
    if r["notes"][0] != r["notes"][1]:
        print(f"    notes: {r['notes'][0]} -> {r['notes'][1]}")
    if show:
        for line in r["lines"]:
            print(f"    {line[:160]}")
        for line in r["checks"][:show]:
            print(f"    {line[:240]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text-only", action="store_true", help="compare text and tables only, not claims and findings")
    ap.add_argument("--show", type=int, default=0, help="differing lines to print per document")
    ap.add_argument("--only", default="", help="documents whose name contains this")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared corpus (default ../shared/corpus)")
    args = ap.parse_args(argv)
    todo = [
        (name, files, args.text_only, args.show)
        for name, files in jobs(True, args.shared)
        if all(f.endswith(".pdf") for f in files) and args.only in name
    ]
    results = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for r in pool.map(compare_one, todo, chunksize=1):
            _print(r, args.show)
            results.append(r)
    ok = [r for r in results if "error" not in r]
    same_text = sum(1 for r in ok if not r["text_lines"])
    same_checks = sum(1 for r in ok if not r["checks"])
    pages = sum(r["pages"] for r in ok)
    ta, tb = sum(r["t_pdfminer"] for r in ok), sum(r["t_pdfium"] for r in ok)
    print(
        f"{len(results)} documents, {pages} pages: same text {same_text}, "
        f"same claims and findings {same_checks}{' (not compared)' if args.text_only else ''}; "
        f"errors {len(results) - len(ok)}; PDF stage pdfminer {ta:.1f} s, pdfium {tb:.1f} s ({tb / max(ta, 1e-9):.2f}x)"
    )
    same = len(ok) == len(results) == same_text and (args.text_only or same_checks == len(ok))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
