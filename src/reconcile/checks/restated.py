"""One quantity stated twice (N212): the same subject with two values, the same change of
one subject stated twice with two values; and an increase larger than the level it leads
to (N217)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..claims import Claim
from ..numbers import Interval
from .context import Context, Evidence
from .figures import flat, fmt, is_money, iv, printed, strip, wan
from .reading import bare, change_cue, follows_its_amount, number_start, sentence_break
from .registry import check

__all__ = ["check_increase_bound", "check_restated_changes", "check_same_quantity"]

# subjects whose change a reason names right before its verb (“基本支出增加1408.29万元”)
_NAMED_CHANGE_SUBJECTS = {"基本支出", "项目支出", "人员经费", "公用经费"}

_Key = tuple[str | None, str | None, str, Decimal, frozenset[str]]  # (subject, figure, base, level in 万元, marks)
_MARK_RE = re.compile(r"（(类|款|项)）|[（(](\d{3,})[）)]")
_CLAUSE_END_RE = re.compile(r"[，,。；;：:\n]")


def _marks(ctx: Context, head: Claim) -> frozenset[str]:
    """The classification marks printed with a level's name in its clause: （类）/（款）/（项） and
    codes in brackets (资本性支出（310） is not 机关资本性支出（503）, nor 科学技术支出（类） its
    （项）)."""
    end = number_start(head)
    before = ctx.doc.text[max(0, end - 60) : end]
    cut = [m.end() for m in _CLAUSE_END_RE.finditer(before)]
    clause = before[cut[-1] :] if cut else before
    return frozenset(m.group(1) or m.group(2) for m in _MARK_RE.finditer(clause))


@check(provides=("amount_outcomes",))
def check_same_quantity(ctx: Context) -> None:
    for group in ctx.mrules.unique:
        names = set(group)
        seen: dict[tuple[str | None, str | None], Claim] = {}
        for c in ctx.claims:
            if c.subject not in names or c.value is None or c.quantity not in ("amount", "count", "score"):
                continue
            if c.base or (c.figure and c.figure not in ("决算", "得分")):
                continue
            key = (c.unit, c.quantity)
            first = seen.get(key)
            if first is None:
                seen[key] = c
                continue
            assert first.value is not None
            same = Interval.printed(first.value, first.decimals or 0).meets(Interval.printed(c.value, c.decimals or 0))
            if not same and not _at_other_times(ctx, first, c):
                fields = {"first": first.text, "first_line": first.line, "second": c.text, "second_line": c.line}
                evidence = Evidence(expected=first.value, observed=c.value)
                ctx.record("N212", "inconsistent", "same", fields, [c, first], evidence=evidence)


def _time_point(ctx: Context, c: Claim) -> str | None:
    """The point in time the clause of ``c`` counts at (“2025年年初”, “截至2025年10月”), if it names one."""
    start = c.span[0]
    clause = re.split(r"[，,。；;]", ctx.doc.text[max(0, start - 60) : start])[-1]
    words = ctx.rules.vocabulary.alternation("time_point")
    m = re.search(rf"(?:\d{{4}}年)?(?:{words})[^，,。；;]{{0,12}}?(?=共|有|为|\d|$)|\d{{4}}年\d{{1,2}}月", clause)
    return m.group(0) if m else None


def _at_other_times(ctx: Context, a: Claim, b: Claim) -> bool:
    ta, tb = _time_point(ctx, a), _time_point(ctx, b)
    return ta is not None and tb is not None and ta != tb


def _own_head(ctx: Context, c: Claim) -> Claim | None:
    """The level a money change is the change of, when the sentence says so plainly: the change
    stands in its amount's sentence (or opens the next one, “…17123.19万元。与上年相比增加…”) and
    is the first one after it (not a reason's part, “主要原因是基本支出增加…”, nor a restatement on
    another basis in the next sentence)."""
    head = ctx.by_id.get(c.head or "")
    if c.quantity != "change" or c.value is None or not is_money(ctx, c) or head is None or not is_money(ctx, head):
        return None
    if head.quantity != "amount" or head.value is None or not head.subject or change_cue(ctx, head):
        return None
    if head.span[1] > c.span[0] or (sentence_break(ctx, head, c) and not follows_its_amount(ctx, head, c)):
        return None
    if any(
        x.quantity == "change" and head.span[1] <= x.span[0] < c.span[0]
        for x in ctx.claims_between(head.span[1], c.span[0])
    ):
        return None
    return head


def _named_change(ctx: Context, c: Claim) -> bool:
    """A money change whose known subject stands right before its verb (“基本支出增加1408.29万元”,
    “项目支出安排增加400万元”), not a part named after the verb (“增加人员经费…”)."""
    if c.quantity != "change" or c.value is None or not is_money(ctx, c) or not c.direction:
        return False
    raw = c.subject_raw or ""
    return bool(raw and c.text.startswith(raw) and bare(c.subject) in _NAMED_CHANGE_SUBJECTS)


def _base_family(base: str | None) -> str:
    """上年, 上年预算, 上年决算 and an unstated base (read as last year) are one family."""
    return "上年" if base is None or base.startswith("上年") else base


def _change_groups(ctx: Context) -> tuple[dict[_Key, list[tuple[Claim, Claim]]], set[str]]:
    """The changes stated with their level, grouped by subject, figure, base and level; and
    the ids of the changes named in a reason that join a group."""
    groups: dict[_Key, list[tuple[Claim, Claim]]] = {}
    for c in ctx.claims:
        head = _own_head(ctx, c)
        if head is None:
            continue
        key = (bare(head.subject), head.figure, c.base or "上年", wan(ctx, head), _marks(ctx, head))
        groups.setdefault(key, []).append((c, head))
    # a change named by its subject in a reason (“主要原因是基本支出增加1408.29万元”) restates the
    # change stated with that subject's amount in the same section, when only one such amount is there
    by_subject: dict[tuple[str | None, str | None, str | None, str], list[_Key]] = {}
    for key, pairs in groups.items():
        for c, _ in pairs:
            by_subject.setdefault((c.section, key[0], key[1], _base_family(key[2])), []).append(key)
    named: set[str] = set()
    for c in ctx.claims:
        if _own_head(ctx, c) is not None or not _named_change(ctx, c):
            continue
        keys = set(by_subject.get((c.section, bare(c.subject), c.figure, _base_family(c.base)), []))
        if len(keys) == 1 and (c.base is None or c.base == next(iter(keys))[2]):
            key = keys.pop()
            groups[key].append((c, groups[key][0][1]))
            named.add(c.id)
    return groups, named


@check()
def check_restated_changes(ctx: Context) -> None:
    """One subject, at one level, changed by two different amounts against the same base:
    “基本支出预算数为7,666.68万元。与上年相比增加844.15万元” stated again elsewhere with another
    change. The same figure of the same subject has one earlier value, so one change."""
    groups, named = _change_groups(ctx)
    for pairs in groups.values():
        pairs.sort(key=lambda p: p[0].span)
        first, _ = pairs[0]
        assert first.value is not None
        for c, _ in pairs[1:]:
            assert c.value is not None
            a = iv(ctx, first).scale(Decimal(first.direction or 1))
            b = iv(ctx, c).scale(Decimal(c.direction or 1))
            fields = {"subject": first.subject, "first_line": first.line, "second_line": c.line}
            if a.meets(b):
                if named & {c.id, first.id}:
                    fields.update(first=flat(first), second=flat(c))
                    ctx.record("N212", "verified", "restated.verified", fields, [c, first])
                continue
            fields.update(first=first.text.strip(), second=c.text.strip(), level=printed(pairs[0][1]))
            evidence = Evidence(expected=first.value, observed=c.value)
            ctx.record("N212", "inconsistent", "restated.inconsistent", fields, [c, first], evidence=evidence)
            break


@check()
def check_increase_bound(ctx: Context) -> None:
    """An increase larger than the level it leads to: “三公经费预算数为47.91万元，比2023年预算增加52万元”
    puts last year's figure at 47.91 − 52 < 0, which no amount of spending or income can be."""
    for c in ctx.claims:
        head = _own_head(ctx, c)
        if head is None or (c.direction or 0) <= 0 or ctx.cues.signed.search(head.subject or ""):
            continue
        level, change = iv(ctx, head), iv(ctx, c)
        if change.lo <= level.hi:
            continue
        fields = {
            "subject": head.subject,
            "text": c.text.strip(),
            "level": printed(head),
            "amount": strip(head),
            "change": strip(c),
            "prior": fmt(wan(ctx, head) - wan(ctx, c)),
        }
        ctx.record("N217", "inconsistent", "inconsistent", fields, [c, head], evidence=Evidence(observed=c.value))
