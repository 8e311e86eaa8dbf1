"""What every rule model shares: strict pydantic models, one error type, precise messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = ["RuleError", "Strict", "check_regex", "explain", "read_yaml"]


class RuleError(ValueError):
    """A rule file is invalid; the message names the file, the rule and the field."""


class Strict(BaseModel):
    """Unknown keys are errors and validated rules are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def check_regex(value: str) -> str:
    """A pydantic field validator: the value compiles as a regular expression."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
    return value


def read_yaml(path: Path) -> Any:
    import yaml  # only when rules are read, not when they come from the cache

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file ({exc})") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None


def explain(path: Path, data: Any, exc: ValidationError) -> str:
    """One line per validation error: ``file: key [i] (rule 'id') key: message``."""
    msgs = []
    for err in exc.errors():
        where: list[str] = []
        node: Any = data
        for part in err["loc"]:
            if isinstance(node, dict):
                node = node.get(part) if isinstance(part, str) else None
                where.append(str(part))
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                rid = _rule_id(node)
                where.append(f"[{part}]" + (f" (rule {rid!r})" if rid else ""))
            else:
                where.append(str(part))
                node = None
        msgs.append(f"{path}: {' '.join(where) or '<top>'}: {err['msg']}")
    return "\n".join(msgs)


def _rule_id(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    for key in ("id", "name"):
        if isinstance(node.get(key), str):
            return str(node[key])
    if isinstance(node.get("kind"), str) and "titles" in node:  # a table kind
        return str(node["kind"])
    return None
