"""Reading a rules directory into one validated :class:`Rules`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cache
from .base import RuleError, explain, read_yaml
from .claims import ClaimRules, CompiledRules, SubjectRules, compile_claim_rules
from .match import Locator, MatchRules
from .regions import RegionsFile
from .sections import SectionRules
from .tables import ColumnsFile, CrossFile, TableKind, TableKindsFile
from .templates import Template
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = ["Rules", "default_rules_dir", "load_rules"]

# every kind of rule file, its model, and whether a directory must have one
_MODELS: dict[str, type[Any]] = {
    "table_kinds": TableKindsFile,
    "columns": ColumnsFile,
    "claims": ClaimRules,
    "subjects": SubjectRules,
    "sections": SectionRules,
    "match": MatchRules,
    "vocabulary": Vocabulary,
    "template": Template,
    "regions": RegionsFile,
}
_REQUIRED = ("table_kinds", "columns", "claims", "subjects", "sections", "match", "vocabulary")


class Rules:
    """All rules of one directory, validated, cross-checked and compiled."""

    def __init__(self, directory: Path, files: dict[str, Any], templates: list[Template], version: str) -> None:
        self.directory = directory
        self.version = version
        self.files = files
        self.templates: tuple[Template, ...] = tuple(templates)
        self.vocabulary: Vocabulary = files["vocabulary"]
        self.subjects: SubjectRules = files["subjects"]
        self.sections: SectionRules = files["sections"]
        self.match: MatchRules = _with_groups(files["match"], files["vocabulary"])
        self.regions: RegionsFile | None = files.get("regions")
        self.claims: CompiledRules = compile_claim_rules(
            files["claims"], self.subjects, directory / "claims.yaml", self.vocabulary.fragments(), version
        )
        self.table_kinds: list[TableKind] = _with_template_kinds(files["table_kinds"].tables, templates)
        self._title_res = [
            (k, [re.compile(rf"(?:{p})(?:（[^）]{{0,20}}）)?") for p in k.titles]) for k in self.table_kinds
        ]
        cols: ColumnsFile = files["columns"]
        layouts = dict(cols.layouts)
        for t in templates:
            layouts.update(t.layouts)
        self.columns: ColumnsFile = replace(cols, layouts=layouts)
        self._alias = {n: canon for canon, names in cols.aliases.items() for n in (canon, *names)}
        self.cross = CrossFile(equalities=[e for t in templates for e in t.equalities])
        self._owner = {e.id: t for t in templates for e in t.equalities}

    def match_title(self, compact_title: str) -> TableKind | None:
        """The kind whose title pattern the title matches, the title read with its classification
        parenthetical when it has one (tables.yaml ``title_classifications``: “…支出表（按经济
        分类）” is not the 功能分类 table of the same name)."""
        title = self._classified_title(compact_title)  # the classification, when named, decides
        for kind, pats in self._title_res:
            if any(p.fullmatch(title) for p in pats):
                return kind
        return None

    def _classified_title(self, title: str) -> str:
        """“一般公共预算支出明细表（按支出功能分类科目）” → 一般公共预算支出功能分类预算表,
        “…支出情况表（按功能分类科目）” → …支出功能分类情况表."""
        named = self.files["table_kinds"].title_classifications
        m = re.fullmatch(r"(.+?)(情况|预算|明细)?表（([^（）]{1,20})）", title)
        if m is None or m.group(3) not in named:
            return title
        ending = {"明细": "预算", None: ""}.get(m.group(2), m.group(2))
        return f"{m.group(1)}{named[m.group(3)]}{ending}表"

    def table_kind(self, kind: str, template: str | None = None) -> TableKind | None:
        """The kind (as its template gives it, when the table's title was a template's)."""
        for k in self.table_kinds:
            if k.kind == kind and k.template == template:
                return k
        return self.table_kind(kind) if template is not None else None

    def template(self, template_id: str | None) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def equality_owner(self, equality_id: str) -> Template:
        return self._owner[equality_id]

    def canonical_column(self, name: str) -> str:
        return self._alias.get(name, name)

    def raw(self, kind: str) -> Any:
        return self.files.get(kind)


def _with_template_kinds(kinds: list[TableKind], templates: list[Template]) -> list[TableKind]:
    """Each kind, followed by its variant in every template that titles it (tried in that order):
    the template's titles, and its checks and row sums where it gives them."""
    out: list[TableKind] = []
    for k in kinds:
        out.append(k)
        for t in templates:
            if k.kind in t.titles:
                out.append(
                    replace(
                        k,
                        titles=t.titles[k.kind],
                        template=t.id,
                        checks=t.checks.get(k.kind, k.checks),
                        row_sums=t.row_sums.get(k.kind, k.row_sums),
                    )
                )
    return out


def _with_groups(match: MatchRules, vocabulary: Vocabulary) -> MatchRules:
    """``row: group:NAME`` → the group's first class, plus the others (vocabulary economic_groups)."""
    subjects = {}
    for subject, locators in match.subjects.items():
        subjects[subject] = [_expand_group(loc, vocabulary, subject) for loc in locators]
    return replace(match, subjects=subjects)


def _expand_group(loc: Locator, vocabulary: Vocabulary, subject: str) -> Locator:
    if not loc.row.startswith("group:"):
        return loc
    codes = vocabulary.economic_groups.get(loc.row[len("group:") :])
    if not codes:
        raise RuleError(f"match.yaml: subjects {subject}: row: {loc.row!r} is not a group of vocabulary.yaml")
    plus = tuple(f"code:{c}" for c in codes[1:])
    return replace(loc, row=f"code:{codes[0]}", plus=(*plus, *loc.plus))


def default_rules_dir() -> Path:
    here = Path(__file__).resolve()
    for cand in (here.parents[3] / "rules", here.parents[1] / "data" / "rules"):
        if cand.is_dir():
            return cand
    raise RuleError("cannot find the rules directory; pass --rules DIR")


def _rule_paths(d: Path) -> list[Path]:
    if not d.is_dir():
        raise RuleError(f"{d}: not a rules directory")
    paths = sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml"))
    paths += sorted((d / "templates").glob("*.yaml"))
    if not paths:
        raise RuleError(f"{d}: no rule files (*.yaml)")
    return paths


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(kind: str) -> TypeAdapter[Any]:
    """pydantic's validator of the model of a kind (pydantic is imported only when rules are read from YAML)."""
    from pydantic import TypeAdapter

    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(_MODELS[kind])
    return _ADAPTERS[kind]


def _validate(path: Path, data: Any) -> tuple[str, Any]:
    from pydantic import ValidationError

    if not isinstance(data, dict) or "kind" not in data or "schema_version" not in data:
        raise RuleError(f"{path}: a rule file needs 'schema_version' and 'kind' at the top")
    kind = data["kind"]
    model = _MODELS.get(kind)
    if model is None:
        raise RuleError(f"{path}: unknown kind {kind!r} (known: {', '.join(sorted(_MODELS))})")
    try:
        return kind, _adapter(kind).validate_python(data)
    except ValidationError as exc:
        raise RuleError(explain(path, data, exc)) from None


def _read(d: Path) -> tuple[dict[str, Any], list[Template], str]:
    files: dict[str, Any] = {}
    templates: list[Template] = []
    where: dict[str, Path] = {}
    h = hashlib.sha256()
    for path in _rule_paths(d):
        data = read_yaml(path)
        h.update(path.relative_to(d).as_posix().encode())
        h.update(path.read_bytes())
        kind, model = _validate(path, data)
        if kind == "template":
            if model.id != path.stem:
                raise RuleError(f"{path}: id: a template's id must be its file name ({path.stem!r}), not {model.id!r}")
            templates.append(model)
        elif kind in files:
            raise RuleError(f"{path}: a second file of kind {kind!r} (the first is {where[kind].name})")
        else:
            files[kind], where[kind] = model, path
    for needed in _REQUIRED:
        if needed not in files:
            raise RuleError(f"{d}: no rule file of kind {needed!r}")
    return files, templates, "sha256:" + h.hexdigest()[:16]


@lru_cache(maxsize=8)
def _load(directory: str, _stamp: tuple[tuple[str, int, int], ...]) -> Rules:
    from .references import check_references

    d = Path(directory)
    key = _cache_key(d)
    cached = cache.load("rules", key) if key else None
    if isinstance(cached, Rules) and cached.directory == d:
        return cached
    files, templates, version = _read(d)
    rules = Rules(d, files, templates, version)
    check_references(rules)
    if key:
        cache.store("rules", key, rules)
    return rules


# the code that validates and compiles rules (the rule models among it), read when it is imported
# (a key never names newer code)
_CODE_FILES = (*Path(__file__).parent.glob("*.py"), Path(cache.__file__))
_CODE = cache.source_digest(_CODE_FILES)


def _cache_key(d: Path) -> str | None:
    """The disk cache key of the rules of ``d``: the files' names and contents, the code and
    libraries that validate and compile them (None when the files cannot be listed or read)."""
    try:
        parts: list[str | bytes] = [str(d)]
        for p in _rule_paths(d):
            parts += [p.relative_to(d).as_posix(), p.read_bytes()]
    except (OSError, RuleError):
        return None
    libraries = "; ".join(cache.library_stamp(name) for name in ("pydantic", "pydantic_core", "regex", "yaml"))
    return cache.cache_key("rules", libraries, _CODE, *parts)


def _stamp(d: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for p in _rule_paths(d):
        st = p.stat()
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


def load_rules(directory: str | Path | None = None) -> Rules:
    """The rules of ``directory`` (default: the bundled rules/), cached while its files are unchanged."""
    d = (Path(directory) if directory else default_rules_dir()).resolve()
    return _load(str(d), _stamp(d))
