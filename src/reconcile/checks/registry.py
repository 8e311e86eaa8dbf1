"""The registry of claim checks: each check declares what it needs and what it provides.

A check is a function of the :class:`~reconcile.checks.context.Context`, registered with
:func:`check`. ``provides`` names the shared results (fields of the context) it fills;
``needs`` names the results it reads. A check runs after every check that provides what
it needs; checks with no order between them run in the order of their families (the
modules :mod:`reconcile.checks` lists in ``FAMILIES``) and, within a module, in the order
they are written, so the findings come out in the same order every time.
:func:`settle` computes the order once, when the package is imported: a result no check
provides, or checks that need each other, raise :class:`RegistryError` there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context

__all__ = ["INPUTS", "Check", "CheckFn", "RegistryError", "check", "registered", "run_order", "settle", "settled"]

CheckFn = Callable[["Context"], None]

# results the runner fills before any check runs
INPUTS = frozenset({"suspect"})


class RegistryError(RuntimeError):
    """The declared needs of the checks cannot be met (a result nobody provides, or a cycle)."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    module: str
    fn: CheckFn
    needs: tuple[str, ...]
    provides: tuple[str, ...]


_REGISTRY: list[Check] = []
_SETTLED: list[tuple[Check, ...]] = []


def check(*, needs: tuple[str, ...] = (), provides: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check with the results it ``needs`` and ``provides``."""

    def register(fn: CheckFn) -> CheckFn:
        if any(c.name == fn.__name__ for c in _REGISTRY):
            raise RegistryError(f"check {fn.__name__} is registered twice")
        _REGISTRY.append(Check(fn.__name__, fn.__module__, fn, tuple(needs), tuple(provides)))
        return fn

    return register


def registered() -> tuple[Check, ...]:
    return tuple(_REGISTRY)


def settle(families: Sequence[str]) -> tuple[Check, ...]:
    """Fix the run order of the registered checks (``families``: module names, in the order
    their checks run when nothing else orders them)."""
    _SETTLED[:] = [run_order(registered(), families)]
    return _SETTLED[0]


def settled() -> tuple[Check, ...]:
    if not _SETTLED:
        raise RegistryError("the checks' run order was not settled (import reconcile.checks)")
    return _SETTLED[0]


def run_order(checks: Sequence[Check], families: Sequence[str]) -> tuple[Check, ...]:
    """The checks in an order that meets every need: a topological order of the
    provider → consumer edges, ties broken by family, then by registration order."""
    unknown = sorted({c.module for c in checks} - set(families))
    if unknown:
        raise RegistryError(f"checks registered in modules not listed as families: {', '.join(unknown)}")
    checks = sorted(checks, key=lambda c: families.index(c.module))  # stable: registration order within a module
    providers: dict[str, list[int]] = {}
    for i, c in enumerate(checks):
        for name in c.provides:
            providers.setdefault(name, []).append(i)
    after: list[set[int]] = []
    for c in checks:
        deps: set[int] = set()
        for name in c.needs:
            if name not in providers and name not in INPUTS:
                raise RegistryError(f"check {c.name} needs {name!r}, which no check provides")
            deps.update(j for j in providers.get(name, ()) if checks[j] is not c)
        after.append(deps)
    order: list[int] = []
    done: set[int] = set()
    while len(order) < len(checks):
        ready = [i for i in range(len(checks)) if i not in done and after[i] <= done]
        if not ready:
            stuck = ", ".join(checks[i].name for i in range(len(checks)) if i not in done)
            raise RegistryError(f"the needs of these checks form a cycle: {stuck}")
        order.append(ready[0])
        done.add(ready[0])
    return tuple(checks[i] for i in order)
