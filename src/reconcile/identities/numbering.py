"""How deep a row stands in a numbered list (一、… （一）… 1. …), read from the numbering itself.

A row numbered 1 (一、, （一）, 1.) of a style already open starts a list inside the row
before it; a row numbered n+1 continues the innermost list of its style whose last number
was n (closing the lists inside it). So “一、本年支出 / 一、一般公共服务支出 / 二、外交支出 /
… / 二、年终结转结余” reads as 本年支出 with its function rows below it, then a second item
of the outer list. Unnumbered rows stand at depth 0.
"""

from __future__ import annotations

import re

from ..numbers import NumberError, parse_chinese_numeral

__all__ = ["depths", "ordinal"]

_STYLES = (
    ("cn", re.compile(r"^([一二三四五六七八九十]+)、")),
    ("paren_cn", re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")),
    ("paren_num", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("num", re.compile(r"^(\d{1,2})[、.．](?!\d)")),
)


def ordinal(label: str) -> tuple[str, int] | None:
    """The numbering style and number a label starts with (“二十三、…” → ("cn", 23))."""
    for style, rx in _STYLES:
        m = rx.match(label.strip())
        if m:
            text = m.group(1)
            try:
                return style, int(text) if text.isdigit() else parse_chinese_numeral(text)
            except NumberError:
                return None
    return None


def depths(labels: list[str]) -> list[int | None]:
    """Per label, its depth in the numbered lists (0: unnumbered; None: a number that fits no
    open list, e.g. a list starting at 三)."""
    stack: list[tuple[str, int]] = []  # open lists, outermost first: (style, last number)
    out: list[int | None] = []
    for label in labels:
        o = ordinal(label)
        if o is None:
            out.append(0)
            continue
        style, n = o
        k = next((i for i in range(len(stack) - 1, -1, -1) if stack[i] == (style, n - 1)), None)
        if k is not None:
            del stack[k + 1 :]
            stack[k] = (style, n)
            out.append(k + 1)
        elif n == 1:
            stack.append((style, 1))
            out.append(len(stack))
        else:
            out.append(None)
    return out
