"""Lists: the parts of a total (“其中：A万元，B万元”, “X万元（A万元，B万元）”) attached
to it, and the open lists a sentence carries."""

from __future__ import annotations

from dataclasses import dataclass

from ..rules import CompiledRules
from .drafts import Draft

__all__ = ["ListEntry", "attach"]


@dataclass(slots=True)
class ListEntry:
    """An open list: the total(s) it belongs to, by figure."""

    subject: str | None
    by_figure: dict[str, Draft]
    scope: str  # "sentence" | "block" | "paren"
    depth: int


def attach(d: Draft, list_stack: list[ListEntry], rules: CompiledRules, money_units: frozenset[str]) -> None:
    """Attach a primary amount to the open "其中" list it belongs to (closing the lists inside it)."""
    if not list_stack or d.subject is None:
        return
    target_i = _target(d, list_stack, rules, money_units)
    if target_i is None:
        return
    e = list_stack[target_i]
    del list_stack[target_i + 1 :]
    if e.subject == d.subject:
        return
    if not e.by_figure:
        d.total_subject = e.subject
        return
    tot = _total(d, e)
    if tot is None:
        return
    if (
        tot.unit != d.unit
        and not (tot.unit in money_units and d.unit in money_units)
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
    ):
        return None  # counts attach only where the rules know the decomposition
    # a known part of an outer total closes the inner list
    if any(d.subject in parts.get(e.subject or "", ()) for e in list_stack):
        return None
    return len(list_stack) - 1


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
