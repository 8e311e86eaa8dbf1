"""Resource guards: a page too costly to interpret is skipped before pdfminer reads it.

A few kilobytes of compressed content stream can inflate to hundreds of megabytes of
path operators (``0 0 1 1 re`` a million times), which pdfminer would interpret for
minutes and gigabytes. Before a page is interpreted, :func:`page_cost_problem` inflates
its content streams and the form XObjects of its resources, stopping at
:attr:`PdfSettings.max_content_bytes`, and counts their drawing and text-showing
operators against :attr:`PdfSettings.max_page_objects`. Past either guard the page is
skipped with a page note; the rest of the document is read.

Flate-compressed and uncompressed streams (what content streams use) are inflated
incrementally, so the guard itself never holds more than the limit. A stream with other
filters is decoded by pdfminer as it would be anyway.

:func:`file_within_guards` screens a whole file without parsing it: every stream of a PDF is
an indirect object at the top level of the file (never inside an object stream), so its
dictionary and data can be found in the raw bytes. When every stream that could be page
content (all but images, fonts, cross-reference and object streams, metadata), taken
together, stays within both guards, no page can pass them, and the file is read without the
per-page guard (so without pdfminer). Anything the screen cannot account for (encryption, a
filter other than Flate, a dictionary it cannot find, a stream that does not inflate to its
end, a ``stream`` keyword without its ``endstream``) sends the file to the per-page guard.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any

from .settings import SETTINGS, PdfSettings

__all__ = ["file_within_guards", "page_cost_problem"]

# path construction, text showing and XObject painting operators, as whole tokens
_OPERATORS = re.compile(rb"(?<![^\s)\]>])(?:re|[lmcvy]|T[jJ]|'|\"|Do)(?![^\s(\[<])")
_CHUNK = 1 << 16


def page_cost_problem(page_obj: Any, settings: PdfSettings = SETTINGS) -> str | None:
    """Why interpreting this pdfminer page would cost too much, or None when it is within the guards."""
    limit = settings.max_content_bytes
    total = objects = 0
    for stream in _streams(page_obj):
        data = _inflated(stream, limit - total + 1)
        total += len(data)
        if total > limit:
            return f"its content streams inflate to more than {_mb(limit)}"
        objects += len(_OPERATORS.findall(data))
        if objects > settings.max_page_objects:
            return f"it draws more than {settings.max_page_objects:,} objects"
    return None


def file_within_guards(data: bytes, settings: PdfSettings = SETTINGS) -> bool:
    """True when the streams of the file that could be page content, all together, stay within
    both guards (so that every page does); False when the file needs the per-page guard."""
    streams = _top_level_streams(data)
    if streams is None or _ENCRYPT.search(data):
        return False
    contents = _content_refs(data, streams, settings.max_content_bytes)
    if contents is None:
        return False
    budget = settings.max_content_bytes
    total = objects = 0
    for number, head, raw in streams:
        if _NOT_CONTENT.search(head) and not _FORM.search(head) and number not in contents:
            continue
        content = _content(head, raw, budget - total + 1)
        if content is None:
            return False
        total += len(content)
        objects += len(_OPERATORS.findall(content))
        if total > budget or objects > settings.max_page_objects:
            return False
    return True


# a stream keyword ending its line (endstream is told apart by the letter before it: a
# look-behind here would cost the search its fast scan for the literal); the dictionary
# before it, after ``N G obj``
_STREAM = re.compile(rb"stream(?=[\r\n])")
_OBJ = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_ENCRYPT = re.compile(rb"/Encrypt\b")
_NOT_CONTENT = re.compile(
    rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)\b|/Length[123]\b"
    rb"|/Type\s*/(?:XRef|ObjStm|Metadata|EmbeddedFile)\b"
)
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")  # pdfium reads a form as content whatever else its dictionary says
# a page's /Contents: a reference or an array of them (an annotation's /Contents is a string)
_CONTENTS = re.compile(rb"/Contents\s*(\d+\s+\d+\s+R|\[[\d\sR]*\])")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_FLATE = (b"/FlateDecode", b"/Fl")
_HEAD_MAX = 8192

Stream = tuple[int, bytes, bytes]  # object number, dictionary, raw data


def _top_level_streams(data: bytes) -> list[Stream] | None:
    """Every stream object of the file (streams are never inside object streams), or None when
    a ``stream`` keyword has no ``endstream`` or no ``N G obj`` within 8 KB before it."""
    keywords = [m for m in _STREAM.finditer(data) if not data[m.start() - 1 : m.start()].isalpha()]
    if len(keywords) != data.count(b"endstream"):
        return None
    streams = []
    for m in keywords:
        window = data[max(0, m.start() - _HEAD_MAX) : m.start()]
        opened = list(_OBJ.finditer(window))
        if not opened:
            return None
        start = m.end() + (2 if data[m.end() : m.end() + 2] == b"\r\n" else 1)
        end = data.find(b"endstream", start)
        streams.append((int(opened[-1].group(1)), window[opened[-1].end() :], data[start:end]))
    return streams


def _content_refs(data: bytes, streams: list[Stream], limit: int) -> set[int] | None:
    """The objects pages name as their /Contents, in the file and in its object streams: a page
    reads them as content whatever their dictionary says. None when an object stream cannot
    be read, or a /Contents names an object that is no stream (an indirect array)."""
    found = [m.group(1) for m in _CONTENTS.finditer(data)]
    for _number, head, raw in streams:
        if _OBJECT_STREAM.search(head):
            body = _content(head, raw, limit + 1)
            if body is None or len(body) > limit:
                return None
            found.extend(m.group(1) for m in _CONTENTS.finditer(body))
    refs = {int(r) for value in found for r in _REF.findall(value)}
    return refs if refs <= {number for number, _h, _r in streams} else None


def _content(head: bytes, raw: bytes, limit: int) -> bytes | None:
    """The stream's bytes (up to ``limit``) when uncompressed or Flate-compressed and whole;
    None for other filters and for data that does not inflate to its end."""
    m = _FILTER.search(head)
    filters = re.findall(rb"/[A-Za-z0-9]+", m.group(1)) if m else []
    if not filters:
        return raw[:limit]
    if len(filters) != 1 or filters[0] not in _FLATE:
        return None
    d = zlib.decompressobj()
    try:
        out = d.decompress(raw, limit)
    except zlib.error:
        return None
    return out if len(out) >= limit or d.eof else None


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def _streams(page_obj: Any) -> Iterator[Any]:
    """The page's content streams, then every form XObject reachable from its resources (each once)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    yield from (s for s in (resolve1(c) for c in (page_obj.contents or [])) if isinstance(s, PDFStream))
    seen: set[int] = set()
    todo = [page_obj.resources]
    while todo:
        resources = resolve1(todo.pop())
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            continue
        for ref in xobjects.values():
            stream = resolve1(ref)
            if not isinstance(stream, PDFStream) or id(stream) in seen:
                continue
            seen.add(id(stream))
            if _name(stream.get("Subtype")) == "Form":
                yield stream
                todo.append(stream.get("Resources"))


def _name(v: Any) -> str:
    from pdfminer.pdftypes import resolve1

    v = resolve1(v)
    return str(getattr(v, "name", v))


def _inflated(stream: Any, limit: int) -> bytes:
    """The stream's decoded bytes, at most ``limit`` of them (more are never produced for Flate)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if getattr(stream, "data", None) is not None:  # decoded already
        return bytes(stream.data[:limit])
    raw = stream.rawdata
    filters = [f for f, _ in stream.get_filters()]
    if not filters:
        return bytes(raw[:limit])
    if len(filters) == 1 and filters[0] in LITERALS_FLATE_DECODE:
        return _inflate(raw, limit)
    return bytes(stream.get_data()[:limit])


def _inflate(raw: bytes, limit: int) -> bytes:
    """Inflate ``raw`` up to ``limit`` bytes; a damaged stream gives what inflates before the damage."""
    d = zlib.decompressobj()
    out = bytearray()
    try:
        for pos in range(0, len(raw), _CHUNK):
            out += d.decompress(raw[pos : pos + _CHUNK], limit - len(out))
            if d.unconsumed_tail or len(out) >= limit:
                break
    except zlib.error:
        pass
    return bytes(out)
