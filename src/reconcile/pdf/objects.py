"""What a page is made of: its characters, visible rulings and images.

Two readers give the same :class:`PageObjects`, in top-down page coordinates (points,
``x`` as in PDF user space, ``top = page height - y``):

* :func:`pdfium_objects` reads them through pypdfium2's raw API (pdfium, in C): the text
  page's characters with their loose boxes, glyph origins and font sizes, and the page's
  path and image objects (form XObjects walked, their matrices composed). This is the
  reader of every page.
* :func:`pdfminer_objects` reads them from pdfminer's layout objects (pdfplumber's page),
  for the pages pdfium cannot read (a page it cannot load, a rotated page) and for the
  parity script that compares the two (``scripts/pdf_parity.py``).

The characters of both readers have pdfminer's geometry: the box spans the advance
width, from the baseline's descent up one font size; a character's font size is its
text-space size times the vertical scale of its matrix.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from typing import Any

from ..numbers import fold_text
from .chars import Char
from .rulings import Edge, add_edges, add_path_edges

__all__ = ["PageObjects", "pdfium_objects", "pdfminer_objects"]

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class PageObjects:
    """The characters, visible rulings and image area of one page."""

    chars: list[Char] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    image_area: float = 0.0
    n_unmapped: int = 0  # characters whose font has no Unicode map for them


# ----------------------------------------------------------------------------------
# pdfminer (through pdfplumber's page)


def pdfminer_objects(page: Any) -> PageObjects:
    """Characters, visible rulings and image area of a pdfplumber page, from pdfminer's layout.

    pdfplumber's ``page.chars``/``page.rects`` would build a dict with every attribute
    for every object; reading the layout objects directly is markedly cheaper.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    out = PageObjects()
    stack: list[Any] = list(reversed(page.layout._objs))
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if not text:
                continue
            if text.startswith("(cid:"):
                out.n_unmapped += 1
            text = fold_text(text)
            top = height - obj.y1 + mb_top
            bottom = height - obj.y0 + mb_top
            m = obj.matrix
            base = bottom
            if m[0] > 0 and m[3] > 0 and abs(m[1]) < 1e-6:
                base = height - m[5] + mb_top
            size = float(obj.size) or (bottom - top) or 1.0
            out.chars.append(Char(text, obj.x0 + mb_x0, obj.x1 + mb_x0, top, bottom, size, base))
        elif isinstance(obj, LTCurve):
            add_edges(obj, out.edges, height, mb_x0, mb_top)
        elif isinstance(obj, LTImage):
            out.image_area += max(0.0, obj.width) * max(0.0, obj.height)
        elif isinstance(obj, LTContainer):
            stack.extend(reversed(obj._objs))
    return out


# ----------------------------------------------------------------------------------
# pdfium


def pdfium_objects(page: Any, height: float) -> PageObjects:
    """Characters, visible rulings and image area of a pypdfium2 page (``PdfPage``)."""
    import pypdfium2.raw as pdfium_c

    out = PageObjects()
    tp = pdfium_c.FPDFText_LoadPage(page.raw)
    if not tp:
        raise RuntimeError("pdfium could not load the page's text")
    try:
        out.n_unmapped = _chars(tp, height, out.chars)
    finally:
        pdfium_c.FPDFText_ClosePage(tp)
    raw = page.raw
    _walk(
        pdfium_c.FPDFPage_CountObjects(raw),
        lambda i: pdfium_c.FPDFPage_GetObject(raw, i),
        _IDENTITY,
        height,
        out,
    )
    return out


def _chars(tp: Any, height: float, out: list[Char]) -> int:
    """Append the text page's characters to ``out``; return how many have no Unicode map."""
    import pypdfium2.raw as R

    rect = R.FS_RECTF()
    matrix = R.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    p_rect, p_matrix, p_ox, p_oy = ctypes.byref(rect), ctypes.byref(matrix), ctypes.byref(ox), ctypes.byref(oy)
    unicode, box, origin, font_size, char_matrix = (
        R.FPDFText_GetUnicode,
        R.FPDFText_GetLooseCharBox,
        R.FPDFText_GetCharOrigin,
        R.FPDFText_GetFontSize,
        R.FPDFText_GetMatrix,
    )
    folded: dict[int, str] = {}
    unmapped = 0
    for i in range(R.FPDFText_CountChars(tp)):
        code = unicode(tp, i)
        if code in _SKIPPED:
            continue
        if code < 32:  # pdfium's mark for a hyphen that ends a line; other controls are no text
            if R.FPDFText_IsHyphen(tp, i) != 1:
                continue
            code = 45
        elif code == 32 and R.FPDFText_IsGenerated(tp, i) == 1:
            # a space pdfium puts at a gap: the line code finds gaps itself (docs/pdf.md)
            continue
        text = folded.get(code)
        if text is None:
            text = folded[code] = fold_text(chr(code))
        if R.FPDFText_HasUnicodeMapError(tp, i) == 1:
            unmapped += 1
        box(tp, i, p_rect)
        origin(tp, i, p_ox, p_oy)
        size = font_size(tp, i)
        if char_matrix(tp, i, p_matrix):
            size *= math.hypot(matrix.c, matrix.d)
        bottom = height - rect.bottom
        if size <= 0:
            size = (rect.top - rect.bottom) or 1.0
        out.append(Char(text, rect.left, rect.right, bottom - size, bottom, size, height - oy.value))
    return unmapped


# no character: none, line breaks pdfium adds, non-characters
_SKIPPED = frozenset((0, 0xFFFE, 0xFFFF))


def _walk(count: int, get: Any, parent: Matrix, height: float, out: PageObjects) -> None:
    """Add the visible rulings and image areas of ``count`` page objects (forms walked)."""
    import pypdfium2.raw as R

    m = R.FS_MATRIX()
    for i in range(count):
        obj = get(i)
        kind = R.FPDFPageObj_GetType(obj)
        if kind == R.FPDF_PAGEOBJ_PATH:
            _path(obj, parent, height, out.edges)
        elif kind == R.FPDF_PAGEOBJ_IMAGE:
            out.image_area += _image_area(obj, parent)
        elif kind == R.FPDF_PAGEOBJ_FORM and R.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
            form = _compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
            _walk(
                R.FPDFFormObj_CountObjects(obj),
                lambda j, o=obj: R.FPDFFormObj_GetObject(o, j),
                form,
                height,
                out,
            )


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies ``inner`` and then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _visible(obj: Any, getter: Any) -> bool:
    """False when the colour ``getter`` reads is (nearly) white: Word's padding boxes."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True
    return min(r.value, g.value, b.value) < 0.95 * 255


def _path(obj: Any, parent: Matrix, height: float, edges: list[Edge]) -> None:
    """Add the ruling segments a path object shows, one subpath at a time (as pdfminer paints)."""
    import pypdfium2.raw as R

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not R.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return
    filled = fill_mode.value != 0 and _visible(obj, R.FPDFPageObj_GetFillColor)
    stroked = bool(stroke.value) and _visible(obj, R.FPDFPageObj_GetStrokeColor)
    if not (filled or stroked):
        return
    m = R.FS_MATRIX()
    mm = _IDENTITY
    if R.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        mm = _compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
    a, b, c, d, e, f = mm
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    sub: list[tuple[float, float]] = []
    bezier = 0
    for k in range(R.FPDFPath_CountSegments(obj)):
        seg = R.FPDFPath_GetPathSegment(obj, k)
        R.FPDFPathSegment_GetPoint(seg, px, py)
        kind = R.FPDFPathSegment_GetType(seg)
        pt = (x.value * a + y.value * c + e, height - (x.value * b + y.value * d + f))
        if kind == R.FPDF_SEGMENT_MOVETO:
            add_path_edges(sub, filled, edges)
            sub, bezier = [pt], 0
        elif kind == R.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # a curve's two control points are not on the path
                sub.append(pt)
        else:
            sub.append(pt)
        if R.FPDFPathSegment_GetClose(seg) and sub:
            sub.append(sub[0])
    add_path_edges(sub, filled, edges)


def _image_area(obj: Any, parent: Matrix) -> float:
    import pypdfium2.raw as R

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not R.FPDFPageObj_GetBounds(
        obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    ):
        return 0.0
    scale = math.sqrt(abs(parent[0] * parent[3] - parent[1] * parent[2]))
    return max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value) * scale * scale
