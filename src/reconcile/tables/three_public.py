"""The columns of a 三公 table, named the same whatever the header's wording: from the header
tree (预算数/公务用车购置及运行维护费/小计 …), else from the kind's layout by column count."""

from __future__ import annotations

from ..rules import Rules

__all__ = ["name_three_public", "three_public_name"]

_CAR = "公务用车购置及运行维护费"


def name_three_public(names: list[str], roles: list[str], paths: list[list[str]], rules: Rules, kind: str) -> None:
    """Rename the value positions of a 三公 table (in ``names``): by their header paths when
    each reads as a distinct 三公 column, else by the layout with as many columns."""
    vpos = [p for p in range(len(roles)) if roles[p] == "value"]
    if not vpos:
        return
    canon = [three_public_name([rules.canonical_column(x) for x in paths[p]]) for p in vpos]
    if all(canon) and len(set(canon)) == len(canon):
        for p, name in zip(vpos, canon, strict=True):
            names[p] = name or names[p]
        return
    for layout in rules.columns.layouts.get(kind.replace("budget_", ""), []):
        if len(layout) == len(vpos):
            for p, name in zip(vpos, layout, strict=True):
                names[p] = name
            break


def three_public_name(path: list[str]) -> str | None:
    """Canonical 三公 column name from a header path, e.g. 预算数/公务用车购置及运行维护费/小计."""
    half = next((h for h in ("预算数", "决算数") if h in path), None)
    items = [x for x in path if x not in ("预算数", "决算数")]
    if not items:
        return None
    leaf = items[-1]
    if "三公" in leaf and len(items) == 1:
        leaf = "合计"  # the column that names the 三公 itself is their total (“三公”经费财政拨款预算总额)
    if leaf in ("小计",) and _CAR in items:
        item = f"{_CAR}/小计"
    elif leaf in ("公务用车购置费", "公务用车运行维护费"):
        item = f"{_CAR}/{leaf}"
    elif leaf in ("合计", "因公出国（境）费", "公务接待费", _CAR):
        item = f"{_CAR}/小计" if leaf == _CAR else leaf
    else:
        return None
    return f"{half}/{item}" if half else item
