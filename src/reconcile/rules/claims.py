"""Claim rules (claims.yaml) and subject rules (subjects.yaml): models and their compiled form.

claims.yaml holds named regex fragments, cues, unclaimed-number patterns, absence
statements, spaCy token patterns and a lexicon; a fragment may use another as
``{NAME}``, and every word list of vocabulary.yaml is a fragment ``{V_LIST}``
(see :mod:`reconcile.rules.vocabulary`). :func:`compile_claim_rules` validates the
references and compiles every pattern once.
"""

from __future__ import annotations

import re as _re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import regex as re

from .base import After, Limits, RuleError, Strict

__all__ = [
    "AbsenceRule",
    "ClaimRules",
    "CompiledRules",
    "SubjectEntry",
    "SubjectRules",
    "TokenPatternRule",
    "UnclaimedRule",
    "compile_claim_rules",
    "norm_subject",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectEntry(Strict):
    name: Annotated[str, Limits(min_length=1)]
    aliases: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    unit: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectRules(Strict):
    schema_version: Literal[1]
    kind: Literal["subjects"]
    subjects: tuple[SubjectEntry, ...]

    def __post_init__(self) -> None:
        """Names are unique, and each part is a subject."""
        names: set[str] = set()
        for i, s in enumerate(self.subjects):
            if s.name in names:
                raise ValueError(f"subjects[{i}] (rule {s.name!r}): name: duplicate subject name")
            names.add(s.name)
        for i, s in enumerate(self.subjects):
            for p in s.parts:
                if p not in names:
                    raise ValueError(f"subjects[{i}] (rule {s.name!r}): parts: unknown subject {p!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnclaimedRule(Strict):
    id: str
    reason: str
    pattern: str
    exclude: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class AbsenceRule(Strict):
    """A statement that a money subject does not exist (“没有使用政府性基金安排的支出”): its cells must be 0."""

    id: str
    subject: str
    pattern: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenPatternRule(Strict):
    id: str
    label: Annotated[str, Limits(pattern=r"^REL_(EQUAL|GREATER|LESS)$")]
    pattern: Annotated[tuple[dict[str, Any], ...], Limits(min_length=1)]


_REQUIRED_CUES = (
    "base_phrase",
    "same_period",
    "change_left",
    "flat_left",
    "completion_left",
    "completion_budget_left",
    "completion_ratio_left",
    "share_left",
    "difference_left",
    "relation_left",
    "relation_right",
    "unit_stray_percent",
    "zero_base_right",
    "sum_subject",
    "multi_subject",
    "list_open",
    "implicit_total",
    "figure_words",
)
_REQUIRED_FRAGMENTS = ("NUM", "CNUM", "UNIT", "MONEY", "COUNT_UNIT", "MARKER", "BASE")


def _fragment_names(v: dict[str, str]) -> dict[str, str]:
    for name in v:
        if not _re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            raise ValueError(f"fragment name {name!r} must be UPPER_CASE")
    missing = [n for n in _REQUIRED_FRAGMENTS if n not in v]
    if missing:
        raise ValueError(f"missing fragments: {', '.join(missing)}")
    return v


def _cue_names(v: dict[str, str]) -> dict[str, str]:
    missing = [n for n in _REQUIRED_CUES if n not in v]
    if missing:
        raise ValueError(f"missing cues: {', '.join(missing)}")
    return v


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRules(Strict):
    schema_version: Literal[1]
    kind: Literal["claims"]
    fragments: Annotated[dict[str, str], After(_fragment_names)]
    cues: Annotated[dict[str, str], After(_cue_names)]
    unclaimed: tuple[UnclaimedRule, ...]
    absences: tuple[AbsenceRule, ...] = ()
    token_patterns: tuple[TokenPatternRule, ...] = ()
    lexicon: tuple[str, ...] = ()


_REF_RE = _re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def _expand(name: str, fragments: dict[str, str], where: str, stack: tuple[str, ...] = ()) -> str:
    if name in stack:
        raise RuleError(f"{where}: fragment cycle {' -> '.join((*stack, name))}")
    if name not in fragments:
        raise RuleError(f"{where}: unknown fragment {{{name}}}")
    return _substitute(fragments[name], fragments, where, (*stack, name))


def _substitute(pattern: str, fragments: dict[str, str], where: str, stack: tuple[str, ...] = ()) -> str:
    def sub(m: _re.Match[str]) -> str:
        return "(?:" + _expand(m.group(1), fragments, where, stack) + ")"

    return _REF_RE.sub(sub, pattern)


def _compile(pattern: str, fragments: dict[str, str], where: str) -> re.Pattern[str]:
    text = _substitute(pattern, fragments, where)
    try:
        return re.compile(text, re.V0)
    except re.error as exc:
        raise RuleError(f"{where}: invalid regular expression: {exc}") from None


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """Claim and subject rules, validated and compiled."""

    claims: ClaimRules
    subjects: SubjectRules
    frag: dict[str, re.Pattern[str]]
    cue: dict[str, re.Pattern[str]]
    left: dict[str, re.Pattern[str]]  # cues anchored at the end of the left text
    unclaimed: tuple[tuple[UnclaimedRule, re.Pattern[str]], ...]
    absences: tuple[tuple[AbsenceRule, re.Pattern[str]], ...]
    atom: re.Pattern[str]
    alias_to_name: dict[str, str]
    parts: dict[str, frozenset[str]]
    subject_unit: dict[str, str]
    rules_version: str

    def part_named_in(self, whole: str | None, words: str | None) -> str | None:
        """The one part of ``whole`` whose distinctive word ``words`` hold: the part without what
        all its sibling parts share at their start and end (政府采购{货物,工程,服务}支出 → 货物),
        so “货物类项目” or “政府采购货物类预算” names 政府采购货物支出."""
        parts = sorted(self.parts.get(whole or "", frozenset()))
        if len(parts) < 2 or not words:
            return None
        head = _shared_start(parts)
        tail = _shared_start([p[::-1] for p in parts])
        named = [p for p in parts if len(p[head : len(p) - tail]) >= 2 and p[head : len(p) - tail] in words]
        return named[0] if len(named) == 1 else None

    def decomposes(self, whole: str | None, part: str | None) -> bool:
        """True when ``whole`` is the sum of parts among which ``part`` is, directly or
        through the parts of its parts (subjects.yaml ``parts``)."""
        seen: set[str] = set()
        todo = [whole] if whole else []
        while todo:
            w = todo.pop()
            if w in seen:
                continue
            seen.add(w)
            ps = self.parts.get(w, frozenset())
            if part in ps:
                return True
            todo.extend(ps)
        return False


def compile_claim_rules(
    cr: ClaimRules, sr: SubjectRules, path: Path, extra_fragments: dict[str, str], version: str
) -> CompiledRules:
    """Compile every pattern of ``cr`` (``extra_fragments``: the vocabulary's word lists)."""
    frags = {**extra_fragments, **cr.fragments}
    frag = {k: _compile(v, frags, f"{path}: fragments.{k}") for k, v in cr.fragments.items()}
    cue = {k: _compile(v, frags, f"{path}: cues.{k}") for k, v in cr.cues.items()}
    left = {
        k: _compile(f"(?:{_substitute(v, frags, str(path))})$", frags, f"{path}: cues.{k}")
        for k, v in cr.cues.items()
        if k.endswith("_left")
    }
    unclaimed = tuple(
        (u, _compile(u.pattern, frags, f"{path}: unclaimed (rule {u.id!r}): pattern")) for u in cr.unclaimed
    )
    absences = tuple((u, _compile(u.pattern, frags, f"{path}: absences (rule {u.id!r}): pattern")) for u in cr.absences)
    known = {x.name for x in sr.subjects}
    for u, _ in absences:
        if u.subject not in known:
            raise RuleError(f"{path}: absences (rule {u.id!r}): subject {u.subject!r} is not in subjects.yaml")
    atom = _compile(
        r"(?P<marker>(?:-{2,}|—{1,2}|－{2,})%?)"
        r"|(?P<num>{NUM})(?P<unit>{UNIT})?"
        r"|(?P<cnum>{CNUM})(?P<cunit>{CN_UNIT})",
        frags,
        f"{path}: atom",
    )
    alias_to_name: dict[str, str] = {}
    parts: dict[str, frozenset[str]] = {}
    unit: dict[str, str] = {}
    for s in sr.subjects:
        for a in (s.name, *s.aliases):
            alias_to_name.setdefault(norm_subject(a), s.name)
        if s.parts:
            parts[s.name] = frozenset(s.parts)
        if s.unit:
            unit[s.name] = s.unit
    return CompiledRules(cr, sr, frag, cue, left, unclaimed, absences, atom, alias_to_name, parts, unit, version)


def norm_subject(text: str) -> str:
    """Normalize a subject spelling for lookups (brackets, quotes, spaces)."""
    t = _re.sub(r"\s+", "", text)
    t = t.replace("(", "（").replace(")", "）").replace('"', "“")
    return t


def _shared_start(words: list[str]) -> int:
    """How many characters all ``words`` share at their start."""
    n = 0
    while all(len(w) > n and w[n] == words[0][n] for w in words):
        n += 1
    return n
