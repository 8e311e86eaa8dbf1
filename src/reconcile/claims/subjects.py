"""Subjects: what a number is about, and which figure and base its words name.

A known subject (a spaCy span of a name or alias of ``rules/subjects.yaml``) wins;
failing that, the words before the number without leading dates, organisation
names and trailing verbs are the raw subject.
"""

from __future__ import annotations

import bisect
import re as _re
from array import array

from ..document import Document
from ..rules import CompiledRules, norm_subject
from .words import Words

__all__ = ["CLAUSE_DELIMS", "ClauseStops", "Subjects"]

CLAUSE_DELIMS = "，,；;。：:\n！？!?"
Found = tuple[str | None, str | None, int, list[str]]  # (subject, raw subject, start, all subjects)

OPENS, CLOSES = "（(", "）)"
TOPIC_END = "：:"  # the topic cue (claims.yaml) ends in a colon: no colon, no topic


class ClauseStops:
    """Where a backward clause scan over ``t`` stops, precomputed once.

    ``level[k]`` is the parenthesis nesting before position ``k`` (opens minus closes of
    ``t[:k]``). Scanning back from ``pos``, the depth before character ``i`` is
    ``level[i + 1] - level[pos]``; the scan stops at the first delimiter or opening
    parenthesis where that depth is 0. So the clause of ``pos`` starts after the last such
    stop ``i < pos`` with ``level[i + 1] == level[pos]``: the stops are kept by level, in
    order, and found by bisection. Time linear in ``t`` to build, logarithmic per query.
    """

    def __init__(self, t: str, delims: str) -> None:
        level = 0
        levels = array("l", [0])
        by_level: dict[int, list[int]] = {}
        for i, ch in enumerate(t):
            if ch in OPENS:
                level += 1
                by_level.setdefault(level, []).append(i)
            elif ch in CLOSES:
                level -= 1
            elif ch in delims:
                by_level.setdefault(level, []).append(i)
            levels.append(level)
        self._levels = levels
        self._by_level = by_level

    def start(self, pos: int, floor: int = 0) -> int:
        """The clause start of ``pos``, not before ``floor``."""
        if pos <= floor:
            return floor
        stops = self._by_level.get(self._levels[pos])
        if not stops:
            return floor
        k = bisect.bisect_left(stops, pos) - 1
        if k >= 0 and stops[k] >= floor:
            return stops[k] + 1
        return floor


_HEADING_RE = _re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．])\s*(?P<name>[^\d，,。；;：:]{2,30})"
)


class Subjects:
    """Subject, figure and base readers over the joined text ``t``."""

    def __init__(
        self, t: str, rules: CompiledRules, words: Words, doc: Document, spans: list[tuple[int, int, str]]
    ) -> None:
        self.t = t
        self.rules = rules
        self.words = words
        cue = rules.cue
        self._lead, self._trail, self._qualifier = cue["subject_lead"], cue["subject_trail"], cue["subject_qualifier"]
        self._figure_prefix, self._figure_suffix = cue["subject_figure_prefix"], cue["subject_figure_suffix"]
        self._figure_name = cue["figure_name"]
        self.doc = doc
        self.spans = sorted(spans)
        self._starts = [s for s, _, _ in self.spans]
        self.last_known: tuple[int, int] | None = None  # the known subject subject_of found last
        self._stops: dict[str, ClauseStops] = {}
        self._colons = [i for i, ch in enumerate(t) if ch in TOPIC_END]

    def known(self, a: int, b: int) -> list[tuple[int, int, str]]:
        """The known subjects within [a, b), the longest of overlapping ones."""
        i = bisect.bisect_left(self._starts, a)
        out = []
        while i < len(self.spans) and self.spans[i][0] < b:
            s, e, name = self.spans[i]
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

    def clause_start(self, pos: int, delims: str = CLAUSE_DELIMS, floor: int = 0) -> int:
        """Where the clause of ``pos`` starts (not before ``floor``; parentheses are skipped).

        The clause starts after the last delimiter (or unclosed opening parenthesis) before
        ``pos`` at the nesting depth of ``pos``: one bisection in :class:`ClauseStops`.
        """
        stops = self._stops.get(delims)
        if stops is None:
            stops = self._stops[delims] = ClauseStops(self.t, delims)
        return stops.start(pos, floor)

    # ------------------------------------------------------------------ the subject of a window
    def subject_of(self, a: int, b: int, *, raw_ok: bool = True) -> Found:
        """(normalized subject, raw subject, start, all subjects) of the window [a, b).

        A known subject (spaCy span from rules/subjects.yaml) wins, the leftmost one
        after the last "、"; parentheticals such as （不含车辆） are ignored. Failing
        that, the window without leading dates, organisation names and trailing
        verbs is the raw subject (``raw_ok``).
        """
        masked = [(a + m.start(), a + m.end()) for m in self._qualifier.finditer(self.t[a:b])]
        w = _unmask(self.t[a:b], masked, a)
        lead = self._lead.match(w)
        multi = self._multi_subject(w[lead.end() if lead else 0 :], a)
        if multi is not None:
            return multi
        cut_at = self._after_last_comma(a, b)
        known = [k for k in self.known(cut_at, b) if not any(ms <= k[0] < me for ms, me in masked)]
        self.last_known = None
        found = self._known_subject(known, cut_at, b) if known else None
        if found is not None:
            return found
        if not raw_ok:
            return None, None, b, []
        return self._raw_subject(cut_at, b, masked)

    def _multi_subject(self, w: str, a: int) -> Found | None:
        """“收、支总计均为…”: one value for two subjects."""
        mm = self.rules.cue["multi_subject"].match(w)
        if not (mm and (mm.group("atail") or mm.group("btail"))):
            return None
        pre = mm.group("pre") or ""
        tail = mm.group("btail") or mm.group("atail") or ""
        subs = []
        for g in ("a", "b"):
            x = mm.group(g)
            x = {"收": "收入", "支": "支出"}.get(x, x)
            own = (mm.group(g + "tail") or tail).replace("预算总计", "总计").replace("总预算", "总计")
            subs.append(_re.sub(r"\s+", "", pre + x + own))
        names = [self.rules.alias_to_name.get(norm_subject(x), x) for x in subs]
        return names[0], w, a, names

    def _after_last_comma(self, a: int, b: int) -> int:
        """Just after the last "、" of [a, b) outside parentheses (``a`` if none)."""
        depth = 0
        for i in range(b - 1, a - 1, -1):
            ch = self.t[i]
            if ch in "）)":
                depth += 1
            elif ch in "（(":
                depth = max(0, depth - 1)
            elif ch == "、" and depth == 0:
                return i + 1
        return a

    def _known_subject(self, known: list[tuple[int, int, str]], cut_at: int, b: int) -> Found | None:
        """The first known subject, unless it is a generic total preceded by other words
        (“其他资金收入预算” names a part)."""
        t = self.t
        ks, ke, name = known[0]
        # the lead may need to see the subject's first character (“省检察院” before “本年…”)
        lead2 = self._lead.match(t[cut_at:ke])
        before = t[cut_at + min(lead2.end() if lead2 else 0, ks - cut_at) : ks]
        generic = (
            (ke - ks <= 3 or norm_subject(t[ks:ke]) in self.words.generic_totals)
            and len(_re.findall(r"[\u4e00-\u9fa5]", before)) >= 2
            and not _re.search(r"[，,；;：:]", before)
        )
        if generic:
            return None
        tail = self._trail.sub("", t[ke:b])
        if (
            tail.startswith("的")
            and len(tail) > 2
            and not (len(known) > 1 and self.rules.decomposes(name, known[1][2]))
        ):
            # “上年结转结余的一般公共预算收入”: the head is what follows 的, a share of the
            # first subject; the first does not name its cell
            compound = t[ks:ke] + tail
            return compound, compound, ks, [compound]
        if self._narrows(tail):
            # “政府采购授予中小企业合同金额”: the known subject qualifies another quantity
            compound = t[ks:ke] + tail
            return compound, compound, ks, [compound]
        plain = len(tail) >= 2 and not any(w in tail for w in self.words.change_verbs)
        part = self.rules.part_named_in(name, tail) if plain else None  # not “基本支出增加人员经费…”
        if part is not None:
            # “政府采购货物类预算”: the known subject and the distinctive word of one of its parts
            raw = self._trail.sub("", t[ks:b])
            return part, raw, ks, [part]
        raw = self._trail.sub("", t[ks:b]) or t[ks:ke]
        self.last_known = (ks, ke)
        return name, raw, ks, [name]

    def _narrows(self, tail: str) -> bool:
        """Words after a known subject that end in a noun of an amount (金额, 总额) and hold more
        than figure and weak words (授予中小企业合同金额, not 预算总额 or 项目预算金额) name a
        narrower quantity than the known subject: in a noun phrase the head comes last."""
        head = next((h for h in self.words.amount_heads if tail.endswith(h)), None)
        if head is None:
            return False
        mid = self._figure_name.sub("", tail[: -len(head)])
        for w in sorted(self.words.weak_subjects, key=len, reverse=True):
            mid = mid.replace(w, "")
        return len(_re.findall(r"[\u4e00-\u9fa5]", mid)) >= 2

    def _raw_subject(self, cut_at: int, b: int, masked: list[tuple[int, int]]) -> Found:
        """The words of the window, without lead, trail and figure words, as the subject."""
        w2 = _unmask(self.t[cut_at:b], masked, cut_at)
        lead = self._lead.match(w2)
        off2 = lead.end() if lead else 0
        raw = self._trail.sub("", w2[off2:])
        raw_clean = self._figure_prefix.sub("", raw) if raw else raw
        raw_clean = self._figure_suffix.sub("", raw_clean) if raw_clean and len(raw_clean) > 2 else raw_clean
        raw_clean = self._trail.sub("", raw_clean or "")
        if (
            raw_clean
            and raw_clean not in self.words.weak_subjects
            and len(raw_clean) >= 2
            and not _re.fullmatch(r"[\W\d_]+", raw_clean)
        ):
            name = self.rules.alias_to_name.get(norm_subject(raw_clean), raw_clean)
            return name, raw, cut_at + off2, [name]
        return None, raw or None, cut_at + off2, []

    def topic(self, sent_start: int, upto: int) -> str | None:
        """The label of the sentence part a number stands in ("成本指标：…", "X绩效自评情况：…")."""
        k = bisect.bisect_left(self._colons, sent_start)
        if k == len(self._colons) or self._colons[k] >= upto:
            return None
        best = None
        for m in self.rules.cue["topic"].finditer(self.t[sent_start:upto]):
            best = m
        if best is None:
            return None
        return self.subject_of(sent_start + best.start("topic"), sent_start + best.end("topic"))[0]

    def heading_before(self, sent_start: int) -> str | None:
        """The subject of a numbered heading sentence right before ``sent_start`` (“（一）因公出国
        （境）费用。2026年预算数…”): the item the next sentence's bare figure belongs to."""
        end = sent_start
        while end > 0 and self.t[end - 1] in " \t\u3000\n":
            end -= 1
        if end <= 0 or self.t[end - 1] not in "。.":
            return None
        start = max(self.t.rfind("\n", 0, end - 1), self.t.rfind("。", 0, end - 1)) + 1
        m = _HEADING_RE.fullmatch(self.t[start : end - 1].strip())
        if m is None:
            return None
        a = start + self.t[start:end].index(m.group("name"))
        b = a + len(m.group("name"))
        known = self.known(a, b)
        if len(known) != 1 or known[0][1] - known[0][0] < b - a - 2:
            return None  # the heading is not one known subject (公务用车购置 inside 公务用车购置和运行维护费)
        return known[0][2]

    def heading_item(self, heading: str) -> str | None:
        """The one known subject a numbered heading names (“（一）因公出国（境）经费”), if it names one."""
        m = _HEADING_RE.fullmatch(heading.strip())
        if m is None:
            return None
        return self.rules.alias_to_name.get(norm_subject(m.group("name").strip()))

    def right_noun(self, pos: int) -> str | None:
        """The counted noun after a count ("5个一般公共预算项目支出开展…" → 一般公共预算项目支出)."""
        m = self.rules.cue["counted_noun"].match(self.t[pos : pos + 20])
        if not m:
            return None
        noun = m.group(1)
        if noun in self.words.weak_subjects or len(noun) < 1 or self.rules.cue["not_counted_noun"].match(noun):
            return None
        return noun

    # ------------------------------------------------------------------ figures and bases
    def figure_in(self, a: int, b: int) -> str | None:
        """Which figure (决算, 年初预算 …) the words of [a, b) name, outside a known subject name
        (the last one :meth:`subject_of` found)."""
        k = self.last_known
        if k is not None and a <= k[0] < b:
            return self.figure_of(self.t[a : k[0]] + "|" + self.t[k[1] : b])
        return self.figure_of(self.t[a:b])

    def figure_of(self, window: str) -> str | None:
        found = self._figure_name.findall(window)
        if not found:
            return None
        w = found[-1]
        if w in self.words.actual_figure:
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
        if best is None:
            same = self.rules.cue["same_period"].search(seg)  # 同比
            best = same.group("base") if same else None
        return self.base_norm(best)


def _unmask(w: str, masked: list[tuple[int, int]], origin: int) -> str:
    """``w`` (which starts at ``origin``) without the masked ranges that start in it."""
    for ms, me in reversed(masked):
        if ms >= origin:
            w = w[: ms - origin] + w[me - origin :]
    return w
