"""Blocks as one HTML page for Chromium's printer: page geometry (:class:`Layout`), ruled
tables whose header repeats on every page, page numbers in the footer."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from reconcile.model import compact

from .blocks import NUMBER_RE, PART_RE, Block, Grid, Para, is_rownum_row, plain_text

FONT = "WenQuanYi Zen Hei"


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
            if prev.cls == "meta" and not re.match(r"^表\s*\d+$", plain_text(prev.html)):
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
    names = [k for k, r in enumerate(rows) if not is_rownum_row([compact(plain_text(c)) for c in r])]
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
    t = compact(plain_text(text))
    if NUMBER_RE.fullmatch(t) or t in ("-", "--", "—"):
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
        text = plain_text(html.unescape(b.html))
        if PART_RE.match(text) or text.replace(" ", "") in ("目录",) or len(text) > 40:
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
        if b.cls == "meta" and plain_text(b.html).startswith("单位"):
            cls.append("unit")
        if b.brk:
            cls.append("brk")
        tag = b.cls if b.cls in ("h1", "h2", "h3", "h4") else "p"
        parts.append(f'<{tag} class="{" ".join(cls)}">{b.html}</{tag}>')
    if in_tables:
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)
