"""Rules: every piece of domain knowledge, as validated YAML, loaded once into one object.

A rules directory holds one file per kind (tables.yaml, columns.yaml, claims.yaml,
subjects.yaml, sections.yaml, match.yaml, vocabulary.yaml, regions.yaml) and a
``templates/`` folder with one file per family of documents. :func:`load_rules`
reads them all, validates each against its model and every reference between them
(:mod:`reconcile.rules.references`), and returns one :class:`Rules` that every stage
of the pipeline receives. ``Rules.version`` hashes exactly the files it was built
from. Errors are :class:`RuleError`, one line per mistake naming file, rule and field.
"""

from __future__ import annotations

from .base import RuleError
from .claims import AbsenceRule, ClaimRules, CompiledRules, SubjectEntry, SubjectRules, UnclaimedRule, norm_subject
from .loader import Rules, default_rules_dir, load_rules
from .match import ClassLocator, Cover, Locator, MatchRules
from .regions import RegionsFile
from .sections import PartRule, Role, ScopeRule, SectionRules
from .tables import CellSelector, ColumnsFile, CrossFile, CrossRule, RowSum, TableKind, TableKindsFile
from .templates import Template
from .vocabulary import Vocabulary

__all__ = [
    "AbsenceRule",
    "CellSelector",
    "ClaimRules",
    "ClassLocator",
    "ColumnsFile",
    "CompiledRules",
    "Cover",
    "CrossFile",
    "CrossRule",
    "Locator",
    "MatchRules",
    "PartRule",
    "RegionsFile",
    "Role",
    "RowSum",
    "RuleError",
    "Rules",
    "ScopeRule",
    "SectionRules",
    "SubjectEntry",
    "SubjectRules",
    "TableKind",
    "TableKindsFile",
    "Template",
    "UnclaimedRule",
    "Vocabulary",
    "default_rules_dir",
    "load_rules",
    "norm_subject",
]
