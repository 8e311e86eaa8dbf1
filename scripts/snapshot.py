"""Behaviour snapshot: check every corpus file and write its JSON report, or diff two snapshots.

    python3 scripts/snapshot.py write OUT_DIR [--jobs 2] [--no-shared] [--shared DIR]
    python3 scripts/snapshot.py diff BEFORE_DIR AFTER_DIR [--common]
    python3 scripts/snapshot.py stats SNAPSHOT_DIR

`write` checks corpora/{seeds,pdf,layout,plain,rendered} and, when present, ../shared/corpus/pdf and
../shared/corpus/pdf2 (a two-file report of pdf2.tsv is checked as one report, as `check NARR TABLES`).
Each report is written as OUT_DIR/NAME.json with the fields that name the code that made it
(tool version, rules version) blanked, so two snapshots of the same behaviour are byte-equal.

`diff` prints, per document, which findings and claims changed (added, removed, or with another
status/message) and exits 1 when anything differs. To compare a change against a commit:

    git worktree add /tmp/before COMMIT
    PYTHONPATH=/tmp/before/src python3 scripts/snapshot.py write /tmp/snap-before
    python3 scripts/snapshot.py write /tmp/snap-after
    python3 scripts/snapshot.py diff /tmp/snap-before /tmp/snap-after
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def jobs(with_shared: bool, shared: Path = SHARED) -> Iterator[tuple[str, list[str]]]:
    """(name, [files]) for every corpus document."""
    for sub in ("seeds", "pdf", "layout", "plain", "rendered"):
        for p in sorted((ROOT / "corpora" / sub).glob("*")):
            if p.suffix in (".txt", ".pdf"):
                yield f"{sub}__{p.name}", [str(p)]
    if not with_shared:
        return
    for p in sorted((shared / "pdf").glob("*.pdf")):
        yield f"shared_pdf__{p.name}", [str(p)]
    manifest = shared / "pdf2.tsv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        for row in rows:
            if row["part"] == "tables" and row["pair"]:
                continue  # checked with its narrative
            files = [str(shared / "pdf2" / row["file"])]
            if row["pair"]:
                files.append(str(shared / "pdf2" / row["pair"]))
            yield f"pdf2__{row['file']}", files


def _normalise(d: dict[str, Any]) -> dict[str, Any]:
    d["tool"] = {k: ("" if k in ("version", "rules_version") else v) for k, v in d["tool"].items()}
    path = Path(d["document"]["path"])  # where the checkout lives is not behaviour
    d["document"]["path"] = f"{path.parent.name}/{path.name}"
    return d


def check_one(job: tuple[str, list[str]]) -> tuple[str, str]:
    from reconcile.api import check_loaded
    from reconcile.ingest import load_document
    from reconcile.pdf import load_documents

    name, files = job
    try:
        doc = load_documents(files) if len(files) > 1 else load_document(files[0])
        data = _normalise(check_loaded(doc).to_dict())
    except Exception as exc:  # recorded, not raised: a snapshot covers every file
        data = {"error": f"{type(exc).__name__}: {exc}"}
    return name, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def write(out: Path, n_jobs: int, with_shared: bool, shared: Path = SHARED) -> int:
    out.mkdir(parents=True, exist_ok=True)
    todo = list(jobs(with_shared, shared))
    with ProcessPoolExecutor(n_jobs) as pool:
        for name, text in pool.map(check_one, todo, chunksize=1):
            (out / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(todo)} documents written to {out}")
    return 0


# fields a later contract version added to each finding and to each of its cells (issue 14: the
# likely cause, values as printed, human labels, the grouping under a root finding): not behaviour, so a diff ignores them
ADDED_FINDING_FIELDS = ("likely_cause", "display", "consequences", "caused_by")
ADDED_CELL_FIELDS = ("value_text", "table_label", "row_label", "column_label")


def _without_added(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in item.items() if k not in ADDED_FINDING_FIELDS and k != "id"}
    if isinstance(out.get("cells"), list):
        out["cells"] = [
            {k: v for k, v in c.items() if k not in ADDED_CELL_FIELDS} if isinstance(c, dict) else c
            for c in out["cells"]
        ]
    return out


def _key(item: dict[str, Any], kind: str) -> str:
    if kind == "claims":
        return f"{item.get('kind')} {item.get('text', '')!r} @{item.get('span')}"
    return f"{item.get('check')} {item.get('spans')} {[(c.get('table'), c.get('row'), c.get('column')) for c in item.get('cells', [])]}"


def _compare(name: str, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if "error" in a or "error" in b:
        if a.get("error") != b.get("error"):
            out.append(f"{name}: error {a.get('error')!r} -> {b.get('error')!r}")
        return out
    for kind in ("claims", "findings"):
        ia = {_key(x, kind): x for x in a.get(kind, [])}
        ib = {_key(x, kind): x for x in b.get(kind, [])}
        for k in sorted(ia.keys() - ib.keys()):
            out.append(f"{name}: {kind} removed: {k} [{ia[k].get('status')}]")
        for k in sorted(ib.keys() - ia.keys()):
            out.append(f"{name}: {kind} added: {k} [{ib[k].get('status')}] {ib[k].get('message', '')}")
        for k in sorted(ia.keys() & ib.keys()):
            x, y = _without_added(_without_places(ia[k])), _without_added(_without_places(ib[k]))
            if x != y:
                fields = sorted(f for f in set(x) | set(y) if x.get(f) != y.get(f))
                out.append(f"{name}: {kind} changed {fields}: {k}: {x.get('status')} -> {y.get('status')}")
    for key in ("document", "tables", "summary", "errors"):
        if _known(a.get(key), b.get(key)) != a.get(key):
            out.append(f"{name}: {key} differs")
    return out


# Where a claim or cell is printed (PDF): added fields, not behaviour (see reconcile.places).
_PLACE_FIELDS = ("bbox", "file", "file_page", "pages")


def _without_places(item: dict[str, Any]) -> dict[str, Any]:
    """A claim or finding without the place fields (also in its cells)."""
    out = {k: v for k, v in item.items() if k not in _PLACE_FIELDS}
    if isinstance(out.get("cells"), list):
        out["cells"] = [
            {k: v for k, v in c.items() if k not in _PLACE_FIELDS} if isinstance(c, dict) else c for c in out["cells"]
        ]
    return out


def _known(before: Any, after: Any) -> Any:
    """``after`` without the fields ``before`` does not have (the contract adds fields, never drops one)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return {k: _known(before[k], after.get(k)) for k in before if k in after} | {
            k: None for k in before if k not in after
        }
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [_known(x, y) for x, y in zip(before, after, strict=True)]
    return after


def diff(before: Path, after: Path, common: bool = False) -> int:
    na, nb = {p.name for p in before.glob("*.json")}, {p.name for p in after.glob("*.json")}
    names = sorted(na & nb if common else na | nb)
    lines: list[str] = []
    for n in names:
        pa, pb = before / n, after / n
        if not pa.exists() or not pb.exists():
            lines.append(f"{n}: only in {'after' if not pa.exists() else 'before'}")
            continue
        if pa.read_bytes() == pb.read_bytes():
            continue
        a, b = json.loads(pa.read_text("utf-8")), json.loads(pb.read_text("utf-8"))
        found = _compare(n, a, b)
        if not found and _known(a, b) != a:
            found = [f"{n}: differs (ordering or ids only)"]
        lines.extend(found)
    print("\n".join(lines) if lines else f"no difference over {len(names)} documents")
    return 1 if lines else 0


def stats(snapshot: Path, shared: Path = SHARED) -> int:
    """Per province of pdf2: reports, reports with a tables part, reports whose tables were found,
    claims by status, inconsistent findings, and the share of claims verified or flagged
    (not unverifiable) in the reports that have tables (their own or their pair's): issue 12's
    coverage measure."""
    manifest = shared / "pdf2.tsv"
    with manifest.open(encoding="utf-8") as fh:
        rows = {r["file"]: r for r in csv.DictReader(fh, delimiter="\t")}
    keys = (
        "reports",
        "with_tables",
        "tables_found",
        "verified",
        "inconsistent",
        "unverifiable",
        "flags",
        "claims_with_tables",
        "checked_with_tables",
    )
    per: dict[str, dict[str, int]] = {}
    for path in sorted(snapshot.glob("pdf2__*.json")):
        row = rows[path.name[len("pdf2__") : -len(".json")]]
        data = json.loads(path.read_text("utf-8"))
        n = per.setdefault(row["province"], dict.fromkeys(keys, 0))
        n["reports"] += 1
        if row["part"] != "narrative" or row["pair"]:  # a report with tables (its own, or its pair's)
            n["with_tables"] += 1
            n["tables_found"] += bool(data.get("tables"))
        has_tables = row["part"] != "narrative" or bool(row["pair"])
        for c in data.get("claims", []):
            n[c["status"]] += 1
            n["claims_with_tables"] += has_tables
            n["checked_with_tables"] += has_tables and c["status"] != "unverifiable"
        n["flags"] += sum(1 for f in data.get("findings", []) if f["status"] == "inconsistent")
    total = {k: sum(v[k] for v in per.values()) for k in keys}
    print("province\t" + "\t".join(keys) + "\tchecked_%")
    for prov, n in [*sorted(per.items()), ("all", total)]:
        pct = 100 * n["checked_with_tables"] / n["claims_with_tables"] if n["claims_with_tables"] else 0.0
        print(prov + "\t" + "\t".join(str(n[k]) for k in keys) + f"\t{pct:.1f}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--jobs", type=int, default=2)
    w.add_argument("--no-shared", action="store_true", help="only the corpora/ files of the project")
    w.add_argument("--shared", type=Path, default=SHARED, help=f"the shared corpus folder (default {SHARED})")
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    d.add_argument("--common", action="store_true", help="compare only documents present in both snapshots")
    st = sub.add_parser("stats", help="pdf2 reports by province: tables found, claims by status, flags")
    st.add_argument("snapshot", type=Path)
    st.add_argument("--shared", type=Path, default=SHARED)
    a = ap.parse_args()
    if a.cmd == "write":
        return write(a.out, a.jobs, not a.no_shared, a.shared)
    if a.cmd == "stats":
        return stats(a.snapshot, a.shared)
    return diff(a.before, a.after, a.common)


if __name__ == "__main__":
    sys.exit(main())
