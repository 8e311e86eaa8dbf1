"""Characters and the lines they make: what a PDF page's text layer is made of.

pdfminer gives characters with boxes; :func:`make_lines` groups them by baseline into
:class:`TextLine` records whose text has spaces only where they mean something and
whose segments split the line at wide gaps (columns). Pages whose fonts have no Unicode
map (``(cid:…)`` codes) are re-read with pypdfium2 (:func:`pdfium_chars`).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from typing import Any

from ..document import BBox
from ..numbers import fold_text
from .settings import SETTINGS

__all__ = [
    "Char",
    "TextLine",
    "group_lines",
    "is_wide",
    "join_wrapped",
    "line_layout",
    "line_text",
    "make_lines",
    "pdfium_chars",
]

_BREAKS_RE = re.compile("[\x00-\x08\x0a-\x1f\x85\u2028\u2029\t]")


@dataclass(slots=True)
class Char:
    """One character of the text layer, in top-down page coordinates (points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    base: float  # baseline, in top-down page coordinates


@dataclass(slots=True)
class TextLine:
    """One line of text (or, after :func:`~reconcile.pdf.paragraphs.merge_paragraphs`, a paragraph)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    segments: list[tuple[str, float, float]]  # (text, x0, x1) split at wide gaps
    page: int = 0
    # where each character of ``text`` is printed: x0, x1 of character i at 2i, 2i+1
    xs: array[float] | None = None
    # the printed lines a paragraph is made of: (index in text, page, top, bottom);
    # None: one line, on ``page`` between ``top`` and ``bottom``
    rows: list[tuple[int, int, float, float]] | None = None

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


def is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2000


# ----------------------------------------------------------------------------------
# Lines and their text


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Group characters into lines by baseline; each line sorted left to right."""
    if not chars:
        return []
    order = sorted(chars, key=lambda c: (c.base, c.x0))
    lines: list[list[Char]] = []
    cur: list[Char] = [order[0]]
    base = order[0].base
    for c in order[1:]:
        tol = SETTINGS.line_tolerance * max(c.size, cur[-1].size, 1.0)
        if c.base - base <= tol:
            cur.append(c)
        else:
            lines.append(cur)
            cur = [c]
            base = c.base
    lines.append(cur)
    for ln in lines:
        ln.sort(key=lambda c: c.x0)
    return lines


def line_text(chars: list[Char]) -> tuple[str, list[tuple[str, float, float]]]:
    """Text of one line of characters, with spaces only where they mean something.

    Justification gaps and the spaces Word puts between CJK and Latin runs are dropped
    ("2017 年" -> "2017年"); a wide gap splits the line into segments (columns).
    """
    text, segments, _xs = line_layout(chars)
    return text, segments


def line_layout(chars: list[Char]) -> tuple[str, list[tuple[str, float, float]], array[float]]:
    """:func:`line_text`, and where each character of the text is printed (x0, x1 pairs)."""
    segments: list[tuple[str, float, float]] = []
    seg_xs: list[array[float]] = []
    buf: list[str] = []
    xs: array[float] = array("f")
    seg_x0 = 0.0
    prev: Char | None = None
    had_space = False
    for c in chars:
        if c.text.isspace():
            had_space = True
            continue
        if prev is not None:
            # overprinted duplicate (fake bold)
            if c.text == prev.text and abs(c.x0 - prev.x0) < 0.3 * (prev.x1 - prev.x0 + 0.1):
                continue
            if _breaks_segment(prev, c):
                segments.append(("".join(buf), seg_x0, prev.x1))
                seg_xs.append(xs)
                buf, xs = [], array("f")
                seg_x0 = c.x0
            elif _spaced(prev, c, had_space):
                buf.append(" ")
                xs.extend((prev.x1, c.x0))
        else:
            seg_x0 = c.x0
        buf.append(c.text)
        xs.extend((c.x0, c.x1) * len(c.text))
        prev = c
        had_space = False
    if prev is not None and buf:
        segments.append(("".join(buf), seg_x0, prev.x1))
        seg_xs.append(xs)
    return _join_segments(segments, seg_xs)


def _breaks_segment(prev: Char, c: Char) -> bool:
    """A gap wide enough to split the line into segments (columns)."""
    return c.x0 - prev.x1 > SETTINGS.segment_gap * max(c.size, prev.size, 1.0)


def _spaced(prev: Char, c: Char, had_space: bool) -> bool:
    """Whether a space stands between two characters of one segment."""
    gap = c.x0 - prev.x1
    size = max(c.size, prev.size, 1.0)
    a, b = prev.text[-1], c.text[0]
    if is_wide(a) or is_wide(b):
        # a typed space between two CJK words ("第一部分 部门概况") stays; the
        # space Word puts between CJK and Latin ("2017 年") goes
        both = is_wide(a) and is_wide(b)
        return gap > SETTINGS.wide_space_gap * size or (both and had_space and gap > SETTINGS.cjk_space_gap * size)
    if b in "%％" and a.isdigit():
        return False
    return had_space or gap > SETTINGS.narrow_space_gap * size


def _join_segments(
    segments: list[tuple[str, float, float]], seg_xs: list[array[float]]
) -> tuple[str, list[tuple[str, float, float]], array[float]]:
    """The cleaned segments that hold text, joined by single spaces, with their x extents."""
    kept: list[tuple[str, float, float]] = []
    xs: array[float] = array("f")
    for (t, x0, x1), sx in zip(segments, seg_xs, strict=True):
        t = _clean(t)  # same length: the x extents stay aligned
        if not t.strip():
            continue
        if kept:
            xs.extend((kept[-1][2], x0))
        kept.append((t, x0, x1))
        xs.extend(sx)
    return " ".join(s[0] for s in kept), kept, xs


def _clean(s: str) -> str:
    """Fold look-alike characters and remove anything that would break a line."""
    return _BREAKS_RE.sub(" ", fold_text(s))


def make_lines(chars: list[Char], page: int) -> list[TextLine]:
    out: list[TextLine] = []
    for group in group_lines(chars):
        text, segs, xs = line_layout(group)
        if not text.strip():
            continue
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        visible = [c for c in group if not c.text.isspace()]
        sizes = sorted(c.size for c in visible)
        out.append(
            TextLine(
                text=text,
                x0=min(c.x0 for c in visible),
                top=min(c.top for c in visible),
                x1=max(c.x1 for c in visible),
                bottom=max(c.bottom for c in visible),
                size=sizes[len(sizes) // 2],
                segments=segs,
                page=page,
                xs=xs[2 * lead : 2 * (lead + len(text))],
            )
        )
    return out


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of a wrapped cell or paragraph: no space next to CJK."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not is_wide(out[-1]) and not is_wide(p[0]) and out[-1].isalnum() and p[0].isalnum():
            out += " "
        out += p
    return out


# ----------------------------------------------------------------------------------
# Pages whose fonts pdfminer cannot map


def pdfium_chars(pdfium_doc: Any, index: int, height: float) -> list[Char]:
    """Characters of a page as pypdfium2 reads them (for fonts pdfminer cannot map).

    Loose boxes (font ascent to descent) and the glyph origin give every character of a
    line the same baseline, as pdfminer's matrix does.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = pdfium_doc[index]
    try:
        tp = page.get_textpage()
        try:
            out: list[Char] = []
            ox, oy = ctypes.c_double(), ctypes.c_double()
            for i in range(tp.count_chars()):
                ch = fold_text(tp.get_text_range(i, 1))
                if not ch or ch in "\r\n" or ch == "\ufffe":
                    continue
                left, bottom, right, top = tp.get_charbox(i, loose=True)
                size = float(pdfium_c.FPDFText_GetFontSize(tp.raw, i)) or SETTINGS.pdfium_size
                base = height - bottom
                if pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(ox), ctypes.byref(oy)):
                    base = height - oy.value
                out.append(Char(ch, left, right, height - top, height - bottom, size, base))
            return out
        finally:
            tp.close()
    finally:
        page.close()
