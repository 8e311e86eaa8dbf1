"""The tuning constants of PDF reading, as one frozen :class:`PdfSettings` record.

Distances are in units of the font size (ems) unless a field says points. The reader
uses the default instance :data:`SETTINGS`; :meth:`PdfSettings.resolve` makes another
from the defaults and a few overrides (as pdfplumber's ``TableSettings.resolve`` does),
rejecting names that are not settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["SETTINGS", "PdfSettings"]


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """How characters become lines, lines become paragraphs, and pages are read."""

    # --- characters into lines (chars.py)
    line_tolerance: float = 0.35
    """Baselines closer than this belong to one line."""
    segment_gap: float = 1.5
    """A horizontal gap this wide splits a line into segments (columns)."""
    wide_space_gap: float = 0.6
    """A gap next to a CJK character at least this wide still prints as a space."""
    cjk_space_gap: float = 0.4
    """A typed space between two CJK characters is kept when the gap is at least this wide."""
    narrow_space_gap: float = 0.2
    """A gap between two Latin characters wider than this prints as a space."""
    pdfium_size: float = 10.5
    """Font size (points) assumed for characters pdfium re-reads without a size."""

    # --- lines into paragraphs (paragraphs.py)
    indent: float = 0.8
    """A line starting this far right of the left margin is indented (starts a paragraph)."""
    right_slack: float = 1.5
    """A line ending this close to the right margin (plus the next word) was wrapped."""
    far_indent: float = 4.5
    """A line starting this far right of the left margin is centred or right-aligned."""
    size_change: float = 0.1
    """Lines whose font sizes differ by more than this share are not one paragraph."""
    centred: float = 2.5
    """A line with margins at least this wide and equal (within an em) on both sides is centred."""
    margin_share: float = 0.09
    """Top and bottom share of the page height where running headers and footers live."""

    # --- rulings (rulings.py)
    thin: float = 2.0
    """Points: a filled rectangle thinner than this is a rule."""
    min_column_width: float = 6.0
    """Points: an empty table column narrower than this is an artefact and is dropped."""
    table_tolerance: float = 3.0
    """Points: rulings this close are snapped, joined and made to cross (pdfplumber's table tolerances)."""

    # --- pages (pages.py)
    cid_share: float = 0.05
    """Share of ``(cid:…)`` characters above which pdfium re-reads the page ..."""
    cid_min: int = 5
    """... provided there are at least this many of them."""
    flush_every: int = 8
    """Pages between two flushes of pdfminer's object cache."""
    pdfium_reopen_every: int = 32
    """Pages after which pdfium's document is closed and opened again, dropping the objects it
    parsed and keeps (fonts, images, content): memory then stays flat on long files."""
    max_cached_fonts: int = 24
    """Parsed fonts kept across pages (more are dropped at a flush)."""
    pool_min_pages: int = 16
    """With ``workers > 1``, files shorter than this are read in-process."""

    # --- resource guards (guards.py): past either, a page is skipped with a note
    max_content_bytes: int = 4_000_000
    """Bytes a page's content streams (with its form XObjects) may inflate to."""
    max_page_objects: int = 50_000
    """Drawing, text-showing and XObject operators a page may hold."""

    @classmethod
    def resolve(cls, settings: PdfSettings | Mapping[str, float] | None = None, /, **overrides: float) -> PdfSettings:
        """Settings from ``settings`` (default: the defaults) with ``overrides`` applied.

        ``settings`` may be a :class:`PdfSettings`, a mapping of field names to values, or
        None. An unknown name, a value that is not a number, or a fraction given for a
        count (``cid_min``, ``flush_every``, ``max_cached_fonts``, ``pool_min_pages``,
        ``max_content_bytes``, ``max_page_objects``)
        raises :class:`ValueError`.
        """
        if settings is None:
            base = cls()
        elif isinstance(settings, cls):
            base = settings
        elif isinstance(settings, Mapping):
            base, overrides = cls(), {**settings, **overrides}
        else:
            raise ValueError(f"cannot resolve PDF settings from {type(settings).__name__}: {settings!r}")
        if not overrides:
            return base
        changes: dict[str, Any] = {name: _checked(base, name, v) for name, v in overrides.items()}
        return dataclasses.replace(base, **changes)


def _checked(base: PdfSettings, name: str, value: object) -> float:
    """``value`` as the type of field ``name``; ValueError for unknown names and wrong types."""
    names = [f.name for f in dataclasses.fields(base)]
    if name not in names:
        raise ValueError(f"unknown PDF setting {name!r}; the settings are: {', '.join(names)}")
    if isinstance(getattr(base, name), int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"PDF setting {name!r} is a count: expected an int, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"PDF setting {name!r} is a number: expected a float, got {value!r}")
    return float(value)


SETTINGS = PdfSettings()
"""The settings the reader uses (the defaults)."""
