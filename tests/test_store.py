"""The DuckDB results store: rows from reports, idempotent upserts, regions, parquet export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from reconcile.report import Report
from reconcile.rules import RuleError, default_rules_dir
from reconcile.store import (
    SCHEMA,
    TIMING_COLUMNS,
    Store,
    derive_region,
    doc_id_for,
    export_parquet,
    load_regions,
    rows_for_result,
)

from .conftest import SEEDS


def _result(report: dict[str, Any], path: str = "/archive/004.txt", **extra: Any) -> dict[str, Any]:
    return {
        "path": path,
        "sha256": report["document"]["sha256"],
        "status": "ok",
        "error": None,
        "report": report,
        "seconds": 0.5,
        "worker": "test:1",
        **extra,
    }


@pytest.fixture(scope="module")
def report004(seed_reports: dict[str, Report]) -> dict[str, Any]:
    return seed_reports["004"].to_dict()


def test_rows_follow_the_json_contract(report004: dict[str, Any]) -> None:
    rows = rows_for_result(_result(report004))
    (doc,) = rows["documents"]
    assert doc["doc_id"] == doc_id_for(report004["document"]["sha256"]) == report004["document"]["sha256"][:16]
    assert doc["organization"] == report004["document"]["organization"]
    assert doc["year"] == report004["document"]["year"] and doc["kind"] == report004["document"]["kind"]
    assert doc["status"] == "ok" and doc["rules_version"] == report004["tool"]["rules_version"]
    assert doc["n_inconsistent"] == report004["summary"]["inconsistent_findings"]
    assert doc["n_findings"] == len(report004["findings"]) == len(rows["findings"])
    assert len(rows["tables"]) == len(report004["tables"])
    assert len(rows["claims"]) == len(report004["claims"])
    # every finding row mirrors its JSON finding
    for f, r in zip(report004["findings"], rows["findings"], strict=True):
        assert r["finding_id"] == f["id"] and r["check"] == f["check"] and r["status"] == f["status"]
        assert r["expected"] == f["expected"] and r["observed"] == f["observed"]
        assert json.loads(r["spans"]) == f["spans"] and json.loads(r["claim_ids"]) == f["claims"]
        tol = f["tolerance"] or [None, None]
        assert (r["tol_low"], r["tol_high"]) == (tol[0], tol[1])
    for c, r in zip(report004["claims"], rows["claims"], strict=True):
        assert r["claim_id"] == c["id"] and r["text"] == c["text"]
        assert [r["span_start"], r["span_end"]] == c["span"]
        for k in ("line", "subject", "quantity", "value", "decimals", "unit"):
            assert r[k] == c.get(k), k
        for k in ("base", "direction", "head", "figure"):
            assert r[k] == c.get(k), k


def test_claim_status_comes_from_the_findings() -> None:
    report = {
        "tool": {"version": "0", "rules_version": "r1"},
        "document": {"sha256": "a" * 64, "kind": "budget"},
        "tables": [],
        "claims": [
            {"id": "C1", "text": "x", "span": [0, 1], "line": 1, "quantity": "amount", "value": 1},
            {"id": "C2", "text": "y", "span": [1, 2], "line": 1, "quantity": "amount", "value": 2},
            {"id": "C3", "text": "z", "span": [2, 3], "line": 1, "quantity": "amount", "value": 3, "status": "mine"},
        ],
        "findings": [
            {"id": "F1", "status": "verified", "check": "N201", "severity": "info", "message": "", "claims": ["C1"]},
            {
                "id": "F2",
                "status": "inconsistent",
                "check": "N201",
                "severity": "error",
                "message": "",
                "claims": ["C1"],
            },
            {
                "id": "F3",
                "status": "unverifiable",
                "check": "N290",
                "severity": "info",
                "message": "",
                "claims": ["C3"],
            },
        ],
        "errors": [],
    }
    rows = rows_for_result({"path": "p", "sha256": "a" * 64, "status": "ok", "report": report})
    status = {r["claim_id"]: r["status"] for r in rows["claims"]}
    assert status == {"C1": "inconsistent", "C2": None, "C3": "mine"}


def test_failed_document_rows(tmp_path: Path) -> None:
    rows = rows_for_result(
        {"path": "/a/b.pdf", "sha256": "b" * 64, "status": "timeout", "error": "too slow", "report": None},
        rules_version="sha256:x",
    )
    (doc,) = rows["documents"]
    assert doc["status"] == "timeout" and doc["error"] == "too slow" and doc["rules_version"] == "sha256:x"
    assert doc["n_findings"] is None and all(not rows[t] for t in ("tables", "claims", "findings", "problems"))


def test_upsert_replaces_a_documents_rows(tmp_path: Path, report004: dict[str, Any]) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        st.write_result(_result(report004))
        counts = {t: st.count(t) for t in ("documents", "tables", "claims", "findings")}
        assert counts["documents"] == 1 and counts["findings"] == len(report004["findings"]) > 0
        st.write_result(_result(report004))  # the same again: nothing doubles
        assert {t: st.count(t) for t in counts} == counts
        fewer = json.loads(json.dumps(report004))
        fewer["findings"] = fewer["findings"][:3]
        st.write_result(_result(fewer))
        assert st.count("findings") == 3 and st.count("documents") == 1
        # a failed re-check leaves no stale rows
        st.write_result({"path": "/archive/004.txt", "sha256": report004["document"]["sha256"], "status": "error"})
        assert st.count("findings") == 0 and st.count("claims") == 0 and st.count("tables") == 0
        assert st.query("SELECT status FROM documents") == [("error",)]


def test_tables_join_by_ids(tmp_path: Path, seed_reports: dict[str, Report]) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        for key, rep in seed_reports.items():
            st.write_result(_result(rep.to_dict(), path=f"/archive/{key}.txt"))
        # every finding's claims exist in claims, every row belongs to a document
        claims = set(st.query("SELECT doc_id, claim_id FROM claims"))
        cited = [(d, c) for d, ids in st.query("SELECT doc_id, claim_ids FROM findings") for c in json.loads(ids)]
        assert cited and all(x in claims for x in cited)
        for t in ("tables", "claims", "findings", "problems"):
            assert st.query(
                f'SELECT count(*) FROM "{t}" x LEFT JOIN documents d USING (doc_id) WHERE d.doc_id IS NULL'
            ) == [(0,)]
        by_doc = dict(st.query("SELECT doc_id, n_findings FROM documents"))
        counted = dict(st.query("SELECT doc_id, count(*) FROM findings GROUP BY doc_id"))
        assert {k: v for k, v in by_doc.items() if v} == counted


def test_files_table_and_snapshot(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as st:
        st.record_files([{"path": "/a.txt", "doc_id": "d1", "sha256": "x", "size": 1, "mtime": 1.0}])
        st.record_files(
            [
                {"path": "/a.txt", "doc_id": "d2", "sha256": "y", "size": 2, "mtime": 2.0},
                {"path": "/b.txt", "doc_id": "d2", "sha256": "y", "size": 2, "mtime": 3.0},
            ]
        )
        assert st.query("SELECT path, doc_id FROM files ORDER BY path") == [("/a.txt", "d2"), ("/b.txt", "d2")]
        snap = st.snapshot("files")
        assert len(snap[0]) == len(SCHEMA["files"]) - len(TIMING_COLUMNS["files"])
        assert len(st.snapshot("files", timing=True)[0]) == len(SCHEMA["files"])


def test_old_store_gains_new_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents (doc_id VARCHAR, path VARCHAR)")
    con.execute("INSERT INTO documents VALUES ('d', '/p')")
    con.close()
    with Store(db) as st:
        assert st.query("SELECT doc_id, status, region FROM documents") == [("d", None, None)]


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "nope.duckdb", read_only=True)


def test_export_parquet(tmp_path: Path, report004: dict[str, Any]) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        st.write_result(_result(report004))
        n_findings = st.count("findings")
    paths = export_parquet(db, tmp_path / "pq")
    names = {p.stem for p in paths}
    assert names == set(SCHEMA) - {"meta"}
    con = duckdb.connect()
    got = con.execute(f"SELECT count(*) FROM read_parquet('{tmp_path / 'pq' / 'findings.parquet'}')").fetchone()
    assert got == (n_findings,)
    cols = [
        r[0]
        for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{tmp_path / 'pq' / 'claims.parquet'}')").fetchall()
    ]
    assert cols == [c for c, _ in SCHEMA["claims"]]


@pytest.mark.parametrize(
    ("organization", "path", "label"),
    [
        ("清远市清新区政务服务和数据管理局（本级）", None, "广东省/清远市"),
        ("洛阳市孟津区政务服务和大数据管理局", None, "河南省/洛阳市"),
        ("攀枝花市东区电子政务建设服务中心", None, "四川省/攀枝花市"),
        ("江苏省高级人民法院", None, "江苏省"),
        ("吉林市教育局", None, "吉林省/吉林市"),
        ("吉林省财政厅", None, "吉林省"),
        ("上海市普陀区财政局", None, "上海市"),
        ("大理白族自治州财政局", None, "云南省/大理白族自治州"),
        ("内蒙古自治区呼和浩特市财政局", None, "内蒙古自治区/呼和浩特市"),
        ("部门", "/data/pdf/js_gaoyuan_2017_budget.pdf", "江苏省"),
        ("区级", "/data/sh_putuo_wanli_jiedao_2024_budget.pdf", "上海市"),
        ("财政局", "/data/广东省/清远市/2024.txt", "广东省/清远市"),
        ("中山大学", None, None),
        (None, "/tmp/x/002.txt", None),
        (None, None, None),
    ],
)
def test_derive_region(organization: str | None, path: str | None, label: str | None) -> None:
    assert derive_region(organization, path).label == label


def test_seed_regions(seed_reports: dict[str, Report]) -> None:
    got = {}
    for key, rep in seed_reports.items():
        row = rows_for_result(_result(rep.to_dict(), path=str(SEEDS[int(key)])))["documents"][0]
        got[key] = row["province"]
    assert got["000"] == "广东省" and got["004"] == "河南省" and got["003"] == "四川省"


def test_regions_file(tmp_path: Path) -> None:
    """rules/regions.yaml is validated strictly: unknown keys and provinces are rule errors."""
    regions = load_regions()
    assert regions.kind == "regions" and regions.provinces["广东"] == "广东省" and "清远" in regions.cities["广东"]
    assert load_regions() is regions  # loaded once
    for name, change in (("extra", {"cantons": {}}), ("unknown", {"municipalities": ["北京", "香港"]})):
        d = tmp_path / name
        shutil.copytree(default_rules_dir(), d)
        data = yaml.safe_load((d / "regions.yaml").read_text(encoding="utf-8"))
        (d / "regions.yaml").write_text(yaml.safe_dump({**data, **change}, allow_unicode=True), encoding="utf-8")
        with pytest.raises(RuleError, match="cantons" if name == "extra" else "香港"):
            load_regions(d)


# ---------------------------------------------------------------------------- cross-year checks (synthetic stores)

ORG = "示例市财政局"


def _claim(
    cid: str, subject: str, quantity: str, value: float, decimals: int = 2, unit: str = "万元", **kw: Any
) -> dict[str, Any]:
    n = int(cid[1:])
    return {
        "id": cid,
        "text": f"{subject}{value}{unit}",
        "span": [n * 10, n * 10 + 8],
        "line": n,
        "quantity": quantity,
        "subject": subject,
        "value": value,
        "decimals": decimals,
        "unit": unit,
        **kw,
    }


def _report(
    year: int, kind: str, claims: list[dict[str, Any]], org: str | None = ORG, sha: str | None = None
) -> dict[str, Any]:
    return {
        "tool": {"version": "0", "rules_version": "r"},
        "document": {
            "path": f"/a/{year}_{kind}.txt",
            "sha256": sha or f"{year}{kind}".encode().hex().ljust(64, "0")[:64],
            "kind": kind,
            "organization": org,
            "year": year,
        },
        "tables": [],
        "claims": claims,
        "findings": [],
        "errors": [],
    }


def _store(tmp_path: Path, *reports: dict[str, Any]) -> Store:
    st = Store(tmp_path / "x.duckdb")
    for r in reports:
        st.write_result({"path": r["document"]["path"], "sha256": r["document"]["sha256"], "status": "ok", "report": r})
    return st


def _by_subject(rows: list[dict[str, Any]], check: str = "X301") -> dict[str, dict[str, Any]]:
    return {r["subject"]: r for r in rows if r["check"] == check}


def test_x301_prior_year_changes(tmp_path: Path) -> None:
    from reconcile.crossyear import update_store

    y2024 = _report(
        2024,
        "final_account",
        [
            _claim("C1", "收入总计", "amount", 100.00, figure="决算"),
            _claim("C2", "收入总计", "change", 10.00, base="上年决算", direction=1, head="C1"),  # prior 90.00: ok
            _claim("C3", "支出总计", "amount", 80.00, figure="决算"),
            _claim("C4", "支出总计", "change", 5.00, base="上年决算", direction=-1, head="C3"),  # prior 85.00 vs 86.00
            _claim("C5", "基本支出", "amount", 50.10, figure="决算"),
            _claim("C6", "基本支出", "change", 1000, decimals=0, unit="元", base="上年决算", direction=1, head="C5"),
            _claim("C7", "项目支出", "amount", 100, decimals=0, figure="决算"),  # printed without decimals
            _claim("C8", "项目支出", "change", 10.4, decimals=1, base="上年决算", direction=1, head="C7"),
            _claim("C9", "三公经费", "amount", 3.00, figure="决算"),
            _claim("C10", "三公经费", "change", 1.00, base="上年决算", direction=1, head="C9"),  # not in 2023
            _claim("C11", "会议费", "amount", 3.00, figure="决算"),
            _claim("C12", "会议费", "change", 1.00, base="上年决算", direction=1, head="C11"),  # 2023 is ambiguous
            _claim("C13", "培训费", "amount", 3.00, figure="决算"),
            _claim("C14", "培训费", "change", 1.00, base="上年决算", head="C13"),  # no direction: not checked
        ],
    )
    y2023 = _report(
        2023,
        "final_account",
        [
            _claim("C1", "收入总计", "amount", 90.00, figure="决算"),
            _claim("C2", "收入总计", "amount", 95.00, figure="年初预算"),  # a budget figure: not last year's actual
            _claim("C3", "支出总计", "amount", 86.00, figure="决算"),
            _claim("C4", "基本支出", "amount", 500000, decimals=0, unit="元", figure="决算"),
            _claim("C5", "项目支出", "amount", 90.10, figure="决算"),
            _claim("C6", "会议费", "amount", 2.00, figure="决算"),
            _claim("C7", "会议费", "amount", 2.50, figure="决算"),
        ],
    )
    with _store(tmp_path, y2024, y2023) as st:
        rows = update_store(st)
        stored = st.query('SELECT finding_id, "check", status FROM crossyear_findings ORDER BY finding_id')
    assert [(r["finding_id"], r["check"], r["status"]) for r in rows] == stored
    got = _by_subject(rows)
    assert set(got) == {"收入总计", "支出总计", "基本支出", "项目支出", "三公经费", "会议费"}
    ok = got["收入总计"]
    assert ok["status"] == "verified" and ok["severity"] == "info"
    assert ok["expected"] == pytest.approx(90.0) and ok["observed"] == pytest.approx(90.0)
    assert json.loads(ok["claim_ids"]) == ["C2", "C1"] and json.loads(ok["other_claim_ids"]) == ["C1"]
    assert json.loads(ok["spans"]) == [[20, 28], [10, 18]] and json.loads(ok["other_spans"]) == [[10, 18]]
    assert (ok["year"], ok["other_year"], ok["organization"], ok["unit"]) == (2024, 2023, ORG, "万元")
    bad = got["支出总计"]
    assert bad["status"] == "inconsistent" and bad["severity"] == "error"
    assert bad["expected"] == pytest.approx(85.0) and bad["observed"] == pytest.approx(86.0)
    assert bad["tol_low"] == pytest.approx(84.985) and bad["tol_high"] == pytest.approx(85.015)
    assert "85.00" in bad["message"] and "86.00万元" in bad["message"]
    assert bad["doc_id"] != bad["other_doc_id"]
    # 50.10 万元 − 1000 元 = 50.00 万元 = 500000 元
    assert got["基本支出"]["status"] == "verified" and got["基本支出"]["observed"] == pytest.approx(50.0)
    # 100 (±0.5) − 10.4 (±0.05) = [89.05, 90.15] holds 90.10
    assert got["项目支出"]["status"] == "verified"
    assert got["三公经费"]["status"] == "unverifiable" and "没有找到" in got["三公经费"]["message"]
    assert got["会议费"]["status"] == "unverifiable" and "不同的数值" in got["会议费"]["message"]


def test_x301_interval_edge(tmp_path: Path) -> None:
    """90.10 fits [89.05, 90.15]; 90.20 does not, even with its own rounding (±0.005)."""
    from reconcile.crossyear import update_store

    cur = _report(
        2024,
        "final_account",
        [
            _claim("C1", "项目支出", "amount", 100, decimals=0, figure="决算"),
            _claim("C2", "项目支出", "change", 10.4, decimals=1, base="上年决算", direction=1, head="C1"),
        ],
    )
    prior = _report(2023, "final_account", [_claim("C1", "项目支出", "amount", 90.16, figure="决算")])
    with _store(tmp_path, cur, prior) as st:
        (row,) = update_store(st)
    assert row["status"] == "inconsistent" and row["tol_high"] == pytest.approx(90.155)


def test_x301_needs_the_same_organization_and_consecutive_years(tmp_path: Path) -> None:
    from reconcile.crossyear import crossyear_findings, organization_key, update_store

    claims24 = [
        _claim("C1", "收入总计", "amount", 100.00, figure="决算"),
        _claim("C2", "收入总计", "change", 10.00, base="上年决算", direction=1, head="C1"),
    ]
    claims23 = [_claim("C1", "收入总计", "amount", 50.00, figure="决算")]
    cases = [
        (_report(2024, "final_account", claims24), _report(2022, "final_account", claims23)),  # a gap year
        (_report(2024, "final_account", claims24), _report(2023, "final_account", claims23, org="另一市财政局")),
        (_report(2024, "final_account", claims24, org="部门"), _report(2023, "final_account", claims23, org="部门")),
        (_report(2024, "final_account", claims24), _report(2023, "budget", claims23)),  # 上年决算 needs a final account
    ]
    for i, (a, b) in enumerate(cases):
        d = tmp_path / str(i)
        d.mkdir()
        with _store(d, a, b) as st:
            assert update_store(st) == [], i
    # the same name in two provinces is two organizations
    docs = [
        {
            "doc_id": "a",
            "organization": "市财政局本级机关",
            "year": 2024,
            "kind": "final_account",
            "province": "广东省",
        },
        {
            "doc_id": "b",
            "organization": "市财政局本级机关",
            "year": 2023,
            "kind": "final_account",
            "province": "河南省",
        },
    ]
    rows = [
        {
            "doc_id": "a",
            "claim_id": "C1",
            "subject": "收入总计",
            "quantity": "amount",
            "value": 100.0,
            "decimals": 2,
            "unit": "万元",
            "figure": "决算",
        },
        {
            "doc_id": "a",
            "claim_id": "C2",
            "subject": "收入总计",
            "quantity": "change",
            "value": 10.0,
            "decimals": 2,
            "unit": "万元",
            "base": "上年决算",
            "direction": 1,
            "head": "C1",
        },
        {
            "doc_id": "b",
            "claim_id": "C1",
            "subject": "收入总计",
            "quantity": "amount",
            "value": 50.0,
            "decimals": 2,
            "unit": "万元",
            "figure": "决算",
        },
    ]
    assert crossyear_findings(docs, rows) == []
    docs[1]["province"] = "广东省"
    assert [f["status"] for f in crossyear_findings(docs, rows)] == ["inconsistent"]
    assert organization_key(" 示例市 财政局(本级) ") == "示例市财政局（本级）"
    assert organization_key("部门") is None and organization_key("表一收支") is None and organization_key(None) is None


def test_x302_budget_figures_against_the_budget_document(tmp_path: Path) -> None:
    from reconcile.crossyear import update_store

    final = _report(
        2024,
        "final_account",
        [
            _claim("C1", "一般公共预算财政拨款支出", "amount", 907.94, figure="年初预算"),
            _claim("C2", "机关运行经费", "amount", 269.14, figure="年初预算"),
            _claim("C3", "基本支出", "amount", 95.00, figure="决算"),
            _claim("C4", "基本支出", "change", 5.00, base="年初预算", direction=1, head="C3"),
            _claim("C5", "三公经费", "amount", 1.80, figure="全年预算"),  # not a 年初预算 figure
        ],
    )
    budget = _report(
        2024,
        "budget",
        [
            _claim("C1", "一般公共预算财政拨款支出", "amount", 907.94, figure="预算"),
            _claim("C2", "机关运行经费", "amount", 260.00, figure="预算"),
            _claim("C3", "基本支出", "amount", 90.00, figure="预算"),
            _claim("C4", "三公经费", "amount", 2.00, figure="预算"),
        ],
    )
    with _store(tmp_path, final, budget) as st:
        rows = update_store(st)
    got = _by_subject(rows, "X302")
    assert set(got) == {"一般公共预算财政拨款支出", "机关运行经费", "基本支出"}
    assert got["一般公共预算财政拨款支出"]["status"] == "verified"
    assert got["机关运行经费"]["status"] == "inconsistent"
    assert got["机关运行经费"]["expected"] == pytest.approx(269.14) and got["机关运行经费"][
        "observed"
    ] == pytest.approx(260.0)
    assert got["基本支出"]["status"] == "verified" and json.loads(got["基本支出"]["claim_ids"]) == ["C4", "C3"]
    assert all(r["other_year"] == 2024 for r in rows)
    assert not [r for r in rows if r["check"] == "X301"]


def test_crossyear_is_recomputed_not_appended(tmp_path: Path) -> None:
    from reconcile.crossyear import check_store

    cur = _report(
        2024,
        "final_account",
        [
            _claim("C1", "收入总计", "amount", 100.00, figure="决算"),
            _claim("C2", "收入总计", "change", 10.00, base="上年决算", direction=1, head="C1"),
        ],
    )
    prior = _report(2023, "final_account", [_claim("C1", "收入总计", "amount", 90.00, figure="决算")])
    _store(tmp_path, cur, prior).close()
    assert len(check_store(tmp_path / "x.duckdb")) == 1
    assert len(check_store(tmp_path / "x.duckdb")) == 1
    with Store(tmp_path / "x.duckdb") as st:
        assert st.count("crossyear_findings") == 1


def test_identities_are_stored_with_their_denominator(seed_reports: dict[str, Report], tmp_path: Path) -> None:
    """Seed 004: per T code, the identities checked and the ones that held, beside its findings."""
    data = seed_reports["004"].to_dict()
    rows = rows_for_result(_result(data))
    stored = {r["check"]: (r["checked"], r["held"]) for r in rows["identities"]}
    assert stored == {c: (v["checked"], v["held"]) for c, v in data["summary"]["identities"].items()}
    assert stored["T101"][0] > stored["T101"][1] > 0
    with Store(tmp_path / "s.duckdb") as st:
        st.write_result(_result(data))
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    assert con.execute("SELECT sum(checked), sum(held) FROM identities").fetchone() == (
        data["summary"]["identities_checked"],
        data["summary"]["identities_held"],
    )
    con.close()
