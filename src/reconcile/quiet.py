"""Quiet third-party readers: their log records and Python warnings never reach standard error.

pdfminer and pypdf log warnings about damaged files (“CropBox missing”, “Could not
parse …”) through :mod:`logging`; with no handler configured, Python prints them on
standard error. What matters of them reaches the user as the document's page notes.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

__all__ = ["QUIET_LOGGERS", "quiet_readers"]

QUIET_LOGGERS = ("pdfminer", "pdfplumber", "pypdf", "pypdfium2")


@contextlib.contextmanager
def quiet_readers() -> Iterator[None]:
    """Within the block, the PDF libraries log nothing and Python warnings are ignored."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [lg.level for lg in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lg in loggers:
            lg.setLevel(logging.CRITICAL + 1)
        try:
            yield
        finally:
            for lg, level in zip(loggers, levels, strict=True):
                lg.setLevel(level)
