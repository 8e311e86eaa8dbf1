"""The likely cause of each inconsistent finding (issue 14): one tested rule per cause.

Every rule reads what the finding compared (its claims, cells, expected and observed
values and the interval printed rounding allows) and either shows the arithmetic that
explains the difference or does not apply. The rules are tried from the most specific
to the least (:data:`reconcile.findings.CAUSES` ranks them); ``unknown`` when none fits.
A cause never changes a finding's status: it is an added field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .findings import Cause, CellRef, Finding, cause
from .model import Cell, Row, Table, human_name
from .numbers import Interval
from .shown import decimals_of, show

__all__ = ["Context", "assign_causes", "likely_cause"]

# more candidate values than this in an interval: any figure would fit, so digit rules say nothing
_MAX_CANDIDATES = 5000
# percentages may be truncated as well as rounded (the rate checks allow both)
_PERCENT_CHECKS = ("N203", "N204", "N205")
# counts and scores: a one-digit number differs from any other in one digit, which is no evidence
_COUNT_CHECKS = ("N212", "N213")
_WAN = Decimal(10000)


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules may look at besides the finding: the claims by id and the tables by id."""

    claims: Mapping[str, Mapping[str, Any]]
    tables: Mapping[str, Table]


def assign_causes(
    findings: list[Finding], claims: Sequence[Mapping[str, Any]], tables: Sequence[Table]
) -> list[Finding]:
    """``findings`` with a likely cause on each inconsistent one (others unchanged)."""
    ctx = Context({str(c["id"]): c for c in claims}, {t.id: t for t in tables})
    return [
        dataclasses.replace(f, likely_cause=likely_cause(f, ctx)) if f.status == "inconsistent" else f for f in findings
    ]


def likely_cause(f: Finding, ctx: Context) -> Cause:
    """The first rule that explains ``f`` (most specific first), else ``unknown``."""
    for rule in _RULES:
        found = rule(f, ctx)
        if found is not None:
            return found
    return cause("unknown")


# ---------------------------------------------------------------- printed numbers


def claim_number(c: Mapping[str, Any] | None) -> Decimal | None:
    """A claim's number as printed (its value at its printed decimals)."""
    if c is None or c.get("value") is None or isinstance(c.get("value"), bool):
        return None
    d = int(c.get("decimals") or 0)
    return Decimal(repr(c["value"]) if isinstance(c["value"], float) else str(c["value"])).quantize(Decimal(10) ** -d)


def candidates(iv: Interval, decimals: int, limit: int = _MAX_CANDIDATES) -> list[Decimal]:
    """Every value printed with ``decimals`` decimals inside ``iv``, nearest its middle first
    (empty when there are more than ``limit``: then any figure would fit)."""
    step = Decimal(10) ** -decimals
    lo = (iv.lo / step).to_integral_value(rounding="ROUND_CEILING")
    hi = (iv.hi / step).to_integral_value(rounding="ROUND_FLOOR")
    if hi < lo or hi - lo > limit:
        return []
    mid = iv.mid
    found = [(Decimal(int(k)) * step).quantize(step) for k in range(int(lo), int(hi) + 1)]
    return sorted(found, key=lambda v: abs(v - mid))


def digit_edit(stated: Decimal, right: Decimal) -> tuple[str, int, int] | None:
    """How ``stated`` differs from ``right`` printed alike: ("one", i, i) when one digit
    differs, ("swap", i, j) when two adjacent digits are swapped, None otherwise."""
    a, b = show(abs(stated), decimals_of(stated)), show(abs(right), decimals_of(stated))
    if len(a) != len(b) or a == b or (stated < 0) != (right < 0):
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return "one", diff[0], diff[0]
    if len(diff) == 2:
        i, j = diff
        between = a[i + 1 : j]
        if all(ch in ".," for ch in between) and a[i] == b[j] and a[j] == b[i]:
            return "swap", i, j
    return None


# ---------------------------------------------------------------- what a finding compared


def _pairs(f: Finding, ctx: Context) -> Iterator[tuple[Decimal, Interval, int]]:
    """(a printed figure, the interval its printed value should meet, how many candidates are
    evidence) for every figure of ``f`` one mistyped digit could explain."""
    if f.observed is not None and (f.tolerance is not None or f.expected is not None):
        lo, hi = f.tolerance if f.tolerance is not None else (f.expected, f.expected)
        assert lo is not None and hi is not None
        unit = Decimal(10) ** -decimals_of(f.observed)
        if f.check in _PERCENT_CHECKS:  # reported by rounding or by truncation
            lo, hi = lo - unit, hi + unit / 2
        elif f.tolerance is not None:  # the printed value stands for ± half a unit of its last digit
            lo, hi = lo - unit / 2, hi + unit / 2
        yield f.observed, Interval(lo, hi), _MAX_CANDIDATES
        if f.tolerance is None and f.expected is not None:  # two printed values: either may be the wrong one
            yield f.expected, Interval(f.observed, f.observed), _MAX_CANDIDATES
    if f.check == "N201" and len(f.cells) == 1 and f.cells[0].value is not None and f.observed is not None:
        cell = f.cells[0].value
        yield cell, _printed(f.observed), _MAX_CANDIDATES
    yield from _rate_inputs(f, ctx)


def _printed(v: Decimal) -> Interval:
    return Interval.printed(v, decimals_of(v))


def _rate_inputs(f: Finding, ctx: Context) -> Iterator[tuple[Decimal, Interval, int]]:
    """For a growth rate (N203): each amount as the reported rate and the other amounts imply it."""
    if f.check != "N203":
        return
    cl = [c for c in (ctx.claims.get(i) for i in f.claims) if c is not None]
    rate_claim = next((c for c in cl if c.get("quantity") == "rate"), None)
    rate = claim_number(rate_claim)
    if rate_claim is None or rate is None:
        return
    unit = Decimal(10) ** -decimals_of(rate)
    r = Interval(rate - unit, rate + unit).scale(Decimal("0.01"))  # rounded or truncated
    s = -1 if int(rate_claim.get("direction") or 1) < 0 else 1
    change = next((c for c in cl if c.get("quantity") == "change"), None)
    amounts = [c for c in cl if c.get("quantity") == "amount"]
    if change is not None and amounts:  # amount = base ± change, rate = change / base
        c, a = claim_number(change), claim_number(amounts[0])
        if c is not None and a is not None:
            yield c, _monotone(lambda x, y: x * y / (1 + s * x) if 1 + s * x else y, r, _printed(a)), _MAX_CANDIDATES
            yield a, _monotone(lambda x, y: y * (1 + s * x) / x if x else y, r, _printed(c)), _MAX_CANDIDATES
    elif len(amounts) == 2:  # (current − base) / base = rate: either amount may be the current one
        for x_claim, y_claim in (amounts, amounts[::-1]):
            x, y = claim_number(x_claim), claim_number(y_claim)
            if x is not None and y is not None:
                yield x, _monotone(lambda k, v: v / (1 + s * k) if 1 + s * k else v, r, _printed(y)), _MAX_CANDIDATES
                yield x, _monotone(lambda k, v: v * (1 + s * k), r, _printed(y)), _MAX_CANDIDATES


def _monotone(fn: Callable[[Decimal, Decimal], Decimal], a: Interval, b: Interval) -> Interval:
    """The interval of ``fn`` over ``a`` × ``b`` for a function monotone in each argument (its corners)."""
    corners = [fn(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Interval(min(corners), max(corners))


# ---------------------------------------------------------------- rules


def _unit(f: Finding, ctx: Context) -> Cause | None:
    """元 written for 万元: an N210 finding, or an amount that fits once multiplied by 10,000."""
    cl = [c for c in (ctx.claims.get(i) for i in f.claims) if c is not None]
    yuan = next((c for c in cl if c.get("unit") == "元" and c.get("quantity") == "amount"), None)
    if f.check == "N210" and yuan is not None:
        v = claim_number(yuan)
        if v is not None:
            exp = f.expected if f.expected is not None else v
            return cause("unit_yuan", value=v, wan=show(v / _WAN, decimals_of(v) + 4), expected=exp)
    if f.check == "N201" and f.observed is not None and f.tolerance is not None:
        v = f.observed
        tol = Interval(*f.tolerance)
        if v and tol.meets(_printed(v).scale(_WAN)):
            return cause("unit_yuan", value=v, wan=v * _WAN, expected=f.expected)
    return None


def _zero_base(f: Finding, ctx: Context) -> Cause | None:
    """增长100% (or 完成100%) written over a zero base (N209)."""
    if f.check != "N209":
        return None
    cl = [c for c in (ctx.claims.get(i) for i in f.claims) if c is not None]
    rate = next((c for c in cl if c.get("quantity") in ("rate", "completion")), None)
    amount = next((claim_number(c) for c in cl if c.get("quantity") == "amount"), None)
    if rate is None or claim_number(rate) != 100:
        return None
    a = amount if amount is not None else Decimal(0)
    if rate.get("quantity") == "completion":
        meaning = f"100% would mean the actual figure equals a budget that is not 0 (here the actual is {a})"
    else:
        meaning = f"增长100% would mean the figure doubled, from {show(a / 2, decimals_of(a))} to {a}"
    return cause("zero_base_100", amount=a, rate=str(rate.get("text", "")).strip(), meaning=meaning)


def _digits(f: Finding, ctx: Context) -> Cause | None:
    """Two adjacent digits swapped, or one digit wrong: the value nearest to what the finding
    expected that is one such edit away from a printed figure."""
    for stated, iv, limit in _pairs(f, ctx):
        d = decimals_of(stated)
        for right in candidates(iv, d, limit):
            edit = digit_edit(stated, right)
            if edit is None:
                continue
            a, b = show(abs(stated), d), show(abs(right), d)
            if edit[0] == "swap":
                return cause("digits_swapped", stated=a, expected=b, a=b[edit[1]], b=b[edit[2]])
            if f.check in _COUNT_CHECKS and len(a.replace(".", "").lstrip("0")) < 2:
                continue
            return cause(
                "one_digit",
                stated=a,
                expected=b,
                digit=a[edit[1]],
                right=b[edit[1]],
                difference=show(stated - right, d),
            )
    return _sum_digit(f)


def _sum_digit(f: Finding) -> Cause | None:
    """A printed total against the sum of printed parts that differ by one digit's worth
    (k · 10ⁿ): one of the figures summed has that digit wrong."""
    if f.tolerance is None or f.observed is None or f.expected is None or f.check in _PERCENT_CHECKS:
        return None
    diff = f.observed - f.expected
    if not diff or f.check in _COUNT_CHECKS:
        return None
    digits = diff.copy_abs().normalize().as_tuple()
    if len(digits.digits) != 1:
        return None
    d = max(decimals_of(f.observed), decimals_of(f.expected))
    return cause(
        "one_digit",
        "sum",
        total=show(f.observed, d),
        sum=show(f.expected, d),
        difference=show(diff, d),
        digit=digits.digits[0],
        place=_place(int(digits.exponent)),
    )


def _place(exponent: int) -> str:
    names = {-2: "hundredths (0.01)", -1: "tenths (0.1)", 0: "units", 1: "tens", 2: "hundreds", 3: "thousands"}
    return names.get(exponent, f"10^{exponent}")


def _cell_of(ctx: Context, ref: CellRef) -> tuple[Table, int, Row] | None:
    t = ctx.tables.get(ref.table)
    if t is None:
        return None
    for i, r in enumerate(t.rows):
        if r.key() == ref.row and ref.column in r.cells:
            return t, i, r
    return None


def _meets(cell: Cell | None, stated: Decimal) -> bool:
    return cell is not None and cell.value is not None and cell.value != 0 and cell.interval.meets(_printed(stated))


def _other_cell(f: Finding, ctx: Context) -> Cause | None:
    """The narrative amount is the value of a neighbouring row or column, or of another column of the row."""
    if f.check != "N201" or len(f.cells) != 1 or f.observed is None:
        return None
    ref, stated = f.cells[0], f.observed
    found = _cell_of(ctx, ref)
    if found is None:
        return None
    t, i, row = found
    show_cell = ref.value if ref.value is not None else ""
    row_name = row.key() or "（全表）"
    near = [t.rows[j] for j in (i - 1, i + 1) if 0 <= j < len(t.rows) and t.rows[j].block == row.block]
    for other in near:
        if _meets(other.cells.get(ref.column), stated):
            value = other.cells[ref.column].value
            return cause(
                "neighbour_value",
                stated=stated,
                axis="row",
                other=other.key(),
                table=t.id,
                value=value,
                row=row_name,
                column=human_name(ref.column),
                cell=show_cell,
            )
    cols = list(row.cells)
    k = cols.index(ref.column)
    for j, col in enumerate(cols):
        if col == ref.column or not _meets(row.cells[col], stated):
            continue
        code = "neighbour_value" if abs(j - k) == 1 else "other_column"
        fields: dict[str, object] = {"stated": stated, "table": t.id, "row": row_name, "column": human_name(ref.column)}
        fields |= {"other": human_name(col), "value": row.cells[col].value, "cell": show_cell, "axis": "column"}
        return cause(code, None, **fields)
    return None


def _shares(f: Finding, ctx: Context) -> tuple[Mapping[str, Any], Decimal, Decimal, Decimal] | None:
    """(the share claim, its reported value, the part and the whole) of a share finding."""
    if f.check != "N204" or f.expected is None or f.observed is None:
        return None
    cl = [c for c in (ctx.claims.get(i) for i in f.claims) if c is not None]
    share = next((c for c in cl if c.get("quantity") == "share"), None)
    amounts = [v for v in (claim_number(c) for c in cl if c.get("quantity") != "share") if v is not None]
    amounts += [c.value for c in f.cells if c.value is not None]
    if share is None:
        return None
    for p in amounts:
        for w in amounts:
            if w and p is not w and abs(p / w * 100 - f.expected) < Decimal("1e-6"):
                return share, f.observed, p, w
    return None


def _wrong_whole(f: Finding, ctx: Context) -> Cause | None:
    """The reported share is the part over another amount the document states."""
    found = _shares(f, ctx)
    if found is None:
        return None
    _share, reported, part, whole = found
    want = _printed(reported)
    for c in ctx.claims.values():
        w = claim_number(c)
        if c.get("quantity") != "amount" or w is None or w <= 0 or w in (whole, part) or c.get("unit") != "万元":
            continue
        fits = part / w * 100
        if want.contains(fits):
            return cause(
                "wrong_whole",
                part=part,
                other=w,
                fits=show(fits, decimals_of(reported) + 2),
                reported=reported,
                other_text=str(c.get("text", "")).strip(),
                whole=whole,
                exact=show(f.expected or Decimal(0), decimals_of(reported) + 2),
            )
    return None


def _forced_100(f: Finding, ctx: Context) -> Cause | None:
    """A share off by about one unit of its last digit, listed with shares that add up to exactly 100%."""
    found = _shares(f, ctx)
    if found is None or f.tolerance is None or f.expected is None:
        return None
    share, reported, part, whole = found
    unit = Decimal(10) ** -decimals_of(reported)
    if abs(reported - f.expected.quantize(unit)) > unit:  # one unit off its rounded value, at most
        return None
    section = share.get("section_id")
    listed = [
        c
        for c in ctx.claims.values()
        if c.get("quantity") == "share" and c.get("section_id") == section and c.get("section_id") is not None
    ]
    values = [v for v in (claim_number(c) for c in listed) if v is not None]
    if len(values) < 2 or sum(values) != 100:
        return None
    listing = " + ".join(f"{v}%" for v in values) + " = 100%"
    return cause(
        "forced_100",
        part=part,
        whole=whole,
        exact=show(f.expected, decimals_of(reported) + 2),
        reported=reported,
        listing=listing,
    )


_RULES: tuple[Callable[[Finding, Context], Cause | None], ...] = (
    _unit,
    _zero_base,
    _forced_100,
    _digits,
    _other_cell,
    _wrong_whole,
)
