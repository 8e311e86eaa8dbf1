"""reconcile: checks Chinese budget and final-account disclosures for inconsistencies.

Library first: ``check_document(path) -> Report``; the CLI is a thin layer over it. The library's
functions are imported on first use, so that ``import reconcile.cli`` decides what it imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import check_document, check_text

__all__ = ["__version__", "check_document", "check_text"]


def __getattr__(name: str) -> Any:
    if name in ("check_document", "check_text"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'reconcile' has no attribute {name!r}")
