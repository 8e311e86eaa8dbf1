"""Reports published as two files: a narrative (情况说明) and its tables (报表), checked as one
report as ``reconcile check NARR TABLES`` does.

Two files of one folder form a report when their names differ only by a part word
(``…_narr.pdf`` / ``…_tables.pdf``, ``…情况说明.pdf`` / ``…报表.pdf``); the words are
``report_part_narrative`` and ``report_part_tables`` in rules/vocabulary.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..rules import Vocabulary

__all__ = ["pair_files", "tables_of"]

_SEP = r"[\s_\-.（）()]*"


def _core(name: str, words: Sequence[str]) -> str | None:
    """The file stem without its part word (None when it has none of ``words``)."""
    for w in sorted(words, key=len, reverse=True):
        m = re.search(rf"{_SEP}{re.escape(w)}{_SEP}", name, flags=re.IGNORECASE)
        if m:
            return (name[: m.start()] + "|" + name[m.end() :]).lower()
    return None


def pair_files(files: Sequence[Path], vocabulary: Vocabulary) -> dict[Path, Path]:
    """narrative file → its tables file, for the pairs among ``files`` (one of each per report)."""
    narr_words, table_words = vocabulary.list("report_part_narrative"), vocabulary.list("report_part_tables")
    narratives: dict[tuple[Path, str, str], list[Path]] = {}
    tables: dict[tuple[Path, str, str], list[Path]] = {}
    for f in files:
        key_n, key_t = _core(f.stem, narr_words), _core(f.stem, table_words)
        if key_n is not None and key_t is None:
            narratives.setdefault((f.parent, f.suffix.lower(), key_n), []).append(f)
        elif key_t is not None and key_n is None:
            tables.setdefault((f.parent, f.suffix.lower(), key_t), []).append(f)
    return {
        ns[0]: tables[k][0]
        for k, ns in narratives.items()
        if len(ns) == 1 and len(tables.get(k, [])) == 1  # a pair only when unambiguous
    }


def tables_of(path: Path, vocabulary: Vocabulary) -> Path | None:
    """The tables file that forms one report with the narrative ``path`` (None: none, or not a narrative)."""
    try:
        siblings = [p for p in path.parent.iterdir() if p.is_file() and p.suffix.lower() == path.suffix.lower()]
    except OSError:
        return None
    return pair_files(siblings, vocabulary).get(path)
