"""Reading an input file into a :class:`~reconcile.document.Document`.

Text files are decoded (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GB18030) and kept
as decoded, so that spans index the file itself; only a lone carriage return (old Mac
line ends) becomes a line feed, which keeps every offset. PDFs go through
:mod:`reconcile.pdf`. Only regular files are read: a named pipe, a device or a
directory is refused before anything is read from it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from .document import Document, InputError, ProblemNote

__all__ = ["decode_text", "file_kind", "load_document", "read_regular_file", "sniff_format"]

_LONE_CR = re.compile(r"\r(?!\n)")


def sniff_format(data: bytes, path: str = "") -> str:
    if data[:5] == b"%PDF-" or (b"%PDF-" in data[:1024] and not path.endswith(".txt")):
        return "pdf"
    if path.lower().endswith(".pdf"):
        return "pdf"
    return "text"


def decode_text(data: bytes, path: str = "<bytes>") -> tuple[str, list[ProblemNote]]:
    """Decode bytes as UTF-8 or GB18030 (auto-detected); reject binary data."""
    notes: list[ProblemNote] = []
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: starts with a UTF-8 byte order mark but is not UTF-8 (invalid byte at offset {exc.start + 3})"
            ) from exc
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, path, notes)
    else:
        text = _decode_plain(data, path, notes)
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f\v") or ch == "\ufffd")
    if "\x00" in text or bad > max(8, len(text) // 100):
        raise InputError(f"{path}: looks like binary data, not a text report")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text[:200_000]):
        notes.append(ProblemNote("ingest", "no Chinese text found: this does not look like a budget report"))
    return _LONE_CR.sub("\n", text), notes


def _decode_plain(data: bytes, path: str, notes: list[ProblemNote]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not a text file in UTF-8 or GB18030 (undecodable byte at offset {exc.start})"
        ) from exc
    notes.append(ProblemNote("ingest", "decoded as GB18030 (not UTF-8)"))
    return text


def _decode_utf16(data: bytes, path: str, notes: list[ProblemNote]) -> str:
    """UTF-16 with a byte order mark; a last odd byte (a truncated file) is dropped with a note."""
    if len(data) % 2:
        data = data[:-1]
        notes.append(ProblemNote("ingest", "UTF-16 file of an odd length: its last byte was dropped"))
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: starts with a UTF-16 byte order mark but is not UTF-16 ({exc.reason})") from exc


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def file_kind(mode: int) -> str:
    """What a file of ``mode`` is, for a message (“a named pipe (FIFO)” …)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = file_kind(mode)
        raise InputError(f"{path}: {kind}, not a report file; only regular files are read")


def read_regular_file(path: str | Path) -> bytes:
    """The bytes of a regular file. Anything else (a FIFO, /dev/zero, a directory, a socket)
    raises InputError before a byte is read: the file is opened non-blocking and checked
    with ``fstat``, so a named pipe never blocks and a device is never read without end."""
    p = Path(path)
    try:
        _refuse_unless_regular(p, os.stat(p).st_mode)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as fh:
        _refuse_unless_regular(p, os.fstat(fd).st_mode)
        try:
            return fh.read()
        except OSError as exc:
            raise InputError(f"{p}: cannot read ({exc.strerror})") from exc


def load_document(
    path: str | Path, *, max_pages: int | None = None, progress: Callable[[int, int | None], None] | None = None
) -> Document:
    """Read a text or PDF report into a Document. Raises InputError when unreadable."""
    p = Path(path)
    if max_pages is not None and max_pages < 1:
        raise InputError(f"max_pages must be at least 1 (got {max_pages})")
    data = read_regular_file(p)
    return document_from_bytes(data, str(p), max_pages=max_pages, progress=progress)


def document_from_bytes(
    data: bytes,
    path: str,
    *,
    max_pages: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Document:
    """Read bytes (text or PDF) into a Document; ``progress(pages_done, pages_total)`` for PDFs."""
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        raise InputError(f"{path}: the file is empty")
    if sniff_format(data, path) == "pdf":
        try:
            from . import pdf  # imported lazily: pdfplumber is heavy
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise InputError(f"{path}: PDF input is not available in this installation ({exc})") from exc
        return pdf.read_pdf(data, path, sha, max_pages=max_pages, progress=progress)
    text, notes = decode_text(data, path)
    doc = Document(text=text, path=path, sha256=sha, format="text")
    doc.problems.extend(notes)
    return doc
