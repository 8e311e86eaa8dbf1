"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

Needs ``apt-get install chromium fonts-wqy-zenhei`` and ``pip install playwright``
(Playwright's own browser download is never used). Skipped, with the reason, when
either is missing. Leaves a screenshot in ``artifacts/report-004.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reconcile.render import render_html, table_details
from reconcile.render._common import fmt_num
from reconcile.report import Report

from .conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-wqy-zenhei)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report_004(
    seed_reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], Path]:
    r = seed_reports["004"]
    data = r.to_dict()
    data.setdefault("tables_detail", table_details(r.tables))
    path = tmp_path_factory.mktemp("html") / "report-004.html"
    path.write_text(render_html(data, r.document.text), encoding="utf-8")
    return data, path


class _Page:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture()
def page(browser: Any) -> Iterator[_Page]:
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
    pg = ctx.new_page()
    wrapped = _Page(pg)
    yield wrapped
    ctx.close()


def _open(p: _Page, path: Path) -> None:
    p.page.goto(path.as_uri())
    p.page.wait_for_selector("html[data-ready]")


def _visible_count(p: _Page, selector: str) -> int:
    n: int = p.page.eval_on_selector_all(
        selector, "els => els.filter(e => !e.hidden && e.offsetParent !== null).length"
    )
    return n


def test_counts_shown_equal_the_json(page: _Page, report_004: tuple[dict[str, Any], Path]) -> None:
    data, path = report_004
    _open(page, path)
    shown = page.page.eval_on_selector_all(
        "[data-count]", "els => Object.fromEntries(els.map(e => [e.dataset.count, e.textContent.trim()]))"
    )
    assert int(shown["summary.claims"]) == data["summary"]["claims"]
    for st in ("verified", "inconsistent", "unverifiable"):
        assert int(shown[f"summary.{st}"]) == data["summary"][st]
        assert int(shown[f"findings.{st}"]) == sum(1 for f in data["findings"] if f["status"] == st)
    assert int(shown["findings.total"]) == len(data["findings"])
    assert int(shown["tables"]) == len(data["tables"])
    for code in {f["check"] for f in data["findings"]}:
        for st in ("inconsistent", "verified", "unverifiable"):
            n = sum(1 for f in data["findings"] if f["check"] == code and f["status"] == st)
            assert int(shown[f"check.{code}.{st}"]) == n
    assert page.page.inner_text("#shown-f") == str(len(data["findings"]))
    assert _visible_count(page, "#finding-list li") == len(data["findings"])
    assert data["document"]["sha256"] in page.page.inner_text("header")
    assert page.errors == []
    assert all(u.startswith("file:") for u in page.requests)


def test_click_finding_shows_cells_and_arithmetic(page: _Page, report_004: tuple[dict[str, Any], Path]) -> None:
    data, path = report_004
    _open(page, path)
    # a table identity with arithmetic and several cells
    f = next(
        f
        for f in data["findings"]
        if f["status"] == "inconsistent" and f["tolerance"] and sum(1 for c in f["cells"] if c["span"]) >= 2
    )
    item = page.page.locator("#finding-list li", has_text=f["id"]).first
    item.locator("button").click()
    panel = page.page.locator("#panel-body")
    text = panel.inner_text()
    assert f["id"] in text and f["check"] in text
    assert f["message"][:40] in text
    lo, hi = fmt_num(f["tolerance"][0]), fmt_num(f["tolerance"][1])
    assert panel.locator('[data-field="tolerance"]').inner_text() == f"[{lo}, {hi}]"
    assert panel.locator('[data-field="observed"]').inner_text() == fmt_num(f["observed"])
    assert panel.locator('[data-field="expected"]').inner_text() == fmt_num(f["expected"])
    assert "∉" in text
    rows = panel.locator("tr[data-cellrow]")
    assert rows.count() == len(f["cells"])
    for i, c in enumerate(f["cells"]):
        row = rows.nth(i).inner_text()
        assert c["table"] in row and c["column"] in row
        if c["value"] is not None:
            assert fmt_num(c["value"]) in row.replace(",", "")
    # the linked cells are marked in the rendered tables and in the text
    selected = page.page.locator("table.grid td.sel")
    assert selected.count() >= sum(1 for c in f["cells"] if c["span"])
    assert page.page.locator("#doc-text .m.sel").count() >= len(f["spans"])
    # jumping to a cell brings it into view
    panel.locator("[data-jcell]").first.click()
    target_id = panel.locator("[data-jcell]").first.get_attribute("data-jcell").split()[0]
    cell = page.page.locator(f"#{target_id}")
    page.page.wait_for_timeout(150)
    box = cell.bounding_box()
    assert box is not None and 0 <= box["y"] <= 1000
    # the finding's place in the text is in view after clicking it in the list
    item.locator("button").click()
    page.page.wait_for_timeout(150)
    mark = page.page.locator("#doc-text .m.sel").first
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= 1000
    assert page.errors == []


def test_click_in_the_text_opens_the_evidence(page: _Page, report_004: tuple[dict[str, Any], Path]) -> None:
    _data, path = report_004
    _open(page, path)
    mark = page.page.locator("#doc-text .m.s-inconsistent").first
    mark.scroll_into_view_if_needed()
    mark.click()
    cards = page.page.locator("#panel-body article.card")
    assert cards.count() >= 1
    assert "不一致" in cards.first.inner_text()
    # a marked table cell opens its findings too
    cell = page.page.locator("table.grid td.used").first
    cell.scroll_into_view_if_needed()
    cell.click()
    fids = {
        page.page.evaluate("k => JSON.parse(document.getElementById('rc-data').textContent).ids[k]", k)
        for k in (cell.get_attribute("data-f") or "").split()
    }
    text = page.page.inner_text("#panel-body")
    assert all(fid in text for fid in fids)
    assert page.errors == []


def test_link_to_one_finding(page: _Page, report_004: tuple[dict[str, Any], Path]) -> None:
    data, path = report_004
    f = [f for f in data["findings"] if f["status"] == "inconsistent"][-1]
    page.page.goto(path.as_uri() + "#" + f["id"])
    page.page.wait_for_selector("html[data-ready]")
    assert f["id"] in page.page.inner_text("#panel-body")
    assert page.page.locator("#finding-list li.sel").get_attribute("data-check") == f["check"]
    assert page.errors == []


def test_filters_change_what_is_shown(page: _Page, report_004: tuple[dict[str, Any], Path]) -> None:
    data, path = report_004
    _open(page, path)
    findings = data["findings"]
    n_inc = sum(1 for f in findings if f["status"] == "inconsistent")
    page.page.click('[data-preset="inconsistent"]')
    assert _visible_count(page, "#finding-list li") == n_inc
    assert page.page.inner_text("#shown-f") == str(n_inc)
    assert page.page.locator("#doc-text .m.s-verified").count() == 0
    assert page.page.locator("#doc-text .m.s-inconsistent").count() > 0
    # uncheck one check code: its findings go
    code = max(
        {f["check"] for f in findings if f["status"] == "inconsistent"},
        key=lambda c: sum(1 for f in findings if f["check"] == c and f["status"] == "inconsistent"),
    )
    page.page.click("details.flt-check > summary")
    page.page.locator(f'input[data-filter="check"][value="{code}"]').uncheck()
    n_code = sum(1 for f in findings if f["check"] == code and f["status"] == "inconsistent")
    assert _visible_count(page, "#finding-list li") == n_inc - n_code
    assert all(code not in t for t in page.page.locator("#finding-list li:not([hidden]) code").all_inner_texts())
    # severity: errors off
    page.page.click('[data-preset="all"]')
    assert _visible_count(page, "#finding-list li") == len(findings)
    page.page.locator('input[data-filter="severity"][value="error"]').uncheck()
    assert _visible_count(page, "#finding-list li") == sum(1 for f in findings if f["severity"] != "error")
    page.page.click('[data-preset="all"]')
    assert _visible_count(page, "#finding-list li") == len(findings)
    # status: nothing checked, nothing highlighted
    for st in ("inconsistent", "unverifiable", "verified", "unchecked"):
        page.page.locator(f'input[data-filter="status"][value="{st}"]').uncheck()
    assert _visible_count(page, "#finding-list li") == 0
    assert page.page.locator("#doc-text .m:not(.off)").count() == 0
    assert page.page.locator("table.grid td.used").count() == 0
    assert page.errors == []


def test_screenshot(page: _Page, report_004: tuple[dict[str, Any], Path]) -> None:
    data, path = report_004
    _open(page, path)
    # a narrative finding when there is one (claim against its table cell), else the first inconsistency
    f = next((f for f in data["findings"] if f["status"] == "inconsistent" and f["claims"]), None) or next(
        f for f in data["findings"] if f["status"] == "inconsistent"
    )
    page.page.locator("#finding-list li", has_text=f["id"]).first.locator("button").click()
    page.page.wait_for_timeout(1800)  # let the flash settle
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "report-004.png"
    page.page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000
    assert page.errors == []


def test_script_in_the_text_runs_nothing(page: _Page, tmp_path: Path) -> None:
    from .test_render import _synthetic

    data, text = _synthetic()
    evil = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> <b>粗体</b>'
    text = text + evil + "\n"
    s = text.index("<script>")
    data["claims"].append(
        {
            "id": "C9",
            "text": text[s:],
            "span": [s, len(text) - 1],
            "line": 5,
            "quantity": "other",
            "value": None,
            "status": "inconsistent",
        }
    )
    data["findings"].append(
        {
            "id": "F0009",
            "status": "inconsistent",
            "check": "N201",
            "severity": "error",
            "message": evil,
            "claims": ["C9"],
            "spans": [[s, len(text) - 1]],
            "cells": [{"table": "T1", "row": evil, "column": evil, "value": None, "span": None}],
        }
    )
    data["document"]["title"] = evil
    path = tmp_path / "evil.html"
    path.write_text(render_html(data, text), encoding="utf-8")
    _open(page, path)
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    doc_text = page.page.inner_text("#doc-text")
    assert "<script>window.__pwned=1</script>" in doc_text
    assert '<img src=x onerror="window.__pwned=1">' in doc_text
    assert "<b>粗体</b>" in doc_text
    assert page.page.locator("#doc-text img, #doc-text b, header h1 img").count() == 0
    assert evil in page.page.inner_text("header h1")
    # open the card that carries the payload: still inert
    page.page.locator("#finding-list li", has_text="F0009").first.locator("button").click()
    assert "<script>window.__pwned=1</script>" in page.page.inner_text("#panel-body")
    page.page.wait_for_timeout(200)
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.page.locator("#panel-body img").count() == 0
    assert page.errors == []
    assert all(u.startswith("file:") for u in page.requests)
