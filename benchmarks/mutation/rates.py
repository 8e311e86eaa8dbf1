"""Mutants of derived figures: ``rate``, ``change``, ``share``, ``completion`` (one digit of
a verified figure changed so that its inputs no longer allow it) and ``direction`` (one
direction word of a verified change/rate pair flipped)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .draw import Draw
from .intervals import Interval, Printed, digit_unit, percent_interval, pick_edit, ratio_interval
from .mutant import FLIP, Mutant

_DIR_WORD = re.compile("|".join(FLIP))
_VERIFIED_RATE = ("N203", "N214")
_VERIFIED_SHARE = ("N204", "N214")
_VERIFIED_COMPLETION = ("N205", "N214")


# ---------------------------------------------------------------- rate / change


def _rate_iv(head: Printed, chg: Printed, direction: int) -> Interval | None:
    prior = head.iv - chg.iv if direction > 0 else head.iv + chg.iv
    return ratio_interval(chg.iv, prior)


def _rate_parts(
    g: Draw, f: Mapping[str, Any], against: str = "change"
) -> tuple[dict[str, Any], Printed, Printed, Printed, int] | None:
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


def _rate2_iv(head: Printed, base: Interval, direction: int) -> Interval | None:
    """The rate (head − base) / base, signed so that the stated direction is positive."""
    got = ratio_interval(head.iv - base, base)
    return got if got is None or direction > 0 else Interval(-got.hi, -got.lo)


def build_rate(g: Draw) -> None:
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
            return percent_interval(v, rn.decimals).gap(truth) >= digit_unit(rn.decimals)

        e = pick_edit(g.rng, rn.text, ok)
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


def build_change(g: Draw) -> None:
    def build(f: dict[str, Any]) -> Mutant | None:
        got = _rate_parts(g, f)
        if got is not None:
            r, rn, hn, tn, direction = got
            what = "change"

            def truth(new: Interval) -> Interval | None:  # the stated change: the earlier figure is amount ∓ change
                return ratio_interval(new, hn.iv - new if direction > 0 else hn.iv + new)

        else:
            got = _rate_parts(g, f, "amount")
            if got is None:
                return None
            r, rn, hn, tn, direction = got
            what = "earlier amount"

            def truth(new: Interval) -> Interval | None:  # the earlier amount itself
                return _rate2_iv(hn, new, direction)

        rep = percent_interval(rn.value, rn.decimals)
        third = g.idx.claims[f["claims"][2]]

        def ok(v: Decimal) -> bool:
            t = truth(Printed(tn.span, "", v, tn.decimals, tn.factor).iv)
            return t is not None and rep.gap(t) >= digit_unit(rn.decimals)

        e = pick_edit(g.rng, tn.text, ok)
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


def _ratio_parts(
    g: Draw, f: Mapping[str, Any], quantity: str
) -> tuple[dict[str, Any], Printed, Printed, Printed] | None:
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
    den: Printed | None = None
    if len(ids) > 2:
        den = g.idx.num(ids[2])
    elif f.get("cells"):
        den = g.idx.cell_num(f["cells"][0])
    if den is None or den.value == 0:
        return None
    return c, cn, num, den


def _build_ratio_kind(g: Draw, kind: str, quantity: str, codes: Sequence[str]) -> None:
    def build(f: dict[str, Any]) -> Mutant | None:
        got = _ratio_parts(g, f, quantity)
        if got is None:
            return None
        c, cn, num, den = got
        truth = ratio_interval(num.iv, den.iv)
        if truth is None:
            return None

        def ok(v: Decimal) -> bool:
            return percent_interval(v, cn.decimals).gap(truth) >= digit_unit(cn.decimals)

        e = pick_edit(g.rng, cn.text, ok)
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


def build_share(g: Draw) -> None:
    _build_ratio_kind(g, "share", "share", _VERIFIED_SHARE)


def build_completion(g: Draw) -> None:
    _build_ratio_kind(g, "completion", "completion", _VERIFIED_COMPLETION)


def build_direction(g: Draw) -> None:
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
