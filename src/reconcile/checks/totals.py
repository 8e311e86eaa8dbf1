"""Totals and their parts (N206, N213, N210, N214): a total followed by its components, a
heading total and the list below it, items listed one by one with two figures each, and
categories of projects that together hold every project."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from ..claims import Claim
from ..findings import spec
from ..match import BUDGET_FIGURES
from ..numbers import Interval
from ..sections import heading_level
from .context import Context, Evidence
from .figures import ZERO, factor, fine_iv, flat, fmt, is_money, iv, printed, strip
from .reading import DOC_TOTALS, change_cue
from .registry import check

__all__ = ["check_category_totals", "check_components", "check_heading_totals", "check_item_lists"]


# --------------------------------------------------------------------------- items with two figures
def _item_lists(ctx: Context) -> list[tuple[Claim, Claim, list[Claim], list[Claim]]]:
    """(budget total, actual total, budget items, actual items) of the sections that give a
    total's 年初预算 and 决算 and then each 项 with its own 年初预算 and 决算
    (“年初预算为2993.92万元，支出决算为2940.05万元…其中：1、…（项）。年初预算为…，支出决算为…”)."""
    out = []
    by_section: dict[str | None, list[Claim]] = {}
    for c in ctx.claims:
        if c.quantity == "amount" and is_money(ctx, c) and c.value is not None:
            by_section.setdefault(c.section, []).append(c)
    for claims in by_section.values():
        items = [c for c in claims if c.subject and c.subject.endswith("（项）")]
        if len(items) < 4:
            continue
        first = min(x.span[0] for x in items)
        heads = [c for c in claims if c.span[0] < first and c.subject and "（" not in c.subject]
        b_tot = next((c for c in reversed(heads) if c.figure in BUDGET_FIGURES), None)
        a_tot = next((c for c in reversed(heads) if c.figure == "决算"), None)
        if b_tot is None or a_tot is None or b_tot.subject != a_tot.subject:
            continue
        b_items = [c for c in items if c.figure == b_tot.figure]
        a_items = [c for c in items if c.figure == "决算"]
        # one budget and one actual figure per item, each item once
        names = [c.subject or "" for c in a_items]
        if len(set(names)) != len(names) or sorted(names) != sorted(c.subject or "" for c in b_items):
            continue
        out.append((b_tot, a_tot, b_items, a_items))
    return out


def _sum(ctx: Context, items: list[Claim]) -> tuple[Interval, Decimal]:
    """The sum of money items: as an interval and as printed, in 万元."""
    parts = Interval.sum([iv(ctx, x) for x in items])
    return parts, sum(((x.value or ZERO) * (factor(ctx, x) or 1) for x in items), ZERO)


@check(provides=("item_totals", "amount_outcomes"))
def check_item_lists(ctx: Context) -> None:
    """Items listed one by one with both figures: when one figure's items add up to their
    total, the list is complete, so the other figure's items must add up to theirs."""
    for b_tot, a_tot, b_items, a_items in _item_lists(ctx):
        sides = []
        for tot, items in ((b_tot, b_items), (a_tot, a_items)):
            parts, value = _sum(ctx, items)
            sides.append((tot, items, parts, value, iv(ctx, tot).meets(parts)))
        if not any(ok for *_, ok in sides):
            continue  # neither adds up: the list may leave items out (check_components still sums it)
        ctx.item_totals.update((b_tot.id, a_tot.id))  # summed here, not again by check_components
        for k, (tot, items, parts, value, ok) in enumerate(sides):
            other = sides[1 - k][0]
            fields = {
                "label": f"{tot.subject} {tot.figure}",
                "listing": " + ".join(str(x.value) for x in items),
                "value": fmt(value),
                "total": tot.value,
                "count": len(items),
                "printed": printed(tot),
                "difference": fmt(iv(ctx, tot).mid - value),
                "other_figure": other.figure,
                "other": printed(other),
            }
            evidence = Evidence(expected=iv(ctx, tot).mid, observed=value, tolerance=parts)
            claims = [tot, *items]
            ctx.verify_or_flag("N206", ok, claims, fields, variant="item_list", bare_verified=True, evidence=evidence)


# --------------------------------------------------------------------------- categories of projects
_CATEGORY_RE = re.compile(r"该类(?:项目)?")


def _next_money(ctx: Context, c: Claim) -> Claim | None:
    """The money amount that follows a count in its sentence (“该类项目总数 1 个，涉及预算总金额 158.33 万元”)."""
    end = ctx.doc.text.find("。", c.span[1])
    end = len(ctx.doc.text) if end < 0 else end
    return next(
        (
            x
            for x in ctx.claims_between(c.span[1], end)
            if x.quantity == "amount" and is_money(ctx, x) and x.value is not None and c.span[1] <= x.span[0] < end
        ),
        None,
    )


def _category_label(ctx: Context, c: Claim) -> str:
    """“常年项目绩效分析。该类项目总数…” → 常年项目."""
    para = ctx.doc.text.rfind("\n", 0, c.span[0]) + 1
    before = ctx.doc.text[para : c.span[0]].strip()
    before = re.sub(r"[。，,：:]$", "", before)
    before = re.sub(r"(?:绩效分析|情况|分析)$", "", before)
    return before[-20:] or c.text.strip()


def _inside(ctx: Context, section: Claim, start: int, end: int) -> bool:
    """No heading of the section's own level or a higher one stands between ``start`` and ``end``."""
    own = heading_level(section.section_heading or "")
    if own is None:
        return False
    for x in ctx.claims_between(start, end):
        if start <= x.span[0] <= end and x.section != section.section:
            level = heading_level(x.section_heading or "")
            if level is None or level <= own:
                return False
    return True


def _categories(ctx: Context) -> list[list[tuple[Claim, Claim]]]:
    """Per section, the (count, amount) pairs of the categories of projects (“该类项目总数…”)."""
    by_section: dict[str | None, list[tuple[Claim, Claim]]] = {}
    for c in ctx.claims:
        if c.quantity == "count" and c.value and _CATEGORY_RE.search(c.subject_raw or ""):
            money = _next_money(ctx, c)
            if money is not None and money.figure:
                by_section.setdefault(c.section, []).append((c, money))
    return list(by_section.values())


def _all_projects(ctx: Context, parts: list[tuple[Claim, Claim]], n: Decimal) -> tuple[Claim, Claim] | None:
    """The later count of all ``n`` projects with its amount of the same figure, in the same section."""
    figures = {m.figure for _, m in parts}
    last = parts[-1][1]
    for c in ctx.claims:
        if c.span[0] <= last.span[1] or c.quantity != "count" or c.value != n or "项目" not in (c.subject_raw or ""):
            continue
        money = _next_money(ctx, c)
        if money is not None and money.figure in figures and _inside(ctx, parts[0][0], last.span[1], c.span[0]):
            return (c, money)
    return None


@check(provides=("amount_outcomes",))
def check_category_totals(ctx: Context) -> None:
    """Categories that make up all the projects: “常年项目…该类项目总数 1 个，涉及预算总金额 158.33 万元”,
    “阶段（一次性）项目…该类项目总数 4 个，涉及预算总金额 53.78 万元” and later “年初预算项目 5 个，预算数
    215.56 万元”. When the counts add up (1 + 4 = 5), the categories hold every project, so their amounts
    of the same figure must add up too."""
    for parts in _categories(ctx):
        if len(parts) < 2 or len({m.figure for _, m in parts}) != 1:
            continue
        n = sum((c.value or ZERO for c, _ in parts), ZERO)
        total = _all_projects(ctx, parts, n)
        if total is None:
            continue
        count, amount = total
        amounts = [m for _, m in parts]
        summed, value = _sum(ctx, amounts)
        fields: dict[str, object] = {
            "listing": " + ".join(f"{_category_label(ctx, c)} {strip(m)}" for c, m in parts),
            "value": fmt(value),
            "amount": printed(amount),
            "count": flat(count),
            "figure": amount.figure,
            "difference": fmt(iv(ctx, amount).mid - value),
            "n": n,
            "counts": " + ".join(str(c.value) for c, _ in parts),
        }
        ok = iv(ctx, amount).meets(summed)
        fields["note"] = "" if ok else _other_figure(ctx, amount, summed, value)
        evidence = Evidence(expected=iv(ctx, amount).mid, observed=value, tolerance=summed)
        ctx.verify_or_flag(
            "N206", ok, [amount, *amounts], fields, variant="category", bare_verified=True, evidence=evidence
        )


def _other_figure(ctx: Context, amount: Claim, summed: Interval, value: Decimal) -> str:
    """The categories' sum is the other figure stated with the total (its 决算 for its 预算)."""
    end = ctx.doc.text.find("。", amount.span[1])
    end = end if end >= 0 else len(ctx.doc.text)
    other = next(
        (
            x
            for x in ctx.claims_between(amount.span[1], end)
            if x.quantity == "amount"
            and x.figure not in (None, amount.figure)
            and amount.span[1] <= x.span[0] < end
            and iv(ctx, x).meets(summed)
        ),
        None,
    )
    if other is None:
        return ""
    return spec("N206").message(
        "category.other_figure", {"value": fmt(value), "figure": other.figure, "text": flat(other)}
    )


# --------------------------------------------------------------------------- a heading's total
_HEADING_TOTAL_RE = re.compile(
    r"^\s*(?:\d{1,2}[.．、]\s*)?[^\d，。；]{1,16}[（(]\s*合计\s*[\d,.]+\s*万?元\s*[）)]\s*[。.]?\s*$"
)


def _next_sentence(ctx: Context, pos: int) -> tuple[int, int] | None:
    """The first sentence of the paragraph after the line holding ``pos``."""
    text = ctx.doc.text
    m = re.compile(r"\n[ \t\u3000]*\n?[ \t\u3000]*(?=\S)").search(text, pos)
    if m is None:
        return None
    start = m.end()
    end = text.find("。", start)
    return (start, end if end >= 0 else len(text))


def _listed_below(ctx: Context, t: Claim) -> list[Claim] | None:
    """The amounts of the one-sentence list in the paragraph below a heading total."""
    line = ctx.doc.line_at(t.span[0])
    if not _HEADING_TOTAL_RE.match(ctx.doc.text[line.start : line.end]):
        return None
    got = _next_sentence(ctx, line.end)
    if got is None:
        return None
    a, b = got
    items = [
        x
        for x in ctx.claims_between(a, b)
        if a <= x.span[0] < b and x.quantity == "amount" and is_money(ctx, x) and x.value is not None
    ]
    if len(items) < 2 or any(change_cue(ctx, x) for x in items):
        return None
    gaps = [ctx.doc.text[x.span[1] : y.span[0]] for x, y in pairwise(items)]
    if not all(re.search(r"[；;、]", g) for g in gaps):
        return None  # not one list
    return items


@check(provides=("amount_outcomes",))
def check_heading_totals(ctx: Context) -> None:
    """A heading that states a total (“1. 资金计划（合计161.78万元）。”) and a next paragraph that lists
    its parts in one sentence (“该项目资金计划：政府网站运维及管理4.18万元；…；…62.85万元。”)."""
    for t in ctx.claims:
        if t.quantity != "amount" or not is_money(ctx, t) or t.value is None or not t.text.startswith("合计"):
            continue
        items = _listed_below(ctx, t)
        if items is None:
            continue
        parts, value = _sum(ctx, items)
        line = ctx.doc.line_at(t.span[0])
        fields = {
            "label": re.sub(r"^\s*(?:\d{1,2}[.．、]\s*)?|[（(].*$", "", ctx.doc.text[line.start : line.end]).strip(),
            "listing": " + ".join(strip(x) for x in items),
            "value": fmt(value),
            "total": printed(t),
            "difference": fmt(iv(ctx, t).mid - value),
        }
        ok = iv(ctx, t).meets(parts)
        is_coarse = ok and not iv(ctx, t).meets(Interval.sum([fine_iv(ctx, x) for x in items]))
        evidence = Evidence(expected=value, observed=t.value, tolerance=parts)
        ctx.verify_or_flag("N206", ok, [t, *items], fields, variant="heading", coarse=is_coarse, evidence=evidence)


# --------------------------------------------------------------------------- a total and its components
def _too_far(t: Claim, comps: list[Claim]) -> bool:
    """Items must stand near their total. A list of function items of one level, each named by
    its full 类/款/项 chain (“1.一般公共服务（类）…（项）：支出决算为…”), may run longer: each item
    must then stand near the one before it."""
    levels = {len(x.classification) for x in comps}
    names = [x.classification for x in comps]
    if len(levels) == 1 and min(levels) > 0 and len(set(names)) == len(names):
        chain = sorted([t, *comps], key=lambda x: x.span[0])
        return any(y.span[0] - x.span[0] > 400 for x, y in pairwise(chain))
    return any(abs(x.span[0] - t.span[0]) > 400 for x in comps)


def _parts_of(ctx: Context, subject: str | None) -> tuple[str, ...]:
    if not subject:
        return ()
    for s in ctx.rules.subjects.subjects:
        if s.name == subject:
            return s.parts
    return ()


def _as_part(ctx: Context, t: Claim, x: Claim) -> str | None:
    """The part of ``t`` that ``x`` stands for: its own subject when the rules decompose ``t``
    into it; for a subject the rules do not know, the one part whose distinctive word it holds
    (“货物类项目” under 政府采购支出总额, whose parts are 政府采购{货物,工程,服务}支出), or, for a
    count, itself (“部级领导干部用车” listed under 车辆). None: not a part."""
    if ctx.rules.claims.decomposes(t.subject, x.subject):
        return x.subject
    if not x.subject or any(s.name == x.subject for s in ctx.rules.subjects.subjects):
        return None
    named = ctx.rules.claims.part_named_in(t.subject, x.subject)
    if named is not None:
        return named
    return x.subject if t.quantity == "count" else None


def _not_its_parts(ctx: Context, t: Claim, comps: list[Claim]) -> str | None:
    """Why the items listed after a total are not (surely) its parts; None when they are."""
    if t.classification and any(
        x.classification
        and (
            len(x.classification) <= len(t.classification)
            or x.classification[: len(t.classification)] != t.classification
        )
        for x in comps
    ):
        # “3、…信息化建设（项）…主要用于：…” then “4、…（项）”: the next items are siblings, not parts
        return "the items listed after it are not below it in the classification"
    if _too_far(t, comps):
        return "the listed items stand too far from their total to be sure they belong"
    whole = [x for x in comps if x.value == t.value and x.unit == t.unit and x.subject in DOC_TOTALS]
    if whole and any(y.value for y in comps if y is not whole[0]):
        # a total of its own, as large as this one, next to other items: these are not its parts
        return "an item of the list is itself a total: the parts are not clear"
    return None


@check(needs=("item_totals",), provides=("amount_outcomes",))
def check_components(ctx: Context) -> None:
    """A total followed by its components (其中：…、…): money parts (N206) or counts and scores (N213)."""
    for t in ctx.claims:
        if t.id in ctx.item_totals:
            continue
        comps = [ctx.by_id[x] for x in t.components if x in ctx.by_id]
        # “…主要原因是基本支出增加人员经费12万元”: a change among the items is not an item
        comps = [x for x in comps if x.value is not None and not change_cue(ctx, x)]
        # a part listed with its own parts (公务用车购置及运行维护费 X，包括购置费 A、运行维护费 B): summed once
        decomposes = ctx.rules.claims.decomposes
        comps = [x for x in comps if not any(y is not x and decomposes(y.subject, x.subject) for y in comps)]
        if t.value is None or len(comps) < 2:
            continue
        reason = _not_its_parts(ctx, t, comps)
        if reason:
            ctx.out(t.id).set("unverifiable", reason)
            continue
        money = is_money(ctx, t)
        if money and not all(is_money(ctx, x) or x.unit == "元" for x in comps):
            continue
        if not money and any(x.unit != t.unit for x in comps):
            continue
        parts = _parts_of(ctx, t.subject)
        named = [_as_part(ctx, t, x) for x in comps]
        if parts and None in named:
            ctx.out(t.id).set("unverifiable", f"the listed items are not all parts of {t.subject}")
            continue
        exhaustive = t.quantity == "sum" or (bool(parts) and set(named) == set(parts))
        _sum_components(ctx, t, comps, money, exhaustive)


@dataclass
class _Sum:
    total: Interval
    parts: Interval
    slipped: set[str]  # parts in 元 read as 万元


def _unit_slips(ctx: Context, t: Claim, comps: list[Claim], s: _Sum) -> None:
    """Unit slips among the parts: a part in 元 that only fits as 万元."""
    for x in comps:
        if x.unit != "元":
            continue
        alt = Interval.sum(
            [(Interval.printed(y.value or Decimal(0), y.decimals or 0) if y is x else iv(ctx, y)) for y in comps]
        )
        if s.total.meets(alt) and not s.total.meets(s.parts):
            fields = {"text": x.text, "subject": t.subject, "total": printed(t), "value": x.value}
            observed = (x.value or Decimal(0)) * Decimal("0.0001")
            ctx.record(
                "N210",
                "inconsistent",
                "part_slip",
                fields,
                [x, t],
                evidence=Evidence(expected=x.value, observed=observed),
            )
            s.parts = alt
            s.slipped.add(x.id)


def _tally(x: Claim) -> Interval:
    """A count in whole units is exact (102辆 is not 101.5 to 102.5); a score or a count
    printed with decimals (9.3万户) stands for its rounding interval."""
    value = x.value or Decimal(0)
    if x.quantity == "count" and not x.decimals and value == value.to_integral_value():
        return Interval.exact(value)
    return Interval.printed(value, x.decimals or 0)


def _sum_components(ctx: Context, t: Claim, comps: list[Claim], money: bool, exhaustive: bool) -> None:
    assert t.value is not None
    code = "N206" if money else "N213"
    s = _Sum(
        iv(ctx, t) if money else _tally(t),
        Interval.sum([iv(ctx, x) if money else _tally(x) for x in comps]),
        set(),
    )
    if money:
        _unit_slips(ctx, t, comps, s)
    total_val = t.value * ((factor(ctx, t) or 1) if money else 1)
    parts_val = sum(
        ((x.value or Decimal(0)) * ((factor(ctx, x) or 1) if money and x.id not in s.slipped else 1) for x in comps),
        Decimal(0),
    )
    places = 2 if money else max((x.decimals or 0) for x in (t, *comps))  # 2 + 0 = 2, not 2.00
    ok = s.total.meets(s.parts)
    if not ok and not exhaustive and s.parts.hi < s.total.lo:
        ctx.out(t.id).set("unverifiable", f"the listed parts ({fmt(parts_val, places)}) need not cover the whole total")
        return
    fields = {
        "subject": t.subject or "合计",
        "listing": " + ".join(f"{x.value}" for x in comps),
        "value": fmt(parts_val, places),
        "total": t.value,
        "slip": spec(code).message("components.slip", {}) if s.slipped else "",
        "printed": printed(t),
        "difference": fmt(total_val - parts_val, places),
    }
    evidence = Evidence(expected=parts_val, observed=t.value, tolerance=s.parts)
    ctx.verify_or_flag(code, ok, [t, *comps], fields, variant="components", evidence=evidence)
