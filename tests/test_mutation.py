"""The mutation benchmark (benchmarks/mutation/, benchmarks/bench_mutation.py).

The fast tests use seed 000 with 2 mutants per kind; the full benchmark is marked slow.
Recall floors are the levels measured today (docs/benchmark.md): they may only go up.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from benchmarks import bench_blind as blind
from benchmarks import bench_mutation
from benchmarks.corpus import CLEAN_SEEDS, load_corpus
from benchmarks.gold import gold_results
from benchmarks.mutation import (
    FLIP,
    KIND_CAUSE,
    KINDS,
    VARIANTS,
    Mutant,
    baseline_keys,
    evaluate,
    finding_key,
    generate_mutants,
    inconsistent_findings,
)
from benchmarks.runner import run_mutants
from reconcile.api import check_text
from reconcile.document import Document
from reconcile.report import Report, ordered_findings
from reconcile.rules import Rules

from .conftest import ROOT

# measured on seed 000, 2 mutants per kind (all detected, no false flag)
FAST_DETECTED_FLOOR = 18
# measured by the full benchmark (`python scripts/bench_mutation.py`): recall per kind, in %
FULL_RECALL_FLOOR = {
    "rate": 100.0,
    "change": 100.0,
    "share": 100.0,
    "completion": 100.0,
    "transposed": 100.0,
    "direction": 100.0,
    "unit": 100.0,
    "cell": 100.0,
    "component": 100.0,
}
FULL_FALSE_FLAGS_MAX = 0
# the likely cause given first equals the injected one (docs/benchmark.md, “Likely cause per kind”), in %
CAUSE_ACCURACY_FLOOR = 90.0


@pytest.fixture(scope="module")
def clean000(seed_docs: dict[str, Document], seed_reports: dict[str, Report]) -> tuple[str, dict[str, Any]]:
    return seed_docs["000"].text, seed_reports["000"].to_dict()


@pytest.fixture(scope="module")
def mutants000(clean000: tuple[str, dict[str, Any]]) -> list[Mutant]:
    text, report = clean000
    return generate_mutants(text, report, doc="000", seed=0, per_kind=2)


def test_every_kind_is_generated(mutants000: list[Mutant]) -> None:
    counts = Counter(m.kind for m in mutants000)
    assert set(counts) == set(KINDS)
    assert all(n == 2 for n in counts.values())


def test_generation_is_deterministic(clean000: tuple[str, dict[str, Any]], mutants000: list[Mutant]) -> None:
    text, report = clean000
    again = generate_mutants(text, report, doc="000", seed=0, per_kind=2)
    assert [(m.kind, m.original_span, m.new) for m in again] == [(m.kind, m.original_span, m.new) for m in mutants000]
    other = generate_mutants(text, report, doc="000", seed=1, per_kind=2)
    assert [(m.kind, m.original_span, m.new) for m in other] != [(m.kind, m.original_span, m.new) for m in mutants000]


def test_unknown_kind_is_refused(clean000: tuple[str, dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="unknown mutant kind"):
        generate_mutants(*clean000, kinds=["typo"])


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def test_each_mutant_is_one_realistic_edit(clean000: tuple[str, dict[str, Any]], mutants000: list[Mutant]) -> None:
    text, _ = clean000
    for m in mutants000:
        a, b = m.span
        oa, ob = m.original_span
        assert a == oa
        # byte-identical outside the edit
        assert m.text[:a] == text[:a], m
        assert m.text[b:] == text[ob:], m
        assert m.text[a:b] == m.new and text[oa:ob] == m.old and m.old != m.new
        assert len(m.text) - len(text) == m.delta
        assert m.span in m.targets
        if m.kind in ("rate", "change", "share", "completion", "cell", "component"):
            # one digit changed, same layout
            assert len(m.new) == len(m.old)
            diff = [i for i, (x, y) in enumerate(zip(m.old, m.new, strict=True)) if x != y]
            assert len(diff) == 1 and m.old[diff[0]].isdigit() and m.new[diff[0]].isdigit(), m
        elif m.kind == "transposed":
            assert len(m.new) == len(m.old)
            assert sorted(_digits(m.new)) == sorted(_digits(m.old)) and _digits(m.new) != _digits(m.old)
            assert re.sub(r"\d", "#", m.new) == re.sub(r"\d", "#", m.old)
        elif m.kind == "direction":
            assert FLIP[m.old] == m.new
        elif m.kind == "unit":
            assert m.old.endswith("元") and "万" in m.old
            assert m.old.replace("万", "", 1) == m.new
        else:  # pragma: no cover
            raise AssertionError(m.kind)
        assert m.line == text.count("\n", 0, oa) + 1


def test_mutated_numbers_break_their_check(mutants000: list[Mutant]) -> None:
    """The descriptions carry the independent recomputation: the new value is out of range."""
    for m in mutants000:
        if m.kind in ("rate", "share", "completion"):
            lo, hi = (float(x) for x in re.findall(r"allows? ([\d.]+)–([\d.]+)%", m.description)[0])
            assert not lo - 0.1 <= float(m.new) <= hi + 0.1, m.description


def test_fast_subset_recall_and_false_flags(
    clean000: tuple[str, dict[str, Any]], mutants000: list[Mutant], rules: Rules
) -> None:
    _, report = clean000
    base = baseline_keys(report)
    assert base == set()  # seed 000 is clean
    detected = 0
    false_flags: list[tuple[str, str]] = []
    missed: list[str] = []
    wrong_cause: list[tuple[str, str]] = []
    for m in mutants000:
        o = evaluate(m, check_text(m.text, rules=rules).to_dict(), base)
        detected += o.detected
        first = ordered_findings(o.hits)[:1]
        if first and m.kind in KIND_CAUSE and first[0]["likely_cause"]["code"] != KIND_CAUSE[m.kind]:
            wrong_cause.append((m.description, first[0]["likely_cause"]["code"]))
        if not o.detected:
            missed.append(m.description)
        false_flags.extend((m.description, f["message"]) for f in o.false_flags)
    assert detected >= FAST_DETECTED_FLOOR, missed
    assert false_flags == []
    assert wrong_cause == [], wrong_cause  # seed 000, 2 mutants per kind: every cause given is the injected one


def test_clean_variants_stay_clean(clean000: tuple[str, dict[str, Any]], rules: Rules) -> None:
    text, _ = clean000
    for name, fn in VARIANTS.items():
        v = fn(text)
        assert v != text, name
        assert inconsistent_findings(check_text(v, rules=rules).to_dict()) == [], name


# ---------------------------------------------------------------- evaluation logic (no checker run)
def _mutant(span: tuple[int, int], original: tuple[int, int], targets: tuple[tuple[int, int], ...] = ()) -> Mutant:
    return Mutant(
        kind="unit",
        doc="x",
        text="",
        span=span,
        original_span=original,
        old="",
        new="",
        description="",
        line=1,
        targets=(span, *targets),
    )


def _f(check: str, *spans: tuple[int, int], status: str = "inconsistent") -> dict[str, Any]:
    return {"check": check, "status": status, "spans": [list(s) for s in spans], "lines": [1], "message": check}


def test_evaluate_detection_false_flags_and_baseline() -> None:
    m = _mutant((100, 106), (100, 107), targets=((300, 310),))  # one character shorter
    clean = {"findings": [_f("N209", (500, 510)), _f("N203", (50, 60), status="verified")]}
    base = baseline_keys(clean)
    assert base == {("N209", ((500, 510),))}
    # the baseline finding moved one character left in the mutant: still the baseline
    rep = {
        "findings": [
            _f("N209", (499, 509)),
            _f("N210", (95, 105)),  # touches the edit: a hit
            _f("N201", (305, 306)),  # touches an extra target: a hit
            _f("T101", (700, 705)),  # elsewhere: a false flag
            _f("N201", (20, 30), status="verified"),
        ]
    }
    o = evaluate(m, rep, base)
    assert o.detected
    assert [f["check"] for f in o.hits] == ["N210", "N201"]
    assert [f["check"] for f in o.false_flags] == ["T101"]
    assert finding_key(rep["findings"][0], m) == ("N209", ((500, 510),))
    assert not evaluate(m, {"findings": [_f("N209", (499, 509))]}, base).detected


# ---------------------------------------------------------------- the full benchmark
@pytest.mark.slow
def test_full_benchmark_meets_the_measured_floor(rules: Rules) -> None:
    docs = load_corpus(rules)
    mutants = [m for d in docs for m in generate_mutants(d.text, d.report, doc=d.name, per_kind=8)]
    results = run_mutants(docs, mutants, rules, jobs=2)
    by_kind: dict[str, list[Any]] = {}
    for r in results:
        by_kind.setdefault(r.kind, []).append(r)
    assert set(by_kind) == set(KINDS)
    for kind, rs in by_kind.items():
        recall = 100 * sum(r.detected for r in rs) / len(rs)
        assert recall >= FULL_RECALL_FLOOR[kind], (kind, [r.description for r in rs if not r.detected])
    assert max(len(r.false_flags) for r in results) <= FULL_FALSE_FLAGS_MAX
    # the likely cause given first is the one injected in at least 90% of the detected mutants of each kind
    for kind, (n, ok, other) in bench_mutation.cause_accuracy(results).items():
        assert n and 100 * ok / n >= CAUSE_ACCURACY_FLOOR, (kind, other)
    # the clean seed documents: every inconsistent finding stands on a gold item (002's real
    # errors); the corpus PDFs' real errors are scored against their gold in tests/test_gold.py
    seeds = [d for d in docs if d.name in CLEAN_SEEDS or "~" in d.name]
    assert {d.name: len(inconsistent_findings(d.report)) - d.known() for d in seeds} == {d.name: 0 for d in seeds}
    assert sum(d.known() for d in seeds) >= 2  # measured: 002 g001 (zero base) and g004 (an indicator twice)
    assert {d.name for d in docs} > {d.name for d in seeds}  # the PDFs are mutated too


def test_bench_script_documents_its_command() -> None:
    text = (ROOT / "benchmarks" / "bench_mutation.py").read_text(encoding="utf-8")
    assert "--gold" in text and "docs/benchmark.md" in text
    assert "benchmarks.bench_mutation import main" in (ROOT / "scripts" / "bench_mutation.py").read_text(
        encoding="utf-8"
    )
    page = ROOT / "docs" / "benchmark.md"
    if page.exists():
        assert "python scripts/bench_mutation.py" in page.read_text(encoding="utf-8")


def test_gold_function_counts_items(rules: Rules) -> None:
    res = gold_results(rules, pdf=False)
    seeds = {p.stem for p in (ROOT / "corpora" / "gold").glob("*.yaml") if p.name[:3].isdigit()}
    assert {r["seed"] for r in res} >= seeds
    for r in res:
        assert len(r["found"]) + len(r["missed"]) == len(r["items"])


def test_blind_benchmark_edits() -> None:
    assert blind.swap_digits("611.98") == "611.89"
    assert blind.swap_digits("1,808.29") == "1,808.92"
    assert blind.swap_digits("100") is None  # 010 would lead with 0
    assert blind.raise_units("10.2") == "13.2"
    assert blind.raise_units("0.64") == "3.64"
    assert blind.raise_units("7") == "1"
    # found in the narrative, never in a table, and never a number the clean run already flags
    assert blind.PCT_RE.search("比上年减少0.42万元，下降35.5%").group(2) == "35.5"
