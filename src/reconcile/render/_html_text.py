"""The document text of the HTML report, line by line, with claims and findings marked.

The text is cut at every line boundary and at every start and end of a claim's or a
finding's span; each piece covered by some span becomes one ``<span class="m">``
carrying the keys of everything covering it, so the page's script can select them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._common import CLAIM_STATUSES, GLYPH, STATUS_LABEL, span_of, spans_of, worst
from ._html_context import STATUS_EN, Ctx, esc, id_of, status_of

__all__ = ["document_text", "legend"]


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    key: str  # internal key: f… (finding) or c… (claim)


def _marks(ctx: Ctx) -> list[_Mark]:
    n = len(ctx.text)
    out: list[_Mark] = []
    for i, c in enumerate(ctx.claims):
        sp = span_of(c.get("span"), n)
        if sp is not None:
            out.append(_Mark(sp[0], sp[1], f"c{i}"))
    for i, f in enumerate(ctx.findings):
        for s, e in sorted(set(spans_of(f.get("spans"), n))):
            out.append(_Mark(s, e, f"f{i}"))
    return out


@dataclass
class _Cuts:
    """Where the text is cut (sorted offsets) and which marks start and end at each cut."""

    points: list[int]
    starts_at: dict[int, list[_Mark]] = field(default_factory=dict)
    ends_at: dict[int, list[_Mark]] = field(default_factory=dict)

    @classmethod
    def of(cls, ctx: Ctx) -> _Cuts:
        points: set[int] = {0, len(ctx.text)}
        points.update(ctx.lines.starts)
        points.update(ctx.lines.body_ends)
        cuts = cls([])
        for m in _marks(ctx):
            points.add(m.start)
            points.add(m.end)
            cuts.starts_at.setdefault(m.start, []).append(m)
            cuts.ends_at.setdefault(m.end, []).append(m)
        cuts.points = sorted(points)
        return cuts

    def advance(self, active: dict[str, int], a: int) -> None:
        """Close the marks ending at ``a`` and open those starting there (``active``: key -> open spans)."""
        for m in self.ends_at.get(a, []):
            active[m.key] -= 1
            if active[m.key] == 0:
                del active[m.key]
        for m in self.starts_at.get(a, []):
            active[m.key] = active.get(m.key, 0) + 1


def document_text(ctx: Ctx) -> str:
    """The text as one ``<div class="ln">`` per line (line terminators not shown)."""
    cuts = _Cuts.of(ctx)
    pts = cuts.points
    active: dict[str, int] = {}  # key -> number of its spans open here
    line_html: list[list[str]] = [[] for _ in ctx.lines.starts]
    for i, a in enumerate(pts[:-1]):
        b = pts[i + 1]
        cuts.advance(active, a)
        li = ctx.lines.number(a) - 1
        if a >= ctx.lines.body_ends[li]:
            continue  # line terminator: not shown
        seg = ctx.text[a:b]
        if not active:
            line_html[li].append(esc(seg))
            continue
        ending = [m.key for m in cuts.ends_at.get(b, []) if m.key in active and active[m.key] == 1]
        line_html[li].append(_marked(ctx, seg, a, active, ending))
    out = []
    for i, parts in enumerate(line_html):
        out.append(f'<div class="ln" id="L{i + 1}" data-n="{i + 1}">{"".join(parts)}</div>')
    return "".join(out)


def _marked(ctx: Ctx, seg: str, a: int, active: dict[str, int], ending: list[str]) -> str:
    """A piece of text covered by the ``active`` marks (``ending``: those whose last span ends with it)."""
    keys = sorted(active, key=lambda k: (k[0] != "c", int(k[1:])))
    ckeys = [k for k in keys if k.startswith("c")]
    fkeys = [k for k in keys if k.startswith("f")]
    # a claim shows its own status; a finding's status colours only text no claim covers
    # (a share flagged as wrong must not paint the whole it was divided by)
    shown = ckeys or fkeys
    st = worst(status_of(ctx, k) for k in shown) or "unchecked"
    g = worst(status_of(ctx, k) for k in ending if k in shown)
    label = "; ".join(
        f"{GLYPH[status_of(ctx, k)]} {STATUS_LABEL[status_of(ctx, k)]} {id_of(ctx, k)}"
        for k in keys
        if status_of(ctx, k) in GLYPH
    )
    attrs = [
        f'class="m s-{esc(st)}"',
        f'data-o="{a}"',
        'role="button"',
        'tabindex="0"',
        f'aria-label="{esc(label)}"',
    ]
    if ckeys:
        attrs.append(f'data-c="{" ".join(ckeys)}"')
    if fkeys:
        attrs.append(f'data-f="{" ".join(fkeys)}"')
    if ending:
        attrs.append(f'data-e="{" ".join(sorted(set(ending)))}"')
    if g:
        attrs.append(f'data-g="{esc(g)}"')
    return f"<span {' '.join(attrs)}>{esc(seg)}</span>"


def legend() -> str:
    parts = []
    for st in CLAIM_STATUSES:
        parts.append(
            f'<span><span class="lg s-{st}" data-g="{st}">{STATUS_LABEL[st]} 123.45</span> {esc(STATUS_EN[st])}</span>'
        )
    return '<div class="legend" aria-hidden="true">图例 legend: ' + "".join(parts) + "</div>"
