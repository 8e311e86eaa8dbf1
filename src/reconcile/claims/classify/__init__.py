"""One small classifier per quantity, tried in order on each number.

Each classifier takes the number's :class:`Context` and returns the drafts it made
(an empty list: the number is decided and makes no claim) or None (not its kind:
the next classifier is tried). The order is the decision order: a cue closer to a
specific reading wins over the generic level.
"""

from __future__ import annotations

from collections.abc import Callable

from ..atoms import Atom
from ..drafts import Draft
from ..state import Reading
from .change import change
from .completion import completion, completion_budget, completion_ratio, dash
from .context import Context, Reader, context_of
from .difference import difference
from .level import level
from .relation import relation
from .share import share

__all__ = ["CLASSIFIERS", "Context", "Reader", "classify", "relation"]

Classifier = Callable[[Context], "list[Draft] | None"]

CLASSIFIERS: tuple[Classifier, ...] = (
    dash,  # a "--" that is no rate: nothing
    completion,  # 完成预算X万元的Y%
    completion_ratio,  # 预算执行率Y%
    change,  # 比上年增加X万元 / 下降Y% / 增长2倍 (节约X万元: a difference)
    share,  # 占X的Y%
    difference,  # 节约/结余X万元
    completion_budget,  # 完成全年预算X万元的…: the budget amount
    level,  # an amount, count, score, sum or other number
)


def classify(r: Reader, st: Reading, atom: Atom) -> list[Draft]:
    """The drafts read from ``atom`` (the first classifier that decides)."""
    ctx = context_of(r, st, atom)
    for classifier in CLASSIFIERS:
        made = classifier(ctx)
        if made is not None:
            return made
    return []
