from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from reconcile.cli import main
from reconcile.findings import CATALOGUE
from reconcile.report import Report

from .conftest import ROOT, SEEDS


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_json_report_is_valid_against_the_contract(seed: str, seed_reports: dict[str, Report], schema: dict) -> None:
    data = seed_reports[seed].to_dict()
    jsonschema.validate(data, schema)
    text = seed_reports[seed].document.text
    for f in data["findings"]:
        for a, b in f["spans"]:
            assert 0 <= a < b <= len(text)
        for c in f["cells"]:
            if c["span"] and c["value"] is not None:
                assert float(text[c["span"][0] : c["span"][1]].replace(",", "")) == pytest.approx(c["value"])


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SEEDS[0]), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["schema"] == "reconcile.report/1"
    assert main(["check", str(SEEDS[4]), "--format", "text"]) == 1
    assert "T107" in capsys.readouterr().out
    empty = tmp_path / "e.txt"
    empty.write_text("")
    assert main(["check", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "empty" in err and "Traceback" not in err
    assert main(["check"]) == 2  # a usage error: one line, exit 2 (returned, not raised)
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_cli_text_and_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["text", str(SEEDS[0])]) == 0
    assert capsys.readouterr().out.rstrip("\n") == SEEDS[0].read_text(encoding="utf-8").rstrip("\n")
    out = tmp_path / "t.csv"
    assert main(["tables", str(SEEDS[0]), "--format", "csv", "-o", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()  # CSV starts with a BOM, for Excel
    assert rows[0].startswith("table,kind") and len(rows) > 500
    assert main(["check", str(SEEDS[4]), "--format", "csv"]) == 1
    assert capsys.readouterr().out.count("\n") > 10


def test_every_check_code_is_documented() -> None:
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    missing = [code for code in CATALOGUE if not re.search(rf"^## {code} ", doc, re.M)]
    assert missing == []


def test_every_command_is_documented() -> None:
    from reconcile.cli import _parser

    doc = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    sub = next(a for a in _parser()._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"reconcile {name}" not in doc]  # type: ignore[union-attr]
    assert missing == []


def test_every_option_is_documented() -> None:
    import argparse

    from reconcile.cli import _parser

    doc = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    parsers = [parser, *sub.choices.values()]  # type: ignore[union-attr]
    options = {
        o
        for p in parsers
        for a in p._actions
        if not isinstance(a, argparse._HelpAction)
        for o in a.option_strings
        if o.startswith("--")
    }
    assert {"--debug", "--timeout", "--max-pages"} <= options
    assert sorted(o for o in options if o not in doc) == []


def test_two_pdfs_are_one_report(capsys: pytest.CaptureFixture[str]) -> None:
    narr = ROOT / "corpora" / "pdf" / "js_zhengxieban_2017_budget_narr.pdf"
    tables = ROOT / "corpora" / "pdf" / "js_zhengxieban_2017_budget_tables.pdf"
    assert main(["check", str(narr), str(tables), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["format"] == "pdf"
    assert len(data["tables"]) >= 8 and len(data["claims"]) > 100


@pytest.mark.parametrize("name", ["match.yaml", "sections.yaml", "claims.yaml", "subjects.yaml", "tables.yaml"])
def test_rules_command_validates_every_rule_file(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    good, bad = tmp_path / "good", tmp_path / "bad"  # two folders: rule files are cached by path
    shutil.copytree(ROOT / "rules", good)
    shutil.copytree(ROOT / "rules", bad)
    assert main(["rules", "--rules", str(good)]) == 0
    assert "rules OK" in capsys.readouterr().out
    (bad / name).write_text((bad / name).read_text(encoding="utf-8") + "\nunexpected_key: 1\n", encoding="utf-8")
    assert main(["rules", "--rules", str(bad)]) == 2
    assert name in capsys.readouterr().err
