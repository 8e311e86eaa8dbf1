"""The spans of the claim pipeline, found without spaCy at run time (issue 16: the cold start).

:func:`span_finder` gives what ``build_pipeline(rules)(text).spans[SPAN_KEY]`` gives —
every (start_char, end_char, label, id) of the span ruler, in spaCy's order — without
importing spaCy, which alone costs several times a bare Python start. The patterns are
compiled once with spaCy (which validates them and tokenizes the phrase patterns with the
pipeline's own tokenizer) into plain data, :class:`SpanPatterns`, kept in the disk cache
(:mod:`reconcile.cache`) under the rules version. At run time the text is cut by the same
protecting jieba segmenter and the same words-and-spaces alignment as spaCy's Chinese
tokenizer, and the patterns are matched token by token as the PhraseMatcher and Matcher do.

Token patterns of another shape than the supported one (``ORTH``/``TEXT`` equal to a string
or ``IN`` a list, an optional ``OP: '?'`` only between two required tokens it cannot be
confused with) are matched by spaCy itself: the result is the same, only slower to start.

The jieba dictionary (half a million entries, most of the cold start) is cut into shards
by its words' first two characters and kept in the cache; a text loads only the words
that start with one of its characters or pairs of adjacent characters. Every lookup jieba
makes while cutting a text is a substring of that text, so the words it finds are those of
the whole dictionary.
"""

from __future__ import annotations

import logging
import marshal
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cache
from ..rules import Rules
from .pipeline import MAX_TEXT, SPAN_KEY, _protect_re, _ProtectingSegmenter, per_version

__all__ = ["Span", "SpanFinder", "SpanPatterns", "find_spans", "span_finder", "words_and_starts"]

_LAYOUT = 2  # of the dictionary shards: a shard of another layout is never read
_HERE = Path(__file__).parent
# the code that builds the cached entries, read when it is imported (a key never names newer code)
_CODE = cache.source_digest([_HERE / "spans.py", _HERE / "pipeline.py", Path(cache.__file__)])

Span = tuple[int, int, str, str]  # start_char, end_char, label, id
Token = tuple[frozenset[str], bool]  # the texts a token may have, optional


@dataclass(frozen=True)
class SpanPatterns:
    """The span ruler's patterns as plain data (what the disk cache keeps)."""

    terms: tuple[str, ...]  # the protected terms of the segmenter
    overlay: dict[str, int]  # the jieba entries the user words add or change
    total: int  # jieba's total frequency with the user words
    keys: tuple[tuple[str, str, int, int], ...]  # label, id, and spaCy's hashes of both (its sort order)
    phrases: dict[tuple[str, ...], tuple[int, ...]]  # token texts → keys
    prefixes: frozenset[tuple[str, ...]]  # every proper prefix of a phrase
    tokens: tuple[tuple[int, tuple[Token, ...]], ...] | None  # key, token specs; None: match with spaCy


def import_jieba() -> Any:
    """jieba, without the pkg_resources import its _compat makes (most of jieba's import time;
    without it jieba opens its dictionary by path, the same file)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _dictionary_key(jieba: Any) -> str:
    path = Path(jieba.__file__).parent / "dict.txt"
    try:
        st = path.stat()
        where = f"{path} {st.st_size} {st.st_mtime_ns}"
    except OSError:
        where = f"{path} missing"
    return cache.cache_key("jieba", jieba.__version__, where, str(_LAYOUT), _CODE)


class Shards(Mapping[str, bytes]):
    """jieba's dictionary shards (see :func:`dictionary_shards`): an index of where each one
    lies in one buffer, the cache file mapped into memory, so only the shards a text needs
    are read from it."""

    def __init__(self, index: dict[str, tuple[int, int]], buffer: bytes | memoryview) -> None:
        self.index, self.buffer = index, buffer

    def __getitem__(self, first: str) -> bytes:
        at, size = self.index[first]
        return bytes(self.buffer[at : at + size])

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)


def dictionary_shards(jieba: Any, built: Any = None) -> Shards:
    """jieba's default dictionary as marshalled shards (``""`` → their layout), one per first
    character: its own frequency (or None), the second characters of its longer words, where
    each one's words start in the blob (an array of offsets) and the blob of their marshalled
    dicts. A shard loads as four objects; only the words of the pairs a text has are unpacked."""
    key = _dictionary_key(jieba)
    stored = cache.load_blob("jieba", key)
    if stored is not None and isinstance(stored[0], dict):
        shards = Shards(*stored)
        if shards.get("") == marshal.dumps((_LAYOUT, "shards")):
            return shards
    index: dict[str, tuple[int, int]] = {}
    blob = bytearray()
    for first, shard in _cut_shards(jieba, built).items():
        index[first] = (len(blob), len(shard))
        blob += shard
    cache.store_blob("jieba", key, index, bytes(blob))
    return Shards(index, bytes(blob))


def _cut_shards(jieba: Any, built: Any) -> dict[str, bytes]:
    """The shards of :func:`dictionary_shards`, cut from the dictionary's entries."""
    singles: dict[str, int] = {}
    longer: dict[str, dict[str, dict[str, int]]] = {}
    for word, freq in _default_entries(jieba, built):
        if len(word) == 1:
            singles[word] = freq
        else:
            longer.setdefault(word[0], {}).setdefault(word[1], {})[word] = freq
    shards = {}
    for c in singles.keys() | longer.keys():
        seconds = "".join(sorted(longer.get(c, {})))
        parts = [marshal.dumps(dict(sorted(longer[c][second].items()))) for second in seconds]  # canonical
        offsets = array("I", [0])
        for part in parts:
            offsets.append(offsets[-1] + len(part))
        shards[c] = marshal.dumps((singles.get(c), seconds, offsets.tobytes(), b"".join(parts)))
    shards[""] = marshal.dumps((_LAYOUT, "shards"))
    return shards


def _default_entries(jieba: Any, built: Any) -> Iterator[tuple[str, int]]:
    """The entries of jieba's default dictionary: those of ``built`` (the pipeline's private
    jieba, loaded already) with the ones its user words changed put back, or a fresh load."""
    changed = getattr(built, "default_entries", None)
    if built is None or changed is None:
        seg = jieba.Tokenizer()
        seg.initialize()
        yield from seg.FREQ.items()
        return
    for word, freq in built.FREQ.items():
        if word not in changed:
            yield word, freq
    for word, default in changed.items():
        if default is not None:
            yield word, default


class _LazyDictionary:
    """Fills a jieba Tokenizer's FREQ, before each text is cut, with the words jieba may look up
    in it: every lookup is a substring of the text, so the entry of each of its characters and
    the words that start with each of its pairs of adjacent characters."""

    def __init__(self, seg: Any, shards: Mapping[str, bytes], overlay: dict[str, int]) -> None:
        self.seg = seg
        self.shards = shards
        self.overlay: dict[str, dict[str, int]] = {}  # the user words by their first one or two characters
        for word, freq in overlay.items():
            self.overlay.setdefault(word[:2], {})[word] = freq
        self.longer: dict[str, tuple[str, array[int], bytes]] = {}  # first character → its longer words
        self.loaded: set[str] = set()  # characters and pairs

    def cut(self, text: str, cut_all: bool = False) -> Iterator[str]:
        wanted = set(text)
        wanted.update(text[i : i + 2] for i in range(len(text) - 1))
        new = wanted - self.loaded
        if new:
            for part in sorted(new, key=len):  # characters before the pairs that start with them
                self._load(part)
            self.loaded |= new
        return self.seg.cut(text, cut_all=cut_all)  # type: ignore[no-any-return]

    def _load(self, part: str) -> None:
        freq = self.seg.FREQ
        if len(part) == 1:
            shard = self.shards.get(part)
            if shard is not None:
                single, seconds, offsets, blob = marshal.loads(shard)
                self.longer[part] = (seconds, array("I", offsets), blob)
                if single is not None:
                    freq[part] = single
        elif part[0] in self.longer:
            seconds, offsets, blob = self.longer[part[0]]
            i = seconds.find(part[1])
            if i >= 0:
                freq.update(marshal.loads(blob[offsets[i] : offsets[i + 1]]))
        freq.update(self.overlay.get(part, ()))


def words_and_starts(words: Iterable[str], text: str) -> tuple[list[str], list[int]]:
    """The tokens of a text cut into ``words`` and where each starts: spaCy's
    ``util.get_words_and_spaces`` (whitespace words dropped, the text between words a token,
    one space after a word its trailing space), giving offsets instead of space flags."""
    tokens: list[str] = []
    starts: list[int] = []
    pos = 0
    for word in words:
        if not word or word.isspace():
            continue
        at = text.find(word, pos)
        if at < 0:
            raise ValueError(f"the words of the segmenter are not those of the text at {pos}")
        if at > pos:
            tokens.append(text[pos:at])
            starts.append(pos)
        tokens.append(word)
        starts.append(at)
        pos = at + len(word)
        if pos < len(text) and text[pos] == " ":
            pos += 1
    if pos < len(text):
        tokens.append(text[pos:])
        starts.append(pos)
    return tokens, starts


@dataclass
class SpanFinder:
    """The spans of a text (see the module docstring); ``nlp`` is the spaCy pipeline when the
    token patterns need spaCy."""

    patterns: SpanPatterns
    segmenter: Any
    nlp: Any = None

    def __call__(self, text: str) -> list[Span]:
        if self.nlp is not None:
            doc = self.nlp(text)  # kept: its spans need it
            return [(sp.start_char, sp.end_char, sp.label_, sp.id_) for sp in doc.spans[SPAN_KEY]]
        if len(text) > MAX_TEXT:
            raise ValueError(f"text of {len(text)} characters is longer than the pipeline's {MAX_TEXT}")
        tokens, starts = words_and_starts(self.segmenter.cut(text), text)
        found = self._phrases(tokens) | self._tokens(tokens)
        keys = self.patterns.keys
        ends = [s + len(t) for s, t in zip(starts, tokens, strict=True)]
        # spaCy's order of spans: start and end character, then the hashes of label and id
        ordered = sorted({(starts[i], ends[j - 1], keys[k][2], keys[k][3], k) for i, j, k in found})
        return [(s, e, keys[k][0], keys[k][1]) for s, e, _, _, k in ordered]

    def _phrases(self, tokens: list[str]) -> set[tuple[int, int, int]]:
        phrases, prefixes = self.patterns.phrases, self.patterns.prefixes
        found: set[tuple[int, int, int]] = set()
        n = len(tokens)
        for i in range(n):
            j = i
            while j < n:
                seq = tuple(tokens[i : j + 1])
                for k in phrases.get(seq, ()):
                    found.add((i, j + 1, k))
                if seq not in prefixes:
                    break
                j += 1
        return found

    def _tokens(self, tokens: list[str]) -> set[tuple[int, int, int]]:
        found: set[tuple[int, int, int]] = set()
        for k, specs in self.patterns.tokens or ():
            for i in range(len(tokens)):
                j = i
                for texts, optional in specs:
                    if j < len(tokens) and tokens[j] in texts:
                        j += 1
                    elif not optional:
                        break
                else:
                    if j > i:
                        found.add((i, j, k))
        return found


_FINDERS: dict[str, SpanFinder] = {}


def span_finder(rules: Rules) -> SpanFinder:
    """The span finder of the rules, built once per process (and once per machine: the disk cache)."""
    return per_version(_FINDERS, rules, _make_finder)


def find_spans(text: str, rules: Rules) -> list[Span]:
    """Every span of the span ruler in ``text``."""
    return span_finder(rules)(text)


def _make_finder(rules: Rules) -> SpanFinder:
    from .pipeline import build_pipeline, compile_patterns

    jieba = import_jieba()
    key = _patterns_key(rules, jieba)
    patterns = cache.load("spans", key)
    built = None
    if not isinstance(patterns, SpanPatterns):
        patterns = compile_patterns(rules)  # with spaCy: validated as the pipeline validates them
        cache.store("spans", key, patterns)
        built = build_pipeline(rules).tokenizer.jieba_seg.seg  # made by compile_patterns
    if patterns.tokens is None:  # patterns of a shape only spaCy matches
        return SpanFinder(patterns, None, build_pipeline(rules))
    shards = dictionary_shards(jieba, built)
    seg = jieba.Tokenizer()
    seg.FREQ, seg.total, seg.initialized = {}, patterns.total, True
    lazy = _LazyDictionary(seg, shards, patterns.overlay)
    return SpanFinder(patterns, _ProtectingSegmenter(lazy, _protect_re(list(patterns.terms))))


def _patterns_key(rules: Rules, jieba: Any) -> str:
    spacy = cache.library_stamp("spacy")
    dictionary = _dictionary_key(jieba)  # the user words' frequencies are suggested from it
    return cache.cache_key("spans", rules.version, str(rules.directory), dictionary, spacy, _CODE)
