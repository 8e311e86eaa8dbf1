"""Mutation benchmark: inject one realistic error into a clean report, see whether it is caught.

A *mutant* is the clean text with exactly one edit (a changed digit, two transposed
digits, a flipped direction word, a dropped 万), together with the edited span in the
new text and the spans a finding may touch to count as having caught it.

Generation works from the clean report's JSON (``check_text(text).to_dict()``): every
mutated number is one whose check is *verified* in the clean report (so the error is
detectable in principle), and every numeric mutant is re-verified here, independently
of the checker, with interval arithmetic on printed decimals: the new value must miss
the interval its inputs allow by at least one unit of its last printed digit.

Kinds (:data:`KINDS`):

``rate``        a growth/decline rate (比上年…下降10.2%) changed by one digit
``change``      the 增加/减少 amount a verified rate derives from, changed by one digit
``share``       an 占 …% share changed by one digit
``completion``  a 完成预算…的 …% rate changed by one digit
``transposed``  two adjacent digits of a narrative amount that matches a table cell swapped
``direction``   one direction word of a change/rate pair flipped (减少→增加 or 下降→增长)
``unit``        万元 → 元 on a narrative amount that matches a table cell
``cell``        a table cell the narrative quotes changed by one digit (printed decimals kept)
``component``   one item of a 其中 list whose stated total is verified, changed by one digit

:func:`evaluate` decides whether a mutant was *detected* (a new inconsistent finding
touches the edit) and lists its *false flags* (new inconsistent findings that do not).

Modules, in the order a mutant is made and judged: :mod:`.mutant` (the data and the
kinds), :mod:`.intervals` (printed numbers as intervals, one-digit edits), :mod:`.index`
(the clean report indexed), :mod:`.draw` (one kind's draw from one document),
:mod:`.rates` and :mod:`.amounts` (the kinds), :mod:`.generate` (every kind),
:mod:`.evaluate` (caught or not), :mod:`.variants` (clean variants of a report).
"""

from __future__ import annotations

from .evaluate import baseline_keys, evaluate, finding_key, inconsistent_findings
from .generate import generate_mutants
from .mutant import FLIP, KIND_CAUSE, KINDS, Mutant, Outcome, Span
from .variants import VARIANTS, variant_spaced, variant_wording

__all__ = [
    "FLIP",
    "KINDS",
    "KIND_CAUSE",
    "VARIANTS",
    "Mutant",
    "Outcome",
    "Span",
    "baseline_keys",
    "evaluate",
    "finding_key",
    "generate_mutants",
    "inconsistent_findings",
    "variant_spaced",
    "variant_wording",
]
