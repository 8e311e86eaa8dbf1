"""Compiled regular expressions from the disk cache (issue 16): a pattern made from the table is
the pattern ``re`` compiles, and a check reads the same with the table, without it, and with a
damaged one. Processes are fresh, as a cold ``reconcile check`` is; nothing here times anything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reconcile import cache, regex_cache

from .conftest import ROOT

SEED = ROOT / "corpora" / "seeds" / "004_6d6ee4970fc0bf0d.txt"
PDF = ROOT / "corpora" / "pdf" / "js_zhengxieban_2017_budget_tables.pdf"


def _check(path: Path, cache_dir: Path | str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RECONCILE_CACHE_DIR": str(cache_dir)}
    out = subprocess.run(
        [sys.executable, "-m", "reconcile.cli", "check", str(path), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    data.pop("tool", None)
    return data


def _table(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[Any, Any]:
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(cache_dir))
    table = cache.load("regex", regex_cache.table_key())
    assert isinstance(table, dict)
    return table


@pytest.fixture(scope="module")
def uncached() -> dict[str, dict[str, Any]]:
    return {p.name: _check(p, "off") for p in (SEED, PDF)}


def test_every_pattern_of_a_check_made_from_the_table_is_the_one_re_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _check(SEED, tmp_path)
    _check(PDF, tmp_path)
    table = _table(tmp_path, monkeypatch)
    assert len(table) > 200
    original = regex_cache._state.get("engine", (None, None, None, _compiler.compile))[3]
    for (pattern, flags), entry in table.items():
        assert _sre.compile(pattern, *entry) == original(pattern, flags), pattern
    assert all(entry == regex_cache._entry(p, f, _compiler._code, _parser.parse) for (p, f), entry in table.items())


def test_a_check_reads_the_same_with_the_table_and_without(
    tmp_path: Path, uncached: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(2):  # the first run, with every cache empty, compiles other patterns than later ones
        for path in (SEED, PDF):
            assert _check(path, tmp_path) == uncached[path.name]  # writes the table, then reads it
    entry = next(tmp_path.glob("regex-*.pickle"))
    written = entry.stat().st_mtime_ns
    for path in (SEED, PDF):
        assert _check(path, tmp_path) == uncached[path.name]
    assert entry.stat().st_mtime_ns == written  # nothing new: not written again
    entry.write_bytes(b"not a pickle")
    assert _check(SEED, tmp_path) == uncached[SEED.name]


def test_the_table_stops_growing_at_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path))
    key = regex_cache.table_key()
    full = {(f"x{i}", 0): (0, [], 0, {}, ()) for i in range(regex_cache.MAX_PATTERNS)}
    monkeypatch.setattr(regex_cache, "_state", {"key": key, "table": full, "new": {("y", 0): (0, [], 0, {}, ())}})
    regex_cache._save()
    assert cache.load("regex", key) is None  # full: the new pattern is not written
    monkeypatch.setattr(regex_cache, "_state", {"key": key, "table": {}, "new": {("y", 0): (0, [], 0, {}, ())}})
    regex_cache._save()
    assert cache.load("regex", key) == {("y", 0): (0, [], 0, {}, ())}


def test_only_the_command_line_installs_it() -> None:
    code = "import re, reconcile.api; from re import _compiler; print(_compiler.compile.__module__)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "re._compiler"
    code = code.replace("reconcile.api", "reconcile.cli")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "reconcile.regex_cache"
    assert re.compile("a+") is not None
