"""Render the seed reports to PDF, the way reports are published: the project's PDF test corpus.

Each seed in ``corpora/seeds/*.txt`` becomes an HTML document (headings and paragraphs for
the narrative, every table a ruled ``<table>`` whose header repeats on every page it runs
onto, page numbers in the footer) printed to PDF with headless Chromium and the
WenQuanYi Zen Hei font (both installed by ``scripts/setup.sh``). ``tests/test_rendered.py``
checks that ``reconcile check`` gives the same inconsistencies on each PDF as on its text.

Usage::

    python scripts/render_seeds.py                  # every variant into corpora/rendered/
    python scripts/render_seeds.py --only 004       # the variants of the seeds whose name starts so
    python scripts/render_seeds.py --out /tmp/r --html   # elsewhere, keeping the HTML

Variants (``variants()``): every seed on A4 portrait with each table starting a new page;
seed 004 on narrow pages (A5, tables flowing with the text, so tables break at other rows
and lines wrap elsewhere); seed 001 with its tables on A4 landscape pages (GB style: the
narrative on portrait pages, the tables on landscape ones).

How a seed becomes HTML:

* TAB-separated seeds (000, 001, 004): every run of TAB lines is a table; a run that
  follows another one after blank lines only and starts with the same header rows is the
  same table continued (its repeated header is dropped: Chromium repeats the ``thead``
  wherever the table breaks). Leading rows without amounts or codes (and 栏次 rows) are
  the header; in the header a label over empty cells becomes a merged cell (colspan where
  the row below splits it, rowspan where the cells below are empty). Narrative lines are
  one paragraph each, markdown marks (``#``, ``**``, ``- ``) turned into headings, bold and
  plain list lines.
* The pdftotext seed (002): its tables are read with ``reconcile.tables.parse_tables`` and
  rendered from the parsed rows (code, label, 行次 and every value as printed; side-by-side
  blocks such as 收入 | 支出 stay side by side); its narrative lines, wrapped at the width
  of the original page, are joined back into paragraphs that wrap at the new page width.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
OUT = ROOT / "corpora" / "rendered"
FONT = "WenQuanYi Zen Hei"
FIXED_DATE = b"D:20250101000000+00'00'"

try:  # the package is installed in development mode; fall back to src/ when run from a checkout
    import reconcile  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT / "src"))

from reconcile.document import Document  # noqa: E402
from reconcile.ingest import load_document  # noqa: E402
from reconcile.model import Row, Table, compact  # noqa: E402
from reconcile.tables import parse_tables  # noqa: E402

# ----------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """Page geometry and type sizes of one rendering."""

    page: str  # CSS page size of the narrative pages
    margin: str  # CSS page margins
    body_pt: float  # narrative font size
    table_pt: float  # table font size for tables of up to 6 columns (smaller for wider ones)
    table_breaks: bool  # every table starts a new page
    table_page: str | None = None  # CSS page size of the pages that hold tables
    running_head: bool = False  # the report's title in the top margin of every page


LAYOUTS: dict[str, Layout] = {
    "a4": Layout("A4", "25mm 22mm 22mm 22mm", 12.0, 9.5, True),
    "narrow": Layout("148mm 210mm", "18mm 14mm 18mm 14mm", 10.5, 8.0, False, running_head=True),
    "landscape": Layout("A4", "25mm 22mm 22mm 22mm", 12.0, 9.5, True, table_page="A4 landscape"),
}

# Every seed is rendered with the "a4" layout to ``<stem>.pdf``; these synthetic variants
# are rendered too: (seed name prefix, layout, output suffix).
EXTRA_VARIANTS: list[tuple[str, str, str]] = [
    ("004", "narrow", "__narrow"),
    ("001", "landscape", "__landscape"),
]


def variants(only: Sequence[str] = ()) -> list[tuple[Path, str, Path]]:
    """(seed path, layout name, output file name) of every rendering (or those of ``only``)."""
    seeds = [s for s in sorted(SEEDS.glob("*.txt")) if not only or any(s.stem.startswith(o) for o in only)]
    out = [(seed, "a4", Path(f"{seed.stem}.pdf")) for seed in seeds]
    for prefix, layout, suffix in EXTRA_VARIANTS:
        out.extend((seed, layout, Path(f"{seed.stem}{suffix}.pdf")) for seed in seeds if seed.stem.startswith(prefix))
    return out


def seed_of(pdf: Path) -> Path:
    """The seed a rendered PDF was made from (``004_x__narrow.pdf`` -> ``seeds/004_x.txt``)."""
    return SEEDS / (pdf.stem.split("__", 1)[0] + ".txt")


# ----------------------------------------------------------------------------- blocks


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

_NUMBER_RE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_CODE_RE = re.compile(r"\[?\d{3}(?:\d{2}){0,2}\]?")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
_SECTION_RE = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")
_SUBSECTION_RE = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_META_RE = re.compile(r"^(?:单位|部门|编制|公开\s*\d+\s*表|表\s*\d+\s*$|\d{4}\s*年度?\s*$)")
_NOTE_RE = re.compile(r"^(?:注[:：]|说明[:：]|注\d|本表|本部门本表)")
_PAGE_NO_RE = re.compile(r"^\s*\d{1,3}\s*$")
_ITEM_RE = re.compile(r"^\d{1,2}[、.．]")


def _cell_html(text: str) -> str:
    """Escape a cell or paragraph, keeping the ``<b>`` marks and markdown bold of the seeds."""
    out = html.escape(text.strip(), quote=False)
    out = out.replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")
    return _BOLD_RE.sub(r"<b>\1</b>", out)


def _plain(text: str) -> str:
    return re.sub(r"<[^>]{0,10}>|\*\*", "", text).strip()


def _is_rownum_row(texts: list[str]) -> bool:
    if any(t == "栏次" for t in texts):
        return True
    nums = [t for t in texts if t]
    if len(nums) < 2 or not all(re.fullmatch(r"\d{1,2}", t) for t in nums):
        return False
    ints = [int(t) for t in nums]
    return ints == list(range(ints[0], ints[0] + len(ints)))


def _is_header_row(cells: list[str]) -> bool:
    texts = [compact(_plain(c)) for c in cells]
    if _is_rownum_row(texts):
        return True
    return not any(_NUMBER_RE.fullmatch(t) or _CODE_RE.fullmatch(t) or re.match(r"\[?\d{3,7}\]", t) for t in texts)


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    k = 0
    while k < len(rows) and _is_header_row(rows[k]):
        k += 1
    if k == len(rows):  # no data: keep the first row as the header
        k = min(1, len(rows))
    return rows[:k], rows[k:]


def _md_para(line: str) -> Para:
    """One narrative line of a TAB seed: markdown heading, list line or paragraph."""
    text = line.strip()
    m = _MD_HEADING_RE.match(text)
    if m:
        level = min(len(m.group(1)), 4)
        return Para(_cell_html(m.group(2)), f"h{level}")
    if text.startswith("- "):
        return Para(_cell_html(text[2:]), "li")
    plain = _plain(text)
    if _PART_RE.match(plain) and len(plain) < 60:
        return Para(_cell_html(text), "h2")
    if (_SECTION_RE.match(plain) or _SUBSECTION_RE.match(plain)) and len(plain) < 40 and not plain.endswith("。"):
        return Para(_cell_html(text), "h4")
    if _META_RE.match(plain) and len(plain) < 60:
        return Para(_cell_html(text), "meta")
    if _NOTE_RE.match(plain):
        return Para(_cell_html(text), "note")
    return Para(_cell_html(text), "p")


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
            head_html = [[_cell_html(c) for c in r] for r in head]
            body_html = [[_cell_html(c) for c in r] for r in body]
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
        para = _md_para(line)
        if i - 1 in titles:
            para.cls = "title"
        blocks.append(para)
    return blocks


# ----------------------------------------------------------------------------- 002


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _wrapped_width(lines: list[str]) -> int | None:
    """The width (in half-em units) a seed's lines were wrapped at, or None if they are not.

    pdftotext keeps the line breaks of the original page: nearly every line of a long
    paragraph has about the same width (about 30 CJK characters on A4). Seeds that hold
    one paragraph per line have far longer lines.
    """
    widths = sorted(_width(ln.strip()) for ln in lines if ln.strip())
    if len(widths) < 20:
        return None
    p90 = widths[int(0.9 * (len(widths) - 1))]
    return p90 if p90 <= 72 else None


def _reflow(lines: list[str], wrap: int | None) -> list[Para]:
    """Paragraphs of narrative lines: lines wrapped at width ``wrap`` are joined back."""
    if wrap is None:
        return [_md_para(ln) for ln in lines if ln.strip() and not _PAGE_NO_RE.fullmatch(ln)]
    full = wrap - 6
    paras: list[Para] = []
    cur: str | None = None
    indent = False
    prev_full = False
    for raw in lines:
        text = raw.strip()
        if not text or _PAGE_NO_RE.fullmatch(text):
            continue
        heading = bool(_PART_RE.match(text) or _SECTION_RE.match(text) or _SUBSECTION_RE.match(text))
        starts_new = heading or any(rx.match(text) for rx in (_ITEM_RE, _NOTE_RE, _META_RE))
        if cur is not None and prev_full and not starts_new and not (cur.endswith("。") and raw.startswith(" ")):
            cur = _join(cur, text)
        else:
            if cur is not None:
                paras.append(_para_002(cur, indent))
            cur, indent = text, raw.startswith(" ")
        prev_full = _width(text) >= full
    if cur is not None:
        paras.append(_para_002(cur, indent))
    return paras


def _para_002(text: str, indent: bool) -> Para:
    if _PART_RE.match(text):
        return Para(_cell_html(text), "h2")
    if (_SECTION_RE.match(text) or _SUBSECTION_RE.match(text)) and len(text) < 40 and not text.endswith("。"):
        return Para(_cell_html(text), "h4")
    if _META_RE.match(text) and len(text) < 30:
        return Para(_cell_html(text), "meta")
    return Para(_cell_html(text), "p" if indent or len(text) > 20 else "p0")


def _table_grid(t: Table) -> Grid:
    """A parsed table as a ruled grid: blocks side by side, one row per parsed row."""
    named = [b for b in t.blocks() if not re.fullmatch(r"B\d+", b)]
    if not named:
        named = [""]

    def slot(block: str) -> int:
        m = re.fullmatch(r"B(\d+)", block)
        if m and block not in named:  # a group the pdftotext parse could not name: by alternation
            return (int(m.group(1)) - 1) % len(named)
        return named.index(block) if block in named else 0

    # the rows that define each block's columns: its own rows (else all rows placed in it)
    groups: list[list[Row]] = [[r for r in t.rows if r.block == name] for name in named]
    for k, rows in enumerate(groups):
        if not rows:
            groups[k] = [r for r in t.rows if slot(r.block) == k]
    # the value columns of each block, in table order, with their header paths
    specs: list[tuple[bool, bool, bool, list[str]]] = []  # (code, label, rownum, columns)
    for rows in groups:
        cols = [c for c in t.columns if any(c in r.cells for r in rows)]
        width = max([len(r.cells) for r in rows] + [len(cols)])
        cols += [f"col{k + 1}" for k in range(len(cols), width)]
        specs.append(
            (
                any(r.code for r in rows),
                any(r.label or r.code for r in rows),
                any(r.row_number for r in rows),
                cols,
            )
        )
    depth = max([len(t.column_paths.get(c, (c,))) for _, _, _, cols in specs for c in cols] + [1])
    multi = len(named) > 1
    head: list[list[str]] = [[] for _ in range(depth + (1 if multi else 0))]
    for (has_code, has_label, has_rownum, cols), name in zip(specs, named, strict=True):
        fixed = [h for h, on in (("科目编码", has_code), ("项目", has_label), ("行次", has_rownum)) if on]
        n = len(fixed) + len(cols)
        if multi:
            head[0].extend([html.escape(name)] + [""] * (n - 1))
        base = 1 if multi else 0
        for h in fixed:
            for d in range(depth):
                head[base + d].append(h if d == 0 else "")
        for c in cols:
            path = list(t.column_paths.get(c, tuple(c.split("/"))))
            for d in range(depth):
                head[base + d].append(html.escape(path[d]) if d < len(path) else "")
    # rows: parsed rows of the same source line stand side by side
    body: list[list[str]] = []
    current: dict[int, Row] = {}
    current_line: int | None = None

    def flush() -> None:
        if not current:
            return
        cells: list[str] = []
        for k, (has_code, has_label, has_rownum, cols) in enumerate(specs):
            r = current.get(k)
            if has_code:
                cells.append(html.escape(r.code or "") if r else "")
            if has_label:
                cells.append(html.escape(r.label) if r else "")
            if has_rownum:
                cells.append(html.escape(r.row_number or "") if r else "")
            values = list(r.cells.values()) if r else []
            slots = [""] * len(cols)
            stray: list[str] = []
            for cell in values:
                if cell.column in cols:
                    slots[cols.index(cell.column)] = html.escape(cell.text)
                else:
                    stray.append(html.escape(cell.text))
            for text in stray:  # a group the parse put in a block without its columns: by position
                free = next((k for k, v in enumerate(slots) if not v), None)
                if free is not None:
                    slots[free] = text
            cells.extend(slots)
        body.append(cells)
        current.clear()

    for r in t.rows:
        k = slot(r.block)
        if k in current or (current_line is not None and r.line != current_line):
            flush()
        current[k] = r
        current_line = r.line
    flush()
    return Grid(head, body)


def pdftotext_blocks(doc: Document, tables: list[Table]) -> list[Block]:
    """Blocks of a seed in pdftotext style: parsed tables, narrative joined into paragraphs."""
    lines = doc.text.split("\n")
    regions: list[tuple[int, int, Table]] = []
    for t in tables:
        if t.lines is not None:
            regions.append((t.lines[0] - 1, t.lines[1], t))
    wrap = _wrapped_width(lines)
    blocks: list[Block] = []
    pos = 0
    for first, last, t in regions:
        blocks.extend(_reflow(lines[pos:first], wrap))
        title = lines[first].strip()
        blocks.append(Para(_cell_html(title), "title"))
        for ln in lines[first + 1 : last]:
            s = ln.strip()
            if "\t" in s or not s:
                continue
            if re.match(r"^(?:部门|单位|编制)[:：]", s):
                blocks.append(Para(_cell_html(s), "meta"))
                break
            if _NUMBER_RE.search(s):
                break
        blocks.append(_table_grid(t))
        for note, _span in t.notes:
            blocks.append(Para(_cell_html(note), "note"))
        pos = last
    blocks.extend(_reflow(lines[pos:], wrap))
    return blocks


# ----------------------------------------------------------------------------- HTML


def seed_blocks(seed: Path) -> list[Block]:
    doc = load_document(seed)
    tables = parse_tables(doc)
    if "\t" in doc.text:
        return tsv_blocks(doc, tables)
    return pdftotext_blocks(doc, tables)


def _mark_breaks(blocks: list[Block]) -> None:
    """Every table starts a new page, with the headings and title lines just above it."""
    for k, b in enumerate(blocks):
        if not isinstance(b, Para) or b.cls != "title":
            continue
        j = k
        while j > 0:
            prev = blocks[j - 1]
            if not isinstance(prev, Para) or prev.cls not in ("h1", "h2", "h3", "h4", "meta"):
                break
            if prev.cls == "meta" and not re.match(r"^表\s*\d+$", _plain(prev.html)):
                break
            j -= 1
        if j > 0:
            blocks[j].brk = True


def _header_spans(head: list[list[str]], width: int) -> list[list[tuple[str, int, int] | None]]:
    """Header cells with (text, colspan, rowspan); ``None`` where a span covers the cell.

    A label followed by empty cells spans them when the row below has labels there (the
    label heads a group of columns); a label over empty cells spans them downwards.
    栏次 rows are left as they are.
    """
    rows = [r + [""] * (width - len(r)) for r in head]
    names = [k for k, r in enumerate(rows) if not _is_rownum_row([compact(_plain(c)) for c in r])]
    out: list[list[tuple[str, int, int] | None]] = [[(c, 1, 1) for c in r] for r in rows]
    covered: set[tuple[int, int]] = set()
    for r in names:
        for c in range(width):
            if (r, c) in covered or not rows[r][c]:
                continue
            cs = 1
            while c + cs < width and not rows[r][c + cs] and (r, c + cs) not in covered:
                cs += 1
            if r + 1 not in names or not any(rows[r + 1][k] for k in range(c + 1, c + cs)):
                cs = 1  # no labels below the empty cells: they are columns of their own
            rs = 1
            while r + rs in names and all(not rows[r + rs][k] and (r + rs, k) not in covered for k in range(c, c + cs)):
                rs += 1
            out[r][c] = (rows[r][c], cs, rs)
            for dr in range(rs):
                for dc in range(cs):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
                        out[r + dr][c + dc] = None
    return out


def _td_class(text: str) -> str:
    t = compact(_plain(text))
    if _NUMBER_RE.fullmatch(t) or t in ("-", "--", "—"):
        return "n"
    return ""


def grid_html(g: Grid, layout: Layout) -> str:
    width = g.width
    size = layout.table_pt - (0 if width <= 6 else 1.0 if width <= 9 else 2.0 if width <= 12 else 2.5)
    classes = ["grid"] + (["tpage"] if layout.table_page else [])
    out = [f'<table class="{" ".join(classes)}" style="font-size:{size:.1f}pt">', "<thead>"]
    for row in _header_spans(g.head, width):
        tds: list[str] = []
        for cell in row:
            if cell is None:
                continue
            text, cs, rs = cell
            attrs = (f' colspan="{cs}"' if cs > 1 else "") + (f' rowspan="{rs}"' if rs > 1 else "")
            tds.append(f"<th{attrs}>{text}</th>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</thead><tbody>")
    code_cols = {k for r in g.head for k, c in enumerate(r) if "编码" in c or "代码" in c}
    for r in g.body:
        cells_html = []
        for k, c in enumerate(r + [""] * (width - len(r))):
            cls = "c" if k in code_cols and c else _td_class(c)
            cells_html.append(f'<td class="{cls}">{c}</td>' if cls else f"<td>{c}</td>")
        out.append("<tr>" + "".join(cells_html) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _css(layout: Layout, head: str) -> str:
    table_page = ""
    if layout.table_page:
        table_page = f"@page tables {{ size: {layout.table_page}; }}\n.tpage-wrap {{ page: tables; }}\n"
    return f"""
@page {{
  size: {layout.page};
  margin: {layout.margin};
  @bottom-center {{ content: "- " counter(page) " -"; font-family: "{FONT}"; font-size: 9pt; }}
  {head}
}}
{table_page}
html {{ font-family: "{FONT}"; font-size: {layout.body_pt}pt; line-height: 1.6; color: #000; }}
* {{ font-synthesis: none; }}
body {{ margin: 0; }}
p {{ margin: 0 0 0.35em 0; text-align: justify; }}
p.p {{ text-indent: 2em; }}
p.li {{ margin-left: 2em; }}
h1, h2, h3, h4 {{ font-weight: bold; margin: 0.6em 0 0.4em 0; line-height: 1.4; break-after: avoid; }}
h1 {{ font-size: 1.5em; text-align: center; }}
h2 {{ font-size: 1.3em; }}
h3 {{ font-size: 1.15em; }}
h4 {{ font-size: 1em; text-indent: 2em; }}
p.title {{ font-size: 1.25em; font-weight: bold; text-align: center; margin: 0.4em 0; break-after: avoid; }}
p.meta {{ font-size: 0.85em; margin: 0.1em 0; break-after: avoid; }}
p.meta.unit {{ text-align: right; }}
p.note {{ font-size: 0.8em; margin: 0.3em 0; }}
.brk {{ break-before: page; }}
table.grid {{ border-collapse: collapse; width: 100%; margin: 0.3em 0 0.5em 0; line-height: 1.25; }}
table.grid thead {{ display: table-header-group; }}
table.grid tr {{ break-inside: avoid; }}
table.grid th, table.grid td {{ border: 0.5pt solid #000; padding: 1.5pt 2.5pt; vertical-align: middle; }}
table.grid th {{ font-weight: normal; text-align: center; }}
table.grid td.n {{ text-align: right; white-space: nowrap; }}
table.grid td.c {{ text-align: left; white-space: nowrap; }}
"""


_NARRATIVE = ("h1", "h2", "h3", "h4", "p", "p0", "li")


def _report_title(blocks: list[Block]) -> str:
    """The report's title: its first lines up to the first heading of a part or a TOC."""
    parts: list[str] = []
    for b in blocks[:6]:
        if not isinstance(b, Para):
            break
        text = _plain(html.unescape(b.html))
        if _PART_RE.match(text) or text.replace(" ", "") in ("目录",) or len(text) > 40:
            break
        if not re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月", text):
            parts.append(text)
    return "".join(parts)


def build_html(blocks: list[Block], layout: Layout, title: str) -> str:
    if layout.table_breaks:
        _mark_breaks(blocks)
    head = ""
    if layout.running_head:
        running = _report_title(blocks).replace("\\", "").replace('"', "")
        head = f'@top-center {{ content: "{running}"; font-family: "{FONT}"; font-size: 8pt; }}'

    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_css(layout, head)}</style></head><body>",
    ]
    # landscape tables: each table with the headings and title lines above it (the blocks
    # from one page break to the next narrative paragraph) goes on a page of its own size
    starts = {k for k, b in enumerate(blocks) if b.brk}
    in_tables = False
    for k, b in enumerate(blocks):
        if layout.table_page:
            if k in starts:
                if in_tables:
                    parts.append("</div>")
                parts.append('<div class="tpage-wrap">')
                in_tables = True
            elif in_tables and isinstance(b, Para) and b.cls in _NARRATIVE and k + 1 not in starts:
                parts.append("</div>")
                in_tables = False
        if isinstance(b, Grid):
            html_table = grid_html(b, layout)
            parts.append(f'<div class="brk">{html_table}</div>' if b.brk else html_table)
            continue
        cls = [b.cls]
        if b.cls == "meta" and _plain(b.html).startswith("单位"):
            cls.append("unit")
        if b.brk:
            cls.append("brk")
        tag = b.cls if b.cls in ("h1", "h2", "h3", "h4") else "p"
        parts.append(f'<{tag} class="{" ".join(cls)}">{b.html}</{tag}>')
    if in_tables:
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


# ----------------------------------------------------------------------------- PDF


def chromium() -> str | None:
    """The Chromium executable (Debian's ``chromium``), or None."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 120.0) -> None:
    """Print an HTML file to PDF with headless Chromium (no header/footer of its own)."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed (bash scripts/setup.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="render-profile-") as profile:
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--disable-pdf-tagging",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0 or not pdf_path.exists():
        raise RuntimeError(f"chromium failed on {html_path} (exit {proc.returncode}): {proc.stderr[-2000:]}")
    _fix_dates(pdf_path)


def _fix_dates(pdf_path: Path) -> None:
    """Set the creation and modification dates to a fixed value (same length: offsets hold)."""
    data = pdf_path.read_bytes()

    def repl(m: re.Match[bytes]) -> bytes:
        fixed = FIXED_DATE[: len(m.group(2))].ljust(len(m.group(2)), b"0")
        return m.group(1) + fixed + m.group(3)

    new = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)(\))", repl, data)
    if new != data:
        pdf_path.write_bytes(new)


def render(seed: Path, layout_name: str, pdf_path: Path, *, keep_html: bool = False) -> Path:
    """Render one seed with one layout to ``pdf_path``; returns the PDF path."""
    layout = LAYOUTS[layout_name]
    blocks = seed_blocks(seed)
    doc_html = build_html(blocks, layout, seed.stem)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    html_path = pdf_path.with_suffix(".html")
    if keep_html:
        html_path.write_text(doc_html, encoding="utf-8")
        print_pdf(html_path, pdf_path)
    else:
        with tempfile.TemporaryDirectory(prefix="render-") as tmp:
            tmp_html = Path(tmp) / html_path.name
            tmp_html.write_text(doc_html, encoding="utf-8")
            print_pdf(tmp_html, pdf_path)
    return pdf_path


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="output directory (default corpora/rendered)")
    ap.add_argument("--only", nargs="*", default=[], help="seed name prefixes to render (default: all)")
    ap.add_argument("--html", action="store_true", help="keep the HTML next to each PDF")
    args = ap.parse_args(argv)
    if chromium() is None:
        print("chromium is not installed: run bash scripts/setup.sh", file=sys.stderr)
        return 2
    for seed, layout, name in variants(args.only):
        pdf = render(seed, layout, args.out / name, keep_html=args.html)
        print(
            f"{pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}  ({layout}, {pdf.stat().st_size // 1024} KB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
