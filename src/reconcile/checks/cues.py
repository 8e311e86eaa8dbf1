"""The cue words of the claim checks, built once per run from the rules' vocabulary.

Every word list lives in rules/vocabulary.yaml (the lists under ``# checks`` and the
shared ones); the patterns here only add the structure around the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..rules import Vocabulary

__all__ = ["Cues"]


@dataclass(frozen=True, slots=True)
class Cues:
    money: dict[str, Decimal]  # money unit → 万元 per unit
    change: re.Pattern[str]  # a change verb (an amount after it in its clause is a change)
    executed: re.Pattern[str]  # an amount executed or spent in the year
    whole_evaluation: tuple[str, ...]  # the unit's whole spending was evaluated
    universal: tuple[str, ...]  # 所有/全部: what a sentence covers is all of the subject after it
    reason: re.Pattern[str]  # “主要原因是…经费增加” right after a change
    item_tail: re.Pattern[str]  # the 经费/支出 ending of an item named in a reason
    target: re.Pattern[str]  # a performance indicator's target value, at the end of its subject
    target_name: str  # the alternation of the target words
    actual: re.Pattern[str]  # an indicator's actual value
    met: re.Pattern[str]  # verdict: the target was met
    missed: re.Pattern[str]  # verdict: the target was missed
    enum_verbs: str  # the verbs before a list with its number of items (regex group)
    enum_units: str  # the counted unit after that number (regex group)
    none_said: re.Pattern[str]  # “无…项目”: a thing said not to exist
    signed: re.Pattern[str]  # a subject that can be negative
    prior: re.Pattern[str]  # an amount of an earlier period or against a base: no level of the year
    vocabulary: Vocabulary

    @classmethod
    def build(cls, v: Vocabulary) -> Cues:
        reason_words = v.alternation("reason_change")
        targets = v.alternation("target_value")
        return cls(
            money=dict(v.money_units),
            change=v.regex("change_cue"),
            prior=v.regex("prior_period"),
            executed=v.regex("executed"),
            whole_evaluation=v.list("whole_evaluation"),
            universal=v.list("universal"),
            reason=re.compile(
                r"^[。；;，,\s]*(?:其中[，,]?)?主要原因(?:是|为|系)?[：:]?(?P<body>[^。；;，,：:\n]{2,40}?)"
                rf"(?P<word>{reason_words})(?:[。；;]|\s*$)"
            ),
            item_tail=re.compile(rf"(?:的)?(?:{v.alternation('item_tail')})+$"),
            target=re.compile(rf"(?:{targets})(?:为|是)?$"),
            target_name=targets,
            actual=v.regex("actual_value"),
            met=v.regex("target_met"),
            missed=v.regex("target_missed"),
            enum_verbs=f"(?:{v.alternation('enumeration_verb')})",
            enum_units=f"(?:{v.alternation('enumeration_unit')})",
            none_said=re.compile(
                rf"(?:{v.alternation('none_said')})(?P<x>[\u4e00-\u9fa5]{{3,12}}?)(?:项目|工作)(?=[。；;，,\s])"
            ),
            signed=v.regex("signed_subject"),
            vocabulary=v,
        )

    def is_money_unit(self, unit: str | None) -> bool:
        return unit in self.money

    def direction(self, word: str) -> int:
        """+1 or -1 for a change word (from the vocabulary's directions)."""
        return self.vocabulary.direction(word)
