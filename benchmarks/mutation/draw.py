"""The draw of one kind's mutants from one document: the edit as a :class:`Mutant`, and
sampling until the kind has its share."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .index import ReportIndex
from .mutant import Mutant, Span


@dataclass(slots=True)
class Draw:
    idx: ReportIndex
    doc: str
    rng: random.Random
    per_kind: int
    out: list[Mutant] = field(default_factory=list)

    def make(
        self,
        kind: str,
        span: Span,
        new: str,
        description: str,
        *,
        extra_targets: Iterable[Span] = (),
        claim: str | None = None,
    ) -> Mutant:
        text = self.idx.text
        old = text[span[0] : span[1]]
        new_text = text[: span[0]] + new + text[span[1] :]
        new_span = (span[0], span[0] + len(new))
        delta = len(new) - len(old)
        targets = [new_span]
        for a, b in extra_targets:
            na = a if a <= span[0] else a + delta
            nb = b if b <= span[0] else b + delta
            targets.append((na, max(nb, na)))
        return Mutant(
            kind=kind,
            doc=self.doc,
            text=new_text,
            span=new_span,
            original_span=span,
            old=old,
            new=new,
            description=description,
            line=self.idx.line(span[0]),
            targets=tuple(dict.fromkeys(targets)),
            claim=claim,
        )

    def sample(self, kind: str, items: list[Any], build: Callable[[Any], Mutant | None]) -> None:
        """Build mutants from a shuffled copy of ``items`` until ``per_kind`` are made."""
        order = list(items)
        self.rng.shuffle(order)
        made = 0
        seen: set[Span] = set()
        for it in order:
            if made >= self.per_kind:
                break
            m = build(it)
            if m is None or m.original_span in seen:
                continue
            seen.add(m.original_span)
            self.out.append(m)
            made += 1
