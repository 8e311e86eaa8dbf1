"""Amounts: a narrative amount against the table cell it describes (N201, N210, N214, N290),
and an amount spent in the year against the year's total expenditure (N216)."""

from __future__ import annotations

from decimal import Decimal

from ..claims import Claim
from ..findings import spec
from ..match import CellMatch
from ..numbers import Interval
from .context import Context, Evidence
from .figures import fine_iv, fmt, is_money, iv, printed
from .reading import all_of, change_cue, class_context, coverage_cue, match, number_start, path, subset_cue
from .registry import check

CARRY_OVER = "年初结转和结余"  # the subject of 上年结转 / 年初结转和结余 (rules/subjects.yaml)

__all__ = ["check_amounts", "check_executed_bound"]


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


def _rounded_another_way(c: Claim, m: CellMatch) -> bool:
    """A cell printed with more decimals than the claim (9,142.554971 → 9,142.56; 575,900元 →
    57万元), within one unit of the claim's last decimal: truncating, or rounding in two
    steps, gives the claim. The cell's decimals count in the claim's unit."""
    cell = m.cell
    if m.plus or cell.value is None or c.value is None or c.decimals is None or cell.decimals is None:
        return False
    shift = -m.table.scale.adjusted() if m.table.scale < 1 else 0  # 元 → 万元: four more decimals
    if cell.decimals + shift <= c.decimals + 1:
        return False
    return abs(c.value - m.value) < Decimal(1).scaleb(-c.decimals)


@check(needs=("suspect",), provides=("cell_of", "amount_outcomes"))
def check_amounts(ctx: Context) -> None:
    """Each money amount against its cell; ``cell_of`` records the cell it was compared with."""
    for c in ctx.claims:
        if c.quantity != "amount" or c.value is None or (not is_money(ctx, c) and c.unit is not None):
            continue
        cells, how = match(ctx, c)
        whole = all_of(ctx, c) if not cells else None
        if whole is not None:  # “所有项目支出…，涉及预算资金X万元”: X is all of 项目支出
            cells, how = match(ctx, c, subject=whole)
        if not cells:
            none = f"not in the tables: {how}" if ctx.tables else "the document has no tables to compare with"
            ctx.out(c.id).set("unverifiable", none)
            continue
        if how == "ambiguous":
            _ambiguous(ctx, c, cells)
            continue
        reason = _not_a_level(ctx, c)
        if reason:
            ctx.out(c.id).set("unverifiable", reason)
            continue
        if cells[0].cell.value is None and not cells[0].plus and c.value:
            # a blank cell (a 小计 left blank beside its filled parts) is not a printed zero
            ctx.out(c.id).set("unverifiable", spec("N201").message("blank_cell", {"label": cells[0].label()}))
            continue
        if _with_carry_over(ctx, c, cells[0]):
            ctx.out(c.id).set("unverifiable", spec("N201").message("carry_over", {"label": cells[0].label()}))
            continue
        ctx.cell_of[c.id] = cells[0]
        _compare(ctx, c, cells[0])


def _with_carry_over(ctx: Context, c: Claim, m: CellMatch) -> bool:
    """“财政拨款收入X，其中：一般公共预算拨款A、上年结转B”: the narrative's total counts the
    carry-over it lists, while the cell (a 本年 total, not a 总计) does not."""
    listed = [ctx.by_id[x] for x in c.components if x in ctx.by_id]
    return any(x.subject == CARRY_OVER and x.value for x in listed) and "总计" not in m.row.label


def _ambiguous(ctx: Context, c: Claim, cells: list[CellMatch]) -> None:
    hits = [m for m in cells if m.interval.meets(iv(ctx, c))]
    fields = {
        "subject": c.subject,
        "printed": printed(c),
        "listing": "; ".join(f"{m.label()} = {fmt(m.value)}" for m in cells),
        "which": "the claim matches " + hits[0].label() if hits else "the claim matches neither",
    }
    ctx.record("N290", "unverifiable", "ambiguous", fields, [c], cells=cells)


def _not_a_level(ctx: Context, c: Claim) -> str | None:
    """Why the amount is not a level a table total holds (None when it may be one)."""
    if not c.classification and not path(ctx, c) and class_context(ctx, c):
        return "an amount of the class or item named before it (（类）/（款）), not of a table total"
    if change_cue(ctx, c):
        return "an amount of change (增加/减少 … before it in its clause), not the level a table holds"
    if subset_cue(ctx, c):
        return "an amount of the items the sentence is about (涉及…), not a table total"
    return None


def _compare(ctx: Context, c: Claim, m: CellMatch) -> None:
    assert c.value is not None
    claim_iv, cell_iv = iv(ctx, c), m.interval
    fields: dict[str, object] = {
        "subject": c.subject,
        "printed": printed(c),
        "text": c.text,
        "value": c.value,
        "label": m.label(),
        "cell": fmt(m.value),
    }
    if cell_iv.meets(claim_iv) and not _one_unit_apart(c, m):
        if c.unit is None and "unit_missing" in c.flags and c.value != 0:  # “预算为0”: zero in any unit
            ctx.record("N210", "inconsistent", "missing_unit_cell", fields, [c], cells=[m], severity="warning")
        elif (c.decimals or 0) == 0 and c.value != 0 and not m.interval.meets(fine_iv(ctx, c)):
            evidence = Evidence(expected=m.value, observed=c.value, tolerance=claim_iv)
            ctx.record("N214", "verified", "coarse", fields, [c], template_code="N201", cells=[m], evidence=evidence)
        else:
            ctx.record(
                "N201",
                "verified",
                "verified",
                fields,
                [c],
                cells=[m],
                evidence=Evidence(expected=m.value, observed=c.value),
            )
        return
    if c.unit == "元" and Interval.printed(c.value, c.decimals or 0).meets(cell_iv):  # a unit slip?
        ctx.record(
            "N210",
            "inconsistent",
            "unit_slip",
            fields,
            [c],
            cells=[m],
            evidence=Evidence(expected=m.value, observed=c.value),
        )
        return
    if _rounded_another_way(c, m):
        fields.update(exact=f"{m.cell.value:,}", cell_decimals=m.cell.decimals, decimals=c.decimals)
        evidence = Evidence(expected=m.value, observed=c.value, tolerance=claim_iv)
        ctx.record(
            "N214", "verified", "other_rounding", fields, [c], template_code="N201", cells=[m], evidence=evidence
        )
        return
    if c.value == 0 and coverage_cue(ctx, c):
        # a whole-unit evaluation that covered nothing: the unit was not evaluated
        ctx.out(c.id).set("unverifiable", spec("N201").message("coverage", {"label": m.label(), "cell": fmt(m.value)}))
        return
    broken = ctx.suspect.get((m.table.id, m.row.key(), m.column))
    note = spec("N201").message("suspect_cell", {"check": broken[0]}) if broken else ""
    if _one_unit_apart(c, m):
        note += spec("N201").message("same_decimals", {"decimals": c.decimals})
    fields.update(difference=fmt(claim_iv.mid - m.value), note=note)
    evidence = Evidence(expected=m.value, observed=c.value, tolerance=cell_iv)
    ctx.record("N201", "inconsistent", "inconsistent", fields, [c], cells=[m], evidence=evidence)


@check(needs=("cell_of",), provides=("amount_outcomes",))
def check_executed_bound(ctx: Context) -> None:
    """An amount executed or spent in the year (执行数, 实际支出), in a final account, cannot
    exceed the year's total expenditure: checked for amounts that have no cell of their own."""
    if ctx.doc.kind != "final_account":
        return
    for c in ctx.claims:
        if c.quantity != "amount" or not is_money(ctx, c) or c.id in ctx.cell_of or not c.value:
            continue
        label = c.text[: number_start(c) - c.span[0]]
        if not ctx.cues.executed.search(label) or "累计" in label or change_cue(ctx, c):
            continue
        cells, how = match(ctx, c, subject="本年支出合计", figure="决算")
        if not cells or how == "ambiguous":
            continue
        m = cells[0]
        claim_iv = iv(ctx, c)
        if claim_iv.lo <= m.interval.hi:
            continue
        fields = {
            "text": c.text.strip(),
            "label": m.label(),
            "cell": fmt(m.value),
            "difference": fmt(claim_iv.mid - m.value),
        }
        ctx.record(
            "N216",
            "inconsistent",
            "inconsistent",
            fields,
            [c],
            cells=[m],
            evidence=Evidence(expected=m.value, observed=c.value),
        )
