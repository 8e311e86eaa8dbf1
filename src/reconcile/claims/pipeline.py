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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..rules import CompiledRules, RuleError, Rules, load_rules, norm_subject

if TYPE_CHECKING:
    from .spans import SpanPatterns, Token

__all__ = ["SPAN_KEY", "build_pipeline", "compile_patterns", "compiled_rules"]

SPAN_KEY = "claim_cues"


def compiled_rules(directory: str | Path | Rules | None = None) -> CompiledRules:
    """The compiled claim and subject rules of a rules directory (or of loaded rules)."""
    return (directory if isinstance(directory, Rules) else load_rules(directory)).claims


def _han_only(term: str) -> bool:
    return bool(_re.fullmatch(r"[\u4e00-\u9fa5]+", term))


def build_pipeline(directory: str | Path | Rules | None = None) -> Any:
    """The spaCy pipeline, built once per process and rules version."""
    rules = directory if isinstance(directory, Rules) else load_rules(directory)
    return per_version(_PIPELINES, rules, _build_pipeline)


_PIPELINES: dict[str, Any] = {}
_T = TypeVar("_T")


def per_version(built: dict[str, _T], rules: Rules, build: Callable[[Rules], _T], keep: int = 4) -> _T:
    """What ``build`` makes of ``rules``, made once per process and rules version (the ``keep``
    most recent versions are kept)."""
    made = built.get(rules.version)
    if made is None:
        while len(built) >= keep:
            built.pop(next(iter(built)))
        made = built[rules.version] = build(rules)
    return made


MAX_TEXT = 100_000_000  # characters the pipeline accepts


def _build_pipeline(all_rules: Rules) -> Any:
    import spacy
    from spacy.lang.zh import Segmenter

    from .spans import import_jieba

    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    rules = all_rules.claims
    # built with the "char" segmenter so that spaCy does not load jieba's default
    # dictionary (a second second of start-up); the private jieba below is used instead
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    # spaCy refuses texts over 1,000,000 characters for the memory of its parser and NER;
    # this pipeline has neither (a tokenizer and a span ruler, linear in the text)
    nlp.max_length = MAX_TEXT
    terms = _terms(rules)
    tokenizer: Any = nlp.tokenizer
    tokenizer.segmenter = Segmenter.jieba
    tokenizer.jieba_seg = _ProtectingSegmenter(_private_jieba(terms), _protect_re(terms))
    ruler: Any = nlp.add_pipe("span_ruler", config={"spans_key": SPAN_KEY, "validate": True, "overwrite": True})
    try:
        ruler.add_patterns(_ruler_patterns(rules))
    except (ValueError, KeyError) as exc:
        raise RuleError(f"{all_rules.directory / 'claims.yaml'}: token_patterns: {exc}") from None
    return nlp


def _terms(rules: CompiledRules) -> list[str]:
    """The subject names and aliases and the lexicon: the words the segmenter keeps whole."""
    terms: list[str] = []
    for s in rules.subjects.subjects:
        terms.extend((s.name, *s.aliases))
    terms.extend(rules.claims.lexicon)
    return terms


def _private_jieba(terms: list[str]) -> Any:
    """A private jieba dictionary with the Han terms, so that other users of jieba are not affected."""
    from .spans import import_jieba

    jieba = import_jieba()
    seg = jieba.Tokenizer()
    seg.initialize()
    added = sorted({t for t in terms if _han_only(t)})
    # the default dictionary's entries that the words change (None: absent), so that the
    # dictionary shards of :mod:`.spans` can be cut from this one instead of loading it again
    seg.default_entries = {t[:i]: seg.FREQ.get(t[:i]) for t in added for i in range(1, len(t) + 1)}
    for t in added:
        seg.add_word(t, freq=max(seg.suggest_freq(t, False), 50_000))
    return seg


def _protect_re(terms: list[str]) -> _re.Pattern[str]:
    """The terms that are not all Han (and grouped or decimal numbers): never split."""
    protect = sorted(  # longest first; terms of one length cannot both match at one place, so sorted for one pattern
        {t for t in terms if not _han_only(t)} | {norm_subject(t) for t in terms if not _han_only(t)},
        key=lambda t: (-len(t), t),
    )
    return _re.compile(
        "|".join([*(_re.escape(t) for t in protect if t), r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?", r"\d+\.\d+%?"])
    )


def compile_patterns(all_rules: Rules) -> SpanPatterns:
    """The span ruler's patterns as plain data for :mod:`.spans`, compiled with the spaCy
    pipeline (which validates them): phrase patterns as the pipeline's tokens, token patterns
    of the supported shape as token specs (``tokens`` None when one is of another shape),
    the label and id hashes that order spaCy's spans, and the jieba words the terms add."""
    from .spans import SpanPatterns

    nlp = build_pipeline(all_rules)
    rules = all_rules.claims
    terms = _terms(rules)
    freq = nlp.tokenizer.jieba_seg.seg.FREQ
    overlay = {t[:i]: freq[t[:i]] for t in set(terms) if _han_only(t) for i in range(1, len(t) + 1)}
    index: dict[tuple[str, str], int] = {}
    phrases: dict[tuple[str, ...], list[int]] = {}
    tokens: list[tuple[int, tuple[Token, ...]]] | None = []
    for p in _ruler_patterns(rules):
        key = (str(p["label"]), str(p.get("id", "")))
        k = index.setdefault(key, len(index))
        if isinstance(p["pattern"], str):
            words = tuple(t.text for t in nlp.make_doc(p["pattern"]))
            if words and k not in phrases.setdefault(words, []):
                phrases[words].append(k)
            continue
        specs = _token_specs(p["pattern"])
        if specs is None or tokens is None:
            tokens = None
        else:
            tokens.append((k, specs))
    strings = nlp.vocab.strings
    return SpanPatterns(
        terms=tuple(terms),
        overlay=overlay,
        total=int(nlp.tokenizer.jieba_seg.seg.total),
        keys=tuple((label, rid, int(strings.add(label)), int(strings.add(rid))) for label, rid in index),
        phrases={words: tuple(ks) for words, ks in phrases.items()},
        prefixes=frozenset(words[:i] for words in phrases for i in range(1, len(words))),
        tokens=None if tokens is None else tuple(tokens),
    )


def _token_specs(pattern: list[dict[str, Any]]) -> tuple[Token, ...] | None:
    """A token pattern as (texts, optional) per token, when it has the one shape :mod:`.spans`
    matches as spaCy does: each token's ORTH (or TEXT) a string or IN a list, and ``OP: '?'``
    only between two required tokens, on texts the next token cannot have."""
    specs: list[Token] = []
    for token in pattern:
        if not set(token) <= {"ORTH", "TEXT", "OP"} or len(set(token) & {"ORTH", "TEXT"}) != 1:
            return None
        value = token.get("ORTH", token.get("TEXT"))
        if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            texts = frozenset(value["IN"])
        elif isinstance(value, str):
            texts = frozenset([value])
        else:
            return None
        if token.get("OP", "1") not in ("1", "?"):
            return None
        specs.append((texts, token.get("OP") == "?"))
    for i, (texts, optional) in enumerate(specs):
        if optional and (i in (0, len(specs) - 1) or specs[i + 1][1] or texts & specs[i + 1][0]):
            return None
    return tuple(specs) if specs else None


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
