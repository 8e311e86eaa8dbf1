"""Reading a claim in its text: its sentence, the cues before it, the cells it may mean.

Cue words come from ``ctx.cues`` (the vocabulary); the subset cues and the subjects from
the match rules.
"""

from __future__ import annotations

import re

from ..claims import Claim
from ..claims.state import SENTENCE_WINDOW
from ..match import CellMatch, ClassPath, find_cells, marked_path, same_name
from .context import Context
from .figures import is_money, wan

__all__ = [
    "DOC_TOTALS",
    "bare",
    "change_cue",
    "class_context",
    "coverage_cue",
    "follows_its_amount",
    "match",
    "number_start",
    "sentence_break",
    "subset_cue",
]

# the totals of the whole document (a list that holds one of them is not a list of parts)
DOC_TOTALS = {"本年收入合计", "本年支出合计", "收入总计", "支出总计", "收入预算", "支出预算"}
_SUMMARY_KINDS = ("budget_summary", "income_expenditure_summary")


def number_start(c: Claim) -> int:
    """Where the claim's number starts (the end of its span when it has none)."""
    return c.number_span[0] if c.number_span else c.span[1]


_PARENTHESIS = re.compile(r"（[^（）]*）|\([^()]*\)")


def sentence_break(ctx: Context, a: Claim, b: Claim) -> bool:
    """True when a full stop stands between two claims (line breaks do not count: PDF
    text wraps sentences, with blank lines between the wrapped parts). A full stop inside
    a parenthesis does not end the sentence around it (“X583.16万元（购置费198万元，…；运行
    维护费385.16万元，…。）比上年减少132.61万元”)."""
    lo, hi = sorted((a.span[1], b.span[0]))
    between = ctx.doc.text[lo:hi]
    if "。" not in between:
        return False
    return "。" in _PARENTHESIS.sub("", between)


def bare(subject: str | None) -> str | None:
    """A subject without its 总计/合计 ending (财政拨款支出总计 is 财政拨款支出 restated)."""
    return re.sub(r"(总计|合计)$", "", subject) if subject else subject


def follows_its_amount(ctx: Context, head: Claim, chg: Claim) -> bool:
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
    if chg.subject_raw and bare(chg.subject) != bare(head.subject):
        return False
    sent_start, sent_end = _amount_sentence(ctx, head, between)
    amounts = {
        wan(ctx, x)
        for x in ctx.claims_between(sent_start, sent_end)
        if x.quantity == "amount" and is_money(ctx, x) and x.value is not None and sent_start <= x.span[0] < sent_end
    }
    if len(amounts) != 1 or re.match(r"\s*其中", ctx.doc.text[sent_start : head.span[0]]):
        return False
    # the amount's own sentence already gives its change (“…9193.40万元，比2016年增加5503.07万元。…
    # 按与上年统计口径一致相比，本年比上年减少161.96万元”): a later change is on another basis
    if any(
        x.quantity == "change" and head.span[1] <= x.span[0] < sent_end
        for x in ctx.claims_between(head.span[1], sent_end)
    ):
        return False
    # nothing in money between the amount's sentence and the change
    return not any(
        x.quantity in ("amount", "change") and x is not chg and is_money(ctx, x) and sent_end <= x.span[0] < chg.span[0]
        for x in ctx.claims_between(sent_end, chg.span[0])
    )


def _amount_sentence(ctx: Context, head: Claim, between: str) -> tuple[int, int]:
    sent_start = ctx.doc.text.rfind("。", 0, head.span[0]) + 1
    # a paragraph starts a sentence too (“其中：” then “（一）收入预算总计…” below it)
    para = [m.end() for m in re.finditer(r"\n[ \t]*\n", ctx.doc.text[sent_start : head.span[0]])]
    sent_start += para[-1] if para else 0
    return sent_start, head.span[1] + between.index("。")


def class_context(ctx: Context, c: Claim) -> bool:
    """The amount stands under a 类/款/项 heading or after a 类/款 name on its line."""
    line = ctx.doc.line_at(c.span[0])
    before = ctx.doc.text[line.start : number_start(c)]
    heading = c.section_heading or ""
    return bool(re.search(r"（[类款项]）", before) or re.search(r"（[类款项]）\s*$", heading))


def _cued_sentence(ctx: Context, c: Claim) -> str:
    """The claim's sentence up to its number (at most 60 characters before it)."""
    start = max(0, c.span[0] - 60)
    before = ctx.doc.folded[start : c.span[0] + 4]
    return before[max(before.rfind("。"), before.rfind("；"), 0) :]


def subset_cue(ctx: Context, c: Claim) -> bool:
    """“涉及…资金X万元”: the amount belongs to the items the sentence is about, not a table total
    (unless the sentence evaluates the unit's whole spending: :func:`coverage_cue`, or covers
    all of a known subject: :func:`all_of`)."""
    sentence = _cued_sentence(ctx, c)
    if any(w in sentence for w in ctx.cues.whole_evaluation) or all_of(ctx, c):
        return False  # the unit's whole spending was evaluated: the amounts are its totals
    return any(cue in sentence for cue in ctx.mrules.subset_cues)


def all_of(ctx: Context, c: Claim) -> str | None:
    """The known subject a subset cue's sentence covers all of (“所有项目支出预算纳入部门预算绩效
    管理，涉及预算资金X万元” → 项目支出), written right after a universal quantifier (所有/全部)."""
    sentence = _cued_sentence(ctx, c)
    if not any(cue in sentence for cue in ctx.mrules.subset_cues):
        return None
    names = ctx.rules.claims.alias_to_name
    for word in ctx.cues.universal:
        for m in re.finditer(re.escape(word), sentence):
            rest = sentence[m.end() : m.end() + 20]
            hits = [a for a in names if rest.startswith(a)]
            if hits:
                return names[max(hits, key=len)]
    return None


def coverage_cue(ctx: Context, c: Claim) -> bool:
    """“组织整体支出绩效自评…，涉及一般公共预算支出X万元”: the amount is what a whole-unit
    evaluation covered: the year's total, all of it, when the unit was evaluated, and 0 when
    it was not (a unit outside the evaluation's pilot)."""
    sentence = _cued_sentence(ctx, c)
    return any(w in sentence for w in ctx.cues.whole_evaluation) and any(
        cue in sentence for cue in ctx.mrules.subset_cues
    )


def change_cue(ctx: Context, c: Claim) -> bool:
    """A change verb between the start of the claim's clause and its number
    (“基本支出增加人员经费1408.29万元”, “增加基本支出844.15万元”): the amount is a change."""
    end = number_start(c)
    before = ctx.doc.folded[max(0, end - 60) : end]
    clause = re.split(r"[，,。；;：:]", before)[-1]
    return bool(ctx.cues.change.search(clause))


def path(ctx: Context, c: Claim) -> ClassPath:
    """The 类/款/项 chain written right before the claim's number, if any (read once per claim)."""
    got = ctx.paths.get(c.id)
    if got is None:
        end = number_start(c)
        before = ctx.doc.text[max(0, end - 200) : end]
        cut = max((m.end() for m in re.finditer(r"[。！？!?]|\n[ \t]*\n", before)), default=0)
        got = ctx.paths[c.id] = marked_path(before[cut:])
    return got


def _names_a_class(ctx: Context, name: str) -> bool:
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


def match(ctx: Context, c: Claim, subject: str | None = None, figure: str | None = None) -> tuple[list[CellMatch], str]:
    """The cells the claim (or ``subject`` / ``figure`` in its place) may mean, and how they were found.
    A claim of an appended document (an evaluation report printed after the report) means none."""
    appended = ctx.appended(c.section)
    if appended:
        return [], f"it stands in an appended document (“{appended}”), not compared with the department's tables"
    subj = subject if subject is not None else c.subject
    fig = figure if figure is not None else c.figure
    chain = path(ctx, c) if subject is None else ()
    if (
        not chain
        and subject is None
        and c.subject
        and c.subject not in ctx.mrules.subjects
        and not c.classification
        and _names_a_class(ctx, c.subject)
    ):
        # a class named without its （类） marker is read as the class row
        chain = (("类", c.subject),)
    return find_cells(c, subj, ctx.tables, ctx.mrules, ctx.doc.kind, fig, chain, sentence_head(ctx, c))


def sentence_head(ctx: Context, c: Claim) -> str:
    """The claim's sentence before its first number (“2022年度政府性基金预算财政拨款年初结转和结余”
    before “58,830.98万元，收入决算…，年末结转和结余0万元”): a fund it names is the whole sentence's."""
    text = ctx.doc.folded
    # a longer "sentence" is soup (docs/performance.md): the stops are searched in the window only
    lo = max(0, c.span[0] - SENTENCE_WINDOW)
    start = max(text.rfind("。", lo, c.span[0]), text.rfind("\n\n", lo, c.span[0])) + 1
    start = max(start, lo)
    near = ctx.claims_between(start, c.span[0])
    first = min((number_start(x) for x in near if start <= x.span[0] <= c.span[0]), default=number_start(c))
    return text[start:first]
