"""Performance indicators and counted lists: an indicator's verdict against its target and
actual value (N211), one indicator with two actual values (N212), a list said to have N
items (N213, N212), and a thing said not to exist that is counted elsewhere (N212)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..claims import Claim
from ..model import compact
from .context import Context, Evidence
from .registry import check

__all__ = ["check_enumerations", "check_indicators", "check_none_then_counted"]

_ITEM_START_RE = re.compile(r"[；;。：:]|(?<![\d.])\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)]")
_RELATION_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _target_met(relation: str | None, actual: Decimal, target: Decimal) -> bool:
    """Whether an actual value meets its target (a bare target 为 N% means at least N%)."""
    if relation == ">":
        return actual > target
    if relation == "<=":
        return actual <= target
    if relation == "<":
        return actual < target
    return actual >= target


def _indicator_name(ctx: Context, target: Claim) -> str:
    """The indicator a target value belongs to: the words of its list item before 目标值."""
    end = target.number_span[0] if target.number_span else target.span[0]
    before = compact(ctx.doc.text[max(0, end - 80) : end])
    starts = [m.end() for m in _ITEM_START_RE.finditer(before)]
    item = before[starts[-1] :] if starts else before
    item = re.sub(rf"[，,]?(?:的)?(?:{ctx.cues.target_name}).*$", "", item)
    parts = [p for p in re.split(r"[，,]", item) if len(p) >= 2]
    return parts[-1] if parts else ""


def _named(c: Claim) -> str:
    return compact(c.subject_raw or c.subject or "")


def _actual_for(ctx: Context, i: int) -> Claim | None:
    """The actual value stated right after the target at ``ctx.claims[i]`` (before any other target)."""
    tgt = ctx.claims[i]
    actual = None
    for x in ctx.claims[i + 1 : i + 4]:
        if x.unit == "%" and ctx.cues.target.search(_named(x)):
            break
        if x.unit == "%" and x.value is not None and ctx.cues.actual.search(_named(x)):
            actual = x
            break
    if actual is None or actual.value is None or actual.span[0] - tgt.span[1] > 80:
        return None
    return actual


@check()
def check_indicators(ctx: Context) -> None:
    """Performance indicators: “及时派单率目标值≥95%，2020年实际完成值99.34%，超额完成目标值”.
    The verdict words must agree with the two values, and one indicator listed twice with
    the same target must not have two actual values."""
    seen: dict[tuple[str, str, Decimal], Claim] = {}
    for i, tgt in enumerate(ctx.claims):
        if tgt.value is None or tgt.unit != "%" or not ctx.cues.target.search(_named(tgt)):
            continue
        actual = _actual_for(ctx, i)
        if actual is None:
            continue
        assert actual.value is not None
        name = _indicator_name(ctx, tgt)
        after = compact(ctx.doc.text[actual.span[1] : actual.span[1] + 40])
        verdict = re.split(r"[；;。]|\d{1,2}[、.．]", after)[0]
        met = _target_met(tgt.relation, actual.value, tgt.value)
        said_met = bool(ctx.cues.met.search(verdict)) and not ctx.cues.missed.search(verdict)
        said_missed = bool(ctx.cues.missed.search(verdict))
        rel = _RELATION_SIGN.get(tgt.relation or "", "")
        fields = {"name": name or "指标", "rel": rel, "target": tgt.value, "actual": actual.value, "verdict": verdict}
        if said_met or said_missed:
            ok = not ((said_met and not met) or (said_missed and met))
            evidence = Evidence(expected=tgt.value, observed=actual.value)
            ctx.verify_or_flag(
                "N211", ok, [actual, tgt], fields, variant="indicator", bare_verified=True, evidence=evidence
            )
        if name:
            key = (name, tgt.relation or "", tgt.value)
            first = seen.get(key)
            if first is None:
                seen[key] = actual
            elif first.value != actual.value and 0 < actual.span[0] - first.span[0] < 600:
                fields = {
                    "name": name,
                    "rel": rel,
                    "target": tgt.value,
                    "first": compact(first.text),
                    "first_line": first.line,
                    "second": compact(actual.text),
                    "second_line": actual.line,
                }
                evidence = Evidence(expected=first.value, observed=actual.value)
                ctx.record("N212", "inconsistent", "indicator", fields, [actual, first], evidence=evidence)


def _count_claim_at(ctx: Context, start: int, end: int) -> Claim | None:
    return next(
        (
            c
            for c in ctx.claims_between(start, end)
            if c.quantity == "count" and c.number_span and start <= c.number_span[0] < end
        ),
        None,
    )


@check()
def check_enumerations(ctx: Context) -> None:
    """“…包括3个一级指标、8个二级指标…。二级指标从A、B、C、D、E、F、G 7个方面…”: the
    stated number of a list equals its items, and a thing counted earlier in the
    paragraph has as many parts as its list."""
    for c in ctx.claims:
        if c.quantity != "count" or c.value is None or c.unit != "个" or not c.subject or not c.number_span:
            continue
        noun = c.subject
        if not re.fullmatch(r"[\u4e00-\u9fa5]{2,8}", noun):
            continue
        line = ctx.doc.line_at(c.span[0])
        para = ctx.doc.text[c.span[1] : line.end]
        m = re.search(
            re.escape(noun)
            + ctx.cues.enum_verbs
            + r"(?P<list>[^。；;：:，,]{2,300}?)(?:等)?\s*(?P<m>\d{1,2})\s*个"
            + ctx.cues.enum_units,
            para,
        )
        if m is None:
            continue
        items = [x for x in re.split(r"[、]", m.group("list").strip()) if x.strip()]
        if len(items) < 2:
            continue
        stated = int(m.group("m"))
        at = c.span[1] + m.start("m")
        lst = _count_claim_at(ctx, at, at + len(m.group("m")))
        if lst is None:
            continue
        fields = {
            "noun": noun,
            "count": len(items),
            "items": "、".join(i.strip() for i in items),
            "stated": stated,
            "text": compact(c.text),
            "line": c.line,
        }
        if len(items) != stated:
            evidence = Evidence(expected=Decimal(len(items)), observed=Decimal(stated))
            ctx.record("N213", "inconsistent", "enumeration.inconsistent", fields, [lst], evidence=evidence)
        elif c.value != stated:
            evidence = Evidence(expected=Decimal(stated), observed=c.value)
            ctx.record("N212", "inconsistent", "enumeration", fields, [c, lst], evidence=evidence)
        else:
            ctx.record("N213", "verified", "enumeration.verified", fields, [c, lst])


@check()
def check_none_then_counted(ctx: Context) -> None:
    """“本部门无重点绩效评价项目” and elsewhere “应开展部门重点绩效评价1个项目”: a thing said
    not to exist is counted."""
    text = ctx.doc.folded
    for m in ctx.cues.none_said.finditer(text):
        x = m.group("x")
        for k in re.finditer(re.escape(x) + r"\s*(?P<n>\d{1,3})\s*个项目", text):
            n = int(k.group("n"))
            c = _count_claim_at(ctx, k.start("n"), k.end("n"))
            if n == 0 or c is None:
                continue
            fields = {
                "thing": x,
                "line": ctx.doc.line_at(m.start()).number,
                "none": compact(text[m.start() : m.end()]),
                "count_line": c.line,
                "n": n,
                "count": compact(text[k.start() : k.end()]),
            }
            evidence = Evidence(expected=Decimal(0), observed=Decimal(n))
            ctx.record(
                "N212", "inconsistent", "none_counted", fields, [c], spans=((m.start(), m.end()),), evidence=evidence
            )
            break
