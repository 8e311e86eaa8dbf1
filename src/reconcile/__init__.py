"""reconcile: checks Chinese budget and final-account disclosures for inconsistencies.

Library first: ``check_document(path) -> Report``; the CLI is a thin layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import check_document, check_text

__all__ = ["__version__", "check_document", "check_text"]
