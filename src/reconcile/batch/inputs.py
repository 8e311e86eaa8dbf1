"""The inputs of a batch: the report files named by paths, folders and globs, and their hashes."""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .tasks import BatchError

__all__ = ["SUFFIXES", "discover", "hash_file"]

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
        elif p.is_file() and _wanted(p.name):
            found.append(p)
    return found


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every input file named by ``paths`` (files, folders walked recursively, globs).

    A folder or a glob yields its ``*.pdf`` and ``*.txt`` files (any case); a file named
    explicitly is taken whatever its name. Raises :class:`BatchError` for a path that
    names nothing.
    """
    out: dict[str, Path] = {}
    for raw in paths:
        s = os.fspath(raw)
        p = Path(s).expanduser()
        found: list[Path]
        if p.is_dir():
            found = list(_walk(p))
        elif p.is_file():
            found = [p]
        elif glob.has_magic(s):
            found = _glob(s)
        else:
            raise BatchError(f"{s}: no such file or directory")
        for f in found:
            a = f.absolute()
            out.setdefault(str(a), a)
    return [out[k] for k in sorted(out)]


def hash_file(path: Path) -> tuple[str, int, float]:
    """The sha256 (hex), size and modification time of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    st = path.stat()
    return h.hexdigest(), st.st_size, st.st_mtime
