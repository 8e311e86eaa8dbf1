"""The vocabulary (vocabulary.yaml): cue words defined once for every stage.

Word lists (change verbs, bases, figure words, total and list markers, 持平 words …),
money units with their factor to 万元, and the opposite of each direction word.
claims.yaml uses each list as the regex fragment ``{V_NAME}`` (NAME upper-cased);
the claim checks and the mutation benchmark read the same lists through
:class:`Vocabulary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Literal

from .base import After, Limits, Strict

__all__ = ["Vocabulary"]


def _names(v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    for name, words in v.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ValueError(f"word list name {name!r} must be lower_case")
        if not words or any(not w for w in words):
            raise ValueError(f"word list {name!r}: empty word or empty list")
    return v


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary(Strict):
    schema_version: Literal[1]
    kind: Literal["vocabulary"]
    words: Annotated[dict[str, tuple[str, ...]], After(_names)]
    # unit → how many 万元 one of it is
    money_units: Annotated[dict[str, Decimal], Limits(min_length=1)]
    # direction word → its opposite (a change stated the other way round)
    opposites: dict[str, str] = field(default_factory=dict)
    # a figure of basic expenditure → the economic classes (类 codes) it is the sum of
    economic_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # list name → +1 (an increase) or -1 (a decrease), for the words of that list
    directions: dict[str, Literal[1, -1]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Each list with a direction is a word list."""
        for name in self.directions:
            if name not in self.words:
                raise ValueError(f"directions: {name!r} is not a word list")

    def list(self, name: str) -> tuple[str, ...]:
        try:
            return self.words[name]
        except KeyError:
            raise KeyError(f"vocabulary.yaml has no word list {name!r}") from None

    def alternation(self, *names: str) -> str:
        """The words of the lists, in order, as one regex alternation (no group)."""
        return "|".join(re.escape(w) for n in names for w in self.list(n))

    def regex(self, *names: str) -> re.Pattern[str]:
        return re.compile(self.alternation(*names))

    def fragments(self) -> dict[str, str]:
        """Every word list as a claims.yaml fragment ``V_NAME``."""
        return {f"V_{name.upper()}": self.alternation(name) for name in self.words}

    def direction(self, word: str) -> int:
        """+1 or -1 for a word of a list with a direction, 0 for any other word."""
        for name, sign in self.directions.items():
            if word in self.words[name]:
                return sign
        return 0

    def money_factor(self, unit: str | None) -> Decimal | None:
        """万元 per one ``unit`` (None for a unit that is not money)."""
        return self.money_units.get(unit) if unit else None
