"""The per-document work, run in the worker processes (and by :mod:`reconcile.api` users).

Every function here is a module-level function, so that multiprocessing and Dask send it to
the workers by name.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import resource
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..document import InputError
from ..rules import load_rules
from .pairs import tables_of

__all__ = ["CheckFunction", "check_bytes", "check_one", "envelope", "rss_bytes", "warm_up"]

log = logging.getLogger(__name__)

# check(path, rules_dir, max_pages) -> the outcome dict of check_one
CheckFunction = Callable[[str, str | None, int | None], dict[str, Any]]

# A small report that exercises every stage once, so that a worker loads its models before timing starts.
_WARM_TEXT = """2024年度示例局部门决算

第一部分 部门概况
一、主要职能
示例局负责示例工作。

第二部分 2024年度部门决算情况说明
一、收入支出决算总体情况说明
2024年度收入总计100.00万元，支出总计100.00万元。与上年相比，收、支总计各增加10.00万元，增长11.11%。
主要原因是人员增加。

表一
收入支出决算总表
单位：万元
项目\t行次\t金额\t项目\t行次\t金额
一、一般公共预算财政拨款收入\t1\t100.00\t一、一般公共服务支出\t31\t100.00
本年收入合计\t\t100.00\t本年支出合计\t\t100.00
"""


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def envelope(path: str, status: str, error: str | None, report: dict[str, Any] | None, t0: float) -> dict[str, Any]:
    """The outcome dict of one document, timed from ``t0`` (a ``time.perf_counter()``)."""
    return {
        "path": path,
        "status": status,
        "error": error,
        "report": report,
        "seconds": round(time.perf_counter() - t0, 6),
        "worker": _worker_id(),
    }


def check_one(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """Check one file and return its outcome; never raises.

    The outcome is a dict: ``path``, ``status`` (``ok`` | ``error``), ``error`` (the message,
    or None), ``report`` (the JSON report dict, or None), ``seconds`` and ``worker``.
    """
    from ..api import check_document

    t0 = time.perf_counter()
    try:
        tables = tables_of(Path(path), load_rules(rules_dir).vocabulary)
        if tables is not None:  # a report published as narrative + tables: read as one
            report = _check_pair(path, str(tables), rules_dir, max_pages)
        else:
            report = check_document(path, rules=rules_dir, max_pages=max_pages).to_dict()
    except InputError as exc:
        return envelope(path, "error", str(exc), None, t0)
    except Exception as exc:
        return envelope(path, "error", f"{type(exc).__name__}: {exc}", None, t0)
    return envelope(path, "ok", None, report, t0)


def _check_pair(narrative: str, tables: str, rules_dir: str | None, max_pages: int | None) -> dict[str, Any]:
    from ..api import check_loaded
    from ..pdf import load_documents

    return check_loaded(load_documents([narrative, tables], max_pages=max_pages), load_rules(rules_dir)).to_dict()


def check_bytes(data: bytes, name: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """Like :func:`check_one` for a file's content sent over the wire (``name`` is its path)."""
    from ..api import check_loaded
    from ..ingest import document_from_bytes

    t0 = time.perf_counter()
    try:
        doc = document_from_bytes(data, name, max_pages=max_pages)
        report = check_loaded(doc, load_rules(rules_dir)).to_dict()
    except InputError as exc:
        return envelope(name, "error", str(exc), None, t0)
    except Exception as exc:
        return envelope(name, "error", f"{type(exc).__name__}: {exc}", None, t0)
    return envelope(name, "ok", None, report, t0)


def warm_up(rules_dir: str | None = None) -> float:
    """Load everything a check needs (rules, PDF stack, span finder of the claim pipeline) once in this process."""
    t0 = time.perf_counter()
    from ..api import check_loaded
    from ..ingest import document_from_bytes

    rules = load_rules(rules_dir)
    with contextlib.suppress(Exception):  # pdfplumber and pypdfium2 are slow to import
        importlib.import_module("reconcile.pdf")
    try:
        from ..claims.spans import span_finder

        span_finder(rules)  # the span patterns and jieba dictionary (from the disk cache when it has them)
    except Exception:  # pragma: no cover - the claims stage is optional here
        pass
    try:
        check_loaded(document_from_bytes(_WARM_TEXT.encode("utf-8"), "<warm-up>"), rules)
    except Exception:  # pragma: no cover - warming is best effort
        log.debug("warm-up check failed", exc_info=True)
    return time.perf_counter() - t0


def rss_bytes() -> int:
    """Resident memory of this process now (peak on systems without /proc)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
