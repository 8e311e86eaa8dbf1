"""Section rules (sections.yaml): parts and their roles, heading words, and each
section's table scope by document kind."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .base import Strict, check_regex

__all__ = ["PartRule", "Role", "ScopeByKind", "ScopeRule", "SectionRules"]

Role = Literal["narrative", "glossary", "tables", "overview", "other"]


class PartRule(Strict):
    id: str
    role: Role
    pattern: str

    _check = field_validator("pattern")(check_regex)


class ScopeByKind(Strict):
    final_account: tuple[str, ...] = ()
    budget: tuple[str, ...] = ()


class ScopeRule(Strict):
    id: str
    pattern: str
    scope: ScopeByKind

    _check = field_validator("pattern")(check_regex)


class SectionRules(Strict):
    schema_version: Literal[1]
    kind: Literal["sections"]
    parts: tuple[PartRule, ...]
    default_part_role: Role = "other"
    heading_finals: tuple[str, ...] = Field(min_length=1)
    scopes: tuple[ScopeRule, ...]
    # the heading of the report's last parts (glossary, annexes): after it, an unnumbered title that
    # matches ``appended_title`` opens an appended document (a separate report printed after this one)
    report_end: str = "(?!)"
    appended_title: str = "(?!)"

    _check_end = field_validator("report_end", "appended_title")(check_regex)
