"""Claims: every checkable number statement of the narrative.

Pipeline (one pass over the narrative, document order):

1. :func:`narrative_view` joins the body text of the narrative sections into one
   string: line breaks inside a paragraph and spaces inside numbers and units are
   removed (``"611.9\\n8"`` → ``"611.98"``, ``"增长 21.95 %"`` → ``"增长21.95%"``);
   every character keeps its offset in ``doc.text``.
2. A spaCy pipeline (``spacy.blank("zh")`` + jieba with a user dictionary built
   from ``rules/subjects.yaml``, a protecting segmenter that keeps quoted or
   bracketed terms and grouped numbers as one token, and a SpanRuler whose
   patterns are the subject aliases and the token patterns of
   ``rules/claims.yaml``) marks known subjects and qualitative statements.
3. Regexes composed from the named fragments of ``rules/claims.yaml`` find every
   number with its unit, the numbers that are not quantities (years, dates,
   ordinals…), and the cue before each number (比上年…增加, 占…的, 完成预算…的…).
4. A small state machine over sentences builds :class:`Claim` objects and links
   them: a change, rate, share or completion to the amount it qualifies (its
   *head*), a rate to its change, a completion to its budget amount, the items of
   a "其中：" list to their total.

:func:`claim_coverage` says which numbers of the narrative ended up in a claim and
why the others did not.
"""

from __future__ import annotations

import bisect
import logging
import re as _re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import regex as re

from .document import Document
from .numbers import NumberError, parse_chinese_numeral, parse_number
from .rules import (
    ClaimRules,
    CompiledRules,
    RuleError,
    Rules,
    SubjectRules,
    UnclaimedRule,
    load_rules,
    norm_subject,
)
from .sections import Section, narrative_segments, split_sections

__all__ = [
    "Claim",
    "ClaimRules",
    "Coverage",
    "NumberUse",
    "Quantity",
    "SubjectRules",
    "View",
    "build_pipeline",
    "claim_coverage",
    "claims_json",
    "compiled_rules",
    "extract_claims",
    "narrative_view",
]

Quantity = Literal["amount", "change", "rate", "share", "completion", "sum", "difference", "count", "score", "other"]
Relation = Literal["equal", "greater", "less", ">=", "<=", ">", "<", "approx"]

log = logging.getLogger(__name__)

# ============================================================================ rules


def compiled_rules(directory: str | Path | Rules | None = None) -> CompiledRules:
    """The compiled claim and subject rules of a rules directory (or of loaded rules)."""
    return (directory if isinstance(directory, Rules) else load_rules(directory)).claims


def _norm(text: str) -> str:
    return norm_subject(text)


# ============================================================================ spaCy pipeline

SPAN_KEY = "claim_cues"


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


def _build_pipeline(all_rules: Rules) -> Any:
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    rules = all_rules.claims
    from spacy.lang.zh import Segmenter

    # built with the "char" segmenter so that spaCy does not load jieba's default
    # dictionary (a second second of start-up); the private jieba below is used instead
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    # a private jieba dictionary, so that other users of jieba are not affected
    seg = jieba.Tokenizer()
    seg.initialize()
    terms: list[str] = []
    for s in rules.subjects.subjects:
        terms.extend((s.name, *s.aliases))
    terms.extend(rules.claims.lexicon)
    for t in sorted(set(terms)):
        if _han_only(t):
            seg.add_word(t, freq=max(seg.suggest_freq(t, False), 50_000))

    protect = sorted(
        {t for t in terms if not _han_only(t)} | {_norm(t) for t in terms if not _han_only(t)}, key=len, reverse=True
    )
    protect_re = _re.compile(
        "|".join([*(_re.escape(t) for t in protect if t), r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?", r"\d+\.\d+%?"])
    )
    tokenizer: Any = nlp.tokenizer
    tokenizer.segmenter = Segmenter.jieba
    tokenizer.jieba_seg = _ProtectingSegmenter(seg, protect_re)
    ruler: Any = nlp.add_pipe("span_ruler", config={"spans_key": SPAN_KEY, "validate": True, "overwrite": True})
    patterns: list[dict[str, Any]] = []
    for s in rules.subjects.subjects:
        for a in sorted({s.name, *s.aliases, _norm(s.name), *(_norm(x) for x in s.aliases)}):
            patterns.append({"label": "SUBJECT", "pattern": a, "id": s.name})
    for tp in rules.claims.token_patterns:
        patterns.append({"label": tp.label, "pattern": list(tp.pattern), "id": tp.id})
    try:
        ruler.add_patterns(patterns)
    except (ValueError, KeyError) as exc:
        raise RuleError(f"{all_rules.directory / 'claims.yaml'}: token_patterns: {exc}") from None
    return nlp


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


# ============================================================================ the joined view


@dataclass(slots=True)
class View:
    """The narrative as one string, each character mapped to its offset in doc.text."""

    text: str
    offs: list[int]
    segments: list[tuple[int, int, str]]  # joined [start, end) → section id
    _seg_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._seg_starts = [s for s, _, _ in self.segments]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Document span of the joined range [start, end)."""
        if end <= start:
            o = self.offs[start] if start < len(self.offs) else (self.offs[-1] + 1 if self.offs else 0)
            return (o, o)
        return (self.offs[start], self.offs[end - 1] + 1)

    def section_at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._seg_starts, pos) - 1
        if i < 0:
            return None
        return self.segments[i][2]


_ORDINAL_START = _re.compile(
    r"(?:\d{1,2}(?:[、．]|\.(?!\d)|\.(?=(?:19|20)\d\d年))|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|[一二三四五六七八九十]{1,3}、|[①-⑳]|\*\*\d+\*\*[、.．])"
)
_SENT_END = "。！？!?"


def narrative_view(
    doc: Document, sections: Sequence[Section], tables_spans: list[tuple[int, int]] | None = None
) -> View:
    """Join the narrative body text (see the module docstring)."""
    folded = doc.folded
    chars: list[str] = []
    offs: list[int] = []
    segs: list[tuple[int, int, str]] = []
    for s, e, sid in narrative_segments(doc, sections, tables_spans):
        if chars and chars[-1] != "\n":
            chars.append("\n")
            offs.append(s)
        seg_start = len(chars)
        folded = _blank_page_numbers(doc.folded, s, e)
        i = s
        while i < e:
            ch = folded[i]
            if ch.isspace():
                j = i
                while j < e and folded[j].isspace():
                    j += 1
                prev = chars[-1] if len(chars) > seg_start else "\n"
                nxt = folded[j] if j < e else "\n"
                if "\n" in folded[i:j]:
                    if prev != "\n" and (prev in _SENT_END or _ORDINAL_START.match(folded, j)):
                        chars.append("\n")
                        offs.append(i)
                elif (
                    prev.isascii()
                    and prev.isalnum()
                    and nxt.isascii()
                    and nxt.isalnum()
                    and not (prev.isdigit() and nxt.isdigit() and _split_number(folded, i, j))
                ):
                    chars.append(" ")
                    offs.append(i)
                i = j
                continue
            if ch == "*" and i + 1 < e and folded[i + 1] == "*":
                i += 2
                continue
            if ch == "<":
                m = _re.match(r"</?[a-zA-Z][^>]{0,30}>", folded[i:e])
                if m:
                    i += m.end()
                    continue
            chars.append(ch)
            offs.append(i)
            i += 1
        segs.append((seg_start, len(chars), sid))
    return View("".join(chars), offs, segs)


# a page number alone on its line in layout text, indented far (centred): “                24”
_PAGE_NUMBER_LINE = _re.compile(r"(?m)^[ \t\u3000]{8,}(?P<num>[-—－]?[ \t]*\d{1,3}[ \t]*[-—－]?)[ \t\u3000]*$")


def _blank_page_numbers(folded: str, s: int, e: int) -> str:
    """``folded`` with the page numbers standing alone on their lines within [s, e) blanked, so
    that “增加 40⏎⏎      24⏎万元” reads 40, not 4024 (same length: offsets keep)."""
    out = None
    for m in _PAGE_NUMBER_LINE.finditer(folded, s, e):
        out = out if out is not None else list(folded)
        for k in range(m.start("num"), m.end("num")):
            out[k] = " "
    return "".join(out) if out is not None else folded


def _split_number(folded: str, i: int, j: int) -> bool:
    """Digits on both sides of an in-line space: join only "2,664. 70"-like splits."""
    left = folded[max(0, i - 12) : i]
    return bool(_re.search(r"\d[.,]\d*$", left))


# ============================================================================ the claim


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable statement of the narrative.

    ``text == doc.text[span[0]:span[1]]``. ``value``/``decimals`` are the number as
    printed (None for "--" markers and qualitative claims). Links point to other
    claims by id: ``head`` is the amount a change/rate/share/completion/relation
    qualifies; ``change`` the change a rate derives from; ``budget`` the budget
    amount of a completion; ``whole`` the total of a share; ``total`` the total a
    "其中" item belongs to and ``components`` the items of a total (or of a sum);
    ``operands`` the amounts a difference (节约, 结余) is computed from.
    """

    id: str
    text: str
    span: tuple[int, int]
    line: int
    page: int | None
    section: str | None
    section_heading: str | None
    scope: tuple[str, ...]
    quantity: Quantity
    value: Decimal | None
    decimals: int | None
    unit: str | None
    subject: str | None
    subject_raw: str | None
    base: str | None = None
    figure: str | None = None
    direction: int | None = None
    marker: str | None = None
    relation: str | None = None
    head: str | None = None
    change: str | None = None
    budget: str | None = None
    whole: str | None = None
    whole_subject: str | None = None
    total: str | None = None
    total_subject: str | None = None
    components: tuple[str, ...] = ()
    operands: tuple[str, ...] = ()
    classification: tuple[str, ...] = ()
    number_span: tuple[int, int] | None = None
    flags: tuple[str, ...] = ()
    rule: str = ""

    @property
    def known_subject(self) -> bool:
        return self.subject is not None and self.subject != self.subject_raw

    def to_json(self) -> dict[str, Any]:
        """The claim as in the report schema (plus extra fields)."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "span": list(self.span),
            "line": self.line,
            "page": self.page,
            "section": self.section_heading,
            "section_id": self.section,
            "subject": self.subject,
            "subject_raw": self.subject_raw,
            "quantity": self.quantity,
            "value": float(self.value) if self.value is not None else None,
            "decimals": self.decimals,
            "unit": self.unit,
        }
        for k in (
            "base",
            "figure",
            "direction",
            "marker",
            "relation",
            "head",
            "change",
            "budget",
            "whole",
            "whole_subject",
            "total",
            "total_subject",
            "rule",
        ):
            v = getattr(self, k)
            if v not in (None, ""):
                out[k] = v
        for k in ("components", "operands", "classification", "flags", "scope"):
            v = getattr(self, k)
            if v:
                out[k] = list(v)
        if self.number_span is not None:
            out["number_span"] = list(self.number_span)
        return out


# ============================================================================ coverage


@dataclass(frozen=True, slots=True)
class NumberUse:
    """One number of the narrative and what became of it."""

    span: tuple[int, int]
    text: str
    claims: tuple[str, ...]
    reason: str | None  # why it is not in a claim
    excluded: bool  # left out of the coverage denominator (years, dates, ordinals…)
    section: str | None


@dataclass(frozen=True, slots=True)
class Coverage:
    numbers: tuple[NumberUse, ...]

    @property
    def found(self) -> int:
        return len(self.numbers)

    @property
    def excluded(self) -> int:
        return sum(1 for n in self.numbers if n.excluded)

    @property
    def claimed(self) -> int:
        return sum(1 for n in self.numbers if n.claims)

    @property
    def countable(self) -> int:
        return self.found - self.excluded

    @property
    def ratio(self) -> float:
        return self.claimed / self.countable if self.countable else 1.0

    @property
    def unclaimed(self) -> tuple[NumberUse, ...]:
        return tuple(n for n in self.numbers if not n.claims)

    def reasons(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in self.unclaimed:
            key = n.reason or "unknown"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


# ============================================================================ extraction internals


@dataclass(slots=True)
class _Atom:
    start: int  # joined offsets, number (or marker) and unit
    end: int
    num_end: int
    value: Decimal | None
    decimals: int | None
    unit: str | None
    marker: str | None
    flags: list[str]
    reason: str | None = None  # unclaimed reason (not a quantity)
    excluded: bool = False
    claims: list[str] = field(default_factory=list)
    consumed: bool = False  # read as part of another claim (基数为0)


@dataclass(slots=True)
class _Draft:
    id: str
    start: int
    end: int
    quantity: Quantity
    value: Decimal | None
    decimals: int | None
    unit: str | None
    subject: str | None
    subject_raw: str | None
    section: str | None
    rule: str
    base: str | None = None
    figure: str | None = None
    direction: int | None = None
    marker: str | None = None
    relation: str | None = None
    head: str | None = None
    change: str | None = None
    budget: str | None = None
    whole: str | None = None
    whole_subject: str | None = None
    total: str | None = None
    total_subject: str | None = None
    components: list[str] = field(default_factory=list)
    operands: tuple[str, ...] = ()
    classification: tuple[str, ...] = ()
    number: tuple[int, int] | None = None
    flags: list[str] = field(default_factory=list)
    primary: bool = False


@dataclass(slots=True)
class _ListEntry:
    subject: str | None
    by_figure: dict[str, _Draft]
    scope: str  # "sentence" | "block"
    depth: int


_MONEY_UNITS = ("万元", "亿元", "千元", "元")
_DELIMS = "，,；;。：:（）()\n！？!?"
_THIS_YEAR_RE = _re.compile(r"(?:本年度?|今年|当年)(?:预算|决算)?数?")
_CLAUSE_DELIMS = "，,；;。：:\n！？!?"
# Names of a whole report's totals that, preceded by other words ("其他资金收入预算",
# "财政拨款基本支出预算"), name a part instead.
_GENERIC_TOTALS = {"收入预算", "支出预算", "收入合计", "支出合计", "本年收入", "本年支出", "收入总计", "支出总计"}

_WEAK_SUBJECTS = {
    "项目",
    "该项目",
    "本项目",
    "单位",
    "本单位",
    "部门",
    "本部门",
    "我单位",
    "我部门",
    "我局",
    "本局",
    "资金",
    "经费",
    "该笔经费",
    "该项经费",
    "该项目经费",
    "项目经费",
    "其中",
    "共",
    "合计",
    "总计",
    "全年",
    "年度",
    "本年",
    "本年度",
    "指标",
    "年度指标",
    "同比",
    "安排",
    "实际使用",
    "实际支出",
    "支出",
    "收入",
}
_LEAD_RE = _re.compile(
    r"^(?:[-—、，,；;：:.．\s]|其中|另外|此外|主要包括|主要用于|分别为|具体情况如下|截至[^，,]{0,20}?[，,]?|"
    r"截止[^，,]{0,20}?[，,]?|(?:19|20)\d\d\s*年度?|\d{2}年|\d{1,2}[—\-~～至]\d{1,2}月|\d{1,2}月(?:\d{1,2}日)?|年度|本年度|全年|当年|"
    r"[（(]?\d{1,2}[)）.．、]|"
    r"本部门|本单位|我单位|我部门|我局|本局|[^，,；;。]{2,30}?(?:局|中心|委员会|常委会|办公室|办公厅|办事处|厅|办|院|所|站|队|委|署|馆|校|社)(?:（本级）)?(?=\d|本|全|年|[“\"]))+"
)
_TRAIL_RE = _re.compile(r"(?:各|均|分别|都|共|为|是|达到?|计|合计|共计|总计|了|约|近)+$")
_FIGURE_RE = _re.compile(
    r"(年初预算|全年预算|调整后?预算|上年决算|上年预算|预算|决算|执行数|实际使用|实际支出|实际执行|年度指标|到位)"
)
_SEG = r"(?:[^，,；;。：:\n（）()]|（[^（）类款项\n]{1,3}）)"
_PATH_RE = _re.compile(rf"(?P<path>(?:{_SEG}{{1,30}}（类）)?(?:{_SEG}{{1,30}}（款）)?{_SEG}{{1,30}}（项）)")
_SUBJECT_SUFFIX_FIGURE = _re.compile(
    r"(?:支出|收入)?(?:决算数?|预算数?|年初预算数?|全年预算数?|调整预算数?|执行数|实际执行数|实际使用|实际支出|年度指标)?$"
)


class _Extractor:
    def __init__(self, doc: Document, sections: Sequence[Section], view: View, rules: CompiledRules, nlp: Any) -> None:
        self.doc = doc
        self.view = view
        self.t = view.text
        self.rules = rules
        self.sections = {s.id: s for s in sections}
        self.drafts: list[_Draft] = []
        self.last_known: tuple[int, int] | None = None
        self.by_id: dict[str, _Draft] = {}
        self.n = 0
        sdoc = nlp(self.t) if self.t else None
        self.subj_spans: list[tuple[int, int, str]] = []
        self.rel_spans: list[tuple[int, int, str, str]] = []
        if sdoc is not None:
            for sp in sdoc.spans[SPAN_KEY]:
                if sp.label_ == "SUBJECT":
                    self.subj_spans.append((sp.start_char, sp.end_char, sp.id_))
                else:
                    self.rel_spans.append((sp.start_char, sp.end_char, sp.label_, sp.id_))
        self.subj_spans.sort()
        self._subj_starts = [s for s, _, _ in self.subj_spans]
        self.atoms = self._scan_atoms()
        self._atom_starts = [a.start for a in self.atoms]

    # ------------------------------------------------------------------ atoms
    def _scan_atoms(self) -> list[_Atom]:
        t = self.t
        excl: list[tuple[int, int, UnclaimedRule]] = []
        for rule, rx in self.rules.unclaimed:
            for m in rx.finditer(t):
                if m.end() > m.start():
                    excl.append((m.start(), m.end(), rule))
        excl.sort(key=lambda x: x[0])
        ex_starts = [s for s, _, _ in excl]
        atoms: list[_Atom] = []
        for m in self.rules.atom.finditer(t):
            flags: list[str] = []
            if m.group("marker"):
                mk = m.group("marker")
                atoms.append(
                    _Atom(m.start(), m.end(), m.end(), None, None, "%" if mk.endswith("%") else None, "--", flags)
                )
                continue
            if m.group("num"):
                try:
                    p = parse_number(m.group("num"))
                except NumberError:
                    continue
                value: Decimal | None = p.value
                decimals: int | None = p.decimals
                num_end = m.end("num")
                unit = m.group("unit")
            else:
                try:
                    value = Decimal(parse_chinese_numeral(m.group("cnum")))
                except NumberError:
                    continue
                decimals = 0
                num_end = m.end("cnum")
                unit = m.group("cunit")
                flags.append("chinese_numeral")
            end = m.end()
            if unit and "余" in unit:
                unit = unit.replace("余", "")
                flags.append("approx")
            if unit == "%":
                stray = self.rules.cue["unit_stray_percent"].match(t, end - 1)
                if stray is not None:
                    mm = self.rules.frag["MONEY"].match(t, end)
                    if mm:
                        unit = mm.group(0)
                        end = mm.end()
                        flags.append("stray_percent")
            if unit:
                unit = unit.replace("(", "（").replace(")", "）")
            atom = _Atom(m.start(), end, num_end, value, decimals, unit or None, None, flags)
            # not a quantity?
            i = bisect.bisect_right(ex_starts, num_end) - 1
            while i >= 0 and excl[i][0] > m.start() - 40:
                s, e, rule = excl[i]
                if s < num_end and e > m.start():
                    atom.reason, atom.excluded = rule.reason, rule.exclude
                    break
                i -= 1
            atoms.append(atom)
        return atoms

    # ------------------------------------------------------------------ helpers
    def new(
        self,
        start: int,
        end: int,
        quantity: Quantity,
        atom: _Atom | None,
        section: str | None,
        rule: str,
        subject: str | None = None,
        subject_raw: str | None = None,
        **kw: Any,
    ) -> _Draft:
        self.n += 1
        d = _Draft(
            id=f"C{self.n:04d}",
            start=start,
            end=end,
            quantity=quantity,
            value=atom.value if atom else None,
            decimals=atom.decimals if atom else None,
            unit=atom.unit if atom else None,
            subject=subject,
            subject_raw=subject_raw,
            section=section,
            rule=rule,
            marker=atom.marker if atom else None,
            number=(atom.start, atom.num_end) if atom else None,
            flags=list(atom.flags) if atom else [],
        )
        for k, v in kw.items():
            setattr(d, k, v)
        if atom is not None:
            atom.claims.append(d.id)
        self.drafts.append(d)
        self.by_id[d.id] = d
        return d

    def known_subjects(self, a: int, b: int) -> list[tuple[int, int, str]]:
        i = bisect.bisect_left(self._subj_starts, a)
        out = []
        while i < len(self.subj_spans) and self.subj_spans[i][0] < b:
            s, e, name = self.subj_spans[i]
            if e <= b:
                out.append((s, e, name))
            i += 1
        # keep the longest of overlapping matches
        out.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        kept: list[tuple[int, int, str]] = []
        for s, e, name in out:
            if kept and s < kept[-1][1]:
                continue
            kept.append((s, e, name))
        return kept

    def clause_start(self, pos: int, delims: str = _CLAUSE_DELIMS, floor: int = 0) -> int:
        i = pos - 1
        depth = 0
        while i >= floor:
            ch = self.t[i]
            if ch in "）)":
                depth += 1
            elif ch in "（(":
                if depth == 0:
                    return i + 1
                depth -= 1
            elif ch in delims and depth == 0:
                return i + 1
            i -= 1
        return floor

    def subject_of(self, a: int, b: int, *, raw_ok: bool = True) -> tuple[str | None, str | None, int, list[str]]:
        """(normalized subject, raw subject, start, all subjects) of the window [a, b).

        A known subject (spaCy span from rules/subjects.yaml) wins, the leftmost one
        after the last "、"; parentheticals such as （不含车辆） are ignored. Failing
        that, the window without leading dates, organisation names and trailing
        verbs is the raw subject (``raw_ok``).
        """
        t = self.t
        # parentheticals that qualify rather than name: （含…）（不含…）（不包括…）
        masked: list[tuple[int, int]] = [
            (a + m.start(), a + m.end()) for m in _re.finditer(r"[（(](?:不?含|不包括|包括)[^）)]*[）)]", t[a:b])
        ]
        w = t[a:b]
        for ms, me in reversed(masked):
            w = w[: ms - a] + w[me - a :]
        lead = _LEAD_RE.match(w)
        off = lead.end() if lead else 0
        mm = self.rules.cue["multi_subject"].match(w[off:])
        if mm and (mm.group("atail") or mm.group("btail")):
            pre = mm.group("pre") or ""
            tail = mm.group("btail") or mm.group("atail") or ""
            subs = []
            for g in ("a", "b"):
                x = mm.group(g)
                x = {"收": "收入", "支": "支出"}.get(x, x)
                own = (mm.group(g + "tail") or tail).replace("预算总计", "总计").replace("总预算", "总计")
                subs.append(_re.sub(r"\s+", "", pre + x + own))
            names = [self.rules.alias_to_name.get(_norm(x), x) for x in subs]
            return names[0], w[off:], a, names
        # start after the last "、" outside parentheses
        cut_at = a
        depth = 0
        for i in range(b - 1, a - 1, -1):
            ch = t[i]
            if ch in "）)":
                depth += 1
            elif ch in "（(":
                depth = max(0, depth - 1)
            elif ch == "、" and depth == 0:
                cut_at = i + 1
                break
        known = [k for k in self.known_subjects(cut_at, b) if not any(ms <= k[0] < me for ms, me in masked)]
        self.last_known = None
        if known:
            ks, ke, name = known[0]
            # the lead may need to see the subject's first character (“省检察院” before “本年…”)
            lead2 = _LEAD_RE.match(t[cut_at:ke])
            before = t[cut_at + min(lead2.end() if lead2 else 0, ks - cut_at) : ks]
            generic = (
                (ke - ks <= 3 or _norm(t[ks:ke]) in _GENERIC_TOTALS)
                and len(_re.findall(r"[\u4e00-\u9fa5]", before)) >= 2
                and not _re.search(r"[，,；;：:]", before)
            )
            if not generic:
                raw = _TRAIL_RE.sub("", t[ks:b]) or t[ks:ke]
                self.last_known = (ks, ke)
                return name, raw, ks, [name]
        if not raw_ok:
            return None, None, b, []
        w2 = t[cut_at:b]
        for ms, me in reversed(masked):
            if ms >= cut_at:
                w2 = w2[: ms - cut_at] + w2[me - cut_at :]
        lead = _LEAD_RE.match(w2)
        off2 = lead.end() if lead else 0
        raw = _TRAIL_RE.sub("", w2[off2:])
        raw_clean = _re.sub(r"^(?:年初预算|全年预算|调整预算|决算报表|预算|决算)", "", raw) if raw else raw
        raw_clean = _SUBJECT_SUFFIX_FIGURE.sub("", raw_clean) if raw_clean and len(raw_clean) > 2 else raw_clean
        raw_clean = _TRAIL_RE.sub("", raw_clean or "")
        if (
            raw_clean
            and raw_clean not in _WEAK_SUBJECTS
            and len(raw_clean) >= 2
            and not _re.fullmatch(r"[\W\d_]+", raw_clean)
        ):
            name = self.rules.alias_to_name.get(_norm(raw_clean), raw_clean)
            return name, raw, cut_at + off2, [name]
        return None, raw or None, cut_at + off2, []

    def figure_in(self, a: int, b: int) -> str | None:
        """Which figure (决算, 年初预算 …) the words of [a, b) name, outside a known subject name
        (the last one :meth:`subject_of` found)."""
        k = self.last_known
        if k is not None and a <= k[0] < b:
            return self.figure_of(self.t[a : k[0]] + "|" + self.t[k[1] : b])
        return self.figure_of(self.t[a:b])

    def figure_of(self, window: str) -> str | None:
        found = _FIGURE_RE.findall(window)
        if not found:
            return None
        w = found[-1]
        if w in ("执行数", "实际使用", "实际支出", "实际执行", "决算", "到位"):
            return "决算"
        if w == "年度指标":
            return "预算"
        if w.startswith("调整"):
            return "调整预算"
        return str(w)

    def default_figure(self) -> str:
        return "预算" if self.doc.kind == "budget" else "决算"

    def base_norm(self, raw: str | None) -> str | None:
        if not raw:
            return None
        if raw == "同比" or raw.startswith(("上年", "去年")):
            if "预算" in raw:
                return "上年预算"
            if "决算" in raw:
                return "上年决算"
            return "上年预算" if self.doc.kind == "budget" else "上年决算"
        if raw.startswith("年初预算"):
            return "年初预算"
        if raw.startswith("全年预算"):
            return "全年预算"
        if raw.startswith("调整"):
            return "调整预算"
        if raw.startswith("预算"):
            return "预算"
        m = _re.match(r"((?:19|20)\d\d)", raw)
        if m:
            y = int(m.group(1))
            if self.doc.year is not None and y == self.doc.year - 1:
                return "上年预算" if self.doc.kind == "budget" else "上年决算"
            return f"{y}年"
        return raw

    def find_base(self, a: int, b: int) -> str | None:
        seg = self.t[a:b]
        best = None
        for m in self.rules.cue["base_phrase"].finditer(seg):
            best = m.group("base")
        if best is None and "同比" in seg:
            best = "同比"
        return self.base_norm(best)

    # ------------------------------------------------------------------ main loop
    def run(self) -> list[_Draft]:
        t = self.t
        rules = self.rules
        cue = rules.cue
        events: list[tuple[int, int, str, Any]] = []
        for k, a in enumerate(self.atoms):
            events.append((a.start, 1, "atom", k))
        for s, e, label, rid in self.rel_spans:
            events.append((s, 0, "rel", (s, e, label, rid)))
        events.sort(key=lambda x: (x[0], x[1]))

        section: str | None = None
        sent_start = 0
        sent_prim: list[_Draft] = []
        prev_sent_prim: list[_Draft] = []
        last_primary: _Draft | None = None
        last_change: _Draft | None = None
        list_stack: list[_ListEntry] = []
        paren_saved: list[tuple[list[_Draft], _Draft | None]] = []
        depth = 0
        path: tuple[str, ...] = ()
        path_text: str | None = None
        pos = 0
        last_rel: _Draft | None = None

        def advance(to: int) -> None:
            nonlocal pos, sent_start, sent_prim, prev_sent_prim, depth, last_change, path, path_text, list_stack
            gap = t[pos:to]
            # list openers and implicit totals in the gap, in order with boundaries
            marks: list[tuple[float, str, Any]] = []
            for i, ch in enumerate(gap):
                if ch in _SENT_END or ch == "\n":
                    marks.append((i, "end", ch))
                elif ch in "（(":
                    marks.append((i, "open", None))
                elif ch in "）)":
                    marks.append((i, "close", None))
            for m in cue["list_open"].finditer(gap):
                marks.append((m.end() - 0.5, "list", m))
            for mi in cue["implicit_total"].finditer(gap):
                marks.append((mi.end() - 0.5, "implicit", mi))
            for mp in _PATH_RE.finditer(gap):
                marks.append((mp.start() + 0.1, "path", mp))
            marks.sort(key=lambda x: x[0])
            for at, kind, m in marks:
                if kind == "end":
                    if depth > 0:
                        continue
                    if sent_prim:
                        prev_sent_prim = sent_prim
                    sent_prim = []
                    sent_start = pos + int(at) + 1
                    last_change = None
                    list_stack = [e for e in list_stack if e.scope != "sentence"]
                    if m == "\n":
                        path, path_text = (), None
                elif kind == "open":
                    paren_saved.append((list(sent_prim), last_change))
                    depth += 1
                    # "X万元（A万元，B万元）": the parenthesis lists the parts of X
                    if sent_prim and not t[sent_prim[-1].end : pos + int(at)].strip():
                        host = sent_prim[-1]
                        list_stack.append(_ListEntry(host.subject, {host.figure or "": host}, "paren", depth))
                elif kind == "close":
                    if depth > 0:
                        depth -= 1
                        sent_prim, last_change = paren_saved.pop()
                        list_stack = [e for e in list_stack if e.depth <= depth]
                elif kind == "list":
                    lhost = sent_prim[-1] if sent_prim else (prev_sent_prim[-1] if prev_sent_prim else None)
                    after = t[pos + m.end() : pos + m.end() + 1]
                    scope = "block" if after in ("\n", "") or self._line_ends_after(pos + m.end()) else "sentence"
                    if lhost is not None:
                        group = {d.figure or "": d for d in (sent_prim or prev_sent_prim) if d.subject == lhost.subject}
                        group[lhost.figure or ""] = lhost
                        if list_stack and list_stack[-1].by_figure.get(lhost.figure or "") is lhost:
                            continue
                        list_stack.append(_ListEntry(lhost.subject, group, scope, depth))
                elif kind == "implicit":
                    subj, _, _, _ = self.subject_of(pos + m.start("subject"), pos + m.end("subject"))
                    list_stack.append(_ListEntry(subj, {}, "sentence", depth))
                elif kind == "path":
                    p = m.group("path")
                    lead = _re.match(r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）])?", p)
                    p = p[lead.end() if lead else 0 :]
                    path_text = p
                    path = tuple(x for x in _re.split(r"（[类款项]）", p) if x)
            pos = to

        for start, _, kind, payload in events:
            sid = self.view.section_at(start)
            if sid != section:
                section = sid
                sent_prim, prev_sent_prim, last_primary, last_change = [], [], None, None
                list_stack, paren_saved, depth = [], [], 0
                path, path_text = (), None
                pos = start
                sent_start = self.clause_start(start, "。！？!?\n")
                last_rel = None
            if start < pos:
                continue
            advance(start)
            if kind == "rel":
                s, e, label, rid = payload
                d = self._relation(s, e, label, rid, section, sent_start, sent_prim, last_primary)
                if d is not None:
                    if (
                        last_rel is not None
                        and last_rel.relation == d.relation
                        and last_rel.head == d.head
                        and last_rel.start >= sent_start
                    ):
                        self._drop(d)
                    else:
                        last_rel = d
                continue
            atom = self.atoms[payload]
            if atom.consumed or (atom.reason is not None and atom.excluded):
                continue
            made = self._classify(
                atom,
                section,
                sent_start,
                sent_prim,
                prev_sent_prim,
                last_primary,
                last_change,
                list_stack,
                path,
                path_text,
            )
            if not made:
                continue
            for x in made:
                if x.primary:
                    sent_prim.append(x)
                    last_primary = x
                if x.quantity == "change":
                    last_change = x
        self._absences()
        return self.drafts

    def _absences(self) -> None:
        """“2024 年度没有政府性基金收入，也没有使用政府性基金安排的支出”: subjects said to be nil."""
        for rule, rx in self.rules.absences:
            for m in rx.finditer(self.t):
                sid = self.view.section_at(m.start())
                if sid is not None:
                    d = self.new(m.start(), m.end(), "other", None, sid, f"absent:{rule.id}", rule.subject, m.group(0))
                    d.relation = "none"

    def _line_ends_after(self, pos: int) -> bool:
        """True when, in the original text, a line break follows joined position ``pos`` (exclusive end)."""
        if pos <= 0 or pos > len(self.view.offs):
            return False
        off = self.view.offs[pos - 1] + 1
        rest = self.doc.text[off : off + 40]
        m = _re.match(r"[ \t\u3000]*\r?\n", rest)
        return m is not None

    def _drop(self, d: _Draft) -> None:
        self.drafts.remove(d)
        del self.by_id[d.id]

    # ------------------------------------------------------------------ relations
    def _relation(
        self,
        s: int,
        e: int,
        label: str,
        rid: str,
        section: str | None,
        sent_start: int,
        sent_prim: list[_Draft],
        last_primary: _Draft | None,
    ) -> _Draft | None:
        t = self.t
        after = t[e : e + 3]
        if _re.match(r"\s*[\d-]", after):
            return None  # a numeric relation (大于 10%): read with the number
        bm = self.rules.cue["base_phrase"].match(t, s)
        if bm is not None and _re.match(r"\s*\d", t[bm.end() : bm.end() + 3]):
            return None  # “小于上年预算数40.05万元”: a change, read with the number
        cs = self.clause_start(s)
        ce = e
        while ce < len(t) and t[ce] not in _CLAUSE_DELIMS:
            ce += 1
        base = self.find_base(cs, ce)
        if base is None:
            m = re.search(r"(?P<base>上年度?(?:决算|预算)?数?|年初预算数?|全年预算数?|调整预算数?|预算数?)", t[cs:ce])
            if m:
                base = self.base_norm(m.group("base"))
        if rid in ("equal_word", "greater", "less", "less_saving") and base is None:
            return None
        relation = {"REL_EQUAL": "equal", "REL_GREATER": "greater", "REL_LESS": "less"}[label]
        subj, raw, sstart, _ = self.subject_of(cs, s, raw_ok=False)
        head = None
        if subj is not None:
            head = self._by_subject(subj, section, s)
        if head is None and sent_prim:
            head = sent_prim[-1]
            subj = subj or head.subject
        if subj is None:
            earlier = self.known_subjects(sent_start, cs)
            if earlier:
                subj = earlier[-1][2]
                head = self._by_subject(subj, section, s)
        if head is None and last_primary is not None and last_primary.start >= sent_start - 200:
            head = last_primary
        if subj is None and head is not None:
            subj = head.subject
        fig = self.figure_in(cs, s)
        return self.new(
            min(sstart, s),
            ce,
            "other",
            None,
            section,
            f"relation:{rid}",
            subj,
            raw,
            relation=relation,
            base=base,
            head=head.id if head else None,
            figure=fig,
        )

    def _by_subject(self, subject: str, section: str | None, before: int) -> _Draft | None:
        for d in reversed(self.drafts):
            if d.start >= before:
                continue
            if d.section != section:
                break
            if d.primary and d.subject == subject:
                return d
        return None

    # ------------------------------------------------------------------ numbers
    def _classify(
        self,
        atom: _Atom,
        section: str | None,
        sent_start: int,
        sent_prim: list[_Draft],
        prev_sent_prim: list[_Draft],
        last_primary: _Draft | None,
        last_change: _Draft | None,
        list_stack: list[_ListEntry],
        path: tuple[str, ...],
        path_text: str | None,
    ) -> list[_Draft]:
        t = self.t
        cue = self.rules.cue
        left = self.rules.left
        cs = self.clause_start(atom.start, floor=sent_start if sent_start <= atom.start else 0)
        # text since the previous number (or the clause start)
        prev_end = cs
        for a in self._atoms_between(cs, atom.start):
            if not a.excluded:
                prev_end = max(prev_end, a.end)
        L = t[cs : atom.start]
        unit = atom.unit
        is_pct = unit in ("%", "‰") or atom.marker is not None
        out: list[_Draft] = []

        # zero base note "（基数为0，不可比）" after a rate/marker
        zb = cue["zero_base_right"].match(t, atom.end)
        note_end = atom.end
        zflags: list[str] = []
        if zb is not None and (is_pct or atom.marker):
            note = zb.group("note")
            note_end = zb.end()
            for w in ("基数为0", "不可比", "无法计算"):
                if w in note:
                    zflags.append(w)
            for a in self._atoms_between(zb.start(), zb.end()):
                a.consumed = True

        # the cue immediately before the number
        mchange = left["change_left"].search(L)
        head = self._head(sent_prim, prev_sent_prim, last_primary, sent_start)

        if (
            atom.marker is not None
            and mchange is None
            and not left["completion_left"].search(L)
            and not left["completion_ratio_left"].search(L)
        ):
            # a dash that is not a rate: ignore (not a number)
            return []

        # ----- completion: 完成(全年)预算X万元的Y% / 预算执行率Y%
        mc = left["completion_left"].search(L)
        if (is_pct or unit is None) and mc is not None and (unit is not None or atom.marker):
            budget_draft: _Draft | None = None
            base = self.base_norm(mc.group("base")) if mc.group("base") not in ("计划", "全年计划") else "计划"
            if mc.group("budget"):
                bstart = cs + mc.start("budget")
                for a in self._atoms_between(bstart, atom.start):
                    if a.claims:
                        budget_draft = self.by_id.get(a.claims[0])
            d = self.new(
                cs + mc.start(),
                note_end,
                "completion",
                atom,
                section,
                "completion",
                head.subject if head else None,
                None,
                base=base,
                head=head.id if head else None,
                budget=budget_draft.id if budget_draft else None,
            )
            d.flags.extend(zflags)
            if unit is None and not atom.marker:
                d.flags.append("unit_missing")
            return [d]
        mr = left["completion_ratio_left"].search(L)
        if is_pct and mr is not None and mchange is None:
            subj, raw, sstart, _ = self.subject_of(prev_end, cs + mr.start())
            d = self.new(
                min(cs + mr.start(), sstart),
                note_end,
                "completion",
                atom,
                section,
                f"completion_ratio:{mr.group('label')}",
                subj or (head.subject if head else None),
                raw,
                head=head.id if head else None,
                base="预算",
            )
            d.flags.extend(zflags)
            return [d]

        # ----- change / rate: 比上年决算数减少69.64万元，下降10.2%
        if mchange is not None and (L[: mchange.start()].strip() == "" or True):
            up = mchange.group("up") is not None
            word = mchange.group("up") or mchange.group("down")
            direction = 1 if up else -1
            base = self.find_base(sent_start if sent_start <= cs else cs, atom.start)
            win_a = max(prev_end, cs)
            subjects_left = t[win_a : cs + mchange.start()]
            if subjects_left.endswith("同比"):
                subjects_left = subjects_left[:-2]
            base_matches = list(self.rules.cue["base_phrase"].finditer(subjects_left))
            bm = base_matches[-1] if base_matches else None
            subj_text_end = cs + mchange.start()
            subj_text_start = win_a
            if bm is not None:
                # subject may stand before the base phrase (X比上年增加) or after (与上年相比，X增加)
                before = subjects_left[: bm.start()]
                after = subjects_left[bm.end() :].lstrip("，,")
                if after.strip(" 各均分别"):
                    subj_text_start = win_a + bm.end() + (len(subjects_left[bm.end() :]) - len(after))
                else:
                    subj_text_end = win_a + len(before)
            subj, raw, sstart, names = self.subject_of(subj_text_start, subj_text_end)
            if raw and _THIS_YEAR_RE.fullmatch(raw):
                subj, raw, names = None, None, []  # “本年数小于上年预算数…”: the subject is the head's
            if word in ("节约", "节省") and not is_pct:
                return self._difference(atom, section, cs + mchange.start(), note_end, sent_prim, head, word)
            heads: list[_Draft | None] = []
            if not names and (is_pct or unit == "倍") and last_change is not None and last_change.start >= sent_start:
                names = [last_change.subject or ""]
                heads = [self.by_id.get(last_change.head) if last_change.head else head]
            elif names:
                for nm in names:
                    h = next((p for p in reversed(sent_prim) if p.subject == nm), None) or self._by_subject(
                        nm, section, atom.start
                    )
                    heads.append(h or head)
            else:
                names = [head.subject if head and head.subject else ""]
                heads = [head]
            start = min(sstart, cs + mchange.start()) if subj else cs + mchange.start()
            if bm is not None and not subj:
                start = win_a + bm.start()
            for nm, h in zip(names, heads, strict=True):
                nm_or_none = nm or None
                if unit in _MONEY_UNITS or (unit is None and not is_pct and self._money_context(sent_prim)):
                    q: Quantity = "change"
                    rule = "change"
                elif is_pct or unit == "倍":
                    q = "rate"
                    rule = "rate_multiple" if unit == "倍" else "rate"
                else:
                    q = "change"
                    rule = "change_count"
                ch = None
                if q == "rate" and last_change is not None and (last_change.subject == nm_or_none or len(names) == 1):
                    ch = last_change
                    if len(names) > 1:
                        ch = next(
                            (
                                c
                                for c in reversed(self.drafts)
                                if c.quantity == "change" and c.subject == nm_or_none and c.start >= sent_start
                            ),
                            ch,
                        )
                d = self.new(
                    start,
                    note_end,
                    q,
                    atom,
                    section,
                    rule,
                    nm_or_none,
                    raw,
                    base=base,
                    direction=direction,
                    head=h.id if h else None,
                    change=ch.id if ch else None,
                    figure=h.figure if h else None,
                )
                if word in ("增幅", "降幅", "减幅", "增长率", "下降率") or word.startswith(("增幅", "降幅", "减幅")):
                    d.flags.append("magnitude_word")
                if mchange.group(0).endswith("/"):
                    d.flags.append("slash")
                if unit is None and not atom.marker:
                    d.flags.append("unit_missing")
                d.flags.extend(zflags)
                out.append(d)
            return out

        # ----- share: 占X的Y%
        msh = left["share_left"].search(L)
        if is_pct and msh is not None:
            whole_raw = msh.groupdict().get("whole")
            whole_subject = None
            whole = None
            if whole_raw:
                ws, _, _, _ = self.subject_of(cs + msh.start("whole"), cs + msh.end("whole"))
                whole_subject = ws or whole_raw
                whole = self._by_subject(whole_subject, section, atom.start) if ws else None
            elif list_stack:
                top = list_stack[-1]
                whole_subject = top.subject
                whole = top.by_figure.get(self.default_figure()) or next(iter(top.by_figure.values()), None)
            own_subj, raw, sstart, _ = self.subject_of(prev_end, cs + msh.start())
            part = None
            if own_subj is None:
                part = sent_prim[-1] if sent_prim and sent_prim[-1].start >= cs - 40 else head
            start = min(sstart, cs + msh.start()) if own_subj else cs + msh.start()
            d = self.new(
                start,
                note_end,
                "share",
                atom,
                section,
                "share",
                own_subj or (part.subject if part else None),
                raw,
                head=part.id if part else None,
                whole=whole.id if whole else None,
                whole_subject=whole_subject,
            )
            return [d]

        # ----- difference: 节约/结余 X万元
        mdiff = left["difference_left"].search(L)
        if (
            mdiff is not None
            and not is_pct
            and not any(e == atom.start for _, e, _ in self.known_subjects(cs, atom.start))
        ):
            return self._difference(atom, section, cs + mdiff.start(), note_end, sent_prim, head, mdiff.group("word"))

        # ----- the budget amount of a completion: 完成全年预算1.35万元的100%
        mcb = left["completion_budget_left"].search(L)
        if mcb is not None and unit in _MONEY_UNITS and t.startswith("的", atom.end):
            base = self.base_norm(mcb.group("base")) if "计划" not in mcb.group("base") else "计划"
            d = self.new(
                atom.start,
                atom.end,
                "amount",
                atom,
                section,
                "completion_budget",
                head.subject if head else None,
                None,
                figure=base,
                head=head.id if head else None,
                classification=head.classification if head else (),
            )
            return [d]

        # ----- relation before the number (≥95%, 不少于1.3万条)
        relation = None
        mrel = left["relation_left"].search(L)
        rel_start = atom.start
        if mrel is not None:
            relation = {
                "≥": ">=",
                ">=": ">=",
                "不少于": ">=",
                "不低于": ">=",
                "≤": "<=",
                "<=": "<=",
                "不超过": "<=",
                "不高于": "<=",
                "大于": ">",
                "高于": ">",
                "超过": ">",
                ">": ">",
                "＞": ">",
                "小于": "<",
                "低于": "<",
                "<": "<",
                "＜": "<",
                "约": "approx",
                "近": "approx",
            }.get(mrel.group("rel"))
            rel_start = cs + mrel.start()
        mright = cue["relation_right"].match(t, atom.end)
        if mright is not None:
            relation = (
                relation
                or {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "approx", "余": "approx", "多": "approx"}[
                    mright.group("rel")
                ]
            )
            note_end = max(note_end, mright.end())

        # ----- subject window
        win_end = rel_start
        subj, raw, sstart, names = self.subject_of(prev_end, win_end)
        window = t[prev_end:win_end]
        if unit is not None and unit not in _MONEY_UNITS and unit not in ("%", "‰", "倍", "分"):
            right = self._right_noun(atom.end)
            if right and (subj is None or subj not in self.rules.alias_to_name.values()):
                subj, raw, names = right, right, [right]
                sstart = atom.start
                note_end = max(note_end, atom.end + len(right))
                window = ""
        fig = self.figure_in(prev_end, win_end) if window else None
        figure_only = (
            bool(cue["figure_words"].match(_TRAIL_RE.sub("", _LEAD_RE.sub("", window)) or "")) and subj is None
        )
        classification: tuple[str, ...] = ()
        q_hint = "score" if unit == "分" else None
        score_figure = None
        if q_hint == "score" or (unit is None and window.endswith(("指标", "分值", "满分"))):
            wl = _TRAIL_RE.sub("", window.strip("，,；;：: "))
            if wl in ("指标", "分值", "满分", "得", "得分", "") or subj in ("指标", None):
                score_figure = "得分" if wl in ("得", "得分") else ("分值" if wl else None)
                lead_m = _re.match(
                    r"[①-⑳\d.、（）()\s]*(?P<lead>[^，,；;。：:\n]{2,30}?)[，,]", t[sent_start : prev_end + 1]
                )
                if lead_m:
                    subj, raw = lead_m.group("lead"), lead_m.group("lead")
                    names = [subj]
        if subj is None and path_text and (figure_only or not window.strip("，,：:")):
            subj, classification = path_text, path
        if subj is None:
            money = unit in _MONEY_UNITS or unit is None
            carrier = next(
                (
                    p
                    for p in reversed(sent_prim)
                    if (p.unit in _MONEY_UNITS or p.unit is None) == money and p.quantity != "score"
                ),
                None,
            )
            earlier = self.known_subjects(sent_start, prev_end) if sent_start < prev_end else []
            labelled = not window.strip() and prev_end > 0 and t[prev_end - 1] in "：:"
            topic_first = self._topic(sent_start, prev_end) if labelled else None
            if topic_first is not None:
                subj = topic_first
            elif carrier is not None:
                subj, classification = carrier.subject, carrier.classification
            elif earlier and q_hint != "score":
                subj = earlier[-1][2]
            else:
                topic = self._topic(sent_start, prev_end)
                if topic is not None:
                    subj = topic
        if not names:
            names = [subj] if subj else [None]  # type: ignore[list-item]
        start = sstart if subj and sstart < win_end else (prev_end if window.strip() else atom.start)
        start = min(start, rel_start)

        # ----- quantity from the unit
        if unit in _MONEY_UNITS:
            q = "amount"
        elif unit in ("%", "‰") or unit == "倍":
            q = "other"
        elif unit == "分":
            q = "score"
        elif unit is not None:
            q = "count"
        else:
            bare = self._bare_quantity(atom, window, subj)
            if bare is None:
                atom.reason = "bare number without unit or context"
                return []
            q = bare
        if q in ("score", "count", "amount") and cue["sum_subject"].match(window.strip("，,；;：: ")):
            comps = [p for p in sent_prim if p.unit == unit and p.quantity in ("score", "count", "amount")]
            if comps:
                q = "sum"
        figure = (fig or self.default_figure()) if q == "amount" else (score_figure if q == "score" else None)
        if q == "sum":
            names = [_TRAIL_RE.sub("", window.strip("，,；;：: ")) or "合计"]
        for nm in names:
            d = self.new(
                start,
                note_end,
                q,
                atom,
                section,
                f"{q}:{'unit' if unit else 'bare'}",
                nm,
                raw,
                figure=figure,
                relation=relation,
                classification=classification,
            )
            if unit is None:
                d.flags.append("unit_missing")
                if q == "amount":
                    d.unit = None
            if q == "sum":
                comps = [p for p in sent_prim if p.unit == unit and p.quantity in ("score", "count", "amount")]
                d.components = [p.id for p in comps]
                for p in comps:
                    p.total = d.id
            elif q in ("amount", "count", "score") and relation is None:
                d.primary = True
                self._attach(d, list_stack)
            out.append(d)
        return out

    def _right_noun(self, pos: int) -> str | None:
        """The counted noun after a count ("5个一般公共预算项目支出开展…" → 一般公共预算项目支出)."""
        m = _re.match(
            r"([^，,；;。：:、（）()\n\d和及与的]{1,15}?)(?=开展|进行|提供|通过|实行|完成|的|[，,；;。：:、（）()\n和及与]|$)",
            self.t[pos : pos + 20],
        )
        if not m:
            return None
        noun = m.group(1)
        if noun in _WEAK_SUBJECTS or len(noun) < 1 or _re.match(r"^(?:以上|以下|左右|余|多|内|次|等)", noun):
            return None
        return noun

    def _atoms_between(self, a: int, b: int) -> list[_Atom]:
        lo = bisect.bisect_left(self._atom_starts, a)
        hi = bisect.bisect_left(self._atom_starts, b)
        return self.atoms[lo:hi]

    def _head(
        self, sent_prim: list[_Draft], prev_sent_prim: list[_Draft], last_primary: _Draft | None, sent_start: int
    ) -> _Draft | None:
        if sent_prim:
            return sent_prim[-1]
        if prev_sent_prim:
            return prev_sent_prim[-1]
        return last_primary

    def _topic(self, sent_start: int, upto: int) -> str | None:
        """The label of the sentence part a number stands in ("成本指标：…", "X绩效自评情况：…")."""
        seg = self.t[sent_start:upto]
        best = None
        for m in _re.finditer(
            r"(?:^|[，,；;。：:\n])(?P<topic>[^，,；;。：:\n]{2,40}?)(?:项目)?(?:绩效自评(?:情况|综述)|自评情况|自评综述|情况)?[：:]",
            seg,
        ):
            best = m
        if best is None:
            return None
        return self.subject_of(sent_start + best.start("topic"), sent_start + best.end("topic"))[0]

    def _money_context(self, sent_prim: list[_Draft]) -> bool:
        return bool(sent_prim) and sent_prim[-1].unit in _MONEY_UNITS

    def _bare_quantity(self, atom: _Atom, window: str, subj: str | None) -> Quantity | None:
        """What a number printed without unit is, from its context (or None)."""
        t = self.t
        nxt = t[atom.end : atom.end + 1]
        if window.endswith(("指标", "分值", "满分")):
            return "score"
        in_list = nxt in ("、", "，", ",", "；", "。", "") or window.startswith("、")
        money_near = any(
            a.unit in _MONEY_UNITS
            for a in self._atoms_between(max(0, atom.start - 60), atom.start + 60)
            if a is not atom
        )
        if atom.decimals == 2 and (in_list or window.endswith(("为", "是"))) and (subj is not None or money_near):
            return "amount"
        if money_near and window.rstrip("为是").endswith(("决算数", "预算数", "执行数", "决算", "预算")):
            return "amount"
        return None

    def _difference(
        self,
        atom: _Atom,
        section: str | None,
        start: int,
        end: int,
        sent_prim: list[_Draft],
        head: _Draft | None,
        word: str,
    ) -> list[_Draft]:
        ops = [p for p in sent_prim if p.unit in _MONEY_UNITS][-2:]
        d = self.new(
            start,
            end,
            "difference",
            atom,
            section,
            f"difference:{word}",
            head.subject if head else None,
            None,
            operands=tuple(p.id for p in ops),
            head=head.id if head else None,
        )
        return [d]

    def _attach(self, d: _Draft, list_stack: list[_ListEntry]) -> None:
        """Attach a primary amount to the open "其中" list it belongs to."""
        if not list_stack or d.subject is None:
            return
        parts = self.rules.parts
        target_i = None
        for i in range(len(list_stack) - 1, -1, -1):
            e = list_stack[i]
            if e.subject is not None and d.subject in parts.get(e.subject, ()):
                target_i = i
                break
        if target_i is None:
            top = list_stack[-1]
            if top.subject == d.subject:
                return
            if (
                d.unit not in _MONEY_UNITS
                and d.unit is not None
                and not (d.subject in self.rules.alias_to_name.values() and top.subject in parts)
            ):
                return  # counts attach only where the rules know the decomposition
            # a known part of an outer total closes the inner list
            if any(d.subject in parts.get(e.subject or "", ()) for e in list_stack):
                return
            target_i = len(list_stack) - 1
        e = list_stack[target_i]
        del list_stack[target_i + 1 :]
        if e.subject == d.subject:
            return
        if not e.by_figure:
            d.total_subject = e.subject
            return
        tot = e.by_figure.get(d.figure or "")
        if tot is None:
            if len(e.by_figure) == 1:
                only = next(iter(e.by_figure.values()))
                if only.figure and d.figure and only.figure != d.figure:
                    return
                tot = only
            else:
                return
        if (
            tot.unit != d.unit
            and not (tot.unit in _MONEY_UNITS and d.unit in _MONEY_UNITS)
            and not (tot.unit is None or d.unit is None)
        ):
            return
        d.total = tot.id
        d.total_subject = tot.subject
        tot.components.append(d.id)


# ============================================================================ public API


def extract_claims(
    doc: Document,
    sections: Sequence[Section] | None = None,
    *,
    tables_spans: list[tuple[int, int]] | None = None,
    rules: str | Path | Rules | None = None,
) -> list[Claim]:
    """Every claim of the narrative sections, in document order (ids C0001…)."""
    claims, _ = _extract(doc, sections, tables_spans, rules)
    return claims


def _extract(
    doc: Document,
    sections: Sequence[Section] | None,
    tables_spans: list[tuple[int, int]] | None,
    rules_in: str | Path | Rules | None,
) -> tuple[list[Claim], _Extractor]:
    all_rules = rules_in if isinstance(rules_in, Rules) else load_rules(rules_in)
    rules = all_rules.claims
    nlp = build_pipeline(all_rules)
    if sections is None:
        sections = split_sections(doc, tables_spans, rules=all_rules)
    view = narrative_view(doc, sections, tables_spans)
    ex = _Extractor(doc, sections, view, rules, nlp)
    drafts = ex.run()
    drafts.sort(key=lambda d: (d.start, d.id))
    # renumber in document order
    new_ids = {d.id: f"C{i + 1:04d}" for i, d in enumerate(drafts)}
    claims: list[Claim] = []
    secs = ex.sections

    def ren(x: str | None) -> str | None:
        return new_ids.get(x) if x else None

    for a in ex.atoms:
        a.claims = [new_ids[c] for c in a.claims if c in new_ids]
    for d in drafts:
        span = view.span(d.start, d.end)
        sec = secs.get(d.section) if d.section else None
        raw = _re.sub(r"\s+", "", d.subject_raw) if d.subject_raw else None
        claims.append(
            Claim(
                id=new_ids[d.id],
                text=doc.text[span[0] : span[1]],
                span=span,
                line=doc.line_number(span[0]),
                page=doc.page_of(span[0]),
                section=d.section,
                section_heading=sec.heading if sec else None,
                scope=sec.scope if sec else (),
                quantity=d.quantity,
                value=d.value,
                decimals=d.decimals,
                unit=d.unit,
                subject=d.subject,
                subject_raw=raw,
                base=d.base,
                figure=d.figure,
                direction=d.direction,
                marker=d.marker,
                relation=d.relation,
                head=ren(d.head),
                change=ren(d.change),
                budget=ren(d.budget),
                whole=ren(d.whole),
                whole_subject=d.whole_subject,
                total=ren(d.total),
                total_subject=d.total_subject,
                components=tuple(x for x in (ren(c) for c in d.components) if x),
                operands=tuple(x for x in (ren(c) for c in d.operands) if x),
                classification=d.classification,
                number_span=view.span(*d.number) if d.number else None,
                flags=tuple(dict.fromkeys(d.flags)),
                rule=d.rule,
            )
        )
    return claims, ex


def claim_coverage(
    doc: Document,
    sections: Sequence[Section] | None = None,
    claims: Sequence[Claim] | None = None,
    *,
    tables_spans: list[tuple[int, int]] | None = None,
    rules: str | Path | Rules | None = None,
) -> Coverage:
    """Which numbers of the narrative are in a claim, and why the others are not.

    A number is claimed when a claim was read from it (its value, or a number a
    claim consumed such as the 0 of "基数为0"). Numbers that are not quantities
    (years, dates, ordinals, document numbers…) are listed with their reason and
    left out of the denominator of :attr:`Coverage.ratio`.
    """
    got, ex = _extract(doc, sections, tables_spans, rules)
    if claims is not None:
        got_ids = {c.id for c in claims}
    else:
        got_ids = {c.id for c in got}
    by_id = {c.id: c for c in got}
    out: list[NumberUse] = []
    for a in ex.atoms:
        if a.marker is not None:
            continue
        span = ex.view.span(a.start, a.num_end)
        ids = tuple(c for c in a.claims if c in got_ids)
        if a.consumed and not ids:
            owner = next((c.id for c in got if c.span[0] <= span[0] and span[1] <= c.span[1] and c.id in got_ids), None)
            ids = (owner,) if owner else ()
        reason = None if ids else (a.reason or "no claim pattern matched")
        excluded = (not ids) and a.excluded
        sec = ex.view.section_at(a.start)
        out.append(NumberUse(span, doc.text[span[0] : span[1]], ids, reason, excluded, sec))
    del by_id
    return Coverage(tuple(out))


def claims_json(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    return [c.to_json() for c in claims]
