"""What every rule model shares: strict frozen dataclasses, one error type, precise messages.

The models are stdlib dataclasses, so that rules read back from the disk cache need no pydantic
(issue 16: a check imports only what it uses). pydantic validates them when rules are read from
YAML (:func:`reconcile.rules.loader`), imported there and then: each model's
``__pydantic_config__`` forbids unknown keys, and a field's constraints and checks are
``Annotated`` markers (:class:`Limits`, :class:`After`) that pydantic applies as it applies its
own ``Field(...)`` and ``AfterValidator``. A check of the whole model is its ``__post_init__``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, ValidationError
    from pydantic_core import CoreSchema

__all__ = ["After", "Limits", "RuleError", "Strict", "check_regex", "explain", "read_yaml"]


class RuleError(ValueError):
    """A rule file is invalid; the message names the file, the rule and the field."""


class Strict:
    """The base of every rule model (a ``@dataclass(frozen=True, slots=True, kw_only=True)``):
    unknown keys are errors and validated rules are immutable."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


@dataclass(frozen=True, slots=True)
class Limits:
    """``Annotated[T, Limits(...)]``: the constraints of pydantic's ``Field(min_length=…, pattern=…)``."""

    min_length: int | None = None
    pattern: str | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic import Field

        given: dict[str, Any] = {"min_length": self.min_length, "pattern": self.pattern}
        return handler(Annotated[source, Field(**{k: v for k, v in given.items() if v is not None})])


@dataclass(frozen=True, slots=True)
class After:
    """``Annotated[T, After(f)]``: pydantic's ``AfterValidator(f)`` (``f`` raises ValueError on a bad value)."""

    func: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic import AfterValidator

        return AfterValidator(self.func).__get_pydantic_core_schema__(source, handler)


def check_regex(value: str) -> str:
    """A field check (``After(check_regex)``): the value compiles as a regular expression."""
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
        msgs.append(f"{path}: {' '.join(where) or '<top>'}: {_message(err)}")
    return "\n".join(msgs)


def _message(err: Any) -> str:
    """The message of an error, in the words pydantic uses for a model's fields where those of a
    dataclass's differ (an unknown key, a value that is not a mapping)."""
    if err["type"] == "unexpected_keyword_argument":
        return "Extra inputs are not permitted"
    if err["type"] == "dataclass_type":
        return f"Input should be a valid dictionary or instance of {err['ctx']['class_name']}"
    return str(err["msg"])


def _rule_id(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    for key in ("id", "name"):
        if isinstance(node.get(key), str):
            return str(node[key])
    if isinstance(node.get("kind"), str) and "titles" in node:  # a table kind
        return str(node["kind"])
    return None
