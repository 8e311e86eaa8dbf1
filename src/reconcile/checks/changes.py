"""Changes of a total and of its parts (N219): when a total and every one of its parts are
stated with a change against the same base (“三公”经费预算11.98万元，较2025年年初预算增加0.91
万元; then 因公出国（境）费用 … 增加2.81万元, 公务接待费 … 减少1.00万元, 公务用车购置费 … 增加
0.00万元, 公务用车运行维护费 … 减少0.90万元), the parts' changes add up to the total's, because
the base year's total is the sum of the base year's parts."""

from __future__ import annotations

from decimal import Decimal

from ..claims import Claim
from ..numbers import Interval
from .context import Context, Evidence
from .figures import flat, fmt, is_money, iv, wan
from .registry import check

__all__ = ["check_change_sums"]

_REACH = 4000  # characters after a total within which its parts are looked for


def _changes_by_level(ctx: Context) -> dict[str, Claim]:
    """The first money change stated of each level (by the level's id), “与2025年预算持平”
    being a change of 0."""
    out: dict[str, Claim] = {}
    for c in ctx.claims:
        if not c.head:
            continue
        if (c.quantity == "change" and c.value is not None and c.direction and is_money(ctx, c)) or _unchanged(c):
            out.setdefault(c.head, c)
    return out


def _unchanged(c: Claim) -> bool:
    return c.quantity == "other" and c.relation == "equal" and c.base is not None


def _level(ctx: Context, head: Claim, subject: str, changes: dict[str, Claim]) -> Claim | None:
    """The first amount of ``subject`` after ``head`` (of its figure) stated with a change, else
    the first one, before ``head``'s subject is named again (“其中，因公出国（境）费支出0万元，占…”
    then “1.因公出国（境）费预算支出0万元，与上年预算数相同”)."""
    found: list[Claim] = []
    for x in ctx.claims_between(head.span[1], head.span[1] + _REACH):
        if x.span[0] <= head.span[0] or x.quantity != "amount" or x.value is None:
            continue
        if x.subject == head.subject:
            break
        if x.subject == subject and x.figure == head.figure and is_money(ctx, x):
            found.append(x)
    return next((x for x in found if x.id in changes), found[0] if found else None)


def _parts(
    ctx: Context, head: Claim, subject: str, base: str | None, changes: dict[str, Claim], depth: int = 0
) -> list[tuple[Claim, Claim]] | None:
    """(level, change) of every part of ``subject`` by the rules, a part stated without a
    change (or not at all) read through its own parts; None when one is missing or changes
    against another base."""
    parts = sorted(ctx.rules.claims.parts.get(subject, frozenset()))
    if not parts or depth > 2:
        return None
    out: list[tuple[Claim, Claim]] = []
    for p in parts:
        level = _level(ctx, head, p, changes)
        chg = changes.get(level.id) if level is not None else None
        if level is not None and chg is not None:
            if chg.base != base:
                return None
            out.append((level, chg))
            continue
        inner = _parts(ctx, head, p, base, changes, depth + 1)  # a part stated without its change, or not at all
        if inner is None:
            return None
        out.extend(inner)
    return out


def _signed(ctx: Context, c: Claim) -> Interval:
    if _unchanged(c):
        return Interval.exact(Decimal(0))
    return iv(ctx, c) if (c.direction or 1) > 0 else -iv(ctx, c)


def _signed_value(ctx: Context, c: Claim) -> Decimal:
    return Decimal(0) if _unchanged(c) else wan(ctx, c) * (c.direction or 1)


def _listing(changes: list[Claim]) -> str:
    """“2.81 − 1.00 + 0.00 − 0.90”: the changes in the order of the text, signed."""
    out = ""
    for c in changes:
        minus = (c.direction or 1) < 0 and not _unchanged(c)
        value = f"0 ({flat(c)})" if _unchanged(c) else f"{c.value}"
        out += (f"−{value}" if minus else value) if not out else f" {'−' if minus else '+'} {value}"
    return out


@check(needs=("amount_outcomes",))
def check_change_sums(ctx: Context) -> None:
    """The parts' changes against the total's change, when the parts' levels add up to the
    total's level (so the parts are the whole total, read right)."""
    changes = _changes_by_level(ctx)
    for head_id, chg in changes.items():
        head = ctx.by_id[head_id]
        if head.value is None or not head.subject or not is_money(ctx, head):
            continue
        pairs = _parts(ctx, head, head.subject, chg.base, changes)
        if not pairs or len(pairs) < 2:
            continue
        if not iv(ctx, head).meets(Interval.sum([iv(ctx, lv) for lv, _ in pairs])):
            continue  # the levels do not add up: these are not surely its parts
        summed = Interval.sum([_signed(ctx, c) for _, c in pairs])
        value = sum((_signed_value(ctx, c) for _, c in pairs), Decimal(0))
        pairs.sort(key=lambda pair: pair[1].span[0])
        fields = {
            "subject": head.subject,
            "listing": _listing([c for _, c in pairs]),
            "value": fmt(value, max((c.decimals or 0) for c in (chg, *(c for _, c in pairs)))),
            "total": f"0 ({flat(chg)})" if _unchanged(chg) else _signed_value(ctx, chg),
            "printed": chg.text.strip(),
            "difference": fmt(_signed_value(ctx, chg) - value),
        }
        claims = [chg, head, *(x for pair in pairs for x in pair)]
        evidence = Evidence(expected=value, observed=_signed_value(ctx, chg), tolerance=summed)
        ok = _signed(ctx, chg).meets(summed)
        ctx.verify_or_flag("N219", ok, claims, fields, evidence=evidence)
