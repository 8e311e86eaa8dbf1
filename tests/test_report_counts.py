"""Honest counts (issue 14): every format's summary counts equal the statuses of the claims and
findings in the JSON; what could not be checked is said; identities that hold are counted;
numbers are shown as printed."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest

from reconcile.api import check_document, check_text
from reconcile.render import render_html, render_xlsx
from reconcile.report import render

from .conftest import ROOT

_FAST = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
_SLOW = [
    *sorted((ROOT / "corpora" / "pdf").glob("*.pdf")),
    *sorted((ROOT / "corpora" / "layout").glob("*.txt")),
    *sorted((ROOT / "corpora" / "plain").glob("*.txt")),
]
CORPUS = [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in _FAST] + [
    pytest.param(p, id=f"{p.parent.name}/{p.name}", marks=pytest.mark.slow) for p in _SLOW
]


def _truth(data: dict[str, Any]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Claims by their own status, findings by status, inconsistent findings by check."""
    claims = Counter(str(c["status"]) for c in data["claims"])
    findings = Counter(str(f["status"]) for f in data["findings"])
    by_check = Counter(str(f["check"]) for f in data["findings"] if f["status"] == "inconsistent")
    return claims, findings, by_check


def _text_counts(out: str) -> dict[str, int]:
    m = re.search(
        r"claims: (\d+) \((\d+) verified, (\d+) inconsistent, (\d+) unverifiable\)\s+findings: (\d+) \((\d+) inconsistent\)",
        out,
    )
    assert m, out[:400]
    keys = ("claims", "verified", "inconsistent", "unverifiable", "findings", "inconsistent_findings")
    return dict(zip(keys, map(int, m.groups()), strict=True))


def _html_counts(page: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="([\w.]+)">(\d+)<', page)}


@pytest.mark.parametrize("path", CORPUS)
def test_every_format_counts_what_the_json_holds(path: Path, tmp_path: Path, schema: dict[str, object]) -> None:
    report = check_document(path)
    data = report.to_dict()
    jsonschema.validate(data, schema)
    claims, findings, by_check = _truth(data)
    s = data["summary"]
    # JSON summary
    assert (s["verified"], s["inconsistent"], s["unverifiable"]) == (
        claims["verified"],
        claims["inconsistent"],
        claims["unverifiable"],
    )
    assert sum(claims.values()) == s["claims"] == len(data["claims"])
    assert s["inconsistent_findings"] == findings["inconsistent"] and s["by_check"] == dict(by_check)
    # text
    t = _text_counts(render(data, "text"))
    assert t == {
        "claims": len(data["claims"]),
        "verified": claims["verified"],
        "inconsistent": claims["inconsistent"],
        "unverifiable": claims["unverifiable"],
        "findings": len(data["findings"]),
        "inconsistent_findings": findings["inconsistent"],
    }
    # csv: one row per finding
    rows = list(csv.DictReader(io.StringIO(render(data, "csv"))))
    assert Counter(r["status"] for r in rows) == findings
    # html
    h = _html_counts(render_html(data, report.document.text))
    for st in ("verified", "inconsistent", "unverifiable"):
        assert h[f"summary.{st}"] == claims[st]
        assert h.get(f"findings.{st}", 0) == findings[st]
    # xlsx: claims by status, findings by status, and under a failure title only inconsistent findings
    wb = openpyxl.load_workbook(render_xlsx(data, tmp_path / "r.xlsx", report.document.text))
    summary = {r[0]: r[1] for r in list(wb["summary"].iter_rows(values_only=True))[1:]}
    assert summary["claims verified 已核实"] == claims["verified"]
    assert summary["claims inconsistent 不一致"] == claims["inconsistent"]
    assert summary["claims unverifiable 无法核实"] == claims["unverifiable"]
    for st in ("verified", "inconsistent", "unverifiable"):
        assert sum(1 for k, v in summary.items() if k.startswith(f"findings {st} ")) == 1
        assert next(v for k, v in summary.items() if k.startswith(f"findings {st} ")) == findings[st]
    failing = {k.split()[1]: v for k, v in summary.items() if k.startswith("inconsistent ")}
    assert failing == dict(by_check)


def test_seed_004_text_counts_claims_not_findings() -> None:
    """The text summary once said “also: 78 verified, 0 unverifiable” counting findings; seed 004
    has many unverifiable claims and a few unverifiable findings."""
    data = check_document(ROOT / "corpora" / "seeds" / "004_6d6ee4970fc0bf0d.txt").to_dict()
    unverifiable = sum(1 for c in data["claims"] if c["status"] == "unverifiable")
    assert unverifiable > 50
    out = render(data, "text")
    assert f"{unverifiable} unverifiable)" in out
    assert "also:" not in out


NOT_A_REPORT = "今天天气很好，我们去公园散步。公园里有很多人，大家都很开心。\n明年计划增加预算100万元。\n"


def test_a_text_that_is_not_a_report_says_what_could_not_be_checked() -> None:
    data = check_text(NOT_A_REPORT, path="notes.txt").to_dict()
    s = data["summary"]
    assert s["checkable"] is False
    assert {r["code"] for r in s["not_checked"]} == {"kind_unconfirmed", "no_tables", "no_claim_checked"}
    out = render(data, "text")
    assert "部门预算 (guessed, unconfirmed)" in out
    assert "No inconsistency found" not in out
    assert "Nothing could be checked" in out and "no standard table found" in out
    page = render_html(data, NOT_A_REPORT)
    assert "Nothing could be checked" in page and 'data-reason="no_tables"' in page


def test_a_checked_report_says_how_much_was_checked(seed_reports: dict[str, Any]) -> None:
    data = seed_reports["000"].to_dict()
    s = data["summary"]
    assert s["checkable"] is True and s["not_checked"] == []
    assert "No inconsistency found among the 123 claims and 358 table identities" in render(data, "text")


def test_identities_that_hold_are_counted(seed_reports: dict[str, Any]) -> None:
    """Seed 000 is clean: every identity checked holds. Seed 004: a T code's failures are its
    inconsistent findings, out of more that were checked."""
    ids0 = seed_reports["000"].to_dict()["summary"]["identities"]
    assert ids0 and all(v["checked"] == v["held"] > 0 for v in ids0.values())
    data = seed_reports["004"].to_dict()
    ids, by_check = data["summary"]["identities"], data["summary"]["by_check"]
    for code, n in by_check.items():
        if code.startswith("T") and code != "T104":
            assert ids[code]["checked"] - ids[code]["held"] == n, code
    assert ids["T103"]["checked"] == ids["T103"]["held"] > 0  # holds everywhere, never a finding
    assert data["summary"]["identities_checked"] == sum(v["checked"] for v in ids.values())


def test_numbers_are_shown_as_printed(seed_reports: dict[str, Any]) -> None:
    data = seed_reports["004"].to_dict()
    share = next(f for f in data["findings"] if f["check"] == "N204" and f["observed"] == 97.88)
    assert share["expected"] == pytest.approx(97.8689, abs=1e-4)  # the JSON keeps the exact value
    assert share["display"] == {
        "observed": "97.88",
        "expected": "97.869",
        "difference": "0.011",
        "tolerance": ["97.867", "97.871"],
    }
    zero = next(f for f in data["findings"] if f["check"] == "N201" and f["observed"] == 2.45)
    assert zero["cells"][0]["value_text"] == "0.00"
    page = render_html(data, seed_reports["004"].document.text)
    assert "97.86894611" not in page and "[97.867, 97.871]" in page


def test_verified_findings_have_neutral_titles_and_cells_human_labels(seed_reports: dict[str, Any]) -> None:
    data = seed_reports["004"].to_dict()
    page = render_html(data, seed_reports["004"].document.text)
    assert "Narrative amount against its table cell" in page
    cards = re.findall(r'<article class="card s-verified".*?</article>', page)
    assert cards and not any("Narrative amount differs" in c for c in cards)
    for f in data["findings"]:
        for c in f["cells"]:
            assert "#" not in c["column_label"] and c["row_label"] != ""
    tables = " ".join(t["kind_label"] for t in data["tables"])
    assert "_" not in tables
    body = re.sub(r'data-[\w-]+="[^"]*"', "", page.split("<script")[0])
    kinds = [t["kind"] for t in data["tables"] if "_" in t["kind"]]
    assert "gov_fund_income_expenditure" in kinds  # the kind the issue saw in a table header
    assert [k for k in kinds if k in body] == []


def test_budget_amount_column_is_not_called_final() -> None:
    """A Jiangsu 预算's 金额 column is read as the canonical 决算数, but shown as 金额."""
    data = check_document(ROOT / "corpora" / "layout" / "js_gaoyuan_2017_budget.txt").to_dict()
    cells = [c for f in data["findings"] for c in f["cells"]]
    assert any(c["column"] == "决算数" for c in cells)
    assert not any(c["column_label"].endswith("决算数") for c in cells)


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "corpora" / "seeds" / "004_6d6ee4970fc0bf0d.txt",
        ROOT / "corpora" / "layout" / "js_jianchayuan_2018_budget.txt",
    ],
    ids=["seed004", "layout-jianchayuan"],
)
def test_messages_use_no_internal_labels(path: Path) -> None:
    """Seed 004 once said “[公用经费#2] row 302…”, the Jiangsu budget “T3 支出预算总表 [] [合计]”."""
    data = check_document(path).to_dict()
    text = "\n".join(f["message"] for f in data["findings"])
    assert "[]" not in text and not re.search(r"#\d", text)
    assert "公用经费（第2栏）" in text or "支出预算总表 [合计]" in text


def test_every_code_has_a_neutral_title() -> None:
    from reconcile.findings import CATALOGUE, NEUTRAL_TITLES

    assert set(NEUTRAL_TITLES) == set(CATALOGUE)
    assert all(NEUTRAL_TITLES[c] != CATALOGUE[c].title or c == "N214" for c in CATALOGUE)


def test_one_finding_per_root_cause(seed_reports: dict[str, Any]) -> None:
    """Seed 004: T101 on rows 229, 22999 and 2299999 of one chain is one cause; so is the wrong
    公务用车 小计 that breaks the 三公 合计 and its own sum. Nothing is deleted."""
    data = seed_reports["004"].to_dict()
    by_id = {f["id"]: f for f in data["findings"]}
    chain = [f for f in data["findings"] if f["check"] == "T101" and "其他支出" in f["message"]]
    assert len(chain) == 3
    root = next(f for f in chain if "consequences" in f)
    assert sorted(root["consequences"]) == sorted(f["id"] for f in chain if f is not root)
    assert all(by_id[c]["caused_by"] == root["id"] for c in root["consequences"])
    t107 = [f for f in data["findings"] if f["check"] == "T107"]
    assert sum(1 for f in t107 if "caused_by" in f) == 2
    assert len(data["findings"]) == data["summary"]["findings"]
    out = render(data, "text")
    assert out.count("↳ same cause:") == sum(1 for f in data["findings"] if "caused_by" in f)
    assert sum(1 for f in data["findings"] if "caused_by" in f and f["check"] == "N201") == 0


def test_the_html_of_the_seed_with_most_errors_has_no_raw_float(seed_reports: dict[str, Any]) -> None:
    from reconcile.render import table_details

    report = seed_reports["004"]
    data = report.to_dict()
    data["tables_detail"] = table_details(report.tables)
    body = render_html(data, report.document.text).split("<script")[0]
    assert re.findall(r"\d+\.\d{5,}", body) == []
