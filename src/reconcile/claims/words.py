"""The cue words the claim readers look up, from ``rules/vocabulary.yaml`` (the cue
patterns of ``rules/claims.yaml`` are in :attr:`CompiledRules.cue`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..rules import Vocabulary

__all__ = ["Words", "words_of"]

# relation word lists → the relation they state
_RELATIONS_BEFORE = {
    "relation_ge": ">=",
    "relation_le": "<=",
    "relation_gt": ">",
    "relation_lt": "<",
    "relation_approx": "approx",
}
_RELATIONS_AFTER = {"relation_ge_after": ">=", "relation_le_after": "<=", "relation_approx_after": "approx"}


@dataclass(frozen=True, slots=True)
class Words:
    money_units: frozenset[str]  # units of an amount
    generic_totals: frozenset[str]  # totals that, after other words, name a part
    report_totals: frozenset[str]  # the subjects those words name: a whole report's totals
    flows: tuple[str, ...]  # 收入, 支出
    balances: tuple[str, ...]  # 结转, 结余
    weak_subjects: frozenset[str]  # words that name no subject on their own
    amount_heads: tuple[str, ...]  # 金额, 总额: nouns that end the name of an amount
    change_verbs: tuple[str, ...]  # 增加, 减少 …: a change stands between a subject and what follows
    saving: tuple[str, ...]  # 节约 X万元: a difference, not a change
    rate_names: tuple[str, ...]  # 增幅, 降幅 …: the rate states a magnitude
    magnitude_prefixes: tuple[str, ...]
    zero_base: tuple[str, ...]  # the words of a zero-base note
    actual_figure: tuple[str, ...]  # figure words that name the 决算
    score_words: tuple[str, ...]
    relation_before: dict[str, str]  # relation word before a number → relation
    relation_after: dict[str, str]  # … after it

    def magnitude_word(self, word: str) -> bool:
        """A rate name (alone, or one of the prefixes followed by 为/达)."""
        return word in self.rate_names or word.startswith(self.magnitude_prefixes)


def words_of(v: Vocabulary, alias_to_name: dict[str, str]) -> Words:
    return Words(
        money_units=frozenset(v.money_units),
        generic_totals=frozenset(v.list("generic_total")),
        report_totals=frozenset(alias_to_name.get(w, w) for w in v.list("generic_total")),
        flows=v.list("flow"),
        balances=v.list("balance"),
        weak_subjects=frozenset(v.list("weak_subject")),
        amount_heads=v.list("amount_head"),
        change_verbs=v.list("change_cue"),
        saving=v.list("saving"),
        rate_names=(*v.list("rate_up"), *v.list("rate_down")),
        magnitude_prefixes=v.list("magnitude_prefix"),
        zero_base=v.list("zero_base"),
        actual_figure=v.list("actual_figure"),
        score_words=v.list("score_word"),
        relation_before={w: rel for name, rel in _RELATIONS_BEFORE.items() for w in v.list(name)},
        relation_after={w: rel for name, rel in _RELATIONS_AFTER.items() for w in v.list(name)},
    )
