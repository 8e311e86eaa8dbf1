"""The rules pipeline: one loader, references checked at load, --rules honoured by every stage."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reconcile.api import check_document, check_text
from reconcile.cli import main
from reconcile.rules import RuleError, Rules, load_rules

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seeds" / "000_590c6e9490a39a18.txt"

Copy = Callable[[str, str, str], Path]


@pytest.fixture
def rules_copy(tmp_path: Path) -> Copy:
    """A copy of the bundled rules with one text replaced in one file (the replacement must happen)."""
    n = 0

    def make(name: str, old: str, new: str) -> Path:
        nonlocal n
        n += 1
        d = tmp_path / f"rules{n}"
        shutil.copytree(ROOT / "rules", d)
        p = d / name
        text = p.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        p.write_text(text.replace(old, new, 1), encoding="utf-8")
        return d

    return make


def _rules_error(directory: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`reconcile rules` and `reconcile check` both refuse the directory: exit 2, one line per mistake."""
    assert main(["rules", "--rules", str(directory)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert main(["check", str(SEED), "--rules", str(directory), "--format", "json"]) == 2
    out = capsys.readouterr()
    assert out.err.splitlines() == lines and out.out == ""
    assert lines and all(line.startswith("reconcile: invalid rules: ") for line in lines)
    return lines


def test_bundled_rules_load_with_templates(rules: Rules) -> None:
    assert {t.id for t in rules.templates} >= {"national_final", "national_budget", "jiangsu_budget", "beijing_budget"}
    ids = [e.id for e in rules.cross.equalities]
    assert "t1_t2_income" in ids and "b1_b2_income" in ids and len(ids) == len(set(ids))
    assert rules.columns.layouts["income"]  # a template's layouts reach the table readers
    assert rules.vocabulary.money_factor("元") is not None


def test_misspelled_table_kind_in_match_rules(rules_copy: Copy, capsys: pytest.CaptureFixture[str]) -> None:
    d = rules_copy(
        "match.yaml",
        "- {table: budget_summary, block: first, row: 收入合计}",
        "- {table: budget_sumary, block: first, row: 收入合计}",
    )
    (line,) = _rules_error(d, capsys)
    assert "match.yaml" in line and "收入总计" in line and "'budget_sumary'" in line


def test_misspelled_table_kind_in_section_scopes(rules_copy: Copy, capsys: pytest.CaptureFixture[str]) -> None:
    d = rules_copy("sections.yaml", "budget: [budget_three_public]}", "budget: [budget_three_publc]}")
    (line,) = _rules_error(d, capsys)
    assert "sections.yaml" in line and "'three_public'" in line and "'budget_three_publc'" in line


def test_misspelled_check_name_in_table_kinds(rules_copy: Copy, capsys: pytest.CaptureFixture[str]) -> None:
    d = rules_copy("tables.yaml", "checks: [summary_balance, row_sum]", "checks: [summary_balanse, row_sum]")
    (line,) = _rules_error(d, capsys)
    assert "tables.yaml" in line and "'fiscal_income_expenditure_summary'" in line and "'summary_balanse'" in line


def test_misspelled_table_kind_in_a_template(rules_copy: Copy, capsys: pytest.CaptureFixture[str]) -> None:
    d = rules_copy("templates/national_final.yaml", "{table: income, row: total", "{table: incme, row: total")
    lines = _rules_error(d, capsys)
    assert all("national_final.yaml" in x and "'incme'" in x for x in lines)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("pattern: '\\d{3,4}-\\d{7,8}", "pattern: '(\\d{3,4}-\\d{7,8}", ["'phone'", "pattern"]),  # bad regex
        ("cues:\n", "cues:\n  {broken\n", ["not valid YAML"]),  # not YAML
        ("  flat_left:", "  flat_lef:", ["cues", "flat_left"]),  # a required cue missing
        ("{V_FLAT}", "{V_FLT}", ["flat_left", "V_FLT"]),  # an unknown vocabulary fragment
    ],
)
def test_broken_claim_rules(
    rules_copy: Copy, capsys: pytest.CaptureFixture[str], old: str, new: str, words: list[str]
) -> None:
    lines = _rules_error(rules_copy("claims.yaml", old, new), capsys)
    assert len(lines) == 1 and "claims.yaml" in lines[0]
    assert all(w in lines[0] for w in words), lines[0]


def test_unknown_kind_and_template_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "r"
    shutil.copytree(ROOT / "rules", d)
    (d / "extra.yaml").write_text("schema_version: 1\nkind: tabels\n", encoding="utf-8")
    (line,) = _rules_error(d, capsys)
    assert "extra.yaml" in line and "'tabels'" in line
    (d / "extra.yaml").unlink()
    shutil.copy(d / "templates" / "jiangsu_budget.yaml", d / "templates" / "jiangsu_copy.yaml")
    (line,) = _rules_error(d, capsys)
    assert "jiangsu_copy.yaml" in line and "file name" in line


def test_check_uses_the_claim_rules_of_the_copy(rules_copy: Copy) -> None:
    """Without 万元 among the money units of claims.yaml, no claim carries 万元."""
    d = rules_copy("claims.yaml", "MONEY: '(?:万元|亿元|千元|元)'", "MONEY: '(?:亿元|千元)'")
    before = check_document(SEED).to_dict()["claims"]
    after = check_document(SEED, rules=d).to_dict()["claims"]
    assert sum(c.get("unit") == "万元" for c in before) > 50
    assert not any(c.get("unit") == "万元" for c in after)


def test_check_uses_the_subject_rules_of_the_copy(rules_copy: Copy) -> None:
    text = "三、说明\n本单位测绘专项经费支出100.00万元。\n"
    d = rules_copy("subjects.yaml", "aliases: [总收入,", "aliases: [测绘专项经费, 总收入,")
    assert [c["subject"] for c in check_text(text).to_dict()["claims"]] != ["收入总计"]
    assert [c["subject"] for c in check_text(text, rules=load_rules(d)).to_dict()["claims"]] == ["收入总计"]


def test_check_uses_the_section_rules_of_the_copy(rules_copy: Copy) -> None:
    """The copy gives 情况说明 parts the role `other`: no claim is read from the seed's narrative."""
    d = rules_copy("sections.yaml", "role: narrative, pattern: '情况说明|", "role: other, pattern: '情况说明|")
    assert len(check_document(SEED).to_dict()["claims"]) > 100
    assert check_document(SEED, rules=d).to_dict()["claims"] == []


def test_version_hashes_exactly_the_files_used(rules_copy: Copy, tmp_path: Path) -> None:
    base = load_rules(ROOT / "rules").version
    d = rules_copy("templates/jiangsu_budget.yaml", "description:", "description: (edited)")
    assert load_rules(d).version != base
    d2 = rules_copy("tables.yaml", "kind: table_kinds", "kind: table_kinds")  # an identical copy
    (d2 / "NOTES.txt").write_text("not a rule file", encoding="utf-8")
    assert load_rules(d2).version == base
    assert check_document(SEED, rules=d).to_dict()["tool"]["rules_version"] == load_rules(d).version


def test_a_rules_file_edited_in_place_is_reloaded(rules_copy: Copy) -> None:
    d = rules_copy("tables.yaml", "kind: table_kinds", "kind: table_kinds")
    v1 = load_rules(d).version
    p = d / "templates" / "jiangsu_budget.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_rules(d).version != v1


def test_rule_errors_are_rule_errors(rules_copy: Copy) -> None:
    d = rules_copy("vocabulary.yaml", "  flat: [持平]", "  Flat: [持平]")
    with pytest.raises(RuleError, match=r"vocabulary\.yaml.*'Flat'"):
        load_rules(d)


@pytest.mark.parametrize(
    ("name", "old", "new", "end"),
    [
        (
            "match.yaml",
            "- {table: budget_summary, block: first, row: 收入合计}",
            "- {table: budget_summary, block: first, row: 收入合计, rows: 2}",
            "subjects 收入总计 [2] rows: Extra inputs are not permitted",
        ),
        (
            "match.yaml",
            "- {table: budget_summary, block: first, row: 收入合计}",
            "- budget_summary",
            "subjects 收入总计 [2]: Input should be a valid dictionary or instance of Locator",
        ),
        (
            "sections.yaml",
            "heading_finals: [说明,",
            "heading_finals: []\nx: [说明,",
            "x: Extra inputs are not permitted",
        ),
        ("claims.yaml", "    label: REL_EQUAL", "    label: REL_SAME", "label: String should match pattern"),
        ("templates/jiangsu_budget.yaml", "id: jiangsu_budget", "id: Jiangsu", "id: String should match pattern"),
        ("subjects.yaml", "  - name: 收入总计", "  - name: ''", "name: String should have at least 1 character"),
        (
            "sections.yaml",
            "  - id: three_public",
            "  - id: three_public\n    x: 1",
            "(rule 'three_public') x: Extra inputs",
        ),
    ],
)
def test_rule_errors_name_the_field_as_before(
    rules_copy: Copy, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str, end: str
) -> None:
    """The rule models are dataclasses that pydantic validates: the messages are those it gives a model's fields."""
    lines = _rules_error(rules_copy(name, old, new), capsys)
    assert any(Path(name).name in line and end in line for line in lines), lines
