"""Single-error mutants of a clean report, every kind from its own random stream."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterable

from .amounts import build_cell, build_component, build_transposed, build_unit
from .draw import Draw
from .index import ReportIndex
from .mutant import KINDS, Mutant, Report
from .rates import build_change, build_completion, build_direction, build_rate, build_share

BUILDERS: dict[str, Callable[[Draw], None]] = {
    "rate": build_rate,
    "change": build_change,
    "share": build_share,
    "completion": build_completion,
    "transposed": build_transposed,
    "direction": build_direction,
    "unit": build_unit,
    "cell": build_cell,
    "component": build_component,
}


def generate_mutants(
    text: str,
    report: Report,
    *,
    doc: str = "",
    seed: int = 0,
    per_kind: int = 8,
    kinds: Iterable[str] = KINDS,
) -> list[Mutant]:
    """Single-error mutants of a clean report.

    ``report`` is ``check_text(text).to_dict()`` for the clean text. The result is
    deterministic for a given (``text``, ``doc``, ``seed``): each kind draws from its own
    random stream, so asking for fewer kinds does not change the others.
    """
    idx = ReportIndex(text, report)
    out: list[Mutant] = []
    for kind in kinds:
        if kind not in BUILDERS:
            raise ValueError(f"unknown mutant kind {kind!r}; choose from {', '.join(KINDS)}")
        rng = random.Random(zlib.crc32(f"{seed}:{doc}:{kind}".encode()))
        g = Draw(idx, doc, rng, per_kind)
        BUILDERS[kind](g)
        out.extend(g.out)
    return out
