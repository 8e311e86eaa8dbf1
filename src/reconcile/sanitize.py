"""Safe text for the places a report's words end up: spreadsheet cells and terminals.

A report's text comes from the document, which may be hostile:

* :func:`csv_cell` neutralises a CSV cell per OWASP (“CSV injection”): a text cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
  so that no spreadsheet runs it as a formula; a plain number (``-12.50``) is data and
  stays as it is. :func:`csv_text` writes rows so, after a UTF-8 byte order mark.
* :func:`terminal_safe` strips ANSI escape sequences and control characters (except
  line feeds and tabs) from text printed for a reader.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

__all__ = ["BOM", "csv_cell", "csv_text", "terminal_safe"]

BOM = "\ufeff"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

# CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and any other two-byte escape
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def csv_cell(value: object) -> object:
    """``value`` safe for a CSV cell: numbers unchanged, text that a spreadsheet would run prefixed with ``'``."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV (one line per row, ``\\n`` ends) of neutralised cells, after a UTF-8 byte order mark (for Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(h) for h in header])
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return BOM + buf.getvalue()


def terminal_safe(text: str) -> str:
    """``text`` without escape sequences or control characters (line feeds and tabs are kept)."""
    return _CONTROL.sub("", _ANSI.sub("", text))
