"""Region rules (regions.yaml): the names a province or city is recognised by."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .base import Strict

__all__ = ["RegionsFile"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionsFile(Strict):
    """``rules/regions.yaml``: every name a region is recognised by."""

    schema_version: Literal[1]
    kind: Literal["regions"]
    provinces: dict[str, str]  # short name -> full name (广东 -> 广东省)
    municipalities: list[str]  # provinces that are cities (北京 …): no city below them
    cities: dict[str, list[str]]  # province short name -> its prefecture-level cities (short names)
    pinyin: dict[str, str]  # pinyin name or abbreviation -> province short name
    # zones named after their city without 市 (福州经济技术开发区): the city is theirs
    city_zones: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Every province named is one of ``provinces``."""
        for where, names in (
            ("municipalities", self.municipalities),
            ("cities", list(self.cities)),
            ("pinyin", list(self.pinyin.values())),
        ):
            unknown = [n for n in names if n not in self.provinces]
            if unknown:
                raise ValueError(f"{where}: not a province: {', '.join(unknown)}")
