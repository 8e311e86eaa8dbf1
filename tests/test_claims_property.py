"""Claim extraction on any text: it never crashes, its shortcuts equal the scans they
replace, and its work grows linearly with the text (counted, not timed)."""

from __future__ import annotations

import copy
import cProfile
import dataclasses
import pstats
from pathlib import Path
from typing import Any

import regex as re
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.claims import build_pipeline, extract_claims
from reconcile.claims.atoms import Atom, Atoms
from reconcile.claims.subjects import CLAUSE_DELIMS, ClauseStops
from reconcile.document import Document
from reconcile.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules(ROOT / "rules")

# pieces of number-and-CJK soup: numbers, units, cue words, punctuation, parentheses
TOKENS = (
    "0", "7", "12", "3.5", "1,234.56", "2024", "0.00", "-5", "三", "十二", "%", "‰", "万元", "元", "亿元", "个", "分",
    "倍", "余", "--", "—", "增长", "下降", "减少", "增加", "比上年", "同比", "完成预算的", "执行率", "占", "的",
    "其中", "：", ":", "，", "。", "；", "、", "（", "）", "(", ")", "\n", " ", "\u3000", "一般公共预算", "财政拨款",
    "收入", "支出", "合计", "决算数为", "预算数为", "基数为0，不可比", "项目", "绩效自评情况", "年", "月",
)  # fmt: skip
soups = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)
printable = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=200)


def _doc(text: str) -> Document:
    return Document(
        text=text, path="<soup>", sha256="0" * 64, format="text", kind="final_account", year=2024, title="t"
    )


def _extract_ok(text: str) -> None:
    doc = _doc(text)
    for c in extract_claims(doc, rules=RULES):
        assert doc.text[c.span[0] : c.span[1]] == c.text
        assert 0 <= c.span[0] <= c.span[1] <= len(text)


def setup_module() -> None:
    build_pipeline(RULES)


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(soups, printable), min_size=1, max_size=3).map("".join))
def test_soups_never_crash_the_extractor(text: str) -> None:
    _extract_ok(text)


@settings(max_examples=50, deadline=3000)
@given(soups)
def test_soups_under_a_heading_never_crash_the_extractor(text: str) -> None:
    _extract_ok("一、部门收入支出决算总体情况说明\n" + text + "\n二、收入决算情况说明\n" + text)


# ---------------------------------------------------------------------- shortcuts equal their scans
def _scan_clause_start(t: str, pos: int, delims: str, floor: int) -> int:
    """The backward scan that ClauseStops replaces (as it was in Subjects.clause_start)."""
    i, depth = pos - 1, 0
    while i >= floor:
        ch = t[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif ch in delims and depth == 0:
            return i + 1
        i -= 1
    return floor


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab1，。：\n（）()、"), max_size=60), st.data())
def test_clause_stops_equal_the_backward_scan(t: str, data: st.DataObject) -> None:
    for delims in (CLAUSE_DELIMS, "。！？!?\n"):
        stops = ClauseStops(t, delims)
        pos = data.draw(st.integers(0, len(t)))
        floor = data.draw(st.integers(0, len(t)))
        assert stops.start(pos, floor) == _scan_clause_start(t, pos, delims, floor)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 6), st.booleans()), max_size=12), st.data())
def test_last_end_equals_the_scan(spec: list[tuple[int, int, bool]], data: st.DataObject) -> None:
    atoms, pos = [], 0
    for gap, length, excluded in spec:
        pos += gap
        atoms.append(Atom(pos, pos + length, pos + length, None, None, None, None, [], excluded=excluded))
        pos += 1  # starts strictly increase; ends may reach over the next start
    index = Atoms(atoms)
    a = data.draw(st.integers(0, pos + 2))
    b = data.draw(st.integers(0, pos + 2))
    ends = [x.end for x in index.between(a, b) if not x.excluded]
    assert index.last_end(a, b) == (max(ends) if ends else None)


# ---------------------------------------------------------------------- work grows linearly
class _Counting:
    """A compiled pattern that counts the characters its scans (search, finditer, …) cover."""

    def __init__(self, rx: re.Pattern[str], tally: list[int]) -> None:
        self._rx, self._tally = rx, tally

    def _scan(self, name: str, s: str, *args: Any, **kw: Any) -> Any:
        pos = args[0] if args else kw.get("pos", 0)
        endpos = args[1] if len(args) > 1 else kw.get("endpos", len(s))
        self._tally[0] += max(0, min(endpos, len(s)) - pos)
        return getattr(self._rx, name)(s, *args, **kw)

    def search(self, s: str, *args: Any, **kw: Any) -> Any:
        return self._scan("search", s, *args, **kw)

    def finditer(self, s: str, *args: Any, **kw: Any) -> Any:
        return self._scan("finditer", s, *args, **kw)

    def findall(self, s: str, *args: Any, **kw: Any) -> Any:
        return self._scan("findall", s, *args, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rx, name)


def _counting_rules(tally: list[int]) -> Rules:
    """RULES whose cues count the characters they scan."""
    cr = RULES.claims
    counted = dataclasses.replace(
        cr,
        cue={k: _Counting(v, tally) for k, v in cr.cue.items()},  # type: ignore[misc]
        left={k: _Counting(v, tally) for k, v in cr.left.items()},  # type: ignore[misc]
    )
    rules = copy.copy(RULES)
    rules.claims = counted
    return rules


def _work(text: str) -> tuple[int, int]:
    """(function calls, characters scanned by the claim cues) of extracting the claims of ``text``."""
    tally = [0]
    rules = _counting_rules(tally)
    doc = _doc(text)
    prof = cProfile.Profile()
    prof.enable()
    extract_claims(doc, rules=rules)
    prof.disable()
    return pstats.Stats(prof).total_calls, tally[0]  # type: ignore[attr-defined]


def _assert_linear(make: Any, n: int) -> None:
    calls1, chars1 = _work(make(n))
    calls2, chars2 = _work(make(2 * n))
    # doubling the text doubles the work (a quadratic reader would quadruple it)
    assert calls2 / calls1 < 2.5, (calls1, calls2)
    assert chars2 / chars1 < 2.5, (chars1, chars2)


def test_number_soup_work_is_linear() -> None:
    """Issue 15: “0 1 2 … 9 …” of one endless clause (10 KB took 5.5 s, 80 KB over 240 s)."""
    _assert_linear(lambda n: " ".join(str(i % 10) for i in range(n)), 4000)


def test_labelled_soup_work_is_linear() -> None:
    """Amounts, rates and topics (“项目：”) in one sentence without end."""
    _assert_linear(lambda n: "".join(f"项目{i % 7}：支出{i}万元，增长{i % 9}%，" for i in range(n)), 800)


def test_narrative_work_per_draft_does_not_grow_with_the_text() -> None:
    """A dropped draft was found with ``list.remove``, which compared it field by field with
    every draft before it: at 5 MB of narrative that was 9 of 33 s (profiled). Drafts are now
    compared by identity from the end: no draft is ever compared field by field."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_size import narrative

    doc = _doc(narrative(60))
    prof = cProfile.Profile()
    prof.enable()
    claims = extract_claims(doc, rules=RULES)
    prof.disable()
    compared = sum(
        calls
        for (path, _line, name), (_cc, calls, *_rest) in pstats.Stats(prof).stats.items()  # type: ignore[attr-defined]
        if name == "__eq__" and path == "<string>"
    )
    assert len(claims) > 300
    assert compared < len(claims), compared
