"""Section rules (sections.yaml): parts and their roles, heading words, and each
section's table scope by document kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from .base import After, Limits, Strict, check_regex

__all__ = ["PartRule", "Role", "ScopeByKind", "ScopeRule", "SectionRules"]

Role = Literal["narrative", "glossary", "tables", "overview", "other"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PartRule(Strict):
    id: str
    role: Role
    pattern: Annotated[str, After(check_regex)]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScopeByKind(Strict):
    final_account: tuple[str, ...] = ()
    budget: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ScopeRule(Strict):
    id: str
    pattern: Annotated[str, After(check_regex)]
    scope: ScopeByKind


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionRules(Strict):
    schema_version: Literal[1]
    kind: Literal["sections"]
    parts: tuple[PartRule, ...]
    default_part_role: Role = "other"
    heading_finals: Annotated[tuple[str, ...], Limits(min_length=1)]
    scopes: tuple[ScopeRule, ...]
    # the heading of the report's last parts (glossary, annexes): after it, an unnumbered title that
    # matches ``appended_title`` opens an appended document (a separate report printed after this one)
    report_end: Annotated[str, After(check_regex)] = "(?!)"
    appended_title: Annotated[str, After(check_regex)] = "(?!)"
