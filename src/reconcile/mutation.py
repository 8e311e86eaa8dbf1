"""Mutation benchmark: inject one realistic error into a clean report, see whether it is caught.

A *mutant* is the clean text with exactly one edit (a changed digit, two transposed
digits, a flipped direction word, a dropped 万), together with the edited span in the
new text and the spans a finding may touch to count as having caught it.

Generation works from the clean report's JSON (``check_text(text).to_dict()``): every
mutated number is one whose check is *verified* in the clean report (so the error is
detectable in principle), and every numeric mutant is re-verified here, independently
of the checker, with interval arithmetic on printed decimals: the new value must miss
the interval its inputs allow by at least one unit of its last printed digit.

Kinds (:data:`KINDS`):

``rate``        a growth/decline rate (比上年…下降10.2%) changed by one digit
``change``      the 增加/减少 amount a verified rate derives from, changed by one digit
``share``       an 占 …% share changed by one digit
``completion``  a 完成预算…的 …% rate changed by one digit
``transposed``  two adjacent digits of a narrative amount that matches a table cell swapped
``direction``   one direction word of a change/rate pair flipped (减少→增加 or 下降→增长)
``unit``        万元 → 元 on a narrative amount that matches a table cell
``cell``        a table cell the narrative quotes changed by one digit (printed decimals kept)
``component``   one item of a 其中 list whose stated total is verified, changed by one digit

:func:`evaluate` decides whether a mutant was *detected* (a new inconsistent finding
touches the edit) and lists its *false flags* (new inconsistent findings that do not).
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "FLIP",
    "KINDS",
    "VARIANTS",
    "Mutant",
    "Outcome",
    "Span",
    "baseline_keys",
    "evaluate",
    "finding_key",
    "generate_mutants",
    "inconsistent_findings",
    "variant_spaced",
    "variant_wording",
]

Span = tuple[int, int]
Key = tuple[str, tuple[Span, ...]]
Report = Mapping[str, Any]

KINDS: tuple[str, ...] = (
    "rate",
    "change",
    "share",
    "completion",
    "transposed",
    "direction",
    "unit",
    "cell",
    "component",
)

_FACTOR = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}
FLIP = {
    "增加": "减少",
    "减少": "增加",
    "增长": "下降",
    "下降": "增长",
    "上升": "下降",
    "降低": "增长",
    "增幅": "降幅",
    "降幅": "增幅",
    "减幅": "增幅",
}
_DIR_WORD = re.compile("|".join(FLIP))
_VERIFIED_RATE = ("N203", "N214")
_VERIFIED_SHARE = ("N204", "N214")
_VERIFIED_COMPLETION = ("N205", "N214")
_VERIFIED_AMOUNT = ("N201", "N214")
# a cell the narrative's claim was not matched to is caught only by the tables' identities,
# whose tolerance grows with the number of addends: change it by at least one 万元
_OTHER_CELL_MIN_CHANGE = Decimal(1)


# ============================================================================ data


@dataclass(frozen=True, slots=True)
class Mutant:
    """One injected error.

    ``text`` is the whole mutated document; it equals the original except inside
    ``span`` (new-text offsets), which replaced ``original[original_span]``.
    ``targets`` are the new-text spans a finding may touch to count as catching the
    error (the edited span, plus for ``cell`` the claims quoting the cell and for
    ``direction`` the change/rate clause).
    """

    kind: str
    doc: str
    text: str
    span: Span
    original_span: Span
    old: str
    new: str
    description: str
    line: int
    targets: tuple[Span, ...]
    claim: str | None = None  # id (in the clean report) of the claim or cell quoter edited

    @property
    def delta(self) -> int:
        """Length change of the text (new − old)."""
        return (self.span[1] - self.span[0]) - (self.original_span[1] - self.original_span[0])

    def to_original(self, pos: int) -> int:
        """Map an offset of the mutated text back to the original text."""
        if pos <= self.span[0]:
            return pos
        if pos >= self.span[1]:
            return pos - self.delta
        return min(pos, self.original_span[1])


@dataclass(slots=True)
class Outcome:
    """What the checker said about one mutant."""

    detected: bool
    hits: list[dict[str, Any]] = field(default_factory=list)  # new inconsistent findings touching the edit
    false_flags: list[dict[str, Any]] = field(default_factory=list)  # new inconsistent findings elsewhere
    edited_claims: list[dict[str, Any]] = field(default_factory=list)  # claims of the mutant at the edit


# ============================================================================ numbers


@dataclass(frozen=True, slots=True)
class _Iv:
    lo: Decimal
    hi: Decimal

    def __add__(self, other: _Iv) -> _Iv:
        return _Iv(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: _Iv) -> _Iv:
        return _Iv(self.lo - other.hi, self.hi - other.lo)

    def scale(self, f: Decimal) -> _Iv:
        return _Iv(self.lo * f, self.hi * f) if f >= 0 else _Iv(self.hi * f, self.lo * f)

    def gap(self, other: _Iv) -> Decimal:
        """Distance between two intervals (negative when they overlap)."""
        return max(other.lo - self.hi, self.lo - other.hi)


def _half(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


def _unit(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _printed(value: Decimal, decimals: int) -> _Iv:
    """A printed figure as an interval; a printed 0 is an exact zero (as the checker reads it)."""
    if value == 0:
        return _Iv(Decimal(0), Decimal(0))
    h = _half(decimals)
    return _Iv(value - h, value + h)


def _pct(value: Decimal, decimals: int) -> _Iv:
    """A printed percentage: rounding, or truncation (up to one unit more)."""
    h = _half(decimals)
    return _Iv(value - h, value + 2 * h)


def _ratio(num: _Iv, den: _Iv) -> _Iv | None:
    """100 · num / den for a positive denominator."""
    if den.lo <= 0:
        return None
    cands = [num.lo / den.lo, num.lo / den.hi, num.hi / den.lo, num.hi / den.hi]
    return _Iv(min(cands) * 100, max(cands) * 100)


_NUM_CHARS = re.compile(r"[0-9]")


def _parse(printed: str) -> tuple[Decimal, int] | None:
    """A printed number (``2,627.63``, ``611.9\\n8``) as value and decimals."""
    s = re.sub(r"[,，\s]", "", printed)
    if not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return None
    dec = len(s.split(".")[1]) if "." in s else 0
    return Decimal(s), dec


@dataclass(frozen=True, slots=True)
class _Num:
    """A number printed in the original text."""

    span: Span
    text: str
    value: Decimal
    decimals: int
    factor: Decimal = Decimal(1)

    @property
    def iv(self) -> _Iv:
        return _printed(self.value, self.decimals).scale(self.factor)

    @property
    def scaled(self) -> Decimal:
        return self.value * self.factor


def _digit_edits(printed: str, *, up_only: bool = False) -> list[list[tuple[str, Decimal]]]:
    """One-digit edits of a printed number, grouped by position, least significant first.

    Each digit changes by ±1…5 (no carry); a leading digit never becomes 0 and the
    value never becomes 0.
    """
    digits = [i for i, ch in enumerate(printed) if ch.isdigit()]
    if not digits:
        return []
    int_digits = [i for i in digits if "." not in printed[:i]]
    lead = int_digits[0] if len(int_digits) > 1 else None
    groups: list[list[tuple[str, Decimal]]] = []
    for i in reversed(digits):
        d = int(printed[i])
        group: list[tuple[str, Decimal]] = []
        for step in (1, 2, 3, 4, 5, -1, -2, -3, -4, -5):
            nd = d + step
            if not 0 <= nd <= 9 or (up_only and step < 0) or (i == lead and nd == 0):
                continue
            s = printed[:i] + str(nd) + printed[i + 1 :]
            p = _parse(s)
            if p is None or p[0] == 0:
                continue
            group.append((s, p[0]))
        groups.append(group)
    return groups


def _pick_edit(
    rng: random.Random,
    printed: str,
    ok: Callable[[Decimal], bool],
    *,
    up_only: bool = False,
) -> tuple[str, Decimal] | None:
    """The smallest one-digit edit that ``ok`` accepts (random among the edits of that digit)."""
    for group in _digit_edits(printed, up_only=up_only):
        good = [(s, v) for s, v in group if ok(v)]
        if good:
            return rng.choice(good)
    return None


# ============================================================================ report index


class _Index:
    """The clean report, indexed for mutant generation."""

    def __init__(self, text: str, report: Report) -> None:
        self.text = text
        self.claims: dict[str, dict[str, Any]] = {c["id"]: c for c in report.get("claims", [])}
        self.findings: list[dict[str, Any]] = list(report.get("findings", []))
        self.verified = [f for f in self.findings if f["status"] == "verified"]
        self.inconsistent_claims = {
            cid for f in self.findings if f["status"] == "inconsistent" for cid in f.get("claims", [])
        }
        self._starts = _line_starts(text)
        # the unit each table is printed in (a table in 元 is read as 万元 by the checker)
        self.table_units: dict[str, str] = {t["id"]: t.get("unit") or "万元" for t in report.get("tables", [])}

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos)

    def sound(self, cid: str) -> bool:
        """The claim exists and no check found it inconsistent."""
        c = self.claims.get(cid)
        return c is not None and c.get("status") != "inconsistent" and cid not in self.inconsistent_claims

    def clean(self, cid: str) -> bool:
        """The claim's own check verified it (and none found it inconsistent)."""
        return self.sound(cid) and self.claims[cid].get("status") == "verified"

    def num(self, cid: str) -> _Num | None:
        """The printed number of a claim, read from the text at its number span."""
        c = self.claims.get(cid)
        if c is None or c.get("value") is None or not c.get("number_span"):
            return None
        a, b = c["number_span"]
        raw = self.text[a:b]
        p = _parse(raw)
        if p is None:
            return None
        factor = _FACTOR.get(c.get("unit") or "万元", Decimal(1))
        return _Num((a, b), raw, p[0], p[1], factor)

    def cell_num(self, cell: Mapping[str, Any]) -> _Num | None:
        span = cell.get("span")
        if not span:
            return None
        raw = self.text[span[0] : span[1]]
        p = _parse(raw)
        if p is None:
            return None
        # trim to the digits (a cell span may carry surrounding spaces)
        m = re.search(r"\d[\d,.\s]*\d|\d", raw)
        if m is None:
            return None
        factor = _FACTOR.get(self.table_units.get(str(cell.get("table")), "万元"), Decimal(1))
        return _Num((span[0] + m.start(), span[0] + m.end()), m.group(0), p[0], p[1], factor)

    def by_check(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        return [f for f in self.verified if f["check"] in codes]


def _line_starts(text: str) -> list[int]:
    starts: list[int] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        starts.append(pos)
        pos += len(raw)
    return starts or [0]


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# ============================================================================ generation


@dataclass(slots=True)
class _Gen:
    idx: _Index
    doc: str
    rng: random.Random
    per_kind: int
    out: list[Mutant] = field(default_factory=list)

    def make(
        self,
        kind: str,
        span: Span,
        new: str,
        description: str,
        *,
        extra_targets: Iterable[Span] = (),
        claim: str | None = None,
    ) -> Mutant:
        text = self.idx.text
        old = text[span[0] : span[1]]
        new_text = text[: span[0]] + new + text[span[1] :]
        new_span = (span[0], span[0] + len(new))
        delta = len(new) - len(old)
        targets = [new_span]
        for a, b in extra_targets:
            na = a if a <= span[0] else a + delta
            nb = b if b <= span[0] else b + delta
            targets.append((na, max(nb, na)))
        return Mutant(
            kind=kind,
            doc=self.doc,
            text=new_text,
            span=new_span,
            original_span=span,
            old=old,
            new=new,
            description=description,
            line=self.idx.line(span[0]),
            targets=tuple(dict.fromkeys(targets)),
            claim=claim,
        )

    def sample(self, kind: str, items: list[Any], build: Callable[[Any], Mutant | None]) -> None:
        """Build mutants from a shuffled copy of ``items`` until ``per_kind`` are made."""
        order = list(items)
        self.rng.shuffle(order)
        made = 0
        seen: set[Span] = set()
        for it in order:
            if made >= self.per_kind:
                break
            m = build(it)
            if m is None or m.original_span in seen:
                continue
            seen.add(m.original_span)
            self.out.append(m)
            made += 1


def generate_mutants(
    text: str,
    report: Report,
    *,
    doc: str = "",
    seed: int = 0,
    per_kind: int = 8,
    kinds: Iterable[str] = KINDS,
) -> list[Mutant]:
    """Single-error mutants of a clean report.

    ``report`` is ``check_text(text).to_dict()`` for the clean text. The result is
    deterministic for a given (``text``, ``doc``, ``seed``): each kind draws from its own
    random stream, so asking for fewer kinds does not change the others.
    """
    idx = _Index(text, report)
    out: list[Mutant] = []
    for kind in kinds:
        if kind not in _BUILDERS:
            raise ValueError(f"unknown mutant kind {kind!r}; choose from {', '.join(KINDS)}")
        rng = random.Random(zlib.crc32(f"{seed}:{doc}:{kind}".encode()))
        g = _Gen(idx, doc, rng, per_kind)
        _BUILDERS[kind](g)
        out.extend(g.out)
    return out


# ---------------------------------------------------------------- rate / change


def _rate_iv(head: _Num, chg: _Num, direction: int) -> _Iv | None:
    prior = head.iv - chg.iv if direction > 0 else head.iv + chg.iv
    return _ratio(chg.iv, prior)


def _rate_parts(
    g: _Gen, f: Mapping[str, Any], against: str = "change"
) -> tuple[dict[str, Any], _Num, _Num, _Num, int] | None:
    """(rate claim, rate, amount, third figure, direction) of a verified rate whose claims
    are [rate, amount, third]. ``against="change"``: the third is the stated change;
    ``against="amount"``: a rate over two stated amounts, the third is the earlier amount
    (“上年执行数为9.00万元，本年预算11.91万元，增加32.33%”)."""
    ids = f.get("claims", [])
    if len(ids) != 3:
        return None
    r, head, third = (g.idx.claims.get(x) for x in ids)
    if r is None or head is None or third is None or r.get("quantity") != "rate" or r.get("unit") != "%":
        return None
    if third.get("quantity") != against or (against == "amount" and head.get("quantity") != "amount"):
        return None
    if not g.idx.clean(ids[0]) or not all(g.idx.sound(x) for x in ids):
        return None
    rn, hn, tn = g.idx.num(ids[0]), g.idx.num(ids[1]), g.idx.num(ids[2])
    if rn is None or hn is None or tn is None or rn.value == 0 or tn.value == 0:
        return None
    return r, rn, hn, tn, int((third if against == "change" else r).get("direction") or 1)


def _rate2_iv(head: _Num, base: _Iv, direction: int) -> _Iv | None:
    """The rate (head − base) / base, signed so that the stated direction is positive."""
    got = _ratio(head.iv - base, base)
    return got if got is None or direction > 0 else _Iv(-got.hi, -got.lo)


def _build_rate(g: _Gen) -> None:
    def build(f: dict[str, Any]) -> Mutant | None:
        got = _rate_parts(g, f)
        if got is not None:
            r, rn, hn, cn, direction = got
            truth = _rate_iv(hn, cn, direction)
        else:
            got = _rate_parts(g, f, "amount")
            if got is None:
                return None
            r, rn, hn, bn, direction = got
            truth = _rate2_iv(hn, bn.iv, direction)
        if truth is None:
            return None

        def ok(v: Decimal) -> bool:
            return _pct(v, rn.decimals).gap(truth) >= _unit(rn.decimals)

        e = _pick_edit(g.rng, rn.text, ok)
        if e is None:
            return None
        return g.make(
            "rate",
            rn.span,
            e[0],
            f"rate “{r['text'].strip()}”: {rn.text}% → {e[0]}% (inputs allow {truth.lo:.2f}–{truth.hi:.2f}%)",
            claim=r["id"],
        )

    g.sample("rate", g.idx.by_check(_VERIFIED_RATE), build)


def _build_change(g: _Gen) -> None:
    def build(f: dict[str, Any]) -> Mutant | None:
        got = _rate_parts(g, f)
        if got is not None:
            r, rn, hn, tn, direction = got
            what = "change"

            def truth(new: _Iv) -> _Iv | None:  # the stated change: the earlier figure is amount ∓ change
                return _ratio(new, hn.iv - new if direction > 0 else hn.iv + new)

        else:
            got = _rate_parts(g, f, "amount")
            if got is None:
                return None
            r, rn, hn, tn, direction = got
            what = "earlier amount"

            def truth(new: _Iv) -> _Iv | None:  # the earlier amount itself
                return _rate2_iv(hn, new, direction)

        rep = _pct(rn.value, rn.decimals)
        third = g.idx.claims[f["claims"][2]]

        def ok(v: Decimal) -> bool:
            t = truth(_Num(tn.span, "", v, tn.decimals, tn.factor).iv)
            return t is not None and rep.gap(t) >= _unit(rn.decimals)

        e = _pick_edit(g.rng, tn.text, ok)
        if e is None:
            return None
        return g.make(
            "change",
            tn.span,
            e[0],
            f"{what} “{third['text'].strip()}”: {tn.text} → {e[0]}, so “{r['text'].strip()}” no longer follows",
            claim=third["id"],
        )

    g.sample("change", g.idx.by_check(_VERIFIED_RATE), build)


# ---------------------------------------------------------------- share / completion


def _ratio_parts(g: _Gen, f: Mapping[str, Any], quantity: str) -> tuple[dict[str, Any], _Num, _Num, _Num] | None:
    """(claim, its number, numerator, denominator) of a verified share or completion."""
    ids = f.get("claims", [])
    if len(ids) < 2:
        return None
    c = g.idx.claims.get(ids[0])
    if c is None or c.get("quantity") != quantity or c.get("unit") != "%":
        return None
    if not g.idx.clean(ids[0]) or not all(g.idx.sound(x) for x in ids):
        return None
    cn, num = g.idx.num(ids[0]), g.idx.num(ids[1])
    if cn is None or num is None or cn.value == 0:
        return None
    den: _Num | None = None
    if len(ids) > 2:
        den = g.idx.num(ids[2])
    elif f.get("cells"):
        den = g.idx.cell_num(f["cells"][0])
    if den is None or den.value == 0:
        return None
    return c, cn, num, den


def _build_ratio_kind(g: _Gen, kind: str, quantity: str, codes: Sequence[str]) -> None:
    def build(f: dict[str, Any]) -> Mutant | None:
        got = _ratio_parts(g, f, quantity)
        if got is None:
            return None
        c, cn, num, den = got
        truth = _ratio(num.iv, den.iv)
        if truth is None:
            return None

        def ok(v: Decimal) -> bool:
            return _pct(v, cn.decimals).gap(truth) >= _unit(cn.decimals)

        e = _pick_edit(g.rng, cn.text, ok)
        if e is None:
            return None
        return g.make(
            kind,
            cn.span,
            e[0],
            f"{kind} “{c['text'].strip()}”: {cn.text}% → {e[0]}% "
            f"({num.value} / {den.value} allows {truth.lo:.2f}–{truth.hi:.2f}%)",
            claim=c["id"],
        )

    g.sample(kind, g.idx.by_check(codes), build)


def _build_share(g: _Gen) -> None:
    _build_ratio_kind(g, "share", "share", _VERIFIED_SHARE)


def _build_completion(g: _Gen) -> None:
    _build_ratio_kind(g, "completion", "completion", _VERIFIED_COMPLETION)


# ---------------------------------------------------------------- amounts matched to a cell


def _amount_matches(g: _Gen) -> list[tuple[dict[str, Any], _Num, _Num, dict[str, Any]]]:
    """(claim, its number, the cell's number, finding) for every verified amount = cell."""
    out = []
    for f in g.idx.by_check(_VERIFIED_AMOUNT):
        ids = f.get("claims", [])
        cells = f.get("cells", [])
        if len(ids) != 1 or len(cells) != 1:
            continue
        c = g.idx.claims.get(ids[0])
        if c is None or c.get("quantity") != "amount" or not g.idx.clean(ids[0]):
            continue
        n, cell = g.idx.num(ids[0]), g.idx.cell_num(cells[0])
        if n is None or cell is None:
            continue
        out.append((c, n, cell, f))
    return out


def _build_transposed(g: _Gen) -> None:
    def build(item: tuple[dict[str, Any], _Num, _Num, dict[str, Any]]) -> Mutant | None:
        c, n, cell, _ = item
        if n.value == 0:
            return None
        s = n.text
        digits = [i for i, ch in enumerate(s) if ch.isdigit()]
        swaps: list[str] = []
        for a, b in itertools.pairwise(digits):
            if s[a] == s[b] or any(ch not in ".," for ch in s[a + 1 : b]):
                continue
            t = s[:a] + s[b] + s[a + 1 : b] + s[a] + s[b + 1 :]
            ip = re.sub(r"[,\s]", "", t).split(".")[0]
            if len(ip) > 1 and ip[0] == "0":
                continue
            p = _parse(t)
            if p is None or p[0] == 0:
                continue
            new = _Num(n.span, t, p[0], p[1], n.factor)
            if new.iv.gap(cell.iv) >= _unit(n.decimals) * n.factor:
                swaps.append(t)
        if not swaps:
            return None
        t = g.rng.choice(swaps)
        return g.make(
            "transposed",
            n.span,
            t,
            f"amount “{c['text'].strip()}”: {s} → {t} (table cell {cell.text})",
            claim=c["id"],
        )

    g.sample("transposed", _amount_matches(g), build)


def _build_unit(g: _Gen) -> None:
    def build(item: tuple[dict[str, Any], _Num, _Num, dict[str, Any]]) -> Mutant | None:
        c, n, cell, _ = item
        if n.value == 0 or c.get("unit") != "万元":
            return None
        end = c["span"][1]
        m = re.compile(r"\s*(万)\s*元").match(g.idx.text, n.span[1], end)
        if m is None:
            return None
        new = _Num(n.span, n.text, n.value, n.decimals, _FACTOR["元"])
        if new.iv.gap(cell.iv) < _unit(n.decimals) * _FACTOR["元"]:
            return None
        # the edit: the number with its unit, 万 dropped
        span = (n.span[0], m.end())
        old = g.idx.text[span[0] : span[1]]
        wan = m.start(1) - span[0]
        new_s = old[:wan] + old[wan + 1 :]
        return g.make(
            "unit",
            span,
            new_s,
            f"unit slip “{c['text'].strip()}”: {old.strip()} → {new_s.strip()} (table cell {cell.text}万元)",
            claim=c["id"],
        )

    g.sample("unit", _amount_matches(g), build)


def _table_cells(text: str) -> list[_Num]:
    """Every non-empty value cell of the document's standard tables (``parse_tables``) that the
    checker reads: a table it reports as unreadable (I002, e.g. layout text whose blank cells
    could not be placed) is used by no check, so an edit there is not an error it could see."""
    from .ingest import document_from_bytes
    from .tables import iter_cells, parse_tables

    doc = document_from_bytes(text.encode("utf-8"), "<mutation>")
    if doc.text != text:  # spans would not index ``text``
        return []
    out: list[_Num] = []
    for t in parse_tables(doc):
        if t.problems:
            continue
        for _, cell in iter_cells(t):
            if cell.value is None or cell.span is None:
                continue
            raw = text[cell.span[0] : cell.span[1]]
            p = _parse(raw)
            if p is not None:
                out.append(_Num(cell.span, raw, p[0], p[1]))
    return out


def _build_cell(g: _Gen) -> None:
    """A table cell whose value a verified narrative amount states: the cell the claim was
    matched to, or another cell of the same value (another table showing the same figure).

    The matched cell changes by the smallest edit that clearly misses the claim; another
    cell, caught only by the tables' identities (whose tolerance grows with the number of
    addends), changes by at least 1万元.
    """
    matches = _amount_matches(g)
    matched: dict[Span, _Num] = {cell.span: cell for _, _, cell, _ in matches}
    by_value: dict[Decimal, list[tuple[dict[str, Any], _Num]]] = {}
    for c in g.idx.claims.values():
        if c.get("quantity") != "amount" or c.get("unit") != "万元" or not g.idx.clean(c["id"]):
            continue
        n = g.idx.num(c["id"])
        if n is not None and n.value != 0:
            by_value.setdefault(n.value, []).append((c, n))
    cells: dict[Span, _Num] = dict(matched)
    for cell in _table_cells(g.idx.text):
        if cell.value != 0 and cell.value in by_value:
            cells.setdefault(cell.span, cell)
    quoters: dict[Span, list[tuple[dict[str, Any], _Num]]] = {}
    for span, cell in cells.items():
        qs = {c["id"]: (c, n) for c, n in by_value.get(cell.value, [])}
        for c, n, mc, _ in matches:
            if mc.span == span:
                qs.setdefault(c["id"], (c, n))
        if qs:
            quoters[span] = list(qs.values())

    def build(span: Span) -> Mutant | None:
        cell = cells[span]
        if cell.value == 0:
            return None
        qs = quoters[span]

        def ok(v: Decimal) -> bool:
            new = _printed(v, cell.decimals).scale(cell.factor)  # in 万元, like the quoting claims
            if span not in matched and abs(v - cell.value) * cell.factor < _OTHER_CELL_MIN_CHANGE:
                return False
            least = max(_unit(cell.decimals) * cell.factor, *(_unit(n.decimals) * n.factor for _, n in qs))
            return all(new.gap(n.iv) >= least for _, n in qs)

        e = _pick_edit(g.rng, cell.text, ok)
        if e is None:
            return None
        how = "the cell it was matched to" if span in matched else "same value, another cell"
        names = "; ".join(f"“{c['text'].strip()}” (line {c['line']})" for c, _ in qs[:3])
        return g.make(
            "cell",
            cell.span,
            e[0],
            f"table cell {cell.text} → {e[0]}, quoted by {names} ({how})",
            extra_targets=[(int(c["span"][0]), int(c["span"][1])) for c, _ in qs],
            claim=qs[0][0]["id"],
        )

    # half the draws from matched cells, half from other cells of a quoted value
    first = sorted(s for s in quoters if s in matched)
    second = sorted(s for s in quoters if s not in matched)
    g.rng.shuffle(first)
    g.rng.shuffle(second)
    order: list[Span] = []
    for i in range(max(len(first), len(second))):
        order.extend(x[i] for x in (first, second) if i < len(x))
    made = 0
    for span in order:
        if made >= g.per_kind:
            break
        m = build(span)
        if m is not None:
            g.out.append(m)
            made += 1


# ---------------------------------------------------------------- components / direction


def _build_component(g: _Gen) -> None:
    items: list[tuple[dict[str, Any], int]] = []
    for f in g.idx.by_check(("N206",)):
        ids = f.get("claims", [])
        if len(ids) < 3 or not all(g.idx.sound(x) for x in ids):
            continue
        items.extend((f, i) for i in range(1, len(ids)))

    def build(item: tuple[dict[str, Any], int]) -> Mutant | None:
        f, i = item
        ids = f["claims"]
        total = g.idx.num(ids[0])
        parts = [g.idx.num(x) for x in ids[1:]]
        if total is None or any(p is None for p in parts):
            return None
        nums = [p for p in parts if p is not None]
        comp = nums[i - 1]
        rest = [p.iv for j, p in enumerate(nums) if j != i - 1]
        t_claim = g.idx.claims[ids[0]]
        # a shortfall is only an error when the list is exhaustive (the checker cannot tell
        # otherwise): make the parts exceed the total, unless the total is a stated sum
        up_only = t_claim.get("quantity") != "sum"

        def ok(v: Decimal) -> bool:
            new = _Num(comp.span, "", v, comp.decimals, comp.factor)
            s = sum(rest, new.iv)
            return s.gap(total.iv) >= _unit(total.decimals) * total.factor

        e = _pick_edit(g.rng, comp.text, ok, up_only=up_only)
        if e is None:
            return None
        c = g.idx.claims[ids[i]]
        return g.make(
            "component",
            comp.span,
            e[0],
            f"component “{c['text'].strip()}” of “{t_claim['text'].strip()}”: {comp.text} → {e[0]}",
            claim=c["id"],
        )

    g.sample("component", items, build)


def _build_direction(g: _Gen) -> None:
    items: list[tuple[dict[str, Any], int]] = []
    for f in g.idx.by_check(_VERIFIED_RATE):
        got = _rate_parts(g, f)
        if got is None:
            continue
        r = got[0]
        chg = g.idx.claims[f["claims"][2]]
        if r.get("direction") is None or chg.get("direction") is None or r["direction"] != chg["direction"]:
            continue
        items.extend([(f, 0), (f, 2)])

    def build(item: tuple[dict[str, Any], int]) -> Mutant | None:
        f, which = item
        c = g.idx.claims[f["claims"][which]]
        other = g.idx.claims[f["claims"][2 - which]]
        a, b = c["span"]
        ns = c.get("number_span") or [b, b]
        words = [m for m in _DIR_WORD.finditer(g.idx.text, a, ns[0])]
        if not words:
            return None
        w = words[-1]
        new = FLIP[w.group(0)]
        return g.make(
            "direction",
            (w.start(), w.end()),
            new,
            f"direction “{c['text'].strip()}”: {w.group(0)} → {new}, while “{other['text'].strip()}” keeps its word",
            extra_targets=[(int(c["span"][0]), int(c["span"][1])), (int(other["span"][0]), int(other["span"][1]))],
            claim=c["id"],
        )

    g.sample("direction", items, build)


_BUILDERS: dict[str, Callable[[_Gen], None]] = {
    "rate": _build_rate,
    "change": _build_change,
    "share": _build_share,
    "completion": _build_completion,
    "transposed": _build_transposed,
    "direction": _build_direction,
    "unit": _build_unit,
    "cell": _build_cell,
    "component": _build_component,
}


# ============================================================================ evaluation


def inconsistent_findings(report: Report) -> list[dict[str, Any]]:
    return [f for f in report.get("findings", []) if f.get("status") == "inconsistent"]


def finding_key(f: Mapping[str, Any], mutant: Mutant | None = None) -> Key:
    """A message-independent identity of a finding: its check and its spans (original offsets)."""
    spans: list[Span] = []
    for s in f.get("spans", []):
        a, b = int(s[0]), int(s[1])
        if mutant is not None:
            a, b = mutant.to_original(a), mutant.to_original(b)
        spans.append((a, b))
    return str(f["check"]), tuple(sorted(set(spans)))


def baseline_keys(report: Report) -> set[Key]:
    """Keys of the clean report's inconsistent findings (subtracted from every mutant's)."""
    return {finding_key(f) for f in inconsistent_findings(report)}


def evaluate(mutant: Mutant, report: Report, baseline: set[Key] | None = None) -> Outcome:
    """Was the injected error caught, and what else was flagged?

    A new inconsistent finding (one whose key is not in ``baseline``) that touches one of
    the mutant's targets catches it; every other new inconsistent finding is a false flag.
    """
    base = baseline or set()
    out = Outcome(detected=False)
    for f in inconsistent_findings(report):
        if finding_key(f, mutant) in base:
            continue
        spans = [tuple(s) for s in f.get("spans", [])]
        if any(_overlaps(s, t) for s in spans for t in mutant.targets):
            out.hits.append(f)
        else:
            out.false_flags.append(f)
    out.detected = bool(out.hits)
    for c in report.get("claims", []):
        span = c.get("span")
        if span and _overlaps(span, mutant.span):
            out.edited_claims.append(
                {
                    k: c.get(k)
                    for k in ("id", "text", "quantity", "subject", "value", "unit", "status", "reason")
                    if k in c
                }
            )
    return out


# ============================================================================ clean variants


def _narrative_start(text: str) -> int:
    """Offset of the narrative part (the last “第三部分” heading, else the whole text)."""
    i = text.rfind("第三部分")
    return max(i, 0)


def _in_narrative(text: str, edit: Callable[[str], str]) -> str:
    i = _narrative_start(text)
    return text[:i] + edit(text[i:])


def variant_wording(text: str) -> str:
    """Same report, other standard wording in the narrative: 较上年 / 同比, 增幅 / 降幅."""

    def edit(s: str) -> str:
        s = s.replace("比上年决算数", "较上年决算数").replace("比年初预算数", "较年初预算数")
        s = re.sub(r"(?<![较同])比上年(?!决算)", "同比", s)
        s = re.sub(r"(?<=，)下降(?=\d)", "降幅", s)
        s = re.sub(r"(?<=，)增长(?=\d)", "增幅", s)
        return s

    return _in_narrative(text, edit)


def variant_spaced(text: str) -> str:
    """Same report, narrative spaced as pdftotext prints it: “收入 611.98 万元，下降 10.2 %”."""

    def edit(s: str) -> str:
        s = re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)", " ", s)
        s = re.sub(r"(?<=\d)(?=万元|%)", " ", s)
        return s

    return _in_narrative(text, edit)


VARIANTS: dict[str, Callable[[str], str]] = {"wording": variant_wording, "spaced": variant_spaced}
