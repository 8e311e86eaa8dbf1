"""A disk cache for what is costly to build and the same on every run (issue 16: the cold start).

The validated rules, the jieba dictionary and the compiled span patterns of the claim pipeline
are built once and kept as pickles in the cache directory: ``$RECONCILE_CACHE_DIR``, else
``$XDG_CACHE_HOME/reconcile``, else ``~/.cache/reconcile``. ``RECONCILE_CACHE_DIR=off`` turns
the cache off.

Each entry is named by its kind and a key that hashes everything it was built from (the rule
files' contents, the source of the code that builds it, the versions of the package, of Python
and of the libraries involved), so a changed rule file or a new version is a new entry and
never reads an old one. The cache never changes a result and never fails a run: an entry is
written to a temporary file and renamed into place, and an entry that cannot be read (missing,
corrupt, written by another version, an unreadable or unwritable directory) is built again.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

__all__ = ["cache_dir", "cache_key", "library_stamp", "load", "load_blob", "source_digest", "store", "store_blob"]

_FORMAT = "reconcile-cache-1"
T = TypeVar("T")

_BLOB_MAGIC = b"RCB1"  # an entry with a blob: magic, header length, header pickle, blob
_KEEP = 4  # entries kept per kind (older ones are removed when a new one is written)


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is off."""
    configured = os.environ.get("RECONCILE_CACHE_DIR", "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "reconcile"


def cache_key(*parts: str | bytes) -> str:
    """A key for an entry: a hash of ``parts`` and of the package and Python versions."""
    from . import __version__

    h = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, sys.implementation.cache_tag or "", *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def source_digest(paths: Iterable[Path]) -> bytes:
    """A digest of source files (the code that builds an entry); a missing file counts as empty."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"\0missing")
    return h.digest()


def library_stamp(name: str) -> str:
    """Which installation of the library ``name`` is found (its file, size and time), without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        if not origin:
            return f"{name}: not found"
        st = os.stat(origin)
    except (ImportError, ValueError, OSError):
        return f"{name}: not found"
    return f"{name}: {origin} {st.st_size} {st.st_mtime_ns}"


def _path(kind: str, key: str) -> Path | None:
    d = cache_dir()
    return None if d is None else d / f"{kind}-{key}.pickle"


def load(kind: str, key: str) -> Any | None:
    """The value stored under ``kind`` and ``key``, or None when there is none that can be read."""

    def read(fh: BinaryIO) -> Any | None:
        fmt, stored_kind, stored_key, value = pickle.loads(fh.read())
        return value if (fmt, stored_kind, stored_key) == (_FORMAT, kind, key) else None

    return _read(kind, key, read)


def _read(kind: str, key: str, read: Callable[[BinaryIO], T]) -> T | None:
    """``read`` of the open entry of ``kind`` and ``key``; None when there is none, when another
    user owns it (a pickle someone else wrote is never loaded) or when it cannot be read."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None
            return read(fh)
    except Exception:  # missing, empty, unreadable, truncated, corrupt or foreign: build it again
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` under ``kind`` and ``key`` (atomically; silently nothing when it cannot be written)."""
    _write(kind, key, lambda: [pickle.dumps((_FORMAT, kind, key, value), protocol=pickle.HIGHEST_PROTOCOL)])


def store_blob(kind: str, key: str, value: Any, blob: bytes) -> None:
    """Keep ``value`` and a large ``blob`` after it, which :func:`load_blob` maps instead of reading."""

    def parts() -> list[bytes]:
        header = pickle.dumps((_FORMAT, kind, key, value, len(blob)), protocol=pickle.HIGHEST_PROTOCOL)
        return [_BLOB_MAGIC, len(header).to_bytes(8, "little"), header, blob]

    _write(kind, key, parts)


def load_blob(kind: str, key: str) -> tuple[Any, memoryview] | None:
    """The value and the mapped blob stored by :func:`store_blob`, or None (as :func:`load`).
    Only the pages of the blob that are read are read from disk."""

    def read(fh: BinaryIO) -> tuple[Any, memoryview] | None:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if mapped[:4] != _BLOB_MAGIC:
            return None
        end = 12 + int.from_bytes(mapped[4:12], "little")
        fmt, stored_kind, stored_key, value, size = pickle.loads(mapped[12:end])
        if (fmt, stored_kind, stored_key) != (_FORMAT, kind, key) or len(mapped) != end + size:
            return None
        return value, memoryview(mapped)[end:]

    return _read(kind, key, read)


def _write(kind: str, key: str, parts: Callable[[], list[bytes]]) -> None:
    """Write the bytes ``parts()`` gives as the entry of ``kind`` and ``key``, atomically."""
    path = _path(kind, key)
    if path is None:
        return
    tmp: str | None = None
    try:
        data = parts()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(data)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent, kind, keep=path)
    except Exception:  # an unwritable or full disk, an unpicklable value: the run goes on uncached
        return
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path, kind: str, keep: Path) -> None:
    """Remove all but the newest entries of ``kind``."""
    entries = []
    for p in directory.glob(f"{kind}-*.pickle"):
        with contextlib.suppress(OSError):
            entries.append((p.stat().st_mtime_ns, p))
    entries.sort(reverse=True)
    for _, p in entries[_KEEP:]:
        if p != keep:
            with contextlib.suppress(OSError):
                p.unlink()
