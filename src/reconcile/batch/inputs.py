"""The inputs of a batch: the report files named by paths, folders and globs, and their hashes."""

from __future__ import annotations

import glob
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..ingest import file_kind
from .tasks import BatchError

__all__ = ["SUFFIXES", "HashStream", "Hashed", "NotRegularFile", "discover", "hash_file"]

SUFFIXES = (".pdf", ".txt")


def _wanted(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _walk(root: Path) -> Iterator[Path]:
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if _wanted(f) and not f.startswith("."):
                yield Path(d) / f


def _glob(pattern: str) -> list[Path]:
    """The report files of a glob's matches (folders are walked)."""
    matches = sorted(glob.glob(os.path.expanduser(pattern), recursive=True))
    if not matches:
        raise BatchError(f"{pattern}: no file matches")
    found: list[Path] = []
    for m in matches:
        p = Path(m)
        if p.is_dir():
            found.extend(_walk(p))
        elif _wanted(p.name):  # a file, or something that is not one (recorded as unreadable when hashed)
            found.append(p)
    return found


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every input file named by ``paths`` (files, folders walked recursively, globs).

    A folder or a glob yields its ``*.pdf`` and ``*.txt`` files (any case); a file named
    explicitly is taken whatever its name. Entries that are not regular files (a named pipe,
    a device, a symlink loop or a dangling symlink) are returned too: :func:`hash_file`
    refuses them without opening them, and the run records them as unreadable. Raises
    :class:`BatchError` for a path that names nothing.
    """
    out: dict[str, Path] = {}
    for raw in paths:
        s = os.fspath(raw)
        p = Path(s).expanduser()
        found: list[Path]
        if p.is_dir():
            found = list(_walk(p))
        elif os.path.lexists(p):
            found = [p]  # a regular file, or an entry that hashing refuses (a FIFO, a symlink loop …)
        elif glob.has_magic(s):
            found = _glob(s)
        else:
            raise BatchError(f"{s}: no such file or directory")
        for f in found:
            a = f.absolute()
            out.setdefault(str(a), a)
    return [out[k] for k in sorted(out)]


class NotRegularFile(OSError):
    """An input that is not a regular file: it is never opened (a FIFO would block the run)."""


def _refuse_unless_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = file_kind(mode)
    raise NotRegularFile(f"{kind}, not a regular file: not read")


def hash_file(path: Path) -> tuple[str, int, float]:
    """The sha256 (hex), size and modification time of a regular file.

    Only regular files are opened: a named pipe, a device or a socket raises
    :class:`NotRegularFile` (an ``OSError``) after an ``os.stat``, so that a FIFO in an
    archive folder never blocks the run. The file is opened non-blocking and checked again
    with ``fstat``, in case it was replaced in between. A symlink loop or a file without
    read permission raises the ``OSError`` of ``stat`` or ``open``.
    """
    _refuse_unless_regular(os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        _refuse_unless_regular(st.st_mode)
        h = hashlib.sha256()
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest(), st.st_size, st.st_mtime


Hashed = tuple[str, int, float] | OSError  # (sha256, size, mtime), or why the file cannot be read


class HashStream:
    """:func:`hash_file` of every path, computed on ``threads`` threads in input order and looked
    up as they come (``stream[path]`` waits for that path only). hashlib and file reads release
    the GIL, so an archive is hashed at the speed of the disk, not of one core. A file that
    cannot be read maps to its ``OSError``."""

    def __init__(self, paths: Iterable[Path], threads: int = 8) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.done: dict[Path, Hashed] = {}
        todo = list(dict.fromkeys(paths))
        self.pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="reconcile-hash")
        self.results = zip(todo, self.pool.map(_hashed, todo), strict=True)

    def __getitem__(self, path: Path) -> Hashed:
        while path not in self.done:
            try:
                p, h = next(self.results)
            except StopIteration:
                self.pool.shutdown()
                raise KeyError(path) from None
            self.done[p] = h
        return self.done[path]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _hashed(path: Path) -> Hashed:
    try:
        return hash_file(path)
    except OSError as exc:
        return exc
