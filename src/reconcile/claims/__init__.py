"""Claims: every checkable number statement of the narrative.

Pipeline (one pass over the narrative, document order):

1. :func:`narrative_view` (:mod:`.view`) joins the body text of the narrative
   sections into one string: line breaks inside a paragraph and spaces inside
   numbers and units are removed (``"611.9\\n8"`` → ``"611.98"``, ``"增长 21.95 %"`` →
   ``"增长21.95%"``); every character keeps its offset in ``doc.text``.
2. A spaCy pipeline (:mod:`.pipeline`: ``spacy.blank("zh")`` + jieba with a user
   dictionary built from ``rules/subjects.yaml``, a protecting segmenter that keeps
   quoted or bracketed terms and grouped numbers as one token, and a SpanRuler
   whose patterns are the subject aliases and the token patterns of
   ``rules/claims.yaml``) marks known subjects and qualitative statements.
3. Regexes composed from the named fragments of ``rules/claims.yaml`` find every
   number with its unit and the numbers that are not quantities (years, dates,
   ordinals…) (:mod:`.atoms`).
4. One pass over sentences (:mod:`.extract`, its state in :mod:`.state`) gives each
   number to the classifiers of :mod:`.classify`, one per quantity (change, rate,
   share, completion, difference, level…), tried in order on the cue before the
   number (比上年…增加, 占…的, 完成预算…的…). They build :class:`Claim` objects and link
   them: a change, rate, share or completion to the amount it qualifies (its
   *head*, :mod:`.subjects` finds subjects), a rate to its change, a completion to
   its budget amount, the items of a "其中：" list to their total (:mod:`.lists`).

:func:`claim_coverage` (:mod:`.coverage`) says which numbers of the narrative ended
up in a claim and why the others did not.
"""

from __future__ import annotations

from ..rules import ClaimRules, CompiledRules, RuleError, SubjectRules
from .coverage import claim_coverage
from .extract import extract_claims
from .model import Claim, Coverage, NumberUse, Quantity, Relation, claims_json
from .pipeline import build_pipeline, compiled_rules
from .view import View, narrative_view

__all__ = [
    "Claim",
    "ClaimRules",
    "CompiledRules",
    "Coverage",
    "NumberUse",
    "Quantity",
    "Relation",
    "RuleError",
    "SubjectRules",
    "View",
    "build_pipeline",
    "claim_coverage",
    "claims_json",
    "compiled_rules",
    "extract_claims",
    "narrative_view",
]
