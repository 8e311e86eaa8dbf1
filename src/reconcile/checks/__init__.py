"""Checks of narrative claims: recompute, compare with interval arithmetic, explain.

Every claim ends with a status: ``verified``, ``inconsistent`` or ``unverifiable``
(with the reason), recorded in :class:`ClaimOutcome`. A printed value with *d*
decimals stands for ``[v - ½·10⁻ᵈ, v + ½·10⁻ᵈ]``; a derived rate, share or
completion is consistent when its printed interval meets the interval computed
from its inputs. Writers who truncate instead of rounding are accepted too (a
printed rate may stand for up to one unit of its last digit more). A claim that
passes only because one figure was printed coarsely (an integer number of 万元) is
reported as info (N214).

The package, in reading order:

* :mod:`.context`: the :class:`Context` a run shares and the one way a check records a
  verdict (:meth:`Context.record`, :meth:`Context.verify_or_flag`), rendering the message
  templates of the findings catalogue (:mod:`reconcile.findings`);
* :mod:`.registry`: the :func:`check` decorator (what a check needs and provides) and the
  order the runner derives from it; :mod:`.runner`: :func:`check_claims`;
* :mod:`.cues`, :mod:`.figures`, :mod:`.reading`: cue words from the vocabulary, printed
  figures as intervals, reading a claim in its text and finding its cells;
* one module per family of checks, imported below in the order their checks run when
  nothing else orders them: amounts, rates, shares, charts (a figure's percentages), completion
  (and changes against the budget), totals, outline totals, changes (of a total and its parts), differences, relations, indicators (and counted lists), restated
  quantities and changes, table notes, units.
"""

from __future__ import annotations

from . import (
    amounts,
    changes,
    charts,
    completion,
    differences,
    indicators,
    notes,
    outline,
    rates,
    relations,
    restated,
    shares,
    totals,
    units,
)
from .context import ClaimOutcome, Context
from .registry import Check, RegistryError, check, registered, run_order, settle
from .runner import check_claims

__all__ = [
    "FAMILIES",
    "RUN_ORDER",
    "Check",
    "ClaimOutcome",
    "Context",
    "RegistryError",
    "check",
    "check_claims",
    "registered",
    "run_order",
    "settle",
]

# the order the checks of each family run in when their needs leave it open
FAMILIES = (
    amounts,
    rates,
    shares,
    charts,
    completion,
    totals,
    outline,
    changes,
    differences,
    relations,
    indicators,
    restated,
    notes,
    units,
)
RUN_ORDER = settle([m.__name__ for m in FAMILIES])  # an unmet need or a cycle is an error here, at import
