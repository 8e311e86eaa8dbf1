"""The spaCy pipeline that marks known subjects and qualitative statements.

``spacy.blank("zh")`` with a private jieba whose user dictionary holds the subject
names of ``rules/subjects.yaml`` and the lexicon of ``rules/claims.yaml``, a
protecting segmenter that keeps quoted or bracketed terms and grouped numbers as one
token, and a SpanRuler whose patterns are the subject aliases and the token
patterns of ``rules/claims.yaml``.
"""

from __future__ import annotations

import logging
import re as _re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..rules import CompiledRules, RuleError, Rules, load_rules, norm_subject

__all__ = ["SPAN_KEY", "build_pipeline", "compiled_rules"]

SPAN_KEY = "claim_cues"


def compiled_rules(directory: str | Path | Rules | None = None) -> CompiledRules:
    """The compiled claim and subject rules of a rules directory (or of loaded rules)."""
    return (directory if isinstance(directory, Rules) else load_rules(directory)).claims


def _han_only(term: str) -> bool:
    return bool(_re.fullmatch(r"[\u4e00-\u9fa5]+", term))


def build_pipeline(directory: str | Path | Rules | None = None) -> Any:
    """The spaCy pipeline, built once per process and rules version."""
    rules = directory if isinstance(directory, Rules) else load_rules(directory)
    nlp = _PIPELINES.get(rules.version)
    if nlp is None:
        while len(_PIPELINES) >= 4:
            _PIPELINES.pop(next(iter(_PIPELINES)))
        nlp = _PIPELINES[rules.version] = _build_pipeline(rules)
    return nlp


_PIPELINES: dict[str, Any] = {}
MAX_TEXT = 100_000_000  # characters the pipeline accepts


def _build_pipeline(all_rules: Rules) -> Any:
    import jieba
    import spacy
    from spacy.lang.zh import Segmenter

    jieba.setLogLevel(logging.WARNING)
    rules = all_rules.claims
    # built with the "char" segmenter so that spaCy does not load jieba's default
    # dictionary (a second second of start-up); the private jieba below is used instead
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    # spaCy refuses texts over 1,000,000 characters for the memory of its parser and NER;
    # this pipeline has neither (a tokenizer and a span ruler, linear in the text)
    nlp.max_length = MAX_TEXT
    terms: list[str] = []
    for s in rules.subjects.subjects:
        terms.extend((s.name, *s.aliases))
    terms.extend(rules.claims.lexicon)
    tokenizer: Any = nlp.tokenizer
    tokenizer.segmenter = Segmenter.jieba
    tokenizer.jieba_seg = _ProtectingSegmenter(_private_jieba(terms), _protect_re(terms))
    ruler: Any = nlp.add_pipe("span_ruler", config={"spans_key": SPAN_KEY, "validate": True, "overwrite": True})
    try:
        ruler.add_patterns(_ruler_patterns(rules))
    except (ValueError, KeyError) as exc:
        raise RuleError(f"{all_rules.directory / 'claims.yaml'}: token_patterns: {exc}") from None
    return nlp


def _private_jieba(terms: list[str]) -> Any:
    """A private jieba dictionary with the Han terms, so that other users of jieba are not affected."""
    import jieba

    seg = jieba.Tokenizer()
    seg.initialize()
    for t in sorted(set(terms)):
        if _han_only(t):
            seg.add_word(t, freq=max(seg.suggest_freq(t, False), 50_000))
    return seg


def _protect_re(terms: list[str]) -> _re.Pattern[str]:
    """The terms that are not all Han (and grouped or decimal numbers): never split."""
    protect = sorted(
        {t for t in terms if not _han_only(t)} | {norm_subject(t) for t in terms if not _han_only(t)},
        key=len,
        reverse=True,
    )
    return _re.compile(
        "|".join([*(_re.escape(t) for t in protect if t), r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?", r"\d+\.\d+%?"])
    )


def _ruler_patterns(rules: CompiledRules) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    for s in rules.subjects.subjects:
        for a in sorted({s.name, *s.aliases, norm_subject(s.name), *(norm_subject(x) for x in s.aliases)}):
            patterns.append({"label": "SUBJECT", "pattern": a, "id": s.name})
    for tp in rules.claims.token_patterns:
        patterns.append({"label": tp.label, "pattern": list(tp.pattern), "id": tp.id})
    return patterns


class _ProtectingSegmenter:
    """jieba, except that protected terms (quoted or bracketed subject names such as
    “三公”经费 and 因公出国（境）费, grouped numbers such as 2,664.70) are never split.

    spaCy's Chinese tokenizer calls ``cut``; phrase patterns go through the same
    tokenizer, so a protected term is one token in patterns and in text alike.
    """

    def __init__(self, seg: Any, protect_re: _re.Pattern[str]) -> None:
        self.seg = seg
        self.protect_re = protect_re

    def cut(self, text: str, cut_all: bool = False) -> Iterable[str]:
        pos = 0
        for m in self.protect_re.finditer(text):
            if m.start() > pos:
                yield from self.seg.cut(text[pos : m.start()], cut_all=cut_all)
            yield m.group(0)
            pos = m.end()
        if pos < len(text):
            yield from self.seg.cut(text[pos:], cut_all=cut_all)
