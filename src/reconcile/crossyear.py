"""Checks across documents of one organization held in a results store.

* **X301** (prior_year): a change stated against last year (``比上年增加/减少 X``, claim
  quantity ``change`` with base ``上年决算`` or ``上年预算``) must agree with the amount the
  same organization reported the year before: ``prior = current ∓ change``.
* **X302** (budget_vs_final): a ``年初预算`` figure quoted in a final account (an amount
  claim with figure ``年初预算``, or a change against ``年初预算``) must agree with the
  organization's budget document of that year.

All arithmetic is on printed intervals: a value printed with *d* decimals stands for
``[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`` (:class:`reconcile.numbers.Interval`); amounts in 元, 万元 or
亿元 are compared in 元. A pair is inconsistent only when no reading of the printed
numbers makes it hold.

Documents are matched by organization name (normalised; generic names such as 部门 or
区级 are never matched) and, when both are known, province. The claims must carry the
contract fields ``subject``, ``quantity``, ``value``, ``decimals``, ``unit`` and the extra
fields ``base``, ``figure``, ``direction`` and ``head`` (the amount a change belongs to).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .findings import CATALOGUE
from .numbers import Interval
from .rules import load_rules
from .store import Store

__all__ = ["UNIT_FACTORS", "check_store", "crossyear_findings", "organization_key", "update_store"]

# 元 per unit, from the vocabulary's 万元 factors (rules/vocabulary.yaml)
UNIT_FACTORS: dict[str, Decimal] = {
    unit: Decimal(int(factor * 10_000)) for unit, factor in load_rules().vocabulary.money_units.items()
}

_GENERIC = frozenset(
    {
        "部门",
        "单位",
        "本部门",
        "本单位",
        "区级",
        "市级",
        "县级",
        "省级",
        "本级",
        "区本级",
        "市本级",
        "县本级",
        "部门单位",
    }
)
_PRIOR_KIND = {"上年决算": "final_account", "上年预算": "budget"}
_FIGURES_FINAL = (None, "决算")
_FIGURES_BUDGET = (None, "预算", "年初预算")


def organization_key(organization: str | None) -> str | None:
    """The name used to match one organization across documents, or None when too generic."""
    if not organization:
        return None
    k = re.sub(r"\s+", "", organization).replace("(", "（").replace(")", "）")
    k = re.sub(r"^(?:(?:19|20)\d\d年?度?)", "", k)
    if len(k) < 4 or k in _GENERIC or k.startswith(("表", "第", "目录")):
        return None
    return k


@dataclass(frozen=True, slots=True)
class _Doc:
    doc_id: str
    organization: str
    key: str
    year: int
    kind: str
    province: str | None


@dataclass(frozen=True, slots=True)
class _Claim:
    doc_id: str
    claim_id: str
    subject: str | None
    quantity: str | None
    value: float | None
    decimals: int | None
    unit: str | None
    base: str | None
    figure: str | None
    direction: int | None
    head: str | None
    span: tuple[int, int] | None
    order: int

    @property
    def factor(self) -> Decimal | None:
        return UNIT_FACTORS.get(self.unit or "")

    def printed(self) -> Decimal | None:
        if self.value is None:
            return None
        try:
            v = Decimal(repr(float(self.value)))
        except (InvalidOperation, ValueError):
            return None
        if self.decimals is not None and self.decimals >= 0:
            v = v.quantize(Decimal(1).scaleb(-self.decimals))
        return v

    @property
    def places(self) -> int:
        if self.decimals is not None and self.decimals >= 0:
            return self.decimals
        v = self.printed()
        exp = v.as_tuple().exponent if v is not None else 0
        return -exp if isinstance(exp, int) and exp < 0 else 0

    def interval(self) -> Interval | None:
        """The printed interval in 元 (None when the value or unit is unknown)."""
        v = self.printed()
        f = self.factor
        if v is None or f is None:
            return None
        return Interval.printed(v, self.places).scale(f)

    def shown(self) -> str:
        v = self.printed()
        return f"{v}{self.unit or ''}" if v is not None else "?"


def _fmt(x: Decimal, places: int) -> str:
    return f"{x:.{max(places, 0)}f}"


def _claim(row: Mapping[str, Any], order: int) -> _Claim:
    a, b = row.get("span_start"), row.get("span_end")
    d = row.get("direction")
    dec = row.get("decimals")
    val = row.get("value")
    return _Claim(
        doc_id=str(row["doc_id"]),
        claim_id=str(row["claim_id"]),
        subject=row.get("subject"),
        quantity=row.get("quantity"),
        value=float(val) if val is not None else None,
        decimals=int(dec) if dec is not None else None,
        unit=row.get("unit"),
        base=row.get("base"),
        figure=row.get("figure"),
        direction=int(d) if d is not None else None,
        head=row.get("head"),
        span=(int(a), int(b)) if a is not None and b is not None else None,
        order=order,
    )


def _same_place(a: _Doc, b: _Doc) -> bool:
    return a.province is None or b.province is None or a.province == b.province


@dataclass(frozen=True, slots=True)
class _Question:
    """What a document's claims imply about another document, to be compared with its amounts."""

    check: str  # X301 | X302
    doc: _Doc
    mine: Sequence[_Claim]  # the claims it rests on; the first names the finding
    expected: Interval  # the implied figure, in 元
    display: _Claim  # gives the subject and unit of the finding
    say_expected: str  # the message's account of the claims
    say_other: str  # the message's name of the other document
    other_docs: Sequence[_Doc]

    @property
    def factor(self) -> Decimal:
        return self.display.factor or Decimal(1)

    def compare(self, candidates: list[tuple[_Doc, _Claim]]) -> dict[str, Any]:
        """Compare the expected interval with the other documents' amounts for the subject."""
        if not candidates:
            return self._missing()
        ivs = [c.interval() for _, c in candidates]
        values = [iv for iv in ivs if iv is not None]
        if not all(a.meets(b) for i, a in enumerate(values) for b in values[i + 1 :]):
            return self._ambiguous(candidates)
        return self._against(candidates)

    def _missing(self) -> dict[str, Any]:
        return self.finding(
            "unverifiable",
            f"{self.say_expected}；{self.say_other}中没有找到“{self.display.subject}”的金额，无法核对。",
            self.other_docs[0] if self.other_docs else None,
            [],
        )

    def _ambiguous(self, candidates: list[tuple[_Doc, _Claim]]) -> dict[str, Any]:
        shown = "、".join(dict.fromkeys(c.shown() for _, c in candidates))
        return self.finding(
            "unverifiable",
            f"{self.say_expected}；但{self.say_other}中“{self.display.subject}”有不同的数值（{shown}），无法确定用哪一个。",
            candidates[0][0],
            [c for _, c in candidates],
        )

    def _against(self, candidates: list[tuple[_Doc, _Claim]]) -> dict[str, Any]:
        """Verified or inconsistent against the most precisely printed candidate (first on ties)."""
        odoc, other = max(candidates, key=lambda dc: (dc[1].places, -dc[1].order))
        oiv = other.interval()
        assert oiv is not None
        factor, unit = self.factor, self.display.unit or ""
        places = max(c.places for c in self.mine)
        half = (oiv.hi - oiv.lo) / 2
        tol = ((self.expected.lo - half) / factor, (self.expected.hi + half) / factor)
        ok = self.expected.meets(oiv)
        ov = other.printed()
        assert ov is not None
        observed = ov * (other.factor or Decimal(1)) / factor
        exp_s = _fmt(self.expected.mid / factor, places)
        if ok:
            msg = f"{self.say_expected}（约{exp_s}{unit}），与{self.say_other}的{other.shown()}相符。"
        else:
            msg = (
                f"{self.say_expected}（约{exp_s}{unit}），但{self.say_other}为{other.shown()}，"
                f"相差{_fmt(observed - self.expected.mid / factor, places)}{unit}。"
            )
        others = [other] + [c for _, c in candidates if c is not other]
        return self.finding("verified" if ok else "inconsistent", msg, odoc, others, observed, tol)

    def finding(
        self,
        status: str,
        message: str,
        other_doc: _Doc | None,
        others: Sequence[_Claim],
        observed: Decimal | None = None,
        tolerance: tuple[Decimal, Decimal] | None = None,
    ) -> dict[str, Any]:
        """A row of the ``crossyear_findings`` table."""
        spec = CATALOGUE[self.check]
        doc, mine = self.doc, self.mine
        return {
            "finding_id": f"{self.check}-{doc.doc_id}-{mine[0].claim_id}",
            "check": self.check,
            "check_name": spec.name,
            "status": status,
            "severity": spec.severity if status == "inconsistent" else "info",
            "message": message,
            "organization": doc.organization,
            "subject": self.display.subject,
            "unit": self.display.unit,
            "doc_id": doc.doc_id,
            "year": doc.year,
            "claim_ids": json.dumps([c.claim_id for c in mine]),
            "spans": json.dumps([list(c.span) for c in mine if c.span]),
            "other_doc_id": other_doc.doc_id if other_doc else None,
            "other_year": other_doc.year if other_doc else None,
            "other_claim_ids": json.dumps([c.claim_id for c in others]),
            "other_spans": json.dumps([list(c.span) for c in others if c.span]),
            "expected": float(self.expected.mid / self.factor),
            "observed": float(observed) if observed is not None else None,
            "tol_low": float(tolerance[0]) if tolerance else None,
            "tol_high": float(tolerance[1]) if tolerance else None,
        }


class _Checker:
    """The cross-document checks of a set of documents (matched by organization key, year, kind)."""

    def __init__(self, docs: Sequence[_Doc], claims: Iterable[_Claim]) -> None:
        self.docs = {d.doc_id: d for d in docs}
        self.by_doc: dict[str, list[_Claim]] = defaultdict(list)
        for c in claims:
            if c.doc_id in self.docs:
                self.by_doc[c.doc_id].append(c)
        for lst in self.by_doc.values():
            lst.sort(key=lambda c: c.order)
        self.ids = {(c.doc_id, c.claim_id): c for lst in self.by_doc.values() for c in lst}
        self.group: dict[tuple[str, int, str], list[_Doc]] = defaultdict(list)
        for d in docs:
            self.group[(d.key, d.year, d.kind)].append(d)

    def partners(self, doc: _Doc, year: int, kind: str) -> list[_Doc]:
        return [d for d in self.group.get((doc.key, year, kind), []) if d.doc_id != doc.doc_id and _same_place(doc, d)]

    def amounts(self, docs: Sequence[_Doc], subject: str, figures: Sequence[str | None]) -> list[tuple[_Doc, _Claim]]:
        out = []
        for d in docs:
            for c in self.by_doc.get(d.doc_id, []):
                if c.quantity == "amount" and c.subject == subject and c.figure in figures and c.interval() is not None:
                    out.append((d, c))
        return out

    def run(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for doc in self.docs.values():
            for c in self.by_doc.get(doc.doc_id, []):
                f = self.check(doc, c)
                if f:
                    out.append(f)
        out.sort(key=lambda f: str(f["finding_id"]))
        return out

    def check(self, doc: _Doc, c: _Claim) -> dict[str, Any] | None:
        """The finding of one claim that speaks about another document, if any."""
        if c.quantity == "change" and c.base in _PRIOR_KIND:
            return self.prior_year(doc, c)
        if doc.kind == "final_account" and c.quantity == "change" and c.base == "年初预算":
            return self.budget_change(doc, c)
        if doc.kind == "final_account" and c.quantity == "amount" and c.figure == "年初预算":
            return self.budget_amount(doc, c)
        return None

    # -- helpers
    def _head(self, doc: _Doc, c: _Claim) -> _Claim | None:
        if not c.head:
            return None
        h = self.ids.get((doc.doc_id, c.head))
        if h is None or h.quantity != "amount" or h.interval() is None:
            return None
        return h

    @staticmethod
    def _signed_change(c: _Claim, unit_of_head: str | None) -> Interval | None:
        if c.direction not in (1, -1):
            return None
        v = c.printed()
        factor = UNIT_FACTORS.get(c.unit or unit_of_head or "")
        if v is None or factor is None:
            return None
        iv = Interval.printed(abs(v), c.places).scale(factor)
        return iv if c.direction == 1 else -iv

    def _earlier(self, doc: _Doc, c: _Claim) -> tuple[_Claim, str, Interval, str, str] | None:
        """What a change implies: (its amount, subject, the earlier figure, 增加/减少, the
        earlier figure as printed text in the amount's unit)."""
        head = self._head(doc, c)
        if head is None:
            return None
        subject = c.subject or head.subject
        chg = self._signed_change(c, head.unit)
        cur = head.interval()
        if chg is None or cur is None or subject is None:
            return None
        expected = cur - chg
        word = "增加" if c.direction == 1 else "减少"
        shown = f"{_fmt(expected.mid / (head.factor or 1), max(head.places, c.places))}{head.unit or ''}"
        return head, subject, expected, word, shown

    # -- X301
    def prior_year(self, doc: _Doc, c: _Claim) -> dict[str, Any] | None:
        prior_kind = _PRIOR_KIND[c.base or ""]
        prior_docs = self.partners(doc, doc.year - 1, prior_kind)
        if not prior_docs:
            return None
        got = self._earlier(doc, c)
        if got is None:
            return None
        head, subject, expected, word, shown = got
        figures = _FIGURES_FINAL if prior_kind == "final_account" else _FIGURES_BUDGET
        label = "决算" if prior_kind == "final_account" else "预算"
        say = f"{doc.year}年报告称“{subject}”为{head.shown()}，比上年{word}{c.shown()}，据此{doc.year - 1}年应为{shown}"
        cands = self.amounts(prior_docs, subject, figures)
        display = replace(head, subject=subject)
        q = _Question("X301", doc, [c, head], expected, display, say, f"{doc.year - 1}年部门{label}", prior_docs)
        return q.compare(cands)

    # -- X302
    def budget_amount(self, doc: _Doc, c: _Claim) -> dict[str, Any] | None:
        budgets = self.partners(doc, doc.year, "budget")
        iv = c.interval()
        if not budgets or iv is None or c.subject is None:
            return None
        say = f"{doc.year}年决算称“{c.subject}”年初预算为{c.shown()}"
        cands = self.amounts(budgets, c.subject, _FIGURES_BUDGET)
        return _Question("X302", doc, [c], iv, c, say, f"{doc.year}年部门预算", budgets).compare(cands)

    def budget_change(self, doc: _Doc, c: _Claim) -> dict[str, Any] | None:
        budgets = self.partners(doc, doc.year, "budget")
        if not budgets:
            return None
        got = self._earlier(doc, c)
        if got is None:
            return None
        head, subject, expected, word, shown = got
        say = f"{doc.year}年决算称“{subject}”为{head.shown()}，比年初预算{word}{c.shown()}，据此年初预算应为{shown}"
        cands = self.amounts(budgets, subject, _FIGURES_BUDGET)
        display = replace(head, subject=subject)
        q = _Question("X302", doc, [c, head], expected, display, say, f"{doc.year}年部门预算", budgets)
        return q.compare(cands)


def crossyear_findings(
    documents: Iterable[Mapping[str, Any]], claims: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Cross-document findings from ``documents`` rows and ``claims`` rows (store columns).

    Only documents with status ``ok`` (or no status), a specific organization, a year and a
    kind take part. Returns rows of the ``crossyear_findings`` table.
    """
    docs: list[_Doc] = []
    for d in documents:
        if d.get("status") not in (None, "ok"):
            continue
        key = organization_key(d.get("organization"))
        year = d.get("year")
        kind = d.get("kind")
        if key is None or year is None or kind not in ("final_account", "budget"):
            continue
        docs.append(_Doc(str(d["doc_id"]), str(d["organization"]), key, int(year), str(kind), d.get("province")))
    return _Checker(docs, (_claim(r, i) for i, r in enumerate(claims))).run()


_CLAIM_COLUMNS = (
    "doc_id",
    "claim_id",
    "subject",
    "quantity",
    "value",
    "decimals",
    "unit",
    "base",
    "figure",
    "direction",
    "head",
    "span_start",
    "span_end",
)


def _has_pairs(group: Sequence[Mapping[str, Any]]) -> bool:
    """Whether an organization's documents include a pair that a cross-year check compares."""
    years = {(d["year"], d["kind"]) for d in group}
    return any(
        (y - 1, k) in years or (k == "final_account" and (y, "budget") in years) or (y - 1, "budget") in years
        for y, k in years
    )


def update_store(store: Store) -> list[dict[str, Any]]:
    """Recompute the ``crossyear_findings`` table of an open store; return its rows.

    Works one organization at a time, so memory stays bounded by the largest organization.
    """
    cols = ["doc_id", "organization", "year", "kind", "status", "province"]
    rows = store.query(
        f"SELECT {', '.join(cols)} FROM documents WHERE status = 'ok' AND organization IS NOT NULL "
        "AND year IS NOT NULL ORDER BY doc_id"
    )
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        d = dict(zip(cols, r, strict=True))
        key = organization_key(d["organization"])
        if key is not None:
            by_key[key].append(d)
    found: list[dict[str, Any]] = []
    for key in sorted(by_key):
        group = by_key[key]
        if not _has_pairs(group):
            continue
        ids = [d["doc_id"] for d in group]
        marks = ", ".join("?" for _ in ids)
        claim_rows = store.query(
            f"SELECT {', '.join(_CLAIM_COLUMNS)} FROM claims WHERE doc_id IN ({marks}) "
            "AND quantity IN ('amount', 'change') ORDER BY doc_id, span_start, claim_id",
            ids,
        )
        claims = [dict(zip(_CLAIM_COLUMNS, r, strict=True)) for r in claim_rows]
        found.extend(crossyear_findings(group, claims))
    found.sort(key=lambda f: str(f["finding_id"]))
    store.replace_table("crossyear_findings", found)
    return found


def check_store(path: str | Path) -> list[dict[str, Any]]:
    """Open the store at ``path``, recompute its cross-year findings and return them."""
    with Store(path) as st:
        return update_store(st)
