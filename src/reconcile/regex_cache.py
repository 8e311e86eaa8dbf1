"""Compiled regular expressions kept in the disk cache (issue 16: the cold start).

A check compiles about 400 regular expressions (the package's own, the rules' and those of the
libraries it imports), and Python's ``re`` compiles each one from its source at every start:
about a tenth of a cold ``reconcile check`` of a short report. What ``re`` compiles a pattern
to, its code (a list of integers) with its flags and groups, depends only on the pattern, the
flags and the Python version, so it is kept in the disk cache (:mod:`reconcile.cache`, kind
``regex``, keyed by the Python version, the regular expression engine's version and this
module's source) and handed straight to the engine at the next start (``_sre.compile``, what
``re`` itself calls last). The pattern object is the one ``re`` would make: patterns compare
equal when their pattern, flags and code are equal, and ``tests/test_regex_cache.py`` checks
that every pattern of a real check made from the cache equals the one ``re`` compiles.

:func:`install` is called by the command line before it imports the rest of the package (so a
library user's process is left alone). Patterns the table lacks are compiled as usual and added;
the table is written back at exit when a run added some, up to :data:`MAX_PATTERNS` of them.
Anything unexpected (another Python whose ``re`` internals differ, an unreadable table) leaves
``re`` as it is.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's engine: always there when re is
import atexit
import re
import sys
from pathlib import Path
from typing import Any

from . import cache

__all__ = ["MAX_PATTERNS", "install", "table_key"]

MAX_PATTERNS = 4000
"""Patterns kept at most (patterns made from a document's own words would otherwise pile up)."""

Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_CODE = cache.source_digest([Path(__file__)])
_state: dict[str, Any] = {}


def install() -> None:
    """Compile regular expressions through the cache's table from now on (once per process)."""
    if _state or cache.cache_dir() is None:
        return
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        engine = (_sre.compile, _compiler._code, _parser.parse, _compiler.compile)
    except (ImportError, AttributeError):  # another Python: re is left as it is
        return
    key = table_key()
    table = cache.load("regex", key)
    _state.update(key=key, table=table if isinstance(table, dict) else {}, new={}, engine=engine)
    _compiler.compile = _compile
    atexit.register(_save)


def table_key() -> str:
    """The cache key of the table: this Python, its regular expression engine, this module."""
    return cache.cache_key("regex", sys.version, str(_sre.MAGIC), _CODE)


def _compile(pattern: Any, flags: int = 0) -> re.Pattern[Any]:
    """``re._compiler.compile``, with the code of a known pattern taken from the table."""
    make, code_of, parse, original = _state["engine"]
    if not isinstance(pattern, str | bytes) or flags & re.DEBUG:
        return original(pattern, flags)  # type: ignore[no-any-return]
    entry = _state["table"].get((pattern, flags)) or _state["new"].get((pattern, flags))
    if entry is None:
        entry = _entry(pattern, flags, code_of, parse)
        _state["new"][(pattern, flags)] = entry
    return make(pattern, *entry)  # type: ignore[no-any-return]


def _entry(pattern: str | bytes, flags: int, code_of: Any, parse: Any) -> Entry:
    """What ``re._compiler.compile`` hands the engine, as plain data."""
    parsed = parse(pattern, flags)
    code = [int(op) for op in code_of(parsed, flags)]
    groups = {str(name): int(i) for name, i in parsed.state.groupdict.items()}
    names: list[str | None] = [None] * parsed.state.groups
    for name, i in groups.items():
        names[i] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groups, tuple(names)


def _save() -> None:
    """Write the table back when this run compiled patterns it lacked (and it is not full)."""
    table, new = _state["table"], _state["new"]
    if new and len(table) < MAX_PATTERNS:
        cache.store("regex", _state["key"], {**table, **dict(list(new.items())[: MAX_PATTERNS - len(table)])})
