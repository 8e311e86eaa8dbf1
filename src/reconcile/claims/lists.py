"""Lists: the parts of a total (“其中：A万元，B万元”, “X万元（A万元，B万元）”) attached
to it, and the open lists a sentence carries."""

from __future__ import annotations

from dataclasses import dataclass

from ..rules import CompiledRules
from .drafts import Draft
from .words import Words

__all__ = ["ListEntry", "attach", "host_groups"]


@dataclass(slots=True)
class ListEntry:
    """An open list: the total(s) it belongs to, by figure."""

    subject: str | None
    by_figure: dict[str, Draft]
    scope: str  # "sentence" | "block" | "paren"
    depth: int
    # a list opened after a sentence that named several totals: its host is chosen when its
    # first item is read (the total the rules decompose into that item), or stays unknown
    candidates: tuple[dict[str, Draft], ...] = ()


def _resolve(e: ListEntry, d: Draft, rules: CompiledRules) -> None:
    """Choose the host of a pending list by its first item ``d``: the candidate total whose
    subject the rules decompose into ``d``'s subject; none when no rule says (never guessed:
    the items are then read without a total to sum to)."""
    hosts = [g for g in e.candidates if rules.decomposes(next(iter(g.values())).subject, d.subject)]
    e.candidates = ()
    if len(hosts) == 1:
        e.by_figure = hosts[0]
        e.subject = next(iter(hosts[0].values())).subject
    else:
        e.by_figure, e.subject = {}, None


def attach(d: Draft, list_stack: list[ListEntry], rules: CompiledRules, words: Words, opens_list: bool) -> None:
    """Attach a primary amount to the open "其中" list it belongs to (closing the lists inside it).
    A report's total (收入预算, 本年支出合计 …), or an amount followed by a list of its own
    (``opens_list``), is an item only of a total the rules decompose into it: “财政拨款收入X，
    其中：A、B；财政拨款支出X，其中：C、D” opens a second list."""
    if not list_stack or d.subject is None:
        return
    foreign = d.subject in words.report_totals and not any(rules.decomposes(e.subject, d.subject) for e in list_stack)
    if foreign or (opens_list and not any(rules.decomposes(e.subject, d.subject) for e in list_stack)):
        list_stack.clear()
        return
    target_i = _target(d, list_stack, rules, words.money_units)
    if target_i is None:
        return
    e = list_stack[target_i]
    del list_stack[target_i + 1 :]
    if e.candidates:
        _resolve(e, d, rules)
    if e.subject == d.subject:
        return
    if not e.by_figure:
        if e.subject is None:
            return
        d.total_subject = e.subject
        return
    tot = _total(d, e)
    if tot is None:
        return
    if (
        tot.unit != d.unit
        and not (tot.unit in words.money_units and d.unit in words.money_units)
        and not (tot.unit is None or d.unit is None)
    ):
        return
    d.total = tot.id
    d.total_subject = tot.subject
    tot.components.append(d.id)


def _target(d: Draft, list_stack: list[ListEntry], rules: CompiledRules, money_units: frozenset[str]) -> int | None:
    """The index of the list ``d`` is a part of: the innermost whose total the rules
    decompose into ``d``'s subject, else the top one (None: no list)."""
    parts = rules.parts
    for i in range(len(list_stack) - 1, -1, -1):
        e = list_stack[i]
        if e.subject is not None and d.subject in parts.get(e.subject, ()):
            return i
    top = list_stack[-1]
    if top.subject == d.subject:
        return None
    if (
        d.unit not in money_units
        and d.unit is not None
        and not (d.subject in rules.alias_to_name.values() and top.subject in parts)
        and not _counted_by(top, d)
    ):
        return None  # counts attach where the rules know the decomposition, or to their own count
    # a known part of an outer total closes the inner list
    if any(d.subject in parts.get(e.subject or "", ()) for e in list_stack):
        return None
    return len(list_stack) - 1


def _counted_by(e: ListEntry, d: Draft) -> bool:
    """List ``e`` was opened by a count in ``d``'s unit (“共有车辆2辆，其中：…用车0辆、…”): the
    items “其中” introduces are among what it counts."""
    return any(h.quantity == "count" and h.unit == d.unit for h in e.by_figure.values())


def _total(d: Draft, e: ListEntry) -> Draft | None:
    """The total of list ``e`` with ``d``'s figure (or its only total, of no other figure)."""
    tot = e.by_figure.get(d.figure or "")
    if tot is not None:
        return tot
    if len(e.by_figure) == 1:
        only = next(iter(e.by_figure.values()))
        if only.figure and d.figure and only.figure != d.figure:
            return None
        return only
    return None


def host_groups(prims: list[Draft]) -> tuple[dict[str, Draft], ...]:
    """The primary amounts of a sentence grouped by subject (in order of their first amount),
    each group by figure: the totals a list after that sentence may belong to."""
    groups: dict[str | None, dict[str, Draft]] = {}
    for x in prims:
        groups.setdefault(x.subject, {})[x.figure or ""] = x
    return tuple(groups.values())
