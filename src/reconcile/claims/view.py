"""The joined view: the narrative body text as one string.

Line breaks inside a paragraph and spaces inside numbers and units are removed
(``"611.9\\n8"`` → ``"611.98"``, ``"增长 21.95 %"`` → ``"增长21.95%"``); every character
keeps its offset in ``doc.text``.
"""

from __future__ import annotations

import bisect
import re as _re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document import Document
from ..sections import Section, narrative_segments

__all__ = ["SENT_END", "View", "narrative_view"]


@dataclass(slots=True)
class View:
    """The narrative as one string, each character mapped to its offset in doc.text."""

    text: str
    offs: list[int]
    segments: list[tuple[int, int, str]]  # joined [start, end) → section id
    _seg_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._seg_starts = [s for s, _, _ in self.segments]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Document span of the joined range [start, end)."""
        if end <= start:
            o = self.offs[start] if start < len(self.offs) else (self.offs[-1] + 1 if self.offs else 0)
            return (o, o)
        return (self.offs[start], self.offs[end - 1] + 1)

    def section_at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._seg_starts, pos) - 1
        if i < 0:
            return None
        return self.segments[i][2]


_ORDINAL_START = _re.compile(
    r"(?:\d{1,2}(?:[、．]|\.(?!\d)|\.(?=(?:19|20)\d\d年))|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}、|[①-⑳]|\*\*\d+\*\*[、.．])"
)
SENT_END = "。！？!?"
_TAG = _re.compile(r"</?[a-zA-Z][^>]{0,30}>")


def narrative_view(
    doc: Document, sections: Sequence[Section], tables_spans: list[tuple[int, int]] | None = None
) -> View:
    """Join the narrative body text (see the module docstring)."""
    chars: list[str] = []
    offs: list[int] = []
    segs: list[tuple[int, int, str]] = []
    for s, e, sid in narrative_segments(doc, sections, tables_spans):
        if chars and chars[-1] != "\n":
            chars.append("\n")
            offs.append(s)
        seg_start = len(chars)
        _join_segment(_blank_page_numbers(doc.folded, s, e), s, e, chars, offs)
        segs.append((seg_start, len(chars), sid))
    return View("".join(chars), offs, segs)


def _join_segment(folded: str, s: int, e: int, chars: list[str], offs: list[int]) -> None:
    """Append the characters of ``folded[s:e]`` to ``chars`` (offsets to ``offs``), joined."""
    seg_start = len(chars)
    i = s
    while i < e:
        ch = folded[i]
        if ch.isspace():
            j = i
            while j < e and folded[j].isspace():
                j += 1
            prev = chars[-1] if len(chars) > seg_start else "\n"
            kept = _kept_space(folded, i, j, prev, folded[j] if j < e else "\n")
            if kept is not None:
                chars.append(kept)
                offs.append(i)
            i = j
            continue
        if ch == "*" and i + 1 < e and folded[i + 1] == "*":
            i += 2
            continue
        if ch == "<":
            m = _TAG.match(folded[i:e])
            if m:
                i += m.end()
                continue
        chars.append(ch)
        offs.append(i)
        i += 1


def _kept_space(folded: str, i: int, j: int, prev: str, nxt: str) -> str | None:
    """What the white space ``folded[i:j]`` between ``prev`` and ``nxt`` becomes (None: nothing).

    A line break stays after a sentence end or before an ordinal; a space stays between
    two ASCII words, except inside a split number.
    """
    if "\n" in folded[i:j]:
        if prev != "\n" and (prev in SENT_END or _ORDINAL_START.match(folded, j)):
            return "\n"
        return None
    if (
        prev.isascii()
        and prev.isalnum()
        and nxt.isascii()
        and nxt.isalnum()
        and not (prev.isdigit() and nxt.isdigit() and _split_number(folded, i, j))
    ):
        return " "
    return None


# a page number alone on its line in layout text, indented far (centred): “                24”
_PAGE_NUMBER_LINE = _re.compile(r"(?m)^[ \t\u3000]{8,}(?P<num>[-—－]?[ \t]*\d{1,3}[ \t]*[-—－]?)[ \t\u3000]*$")


def _blank_page_numbers(folded: str, s: int, e: int) -> str:
    """``folded`` with the page numbers standing alone on their lines within [s, e) blanked, so
    that “增加 40⏎⏎      24⏎万元” reads 40, not 4024 (same length: offsets keep)."""
    out = None
    for m in _PAGE_NUMBER_LINE.finditer(folded, s, e):
        out = out if out is not None else list(folded)
        for k in range(m.start("num"), m.end("num")):
            out[k] = " "
    return "".join(out) if out is not None else folded


def _split_number(folded: str, i: int, j: int) -> bool:
    """Digits on both sides of an in-line space: join only "2,664. 70"-like splits."""
    left = folded[max(0, i - 12) : i]
    return bool(_re.search(r"\d[.,]\d*$", left))
