"""Sections of a report: parts (第X部分), numbered headings and their table scope.

:func:`split_sections` finds the headings of a :class:`~reconcile.document.Document`
in every text style met so far (markdown ``#``/``**``, pdftotext layout with
leading spaces and wrapped lines, plain text), skips the table of contents and the
table regions, and gives every section the table kinds it speaks about
(``rules/sections.yaml``). :func:`narrative_segments` gives the stretches of body
text of the narrative sections, which is where claims are read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .document import Document, Line
from .rules import Role, RuleError, Rules, SectionRules, load_rules

__all__ = [
    "RuleError",
    "Section",
    "SectionRules",
    "innermost",
    "load_section_rules",
    "narrative_segments",
    "split_sections",
    "table_line_mask",
]

# ----------------------------------------------------------------------------- rules


def load_section_rules(directory: str | Path | None = None) -> SectionRules:
    """The section rules of a rules directory (validated with all the others)."""
    return load_rules(directory).sections


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Section:
    """One heading and the text under it (subsections included).

    ``level``: 0 for a part (第X部分), 1 for 一、, 2 for （一）, 3 for 1. / 1、,
    4 for （1）. ``span`` runs from the heading to the next heading of the same or
    a higher level; ``scope`` lists the table kinds the section speaks about
    (inherited from the parent when no scope rule matches its heading).
    """

    id: str
    heading: str
    level: int
    span: tuple[int, int]
    heading_span: tuple[int, int]
    parent: str | None
    scope: tuple[str, ...]
    role: Role
    scope_rule: str | None = None
    appended: str | None = None  # the title of the appended document it belongs to (None: the report itself)

    @property
    def narrative(self) -> bool:
        return self.role == "narrative"


# ----------------------------------------------------------------------------- headings

_STRIP_RE = re.compile(r"[\s*#_`]+|<[^>]{0,40}>")
_CN = "一二三四五六七八九十"
_PART_RE = re.compile(rf"^第[{_CN}]+部分[：:、.．\s]*")
_L1_RE = re.compile(rf"^[{_CN}]{{1,3}}、")
_L2_RE = re.compile(rf"^[（(][{_CN}]{{1,3}}[)）]")
_L3_RE = re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")
_L4_RE = re.compile(r"^(?:[（(]\d{1,2}[)）]|[①-⑳])")
_DOT_LEADER_RE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{4,})\s*\d+\s*$")
_AMOUNT_RE = re.compile(r"\d\s*(?:万\s*元|元|%|％)")
_MD_HEADING_RE = re.compile(r"^\s*#{1,6}\s")
_TITLE_FINAL_RE = re.compile(r"(?:报告|情况说明|说明)$")


def _compact(text: str) -> str:
    return _STRIP_RE.sub("", text).replace("(", "（").replace(")", "）")


@dataclass(slots=True)
class _Heading:
    line: int  # index into doc.lines
    last_line: int  # index of the last line (wrapped headings)
    level: int
    text: str  # compacted heading
    markdown: bool
    rank: float  # nesting rank: part 0, unnumbered title 0.5, then the level


def _heading_level(c: str, markdown: bool) -> int | None:
    """Level of a compacted line if it looks like a heading, else None."""
    if not c:
        return None
    if _PART_RE.match(c):
        return 0
    body_ok = _looks_like_heading(c, markdown)
    if _L1_RE.match(c):
        return 1 if body_ok else None
    if _L2_RE.match(c):
        return 2 if body_ok else None
    if _L3_RE.match(c):
        rest = _L3_RE.sub("", c)
        if markdown and len(rest) <= 40:
            return 3
        if len(rest) <= 20 and not re.search(r"\d|[，,；;：:]", rest):
            return 3
        return None
    if _L4_RE.match(c):
        rest = _L4_RE.sub("", c)
        if markdown and len(rest) <= 40:
            return 4
        return None
    if _is_title(c, markdown):
        return 1  # an unnumbered heading: an annex or report title
    return None


def heading_level(heading: str) -> int | None:
    """Level of a section heading as printed (1 for 一、, 2 for （一）, 3 for 1.), None if unnumbered."""
    return _heading_level(_compact(heading), False)


def _is_title(c: str, markdown: bool) -> bool:
    if any(rx.match(c) for rx in (_PART_RE, _L1_RE, _L2_RE, _L3_RE, _L4_RE)) or c.startswith("-"):
        return False
    if markdown and len(c) <= 40 and not re.search(r"[，,；;。]", c):
        return True
    return len(c) <= 40 and bool(_TITLE_FINAL_RE.search(c)) and not re.search(r"[，,；;。：:]", c)


def _looks_like_heading(c: str, markdown: bool) -> bool:
    limit = 80 if markdown else 50
    if len(c) > limit:
        return False
    if _AMOUNT_RE.search(c) or re.search(r"\d\.\d\d", c):
        return False
    body = c.rstrip("。.：:")
    if re.search(r"[。；;]", body):
        return False
    # "一、财政拨款收入：指……" is a glossary entry, not a heading
    return not re.search(r"[：:].{2,}", body)


def _is_toc_line(text: str) -> bool:
    return bool(_DOT_LEADER_RE.search(text))


def _toc_mask(lines: Sequence[Line]) -> list[bool]:
    """Lines of the table of contents (目录) and lines ending in page numbers."""
    mask = [_is_toc_line(ln.text) for ln in lines]
    start = None
    for i, ln in enumerate(lines):
        c = _compact(ln.text)
        if c in ("目录", "目次") or (c.startswith("目录") and len(c) <= 4):
            start = i
            break
    if start is None:
        return mask
    seen: set[str] = set()
    seen_parts: set[str] = set()
    end = len(lines)
    for i in range(start + 1, len(lines)):
        c = _compact(lines[i].text).lstrip("-")
        if not c:
            continue
        if not _is_toc_line(lines[i].text) and (len(c) > 40 or c.endswith(("。", "；"))):
            end = i  # a paragraph of body text: the table of contents is over
            break
        m = _PART_RE.match(c)
        key = m.group(0).rstrip("：:、.． ") if m else None
        if key is not None and key in seen_parts:
            end = i
            break
        if c in seen and (key is not None or _L1_RE.match(c)) and i - start > 3:
            end = i
            break
        seen.add(c)
        if key is not None:
            seen_parts.add(key)
    for i in range(start, end):
        mask[i] = True
    return mask


def table_line_mask(doc: Document, tables_spans: Iterable[tuple[int, int]] | None) -> list[bool]:
    """Lines that belong to a table: inside a given table span, or tab-separated cells."""
    mask = [ln.text.count("\t") >= 2 for ln in doc.lines]
    for s, e in tables_spans or ():
        for i, ln in enumerate(doc.lines):
            if ln.end > s and ln.start < e:
                mask[i] = True
    return mask


def _find_headings(doc: Document, skip: Sequence[bool], finals: tuple[str, ...]) -> list[_Heading]:
    lines = doc.lines
    out: list[_Heading] = []
    i = 0
    n = len(lines)
    while i < n:
        if skip[i]:
            i += 1
            continue
        raw = doc.folded[lines[i].start : lines[i].end]
        md = bool(_MD_HEADING_RE.match(raw)) or (raw.strip().startswith("**") and raw.strip().endswith("**"))
        c = _compact(raw)
        level = _heading_level(c, md)
        if level is None:
            i += 1
            continue
        last = i
        # join a heading wrapped over two lines ("…支出决" + "算情况说明") or a bare
        # "第三部分" followed by its title line
        j = i + 1
        while j < n and not lines[j].text.strip():
            j += 1
        if j < n and not skip[j] and j - i <= 3:
            nxt_raw = doc.folded[lines[j].start : lines[j].end]
            nxt = _compact(nxt_raw)
            bare_part = level == 0 and _PART_RE.sub("", c) == ""
            nxt_numbered = any(rx.match(nxt) for rx in (_PART_RE, _L1_RE, _L2_RE, _L3_RE, _L4_RE))
            wrapped = (
                not c.endswith(finals)
                and not c.endswith(("。", "：", ":", "；"))
                and 0 < len(nxt) <= 14
                and (c + nxt).endswith(finals)
                and not nxt_numbered
                and not re.search(r"[，,；;。]", nxt)
            )
            title_line = bare_part and 0 < len(nxt) <= 50 and not nxt_numbered
            if wrapped or title_line:
                c = c + nxt
                last = j
        rank = 0.5 if level == 1 and _is_title(c, md) else float(level)
        out.append(_Heading(i, last, level, c, md, rank))
        i = last + 1
    return out


def _part_role(text: str, rules: SectionRules) -> Role:
    for r in rules.parts:
        if re.search(r.pattern, text):
            return r.role
    return rules.default_part_role


def _scope_for(text: str, kind: str, rules: SectionRules) -> tuple[tuple[str, ...], str] | None:
    body = _PART_RE.sub("", text)
    for r in rules.scopes:
        if re.search(r.pattern, body):
            return (r.scope.budget if kind == "budget" else r.scope.final_account), r.id
    return None


def _appended_titles(heads: Sequence[_Heading], rules: SectionRules) -> list[str | None]:
    """For each heading, the title of the appended document it stands in (None: the report).

    The report proper ends with its glossary or annex (``report_end``: 第四部分 专业名词解释,
    第五部分 附件); an unnumbered title after that which names a report (``appended_title``:
    “高龄老人生活保健补贴项目绩效评价报告”) opens a document of its own, printed after the
    report. It runs to the next part (第X部分) or to the end of the text.
    """
    out: list[str | None] = []
    ended = False
    title: str | None = None
    for h in heads:
        if h.level == 0:
            ended, title = False, None
        if re.search(rules.report_end, _PART_RE.sub("", h.text)):
            ended = True
        elif ended and h.rank == 0.5 and re.search(rules.appended_title, h.text):
            title = h.text
        out.append(title)
    return out


def split_sections(
    doc: Document,
    tables_spans: list[tuple[int, int]] | None = None,
    *,
    rules: Rules | SectionRules | None = None,
) -> list[Section]:
    """All sections of the document in order, each with its role and table scope.

    Table-of-contents lines and table regions (``tables_spans``, plus lines of
    tab-separated cells) are never headings. Parts (第X部分) get a role from
    ``rules/sections.yaml``; sections inherit their part's role.
    """
    rules = rules.sections if isinstance(rules, Rules) else rules or load_section_rules()
    lines = doc.lines
    skip = [a or b for a, b in zip(_toc_mask(lines), table_line_mask(doc, tables_spans), strict=True)]
    heads = _find_headings(doc, skip, rules.heading_finals)
    has_parts = any(h.level == 0 for h in heads)
    text_end = len(doc.text)

    sections: list[Section] = []
    # stack of (rank, index into sections)
    stack: list[tuple[float, int]] = []
    spans_end: list[int] = []
    part_role: Role = "narrative" if not has_parts else "other"
    appended = _appended_titles(heads, rules)
    for k, h in enumerate(heads):
        start = lines[h.line].start
        hs_end = lines[h.last_line].end
        while stack and stack[-1][0] >= h.rank:
            _, idx = stack.pop()
            spans_end[idx] = start
        if h.level == 0:
            part_role = _part_role(_PART_RE.sub("", h.text) or h.text, rules)
            role = part_role
        else:
            role = part_role
            if not has_parts:
                r = _part_role(h.text, rules)
                role = r if r in ("glossary", "tables") else "narrative"
        parent_idx = stack[-1][1] if stack else None
        parent = sections[parent_idx] if parent_idx is not None else None
        scope: tuple[str, ...]
        scope_rule: str | None
        found = _scope_for(h.text, doc.kind, rules) if h.level > 0 or role == "narrative" else None
        if found is not None:
            scope, scope_rule = found
        elif parent is not None:
            scope, scope_rule = parent.scope, parent.scope_rule
        else:
            scope, scope_rule = (), None
        sec = Section(
            id=f"S{k + 1}",
            heading=h.text,
            level=h.level,
            span=(start, text_end),
            heading_span=(start, hs_end),
            parent=parent.id if parent is not None else None,
            scope=tuple(scope),
            role=role,
            scope_rule=scope_rule,
            appended=appended[k],
        )
        sections.append(sec)
        spans_end.append(text_end)
        stack.append((h.rank, len(sections) - 1))
    if not sections:
        # no heading at all (a narrative-only snippet): one implicit narrative section
        return [Section("S1", "", 0, (0, text_end), (0, 0), None, (), "narrative", None)]
    return [dataclasses.replace(s, span=(s.span[0], e)) for s, e in zip(sections, spans_end, strict=True)]


def innermost(sections: Sequence[Section], offset: int) -> Section | None:
    """The deepest section whose span holds ``offset``."""
    best: Section | None = None
    for s in sections:
        if s.span[0] <= offset < s.span[1] and (best is None or s.span[0] >= best.span[0]):
            best = s
    return best


def narrative_segments(
    doc: Document,
    sections: Sequence[Section],
    tables_spans: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int, str]]:
    """Stretches ``(start, end, section_id)`` of narrative body text, in order.

    Headings, table-of-contents lines and table lines are left out; each stretch
    belongs to the innermost section it stands in.
    """
    lines = doc.lines
    skip = [a or b for a, b in zip(_toc_mask(lines), table_line_mask(doc, tables_spans), strict=True)]
    heading_lines: set[int] = set()
    for s in sections:
        if s.heading_span[1] <= s.heading_span[0]:
            continue
        a = doc.line_at(s.heading_span[0]).number - 1
        b = doc.line_at(max(s.heading_span[1] - 1, s.heading_span[0])).number - 1
        heading_lines.update(range(a, b + 1))
    # owner section of each offset: sections sorted by start, innermost wins
    owner = _Owners(sorted(sections, key=lambda s: (s.span[0], s.level)))
    out: list[tuple[int, int, str]] = []
    for i, ln in enumerate(lines):
        if skip[i] or i in heading_lines or not ln.text.strip():
            continue
        sec = owner.at(ln.start)
        if sec is None or not sec.narrative:
            continue
        if out and out[-1][2] == sec.id and _only_blank_between(doc, out[-1][1], ln.start):
            out[-1] = (out[-1][0], ln.end, sec.id)
        else:
            out.append((ln.start, ln.end, sec.id))
    return out


class _Owners:
    """The section a line belongs to, for offsets asked in increasing order: the last section of
    ``ordered`` (sorted by start) that starts at or before the offset and ends after it. One sweep:
    a section is taken in when the offsets reach its start, and dropped from the end of the open
    ones once they pass its end (it can hold no later offset), so a long document is not a scan
    of every section per line."""

    def __init__(self, ordered: Sequence[Section]) -> None:
        self.ordered = ordered
        self.taken = 0
        self.open: list[Section] = []

    def at(self, offset: int) -> Section | None:
        while self.taken < len(self.ordered) and self.ordered[self.taken].span[0] <= offset:
            self.open.append(self.ordered[self.taken])
            self.taken += 1
        while self.open and self.open[-1].span[1] <= offset:
            self.open.pop()
        return self.open[-1] if self.open else None


def _only_blank_between(doc: Document, a: int, b: int) -> bool:
    return not doc.text[a:b].strip()
