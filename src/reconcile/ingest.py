"""Reading an input file into a :class:`~reconcile.document.Document`.

Text files are decoded (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GB18030) and kept
exactly as decoded, so that spans index the file itself. PDFs go through
:mod:`reconcile.pdf`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from .document import Document, InputError, ProblemNote

__all__ = ["decode_text", "load_document", "sniff_format"]


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
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
                notes.append(ProblemNote("ingest", "decoded as GB18030 (not UTF-8)"))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: not a text file in UTF-8 or GB18030 (undecodable byte at offset {exc.start})"
                ) from exc
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f\v") or ch == "\ufffd")
    if "\x00" in text or bad > max(8, len(text) // 100):
        raise InputError(f"{path}: looks like binary data, not a text report")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text[:200_000]):
        notes.append(ProblemNote("ingest", "no Chinese text found: this does not look like a budget report"))
    return text, notes


def load_document(
    path: str | Path, *, max_pages: int | None = None, progress: Callable[[int, int | None], None] | None = None
) -> Document:
    """Read a text or PDF report into a Document. Raises InputError when unreadable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{p}: is a directory, not a report file") from exc
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from exc
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
