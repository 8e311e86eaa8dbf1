"""Batch runs over archives: parallel, resumable, distributable.

:func:`check_archive` walks folders and globs for ``*.pdf`` / ``*.txt`` (any case), hashes
every file, skips the documents the store already holds with the same content hash and
rules version, checks the rest with :func:`check_one` on a pool of worker processes (or a
Dask cluster), and streams every outcome into the store (:mod:`reconcile.store`) as it
arrives. A document that fails is recorded with status ``error``, one that runs past the
time limit with status ``timeout`` (its worker is killed and replaced); neither stops the
others. Only regular files are opened: a FIFO, a device, a symlink loop or an unreadable
file is recorded as ``error`` without blocking the run. Ctrl-C commits what is done and
raises :class:`Interrupted`.

The local pool is a small process pool of its own (:mod:`~reconcile.batch.pool` says why),
whose workers each warm up once (rules, PDF stack, spaCy/jieba pipeline) before taking work
and are recycled after ``max_tasks_per_child`` documents or ``max_worker_mb`` of memory.

Modules, in the order of a run: :mod:`~reconcile.batch.inputs` (discovery and hashing),
:mod:`~reconcile.batch.archive` (:func:`check_archive`: plan, run, record),
:mod:`~reconcile.batch.pool` (the local process pool), :mod:`~reconcile.batch.cluster`
(the Dask runner), :mod:`~reconcile.batch.worker` (the per-document work in the workers),
:mod:`~reconcile.batch.tasks` (what the runners share), :mod:`~reconcile.batch.progress`,
:mod:`~reconcile.batch.summary` and :mod:`~reconcile.batch.command` (``reconcile batch``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .command import add_batch_arguments, run_batch_command

if TYPE_CHECKING:  # imported when first used: ``reconcile check`` builds the batch options only
    from .archive import Backend, check_archive
    from .inputs import SUFFIXES, discover
    from .summary import ArchiveSummary
    from .tasks import BatchError, Interrupted
    from .worker import CheckFunction, check_bytes, check_one, warm_up

_WHERE = {
    "Backend": "archive",
    "check_archive": "archive",
    "SUFFIXES": "inputs",
    "discover": "inputs",
    "ArchiveSummary": "summary",
    "BatchError": "tasks",
    "Interrupted": "tasks",
    "CheckFunction": "worker",
    "check_bytes": "worker",
    "check_one": "worker",
    "warm_up": "worker",
}

__all__ = [
    "SUFFIXES",
    "ArchiveSummary",
    "Backend",
    "BatchError",
    "CheckFunction",
    "Interrupted",
    "add_batch_arguments",
    "check_archive",
    "check_bytes",
    "check_one",
    "discover",
    "run_batch_command",
    "warm_up",
]


def __getattr__(name: str) -> Any:
    """The run's names, imported on first use (PEP 562)."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
