"""The likely cause of each inconsistent finding (reconcile.causes), one test per rule, on the
corpus seeds or on a seed with one error put in by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reconcile.api import check_text
from reconcile.causes import Context, candidates, digit_edit, likely_cause
from reconcile.findings import CAUSES, Finding
from reconcile.numbers import Interval
from reconcile.report import Report, ordered_findings

from .conftest import ROOT

SEED000 = (ROOT / "corpora" / "seeds" / "000_590c6e9490a39a18.txt").read_text(encoding="utf-8")


def _edited(old: str, new: str) -> dict[str, Any]:
    assert SEED000.count(old) >= 1, old
    return check_text(SEED000.replace(old, new, 1), path="seed000-edited").to_dict()


def _caught(data: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["status"] == "inconsistent" and f["check"] == check]


def test_every_inconsistent_finding_has_a_cause_and_no_other_has(seed_reports: dict[str, Report]) -> None:
    for report in seed_reports.values():
        for f in report.to_dict()["findings"]:
            if f["status"] == "inconsistent":
                assert f["likely_cause"]["code"] in CAUSES
                assert f["likely_cause"]["explanation"]
            else:
                assert "likely_cause" not in f


def test_digits_swapped() -> None:
    [f] = _caught(_edited("项目支出327.89万元", "项目支出328.79万元"), "N201")
    assert f["likely_cause"]["code"] == "digits_swapped"
    assert "328.79 is 327.89" in f["likely_cause"]["explanation"]


def test_one_digit_on_the_real_error_of_seed_004(seed_reports: dict[str, Report]) -> None:
    data = seed_reports["004"].to_dict()
    f = next(f for f in _caught(data, "N201") if f["observed"] == 907.94)
    assert f["likely_cause"]["code"] == "one_digit"
    assert "907.94 and 907.54 differ in one digit only (9 for 5" in f["likely_cause"]["explanation"]


def test_one_digit_of_a_part_shows_in_the_sum() -> None:
    """A 其中 item raised by one digit: the stated total and the sum differ by one digit's worth."""
    data = _edited("政府采购货物支出2.91万元", "政府采购货物支出2.96万元")
    [f] = _caught(data, "N206")
    assert f["likely_cause"]["code"] == "one_digit"
    assert "the difference -0.05 is one digit's worth (5 in the hundredths" in f["likely_cause"]["explanation"]


def test_neighbouring_column() -> None:
    """基本支出 given the value of the column next to it (项目支出) in 支出决算表."""
    data = _edited("基本支出284.21万元", "基本支出327.89万元")
    f = next(f for f in _caught(data, "N201") if f["observed"] == 327.89)
    assert f["likely_cause"]["code"] == "neighbour_value"
    assert "neighbouring column 项目支出" in f["likely_cause"]["explanation"]


def test_another_column_of_the_row_on_seed_004(seed_reports: dict[str, Report]) -> None:
    """Seed 004 states the 三公 total as 0.3, the 公务接待费 of the same row."""
    data = seed_reports["004"].to_dict()
    f = next(f for f in _caught(data, "N201") if f["observed"] == 0.3)
    assert f["likely_cause"]["code"] == "other_column"
    assert "[预算数/公务接待费] = 0.3" in f["likely_cause"]["explanation"]


def test_unit_yuan_for_wan() -> None:
    data = _edited("财政拨款收入合计611.98万元", "财政拨款收入合计611.98元")
    causes = {f["likely_cause"]["code"] for f in _caught(data, "N210")}
    assert causes == {"unit_yuan"}
    first = ordered_findings(data["findings"], inconsistent_only=True)[0]
    assert first["likely_cause"]["code"] == "unit_yuan"


def test_zero_base_given_as_100_percent(seed_reports: dict[str, Report]) -> None:
    for seed in ("002", "004"):
        found = _caught(seed_reports[seed].to_dict(), "N209")
        assert found
        assert {f["likely_cause"]["code"] for f in found} == {"zero_base_100"}


def test_shares_forced_to_100_on_seed_004(seed_reports: dict[str, Report]) -> None:
    data = seed_reports["004"].to_dict()
    found = [f for f in _caught(data, "N204") if f["likely_cause"]["code"] == "forced_100"]
    assert {f["observed"] for f in found} == {97.88, 2.12}
    assert "add up to exactly 100%" in found[0]["likely_cause"]["explanation"]


def test_share_over_the_wrong_whole() -> None:
    """4.07 / 2.91 (政府采购货物支出) = 139.86%, printed where 4.07 / 48.46 = 8.4% is due."""
    data = _edited("占授予中小企业合同金额的8.4%", "占授予中小企业合同金额的139.9%")
    [f] = _caught(data, "N204")
    assert f["likely_cause"]["code"] == "wrong_whole"
    assert "4.07 / 2.91" in f["likely_cause"]["explanation"]


def test_cause_unknown_when_no_rule_fits(seed_reports: dict[str, Report]) -> None:
    data = seed_reports["004"].to_dict()
    f = next(f for f in _caught(data, "T105") if f["observed"] == 927.71 and f["expected"] == 19.77)
    assert f["likely_cause"]["code"] == "unknown"


def test_most_certain_first(seed_reports: dict[str, Report]) -> None:
    data = seed_reports["004"].to_dict()
    ranks = [f["likely_cause"]["rank"] for f in ordered_findings(data["findings"], inconsistent_only=True)]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]
    assert ranks[-1] == CAUSES["unknown"].rank


@pytest.mark.parametrize(
    ("stated", "right", "edit"),
    [
        ("328.79", "327.89", "swap"),
        ("1,265", "1,625", "swap"),
        ("907.94", "907.54", "one"),
        ("907.94", "907.45", None),
        ("10.2", "1.02", None),
    ],
)
def test_digit_edit(stated: str, right: str, edit: str | None) -> None:
    found = digit_edit(Decimal(stated.replace(",", "")), Decimal(right.replace(",", "")))
    assert (found[0] if found else None) == edit


def test_candidates_nearest_the_middle_first() -> None:
    assert candidates(Interval(Decimal("35.1"), Decimal("36.1")), 1)[:2] == [Decimal("35.6"), Decimal("35.5")]
    assert candidates(Interval(Decimal(0), Decimal(1000)), 2, limit=100) == []


def test_a_count_of_one_digit_is_no_evidence() -> None:
    """Two counts 7 and 8 differ in one digit, as any two one-digit numbers do: no cause."""
    f = Finding("N212", "inconsistent", "x", expected=Decimal(7), observed=Decimal(8))
    assert likely_cause(f, Context({}, {})).code == "unknown"


def test_every_cause_is_documented() -> None:
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert [c for c in CAUSES if f"### cause {c}\n" not in doc] == []
