"""Rule files: YAML data validated on load.

Every file in a rules directory has ``schema_version`` and ``kind``; each kind has a
pydantic model. Errors name the file, the rule and the field. The rules version is
a hash of the files' contents, so a finding can be reproduced.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = ["RuleError", "Rules", "TableKind", "default_rules_dir", "load_rules"]


class RuleError(ValueError):
    """A rule file is invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowSum(_Strict):
    total: str  # regex on the canonical column name
    parts: list[str] | None = None  # regexes; None: every other value column of the block


class TableKind(_Strict):
    kind: str
    doc: str
    label: str
    titles: list[str]
    checks: list[str] = Field(default_factory=list)
    row_sums: list[RowSum] | None = None
    layouts: list[list[str]] | None = None

    @field_validator("titles")
    @classmethod
    def _compile(cls, v: list[str]) -> list[str]:
        for pat in v:
            try:
                re.compile(pat)
            except re.error as exc:
                raise ValueError(f"bad title pattern {pat!r}: {exc}") from exc
        return v

    @field_validator("doc")
    @classmethod
    def _doc(cls, v: str) -> str:
        if v not in ("final_account", "budget"):
            raise ValueError("doc must be final_account or budget")
        return v


class TableKindsFile(_Strict):
    schema_version: int
    kind: str
    tables: list[TableKind]


class ColumnsFile(_Strict):
    schema_version: int
    kind: str
    aliases: dict[str, list[str]]
    label_headers: list[str]
    code_headers: list[str]
    rownum_headers: list[str]
    vocabulary: list[str]
    layouts: dict[str, list[list[str]]] = Field(default_factory=dict)


class CellSelector(_Strict):
    table: str
    block: str | None = None  # regex on block name, or "first"/"last"
    row: str  # "total" | "code:201" | regex on the plain label
    column: str | None = None  # regex on column name; None: first value column
    optional: bool = False  # in a sum: a row the table may leave out (it counts as 0)


class CrossRule(_Strict):
    id: str
    description: str
    left: list[CellSelector]
    right: list[CellSelector]
    by_class: bool = False  # compare class rows by name (e.g. T1 functions vs T3 类 rows)
    code: Literal["T108", "T110"] = "T108"  # T110 for a total of rows within one table


class CrossFile(_Strict):
    schema_version: int
    kind: str
    equalities: list[CrossRule]


_MODELS: dict[str, type[BaseModel]] = {
    "table_kinds": TableKindsFile,
    "columns": ColumnsFile,
    "cross_table": CrossFile,
}


class Rules:
    """All rule files of one directory, validated."""

    def __init__(self, directory: Path, files: dict[str, Any], version: str) -> None:
        self.directory = directory
        self.files = files
        self.version = version
        tk: TableKindsFile = files["table_kinds"]
        self.table_kinds: list[TableKind] = list(tk.tables)
        self._title_res = [
            (k, [re.compile(rf"(?:{p})(?:（[^）]{{0,20}}）)?") for p in k.titles]) for k in self.table_kinds
        ]
        cols: ColumnsFile = files["columns"]
        self.columns = cols
        self._alias = {}
        for canon, names in cols.aliases.items():
            for n in [canon, *names]:
                self._alias[n] = canon
        self.cross: CrossFile | None = files.get("cross_table")

    def match_title(self, compact_title: str) -> TableKind | None:
        for kind, pats in self._title_res:
            for p in pats:
                if p.fullmatch(compact_title):
                    return kind
        return None

    def table_kind(self, kind: str) -> TableKind | None:
        for k in self.table_kinds:
            if k.kind == kind:
                return k
        return None

    def canonical_column(self, name: str) -> str:
        return self._alias.get(name, name)

    def raw(self, kind: str) -> Any:
        return self.files.get(kind)


def default_rules_dir() -> Path:
    here = Path(__file__).resolve()
    for cand in (here.parents[2] / "rules", here.parent / "data" / "rules"):
        if cand.is_dir():
            return cand
    raise RuleError("cannot find the rules directory; pass --rules DIR")


@lru_cache(maxsize=8)
def _load(directory: str) -> Rules:
    d = Path(directory)
    files: dict[str, Any] = {}
    h = hashlib.sha256()
    paths = sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml"))
    if not paths:
        raise RuleError(f"{d}: no rule files (*.yaml)")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        h.update(path.name.encode())
        h.update(text.encode("utf-8"))
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise RuleError(f"{path}: invalid YAML: {exc}") from exc
        if not isinstance(data, dict) or "kind" not in data or "schema_version" not in data:
            raise RuleError(f"{path}: a rule file needs 'schema_version' and 'kind' at the top")
        kind = data["kind"]
        model = _MODELS.get(kind)
        if model is None:
            files[kind] = data  # validated by the stage that owns it
            continue
        try:
            files[kind] = model.model_validate(data)
        except ValidationError as exc:
            msgs = []
            for err in exc.errors():
                loc = list(err["loc"])
                where = ".".join(str(x) for x in loc)
                rule_id = _rule_id(data, loc)
                msgs.append(f"{path.name}: {('rule ' + rule_id + ': ') if rule_id else ''}{where}: {err['msg']}")
            raise RuleError("\n".join(msgs)) from None
    for needed in ("table_kinds", "columns"):
        if needed not in files:
            raise RuleError(f"{d}: no rule file of kind {needed!r}")
    return Rules(d, files, "sha256:" + h.hexdigest()[:16])


def _rule_id(data: Any, loc: list[Any]) -> str | None:
    node = data
    found = None
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            for idk in ("id", "kind"):
                if isinstance(node.get(idk), str) and node is not data:
                    found = node[idk]
    return found


def load_rules(directory: str | Path | None = None) -> Rules:
    d = Path(directory) if directory else default_rules_dir()
    return _load(str(d.resolve()))
