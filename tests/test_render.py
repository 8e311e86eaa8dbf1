"""Renderers (HTML, Excel, annotated PDF) agree with the JSON report; HTML is safe and offline."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reconcile.render import annotate_pdf, render_html, render_xlsx, table_details
from reconcile.render._common import visible_controls
from reconcile.render.annotate import to_user_space
from reconcile.report import Report, ordered_findings

from .conftest import ROOT

openpyxl = pytest.importorskip("openpyxl")
pypdf = pytest.importorskip("pypdf")

SEED_KEYS = ["000", "001", "002", "003", "004"]
PDF_DIR = ROOT / "corpora" / "pdf"
SMALL_PDF = PDF_DIR / "js_rendachangweiban_2017_budget.pdf"


# --------------------------------------------------------------------------- helpers


class _Page(HTMLParser):
    """Collects elements (tag, attrs), script bodies, and the text of the document view."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.lines: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self._in_line = 0
        self._depth = 0
        self._template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "template":
            self._template += 1
        if tag == "script":
            self._script = a
            self._script_text = []
        if self._in_line:
            self._depth += 1
        elif tag == "div" and (a.get("class") or "") == "ln":
            self._in_line = 1
            self._depth = 0
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None
        if self._in_line:
            if self._depth == 0:
                self._in_line = 0
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif self._in_line:
            self.lines[-1] += data

    def with_attr(self, name: str, value: str | None = None) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if name in a and (value is None or a[name] == value)]


def _parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    p.close()
    return p


def _script_data(p: _Page) -> dict[str, Any]:
    for attrs, body in p.scripts:
        if attrs.get("id") == "rc-data":
            data: dict[str, Any] = json.loads(body)
            return data
    raise AssertionError("no rc-data script")


def _expected_lines(text: str) -> list[str]:
    lines = [raw.splitlines()[0] for raw in text.splitlines(keepends=True)] or [""]
    return [visible_controls(s) for s in lines]


@pytest.fixture(scope="module")
def seed_data(seed_reports: dict[str, Report]) -> dict[str, tuple[dict[str, Any], str]]:
    out = {}
    for k, r in seed_reports.items():
        d = r.to_dict()
        d.setdefault("tables_detail", table_details(r.tables))
        out[k] = (d, r.document.text)
    return out


def _synthetic() -> tuple[dict[str, Any], str]:
    """A small report with claims (overlapping), findings referencing them, cells and detail."""
    text = (
        "一、收入支出决算总体情况说明\n"
        "2024年度收入总计927.71万元，支出总计927.71万元。\n"
        "其中：财政拨款收入907.94万元，占97.87%。😀 <b>加粗</b> <script>alert(1)</script>\n"
        "合计\t927.71\t907.54\n"
    )

    def span(s: str, start: int = 0) -> list[int]:
        i = text.index(s, start)
        return [i, i + len(s)]

    c1 = span("收入总计927.71万元")
    c2 = span("支出总计927.71万元")
    c3 = span("财政拨款收入907.94万元")
    c4 = span("占97.87%")
    c5 = span("907.94万元，占97.87%")  # overlaps c3 and c4
    cell_a = span("927.71", text.index("合计"))
    cell_b = span("907.54")
    claims = [
        {
            "id": "C1",
            "text": text[c1[0] : c1[1]],
            "span": c1,
            "line": 2,
            "quantity": "amount",
            "value": 927.71,
            "decimals": 2,
            "unit": "万元",
            "subject": "收入总计",
            "section": "一、收入支出决算总体情况说明",
            "status": "verified",
        },
        {
            "id": "C2",
            "text": text[c2[0] : c2[1]],
            "span": c2,
            "line": 2,
            "quantity": "amount",
            "value": 927.71,
            "decimals": 2,
            "unit": "万元",
            "subject": "支出总计",
            "section": None,
            "status": "unchecked",
        },
        {
            "id": "C3",
            "text": text[c3[0] : c3[1]],
            "span": c3,
            "line": 3,
            "quantity": "amount",
            "value": 907.94,
            "decimals": 2,
            "unit": "万元",
            "subject": "财政拨款收入",
            "section": None,
            "status": "inconsistent",
        },
        {
            "id": "C4",
            "text": text[c4[0] : c4[1]],
            "span": c4,
            "line": 3,
            "quantity": "share",
            "value": 97.87,
            "decimals": 2,
            "unit": "%",
            "subject": None,
            "section": None,
            "status": "unverifiable",
        },
        {
            "id": "C5",
            "text": text[c5[0] : c5[1]],
            "span": c5,
            "line": 3,
            "quantity": "other",
            "value": None,
            "decimals": None,
            "unit": None,
            "subject": None,
            "section": None,
        },
    ]
    findings = [
        {
            "id": "F0001",
            "status": "verified",
            "check": "N201",
            "check_name": "claim_cell",
            "severity": "info",
            "message": "收入总计 927.71 = T1 [合计]",
            "claims": ["C1"],
            "spans": [c1, cell_a],
            "lines": [2, 4],
            "expected": 927.71,
            "observed": 927.71,
            "tolerance": [927.705, 927.715],
            "cells": [
                {"table": "T1", "row": "合计", "column": "本年收入合计", "value": 927.71, "span": cell_a, "page": None}
            ],
        },
        {
            "id": "F0002",
            "status": "inconsistent",
            "check": "N201",
            "check_name": "claim_cell",
            "severity": "error",
            "message": "财政拨款收入: the narrative says 907.94 but <b>T1</b> shows 907.54 <script>alert(2)</script>",
            "claims": ["C3"],
            "spans": [c3, cell_b],
            "lines": [3, 4],
            "expected": 907.54,
            "observed": 907.94,
            "tolerance": [907.535, 907.545],
            "cells": [
                {"table": "T1", "row": "合计", "column": "财政拨款收入", "value": 907.54, "span": cell_b, "page": None}
            ],
        },
        {
            "id": "F0003",
            "status": "unverifiable",
            "check": "N204",
            "check_name": "share",
            "severity": "warning",
            "message": "share: the whole is not in any table",
            "claims": ["C4"],
            "spans": [c4],
            "lines": [3],
            "expected": None,
            "observed": 97.87,
            "tolerance": None,
            "cells": [],
        },
    ]
    data: dict[str, Any] = {
        "schema": "reconcile.report/1",
        "tool": {"name": "reconcile", "version": "0.1.0", "rules_version": "sha256:test"},
        "document": {"path": "synthetic.txt", "sha256": "0" * 64, "format": "text", "kind": "final_account",
                     "title": "2024年度测试单位部门决算", "organization": "测试单位", "year": 2024, "pages": None},
        "tables": [{"id": "T1", "kind": "income", "title": "收入决算表", "pages": [], "span": [cell_a[0] - 3, cell_b[1]],
                    "rows": 1, "columns": 2, "column_names": ["本年收入合计", "财政拨款收入"]}],
        "tables_detail": [{"id": "T1", "kind": "income", "title": "收入决算表", "columns": ["本年收入合计", "财政拨款收入"],
                           "rows": [{"code": None, "label": "合计", "block": "", "line": 4,
                                     "cells": {"本年收入合计": {"value": 927.71, "span": cell_a},
                                               "财政拨款收入": {"value": 907.54, "span": cell_b}}}]}],
        "claims": claims,
        "findings": findings,
        "summary": {"claims": 5, "verified": 1, "inconsistent": 1, "unverifiable": 1, "findings": 3,
                    "inconsistent_findings": 1, "tables": 1, "by_check": {"N201": 1}},
        "errors": [{"stage": "ingest", "message": "page 3 has <no> text layer", "page": 3}],
    }  # fmt: skip
    return data, text


# --------------------------------------------------------------------------- HTML


def _check_html_against(data: dict[str, Any], text: str) -> _Page:
    page = render_html(data, text)
    p = _parse(page)
    findings = data["findings"]
    # the findings list and the cards: one per finding
    items = [a for a in p.with_attr("data-item") if (a["data-item"] or "").startswith("f")]
    assert len(items) == len(findings)
    cards = [a for a in p.with_attr("data-card") if (a["data-card"] or "").startswith("f")]
    assert len(cards) == len(findings)
    assert len([a for a in p.with_attr("data-card") if (a["data-card"] or "").startswith("c")]) == len(data["claims"])
    # counts equal the JSON's
    counts = {a["data-count"]: a for a in p.with_attr("data-count")}
    assert "summary.claims" in counts and "findings.total" in counts
    shown = dict(re.findall(r'data-count="([^"]+)">([^<]*)<', page))
    assert int(shown["summary.claims"]) == data["summary"]["claims"]
    for st in ("verified", "inconsistent", "unverifiable"):
        assert int(shown[f"summary.{st}"]) == data["summary"][st]
        assert int(shown[f"findings.{st}"]) == sum(1 for f in findings if f["status"] == st)
    assert int(shown["findings.total"]) == len(findings)
    for f in findings:
        assert int(shown[f"check.{f['check']}.{f['status']}"]) == sum(
            1 for g in findings if g["check"] == f["check"] and g["status"] == f["status"]
        )
    # the script's data has every finding and claim
    sd = _script_data(p)
    assert len(sd["f"]) == len(findings) and len(sd["c"]) == len(data["claims"])
    assert sorted(sd["ids"].values()) == sorted([f["id"] for f in findings] + [c["id"] for c in data["claims"]])
    # the document text is all there, once, in order
    assert p.lines == _expected_lines(text)
    # every finding span and claim span starts a marked segment that holds its key
    marks = p.with_attr("data-o")
    by_offset: dict[int, list[dict[str, str | None]]] = {}
    for a in marks:
        by_offset.setdefault(int(a["data-o"] or 0), []).append(a)
    key = {v: k for k, v in sd["ids"].items()}
    for f in findings:
        for s, _e in f["spans"]:
            if text[s] in "\r\n":
                continue
            assert any(key[f["id"]] in (a.get("data-f") or "").split() for a in by_offset.get(s, [])), (f["id"], s)
    for c in data["claims"]:
        s = c["span"][0]
        assert any(key[c["id"]] in (a.get("data-c") or "").split() for a in by_offset.get(s, [])), c["id"]
    # offline and inert: no URL, no external reference, no event handler attribute, our two scripts only
    assert "http://" not in page and "https://" not in page
    for _tag, a in p.elements:
        assert not any(k.startswith("on") for k in a), a
        assert "src" not in a and "href" not in a
    assert len(p.scripts) == 2
    return p


@pytest.mark.parametrize("seed", SEED_KEYS)
def test_html_agrees_with_json(seed: str, seed_data: dict[str, tuple[dict[str, Any], str]]) -> None:
    data, text = seed_data[seed]
    p = _check_html_against(data, text)
    # every finding cell with a span is found in the rendered tables
    sd = _script_data(p)
    key = {v: k for k, v in sd["ids"].items()}
    detail_ids = {t["id"] for t in data["tables_detail"]}
    for f in data["findings"]:
        if any(c["span"] and c["table"] in detail_ids for c in f["cells"]):
            assert sd["f"][key[f["id"]]]["cells"], f["id"]


@pytest.mark.parametrize("seed", ["000", "004"])
def test_html_without_table_detail_lists_the_tables(
    seed: str, seed_data: dict[str, tuple[dict[str, Any], str]]
) -> None:
    data, text = seed_data[seed]
    plain = {k: v for k, v in data.items() if k != "tables_detail"}
    p = _check_html_against(plain, text)
    page = render_html(plain, text)
    for t in plain["tables"]:
        assert html.escape(t["title"]) in page
    assert not p.with_attr("data-jcell")  # nothing to jump to


def test_html_header_shows_metadata(seed_data: dict[str, tuple[dict[str, Any], str]]) -> None:
    data, text = seed_data["004"]
    page = render_html(data, text)
    doc = data["document"]
    for v in (doc["title"], doc["organization"], str(doc["year"]), doc["sha256"], data["tool"]["rules_version"]):
        assert html.escape(v) in page
    assert "部门决算" in page


def test_html_synthetic_claims_overlaps_and_statuses() -> None:
    data, text = _synthetic()
    p = _check_html_against(data, text)
    sd = _script_data(p)
    assert {k: v["st"] for k, v in sd["c"].items()} == {
        "c0": "verified",
        "c1": "unchecked",
        "c2": "inconsistent",
        "c3": "unverifiable",
        "c4": "unchecked",  # no status and no finding
    }
    assert sd["c"]["c2"]["f"] == ["f1"]
    # the overlap of C3, C4 and C5 is split: "907.94万元，" is under C3 and C5, "占97.87%" under C4 and C5
    segs = {(int(a["data-o"] or 0), a.get("data-c") or "") for a in p.with_attr("data-o")}
    s3 = text.index("907.94万元")
    s4 = text.index("占97.87%")
    assert (s3, "c2 c4") in segs
    assert (s4, "c3 c4") in segs
    # the worst status wins where marks overlap; the inconsistent one is labelled without colour too
    seg = next(a for a in p.with_attr("data-o") if int(a["data-o"] or 0) == s3)
    assert "s-inconsistent" in (seg["class"] or "")
    assert "不一致" in (seg["aria-label"] or "")
    # the cell a finding rests on is marked in the table, with its findings
    used = [a for a in p.with_attr("data-f") if "used" in (a.get("class") or "")]
    assert sorted(a["data-f"] or "" for a in used) == ["f0", "f1"]
    # str offsets, not bytes: the emoji before the tags does not shift any span
    assert sd["f"]["f1"]["cells"] == [used[1]["id"]] or sd["f"]["f1"]["cells"] == [used[0]["id"]]
    page = render_html(data, text)
    assert "[907.535, 907.545]" in page  # tolerance
    assert "0.40" in page  # observed − expected
    assert "page 3 has &lt;no&gt; text layer" in page


def test_html_escapes_document_and_report_text() -> None:
    data, text = _synthetic()
    evil = (
        'x <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> '
        "<b>bold</b> &amp; \"q\" 'a' \x00\x07 http://example.gov.cn/a?b=1 \u2028end"
    )
    text = text + evil + "\n"
    s = text.index("<script>")
    data["claims"].append(
        {"id": 'C"><script>x</script>', "text": text[s : s + 30], "span": [s, s + 30], "line": 5, "quantity": "other",
         "value": None, "status": "inconsistent"}
    )  # fmt: skip
    data["findings"][1]["message"] += ' <img src=x onerror="window.__pwned=1">'
    data["findings"][1]["check"] = '"><script>window.__pwned=1</script>'
    data["document"]["title"] = "<script>window.__pwned=1</script>"
    page = render_html(data, text)
    p = _parse(page)
    assert len(p.scripts) == 2
    assert "<script>window" not in page and "<img" not in page and "<b>bold" not in page and "but <b>T1" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    for _tag, a in p.elements:
        assert not any(k.startswith("on") for k in a)
        assert "src" not in a and "href" not in a
    assert "http://" not in page and "https://" not in page
    # the text reads the same (control characters shown as symbols)
    assert p.lines == _expected_lines(text)
    assert any("<script>window.__pwned=1</script>" in ln for ln in p.lines)
    # only our own script may run: the CSP names its hash
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    body = next(b for a, b in p.scripts if "id" not in a)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in html.unescape(csp.group(1))
    assert "default-src 'none'" in html.unescape(csp.group(1))
    # the embedded JSON cannot close its script element
    raw = page.split('id="rc-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw


def test_html_empty_report() -> None:
    data, _ = _synthetic()
    data = {**data, "claims": [], "findings": [], "tables": [], "errors": []}
    data.pop("tables_detail")
    data["summary"] = {"claims": 0, "verified": 0, "inconsistent": 0, "unverifiable": 0}
    for text in ("", "一行\n", "a\r\nb\rc\x0cd\u2028e"):
        p = _parse(render_html(data, text))
        assert p.lines == _expected_lines(text)


# --------------------------------------------------------------------------- Excel


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.parametrize("seed", SEED_KEYS)
def test_xlsx_agrees_with_json(seed: str, seed_data: dict[str, tuple[dict[str, Any], str]], tmp_path: Path) -> None:
    data, text = seed_data[seed]
    out = render_xlsx(data, tmp_path / "r.xlsx", text)
    wb = openpyxl.load_workbook(out)
    assert {"summary", "findings", "cells", "claims", "tables", "errors"} <= set(wb.sheetnames)
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    rows = _rows(wb["findings"])
    head, body = rows[0], rows[1:]
    assert len(body) == len(data["findings"])
    col = {h: i for i, h in enumerate(head)}
    by_id = {r[col["Finding 编号"]]: r for r in body}
    assert list(by_id) == [f["id"] for f in ordered_findings(data["findings"])]  # most certain first
    for f in data["findings"]:
        r = by_id[f["id"]]
        assert r[col["Status 状态"]] == f["status"]
        assert r[col["Check 检查"]] == f["check"]
        assert r[col["Message 说明"]] == f["message"]
        disp = f.get("display") or {}
        assert r[col["Observed 核对数"]] == disp.get("observed")
        # the table's value, as printed, never the narrative's
        assert r[col["Table value 表中数"]] == (f["cells"][0]["value_text"] if f["cells"] else None)
        assert r[col["Lines 行"]] == " ".join(str(n) for n in f["lines"]) or (
            r[col["Lines 行"]] is None and not f["lines"]
        )
        spans = " ".join(f"{a}-{b}" for a, b in f["spans"])
        assert (r[col["Spans 位置"]] or "") == spans
    assert len(_rows(wb["cells"])) - 1 == sum(len(f["cells"]) for f in data["findings"])
    assert len(_rows(wb["claims"])) - 1 == len(data["claims"])
    assert len(_rows(wb["tables"])) - 1 == len(data["tables"])
    assert len(_rows(wb["errors"])) - 1 == len(data["errors"])
    summary = {r[0]: r[1] for r in _rows(wb["summary"])[1:]}
    assert summary["findings 核对结果"] == len(data["findings"])
    assert summary["claims 数字声明"] == data["summary"]["claims"]
    assert summary["sha256"] == data["document"]["sha256"]


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    data, text = _synthetic()
    data["findings"][0]["message"] = '=HYPERLINK("http://x","y")\x01'
    out = render_xlsx(data, tmp_path / "r.xlsx", text)
    wb = openpyxl.load_workbook(out)
    ws = wb["findings"]
    row = next(i for i, r in enumerate(_rows(ws), 1) if r[0] == data["findings"][0]["id"])
    cell = ws.cell(row=row, column=8)
    assert cell.data_type == "s"
    assert str(cell.value).startswith("=HYPERLINK")
    assert len(_rows(wb["claims"])) - 1 == 5
    assert "table_cells" in wb.sheetnames
    used = [r for r in _rows(wb["table_cells"])[1:] if r[-1]]
    assert sorted(r[-1] for r in used) == ["F0001", "F0002"]


# --------------------------------------------------------------------------- annotated PDF


def _annots(path: Path) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for i, page in enumerate(pypdf.PdfReader(path).pages, 1):
        for a in page.get("/Annots") or []:
            out.append((i, a.get_object()))
    return out


def test_annotate_pdf_synthetic(tmp_path: Path) -> None:
    """Box conversion and note placement for a given location (the real path, boxes from
    the PDF reader, is tested in test_provenance.py and by test_all_formats_for_a_pdf)."""
    data, _text = _synthetic()
    data["document"]["format"] = "pdf"
    f_loc, f_unloc = data["findings"][1], data["findings"][2]
    f_unloc["cells"] = [{"table": "T1", "row": "合计", "column": "x", "value": 1, "span": None, "page": 2}]
    s, e = f_loc["spans"][0]
    data["locations"] = [{"span": [s, e], "page": 3, "bbox": [100.0, 200.0, 180.0, 214.0]}]
    out = annotate_pdf(data, SMALL_PDF, tmp_path / "a.pdf")
    src = pypdf.PdfReader(SMALL_PDF)
    assert len(pypdf.PdfReader(out).pages) == len(src.pages)
    annots = _annots(out)
    highlights = [(p, a) for p, a in annots if a["/Subtype"] == "/Highlight"]
    assert [p for p, _ in highlights] == [3]  # verified F0001 is not annotated
    h = highlights[0][1]
    assert "907.54" in str(h["/Contents"]) and "F0002" in str(h["/T"])
    assert "[907.535, 907.545]" in str(h["/Contents"])
    height = float(src.pages[2].mediabox.top)
    x0, y0, x1, y1 = (float(v) for v in h["/Rect"])
    assert x0 == pytest.approx(99) and x1 == pytest.approx(181)
    assert y1 == pytest.approx(height - 200 + 1) and y0 == pytest.approx(height - 214 - 1)
    assert "/AP" in h
    notes = [(p, a) for p, a in annots if a["/Subtype"] == "/Text"]
    on_page2 = [a for p, a in notes if p == 2]
    assert on_page2 and "F0003" in str(on_page2[0]["/Contents"])
    summary = [a for p, a in notes if p == 1]
    assert summary and "F0003" in str(summary[0]["/Contents"])  # listed as without a place
    assert "F0002" not in str(summary[0]["/Contents"]).split("without a known place", 1)[-1]


def test_annotate_pdf_without_locations_lists_everything_on_page_one(tmp_path: Path) -> None:
    data, _ = _synthetic()
    out = annotate_pdf(data, SMALL_PDF, tmp_path / "a.pdf")
    annots = _annots(out)
    assert all(a["/Subtype"] == "/Text" for _, a in annots)
    first = next(a for p, a in annots if p == 1)
    assert "F0002" in str(first["/Contents"]) and "F0003" in str(first["/Contents"])


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_to_user_space_matches_pdfplumber_on_rotated_pages(rotation: int, tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(SMALL_PDF))
    for p in w.pages:
        p.rotate(rotation)
    rotated = tmp_path / "rot.pdf"
    w.write(rotated)
    with pdfplumber.open(SMALL_PDF) as a, pdfplumber.open(rotated) as b:
        ca, cb = a.pages[2].chars[5], b.pages[2].chars[5]
        mb = tuple(float(x) for x in pypdf.PdfReader(SMALL_PDF).pages[2].mediabox)
        ua = to_user_space((ca["x0"], ca["top"], ca["x1"], ca["bottom"]), mb, 0)  # type: ignore[arg-type]
        ub = to_user_space((cb["x0"], cb["top"], cb["x1"], cb["bottom"]), mb, rotation)  # type: ignore[arg-type]
    assert ub == pytest.approx(ua, abs=0.01)


def _pdf_report(path: Path) -> tuple[dict[str, Any], str]:
    from reconcile.api import check_document

    r = check_document(path)
    data = r.to_dict()
    data.setdefault("tables_detail", table_details(r.tables))
    # what the PDF reader produces, not made up here (a tables-only file may have no span)
    assert data["locations"] or not (data["claims"] or any(f["spans"] for f in data["findings"]))
    return data, r.document.text


def _all_formats_agree(pdf: Path, tmp_path: Path) -> None:
    data, text = _pdf_report(pdf)
    _check_html_against(data, text)
    wb = openpyxl.load_workbook(render_xlsx(data, tmp_path / "r.xlsx", text))
    assert len(_rows(wb["findings"])) - 1 == len(data["findings"])
    out = annotate_pdf(data, pdf, tmp_path / "a.pdf")
    annots = _annots(out)
    flagged = {f["id"] for f in data["findings"] if f["status"] in ("inconsistent", "unverifiable")}
    highlighted = {str(a["/T"]).split()[1] for _, a in annots if a["/Subtype"] == "/Highlight"}
    placed = {tuple(loc["span"]) for loc in data["locations"]}
    located = {f["id"] for f in data["findings"] if f["id"] in flagged and any(tuple(s) in placed for s in f["spans"])}
    assert highlighted == located
    assert f"highlighted: {len(located)} of {len(flagged)} flagged" in str(
        next(a for p, a in annots if p == 1 and "summary" in str(a["/T"]))["/Contents"]
    )
    summary = str(next(a for p, a in annots if p == 1 and "summary" in str(a["/T"]))["/Contents"])
    for fid in flagged - located:
        assert fid in summary
    assert len(pypdf.PdfReader(out).pages) == len(pypdf.PdfReader(pdf).pages)


def test_all_formats_for_a_pdf(tmp_path: Path) -> None:
    _all_formats_agree(SMALL_PDF, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("pdf", sorted(PDF_DIR.glob("*.pdf")), ids=lambda p: p.stem)
def test_all_formats_for_every_corpus_pdf(pdf: Path, tmp_path: Path) -> None:
    _all_formats_agree(pdf, tmp_path)


def test_render_to_file(tmp_path: Path) -> None:
    from reconcile.render import render_to_file

    data, text = _synthetic()
    assert (
        render_to_file(data, "html", tmp_path / "r.html", text=text)
        .read_text(encoding="utf-8")
        .startswith("<!DOCTYPE html>")
    )
    assert render_to_file(data, "xlsx", tmp_path / "r.xlsx", text=text).stat().st_size > 0
    with pytest.raises(ValueError, match="must be a PDF"):
        render_to_file(data, "pdf", tmp_path / "r.pdf", text=text, source="x.txt")
    data["document"]["format"] = "pdf"
    assert render_to_file(data, "pdf", tmp_path / "r.pdf", text=text, source=SMALL_PDF).stat().st_size > 0
    with pytest.raises(ValueError, match="overwrite"):
        render_to_file(data, "pdf", SMALL_PDF, text=text, source=SMALL_PDF)
    with pytest.raises(ValueError, match="unknown format"):
        render_to_file(data, "docx", tmp_path / "r.docx", text=text)
