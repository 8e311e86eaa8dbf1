"""Mutants of amounts: ``transposed`` and ``unit`` (a narrative amount that equals its
table cell), ``cell`` (a table cell the narrative quotes) and ``component`` (one item of
a 其中 list whose total is verified)."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Any

from reconcile.ingest import document_from_bytes
from reconcile.tables import iter_cells, parse_tables

from .draw import Draw
from .intervals import UNIT_FACTOR, Printed, digit_unit, parse_printed, pick_edit, printed_interval
from .mutant import Mutant, Span

_VERIFIED_AMOUNT = ("N201", "N214")
# a cell the narrative's claim was not matched to is caught only by the tables' identities,
# whose tolerance grows with the number of addends: change it by at least one 万元
_OTHER_CELL_MIN_CHANGE = Decimal(1)


# ---------------------------------------------------------------- amounts matched to a cell


def _amount_matches(g: Draw) -> list[tuple[dict[str, Any], Printed, Printed, dict[str, Any]]]:
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


def build_transposed(g: Draw) -> None:
    def build(item: tuple[dict[str, Any], Printed, Printed, dict[str, Any]]) -> Mutant | None:
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
            p = parse_printed(t)
            if p is None or p[0] == 0:
                continue
            new = Printed(n.span, t, p[0], p[1], n.factor)
            if new.iv.gap(cell.iv) >= digit_unit(n.decimals) * n.factor:
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


def build_unit(g: Draw) -> None:
    def build(item: tuple[dict[str, Any], Printed, Printed, dict[str, Any]]) -> Mutant | None:
        c, n, cell, _ = item
        if n.value == 0 or c.get("unit") != "万元":
            return None
        end = c["span"][1]
        m = re.compile(r"\s*(万)\s*元").match(g.idx.text, n.span[1], end)
        if m is None:
            return None
        new = Printed(n.span, n.text, n.value, n.decimals, UNIT_FACTOR["元"])
        if new.iv.gap(cell.iv) < digit_unit(n.decimals) * UNIT_FACTOR["元"]:
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


def _table_cells(text: str) -> list[Printed]:
    """Every non-empty value cell of the document's standard tables (``parse_tables``) that the
    checker reads: a table it reports as unreadable (I002, e.g. layout text whose blank cells
    could not be placed) is used by no check, so an edit there is not an error it could see."""
    doc = document_from_bytes(text.encode("utf-8"), "<mutation>")
    if doc.text != text:  # spans would not index ``text``
        return []
    out: list[Printed] = []
    for t in parse_tables(doc):
        if t.problems:
            continue
        for _, cell in iter_cells(t):
            if cell.value is None or cell.span is None:
                continue
            raw = text[cell.span[0] : cell.span[1]]
            p = parse_printed(raw)
            if p is not None:
                out.append(Printed(cell.span, raw, p[0], p[1]))
    return out


def build_cell(g: Draw) -> None:
    """A table cell whose value a verified narrative amount states: the cell the claim was
    matched to, or another cell of the same value (another table showing the same figure).

    The matched cell changes by the smallest edit that clearly misses the claim; another
    cell, caught only by the tables' identities (whose tolerance grows with the number of
    addends), changes by at least 1万元.
    """
    matches = _amount_matches(g)
    matched: dict[Span, Printed] = {cell.span: cell for _, _, cell, _ in matches}
    by_value: dict[Decimal, list[tuple[dict[str, Any], Printed]]] = {}
    for c in g.idx.claims.values():
        if c.get("quantity") != "amount" or c.get("unit") != "万元" or not g.idx.clean(c["id"]):
            continue
        n = g.idx.num(c["id"])
        if n is not None and n.value != 0:
            by_value.setdefault(n.value, []).append((c, n))
    cells: dict[Span, Printed] = dict(matched)
    for cell in _table_cells(g.idx.text):
        if cell.value != 0 and cell.value in by_value:
            cells.setdefault(cell.span, cell)
    quoters: dict[Span, list[tuple[dict[str, Any], Printed]]] = {}
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
            new = printed_interval(v, cell.decimals).scale(cell.factor)  # in 万元, like the quoting claims
            if span not in matched and abs(v - cell.value) * cell.factor < _OTHER_CELL_MIN_CHANGE:
                return False
            least = max(digit_unit(cell.decimals) * cell.factor, *(digit_unit(n.decimals) * n.factor for _, n in qs))
            return all(new.gap(n.iv) >= least for _, n in qs)

        e = pick_edit(g.rng, cell.text, ok)
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


def build_component(g: Draw) -> None:
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
            new = Printed(comp.span, "", v, comp.decimals, comp.factor)
            s = sum(rest, new.iv)
            return s.gap(total.iv) >= digit_unit(total.decimals) * total.factor

        e = pick_edit(g.rng, comp.text, ok, up_only=up_only)
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
