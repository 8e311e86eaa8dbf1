"""Across pages: running headers, footers and page numbers dropped, wrapped lines joined.

:func:`strip_margins` drops the lines repeated in the top and bottom margins of many
pages and bare page numbers; :func:`merge_paragraphs` joins the lines of a paragraph
(wrapped at the right margin, possibly onto the next page) into one line.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass

from .chars import TextLine, join_wrapped
from .pages import PageResult
from .settings import SETTINGS
from .tables import Block, TableBlock

__all__ = ["merge_paragraphs", "strip_margins"]

_PAGE_NUMBER_RE = re.compile(
    r"[-—–－_\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_\s]*"
    r"|[-—–－\s]*[ivxlcIVXLC]{1,6}[-—–－\s]*"
)

_TABLE_LABEL_RE = re.compile(r"\s*(?:附?表\s*[一二三四五六七八九十\d]+(?:\s*[-—－]\s*\d+)?|公开\s*\d+\s*表)\s*")

_HEADING_RE = re.compile(
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+[部分章节条篇]"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、．](?![\d０-９])|\d{1,2}\.(?![\d０-９])|\d{1,2}\.(?=\d{4}年)"
    r"|[①-⑳⑴-⒇]"
    r"|表[一二三四五六七八九十\d]+"
    r"|附[件表录]"
    r"|注[:：]"
    r")"
)

# ----------------------------------------------------------------------------------
# Headers, footers and page numbers


def _norm_header(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_margins(pages: list[PageResult]) -> None:
    """Drop bare page numbers and lines repeated in the top/bottom margin of many pages.

    Digits are ignored when lines are compared ("第3页" repeats "第4页"), but a table's
    number above its title ("表2" at the top of every table page) is content and stays.
    """
    cands: Counter[str] = Counter()
    per_page: list[list[tuple[int, str]]] = []
    for pr in pages:
        found: list[tuple[int, str]] = []
        texts = [(i, b) for i, b in enumerate(pr.blocks) if isinstance(b, TextLine)]
        head = [(i, t) for i, t in texts[:2] if t.bottom <= pr.height * SETTINGS.margin_share * 1.4]
        foot = [(i, t) for i, t in texts[-2:] if t.top >= pr.height * (1 - SETTINGS.margin_share * 1.4)]
        for i, t in head + foot:
            found.append((i, _norm_header(t.text)))
        per_page.append(found)
        for key in {k for _i, k in found}:
            cands[key] += 1
    n_text_pages = sum(1 for pr in pages if pr.has_text)
    repeated = {k for k, v in cands.items() if v >= 3 and v >= 0.25 * n_text_pages}
    for pr, found in zip(pages, per_page, strict=True):
        drop: set[int] = set()
        for i, key in found:
            block = pr.blocks[i]
            assert isinstance(block, TextLine)
            if _PAGE_NUMBER_RE.fullmatch(block.text) or (key in repeated and not _TABLE_LABEL_RE.fullmatch(block.text)):
                drop.add(i)
        # a bare page number anywhere in the bottom or top band
        for i, b in enumerate(pr.blocks):
            if (
                isinstance(b, TextLine)
                and (
                    b.top >= pr.height * (1 - SETTINGS.margin_share * 1.4)
                    or b.bottom <= pr.height * SETTINGS.margin_share
                )
                and _PAGE_NUMBER_RE.fullmatch(b.text)
            ):
                drop.add(i)
        if drop:
            pr.blocks = [b for i, b in enumerate(pr.blocks) if i not in drop]


# ----------------------------------------------------------------------------------
# Paragraphs


@dataclass(slots=True)
class _Margins:
    """Left and right text margins of one page shape."""

    left: float
    right: float


def _margins(pages: list[PageResult]) -> dict[int, _Margins]:
    """Left and right text margins per page shape (portrait and landscape differ)."""
    by_shape: dict[int, tuple[list[float], list[float]]] = {}
    for pr in pages:
        xs = by_shape.setdefault(round(pr.width), ([], []))
        for b in pr.blocks:
            if isinstance(b, TextLine) and len(b.text) >= 10:
                xs[0].append(b.x0)
                xs[1].append(b.x1)
    out: dict[int, _Margins] = {}
    for shape, (x0s, x1s) in by_shape.items():
        if len(x0s) < 3:
            out[shape] = _Margins(0.1 * shape, 0.9 * shape)
            continue
        x0s.sort()
        x1s.sort()
        out[shape] = _Margins(x0s[int(0.05 * len(x0s))], x1s[int(0.9 * (len(x1s) - 1))])
    return out


_LEAD_LATIN_RE = re.compile(r"[0-9A-Za-z.,%+\-/]+")

_LEAD_BRACKET_RE = re.compile(r"[（(][^）)]{1,6}[）)][。，、；：！？]?")

_LEADER_RE = re.compile(r"(?:…|\.{3}|·{3}|-{3})\s*[\dⅰ-ⅹivx]*\s*$")


def _lead_width(text: str) -> float:
    """Width (in ems) of the unbreakable token a wrapped line starts with.

    A line breaks early when the next word does not fit: a number ("161.62") or a
    bracketed term ("（项）。") moves to the next line whole.
    """
    m = _LEAD_LATIN_RE.match(text)
    if m:
        return 0.55 * len(m.group())
    m = _LEAD_BRACKET_RE.match(text)
    if m:
        return float(len(m.group()))
    return 1.0


def _continues(prev: TextLine, nxt: TextLine, m_prev: _Margins, m_next: _Margins, same_page: bool) -> bool:
    size = max(prev.size, 1.0)
    if abs(prev.size - nxt.size) > SETTINGS.size_change * size:
        return False  # a heading and the line below it (小四 12 pt over 五号 10.5 pt: 12.5 %)
    if prev.x1 < m_prev.right - (SETTINGS.right_slack + _lead_width(nxt.text)) * size:
        return False  # the previous line ends short: end of a paragraph
    left_gap, right_gap = prev.x0 - m_prev.left, m_prev.right - prev.x1
    if left_gap > SETTINGS.far_indent * size or (
        min(left_gap, right_gap) > SETTINGS.centred * size and abs(left_gap - right_gap) < size
    ):
        return False  # a right-aligned ("单位：万元") or centred line (a title) does not wrap
    if _HEADING_RE.match(nxt.text) or _LEADER_RE.search(prev.text):
        return False
    # an indented next line starts a new paragraph, unless it hangs under a wrapped
    # heading or list item that starts at the same indentation
    hanging = same_page and bool(_HEADING_RE.match(prev.text)) and abs(nxt.x0 - prev.x0) < 0.5 * size
    if nxt.x0 > m_next.left + SETTINGS.indent * size and not hanging:
        return False
    if same_page:
        gap = nxt.top - prev.bottom
        if gap > 1.6 * size or gap < -0.5 * size:
            return False
    return True


def merge_paragraphs(pages: list[PageResult]) -> list[list[Block]]:
    """Merge wrapped lines into paragraphs; a paragraph may continue onto the next page.

    A paragraph that runs onto the next page stays with the page where it starts.
    """
    margins = _margins(pages)
    default = _Margins(0.0, 1e9)
    out: list[list[Block]] = [[] for _ in pages]
    last: TextLine | None = None  # the last physical line, while a paragraph is open
    last_pi = -1
    para: tuple[int, int] | None = None  # (page index, block index) of the open paragraph
    for pi, pr in enumerate(pages):
        m = margins.get(round(pr.width), default)
        for b in pr.blocks:
            if isinstance(b, TableBlock):
                out[pi].append(b)
                last, para = None, None
                continue
            if last is not None and para is not None:
                m_prev = margins.get(round(pages[last_pi].width), default)
                if _continues(last, b, m_prev, m, same_page=last_pi == pi):
                    ppi, k = para
                    cur = out[ppi][k]
                    assert isinstance(cur, TextLine)
                    if ppi == pi:
                        cur.x0, cur.x1 = min(cur.x0, b.x0), max(cur.x1, b.x1)
                        cur.bottom = max(cur.bottom, b.bottom)
                    _append_wrapped(cur, b)
                    last, last_pi = b, pi
                    continue
            line = TextLine(
                b.text, b.x0, b.top, b.x1, b.bottom, b.size, b.segments, b.page, b.xs, [(0, b.page, b.top, b.bottom)]
            )
            out[pi].append(line)
            last, last_pi, para = b, pi, (pi, len(out[pi]) - 1)
    return out


def _append_wrapped(para: TextLine, line: TextLine) -> None:
    """Join a wrapped line to its paragraph, keeping where each character is printed."""
    text = join_wrapped([para.text, line.text])
    part = line.text.strip()
    at = len(text) - len(part)
    if para.xs is None or line.xs is None or para.rows is None or not text.startswith(para.text):
        para.xs = None  # cannot happen with stripped lines; then no place is claimed
    elif text.endswith(part) and at >= len(para.text):
        lead = len(line.text) - len(line.text.lstrip())
        gap = at - len(para.text)  # the space join_wrapped puts between Latin words, or none
        para.xs.extend(array("f", [math.nan]) * (2 * gap))
        para.xs.extend(line.xs[2 * lead : 2 * (lead + len(part))])
        para.rows.append((at, line.page, line.top, line.bottom))
    else:
        para.xs = None
    para.text = text
