"""The checker run on every mutant (in worker processes), and each outcome as a :class:`Result`."""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass, field
from typing import Any

from reconcile.api import check_text
from reconcile.report import ordered_findings
from reconcile.rules import Rules

from .corpus import Doc
from .mutation import Mutant, baseline_keys, evaluate


@dataclass
class Result:
    """One mutant's outcome, in the words of the benchmark page."""

    kind: str
    doc: str
    line: int
    old: str
    new: str
    description: str
    detected: bool
    hits: list[str] = field(default_factory=list)
    false_flags: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cause: str | None = None  # likely cause of the most certain finding that caught it


# set by run_mutants before the workers fork: the rules, and each document's baseline keys
_RULES: Rules | None = None
_BASE: dict[str, set[Any]] = {}


def short_finding(f: dict[str, Any]) -> str:
    """A finding in one line of the page: check, first lines, message."""
    return f"{f['check']} (lines {', '.join(str(n) for n in f['lines'][:4])}): {f['message']}"


def one_line(s: str) -> str:
    """``s`` with every run of whitespace (line breaks too) made one space."""
    return " ".join(s.split())


def _run_one(m: Mutant) -> Result:
    t0 = time.perf_counter()
    rep = check_text(m.text, path=m.doc, rules=_RULES).to_dict()
    o = evaluate(m, rep, _BASE[m.doc])
    return Result(
        kind=m.kind,
        doc=m.doc,
        line=m.line,
        old=m.old,
        new=m.new,
        description=m.description,
        detected=o.detected,
        hits=[short_finding(f) for f in o.hits],
        false_flags=[short_finding(f) for f in o.false_flags],
        edited=[
            f"{c.get('id')} {c.get('quantity')} “{str(c.get('text', '')).strip()}” → {c.get('status')}"
            f" ({c.get('reason', '')})"
            for c in o.edited_claims
        ],
        seconds=time.perf_counter() - t0,
        cause=_first_cause(o.hits),
    )


def _first_cause(hits: list[dict[str, Any]]) -> str | None:
    """The likely cause the report gives first (most certain first) among the findings that caught the mutant."""
    first = ordered_findings(hits)[:1]
    return str((first[0].get("likely_cause") or {}).get("code", "unknown")) if first else None


def run_mutants(docs: list[Doc], mutants: list[Mutant], rules: Rules, jobs: int) -> list[Result]:
    """Check every mutant (``jobs`` forked workers) against its document's clean baseline."""
    global _RULES
    _RULES = rules
    _BASE.clear()
    _BASE.update({d.name: baseline_keys(d.report) for d in docs})
    if jobs <= 1:
        return [_run_one(m) for m in mutants]
    # fork after the warm-up: the workers inherit the loaded pipeline and rules
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as pool:
        return pool.map(_run_one, mutants, chunksize=4)
