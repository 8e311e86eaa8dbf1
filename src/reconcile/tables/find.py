"""Finding the tables: the lines whose text is a standard table's title (as the rules name
them), and the lines after each title that belong to its table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Document, Line
from ..model import compact
from ..rules import Rules, TableKind

__all__ = ["Region", "regions"]

_TITLE_PREFIX_RE = re.compile(
    r"^(?:[-•·]|附表\d*[:：]?|表[一二三四五六七八九十\d]+[-—]?\d*[:：]?|公开\d+表[:：]?|[（(]?[一二三四五六七八九十]+[）)、.．]|\d+[.、．]"
    r"|20\d{2}年度?)+"
)
_TITLE_SUFFIX_RE = re.compile(r"(?:表\d+[-—]?\d*|公开\d+表|\.{2,}\d*|…+\d*|\d+)$")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
_NARR_HEAD_RE = re.compile(r"情况说明|编制说明|名词解释|绩效自评|^[一二三四五六七八九十]+、.*(说明|情况)$")
_TABLE_NO_RE = re.compile(r"(?:附表|表)[一二三四五六七八九十\d]+|公开\d+表")
# “预算10表 政府采购预算明细表”, “公开08表…”: a numbered title, whatever its words
_NUMBERED_TITLE_RE = re.compile(r"[\u4e00-\u9fff]{0,4}\d{1,2}表(?:[-—]\d+)?[\u4e00-\u9fff“”\"（）()、]{2,40}表")
_OTHER_TITLE_RE = re.compile(r"[\u4e00-\u9fff“”\"（）()、]{4,40}(?:预算|决算|情况|明细|统计|汇总|绩效目标)?表")
_ORG_HEAD_RE = re.compile(r"[^，。；：:,;、\s]{2,30}")


@dataclass
class Region:
    """A table's title line and the lines after it, up to the next title or the narrative."""

    kind: TableKind | None
    title: str
    title_line: Line
    lines: list[Line] = field(default_factory=list)


@dataclass
class _Head:
    """A title found on line ``index`` (``skip``: lines its last word was broken onto)."""

    index: int
    kind: TableKind
    title: str
    skip: int


def regions(doc: Document, rules: Rules) -> list[Region]:
    """Every titled table region of the document that holds at least one row of numbers."""
    heads = [h for i in range(len(doc.lines)) if (h := _head_at(doc, i, rules)) is not None]
    out: list[Region] = []
    for j, head in enumerate(heads):
        end = heads[j + 1].index if j + 1 < len(heads) else len(doc.lines)
        reg = Region(head.kind, head.title, doc.lines[head.index], _body(doc, head.index + 1 + head.skip, end))
        if _has_data(doc, reg):
            out.append(reg)
    return out


def _title_of(line_text: str) -> str:
    c = compact(line_text)
    c = c.replace('"', "").replace("'", "")
    c = _TITLE_PREFIX_RE.sub("", c)
    c = _TITLE_SUFFIX_RE.sub("", c)
    return c.replace("三公", '"三公"')


def _head_at(doc: Document, i: int, rules: Rules) -> _Head | None:
    """The title on line ``i``, when the line reads as the title of a table the rules know."""
    lines = doc.lines
    ln = lines[i]
    raw = doc.folded[ln.start : ln.end]
    if len(raw) > 80 or not raw.strip():
        return None
    title = _title_of(raw)
    skip = 0
    if not title.endswith(("表", "）")) and "\t" not in ln.text:
        # a title broken before its last word: “…支出预算” + “表”
        nxt = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].text.strip()), None)
        if nxt is not None:
            tail = compact(doc.folded[lines[nxt].start : lines[nxt].end])
            if 0 < len(tail) <= 6 and "表" in tail and "\t" not in lines[nxt].text and not re.search(r"\d", tail):
                title, skip = _title_of(raw + tail), nxt - i
    if len(title) < 4 or not title.endswith(("表", "）")):
        return None
    kind = rules.match_title(title)
    if kind is None:
        kind, title = _titled_by_organization(raw, title, rules)
    if kind is None:
        return None
    return _Head(i, kind, title, skip)


def _titled_by_organization(raw: str, title: str, rules: Rules) -> tuple[TableKind | None, str]:
    """“2017年度江苏省高级人民法院部门收支预算总表”: a standard title after the year and
    the organization's name (the name has no punctuation; the line names a year or the
    name ends with 部门/单位 or a title qualifier of tables.yaml: 部门综合预算收支总表)."""
    dated = bool(re.search(r"20\d{2}年", compact(raw)))
    if re.search(r"[见据照。]", raw):
        return None, title  # a sentence that names a table (详见…表), not a title
    qualifiers = tuple(rules.files["table_kinds"].title_qualifiers)
    for k in range(2, min(len(title) - 3, 31)):
        head = title[:k]
        if not _ORG_HEAD_RE.fullmatch(head) or not (dated or head.endswith(("部门", "单位", *qualifiers))):
            continue
        kind = rules.match_title(title[k:])
        if kind is not None:
            return kind, title[k:]
    return None, title


def _body(doc: Document, start: int, end: int) -> list[Line]:
    """Lines ``start`` to ``end`` (the next title) up to where the narrative or a table the
    rules do not know begins."""
    body: list[Line] = []
    seen_data = False
    for ln in doc.lines[start:end]:
        t = compact(doc.folded[ln.start : ln.end])
        if _PART_RE.match(t) or (_NARR_HEAD_RE.search(t) and "\t" not in ln.text and len(t) < 60):
            break
        other = _OTHER_TITLE_RE.fullmatch(_title_of(t)) or _TABLE_NO_RE.fullmatch(t) or _NUMBERED_TITLE_RE.fullmatch(t)
        if seen_data and "\t" not in ln.text and other:
            break  # after the data, the title or number of a table the rules do not know ends this one
        seen_data = seen_data or "\t" in ln.text or bool(re.search(r"\d\.\d", t))
        body.append(ln)
    return body


_EMPTY_TOTAL_RE = re.compile(r"^\s*(?:合计|总计)\t[\t ]*$")


def _has_data(doc: Document, reg: Region) -> bool:
    """A title followed by at least one row with numbers (a table of contents entry has none),
    or a table printed empty: its total row with every cell left blank (“合计\t\t\t”)."""
    for ln in reg.lines:
        t = doc.folded[ln.start : ln.end]
        tabular = "\t" in t or re.search(r"\d\.\d{1,2}(?:\s|$)|\d,\d{3}", t)
        if tabular and re.search(r"\d", t) and not re.search(r"\.{3,}|…{2,}", t):
            return True
        if _EMPTY_TOTAL_RE.match(t):
            return True
    return False
