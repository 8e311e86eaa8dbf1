"""The province and city of a document, from its organization name or its file path.

The names come from the rules file ``regions.yaml`` (kind ``regions``): province-level
divisions, the municipalities among them, prefecture-level cities by province, and pinyin
names of provinces. :class:`RegionsFile` validates that file; :func:`load_regions` loads it
once per rules directory.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..rules import RegionsFile, RuleError, load_rules

__all__ = ["Region", "RegionsFile", "derive_region", "load_regions"]


class _Gazetteer:
    """A validated regions file with its lookups and patterns compiled."""

    def __init__(self, data: RegionsFile) -> None:
        self.provinces = data.provinces
        self.municipalities = frozenset(data.municipalities)
        self.municipality_names = {self.provinces[m] for m in self.municipalities}
        self.city_province = {c: p for p, names in data.cities.items() for c in names}
        self.pinyin = data.pinyin
        self.city_zones = tuple(data.city_zones)
        self.province_re = re.compile(
            "(?:("
            + "|".join(sorted(set(self.provinces) - self.municipalities, key=len, reverse=True))
            + r")(?:省|[\u4e00-\u9fff]{0,4}自治区)|("
            + "|".join(sorted(self.municipalities))
            + ")市)"
        )
        self.city_re = re.compile(
            "(" + "|".join(sorted(self.city_province, key=len, reverse=True)) + r")"
            r"(?:市|地区|盟|州|[\u4e00-\u9fff]{1,8}自治州|林区)"
        )


@functools.cache
def load_regions(directory: str | Path | None = None) -> RegionsFile:
    """The regions file of a rules directory (the bundled rules when None), validated once.

    Raises :class:`reconcile.rules.RuleError` when the directory has no regions file or
    the file is invalid.
    """
    rules = load_rules(directory)
    regions: RegionsFile | None = rules.regions
    if regions is None:
        raise RuleError(f"{rules.directory}: no rule file of kind 'regions'")
    return regions


@functools.cache
def _gazetteer(directory: str | Path | None) -> _Gazetteer:
    return _Gazetteer(load_regions(directory))


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None = None
    city: str | None = None

    @property
    def label(self) -> str | None:
        """``广东省/清远市``, ``江苏省``, ``上海市`` or None."""
        if self.province and self.city:
            return f"{self.province}/{self.city}"
        return self.province or self.city


def _region_of_text(text: str, g: _Gazetteer) -> Region:
    """Province and city named in a Chinese text (an organization name, a path)."""
    province: str | None = None
    city: str | None = None
    mp = g.province_re.search(text)
    if mp:
        province = g.provinces[mp.group(1) or mp.group(2)]
    else:
        for short, full in g.provinces.items():
            if text.startswith(short):
                province = full
                break
    for mc in g.city_re.finditer(text):
        short = mc.group(1)
        if short in g.municipalities:
            continue
        prov = g.provinces[g.city_province[short]]
        if province is not None and prov != province:
            continue
        city = mc.group(0)
        province = province or prov
        break
    if city is None:  # a name that starts with its city without 市: 福州经济技术开发区生态环境局
        first: str | None = next(
            (c for c in sorted(g.city_province, key=len, reverse=True) if text.startswith(c)), None
        )
        if first is not None and first not in g.municipalities and text[len(first) :].startswith(g.city_zones):
            prov = g.provinces[g.city_province[first]]
            if province in (None, prov):
                province, city = prov, f"{first}市"
    if province in g.municipality_names:
        city = None
    return Region(province, city)


def _region_of_path(path: str, g: _Gazetteer) -> Region:
    found = _region_of_text(path, g)
    if found.province:
        return found
    tail = "/".join(re.split(r"[\\/]+", path)[-4:])
    for tok in re.split(r"[\\/_\-.\s]+", tail.lower()):
        short = g.pinyin.get(tok)
        if short:
            return Region(g.provinces[short], None)
    return Region()


def derive_region(organization: str | None, path: str | None) -> Region:
    """Province and city from the organization name, else from the path; unknown parts are None."""
    g = _gazetteer(None)
    org = _region_of_text(re.sub(r"\s+", "", organization), g) if organization else Region()
    if org.province and org.city:
        return org
    by_path = _region_of_path(path, g) if path else Region()
    if org.province is None:
        return by_path if by_path.province else org
    if by_path.city and by_path.province == org.province:
        return Region(org.province, by_path.city)
    return org
