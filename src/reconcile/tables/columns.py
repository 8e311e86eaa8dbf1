"""Naming a table's columns from its header.

TAB text keeps the header's cells by position: each position gets a role (code, label,
行次, value or empty) and a name from its header path (the cells above it, top to leaf).
Spaced text loses the positions: its column names are the rules' vocabulary words found in
the header, in order, or a fixed layout of the table kind chosen by column count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Line
from ..rules import Rules
from .cells import CODE_RE, Tok, is_value
from .three_public import name_three_public

__all__ = ["TsvColumns", "leaf_name", "spaced_columns", "split_blocks", "tsv_columns"]


@dataclass
class TsvColumns:
    """How the positions of a TAB table read."""

    roles: list[str]  # per position: code | label | rownum | value | empty
    names: list[str]  # per position: the column name (value columns) or the header leaf
    block_names: list[str]  # per side-by-side block (see split_blocks)
    paths: dict[str, tuple[str, ...]]  # per value column name: its canonical header path


@dataclass
class _Header:
    """The header rows' texts over each position."""

    grid: list[list[str]]  # one list per header row, one text per position ("" when blank)
    leaves: list[str]  # per position: the lowest non-blank header text
    leaf_row: list[int]  # per position: the header row of its leaf (-1: none)
    paths: list[list[str]]  # per position: the spanning labels above it, then its leaf


def tsv_columns(
    header_rows: list[list[Tok]],
    data_rows: list[tuple[Line, list[Tok]]],
    width: int,
    rules: Rules,
    kind: str,
) -> TsvColumns:
    """Roles and names of the ``width`` positions of a TAB table of kind ``kind``."""
    head = _header(header_rows, width)
    roles = [_role(head.leaves[p], _column_values(data_rows, p), rules) for p in range(width)]
    names = _names(head, roles, rules)
    if "three_public" in kind:
        name_three_public(names, roles, head.paths, rules, kind)
    block_names = _block_names(head.grid, split_blocks(roles), rules)
    paths = {
        names[p]: tuple(rules.canonical_column(x) for x in head.paths[p]) for p in range(width) if roles[p] == "value"
    }
    return TsvColumns(roles, names, block_names, paths)


def _header(header_rows: list[list[Tok]], width: int) -> _Header:
    grid = [[(r[p].text if p < len(r) else "") for p in range(width)] for r in header_rows]
    leaf_row = [-1] * width
    leaves = [""] * width
    for p in range(width):
        for ri in range(len(grid) - 1, -1, -1):
            if grid[ri][p]:
                leaves[p] = grid[ri][p]
                leaf_row[p] = ri
                break
    head = _Header(grid, leaves, leaf_row, [])
    head.paths = [_path(head, p) for p in range(width)]
    return head


def _path(head: _Header, p: int) -> list[str]:
    """The header path over position ``p``: the spanning label of each row above its leaf
    (nearest non-empty cell to the left, unless a row above starts a new group between it
    and ``p``: a merged cell above), then the leaf."""
    grid = head.grid
    path: list[str] = []
    for ri in range(0, max(head.leaf_row[p], 0)):
        q = p
        while q >= 0 and not grid[ri][q]:
            q -= 1
        if q < 0:
            continue
        blocked = q != p and any(grid[r][k] for r in range(ri) for k in range(q + 1, p + 1))
        if not blocked and (head.leaf_row[q] > ri or q == p):
            path.append(grid[ri][q])
    if head.leaves[p]:
        path.append(head.leaves[p])
    return path


def _column_values(data_rows: list[tuple[Line, list[Tok]]], p: int) -> list[str]:
    return [c[p].text for _, c in data_rows if p < len(c) and c[p].text]


def _role(leaf: str, col_vals: list[str], rules: Rules) -> str:
    """A position's role, by its header leaf (the rules' header words) or else by what its
    data cells hold."""
    cols = rules.columns
    numeric = sum(1 for v in col_vals if is_value(v) and not CODE_RE.match(v))
    codes = sum(1 for v in col_vals if CODE_RE.match(v))
    if leaf in cols.rownum_headers:
        return "rownum"
    if leaf in cols.code_headers or (leaf.endswith(("编码", "代码")) and len(leaf) < 12):
        return "code"
    if leaf in cols.label_headers or (leaf.endswith("科目") and len(leaf) < 8):
        return "label"
    if leaf and not col_vals:
        return "value"
    if col_vals and codes >= max(1, len(col_vals) // 2) and numeric - codes < len(col_vals) // 2:
        return "code"
    if col_vals and numeric >= max(1, (len(col_vals) + 1) // 2):
        return "value"
    if col_vals:
        return "label"
    return "value" if leaf else "empty"


def _names(head: _Header, roles: list[str], rules: Rules) -> list[str]:
    """Name value columns by their leaf, qualified by the labels above it when the leaf
    repeats within the block; other positions by their leaf."""
    width = len(roles)
    block_of = {p: bi for bi, (lo, hi) in enumerate(split_blocks(roles)) for p in range(lo, hi)}
    names: list[str] = []
    for p in range(width):
        path = [rules.canonical_column(x) for x in head.paths[p]]
        if roles[p] != "value":
            names.append(path[-1] if path else "")
            continue
        leaf = path[-1] if path else f"col{p + 1}"
        same = [
            q
            for q in range(width)
            if roles[q] == "value" and block_of[q] == block_of[p] and head.leaves[q] == head.leaves[p]
        ]
        if len(same) > 1 and len(path) > 1:
            others = [[rules.canonical_column(x) for x in head.paths[q]] for q in same if q != p]
            names.append(_distinct_suffix(path, others))
        else:
            names.append(leaf)
    return names


def _distinct_suffix(path: list[str], others: list[list[str]]) -> str:
    """The shortest end of ``path`` (at least its last two labels) that no other path of the
    same leaf ends with: 上年/…/公务用车购置及运行维护费/小计 and 当年/…/小计 stay two columns."""
    for k in range(2, len(path) + 1):
        if all(o[-k:] != path[-k:] for o in others):
            return "/".join(path[-k:])
    return "/".join(path)


def _block_names(grid: list[list[str]], blocks: list[tuple[int, int]], rules: Rules) -> list[str]:
    """Each block's name: the top header cell spanning its first position (B1, B2 … when
    that is blank or a label/code header); a repeated name is numbered (支出#2)."""
    cols = rules.columns
    names = []
    for bi, (lo, _hi) in enumerate(blocks):
        name = ""
        if grid:
            q = lo
            while q >= 0 and not grid[0][q]:
                q -= 1
            if q >= 0:
                name = grid[0][q]
        if not name or name in cols.label_headers or name in cols.code_headers:
            name = f"B{bi + 1}"
        names.append(name)
    if len(set(names)) < len(names):
        names = [f"{n}#{i + 1}" if names.count(n) > 1 else n for i, n in enumerate(names)]
    return names


def split_blocks(roles: list[str]) -> list[tuple[int, int]]:
    """Split positions into side-by-side blocks: a block starts at a code/label after values."""
    blocks: list[tuple[int, int]] = []
    start = 0
    seen_value = False
    for p, r in enumerate(roles):
        if r in ("code", "label") and seen_value:
            blocks.append((start, p))
            start = p
            seen_value = False
        elif r == "value":
            seen_value = True
    blocks.append((start, len(roles)))
    # a trailing text column (e.g. 绩效目标) is not a block of its own
    merged: list[tuple[int, int]] = []
    for lo, hi in blocks:
        if merged and not any(roles[p] == "value" for p in range(lo, hi)):
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def spaced_columns(header: str, n_cols: list[int], rules: Rules, kind: str) -> list[str]:
    """Column names of spaced text: the kind's fixed layout with ``n_cols[0]`` columns, else
    the vocabulary words found in the header text, in order (longest words first)."""
    n = n_cols[0] if n_cols else 0
    layouts = (
        rules.columns.layouts[kind]
        if kind in rules.columns.layouts
        else rules.columns.layouts.get(kind.replace("budget_", ""), [])
    )
    for layout in layouts:
        if len(layout) == n:
            return list(layout)
    vocab = sorted(rules.columns.vocabulary, key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken = [False] * len(header)
    for word in vocab:
        for m in re.finditer(re.escape(word), header):
            if not any(taken[m.start() : m.end()]):
                found.append((m.start(), word))
                for k in range(m.start(), m.end()):
                    taken[k] = True
    found.sort()
    return [rules.canonical_column(w) for _, w in found]


def leaf_name(path: str, all_paths: list[str]) -> str:
    """A column path's leaf when no other path ends with it, else the whole path."""
    leaf = path.rsplit("/", 1)[-1]
    return leaf if sum(1 for p in all_paths if p.rsplit("/", 1)[-1] == leaf) == 1 else path
