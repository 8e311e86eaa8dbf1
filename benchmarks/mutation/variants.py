"""Clean variants of a report: the same content in other standard wording or spacing."""

from __future__ import annotations

import re
from collections.abc import Callable


def _narrative_start(text: str) -> int:
    """Offset of the narrative part (the last “第三部分” heading, else the whole text)."""
    i = text.rfind("第三部分")
    return max(i, 0)


def _in_narrative(text: str, edit: Callable[[str], str]) -> str:
    i = _narrative_start(text)
    return text[:i] + edit(text[i:])


def variant_wording(text: str) -> str:
    """Same report, other standard wording in the narrative: 较上年 / 同比, 增幅 / 降幅."""

    def edit(s: str) -> str:
        s = s.replace("比上年决算数", "较上年决算数").replace("比年初预算数", "较年初预算数")
        s = re.sub(r"(?<![较同])比上年(?!决算)", "同比", s)
        s = re.sub(r"(?<=，)下降(?=\d)", "降幅", s)
        s = re.sub(r"(?<=，)增长(?=\d)", "增幅", s)
        return s

    return _in_narrative(text, edit)


def variant_spaced(text: str) -> str:
    """Same report, narrative spaced as pdftotext prints it: “收入 611.98 万元，下降 10.2 %”."""

    def edit(s: str) -> str:
        s = re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)", " ", s)
        s = re.sub(r"(?<=\d)(?=万元|%)", " ", s)
        return s

    return _in_narrative(text, edit)


VARIANTS: dict[str, Callable[[str], str]] = {"wording": variant_wording, "spaced": variant_spaced}
