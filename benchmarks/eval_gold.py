"""Score reconcile against the gold annotations in corpora/gold/.

python3 scripts/eval_gold.py            # every gold file (seeds and PDFs)
python3 scripts/eval_gold.py --missed   # also list every missed item and stray flag
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reconcile.api import check_document

from .evaluation import load_gold, score

ROOT = Path(__file__).resolve().parents[1]


def source_paths(document: str) -> list[Path]:
    names = document.split("+")
    out = []
    for n in names:
        for folder in ("seeds", "pdf"):
            p = ROOT / "corpora" / folder / n
            if p.exists():
                out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--missed", action="store_true")
    args = ap.parse_args()
    rows = []
    tot_items = tot_found = tot_stray = 0
    for gp in sorted((ROOT / "corpora" / "gold").glob("*.yaml")):
        gold = load_gold(gp)
        paths = source_paths(gold["document"])
        if not paths:
            print(f"skip {gp.name}: source not found", file=sys.stderr)
            continue
        if len(paths) > 1:
            from reconcile.api import check_loaded
            from reconcile.pdf import load_documents

            rep = check_loaded(load_documents([str(p) for p in paths]))
        else:
            rep = check_document(paths[0])
        data = rep.to_dict()
        sc = score(gold, data, rep.document.text)
        tot_items += sc.items
        tot_found += len(sc.found)
        tot_stray += len(sc.stray)
        rows.append(f"| {gp.stem} | {sc.items} | {len(sc.found)} | {len(sc.stray)} |")
        if args.missed:
            for g in sc.missed:
                print(
                    f"MISSED {gp.stem} {g['id']} {g.get('error_kind')} {g.get('line', g.get('page'))} {g.get('quote', '')[:50]}"
                )
            for f in sc.stray:
                print(f"STRAY  {gp.stem} {f['check']} lines {f.get('lines')} {f['message'][:160]}")
    print("| gold file | gold items | found | stray flags |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    print(f"| **all** | {tot_items} | {tot_found} | {tot_stray} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
