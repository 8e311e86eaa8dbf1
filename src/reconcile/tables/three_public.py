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
    canon_paths = [[rules.canonical_column(x) for x in paths[p]] for p in vpos]
    # 合计 is the 三公 total only inside their group, or where nothing is printed beside them
    grouped = any(_is_group(x) for cp in canon_paths for x in cp[:-1]) or any(
        cp and cp[-1] in _BESIDE for cp in canon_paths
    )
    canon = [three_public_name(cp, grouped) for cp in canon_paths]
    if all(canon) and len(set(canon)) == len(canon):
        for p, name in zip(vpos, canon, strict=True):
            names[p] = name or names[p]
        return
    for layout in rules.columns.layouts.get(kind.replace("budget_", ""), []):
        if len(layout) == len(vpos):
            for p, name in zip(vpos, layout, strict=True):
                names[p] = name
            break


_ITEMS = ("合计", "小计", "因公出国（境）费", "公务接待费", _CAR, "公务用车购置费", "公务用车运行维护费")
_BESIDE = ("会议费", "培训费")  # printed beside the 三公 in some templates


def _is_group(label: str) -> bool:
    """A header spanning the 三公 columns (一般公共预算拨款安排的“三公”经费预算)."""
    return "三公" in label


def three_public_name(path: list[str], grouped: bool = False) -> str | None:
    """Canonical 三公 column name from a header path, e.g. 预算数/公务用车购置及运行维护费/小计,
    with the period the header puts above it (上年, 当年, 增减变化情况 …) as its prefix.
    ``grouped``: the table spans the 三公 under a header of their own, or prints 会议费 and
    培训费 beside them, so a 合计 outside their group may count those too (named 总计)."""
    if not path:
        return None
    head = path[0]
    figure = next((h for h in ("预算数", "决算数") if h in path), None)
    if figure:  # 预算数/决算数, above or below the items
        period: str | None = figure
        items = [x for x in path if x != figure]
    else:
        period = head if head not in _ITEMS and head not in _BESIDE and not _is_group(head) else None
        items = path[1:] if period else list(path)
    in_group = bool(items) and _is_group(items[0]) and len(items) > 1
    if in_group:
        items = items[1:]
    if not items:
        return None
    leaf = items[-1]
    if _is_group(leaf) and len(items) == 1:
        leaf = "合计"  # the column that names the 三公 itself is their total (“三公”经费财政拨款预算总额)
    if leaf == "小计" and _CAR in items:
        item = f"{_CAR}/小计"
    elif leaf == "小计" and in_group:
        item = "合计"
    elif leaf in ("公务用车购置费", "公务用车运行维护费"):
        item = f"{_CAR}/{leaf}"
    elif leaf == "合计" and grouped and not in_group:
        item = "总计"
    elif leaf in ("合计", "因公出国（境）费", "公务接待费", _CAR, *_BESIDE):
        item = f"{_CAR}/小计" if leaf == _CAR else leaf
    else:
        return None
    return f"{period}/{item}" if period else item
