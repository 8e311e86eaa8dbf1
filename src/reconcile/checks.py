"""Checks of narrative claims: recompute, compare with interval arithmetic, explain.

Every claim ends with a status: ``verified``, ``inconsistent`` or ``unverifiable``
(with the reason), recorded in :class:`ClaimOutcome`. A printed value with *d*
decimals stands for ``[v - ½·10⁻ᵈ, v + ½·10⁻ᵈ]``; a derived rate, share or
completion is consistent when its printed interval meets the interval computed
from its inputs. Writers who truncate instead of rounding are accepted too (a
printed rate may stand for up to one unit of its last digit more). A claim that
passes only because one figure was printed coarsely (an integer number of 万元) is
reported as info (N214).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise

from .claims import Claim
from .document import Document
from .findings import CellRef, Finding, Status
from .match import (
    BUDGET_FIGURES,
    CellMatch,
    ClassPath,
    MatchRules,
    find_cells,
    load_match_rules,
    marked_path,
    paths_in,
    same_name,
    widened_scopes,
)
from .model import Row, Table, compact
from .numbers import Interval, half_unit
from .rules import Rules
from .sections import Section, heading_level

__all__ = ["ClaimOutcome", "check_claims"]

ZERO = Decimal(0)

HUNDRED = Decimal(100)
_MONEY = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}


@dataclass
class ClaimOutcome:
    status: str = "unverifiable"
    reason: str = "no check applies to this claim"
    checked: bool = False

    def set(self, status: Status, reason: str) -> None:
        rank = {"unverifiable": 0, "verified": 1, "inconsistent": 2}
        if not self.checked or rank[status] > rank[self.status]:
            self.status, self.reason, self.checked = status, reason, True


@dataclass
class _Ctx:
    doc: Document
    claims: list[Claim]
    by_id: dict[str, Claim]
    tables: list[Table]
    mrules: MatchRules
    rules: Rules
    suspect: dict[tuple[str, str, str], tuple[str, Decimal | None]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    outcome: dict[str, ClaimOutcome] = field(default_factory=dict)
    cell_of: dict[str, CellMatch] = field(default_factory=dict)
    paths: dict[str, ClassPath] = field(default_factory=dict)  # claim id → 类/款/项 chain before its number
    class_names: dict[str, bool] = field(default_factory=dict)  # subject → names a function class
    item_totals: set[str] = field(default_factory=set)  # totals whose items check_item_lists summed
    sections: Sequence[Section] = ()

    def out(self, cid: str) -> ClaimOutcome:
        return self.outcome.setdefault(cid, ClaimOutcome())

    def add(
        self,
        code: str,
        status: Status,
        message: str,
        claims: list[Claim],
        *,
        cells: list[CellMatch] | None = None,
        expected: Decimal | None = None,
        observed: Decimal | None = None,
        tolerance: Interval | None = None,
        severity: str | None = None,
        spans: tuple[tuple[int, int], ...] = (),
    ) -> None:
        """Record a finding; ``spans`` adds places of the text that no claim covers."""
        refs = tuple(
            CellRef(
                m.table.id, r.key(), m.column, r.cells[m.column].value, r.cells[m.column].span, r.cells[m.column].page
            )
            for m in (cells or [])
            for r in (m.row, *m.plus)
        )
        f = Finding(
            check=code,
            status=status,
            message=message,
            spans=(*(c.span for c in claims), *spans),
            claims=tuple(c.id for c in claims),
            cells=refs,
            expected=expected,
            observed=observed,
            tolerance=(tolerance.lo, tolerance.hi) if tolerance else None,
            severity=severity,  # type: ignore[arg-type]
        )
        self.findings.append(f)
        if claims:
            self.out(claims[0].id).set(status, message)
        if status == "verified":
            # the other figures of a verified relation are consistent with it (an amount
            # no table holds, checked through the rate it yields, is verified by it)
            for other in claims[1:]:
                o = self.out(other.id)
                if not o.checked or o.status == "unverifiable":
                    o.set("verified", f"consistent with {claims[0].id}: {message}")


# --------------------------------------------------------------------------- numbers
def _fmt(v: Decimal, places: int = 2) -> str:
    q = Decimal(1).scaleb(-places)
    return f"{v.quantize(q):,}"


def _printed(c: Claim) -> str:
    return f"{c.value}{c.unit or ''}" if c.value is not None else c.text


def _money_factor(c: Claim) -> Decimal | None:
    if c.unit in _MONEY:
        return _MONEY[c.unit or ""]
    if c.unit is None:
        return Decimal(1)  # a missing unit is read as 万元 (the unit slip is reported separately)
    return None


def _iv(c: Claim, *, exact_zero: bool = True) -> Interval:
    assert c.value is not None
    if exact_zero and c.value == 0:
        return Interval.exact(Decimal(0))
    factor = _money_factor(c) or Decimal(1)
    return Interval.printed(c.value, c.decimals or 0).scale(factor)


def _fine_iv(c: Claim) -> Interval:
    """The interval the value would have if it had been printed with 2 decimals."""
    assert c.value is not None
    factor = _money_factor(c) or Decimal(1)
    d = max(c.decimals or 0, 2)
    return Interval.printed(c.value, d).scale(factor)


def _pct_iv(c: Claim) -> Interval:
    """A printed percentage, allowing rounding and truncation."""
    assert c.value is not None
    d = c.decimals or 0
    h = half_unit(d)
    return Interval(c.value - h, c.value + 2 * h)


def _coarse(claims: list[Claim]) -> bool:
    return any(c.value is not None and c.value != 0 and (c.decimals or 0) == 0 for c in claims)


def _wide_pass(reported: Claim, point: Decimal | None, computed: Interval) -> bool:
    """The reported percentage passes only thanks to the inputs' rounding: the printed values
    themselves give a point that does not round to it, and their rounding spans more than one
    unit of the reported figure (“减少0.42万元，下降35.5%”: 0.42 / 1.18 = 35.59%, while the inputs
    allow 34.87%–36.32%). A narrow interval that merely straddles a rounding edge is tail rounding."""
    if point is None or reported.value is None:
        return False
    d = reported.decimals or 0
    return not Interval.printed(reported.value, d).contains(point) and computed.hi - computed.lo > 2 * half_unit(d)


def _ratio(num: Interval, den: Interval) -> Interval | None:
    if den.lo <= 0 <= den.hi:
        return None
    return (num / den).scale(HUNDRED)


def _sentence_break(ctx: _Ctx, a: Claim, b: Claim) -> bool:
    """True when a full stop stands between two claims (line breaks do not count: PDF
    text wraps sentences, with blank lines between the wrapped parts)."""
    lo, hi = sorted((a.span[1], b.span[0]))
    return "。" in ctx.doc.text[lo:hi]


def _bare(subject: str | None) -> str | None:
    """A subject without its 总计/合计 ending (财政拨款支出总计 is 财政拨款支出 restated)."""
    return re.sub(r"(总计|合计)$", "", subject) if subject else subject


def _follows_its_amount(ctx: _Ctx, head: Claim, chg: Claim) -> bool:
    """“X支出23513.11万元，主要用于…。与上年相比增加410.44万元，增长1.78%”: a change in
    the sentence after its amount reads against it when that sentence states one amount
    only, the two stand in one paragraph with no number in between, and the change names
    no other subject."""
    if head.span[1] > chg.span[0]:
        return False
    between = ctx.doc.text[head.span[1] : chg.span[0]]
    if not between.count("。") or re.search(r"\n[ \t]*\n", between) or len(between) > 160:
        return False
    # whole sentences in between (“全部由省财政拨款。”) may stand there if they hold no number
    if any(re.search(r"\d", s) for s in between.split("。")[1:-1]):
        return False
    if chg.subject_raw and _bare(chg.subject) != _bare(head.subject):
        return False
    sent_start = ctx.doc.text.rfind("。", 0, head.span[0]) + 1
    # a paragraph starts a sentence too (“其中：” then “（一）收入预算总计…” below it)
    para = [m.end() for m in re.finditer(r"\n[ \t]*\n", ctx.doc.text[sent_start : head.span[0]])]
    sent_start += para[-1] if para else 0
    sent_end = head.span[1] + between.index("。")
    amounts = {
        x.value * (_money_factor(x) or 1)
        for x in ctx.claims
        if x.quantity == "amount" and _is_money(x) and x.value is not None and sent_start <= x.span[0] < sent_end
    }
    if len(amounts) != 1 or re.match(r"\s*其中", ctx.doc.text[sent_start : head.span[0]]):
        return False
    # the amount's own sentence already gives its change (“…9193.40万元，比2016年增加5503.07万元。…
    # 按与上年统计口径一致相比，本年比上年减少161.96万元”): a later change is on another basis
    if any(x.quantity == "change" and head.span[1] <= x.span[0] < sent_end for x in ctx.claims):
        return False
    # nothing in money between the amount's sentence and the change
    return not any(
        x.quantity in ("amount", "change") and x is not chg and _is_money(x) and sent_end <= x.span[0] < chg.span[0]
        for x in ctx.claims
    )


_DOC_TOTALS = {"本年收入合计", "本年支出合计", "收入总计", "支出总计"}


def _class_context(ctx: _Ctx, c: Claim) -> bool:
    """The amount stands under a 类/款/项 heading or after a 类/款 name on its line."""
    line = ctx.doc.line_at(c.span[0])
    end = c.number_span[0] if c.number_span else c.span[1]
    before = ctx.doc.text[line.start : end]
    heading = c.section_heading or ""
    return bool(re.search(r"（[类款项]）", before) or re.search(r"（[类款项]）\s*$", heading))


def _subset_cue(ctx: _Ctx, c: Claim) -> bool:
    start = max(0, c.span[0] - 60)
    before = ctx.doc.folded[start : c.span[0] + 4]
    sentence = before[max(before.rfind("。"), before.rfind("；"), 0) :]
    if "整体支出绩效" in sentence or "整体绩效" in sentence:
        return False  # the unit's whole spending was evaluated: the amounts are its totals
    return any(cue in sentence for cue in ctx.mrules.subset_cues)


_CHANGE_WORDS_RE = re.compile(r"增加|减少|增长|下降|上升|降低|压减|新增|调增|调减|追加|核减")


def _change_cue(ctx: _Ctx, c: Claim) -> bool:
    """A change verb between the start of the claim's clause and its number
    (“基本支出增加人员经费1408.29万元”, “增加基本支出844.15万元”): the amount is a change."""
    end = c.number_span[0] if c.number_span else c.span[1]
    before = ctx.doc.folded[max(0, end - 60) : end]
    clause = re.split(r"[，,。；;：:]", before)[-1]
    return bool(_CHANGE_WORDS_RE.search(clause))


def _is_money(c: Claim | None) -> bool:
    return (
        c is not None and c.value is not None and (c.unit in _MONEY or (c.unit is None and "unit_missing" in c.flags))
    )


# --------------------------------------------------------------------------- driver
def _widen(claims: list[Claim], more: dict[str, tuple[str, ...]]) -> list[Claim]:
    """Claims whose section speaks of a table that wholly holds another one also speak of that one."""
    if not more:
        return claims
    out = []
    for c in claims:
        extra = [k for s in c.scope for k in more.get(s, ()) if k not in c.scope]
        out.append(replace(c, scope=(*c.scope, *dict.fromkeys(extra))) if extra else c)
    return out


def check_claims(
    doc: Document,
    claims: list[Claim],
    tables: list[Table],
    rules: Rules,
    table_findings: list[Finding] | None = None,
    sections: Sequence[Section] = (),
) -> tuple[list[Finding], dict[str, ClaimOutcome]]:
    """Check every claim; ``table_findings`` mark cells that fail the tables' own identities;
    ``sections`` let the notes that describe a table (本表…与《…》的“…”一致) be checked."""
    mrules = load_match_rules(rules)
    claims = _widen(claims, widened_scopes(tables, mrules))
    ctx = _Ctx(doc, claims, {c.id: c for c in claims}, tables, mrules, rules, sections=sections)
    for f in table_findings or []:
        if f.status == "inconsistent" and f.cells and f.check != "T109":
            total = f.cells[0]
            ctx.suspect[(total.table, total.row, total.column)] = (f.check, f.expected)
    for c in claims:
        o = ctx.out(c.id)
        if c.quantity == "count":
            o.reason = "a count with nothing in the document to compare it with"
        elif c.quantity == "score":
            o.reason = "a score with no stated parts or total to compare it with"
        elif c.quantity == "change":
            o.reason = "a change whose base year amount is not in this document (no rate to check it against)"
        elif c.quantity == "other" and c.relation:
            o.reason = f"a statement ({c.text}) with nothing to compare it with"
    for fn in _CHECKS:
        fn(ctx)
    return _dedupe(ctx.findings), ctx.outcome


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, tuple[object, ...]]] = set()
    out = []
    for f in findings:
        key = (f.check, f.status, (f.message,) if f.check in ("N206", "N213") else tuple(sorted(f.spans)))
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


_CHECKS: list[Callable[[_Ctx], None]] = []


def _register(fn: Callable[[_Ctx], None]) -> Callable[[_Ctx], None]:
    _CHECKS.append(fn)
    return fn


# --------------------------------------------------------------------------- amounts
def _path(ctx: _Ctx, c: Claim) -> ClassPath:
    """The 类/款/项 chain written right before the claim's number, if any (read once per claim)."""
    got = ctx.paths.get(c.id)
    if got is None:
        got = ctx.paths[c.id] = _read_path(ctx, c)
    return got


def _read_path(ctx: _Ctx, c: Claim) -> ClassPath:
    end = c.number_span[0] if c.number_span else c.span[1]
    start = max(0, end - 200)
    before = ctx.doc.text[start:end]
    cut = max((m.end() for m in re.finditer(r"[。！？!?]|\n[ \t]*\n", before)), default=0)
    return marked_path(before[cut:])


def _names_a_class(ctx: _Ctx, name: str) -> bool:
    """A function class (类) of the tables is called ``name`` (一般公共服务支出, 住房保障支出)."""
    if name == "其他支出":  # also a kind of expenditure by use (基本支出, 项目支出, … 其他支出)
        return False
    got = ctx.class_names.get(name)
    if got is None:
        got = ctx.class_names[name] = any(
            (r.code is not None and len(r.code) == 3 and r.code.startswith("2") and same_name(r.name, name))
            or (t.kind in _SUMMARY_KINDS and r.code is None and same_name(r.name, name))
            for t in ctx.tables
            for r in t.rows
        )
    return got


_SUMMARY_KINDS = ("budget_summary", "income_expenditure_summary")


def _match(ctx: _Ctx, c: Claim, subject: str | None = None, figure: str | None = None) -> tuple[list[CellMatch], str]:
    subj = subject if subject is not None else c.subject
    fig = figure if figure is not None else c.figure
    path = _path(ctx, c) if subject is None else ()
    if (
        not path
        and subject is None
        and c.subject
        and c.subject not in ctx.mrules.subjects
        and not c.classification
        and _names_a_class(ctx, c.subject)
    ):
        # a class named without its （类） marker is read as the class row
        path = (("类", c.subject),)
    return find_cells(c, subj, ctx.tables, ctx.mrules, ctx.doc.kind, fig, path)


def _one_unit_apart(c: Claim, m: CellMatch) -> bool:
    """The claim and a single cell printed to the same decimals differ (their rounding
    intervals only touch): one figure printed twice must read the same."""
    cell = m.cell
    return (
        not m.plus
        and m.table.scale == 1
        and cell.value is not None
        and c.value is not None
        and cell.decimals == c.decimals
        and cell.value != c.value
    )


@_register
def check_amounts(ctx: _Ctx) -> None:
    for c in ctx.claims:
        if c.quantity != "amount" or c.value is None or (not _is_money(c) and c.unit is not None):
            continue
        cells, how = _match(ctx, c)
        if not cells:
            if ctx.tables:
                ctx.out(c.id).set("unverifiable", f"not in the tables: {how}")
            else:
                ctx.out(c.id).set("unverifiable", "the document has no tables to compare with")
            continue
        claim_iv = _iv(c)
        if how == "ambiguous":
            hits = [m for m in cells if m.interval.meets(claim_iv)]
            listing = "; ".join(f"{m.label()} = {_fmt(m.value)}" for m in cells)
            ctx.add(
                "N290",
                "unverifiable",
                f"{c.subject} {_printed(c)}: two table cells could be meant and they disagree ({listing}); "
                f"{'the claim matches ' + hits[0].label() if hits else 'the claim matches neither'} — not guessed",
                [c],
                cells=cells,
            )
            continue
        if not c.classification and not _path(ctx, c) and _class_context(ctx, c):
            ctx.out(c.id).set(
                "unverifiable", "an amount of the class or item named before it (（类）/（款）), not of a table total"
            )
            continue
        if _change_cue(ctx, c):
            ctx.out(c.id).set(
                "unverifiable", "an amount of change (增加/减少 … before it in its clause), not the level a table holds"
            )
            continue
        if _subset_cue(ctx, c):
            ctx.out(c.id).set("unverifiable", "an amount of the items the sentence is about (涉及…), not a table total")
            continue
        m = cells[0]
        ctx.cell_of[c.id] = m
        cell_iv = m.interval
        if cell_iv.meets(claim_iv) and not _one_unit_apart(c, m):
            if c.unit is None and "unit_missing" in c.flags:
                ctx.add(
                    "N210",
                    "inconsistent",
                    f"missing unit: “{c.text}” gives {c.value} with no unit; {m.label()} shows {_fmt(m.value)}万元",
                    [c],
                    cells=[m],
                    severity="warning",
                )
                continue
            msg = f"{c.subject} {_printed(c)} = {m.label()} {_fmt(m.value)}"
            if (c.decimals or 0) == 0 and c.value != 0 and not m.interval.meets(_fine_iv(c)):
                ctx.add(
                    "N214",
                    "verified",
                    msg + " (only as rounded to a whole 万元)",
                    [c],
                    cells=[m],
                    expected=m.value,
                    observed=c.value,
                    tolerance=claim_iv,
                )
            else:
                ctx.add("N201", "verified", msg, [c], cells=[m], expected=m.value, observed=c.value)
            continue
        # not equal: a unit slip?
        if c.unit == "元" and Interval.printed(c.value, c.decimals or 0).meets(cell_iv):
            ctx.add(
                "N210",
                "inconsistent",
                f"unit slip: “{c.text}” says {c.value}元, but {m.label()} is {_fmt(m.value)}万元 — 元 written for 万元",
                [c],
                cells=[m],
                expected=m.value,
                observed=c.value,
            )
            continue
        broken = ctx.suspect.get((m.table.id, m.row.key(), m.column))
        note = f"; that cell itself fails {broken[0]}" if broken else ""
        if _one_unit_apart(c, m):
            note += f"; both are printed to {c.decimals} decimals, so rounding cannot part them"
        ctx.add(
            "N201",
            "inconsistent",
            f"{c.subject}: the narrative says {_printed(c)}, but {m.label()} shows {_fmt(m.value)}万元 "
            f"(difference {_fmt(claim_iv.mid - m.value)}){note}",
            [c],
            cells=[m],
            expected=m.value,
            observed=c.value,
            tolerance=cell_iv,
        )


_EXECUTED_RE = re.compile(r"执行数|实际执行|实际支出|实际使用|实际完成|结算支付|支出决算数?为")


@_register
def check_executed_bound(ctx: _Ctx) -> None:
    """An amount executed or spent in the year (执行数, 实际支出), in a final account, cannot
    exceed the year's total expenditure: checked for amounts that have no cell of their own."""
    if ctx.doc.kind != "final_account":
        return
    for c in ctx.claims:
        if c.quantity != "amount" or not _is_money(c) or c.id in ctx.cell_of or not c.value:
            continue
        end = (c.number_span[0] if c.number_span else c.span[1]) - c.span[0]
        label = c.text[:end]
        if not _EXECUTED_RE.search(label) or "累计" in label or _change_cue(ctx, c):
            continue
        cells, how = _match(ctx, c, subject="本年支出合计", figure="决算")
        if not cells or how == "ambiguous":
            continue
        m = cells[0]
        claim_iv = _iv(c)
        if claim_iv.lo <= m.interval.hi:
            continue
        ctx.add(
            "N216",
            "inconsistent",
            f"“{c.text.strip()}” is more than the year's total expenditure: {m.label()} is {_fmt(m.value)}万元, "
            f"and no amount spent in the year can exceed it (difference {_fmt(claim_iv.mid - m.value)})",
            [c],
            cells=[m],
            expected=m.value,
            observed=c.value,
        )


# --------------------------------------------------------------------------- rates and changes
@_register
def check_rates(ctx: _Ctx) -> None:
    for r in ctx.claims:
        if r.quantity != "rate":
            continue
        head = ctx.by_id.get(r.head or "")
        chg = ctx.by_id.get(r.change or "")
        if head is not None and head.value is not None and chg is None and _is_money(head):
            base = _stated_base(ctx, r, head)
            if base is not None:
                _rate_from_two_amounts(ctx, r, head, base)
                continue
        if head is None or chg is None or head.value is None or chg.value is None:
            ctx.out(r.id).set("unverifiable", "the amount or the change this rate derives from was not stated")
            continue
        if not (_is_money(head) and _is_money(chg)):
            ctx.out(r.id).set("unverifiable", "the rate is not over money amounts")
            continue
        if _sentence_break(ctx, head, chg) and not _follows_its_amount(ctx, head, chg):
            ctx.out(r.id).set(
                "unverifiable", "the change is stated in another sentence than the amount it is read against"
            )
            continue
        d_dir = chg.direction or 1
        # direction words must agree
        if (
            r.direction
            and chg.direction
            and r.direction != chg.direction
            and chg.value != 0
            and r.value not in (None, 0)
        ):
            words = {1: "增加/增长", -1: "减少/下降"}
            ctx.add(
                "N208",
                "inconsistent",
                f"direction words disagree: “{chg.text}” ({words[chg.direction]}) but “{r.text}” ({words[r.direction]})",
                [r, chg],
            )
            continue
        a, d = _iv(head), _iv(chg)
        prior = a - d if d_dir > 0 else a + d
        base_name = "上年" if (r.base or chg.base or "").startswith("上年") else (r.base or chg.base or "base")
        if r.unit == "倍":
            _check_multiple(ctx, r, head, chg, a, prior)
            continue
        if r.value is None:  # "--" / 不可比
            if prior.lo > 0 and chg.value != 0:
                ctx.out(r.id).set("unverifiable", f"rate given as “--” though the {base_name} base is not zero")
            else:
                ctx.out(r.id).set("verified", "rate given as not comparable over a zero base")
            continue
        prior_mid = (head.value * (_money_factor(head) or 1)) - d_dir * (chg.value * (_money_factor(chg) or 1))
        if prior_mid == 0 and chg.value != 0:
            if r.value != 0:
                ctx.add(
                    "N209",
                    "inconsistent",
                    f"rate over a zero base: {head.subject} {_printed(head)} with a change of {_printed(chg)} means the "
                    f"{base_name} figure was 0, so “{r.text}” cannot be a number (write “--” / 不可比)",
                    [r, head, chg],
                    observed=r.value,
                )
            continue
        if chg.value == 0:
            ok = r.value == 0
            ctx.add(
                "N203",
                "verified" if ok else "inconsistent",
                f"{head.subject}: change 0 ⇒ rate 0%, reported {r.value}%",
                [r, head, chg],
                expected=Decimal(0),
                observed=r.value,
            )
            continue
        rate = _ratio(d, prior)
        if rate is None:
            ctx.out(r.id).set("unverifiable", f"the {base_name} base ({_fmt(prior.mid)}) is too close to 0")
            continue
        rep = _pct_iv(r)
        sign = "−" if d_dir > 0 else "+"
        expected = (chg.value * (_money_factor(chg) or 1)) / prior_mid * HUNDRED if prior_mid else None
        arith = (
            f"{_strip(chg)} / ({_strip(head)} {sign} {_strip(chg)}) = "
            f"{_fmt(expected) if expected is not None else '?'}%"
        )
        if rep.meets(rate):
            coarse = (
                _coarse([head, chg]) and not rep.meets(_ratio(_fine_iv(chg), _fine(head, chg, d_dir)) or rate)
            ) or _wide_pass(r, expected, rate)
            ctx.add(
                "N214" if coarse else "N203",
                "verified",
                f"{head.subject}: {arith}, reported {r.value}%"
                + (" (only thanks to coarse rounding)" if coarse else ""),
                [r, head, chg],
                expected=expected,
                observed=r.value,
                tolerance=rate,
            )
        else:
            ctx.add(
                "N203",
                "inconsistent",
                f"{head.subject}: {arith}, reported {r.value}% (inputs' rounding allows "
                f"{_fmt(rate.lo)}%–{_fmt(rate.hi)}%)",
                [r, head, chg],
                expected=expected,
                observed=r.value,
                tolerance=rate,
            )


def _check_multiple(ctx: _Ctx, r: Claim, head: Claim, chg: Claim, a: Interval, prior: Interval) -> None:
    """“增长16倍”: the change over the earlier figure, or (as writers also use it) the new
    figure over the earlier one; either reading within the printed rounding passes."""
    if r.value is None or prior.lo <= 0:
        ctx.out(r.id).set("unverifiable", "a multiple over a zero or unknown base")
        return
    d = _iv(chg)
    inc = Interval(d.lo / prior.hi, d.hi / prior.lo)
    whole = Interval(a.lo / prior.hi, a.hi / prior.lo)
    rep = Interval.printed(r.value, r.decimals or 0)
    rep = Interval(rep.lo, rep.hi + half_unit(r.decimals or 0))  # truncated figures too: [v − ½u, v + u]
    arith = f"{_strip(chg)} / ({_strip(head)} − {_strip(chg)}) = {_fmt(inc.mid)} 倍 (new / old = {_fmt(whole.mid)})"
    if (chg.direction or 1) < 0:
        ctx.out(r.id).set("unverifiable", "a multiple stated for a decrease")
    elif rep.meets(inc) or rep.meets(whole):
        ctx.add("N215", "verified", f"{head.subject}: {arith}, reported {r.value}倍", [r, head, chg])
    else:
        ctx.add(
            "N215",
            "inconsistent",
            f"{head.subject}: {arith}, reported {r.value}倍",
            [r, head, chg],
            expected=inc.mid,
            observed=r.value,
        )


def _stated_base(ctx: _Ctx, r: Claim, head: Claim) -> Claim | None:
    """The earlier-year amount a rate is computed over, when the sentence states both
    amounts ("2023年执行数为A万元，2024年预算安排B万元，比2023年增加R%")."""
    cands = [
        x
        for x in ctx.claims
        if x.quantity == "amount"
        and x.id != head.id
        and x.value is not None
        and _is_money(x)
        and x.span[0] < head.span[0]
        and x.figure != head.figure
        and x.section == head.section
        and not _sentence_break(ctx, x, r)
    ]
    return cands[-1] if len(cands) == 1 or (cands and cands[-1].span[0] > head.span[0] - 80) else None


def _rate_from_two_amounts(ctx: _Ctx, r: Claim, head: Claim, base: Claim) -> None:
    assert head.value is not None and base.value is not None
    cur, prior = _iv(head), _iv(base)
    if r.value is None:
        ctx.out(r.id).set("verified" if base.value == 0 else "unverifiable", "rate given as not comparable")
        return
    if base.value == 0:
        if head.value != 0 and r.value != 0:
            ctx.add(
                "N209",
                "inconsistent",
                f"rate over a zero base: the earlier figure “{base.text}” is 0, so “{r.text}” cannot be a number "
                f"(write “--” / 不可比)",
                [r, head, base],
                observed=r.value,
            )
        return
    rate = _ratio(cur - prior, prior)
    if rate is None:
        return
    signed = _pct_iv(r) if (r.direction or 1) > 0 else -_pct_iv(r)
    cur_v = head.value * (_money_factor(head) or 1)
    base_v = base.value * (_money_factor(base) or 1)
    expected = (cur_v - base_v) / base_v * HUNDRED
    arith = f"({head.value} − {base.value}) / {base.value} = {_fmt(expected)}%"
    words = "增加/增长" if (r.direction or 1) > 0 else "减少/下降"
    if signed.meets(rate):
        ctx.add(
            "N203",
            "verified",
            f"{arith}, reported {words} {r.value}%",
            [r, head, base],
            expected=expected,
            observed=r.value,
            tolerance=rate,
        )
    elif (-signed).meets(rate) and r.value != 0:
        ctx.add(
            "N208",
            "inconsistent",
            f"direction: {arith}, but the text says {words} {r.value}%",
            [r, head, base],
            expected=expected,
            observed=r.value,
            tolerance=rate,
        )
    else:
        ctx.add(
            "N203",
            "inconsistent",
            f"{arith}, reported {words} {r.value}% (rounding allows {_fmt(rate.lo)}%–{_fmt(rate.hi)}%)",
            [r, head, base],
            expected=expected,
            observed=r.value,
            tolerance=rate,
        )


def _fine(head: Claim, chg: Claim, d_dir: int) -> Interval:
    a, d = _fine_iv(head), _fine_iv(chg)
    return a - d if d_dir > 0 else a + d


def _strip(c: Claim) -> str:
    return f"{c.value}"


# --------------------------------------------------------------------------- shares
@_register
def check_shares(ctx: _Ctx) -> None:
    for s in ctx.claims:
        if s.quantity != "share" or s.value is None:
            continue
        part = ctx.by_id.get(s.head or "")
        if part is None or part.value is None or not _is_money(part):
            ctx.out(s.id).set("unverifiable", "the part this share is of was not stated as an amount")
            continue
        whole_c = ctx.by_id.get(s.whole or "")
        whole_iv: Interval | None = None
        whole_val: Decimal | None = None
        whole_desc = ""
        cells: list[CellMatch] = []
        claims = [s, part]
        if whole_c is not None and whole_c.value is not None and _is_money(whole_c):
            whole_iv, whole_val = _iv(whole_c), whole_c.value * (_money_factor(whole_c) or 1)
            whole_desc = f"{whole_c.subject} {whole_c.value}"
            claims.append(whole_c)
        elif s.whole_subject:
            found, how = _match(ctx, s, subject=s.whole_subject, figure=part.figure)
            if found and how != "ambiguous":
                m = found[0]
                whole_iv, whole_val = m.interval if m.value else Interval.exact(Decimal(0)), m.value
                whole_desc = f"{m.label()} {_fmt(m.value)}"
                cells = [m]
        if whole_iv is None and s.whole_subject:
            stated = [
                x
                for x in ctx.claims
                if x.quantity == "amount"
                and x.subject == s.whole_subject
                and x.value is not None
                and _is_money(x)
                and x.span[0] < s.span[0]
                and x.section == s.section
                and s.span[0] - x.span[0] <= 600
                and (x.figure or "决算") == (part.figure or "决算")
            ]
            if stated:
                w = stated[-1]
                assert w.value is not None
                whole_iv, whole_val = _iv(w), w.value * (_money_factor(w) or 1)
                whole_desc = f"{w.subject} {w.value}"
                claims.append(w)
        if whole_iv is None or whole_val is None:
            ctx.out(s.id).set("unverifiable", f"the whole ({s.whole_subject or '?'}) is not known")
            continue
        part_iv = _iv(part)
        if whole_val == 0:
            ok = s.value == 0 and part.value == 0
            if ok:
                ctx.out(s.id).set("verified", "0 of 0")
            else:
                ctx.add(
                    "N209",
                    "inconsistent",
                    f"share of a zero whole: {whole_desc} is 0, “{s.text}”",
                    claims,
                    cells=cells,
                    observed=s.value,
                )
            continue
        share = _ratio(part_iv, whole_iv)
        if share is None:
            ctx.out(s.id).set("unverifiable", "the whole is too close to zero")
            continue
        expected = part.value * (_money_factor(part) or 1) / whole_val * HUNDRED
        arith = f"{part.value} / {whole_desc} = {_fmt(expected)}%"
        rep = _pct_iv(s)
        if rep.meets(share):
            coarse = (
                _coarse([part, *claims[2:]])
                and not rep.meets(_ratio(_fine_iv(part), _fine_iv(claims[2]) if len(claims) > 2 else whole_iv) or share)
            ) or _wide_pass(s, expected, share)
            ctx.add(
                "N214" if coarse else "N204",
                "verified",
                f"{part.subject}: {arith}, reported {s.value}%"
                + (" (only thanks to coarse rounding)" if coarse else ""),
                claims,
                cells=cells,
                expected=expected,
                observed=s.value,
                tolerance=share,
            )
        else:
            ctx.add(
                "N204",
                "inconsistent",
                f"{part.subject}: {arith}, reported {s.value}% (rounding allows {_fmt(share.lo)}%–{_fmt(share.hi)}%)",
                claims,
                cells=cells,
                expected=expected,
                observed=s.value,
                tolerance=share,
            )


# --------------------------------------------------------------------------- completion
def _budget_for(
    ctx: _Ctx, comp: Claim, actual: Claim
) -> tuple[Interval, Decimal, str, list[Claim], list[CellMatch]] | None:
    b = ctx.by_id.get(comp.budget or "")
    if b is not None and b.value is not None and _is_money(b):
        return _iv(b), b.value * (_money_factor(b) or 1), f"{b.value}", [b], []
    # an amount claim of the same subject stating the budget figure, in the same section, before the actual
    cands = [
        x
        for x in ctx.claims
        if x.quantity == "amount"
        and x.subject == actual.subject
        and x.figure in BUDGET_FIGURES
        and 0 <= actual.span[0] - x.span[0] <= 400
        and x.value is not None
        and _is_money(x)
    ]
    if cands:
        b = cands[-1]
        assert b.value is not None
        return _iv(b), b.value * (_money_factor(b) or 1), f"{b.value}", [b], []
    found, how = _match(ctx, actual, figure="预算")
    if found and how != "ambiguous":
        m = found[0]
        if (m.table.id, m.row.key(), m.column) in ctx.suspect:
            return None  # the budget cell fails the table's own identity: do not build on it
        iv = m.interval if m.value else Interval.exact(Decimal(0))
        return iv, m.value, f"{m.label()} {_fmt(m.value)}", [], [m]
    return None


@_register
def check_budget_changes(ctx: _Ctx) -> None:
    """“支出决算120万元，比年初预算数增加20万元”: the change against the budget is the
    actual figure minus the budget figure (stated in the text or held by a table)."""
    for chg in ctx.claims:
        if chg.quantity != "change" or chg.value is None or not _is_money(chg) or chg.base not in BUDGET_FIGURES:
            continue
        head = ctx.by_id.get(chg.head or "")
        if head is None or head.value is None or not _is_money(head) or head.figure in BUDGET_FIGURES:
            continue
        if _sentence_break(ctx, head, chg) and not _follows_its_amount(ctx, head, chg):
            continue
        got = _budget_for(ctx, chg, head)
        if got is None:
            continue
        b_iv, b_val, b_desc, b_claims, cells = got
        sign = chg.direction or 1
        actual = _iv(head) - b_iv
        stated = _iv(chg) if sign > 0 else -_iv(chg)
        expected = head.value * (_money_factor(head) or 1) - b_val
        word = "增加" if sign > 0 else "减少"
        arith = f"{head.subject}: {_strip(head)} − {chg.base} {b_desc} = {_fmt(expected)}"
        if actual.meets(stated):
            ctx.add("N207", "verified", f"{arith}, stated {word} {chg.value}", [chg, head, *b_claims], cells=cells)
        else:
            ctx.add(
                "N207",
                "inconsistent",
                f"{arith}, but the text says {word} {_printed(chg)}",
                [chg, head, *b_claims],
                cells=cells,
                expected=expected if sign > 0 else -expected,
                observed=chg.value,
                tolerance=actual,
            )


@_register
def check_completion(ctx: _Ctx) -> None:
    for c in ctx.claims:
        if c.quantity != "completion":
            continue
        actual = ctx.by_id.get(c.head or "")
        if actual is None or actual.value is None or not _is_money(actual):
            ctx.out(c.id).set("unverifiable", "the executed amount was not stated as money")
            continue
        got = _budget_for(ctx, c, actual)
        if got is None:
            ctx.out(c.id).set("unverifiable", "the budget figure is not stated and no table holds it")
            continue
        b_iv, b_val, b_desc, b_claims, cells = got
        claims = [c, actual, *b_claims]
        if b_val == 0:
            if c.value is not None and c.value != 0:
                ctx.add(
                    "N209",
                    "inconsistent",
                    f"completion over a zero budget: the budget ({b_desc}) is 0, so “{c.text}” cannot be a rate "
                    f"(write “--”)",
                    claims,
                    cells=cells,
                    observed=c.value,
                )
            else:
                ctx.out(c.id).set("verified", "zero budget, rate given as 0 or not comparable")
            continue
        if c.value is None:
            ctx.out(c.id).set("unverifiable", "rate given as “--” though the budget is not zero")
            continue
        rate = _ratio(_iv(actual), b_iv)
        if rate is None:
            ctx.out(c.id).set("unverifiable", "the budget is too close to zero")
            continue
        expected = actual.value * (_money_factor(actual) or 1) / b_val * HUNDRED
        arith = f"{actual.value} / {b_desc} = {_fmt(expected)}%"
        if _pct_iv(c).meets(rate):
            coarse = (
                _coarse([actual, *b_claims]) and not _pct_iv(c).meets(_ratio(_fine_iv(actual), b_iv) or rate)
            ) or _wide_pass(c, expected, rate)
            ctx.add(
                "N214" if coarse else "N205",
                "verified",
                f"{actual.subject}: {arith}, reported {c.value}%"
                + (" (only thanks to coarse rounding)" if coarse else ""),
                claims,
                cells=cells,
                expected=expected,
                observed=c.value,
                tolerance=rate,
            )
        else:
            ctx.add(
                "N205",
                "inconsistent",
                f"{actual.subject}: completion {arith}, reported {c.value}% "
                f"(rounding allows {_fmt(rate.lo)}%–{_fmt(rate.hi)}%)",
                claims,
                cells=cells,
                expected=expected,
                observed=c.value,
                tolerance=rate,
            )


# --------------------------------------------------------------------------- components
def _parts_of(ctx: _Ctx, subject: str | None) -> tuple[str, ...]:
    if not subject:
        return ()
    for s in ctx.rules.subjects.subjects:
        if s.name == subject:
            return s.parts
    return ()


def _item_lists(ctx: _Ctx) -> list[tuple[Claim, Claim, list[Claim], list[Claim]]]:
    """(budget total, actual total, budget items, actual items) of the sections that give a
    total's 年初预算 and 决算 and then each 项 with its own 年初预算 and 决算
    (“年初预算为2993.92万元，支出决算为2940.05万元…其中：1、…（项）。年初预算为…，支出决算为…”)."""
    out = []
    by_section: dict[str | None, list[Claim]] = {}
    for c in ctx.claims:
        if c.quantity == "amount" and _is_money(c) and c.value is not None:
            by_section.setdefault(c.section, []).append(c)
    for claims in by_section.values():
        items = [c for c in claims if c.subject and c.subject.endswith("（项）")]
        if len(items) < 4:
            continue
        first = min(x.span[0] for x in items)
        heads = [c for c in claims if c.span[0] < first and c.subject and "（" not in c.subject]
        b_tot = next((c for c in reversed(heads) if c.figure in BUDGET_FIGURES), None)
        a_tot = next((c for c in reversed(heads) if c.figure == "决算"), None)
        if b_tot is None or a_tot is None or b_tot.subject != a_tot.subject:
            continue
        b_items = [c for c in items if c.figure == b_tot.figure]
        a_items = [c for c in items if c.figure == "决算"]
        # one budget and one actual figure per item, each item once
        names = [c.subject or "" for c in a_items]
        if len(set(names)) != len(names) or sorted(names) != sorted(c.subject or "" for c in b_items):
            continue
        out.append((b_tot, a_tot, b_items, a_items))
    return out


@_register
def check_item_lists(ctx: _Ctx) -> None:
    """Items listed one by one with both figures: when one figure's items add up to their
    total, the list is complete, so the other figure's items must add up to theirs."""
    for b_tot, a_tot, b_items, a_items in _item_lists(ctx):
        sides = []
        for tot, items in ((b_tot, b_items), (a_tot, a_items)):
            parts = Interval.sum([_iv(x) for x in items])
            value = sum(((x.value or Decimal(0)) * (_money_factor(x) or 1) for x in items), Decimal(0))
            sides.append((tot, items, parts, value, _iv(tot).meets(parts)))
        if not any(ok for *_, ok in sides):
            continue  # neither adds up: the list may leave items out (check_components still sums it)
        ctx.item_totals.update((b_tot.id, a_tot.id))  # summed here, not again by check_components
        for k, (tot, items, parts, value, ok) in enumerate(sides):
            other = sides[1 - k]
            label = f"{tot.subject} {tot.figure}"
            listing = " + ".join(str(x.value) for x in items)
            if ok:
                ctx.add("N206", "verified", f"{label}: {listing} = {_fmt(value)}, stated {tot.value}", [tot, *items])
                continue
            ctx.add(
                "N206",
                "inconsistent",
                f"{label}: the {len(items)} items listed one by one add up to {listing} = {_fmt(value)}, but the "
                f"stated total is {_printed(tot)} (difference {_fmt(_iv(tot).mid - value)}); the list is complete, "
                f"since its {other[0].figure} figures add up to {_printed(other[0])}",
                [tot, *items],
                expected=_iv(tot).mid,
                observed=value,
                tolerance=parts,
            )


_CATEGORY_RE = re.compile(r"该类(?:项目)?")


def _next_money(ctx: _Ctx, c: Claim) -> Claim | None:
    """The money amount that follows a count in its sentence (“该类项目总数 1 个，涉及预算总金额 158.33 万元”)."""
    end = ctx.doc.text.find("。", c.span[1])
    end = len(ctx.doc.text) if end < 0 else end
    return next(
        (
            x
            for x in ctx.claims
            if x.quantity == "amount" and _is_money(x) and x.value is not None and c.span[1] <= x.span[0] < end
        ),
        None,
    )


def _flat(c: Claim) -> str:
    """The claim's text without the line breaks of its page."""
    return re.sub(r"\s*\n\s*", "", c.text.strip())


def _category_label(ctx: _Ctx, c: Claim) -> str:
    """“常年项目绩效分析。该类项目总数…” → 常年项目."""
    para = ctx.doc.text.rfind("\n", 0, c.span[0]) + 1
    before = ctx.doc.text[para : c.span[0]].strip()
    before = re.sub(r"[。，,：:]$", "", before)
    before = re.sub(r"(?:绩效分析|情况|分析)$", "", before)
    return before[-20:] or c.text.strip()


def _inside(ctx: _Ctx, section: Claim, start: int, end: int) -> bool:
    """No heading of the section's own level or a higher one stands between ``start`` and ``end``."""
    own = heading_level(section.section_heading or "")
    if own is None:
        return False
    for x in ctx.claims:
        if start <= x.span[0] <= end and x.section != section.section:
            level = heading_level(x.section_heading or "")
            if level is None or level <= own:
                return False
    return True


@_register
def check_category_totals(ctx: _Ctx) -> None:
    """Categories that make up all the projects: “常年项目…该类项目总数 1 个，涉及预算总金额 158.33 万元”,
    “阶段（一次性）项目…该类项目总数 4 个，涉及预算总金额 53.78 万元” and later “年初预算项目 5 个，预算数
    215.56 万元”. When the counts add up (1 + 4 = 5), the categories hold every project, so their amounts
    of the same figure must add up too."""
    by_section: dict[str | None, list[tuple[Claim, Claim]]] = {}
    for c in ctx.claims:
        if c.quantity == "count" and c.value and _CATEGORY_RE.search(c.subject_raw or ""):
            money = _next_money(ctx, c)
            if money is not None and money.figure:
                by_section.setdefault(c.section, []).append((c, money))
    for parts in by_section.values():
        figures = {m.figure for _, m in parts}
        if len(parts) < 2 or len(figures) != 1:
            continue
        n = sum((c.value or ZERO for c, _ in parts), ZERO)
        last = parts[-1][1]
        total = None
        for c in ctx.claims:
            if (
                c.span[0] <= last.span[1]
                or c.quantity != "count"
                or c.value != n
                or "项目" not in (c.subject_raw or "")
            ):
                continue
            money = _next_money(ctx, c)
            if money is not None and money.figure in figures and _inside(ctx, parts[0][0], last.span[1], c.span[0]):
                total = (c, money)
                break
        if total is None:
            continue
        count, amount = total
        amounts = [m for _, m in parts]
        summed = Interval.sum([_iv(m) for m in amounts])
        value = sum(((m.value or ZERO) * (_money_factor(m) or 1) for m in amounts), ZERO)
        listing = " + ".join(f"{_category_label(ctx, c)} {_strip(m)}" for c, m in parts)
        counts = " + ".join(str(c.value) for c, _ in parts)
        if _iv(amount).meets(summed):
            ctx.add("N206", "verified", f"{listing} = {_fmt(value)}, stated {_printed(amount)}", [amount, *amounts])
            continue
        note = ""
        end = ctx.doc.text.find("。", amount.span[1])
        other = next(
            (
                x
                for x in ctx.claims
                if x.quantity == "amount"
                and x.figure not in (None, amount.figure)
                and amount.span[1] <= x.span[0] < (end if end >= 0 else len(ctx.doc.text))
                and _iv(x).meets(summed)
            ),
            None,
        )
        if other is not None:
            note = f"; {_fmt(value)} is the {other.figure} figure stated with it (“{_flat(other)}”)"
        ctx.add(
            "N206",
            "inconsistent",
            f"{listing} = {_fmt(value)}, but “{_flat(count)}” have {amount.figure}数 {_printed(amount)} "
            f"(difference {_fmt(_iv(amount).mid - value)}); the categories cover all {n} projects "
            f"({counts} = {n}){note}",
            [amount, *amounts],
            expected=_iv(amount).mid,
            observed=value,
            tolerance=summed,
        )


_HEADING_TOTAL_RE = re.compile(
    r"^\s*(?:\d{1,2}[.．、]\s*)?[^\d，。；]{1,16}[（(]\s*合计\s*[\d,.]+\s*万?元\s*[）)]\s*[。.]?\s*$"
)


def _next_sentence(ctx: _Ctx, pos: int) -> tuple[int, int] | None:
    """The first sentence of the paragraph after the line holding ``pos``."""
    text = ctx.doc.text
    m = re.compile(r"\n[ \t\u3000]*\n?[ \t\u3000]*(?=\S)").search(text, pos)
    if m is None:
        return None
    start = m.end()
    end = text.find("。", start)
    return (start, end if end >= 0 else len(text))


@_register
def check_heading_totals(ctx: _Ctx) -> None:
    """A heading that states a total (“1. 资金计划（合计161.78万元）。”) and a next paragraph that lists
    its parts in one sentence (“该项目资金计划：政府网站运维及管理4.18万元；…；…62.85万元。”)."""
    for t in ctx.claims:
        if t.quantity != "amount" or not _is_money(t) or t.value is None or not t.text.startswith("合计"):
            continue
        line = ctx.doc.line_at(t.span[0])
        if not _HEADING_TOTAL_RE.match(ctx.doc.text[line.start : line.end]):
            continue
        got = _next_sentence(ctx, line.end)
        if got is None:
            continue
        a, b = got
        items = [
            x
            for x in ctx.claims
            if a <= x.span[0] < b and x.quantity == "amount" and _is_money(x) and x.value is not None
        ]
        if len(items) < 2 or any(_change_cue(ctx, x) for x in items):
            continue
        gaps = [ctx.doc.text[x.span[1] : y.span[0]] for x, y in pairwise(items)]
        if not all(re.search(r"[；;、]", g) for g in gaps):
            continue  # not one list
        parts = Interval.sum([_iv(x) for x in items])
        value = sum(((x.value or ZERO) * (_money_factor(x) or 1) for x in items), ZERO)
        listing = " + ".join(_strip(x) for x in items)
        label = re.sub(r"^\s*(?:\d{1,2}[.．、]\s*)?|[（(].*$", "", ctx.doc.text[line.start : line.end]).strip()
        if _iv(t).meets(parts):
            coarse = not _iv(t).meets(Interval.sum([_fine_iv(x) for x in items]))
            ctx.add(
                "N214" if coarse else "N206",
                "verified",
                f"{label}: {listing} = {_fmt(value)}, stated {_printed(t)}"
                + (" (only thanks to coarse rounding of its parts)" if coarse else ""),
                [t, *items],
                expected=value,
                observed=t.value,
                tolerance=parts,
            )
            continue
        ctx.add(
            "N206",
            "inconsistent",
            f"{label} is stated as {_printed(t)}, but the parts listed below it sum to {listing} = {_fmt(value)} "
            f"(difference {_fmt(_iv(t).mid - value)})",
            [t, *items],
            expected=value,
            observed=t.value,
            tolerance=parts,
        )


def _too_far(t: Claim, comps: list[Claim]) -> bool:
    """Items must stand near their total. A list of function items of one level, each named by
    its full 类/款/项 chain (“1.一般公共服务（类）…（项）：支出决算为…”), may run longer: each item
    must then stand near the one before it."""
    levels = {len(x.classification) for x in comps}
    names = [x.classification for x in comps]
    if len(levels) == 1 and min(levels) > 0 and len(set(names)) == len(names):
        chain = sorted([t, *comps], key=lambda x: x.span[0])
        return any(y.span[0] - x.span[0] > 400 for x, y in pairwise(chain))
    return any(abs(x.span[0] - t.span[0]) > 400 for x in comps)


@_register
def check_components(ctx: _Ctx) -> None:
    for t in ctx.claims:
        if t.id in ctx.item_totals:
            continue
        comps = [ctx.by_id[x] for x in t.components if x in ctx.by_id]
        # “…主要原因是基本支出增加人员经费12万元”: a change among the items is not an item
        comps = [x for x in comps if x.value is not None and not _change_cue(ctx, x)]
        if t.value is None or len(comps) < 2:
            continue
        if t.classification and any(
            x.classification
            and (
                len(x.classification) <= len(t.classification)
                or x.classification[: len(t.classification)] != t.classification
            )
            for x in comps
        ):
            # “3、…信息化建设（项）…主要用于：…” then “4、…（项）”: the next items are siblings, not parts
            ctx.out(t.id).set("unverifiable", "the items listed after it are not below it in the classification")
            continue
        if _too_far(t, comps):
            ctx.out(t.id).set("unverifiable", "the listed items stand too far from their total to be sure they belong")
            continue
        whole = [x for x in comps if x.value == t.value and x.unit == t.unit and x.subject in _DOC_TOTALS]
        if whole and any(y.value for y in comps if y is not whole[0]):
            # a total of its own, as large as this one, next to other items: these are not its parts
            ctx.out(t.id).set("unverifiable", "an item of the list is itself a total: the parts are not clear")
            continue
        money = _is_money(t)
        if money and not all(_is_money(x) or x.unit == "元" for x in comps):
            continue
        if not money and any(x.unit != t.unit for x in comps):
            continue
        parts = set(_parts_of(ctx, t.subject))
        if parts and not {x.subject for x in comps} <= parts:
            ctx.out(t.id).set("unverifiable", f"the listed items are not all parts of {t.subject}")
            continue
        exhaustive = t.quantity == "sum" or (bool(parts) and len({x.subject for x in comps}) == len(parts))
        code = "N206" if money else "N213"
        # unit slips among the parts: a part in 元 that only fits as 万元
        total_iv = _iv(t) if money else Interval.printed(t.value, t.decimals or 0)
        parts_iv = Interval.sum(
            [_iv(x) if money else Interval.printed(x.value or Decimal(0), x.decimals or 0) for x in comps]
        )
        slipped: set[str] = set()
        if money:
            for x in comps:
                if x.unit == "元":
                    alt = Interval.sum(
                        [
                            (Interval.printed(y.value or Decimal(0), y.decimals or 0) if y is x else _iv(y))
                            for y in comps
                        ]
                    )
                    if total_iv.meets(alt) and not total_iv.meets(parts_iv):
                        ctx.add(
                            "N210",
                            "inconsistent",
                            f"unit slip: “{x.text}” is in 元, but the parts of {t.subject} {_printed(t)} add up only "
                            f"if it is {x.value}万元",
                            [x, t],
                            expected=x.value,
                            observed=(x.value or Decimal(0)) * Decimal("0.0001"),
                        )
                        parts_iv = alt
                        slipped.add(x.id)
        total_val = t.value * ((_money_factor(t) or 1) if money else 1)
        parts_val = sum(
            (
                (x.value or Decimal(0)) * ((_money_factor(x) or 1) if money and x.id not in slipped else 1)
                for x in comps
            ),
            Decimal(0),
        )
        listing = " + ".join(f"{x.value}" for x in comps)
        if total_iv.meets(parts_iv):
            ctx.add(
                code,
                "verified",
                f"{t.subject or '合计'}: {listing} = {_fmt(parts_val)}, stated {t.value}"
                + (" (reading the part in 元 as 万元)" if slipped else ""),
                [t, *comps],
                expected=parts_val,
                observed=t.value,
                tolerance=parts_iv,
            )
            continue
        if not exhaustive and parts_iv.hi < total_iv.lo:
            ctx.out(t.id).set("unverifiable", f"the listed parts ({_fmt(parts_val)}) need not cover the whole total")
            continue
        ctx.add(
            code,
            "inconsistent",
            f"{t.subject or '合计'} is stated as {_printed(t)}, but its listed parts sum to {listing} = {_fmt(parts_val)}"
            f" (difference {_fmt(total_val - parts_val)})",
            [t, *comps],
            expected=parts_val,
            observed=t.value,
            tolerance=parts_iv,
        )


# --------------------------------------------------------------------------- differences
@_register
def check_differences(ctx: _Ctx) -> None:
    for c in ctx.claims:
        if c.quantity != "difference" or c.value is None:
            continue
        ops = [ctx.by_id[x] for x in c.operands if x in ctx.by_id]
        ops = [x for x in ops if x.value is not None and _is_money(x)]
        if len(ops) != 2 or not _is_money(c):
            ctx.out(c.id).set("unverifiable", "the two amounts of this difference were not both stated")
            continue
        a, b = ops
        diff = _iv(a) - _iv(b)
        if diff.hi < 0:
            diff = _iv(b) - _iv(a)
        val = abs((a.value or Decimal(0)) * (_money_factor(a) or 1) - (b.value or Decimal(0)) * (_money_factor(b) or 1))
        arith = f"{a.value} − {b.value} = {_fmt(val)}"
        if _iv(c).meets(diff):
            ctx.add(
                "N207",
                "verified",
                f"{arith}, stated {c.value}",
                [c, a, b],
                expected=val,
                observed=c.value,
                tolerance=diff,
            )
        else:
            ctx.add(
                "N207",
                "inconsistent",
                f"the difference {arith}, but the narrative says {_printed(c)}",
                [c, a, b],
                expected=val,
                observed=c.value,
                tolerance=diff,
            )


# --------------------------------------------------------------------------- qualitative
@_register
def check_qualitative(ctx: _Ctx) -> None:
    for q in ctx.claims:
        if q.quantity != "other" or q.relation is None:
            continue
        head = ctx.by_id.get(q.head or "")
        if head is None or head.value is None:
            continue
        base = q.base or ""
        if q.relation == "equal" and base.startswith("上年"):
            chg = next(
                (x for x in ctx.claims if x.quantity == "change" and x.head == head.id and x.value is not None), None
            )
            if chg is None:
                continue
            if chg.value == 0:
                ctx.add("N211", "verified", f"{head.subject}: change 0, “{q.text}”", [q, chg])
            else:
                ctx.add(
                    "N211",
                    "inconsistent",
                    f"{head.subject}: “{q.text}” says unchanged, but “{chg.text}” states a change of {_printed(chg)}",
                    [q, chg],
                )
        elif q.relation in ("greater", "less") and base in BUDGET_FIGURES:
            _greater_or_less(ctx, q, head)
        elif q.relation == "equal" and base in BUDGET_FIGURES:
            if not _is_money(head):
                continue
            got = _budget_for(ctx, q, head)
            if got is None:
                continue
            b_iv, b_val, b_desc, b_claims, cells = got
            if _iv(head).meets(b_iv):
                ctx.add(
                    "N211",
                    "verified",
                    f"{head.subject}: 决算 {head.value} = 预算 {b_desc}",
                    [q, head, *b_claims],
                    cells=cells,
                )
            else:
                ctx.add(
                    "N211",
                    "inconsistent",
                    f"{head.subject}: “{q.text}” says 决算 equals 预算, but 决算 is {_printed(head)} and 预算 is {b_desc}",
                    [q, head, *b_claims],
                    cells=cells,
                    expected=b_val,
                    observed=head.value,
                )


@_register
def check_absences(ctx: _Ctx) -> None:
    """A subject said not to exist (“没有使用政府性基金安排的支出”) must be 0 in its table."""
    figure = {"final_account": "决算", "budget": "预算"}.get(ctx.doc.kind)
    for q in ctx.claims:
        if q.quantity != "other" or q.relation != "none":
            continue
        if not ctx.tables:
            ctx.out(q.id).set("unverifiable", "the document has no tables to compare with")
            continue
        cells, how = _match(ctx, q, subject=q.subject, figure=figure)
        if not cells:
            ctx.out(q.id).set("unverifiable", f"not in the tables: {how}")
            continue
        nonzero = [m for m in cells if m.value != 0]
        if how == "ambiguous" and len(nonzero) not in (0, len(cells)):
            ctx.out(q.id).set("unverifiable", "two table cells could be meant and they disagree — not guessed")
            continue
        text = _flat(q)
        if not nonzero:
            ctx.add("N211", "verified", f"“{text}”: {cells[0].label()} is 0", [q], cells=cells[:1])
            continue
        m = nonzero[0]
        ctx.add(
            "N211",
            "inconsistent",
            f"“{text}” says there is none, but {m.label()} shows {_fmt(m.value)}万元",
            [q],
            cells=[m],
            expected=m.value,
            observed=ZERO,
        )


_REASON_RE = re.compile(
    r"^[。；;，,\s]*(?:其中[，,]?)?主要原因(?:是|为|系)?[：:]?(?P<body>[^。；;，,：:\n]{2,40}?)"
    r"(?P<word>增加|增长|上升|减少|下降|降低)(?:[。；;]|\s*$)"
)
_REASON_DIR = {"增加": 1, "增长": 1, "上升": 1, "减少": -1, "下降": -1, "降低": -1}
_ITEM_TAIL_RE = re.compile(r"(?:的)?(?:经费|支出|资金|费用|预算|安排)+$")


@_register
def check_reason_direction(ctx: _Ctx) -> None:
    """“比2023年减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加”: the reason
    names the item itself and moves it the other way."""
    for r in ctx.claims:
        if r.quantity not in ("rate", "change") or not r.direction or not r.value:
            continue
        after = ctx.doc.folded[r.span[1] : r.span[1] + 80]
        m = _REASON_RE.match(after)
        if m is None:
            continue
        line = ctx.doc.line_at(r.span[0])
        paths = paths_in(ctx.doc.text[line.start : r.span[0]])
        if not paths:
            continue
        names = [n for _, n in paths[-1]]
        item = _ITEM_TAIL_RE.sub("", compact(m.group("body")))
        if not item or item not in {names[-1], "".join(names[-2:]), "".join(names)}:
            continue
        said = _REASON_DIR[m.group("word")]
        words = {1: "an increase", -1: "a decrease"}
        if said == r.direction:
            continue  # agreeing words prove nothing about the number
        ctx.add(
            "N211",
            "inconsistent",
            f"{item}: “{r.text}” is {words[r.direction]}, but the reason given next says "
            f"“{m.group('body')}{m.group('word')}” ({words[said]})",
            [r],
        )


# --------------------------------------------------------------------------- indicators
_TARGET_RE = re.compile(r"(?:目标值|指标值)(?:为|是)?$")
_ACTUAL_RE = re.compile(r"(?:实际)?完成值|实际值")
_ITEM_START_RE = re.compile(r"[；;。：:]|(?<![\d.])\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)]")
_MET_WORDS = re.compile(r"超额完成|超过目标|高于目标|达到目标|完成目标|已完成|达标")
_MISSED_WORDS = re.compile(r"略低于|低于目标|未达到|未完成|未达标|没有完成|差距")


def _target_met(relation: str | None, actual: Decimal, target: Decimal) -> bool:
    """Whether an actual value meets its target (a bare target 为 N% means at least N%)."""
    if relation == ">":
        return actual > target
    if relation == "<=":
        return actual <= target
    if relation == "<":
        return actual < target
    return actual >= target


def _indicator_name(ctx: _Ctx, target: Claim) -> str:
    """The indicator a target value belongs to: the words of its list item before 目标值."""
    end = target.number_span[0] if target.number_span else target.span[0]
    before = compact(ctx.doc.text[max(0, end - 80) : end])
    starts = [m.end() for m in _ITEM_START_RE.finditer(before)]
    item = before[starts[-1] :] if starts else before
    item = re.sub(r"[，,]?(?:的)?(?:目标值|指标值).*$", "", item)
    parts = [p for p in re.split(r"[，,]", item) if len(p) >= 2]
    return parts[-1] if parts else ""


@_register
def check_indicators(ctx: _Ctx) -> None:
    """Performance indicators: “及时派单率目标值≥95%，2020年实际完成值99.34%，超额完成目标值”.
    The verdict words must agree with the two values, and one indicator listed twice with
    the same target must not have two actual values."""
    seen: dict[tuple[str, str, Decimal], Claim] = {}
    cl = ctx.claims
    for i, tgt in enumerate(cl):
        if tgt.value is None or tgt.unit != "%" or not _TARGET_RE.search(compact(tgt.subject_raw or tgt.subject or "")):
            continue
        actual = None
        for x in cl[i + 1 : i + 4]:
            if x.unit == "%" and _TARGET_RE.search(compact(x.subject_raw or x.subject or "")):
                break
            if x.unit == "%" and x.value is not None and _ACTUAL_RE.search(compact(x.subject_raw or x.subject or "")):
                actual = x
                break
        if actual is None or actual.value is None or actual.span[0] - tgt.span[1] > 80:
            continue
        name = _indicator_name(ctx, tgt)
        after = compact(ctx.doc.text[actual.span[1] : actual.span[1] + 40])
        verdict = re.split(r"[；;。]|\d{1,2}[、.．]", after)[0]
        met = _target_met(tgt.relation, actual.value, tgt.value)
        said_met = bool(_MET_WORDS.search(verdict)) and not _MISSED_WORDS.search(verdict)
        said_missed = bool(_MISSED_WORDS.search(verdict))
        rel = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(tgt.relation or "", "")
        what = f"{name or '指标'}: 目标值{rel}{tgt.value}%, 实际完成值 {actual.value}%"
        if (said_met and not met) or (said_missed and met):
            ctx.add(
                "N211",
                "inconsistent",
                f"{what}, but the text says “{verdict}”",
                [actual, tgt],
                expected=tgt.value,
                observed=actual.value,
            )
        elif said_met or said_missed:
            ctx.add("N211", "verified", f"{what}: “{verdict}”", [actual, tgt])
        if name:
            key = (name, tgt.relation or "", tgt.value)
            first = seen.get(key)
            if first is None:
                seen[key] = actual
            elif first.value != actual.value and 0 < actual.span[0] - first.span[0] < 600:
                ctx.add(
                    "N212",
                    "inconsistent",
                    f"the indicator {name} (目标值{rel}{tgt.value}%) is given two actual values: "
                    f"“{compact(first.text)}” (line {first.line}) and “{compact(actual.text)}” (line {actual.line})",
                    [actual, first],
                    expected=first.value,
                    observed=actual.value,
                )


# --------------------------------------------------------------------------- enumerations
_ENUM_VERBS = r"(?:从|包括|分为|涵盖|包含)"
_ENUM_UNITS = r"(?:方面|类|项|部分|维度)"


def _count_claim_at(ctx: _Ctx, start: int, end: int) -> Claim | None:
    return next(
        (c for c in ctx.claims if c.quantity == "count" and c.number_span and start <= c.number_span[0] < end),
        None,
    )


@_register
def check_enumerations(ctx: _Ctx) -> None:
    """“…包括3个一级指标、8个二级指标…。二级指标从A、B、C、D、E、F、G 7个方面…”: the
    stated number of a list equals its items, and a thing counted earlier in the
    paragraph has as many parts as its list."""
    for c in ctx.claims:
        if c.quantity != "count" or c.value is None or c.unit != "个" or not c.subject or not c.number_span:
            continue
        noun = c.subject
        if not re.fullmatch(r"[\u4e00-\u9fa5]{2,8}", noun):
            continue
        line = ctx.doc.line_at(c.span[0])
        para = ctx.doc.text[c.span[1] : line.end]
        m = re.search(
            re.escape(noun)
            + _ENUM_VERBS
            + r"(?P<list>[^。；;：:，,]{2,300}?)(?:等)?\s*(?P<m>\d{1,2})\s*个"
            + _ENUM_UNITS,
            para,
        )
        if m is None:
            continue
        items = [x for x in re.split(r"[、]", m.group("list").strip()) if x.strip()]
        if len(items) < 2:
            continue
        stated = int(m.group("m"))
        at = c.span[1] + m.start("m")
        lst = _count_claim_at(ctx, at, at + len(m.group("m")))
        if lst is None:
            continue
        if len(items) != stated:
            ctx.add(
                "N213",
                "inconsistent",
                f"{noun}: the list names {len(items)} items ({'、'.join(i.strip() for i in items)}), "
                f"but says {stated} 个",
                [lst],
                expected=Decimal(len(items)),
                observed=Decimal(stated),
            )
        elif c.value != stated:
            ctx.add(
                "N212",
                "inconsistent",
                f"{noun}: “{compact(c.text)}” (line {c.line}), but its list names {stated}: "
                f"{'、'.join(i.strip() for i in items)}",
                [c, lst],
                expected=Decimal(stated),
                observed=c.value,
            )
        else:
            ctx.add("N213", "verified", f"{noun}: {stated} listed, {stated} stated", [c, lst])


_NONE_RE = re.compile(r"(?:无|没有|未开展|未组织)(?P<x>[\u4e00-\u9fa5]{3,12}?)(?:项目|工作)(?=[。；;，,\s])")


@_register
def check_none_then_counted(ctx: _Ctx) -> None:
    """“本部门无重点绩效评价项目” and elsewhere “应开展部门重点绩效评价1个项目”: a thing said
    not to exist is counted."""
    text = ctx.doc.folded
    for m in _NONE_RE.finditer(text):
        x = m.group("x")
        for k in re.finditer(re.escape(x) + r"\s*(?P<n>\d{1,3})\s*个项目", text):
            n = int(k.group("n"))
            c = _count_claim_at(ctx, k.start("n"), k.end("n"))
            if n == 0 or c is None:
                continue
            line = ctx.doc.line_at(m.start()).number
            ctx.add(
                "N212",
                "inconsistent",
                f"{x}: line {line} says there is none (“{compact(text[m.start() : m.end()])}”), "
                f"but line {c.line} counts {n} (“{compact(text[k.start() : k.end()])}”)",
                [c],
                expected=Decimal(0),
                observed=Decimal(n),
                spans=((m.start(), m.end()),),
            )
            break


def _greater_or_less(ctx: _Ctx, q: Claim, head: Claim) -> None:
    """“决算数小于预算数的主要原因…”: the actual figure against the budget figure."""
    if not _is_money(head) or head.value is None or head.figure in BUDGET_FIGURES:
        return
    got = _budget_for(ctx, q, head)
    if got is None:
        return
    b_iv, b_val, b_desc, b_claims, cells = got
    actual = head.value * (_money_factor(head) or 1)
    h = _iv(head)
    said = "大于" if q.relation == "greater" else "小于"
    if actual == b_val:
        holds: bool | None = False
    elif q.relation == "greater":
        holds = True if h.lo > b_iv.hi else (False if h.hi < b_iv.lo else None)
    else:
        holds = True if h.hi < b_iv.lo else (False if h.lo > b_iv.hi else None)
    desc = f"{head.subject}: 决算 {_printed(head)}, 预算 {b_desc}"
    if holds is None:
        ctx.out(q.id).set("unverifiable", f"{desc}: too close to tell “{said}” within printed rounding")
    elif holds:
        # an order does not verify the figures themselves: only the statement is verified
        spans = (head.span, *(b.span for b in b_claims))
        ctx.add("N211", "verified", f"{desc}: “{q.text}” holds", [q], cells=cells, spans=spans)
    else:
        ctx.add(
            "N211",
            "inconsistent",
            f"{desc}, but the text says 决算 {said} 预算 (“{q.text}”)",
            [q, head, *b_claims],
            cells=cells,
            expected=b_val,
            observed=head.value,
        )


# --------------------------------------------------------------------------- same quantity twice
@_register
def check_same_quantity(ctx: _Ctx) -> None:
    for group in ctx.mrules.unique:
        names = set(group)
        seen: dict[tuple[str | None, str | None], Claim] = {}
        for c in ctx.claims:
            if c.subject not in names or c.value is None or c.quantity not in ("amount", "count", "score"):
                continue
            if c.base or (c.figure and c.figure not in ("决算", "得分")):
                continue
            key = (c.unit, c.quantity)
            first = seen.get(key)
            if first is None:
                seen[key] = c
                continue
            assert first.value is not None
            same = Interval.printed(first.value, first.decimals or 0).meets(Interval.printed(c.value, c.decimals or 0))
            if not same:
                ctx.add(
                    "N212",
                    "inconsistent",
                    f"the same quantity has two values: “{first.text}” (line {first.line}) and “{c.text}” (line {c.line})",
                    [c, first],
                    expected=first.value,
                    observed=c.value,
                )


def _own_head(ctx: _Ctx, c: Claim) -> Claim | None:
    """The level a money change is the change of, when the sentence says so plainly: the change
    stands in its amount's sentence (or opens the next one, “…17123.19万元。与上年相比增加…”) and
    is the first one after it (not a reason's part, “主要原因是基本支出增加…”, nor a restatement on
    another basis in the next sentence)."""
    head = ctx.by_id.get(c.head or "")
    if c.quantity != "change" or c.value is None or not _is_money(c) or head is None or not _is_money(head):
        return None
    if head.quantity != "amount" or head.value is None or not head.subject or _change_cue(ctx, head):
        return None
    if head.span[1] > c.span[0] or (_sentence_break(ctx, head, c) and not _follows_its_amount(ctx, head, c)):
        return None
    if any(x.quantity == "change" and head.span[1] <= x.span[0] < c.span[0] for x in ctx.claims):
        return None
    return head


def _named_change(c: Claim) -> bool:
    """A money change whose known subject stands right before its verb (“基本支出增加1408.29万元”,
    “项目支出安排增加400万元”), not a part named after the verb (“增加人员经费…”)."""
    if c.quantity != "change" or c.value is None or not _is_money(c) or not c.direction:
        return False
    raw = c.subject_raw or ""
    return bool(raw and c.text.startswith(raw) and _bare(c.subject) in _NAMED_CHANGE_SUBJECTS)


def _base_family(base: str | None) -> str:
    """上年, 上年预算, 上年决算 and an unstated base (read as last year) are one family."""
    return "上年" if base is None or base.startswith("上年") else base


_NAMED_CHANGE_SUBJECTS = {"基本支出", "项目支出", "人员经费", "公用经费"}


@_register
def check_restated_changes(ctx: _Ctx) -> None:
    """One subject, at one level, changed by two different amounts against the same base:
    “基本支出预算数为7,666.68万元。与上年相比增加844.15万元” stated again elsewhere with another
    change. The same figure of the same subject has one earlier value, so one change."""
    groups: dict[tuple[str | None, str | None, str, Decimal], list[tuple[Claim, Claim]]] = {}
    for c in ctx.claims:
        head = _own_head(ctx, c)
        if head is None:
            continue
        assert head.value is not None
        key = (_bare(head.subject), head.figure, c.base or "上年", head.value * (_money_factor(head) or 1))
        groups.setdefault(key, []).append((c, head))
    # a change named by its subject in a reason (“主要原因是基本支出增加1408.29万元”) restates the
    # change stated with that subject's amount in the same section, when only one such amount is there
    by_subject: dict[
        tuple[str | None, str | None, str | None, str], list[tuple[str | None, str | None, str, Decimal]]
    ] = {}
    for key, pairs in groups.items():
        for c, _ in pairs:
            by_subject.setdefault((c.section, key[0], key[1], _base_family(key[2])), []).append(key)
    named: set[str] = set()
    for c in ctx.claims:
        if _own_head(ctx, c) is not None or not _named_change(c):
            continue
        keys = set(by_subject.get((c.section, _bare(c.subject), c.figure, _base_family(c.base)), []))
        if len(keys) == 1 and (c.base is None or c.base == next(iter(keys))[2]):
            key = keys.pop()
            groups[key].append((c, groups[key][0][1]))
            named.add(c.id)
    for pairs in groups.values():
        pairs.sort(key=lambda p: p[0].span)
        first, _ = pairs[0]
        assert first.value is not None
        for c, _ in pairs[1:]:
            assert c.value is not None
            a = _iv(first).scale(Decimal(first.direction or 1))
            b = _iv(c).scale(Decimal(c.direction or 1))
            if a.meets(b):
                if named & {c.id, first.id}:
                    ctx.add(
                        "N212",
                        "verified",
                        f"{first.subject}: “{_flat(first)}” (line {first.line}) and “{_flat(c)}” (line {c.line}) "
                        "state the same change",
                        [c, first],
                    )
                continue
            ctx.add(
                "N212",
                "inconsistent",
                f"{first.subject}: the same change is stated twice with two values: “{first.text.strip()}” "
                f"(line {first.line}) and “{c.text.strip()}” (line {c.line}), both against "
                f"{_printed(pairs[0][1])}",
                [c, first],
                expected=first.value,
                observed=c.value,
            )
            break


_SIGNED_RE = re.compile(r"结余|结转|差额|净|赤字|亏损|盈余")


@_register
def check_increase_bound(ctx: _Ctx) -> None:
    """An increase larger than the level it leads to: “三公经费预算数为47.91万元，比2023年预算增加52万元”
    puts last year's figure at 47.91 − 52 < 0, which no amount of spending or income can be."""
    for c in ctx.claims:
        head = _own_head(ctx, c)
        if head is None or (c.direction or 0) <= 0 or _SIGNED_RE.search(head.subject or ""):
            continue
        level, change = _iv(head), _iv(c)
        if change.lo <= level.hi:
            continue
        assert head.value is not None and c.value is not None
        prior = head.value * (_money_factor(head) or 1) - c.value * (_money_factor(c) or 1)
        ctx.add(
            "N217",
            "inconsistent",
            f"{head.subject}: “{c.text.strip()}” is more than the amount it leads to ({_printed(head)}), so the earlier "
            f"figure would be {_strip(head)} − {_strip(c)} = {_fmt(prior)}, and an amount spent or received "
            "cannot be negative",
            [c, head],
            observed=c.value,
        )


_TABLE_NOTE_RE = re.compile(
    r"(?P<left>[^。；\n]{0,30}?)(?:应)?与《(?P<title>[^》]{2,40})》(?:中)?的?[“\"](?P<row>[^”\"]{2,20})[”\"]"
    r"[^。；\n，]{0,10}?(?:对应)?一致"
)


def _first_value(table: Table, row: Row) -> CellMatch | None:
    for col in table.value_columns():
        cell = row.cells.get(col)
        if cell is not None and cell.value is not None:
            return CellMatch(table, row, col)
    return None


@_register
def check_table_notes(ctx: _Ctx) -> None:
    """A note under a table's heading that ties it to a row of another table: “财政拨款支出安排数与
    《部门一般公共预算基本支出预算表》的“商品和服务支出”支出数一致”. This table's total (or its row of
    the same name) must equal that row; when neither does, the note contradicts the tables."""
    for sec in ctx.sections:
        if not sec.narrative or not sec.scope:
            continue
        own = [t for t in ctx.tables if t.kind == sec.scope[0]]
        if len(own) != 1:
            continue
        text = ctx.doc.text[sec.span[0] : sec.span[1]]
        for m in _TABLE_NOTE_RE.finditer(text):
            inner = next(
                (x for x in ctx.sections if x.span[0] <= sec.span[0] + m.start() < x.span[1] and x.level > sec.level),
                None,
            )
            if inner is not None and inner.scope != sec.scope:
                continue  # a subsection about another table
            title = compact(m.group("title")).removeprefix("部门")
            named = [t for t in ctx.tables if t is not own[0] and compact(t.title).endswith(title)]
            row_name = compact(m.group("row"))
            rows = [(t, r) for t in named for r in t.find_rows(row_name)]
            theirs = [c for t, r in rows if (c := _first_value(t, r)) is not None]
            if len(theirs) != 1:
                continue
            table = own[0]
            mine = [
                c
                for r in (table.total_row(), *table.find_rows(row_name))
                if r is not None and (c := _first_value(table, r)) is not None
            ]
            if not mine:
                continue
            other = theirs[0]
            span = (sec.span[0] + m.start(), sec.span[0] + m.end())
            note = re.sub(r"\s+", "", m.group(0)).lstrip("，,")
            if any(c.interval.meets(other.interval) for c in mine):
                ctx.add("N211", "verified", f"“{note}”: {mine[0].label()} = {other.label()}", [], spans=(span,))
                continue
            values = " and ".join(f"{c.label()} {_fmt(c.value)}" for c in mine)
            ctx.add(
                "N211",
                "inconsistent",
                f"“{note}”, but {values} differ from {other.label()} {_fmt(other.value)}",
                [],
                cells=[*mine, other],
                expected=other.value,
                observed=mine[0].value,
                spans=(span,),
            )


# --------------------------------------------------------------------------- units
@_register
def check_units(ctx: _Ctx) -> None:
    """Amounts printed without their unit, or with a stray %, in a money context."""
    for c in ctx.claims:
        if c.quantity != "amount" or c.value is None:
            continue
        if ctx.out(c.id).checked and ctx.out(c.id).status == "inconsistent":
            continue
        if "stray_percent" in c.flags:
            ctx.add("N210", "inconsistent", f"garbled unit: “{c.text}” mixes % and 万元", [c], severity="warning")
        elif "unit_missing" in c.flags and not any(f.check == "N210" and c.id in f.claims for f in ctx.findings):
            money_context = (
                c.known_subject
                or any(x.unit in _MONEY for x in ctx.claims if x.id in (c.total, *c.components))
                or c.total is not None
            )
            if money_context:
                ctx.add(
                    "N210",
                    "inconsistent",
                    f"missing unit: “{c.text}” gives {c.value} without 万元",
                    [c],
                    severity="warning",
                )
