"""The claim checks' registry and message templates: the run order follows the declared
needs, a need nobody provides or a cycle is refused, and every template a check names
is in the findings catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reconcile.checks import RUN_ORDER, Check, RegistryError, run_order
from reconcile.findings import CATALOGUE, spec

CHECKS_DIR = Path(__file__).resolve().parents[1] / "src" / "reconcile" / "checks"


def _noop(ctx: object) -> None:
    return None


def _check(name: str, needs: tuple[str, ...] = (), provides: tuple[str, ...] = ()) -> Check:
    return Check(name, "m", _noop, needs, provides)


def test_run_order_keeps_the_order_of_the_families() -> None:
    names = [c.name for c in RUN_ORDER]
    assert names[:2] == ["check_amounts", "check_executed_bound"]
    assert names[-1] == "check_units"
    assert names.index("check_item_lists") < names.index("check_components")


def test_every_need_runs_after_its_providers() -> None:
    for i, c in enumerate(RUN_ORDER):
        later = [x.name for x in RUN_ORDER[i + 1 :] if set(x.provides) & set(c.needs)]
        assert later == [], (c.name, later)


def test_a_need_moves_a_check_after_its_provider() -> None:
    order = run_order([_check("a", needs=("x",)), _check("b", provides=("x",)), _check("c")], ["m"])
    assert [c.name for c in order] == ["b", "a", "c"]


def test_unmet_need_and_cycle_are_errors() -> None:
    with pytest.raises(RegistryError, match="no check provides"):
        run_order([_check("a", needs=("nothing",))], ["m"])
    with pytest.raises(RegistryError, match="cycle"):
        run_order([_check("a", needs=("x",), provides=("y",)), _check("b", needs=("y",), provides=("x",))], ["m"])


def _templates_named() -> list[tuple[str, str]]:
    """(code, template) of every ``ctx.record`` / ``ctx.verify_or_flag`` call with literal arguments."""
    out: list[tuple[str, str]] = []
    for path in CHECKS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            if node.func.attr == "record" and len(args) >= 3 and isinstance(args[2], str):
                code = kw.get("template_code") or args[0]
                if isinstance(code, str):
                    out.append((code, args[2]))
            elif node.func.attr == "verify_or_flag" and isinstance(args[0], str):
                prefix = f"{kw['variant']}." if "variant" in kw else ""
                out += [(args[0], prefix + "verified"), (args[0], prefix + "inconsistent")]
    return out


def test_every_template_a_check_names_is_in_the_catalogue() -> None:
    named = _templates_named()
    assert len(named) > 40
    missing = [(code, t) for code, t in named if t not in spec(code).messages]
    assert missing == []


def test_retired_codes_have_no_templates() -> None:
    assert CATALOGUE["N202"].retired
    assert all(not s.messages for s in CATALOGUE.values() if s.retired)
