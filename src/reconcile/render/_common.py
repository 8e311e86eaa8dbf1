"""Helpers shared by the renderers: labels, claim status, number formatting, lookups.

Nothing here computes a finding: every renderer reads the JSON report dict
(``Report.to_dict()``) and only arranges what it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from ..findings import CATALOGUE, NEUTRAL_TITLES

__all__ = [
    "CLAIM_STATUSES",
    "FINDING_STATUSES",
    "GLYPH",
    "KIND_LABEL",
    "SEVERITIES",
    "SEVERITY_LABEL",
    "STATUS_LABEL",
    "ClaimView",
    "cause_line",
    "cell_label",
    "cell_value",
    "check_title",
    "claim_findings",
    "claim_statuses",
    "difference",
    "fmt_num",
    "row_key",
    "shown",
    "shown_tolerance",
    "span_of",
    "spans_of",
    "worst",
]

FINDING_STATUSES: Final = ("inconsistent", "unverifiable", "verified")
CLAIM_STATUSES: Final = ("inconsistent", "unverifiable", "verified", "unchecked")
SEVERITIES: Final = ("error", "warning", "info")

#: A status mark readable without colour.
GLYPH: Final[Mapping[str, str]] = {
    "inconsistent": "✗",
    "unverifiable": "?",
    "verified": "✓",
    "unchecked": "·",
}
STATUS_LABEL: Final[Mapping[str, str]] = {
    "inconsistent": "不一致",
    "unverifiable": "无法核实",
    "verified": "已核实",
    "unchecked": "未核对",
}
SEVERITY_LABEL: Final[Mapping[str, str]] = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_LABEL: Final[Mapping[str, str]] = {"final_account": "部门决算", "budget": "部门预算", "unknown": "类型未知"}

#: Display priority when marks overlap: the one needing most attention wins.
_RANK: Final[Mapping[str, int]] = {"inconsistent": 4, "unverifiable": 3, "verified": 2, "unchecked": 1}
#: Priority the report itself uses to give a claim the status of its findings.
_CLAIM_RANK: Final[Mapping[str, int]] = {"inconsistent": 3, "verified": 2, "unverifiable": 1}

ClaimView = dict[str, Any]


def worst(statuses: Iterable[str]) -> str | None:
    """The status needing most attention among ``statuses`` (None when empty)."""
    best: str | None = None
    for s in statuses:
        if best is None or _RANK.get(s, 0) > _RANK.get(best, 0):
            best = s
    return best


def check_title(code: str, status: str = "inconsistent") -> str:
    """The title of ``code``: the failure title for an inconsistent finding, a neutral one otherwise."""
    if status != "inconsistent" and code in NEUTRAL_TITLES:
        return NEUTRAL_TITLES[code]
    spec = CATALOGUE.get(code)
    return spec.title if spec is not None else code


def shown(f: Mapping[str, Any], key: str) -> str:
    """A finding's ``observed``/``expected``/``difference`` as the report displays it (at the
    inputs' precision, the ``display`` field), else the raw number."""
    disp = f.get("display")
    if isinstance(disp, Mapping) and disp.get(key) is not None:
        return str(disp[key])
    if key == "difference":
        return difference(f.get("observed"), f.get("expected")) or ""
    return fmt_num(f.get(key))


def shown_tolerance(f: Mapping[str, Any]) -> tuple[str, str] | None:
    """The tolerance interval as displayed (``display.tolerance``), else the raw bounds."""
    disp = f.get("display")
    tol = disp.get("tolerance") if isinstance(disp, Mapping) else None
    if not (isinstance(tol, Sequence) and len(tol) == 2):
        tol = f.get("tolerance")
    if isinstance(tol, Sequence) and not isinstance(tol, str) and len(tol) == 2:
        return fmt_num(tol[0]), fmt_num(tol[1])
    return None


def cell_label(c: Mapping[str, Any]) -> str:
    """A cell as people name it: table title, row and printed column header (not internal names)."""
    table = str(c.get("table_label") or c.get("table") or "")
    row = str(c.get("row_label") if c.get("row_label") is not None else c.get("row") or "")
    col = str(c.get("column_label") or c.get("column") or "")
    return f"{table} {row} [{col}]".strip()


def cell_value(c: Mapping[str, Any], empty: str = "") -> str:
    """A cell's value as printed (``value_text``), else its raw value."""
    if c.get("value_text") is not None:
        return str(c["value_text"])
    return fmt_num(c.get("value"), empty)


def cause_line(f: Mapping[str, Any]) -> str:
    """“title — explanation” of a finding's likely cause ("" when it has none)."""
    lc = f.get("likely_cause")
    if not isinstance(lc, Mapping):
        return ""
    return f"{lc.get('title', lc.get('code', ''))} — {lc.get('explanation', '')}"


def claim_findings(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Claim id → ids of the findings that reference it, in finding order."""
    out: dict[str, list[str]] = {}
    for f in data.get("findings", []):
        for cid in f.get("claims", []) or []:
            out.setdefault(str(cid), []).append(str(f["id"]))
    return out


def claim_statuses(data: Mapping[str, Any]) -> dict[str, str]:
    """Claim id → status: the claim's own ``status`` when the report gives one,
    else the status of its findings as the report's summary counts it, else ``unchecked``."""
    by_finding: dict[str, str] = {}
    for f in data.get("findings", []):
        st = str(f.get("status"))
        for cid in f.get("claims", []) or []:
            prev = by_finding.get(str(cid))
            if prev is None or _CLAIM_RANK.get(st, 0) > _CLAIM_RANK.get(prev, 0):
                by_finding[str(cid)] = st
    out: dict[str, str] = {}
    for c in data.get("claims", []):
        cid = str(c["id"])
        st = c.get("status")
        if st not in CLAIM_STATUSES:
            st = by_finding.get(cid, "unchecked")
        out[cid] = str(st)
    return out


def span_of(obj: Any, length: int | None = None) -> tuple[int, int] | None:
    """A ``[start, end)`` span from JSON (list of two ints), clamped to ``length``; None if unusable."""
    if not isinstance(obj, Sequence) or isinstance(obj, str) or len(obj) != 2:
        return None
    a, b = obj[0], obj[1]
    if not isinstance(a, int) or not isinstance(b, int) or isinstance(a, bool) or isinstance(b, bool):
        return None
    if length is not None:
        a, b = max(0, min(a, length)), max(0, min(b, length))
    if a < 0 or b <= a:
        return None
    return a, b


def spans_of(objs: Any, length: int | None = None) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if isinstance(objs, Sequence) and not isinstance(objs, str):
        for o in objs:
            sp = span_of(o, length)
            if sp is not None:
                out.append(sp)
    return out


def _dec(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, str | Decimal):
        try:
            return Decimal(v)
        except InvalidOperation:
            return None
    return None


def fmt_num(v: Any, empty: str = "") -> str:
    """A JSON number as printed: no exponent, no float noise (``1e-05`` → ``0.00001``)."""
    d = _dec(v)
    if d is None:
        return empty if v is None else str(v)
    if not d.is_finite():
        return str(d)
    s = format(d, "f")
    return s


def difference(observed: Any, expected: Any) -> str | None:
    """``observed - expected`` in decimal arithmetic, formatted; None when either is missing."""
    o, e = _dec(observed), _dec(expected)
    if o is None or e is None or not o.is_finite() or not e.is_finite():
        return None
    return format(o - e, "f")


def row_key(row: Mapping[str, Any]) -> str:
    """The row name findings use (``Row.key()``): ``"code label"`` or ``label``."""
    if row.get("key"):
        return str(row["key"])
    code, label = row.get("code"), str(row.get("label") or "")
    return f"{code} {label}" if code else label


_CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|[\ud800-\udfff]")


def visible_controls(s: str) -> str:
    """Replace control characters (and lone surrogates) one for one with visible stand-ins."""

    def sub(m: re.Match[str]) -> str:
        ch = m.group(0)
        o = ord(ch)
        if o < 0x20:
            return chr(0x2400 + o)
        if o == 0x7F:
            return "\u2421"
        return "\ufffd"

    return _CTRL_RE.sub(sub, s)
