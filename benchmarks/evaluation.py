"""Scoring a report against a hand-built gold annotation (corpora/gold/*.yaml).

Two kinds of gold files exist: for text seeds, each inconsistency is located by
1-based ``line`` (plus ``related_lines``); for PDFs, by ``page`` and ``quote`` (the
exact printed text, compared with whitespace removed, since PDF text depends on the
extractor). A gold item is *found* when an inconsistent finding rests on its place;
an inconsistent finding is *stray* when it rests on no gold place at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["GoldScore", "load_gold", "score"]

_WS = re.compile(r"\s+")


@dataclass
class GoldScore:
    document: str
    items: int = 0
    found: list[str] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    stray: list[dict[str, Any]] = field(default_factory=list)
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return len(self.found) / self.items if self.items else 1.0


def load_gold(path: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return data


def _locate_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans of ``quote`` in ``text`` ignoring whitespace (every occurrence)."""
    q = _WS.sub("", quote)
    if not q:
        return []
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    flat = "".join(text[i] for i in keep)
    out = []
    start = flat.find(q)
    while start >= 0:
        out.append((keep[start], keep[start + len(q) - 1] + 1))
        start = flat.find(q, start + 1)
    return out


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        spans.append((pos, pos + len(raw.rstrip("\r\n"))))
        pos += len(raw)
    return spans


def score(gold: dict[str, Any], report: dict[str, Any], text: str, *, margin: int = 40) -> GoldScore:
    """Compare the inconsistent findings of ``report`` (the JSON dict) with ``gold``."""
    res = GoldScore(document=str(gold.get("document")))
    lines = _line_spans(text)
    findings = [f for f in report["findings"] if f["status"] == "inconsistent"]
    places: list[list[tuple[int, int]]] = []
    for g in gold.get("inconsistencies") or []:
        spans: list[tuple[int, int]] = []
        main: list[tuple[int, int]] = []
        if "line" in g:
            for i, n in enumerate([g["line"], *(g.get("related_lines") or [])]):
                if 1 <= n <= len(lines):
                    spans.append(lines[n - 1])
                    if i == 0:
                        main.append(lines[n - 1])
        else:
            hits = _locate_quote(text, g.get("quote", ""))
            spans.extend((max(0, a - margin), b + margin) for a, b in hits)
            main = list(spans)
        places.append(spans)
        res.items += 1
        kind = g.get("error_kind", "other")
        # a narrative error must be flagged where it stands; a table error may be flagged on any cell it involves
        target = main if g.get("category") == "narrative" else spans
        hit = any(_touches(f, target) for f in findings)
        f_n, t_n = res.by_kind.get(kind, (0, 0))
        res.by_kind[kind] = (f_n + int(hit), t_n + 1)
        if hit:
            res.found.append(g["id"])
        else:
            res.missed.append(g)
    all_places = [s for p in places for s in p]
    for f in findings:
        if not _touches(f, all_places):
            res.stray.append(f)
    return res


def _touches(finding: dict[str, Any], spans: list[tuple[int, int]]) -> bool:
    for a, b in finding.get("spans") or []:
        for s, e in spans:
            if a < e and s < b:
                return True
    return False
