"""The PDF path: real corpus PDFs, and small PDFs written by hand in this file.

The hand-written PDFs need no library: a tiny writer below emits the objects, a
Type0 font with Identity-H encoding (with or without a ToUnicode map), ruling lines,
an image, and (for the encrypted case) RC4 encryption with a user password.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest

from reconcile.document import Document, InputError, split_lines
from reconcile.ingest import document_from_bytes, load_document
from reconcile.pdf import SETTINGS, PdfSettings, PdfTable, load_documents, read_pdf, read_pdfs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "pdf"
CORPUS_PDFS = sorted(CORPUS.glob("*.pdf"))


# ----------------------------------------------------------------------------------
# A minimal PDF writer

PAGE_W, PAGE_H = 595.0, 842.0


@dataclass
class PageSpec:
    ops: list[bytes] = field(default_factory=list)
    image: bool = False

    def text(self, x: float, top: float, s: str, size: float = 12.0, font: str = "F1") -> PageSpec:
        """Write ``s`` with its em box starting ``top`` points below the page top."""
        baseline = PAGE_H - top - 0.88 * size
        hexed = s.encode("utf-16-be").hex()
        self.ops.append(
            b"BT /%s %g Tf 1 0 0 1 %g %g Tm <%s> Tj ET" % (font.encode(), size, x, baseline, hexed.encode())
        )
        return self

    def line(self, x0: float, top0: float, x1: float, top1: float) -> PageSpec:
        self.ops.append(b"0.5 w %g %g m %g %g l S" % (x0, PAGE_H - top0, x1, PAGE_H - top1))
        return self

    def draw_image(self) -> PageSpec:
        self.image = True
        self.ops.append(b"q 500 0 0 700 50 70 cm /Im1 Do Q")
        return self

    def content(self) -> bytes:
        return b"\n".join(self.ops)


def _width(ch: str) -> int:
    return 500 if ord(ch) < 0x2000 else 1000


def write_pdf(pages: list[PageSpec], *, tounicode: bool = True, password: bytes | None = None) -> bytes:
    """A PDF with one Identity-H font (``F1``) whose codes are the Unicode code points."""
    used = sorted({ch for p in pages for op in p.ops for ch in _decode_ops(op)})
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    widths = b" ".join(b"%d [%d]" % (ord(ch), _width(ch)) for ch in used)
    desc = add(
        b"<< /Type /FontDescriptor /FontName /TestSong /Flags 6 /FontBBox [0 -120 1000 880] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
    )
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [%s] >>" % (desc, widths)
    )
    to_unicode = b""
    if tounicode:
        bf = b"\n".join(b"<%04X> <%04X>" % (ord(ch), ord(ch)) for ch in used)
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Test-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"%d beginbfchar\n%s\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
            % (len(used), bf)
        )
        tu = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
        to_unicode = b" /ToUnicode %d 0 R" % tu
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H /DescendantFonts [%d 0 R]%s >>"
        % (cid, to_unicode)
    )
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    pages_id = len(objs) + 2 * len(pages) + 1
    kids: list[int] = []
    streams: list[int] = []
    for p in pages:
        body = p.content()
        streams.append(add(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources << /Font << /F1 %d 0 R >>"
                b" /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, PAGE_W, PAGE_H, font, image, streams[-1])
            )
        )
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    root = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    trailer = b""
    if password is not None:
        objs, trailer = _encrypt(objs, streams, password)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, trailer, xref)
    return bytes(out)


def _decode_ops(op: bytes) -> str:
    m = re.search(rb"<([0-9a-f]+)> Tj", op)
    return bytes.fromhex(m.group(1).decode()).decode("utf-16-be") if m else ""


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypt(objs: list[bytes], streams: list[int], user: bytes) -> tuple[list[bytes], bytes]:
    """Standard security handler, revision 2 (40-bit RC4), as in PDF 1.4 Algorithms 3.1-3.4."""
    file_id = bytes(range(16))
    pad = (user + _PAD)[:32]
    owner = _rc4(hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5], pad)
    perms = -44
    key = hashlib.md5(pad + owner + struct.pack("<i", perms) + file_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    out = list(objs)
    for num in streams:
        body = out[num - 1]
        _head, rest = body.split(b"stream\n", 1)
        data = rest[: -len(b"\nendstream")]
        obj_key = hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:10]
        enc = _rc4(obj_key, data)
        out[num - 1] = b"<< /Length %d >>\nstream\n" % len(enc) + enc + b"\nendstream"
    out.append(
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), u_value.hex().encode(), perms)
    )
    trailer = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(out), file_id.hex().encode(), file_id.hex().encode())
    return out, trailer


# ----------------------------------------------------------------------------------
# The synthetic report: wrapped paragraphs, a header and footer on every page, a ruled
# table with spans and a wrapped label, a table without rulings, a Kangxi radical.

LEFT, RIGHT = 72.0, 516.0  # 37 CJK characters of 12 pt per full line
PARA1 = (
    "本部门2024年度收入支出决算总计1,234.56万元，与2023年度相比增加100.00万元，增长8.82%。主要原因是"
    "人员经费增加以及信息化建设项目支出增加，同时公用经费保持基本稳定。"
)
PARA2 = "一般公共预算财政拨款支出1,200.00万元，占本年支出合计的97.20%，与上年相比减少20.00万元，下降1.64%，主要原因是压减一般性支出并严格执行预算。"
HEADER = "测试单位2024年部门决算"


def _wrap(page: PageSpec, top: float, text: str, *, indent: bool = True, step: float = 24.0) -> float:
    """Lay out a paragraph: first line indented two characters, full lines to RIGHT."""
    x = LEFT + 24 if indent else LEFT
    i = 0
    while i < len(text):
        room = int((RIGHT - x) // 12)
        n, width = 0, 0.0
        while i + n < len(text) and width + _width(text[i + n]) * 12 / 1000 <= RIGHT - x + 0.01:
            width += _width(text[i + n]) * 12 / 1000
            n += 1
        assert n > 0 and room > 0
        page.text(x, top, text[i : i + n])
        i += n
        top += step
        x = LEFT
    return top


def _synthetic_pages() -> list[PageSpec]:
    p1, p2, p3 = PageSpec(), PageSpec(), PageSpec()
    for n, p in enumerate((p1, p2, p3), 1):
        p.text(230, 30, HEADER, size=9)
        p.text(290, 800, f"- {n} -", size=9)
    p1.text(220, 90, "第一部分 部门决算情况说明", size=16)
    p1.text(96, 140, "一、收入支出决算总体情况说明")
    top = _wrap(p1, 170, PARA1)
    top = _wrap(p1, top + 10, "二、⼀般公共预算财政拨款支出情况", indent=True)
    # a paragraph that runs from the bottom of page 1 onto page 2
    cut = 35 + 37 * 2
    _wrap(p1, 700, PARA2[:cut])
    _wrap(p2, 60, PARA2[cut:], indent=False)

    # page 2: a ruled table with a row span, a column span and a wrapped label
    p2.text(250, 110, "收入支出决算总表", size=14)
    p2.text(450, 140, "单位：万元", size=10)
    xs = [72.0, 180.0, 350.0, 523.0]
    ys = [160.0, 180.0, 200.0, 220.0, 256.0, 276.0]
    p2.line(xs[0], ys[0], xs[-1], ys[0])
    p2.line(xs[1], ys[1], xs[-1], ys[1])  # under the spanning "金额"
    for y in ys[2:]:
        p2.line(xs[0], y, xs[-1], y)
    p2.line(xs[0], ys[0], xs[0], ys[-1])
    p2.line(xs[1], ys[0], xs[1], ys[-1])
    p2.line(xs[2], ys[1], xs[2], ys[-1])  # no rule inside the spanning header cell
    p2.line(xs[3], ys[0], xs[3], ys[-1])
    p2.text(110, 174, "项目", size=10)
    p2.text(250, 164, "金额", size=10)
    p2.text(240, 184, "预算数", size=10)
    p2.text(410, 184, "决算数", size=10)
    p2.text(76, 204, "一般公共服务支出", size=10)
    p2.text(300, 204, "1,234.56", size=10)
    p2.text(470, 204, "1,200.00", size=10)
    # wraps inside its cell; the wrapped part has two characters: pdfium's text page skips a
    # text object with an empty box, and one CJK character of this test font (Identity-H
    # with no font program, so no glyph boxes) has one (docs/pdf.md, Limits)
    p2.text(76, 224, "社会保障和就业", size=10)
    p2.text(76, 240, "支出", size=10)
    p2.text(320, 232, "12.50", size=10)
    p2.text(490, 232, "0", size=10)
    p2.text(76, 260, "合 计", size=10)  # letter-spaced label
    p2.text(300, 260, "1,247.06", size=10)
    p2.text(470, 260, "1,200.00", size=10)
    p2.text(LEFT + 24, 300, "注：本表金额单位为万元。")

    # page 3: a table without rulings, aligned in columns
    p3.text(LEFT, 100, "表3 “三公”经费支出决算表")
    rows = [("项目", "预算数", "决算数"), ("因公出国（境）费", "1.00", "0.50"), ("公务接待费", "2.00", "1.80")]
    rows += [("公务用车购置及运行费", "10.00", "9.75"), ("合计", "13.00", "12.05")]
    top = 130.0
    for label, a, b in rows:
        p3.text(LEFT, top, label)
        p3.text(330 - 6 * len(a), top, a)
        p3.text(460 - 6 * len(b), top, b)
        top += 20
    _wrap(p3, top + 20, "以上为“三公”经费支出决算情况。")
    return [p1, p2, p3]


@pytest.fixture(scope="session")
def synthetic_bytes() -> bytes:
    return write_pdf(_synthetic_pages())


@pytest.fixture(scope="session")
def synthetic(synthetic_bytes: bytes) -> Document:
    return read_pdf(synthetic_bytes, "synthetic.pdf", hashlib.sha256(synthetic_bytes).hexdigest())


@pytest.fixture(scope="session")
def corpus() -> dict[str, Document]:
    return {p.stem: load_document(p) for p in CORPUS_PDFS}


# ----------------------------------------------------------------------------------
# Invariants every Document from a PDF must keep


def assert_consistent(doc: Document) -> None:
    expected = split_lines(doc.text)
    assert [(ln.number, ln.start, ln.end, ln.text) for ln in doc.lines] == [
        (ln.number, ln.start, ln.end, ln.text) for ln in expected
    ]
    for ln in doc.lines:
        assert ln.text == doc.text[ln.start : ln.end]
        if ln.text:
            assert ln.page is not None
    assert doc.pages, "no pages"
    assert doc.pages[0].start == 0
    assert doc.pages[-1].end == len(doc.text)
    for a, b in zip(doc.pages, doc.pages[1:], strict=False):
        assert a.end == b.start
        assert b.number == a.number + 1
    assert "\f" not in doc.text and "\r" not in doc.text
    assert not re.search("[\u2f00-\u2fd5]", doc.text), "Kangxi radicals left unfolded"
    for offset, (page, bbox) in doc.boxes.items():
        assert doc.text[offset - 1] in "\t\n", "a box must point at the start of a cell"
        assert doc.pages[page - 1].start <= offset < doc.pages[page - 1].end
        x0, top, x1, bottom = bbox
        assert x0 < x1 and top < bottom


# ----------------------------------------------------------------------------------
# Synthetic report


def test_synthetic_invariants(synthetic: Document) -> None:
    assert_consistent(synthetic)
    assert synthetic.format == "pdf"
    assert [p.number for p in synthetic.pages] == [1, 2, 3]
    assert synthetic.problems == []


def test_headers_footers_and_page_numbers_removed(synthetic: Document) -> None:
    assert HEADER not in synthetic.text
    for n in (1, 2, 3):
        assert f"- {n} -" not in synthetic.text
    assert "第一部分 部门决算情况说明" in synthetic.text


def test_wrapped_paragraph_rejoined(synthetic: Document) -> None:
    lines = [ln.text for ln in synthetic.lines]
    assert PARA1 in lines
    assert "一、收入支出决算总体情况说明" in lines  # a heading stays its own line
    i = lines.index("一、收入支出决算总体情况说明")
    assert lines[i + 1] == "" and lines[i + 2] == PARA1  # blank line between paragraphs


def test_paragraph_continues_across_pages(synthetic: Document) -> None:
    line = next(ln for ln in synthetic.lines if ln.text.startswith("一般公共预算财政拨款支出1,200.00万元"))
    assert line.text == PARA2
    assert line.page == 1  # it stays with the page where it starts
    assert line.bbox is not None


def test_kangxi_radicals_folded(synthetic: Document) -> None:
    assert "二、一般公共预算财政拨款支出情况" in synthetic.text


def test_ruled_table_rows(synthetic: Document) -> None:
    lines = [ln.text for ln in synthetic.lines]
    assert "项目\t金额\t" in lines  # "项目" spans two rows, "金额" two columns
    assert "\t预算数\t决算数" in lines
    assert "一般公共服务支出\t1,234.56\t1,200.00" in lines
    assert "社会保障和就业支出\t12.50\t0" in lines  # wrapped label rejoined, no space
    assert "合计\t1,247.06\t1,200.00" in lines  # letter-spacing removed
    # the title and unit lines stay ordinary text above the table
    i = lines.index("项目\t金额\t")
    assert "收入支出决算总表" in lines[:i] and "单位：万元" in lines[:i]
    assert "注：本表金额单位为万元。" in lines[i:]


def test_cell_boxes_point_at_cells(synthetic: Document) -> None:
    start = synthetic.text.index("1,234.56\t")
    page, (x0, top, x1, bottom) = synthetic.boxes[start]
    assert page == 2
    assert (round(x0), round(top), round(x1), round(bottom)) == (180, 200, 350, 220)
    row = synthetic.line_at(start)
    assert row.page == 2 and row.bbox is not None
    assert round(row.bbox[0]) == 72 and round(row.bbox[2]) == 523


def test_table_without_rulings(synthetic: Document) -> None:
    lines = [ln.text for ln in synthetic.lines]
    assert "项目\t预算数\t决算数" in lines
    assert "因公出国（境）费\t1.00\t0.50" in lines
    assert "合计\t13.00\t12.05" in lines
    assert "以上为“三公”经费支出决算情况。" in lines


def test_raw_tables(synthetic: Document) -> None:
    tables = [t for t in synthetic.raw_tables if isinstance(t, PdfTable)]
    assert [(t.page, t.method, t.n_rows, t.n_cols) for t in tables] == [(2, "lines", 5, 3), (3, "text", 5, 3)]
    first = tables[0]
    assert synthetic.text[first.start : first.end].splitlines()[0] == "项目\t金额\t"


def test_max_pages(synthetic_bytes: bytes) -> None:
    doc = read_pdf(synthetic_bytes, "s.pdf", "x", max_pages=1)
    assert [p.number for p in doc.pages] == [1]
    assert "收入支出决算总表" not in doc.text
    assert any("first 1 of 3 pages" in n.message for n in doc.problems)
    assert_consistent(doc)


# ----------------------------------------------------------------------------------
# Inputs that cannot be read, or only in part


def test_encrypted_pdf_is_an_input_error() -> None:
    data = write_pdf(_synthetic_pages()[:1], password=b"secret")
    with pytest.raises(InputError, match="encrypted"):
        document_from_bytes(data, "locked.pdf")
    # the file itself is sound: pdfium opens it with the password
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(data, password="secret") as pdf:
        assert "收入" in pdf[0].get_textpage().get_text_range()


@pytest.mark.parametrize("data", [b"hello, not a pdf at all\n" * 40, b"%PDF-1.4\n" + b"\x00garbage" * 100, b"%PDF-"])
def test_not_a_pdf_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as err:
        document_from_bytes(data, "fake.pdf")
    assert "fake.pdf" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 0.999])
@pytest.mark.parametrize("name", ["js_zhengxieban_2017_budget_tables.pdf", "sh_putuo_wanli_jiedao_2024_budget.pdf"])
def test_truncated_pdf(name: str, share: float) -> None:
    full = (CORPUS / name).read_bytes()
    data = full[: int(len(full) * share)]
    try:
        doc = document_from_bytes(data, name)
    except InputError as exc:
        assert name in str(exc)
    else:  # a clean partial read
        assert_consistent(doc)


def test_page_without_text_layer_is_noted() -> None:
    pages = [*_synthetic_pages()[:1], PageSpec().draw_image()]
    doc = read_pdf(write_pdf(pages), "half_scanned.pdf", "x")
    notes = [n for n in doc.problems if n.page == 2]
    assert len(notes) == 1 and "no text layer" in notes[0].message and "OCR" in notes[0].message
    assert PARA1 in doc.text
    assert len(doc.pages) == 2
    assert_consistent(doc)


def test_scanned_pdf_is_an_input_error() -> None:
    data = write_pdf([PageSpec().draw_image(), PageSpec().draw_image()])
    with pytest.raises(InputError, match="no text layer in any page"):
        read_pdf(data, "scan.pdf", "x")


def test_cid_codes_are_reread_with_pdfium() -> None:
    page = PageSpec()
    page.text(LEFT + 24, 100, "收入预算总计9,146.79万元，增长6.69%。")
    page.text(LEFT + 24, 130, "支出预算总计9,146.79万元。")
    data = write_pdf([page], tounicode=False)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "(cid:" in pdf.pages[0].extract_text()  # the font really has no Unicode map
    doc = read_pdf(data, "cid.pdf", "x")
    assert "收入预算总计9,146.79万元，增长6.69%。" in doc.text
    assert "(cid:" not in doc.text
    assert [n.page for n in doc.problems] == [1]
    assert "pdfium" in doc.problems[0].message
    assert_consistent(doc)


# ----------------------------------------------------------------------------------
# The real corpus


@pytest.mark.parametrize("name", [p.stem for p in CORPUS_PDFS])
def test_corpus_invariants(corpus: dict[str, Document], name: str) -> None:
    doc = corpus[name]
    assert_consistent(doc)
    assert doc.problems == []
    assert doc.kind == ("final_account" if "final" in name else "budget")
    # bare page numbers are gone
    assert not [ln.text for ln in doc.lines if re.fullmatch(r"[-—\s]*\d{1,3}[-—\s]*", ln.text)]


EXPECTED_ROWS = {
    "js_gaoyuan_2017_budget": [
        "2040501\t行政运行\t11,786.92",
        "2210201\t住房公积金\t1,029.15",  # the first row of a page, open at the top
        "当年收入小计\t28,849.38\t当年支出小计\t\t\t28,849.38",
    ],
    "js_jianchayuan_2018_budget": ["30217\t公务接待费\t36.50", "合计\t\t21,940.96"],
    "js_rendachangweiban_2017_budget": ["2010101\t行政运行\t4,545.94", "30231\t公务用车运行维护费\t183.60"],
    "js_zhengxieban_2017_budget_tables": ["30217\t公务接待费\t16.00", "收入合计\t9,146.79\t支出合计\t\t\t9,146.79"],
    "sh_putuo_caizhengju_2024_final": [
        "201\t06\t01\t行政运行\t1,511.90\t1,511.89\t\t\t\t\t0.01",
        "人员经费合计\t\t\t2,152.26\t公用经费合计\t\t\t184.65",
    ],
    "sh_putuo_wanli_jiedao_2024_budget": [
        "合计\t156,211,123\t99,706,020\t56,505,103",
        "302\t17\t公务接待费\t13,500\t0\t13,500",
    ],
}

EXPECTED_SENTENCES = {
    "js_gaoyuan_2017_budget": "江苏省高级人民法院2017年度收入、支出预算总计28849.38万元，与上年相比收、支预算总计各增加1808.29万元，增长6.69%。",
    "js_jianchayuan_2018_budget": "3.住房保障支出 3,660.38万元，主要用于在职人员住房公积金及在职、离退休人员政策性住房补贴支出。",
    "js_rendachangweiban_2017_budget": "1.一般公共服务支出10528.33万元，主要用于在职人员工资福利支出，保障机关正常运转的商品和服务支出，单位完成日常和特定工作任务的发展项目支出。与上年相比减少17.89万元，减少0.17%。",
    "js_zhengxieban_2017_budget_narr": "单位预留机动经费106.84万元，占1.17%。",
    # numbers set in a Latin font sit lower than the CJK text: they stay in their line
    "sh_putuo_caizhengju_2024_final": "一般公共预算财政拨款基本支出2336.91万元。其中：人员经费2152.26万元，主要包括：",
    "sh_putuo_wanli_jiedao_2024_budget": "2024年“三公”经费预算数为47.91万元，比2023年预算增加25万元。其中：",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ROWS))
def test_corpus_table_rows(corpus: dict[str, Document], name: str) -> None:
    lines = {ln.text for ln in corpus[name].lines}
    for row in EXPECTED_ROWS[name]:
        assert row in lines


@pytest.mark.parametrize("name", sorted(EXPECTED_SENTENCES))
def test_corpus_sentences_on_one_line(corpus: dict[str, Document], name: str) -> None:
    sentence = EXPECTED_SENTENCES[name]
    assert any(sentence in ln.text for ln in corpus[name].lines)


def test_corpus_paragraph_across_pages(corpus: dict[str, Document]) -> None:
    doc = corpus["js_jianchayuan_2018_budget"]
    line = next(ln for ln in doc.lines if "与上年相比增加 1,341.22万元" in ln.text)
    assert line.text.endswith("主要原因一是员额检察官工资改革增加了计算基数，二是2017年7月调整了住房补贴比例。")


def test_corpus_table_counts(corpus: dict[str, Document]) -> None:
    counts = {name: len(doc.raw_tables) for name, doc in corpus.items()}
    assert counts["js_zhengxieban_2017_budget_narr"] == 0
    assert counts["js_zhengxieban_2017_budget_tables"] == 13
    assert all(n >= 13 for name, n in counts.items() if name != "js_zhengxieban_2017_budget_narr")


def test_corpus_boxes_hold_the_cell_text(corpus: dict[str, Document]) -> None:
    """Crop the page to a cell's box: pdfplumber finds the same characters there."""
    doc = corpus["sh_putuo_caizhengju_2024_final"]
    path = CORPUS / "sh_putuo_caizhengju_2024_final.pdf"
    checked = 0
    with pdfplumber.open(path) as pdf:
        for offset, (page, bbox) in sorted(doc.boxes.items())[::7]:
            cell = re.match(r"[^\t\n]*", doc.text[offset:])
            assert cell is not None
            if not cell.group():
                continue
            x0, top, x1, bottom = bbox
            inside = [
                c["text"]
                for c in pdf.pages[page - 1].chars
                if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
            ]
            assert re.sub(r"\s", "", "".join(inside)) == re.sub(r"\s", "", cell.group())
            checked += 1
    assert checked >= 30


def test_max_pages_on_corpus() -> None:
    doc = load_document(CORPUS / "js_gaoyuan_2017_budget.pdf", max_pages=3)
    assert len(doc.pages) == 3
    assert any("first 3 of 27 pages" in n.message for n in doc.problems)
    assert_consistent(doc)


# ----------------------------------------------------------------------------------
# A report published as two files


def test_two_files_make_one_document() -> None:
    narr = CORPUS / "js_zhengxieban_2017_budget_narr.pdf"
    tables = CORPUS / "js_zhengxieban_2017_budget_tables.pdf"
    doc = load_documents([narr, tables])
    assert_consistent(doc)
    assert doc.path == f"{narr}+{tables}"
    assert doc.sha256 == hashlib.sha256(narr.read_bytes() + tables.read_bytes()).hexdigest()
    assert [p.number for p in doc.pages] == list(range(1, 34))
    assert doc.kind == "budget" and doc.year == 2017
    # narrative first, then the tables, with pages numbered on
    row = next(ln for ln in doc.lines if ln.text == "30217\t公务接待费\t16.00")
    sentence = next(ln for ln in doc.lines if "单位预留机动经费106.84万元，占1.17%。" in ln.text)
    assert sentence.page is not None and sentence.page <= 20 < (row.page or 0)
    assert all(page > 20 for page, _bbox in doc.boxes.values())


def test_read_pdfs_bounds_the_total_pages() -> None:
    narr = CORPUS / "js_zhengxieban_2017_budget_narr.pdf"
    tables = CORPUS / "js_zhengxieban_2017_budget_tables.pdf"
    doc = read_pdfs([(narr.read_bytes(), "narr.pdf"), (tables.read_bytes(), "tables.pdf")], max_pages=2)
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.path == "narr.pdf+tables.pdf"
    messages = [n.message for n in doc.problems]
    assert messages == [
        "narr.pdf: only the first 2 of 20 pages were read (max_pages); the rest were skipped",
        "tables.pdf: not read (max_pages=2 reached)",
    ]


def test_load_documents_single_path_is_load_document(corpus: dict[str, Document]) -> None:
    path = CORPUS / "js_zhengxieban_2017_budget_tables.pdf"
    assert load_documents([path]).text == corpus[path.stem].text


def test_load_documents_rejects_mixed_inputs(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("收入", encoding="utf-8")
    with pytest.raises(InputError, match="only PDF files"):
        load_documents([CORPUS / "js_zhengxieban_2017_budget_tables.pdf", txt])
    with pytest.raises(InputError, match="no such file"):
        load_documents([CORPUS / "js_zhengxieban_2017_budget_tables.pdf", tmp_path / "missing.pdf"])


def test_a_failing_page_is_skipped_with_a_note(synthetic_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import reconcile.pdf.pages as pdfmod

    real = pdfmod._read_page

    def flaky(objs: object, width: float, height: float, number: int) -> object:
        if number == 2:
            raise ValueError("broken content stream")
        return real(objs, width, height, number)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfmod, "_read_page", flaky)
    doc = read_pdf(synthetic_bytes, "s.pdf", "x")
    assert [n.page for n in doc.problems] == [2]
    assert "page 2 could not be read (ValueError)" in doc.problems[0].message
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert PARA1 in doc.text and "因公出国（境）费\t1.00\t0.50" in doc.text
    assert_consistent(doc)


def test_two_workers_give_the_same_document(corpus: dict[str, Document]) -> None:
    path = CORPUS / "js_zhengxieban_2017_budget_narr.pdf"  # 20 pages: long enough for the pool
    one = corpus[path.stem]
    two = load_documents([path], workers=2)
    assert two.text == one.text
    assert two.pages == one.pages and two.lines == one.lines


def test_settings_resolve_applies_overrides_to_the_defaults() -> None:
    assert PdfSettings.resolve() == SETTINGS == PdfSettings()
    s = PdfSettings.resolve(line_tolerance=0.5, pool_min_pages=32)
    assert (s.line_tolerance, s.pool_min_pages, s.segment_gap) == (0.5, 32, SETTINGS.segment_gap)
    assert PdfSettings.resolve(s) is s
    assert PdfSettings.resolve(s, thin=3).thin == 3.0 and PdfSettings.resolve(s, thin=3).line_tolerance == 0.5
    assert PdfSettings.resolve({"indent": 1}, centred=3.0) == PdfSettings(indent=1.0, centred=3.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.thin = 1.0  # type: ignore[misc]


def test_settings_resolve_rejects_unknown_names_and_wrong_types() -> None:
    with pytest.raises(ValueError, match=r"unknown PDF setting 'line_tolerence'.*line_tolerance"):
        PdfSettings.resolve(line_tolerence=0.5)
    with pytest.raises(ValueError, match="unknown PDF setting 'nope'"):
        PdfSettings.resolve({"nope": 1.0})
    with pytest.raises(ValueError, match="'pool_min_pages' is a count"):
        PdfSettings.resolve(pool_min_pages=16.0)
    with pytest.raises(ValueError, match="'thin' is a number"):
        PdfSettings.resolve(thin="2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot resolve PDF settings"):
        PdfSettings.resolve(0.5)  # type: ignore[arg-type]
