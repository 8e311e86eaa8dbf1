"""The position indexes the checks and the section sweep use in place of scans over every
claim or section (docs/performance.md, “How cost grows with text”) give what the scans gave,
on the seed reports and on a seed's prose repeated to 300 KB (a long document where a scan
of every claim per claim is what made the checks quadratic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.checks.context import Context
from reconcile.checks.cues import Cues
from reconcile.claims import Claim, extract_claims
from reconcile.document import Document
from reconcile.ingest import load_document
from reconcile.match import load_match_rules
from reconcile.rules import Rules
from reconcile.sections import Section, split_sections
from reconcile.sections import _Owners as Owners

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))


def _long(tmp_path: Path) -> Path:
    """Seed 000's title and prose paragraphs repeated to about 300 KB (as benchmarks/bench_size.py makes them)."""
    lines = SEEDS[0].read_text(encoding="utf-8").splitlines()
    prose = "\n".join(x for x in lines if "。" in x) + "\n"
    text = lines[0] + "\n\n" + prose * (300_000 // len(prose.encode("utf-8")) + 1)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=[*SEEDS, "long"], ids=lambda p: getattr(p, "name", p))
def loaded(
    request: pytest.FixtureRequest, rules: Rules, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Document, list[Section], list[Claim]]:
    path = _long(tmp_path_factory.mktemp("long")) if request.param == "long" else request.param
    doc = load_document(path)
    sections = split_sections(doc, rules=rules)
    return doc, sections, extract_claims(doc, sections, rules=rules)


def _context(doc: Document, sections: list[Section], claims: list[Claim], rules: Rules) -> Context:
    by_id = {c.id: c for c in claims}
    cues = Cues.build(rules.vocabulary)
    return Context(doc, claims, by_id, [], load_match_rules(rules), rules, cues, sections=sections)


@pytest.mark.parametrize("keep", ["all", "every other", "odd levels"])
def test_section_sweep_equals_the_scan(loaded: tuple[Document, list[Section], list[Claim]], keep: str) -> None:
    """Every section, and subsets of them (which leave lines that the last section to start
    no longer holds: an outer one, or none, owns them)."""
    doc, sections, _ = loaded
    ordered = sorted(sections, key=lambda s: (s.span[0], s.level))
    if keep == "every other":
        ordered = ordered[::2]
    elif keep == "odd levels":
        ordered = [s for s in ordered if s.level % 2]
    owners = Owners(ordered)
    for line in doc.lines:
        scanned = None
        for s in ordered:
            if s.span[0] > line.start:
                break
            if line.start < s.span[1]:
                scanned = s
        assert owners.at(line.start) is scanned


def test_claim_indexes_equal_the_scans(loaded: tuple[Document, list[Section], list[Claim]], rules: Rules) -> None:
    doc, sections, claims = loaded
    ctx = _context(doc, sections, claims, rules)
    step = max(1, len(claims) // 300)  # every claim of a seed, 300 of the long text
    for c in claims[::step]:
        for lo, hi in ((c.span[0] - 400, c.span[0]), (c.span[1], c.span[1] + 600), (c.span[0], c.span[0])):
            got = [x for x in ctx.claims_between(lo, hi) if lo <= x.span[0] <= hi]
            assert got == [x for x in claims if lo <= x.span[0] <= hi]
        assert ctx.with_head(c.id) == [x for x in claims if x.head == c.id]
        assert ctx.appended(c.section) == next((s.appended for s in sections if s.id == c.section and s.appended), None)
