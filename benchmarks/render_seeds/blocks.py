"""A seed as blocks: paragraphs (with their kind: heading, list line, title, note …) and
ruled grids; the TAB-separated seeds (000, 001, 004) read line by line."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from reconcile.document import Document
from reconcile.model import Table, compact


@dataclass
class Para:
    html: str
    cls: str = "p"  # h1 h2 h3 h4 p li title meta note
    brk: bool = False  # page break before


@dataclass
class Grid:
    head: list[list[str]]  # header rows (cell HTML; "" is an empty cell)
    body: list[list[str]]
    brk: bool = False

    @property
    def width(self) -> int:
        return max(len(r) for r in self.head + self.body)


Block = Para | Grid

NUMBER_RE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
CODE_RE = re.compile(r"\[?\d{3}(?:\d{2}){0,2}\]?")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
SECTION_RE = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
SUBSECTION_RE = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
META_RE = re.compile(r"^(?:单位|部门|编制|公开\s*\d+\s*表|表\s*\d+\s*$|\d{4}\s*年度?\s*$)")
NOTE_RE = re.compile(r"^(?:注[:：]|说明[:：]|注\d|本表|本部门本表)")
PAGE_NO_RE = re.compile(r"^\s*\d{1,3}\s*$")
ITEM_RE = re.compile(r"^\d{1,2}[、.．]")


def cell_html(text: str) -> str:
    """Escape a cell or paragraph, keeping the ``<b>`` marks and markdown bold of the seeds."""
    out = html.escape(text.strip(), quote=False)
    out = out.replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")
    return BOLD_RE.sub(r"<b>\1</b>", out)


def plain_text(text: str) -> str:
    return re.sub(r"<[^>]{0,10}>|\*\*", "", text).strip()


def is_rownum_row(texts: list[str]) -> bool:
    if any(t == "栏次" for t in texts):
        return True
    nums = [t for t in texts if t]
    if len(nums) < 2 or not all(re.fullmatch(r"\d{1,2}", t) for t in nums):
        return False
    ints = [int(t) for t in nums]
    return ints == list(range(ints[0], ints[0] + len(ints)))


def _is_header_row(cells: list[str]) -> bool:
    texts = [compact(plain_text(c)) for c in cells]
    if is_rownum_row(texts):
        return True
    return not any(NUMBER_RE.fullmatch(t) or CODE_RE.fullmatch(t) or re.match(r"\[?\d{3,7}\]", t) for t in texts)


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    k = 0
    while k < len(rows) and _is_header_row(rows[k]):
        k += 1
    if k == len(rows):  # no data: keep the first row as the header
        k = min(1, len(rows))
    return rows[:k], rows[k:]


def md_para(line: str) -> Para:
    """One narrative line of a TAB seed: markdown heading, list line or paragraph."""
    text = line.strip()
    m = MD_HEADING_RE.match(text)
    if m:
        level = min(len(m.group(1)), 4)
        return Para(cell_html(m.group(2)), f"h{level}")
    if text.startswith("- "):
        return Para(cell_html(text[2:]), "li")
    plain = plain_text(text)
    if PART_RE.match(plain) and len(plain) < 60:
        return Para(cell_html(text), "h2")
    if (SECTION_RE.match(plain) or SUBSECTION_RE.match(plain)) and len(plain) < 40 and not plain.endswith("。"):
        return Para(cell_html(text), "h4")
    if META_RE.match(plain) and len(plain) < 60:
        return Para(cell_html(text), "meta")
    if NOTE_RE.match(plain):
        return Para(cell_html(text), "note")
    return Para(cell_html(text), "p")


def _title_lines(doc: Document, tables: list[Table]) -> set[int]:
    """0-based line indexes of the table titles the engine recognises."""
    out: set[int] = set()
    for t in tables:
        if t.title_span is not None:
            out.add(doc.text.count("\n", 0, t.title_span[0]))
    return out


def tsv_blocks(doc: Document, tables: list[Table]) -> list[Block]:
    """Blocks of a seed whose tables are TAB-separated rows."""
    lines = doc.text.split("\n")
    titles = _title_lines(doc, tables)
    blocks: list[Block] = []
    last_grid: Grid | None = None  # the table a following TAB run may continue
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            rows = [ln.split("\t") for ln in lines[i:j]]
            head, body = _split_header(rows)
            head_html = [[cell_html(c) for c in r] for r in head]
            body_html = [[cell_html(c) for c in r] for r in body]
            if last_grid is not None and head_html == last_grid.head:
                last_grid.body.extend(body_html)  # the same table, continued
            else:
                last_grid = Grid(head_html, body_html)
                blocks.append(last_grid)
            i = j
            continue
        i += 1
        if not line.strip():
            continue
        last_grid = None
        para = md_para(line)
        if i - 1 in titles:
            para.cls = "title"
        blocks.append(para)
    return blocks
