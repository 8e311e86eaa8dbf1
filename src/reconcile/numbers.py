"""Numbers as printed: parsing and interval arithmetic.

Every amount or percentage in a report is parsed into a :class:`Printed` value that
keeps its printed decimals; checks compare :class:`Interval` objects so that a value
printed with *d* decimals stands for ``[v - ½·10⁻ᵈ, v + ½·10⁻ᵈ]`` (the way Arelle's
XBRL Calculations 1.1 and statcheck treat rounding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

__all__ = [
    "NUMBER_RE",
    "Interval",
    "NumberError",
    "Printed",
    "fold_char",
    "fold_text",
    "half_unit",
    "parse_chinese_numeral",
    "parse_number",
]

# Characters folded one-to-one (same length) before matching, so offsets survive.
_FOLD: dict[int, str] = {}
for _i in range(10):
    _FOLD[0xFF10 + _i] = str(_i)  # full-width digits
_FOLD.update(
    {
        ord("．"): ".",
        ord("，"): "，",  # keep: Chinese comma is a clause separator, not a thousands mark
        ord("％"): "%",
        ord("－"): "-",
        ord("−"): "-",
        ord("—"): "—",
        ord("＋"): "+",
        ord("（"): "（",
        ord("("): "（",
        ord(")"): "）",
        ord("\u3000"): " ",
        ord("\xa0"): " ",
    }
)
# Kangxi radicals and CJK radical supplement look-alikes that PDF fonts emit.
_KANGXI = {
    0x2F00: "一",
    0x2F01: "丨",
    0x2F02: "丶",
    0x2F03: "丿",
    0x2F04: "乙",
    0x2F05: "亅",
    0x2F06: "二",
    0x2F07: "亠",
    0x2F08: "人",
    0x2F09: "儿",
    0x2F0A: "入",
    0x2F0B: "八",
    0x2F0C: "冂",
    0x2F0D: "冖",
    0x2F0E: "冫",
    0x2F0F: "几",
    0x2F10: "凵",
    0x2F11: "刀",
    0x2F12: "力",
    0x2F13: "勹",
    0x2F14: "匕",
    0x2F15: "匚",
    0x2F16: "匸",
    0x2F17: "十",
    0x2F18: "卜",
    0x2F19: "卩",
    0x2F1A: "厂",
    0x2F1B: "厶",
    0x2F1C: "又",
    0x2F1D: "口",
    0x2F1E: "囗",
    0x2F1F: "土",
    0x2F20: "士",
    0x2F21: "夂",
    0x2F22: "夊",
    0x2F23: "夕",
    0x2F24: "大",
    0x2F25: "女",
    0x2F26: "子",
    0x2F27: "宀",
    0x2F28: "寸",
    0x2F29: "小",
    0x2F2A: "尢",
    0x2F2B: "尸",
    0x2F2C: "屮",
    0x2F2D: "山",
    0x2F2E: "巛",
    0x2F2F: "工",
    0x2F30: "己",
    0x2F31: "巾",
    0x2F32: "干",
    0x2F33: "幺",
    0x2F34: "广",
    0x2F35: "廴",
    0x2F36: "廾",
    0x2F37: "弋",
    0x2F38: "弓",
    0x2F39: "彐",
    0x2F3A: "彡",
    0x2F3B: "彳",
    0x2F3C: "心",
    0x2F3D: "戈",
    0x2F3E: "戶",
    0x2F3F: "手",
    0x2F40: "支",
    0x2F41: "攴",
    0x2F42: "文",
    0x2F43: "斗",
    0x2F44: "斤",
    0x2F45: "方",
    0x2F46: "无",
    0x2F47: "日",
    0x2F48: "曰",
    0x2F49: "月",
    0x2F4A: "木",
    0x2F4B: "欠",
    0x2F4C: "止",
    0x2F4D: "歹",
    0x2F4E: "殳",
    0x2F4F: "毋",
    0x2F50: "比",
    0x2F51: "毛",
    0x2F52: "氏",
    0x2F53: "气",
    0x2F54: "水",
    0x2F55: "火",
    0x2F56: "爪",
    0x2F57: "父",
    0x2F58: "爻",
    0x2F59: "爿",
    0x2F5A: "片",
    0x2F5B: "牙",
    0x2F5C: "牛",
    0x2F5D: "犬",
    0x2F5E: "玄",
    0x2F5F: "玉",
    0x2F60: "瓜",
    0x2F61: "瓦",
    0x2F62: "甘",
    0x2F63: "生",
    0x2F64: "用",
    0x2F65: "田",
    0x2F66: "疋",
    0x2F67: "疒",
    0x2F68: "癶",
    0x2F69: "白",
    0x2F6A: "皮",
    0x2F6B: "皿",
    0x2F6C: "目",
    0x2F6D: "矛",
    0x2F6E: "矢",
    0x2F6F: "石",
    0x2F70: "示",
    0x2F71: "禸",
    0x2F72: "禾",
    0x2F73: "穴",
    0x2F74: "立",
    0x2F75: "竹",
    0x2F76: "米",
    0x2F77: "糸",
    0x2F78: "缶",
    0x2F79: "网",
    0x2F7A: "羊",
    0x2F7B: "羽",
    0x2F7C: "老",
    0x2F7D: "而",
    0x2F7E: "耒",
    0x2F7F: "耳",
    0x2F80: "聿",
    0x2F81: "肉",
    0x2F82: "臣",
    0x2F83: "自",
    0x2F84: "至",
    0x2F85: "臼",
    0x2F86: "舌",
    0x2F87: "舛",
    0x2F88: "舟",
    0x2F89: "艮",
    0x2F8A: "色",
    0x2F8B: "艸",
    0x2F8C: "虍",
    0x2F8D: "虫",
    0x2F8E: "血",
    0x2F8F: "行",
    0x2F90: "衣",
    0x2F91: "襾",
    0x2F92: "見",
    0x2F93: "角",
    0x2F94: "言",
    0x2F95: "谷",
    0x2F96: "豆",
    0x2F97: "豕",
    0x2F98: "豸",
    0x2F99: "貝",
    0x2F9A: "赤",
    0x2F9B: "走",
    0x2F9C: "足",
    0x2F9D: "身",
    0x2F9E: "車",
    0x2F9F: "辛",
    0x2FA0: "辰",
    0x2FA1: "辵",
    0x2FA2: "邑",
    0x2FA3: "酉",
    0x2FA4: "釆",
    0x2FA5: "里",
    0x2FA6: "金",
    0x2FA7: "長",
    0x2FA8: "門",
    0x2FA9: "阜",
    0x2FAA: "隶",
    0x2FAB: "隹",
    0x2FAC: "雨",
    0x2FAD: "靑",
    0x2FAE: "非",
    0x2FAF: "面",
    0x2FB0: "革",
    0x2FB1: "韋",
    0x2FB2: "韭",
    0x2FB3: "音",
    0x2FB4: "頁",
    0x2FB5: "風",
    0x2FB6: "飛",
    0x2FB7: "食",
    0x2FB8: "首",
    0x2FB9: "香",
    0x2FBA: "馬",
    0x2FBB: "骨",
    0x2FBC: "高",
    0x2FBD: "髟",
    0x2FBE: "鬥",
    0x2FBF: "鬯",
    0x2FC0: "鬲",
    0x2FC1: "鬼",
    0x2FC2: "魚",
    0x2FC3: "鳥",
    0x2FC4: "鹵",
    0x2FC5: "鹿",
    0x2FC6: "麥",
    0x2FC7: "麻",
    0x2FC8: "黃",
    0x2FC9: "黍",
    0x2FCA: "黑",
    0x2FCB: "黹",
    0x2FCC: "黽",
    0x2FCD: "鼎",
    0x2FCE: "鼓",
    0x2FCF: "鼠",
    0x2FD0: "鼻",
    0x2FD1: "齊",
    0x2FD2: "齒",
    0x2FD3: "龍",
    0x2FD4: "龜",
    0x2FD5: "龠",
    # CJK radicals supplement forms seen in government PDFs
    0x2E8F: "尣",
    0x2EA0: "民",
    0x2EBC: "肉",
    0x2EC5: "见",
    0x2ECA: "贝",
    0x2ED4: "车",
    0x2EDC: "飞",
    0x2EE2: "马",
    0x2EE9: "黄",
    0x2EC4: "西",
    0x2ED8: "青",
    0x2ECF: "阝",
}
# Simplified forms are what the reports mean; map the traditional radical forms too.
_KANGXI.update(
    {
        0x2F92: "见",
        0x2F99: "贝",
        0x2F9E: "车",
        0x2FA7: "长",
        0x2FA8: "门",
        0x2FB4: "页",
        0x2FB5: "风",
        0x2FB6: "飞",
        0x2FB7: "食",
        0x2FBA: "马",
        0x2FC2: "鱼",
        0x2FC3: "鸟",
        0x2FC8: "黄",
        0x2FAD: "青",
        0x2FC6: "麦",
        0x2FD2: "齿",
        0x2FD3: "龙",
        0x2FD1: "齐",
        0x2FB1: "韦",
        0x2F91: "西",
    }
)
_FOLD.update(_KANGXI)


def fold_char(ch: str) -> str:
    """Fold one character to the form the matchers expect (always one character)."""
    return _FOLD.get(ord(ch), ch)


def fold_text(text: str) -> str:
    """Fold a text character by character; the result has the same length."""
    return text.translate(_FOLD)


class NumberError(ValueError):
    """A text that should be a number is not one."""


# A printed number: optional sign, digits with optional thousands separators and
# spaces that PDF extraction puts inside numbers, optional decimals.
NUMBER_RE = re.compile(r"(?<![\d.])[-+]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?(?![\d])|(?<![\d.])[-+]?\d+(?:\.\d+)?(?![\d])")


@dataclass(frozen=True, slots=True)
class Printed:
    """A number as printed: its value, and how many decimals were printed."""

    value: Decimal
    decimals: int

    @property
    def interval(self) -> Interval:
        return Interval.printed(self.value, self.decimals)

    def __str__(self) -> str:
        return f"{self.value:.{self.decimals}f}" if self.decimals >= 0 else str(self.value)


def half_unit(decimals: int) -> Decimal:
    """Half of the last printed digit: 2 decimals -> 0.005."""
    return Decimal(5) * Decimal(10) ** (-(decimals + 1))


def parse_number(text: str) -> Printed:
    """Parse a printed Arabic number ("2,664.70", "１２.5", "- 3", "12 . 50").

    Thousands separators, full-width digits and stray spaces are accepted; the
    number of decimals printed is kept.
    """
    t = fold_text(text).strip()
    t = re.sub(r"\s+", "", t).replace(",", "").replace("，", "")
    if t.endswith("%"):
        t = t[:-1]
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", t):
        raise NumberError(f"not a number: {text!r}")
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    try:
        value = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise NumberError(f"not a number: {text!r}") from exc
    return Printed(value, decimals)


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def parse_chinese_numeral(text: str) -> int:
    """Parse a Chinese integer numeral such as 十二, 二十三, 一百零五, 三千万."""
    total = 0
    section = 0
    number = 0
    seen = False
    for ch in text:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
            seen = True
        elif ch in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[ch]
            number = 0
            seen = True
        elif ch in _CN_BIG:
            section += number
            total += section * _CN_BIG[ch]
            section = 0
            number = 0
            seen = True
        else:
            raise NumberError(f"not a Chinese numeral: {text!r}")
    if not seen:
        raise NumberError(f"not a Chinese numeral: {text!r}")
    return total + section + number


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of Decimals; arithmetic propagates rounding honestly."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def printed(cls, value: Decimal, decimals: int) -> Interval:
        h = half_unit(decimals)
        return cls(value - h, value + h)

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def __truediv__(self, other: Interval) -> Interval:
        if other.lo <= 0 <= other.hi:
            raise ZeroDivisionError("interval divisor contains zero")
        with localcontext() as ctx:
            ctx.prec = 28
            qs = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(qs), max(qs))

    def meets(self, other: Interval, slack: Decimal = Decimal(0)) -> bool:
        """True when the intervals overlap (with an optional absolute slack)."""
        return self.lo <= other.hi + slack and other.lo <= self.hi + slack

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def widen(self, amount: Decimal) -> Interval:
        return Interval(self.lo - amount, self.hi + amount)

    def as_floats(self) -> list[float]:
        return [float(self.lo), float(self.hi)]

    @staticmethod
    def sum(items: list[Interval]) -> Interval:
        lo = sum((i.lo for i in items), Decimal(0))
        hi = sum((i.hi for i in items), Decimal(0))
        return Interval(lo, hi)
