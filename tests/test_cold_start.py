"""The cold start (issue 16): ``reconcile check`` of a text imports only what it uses, and the
disk cache (rules, jieba dictionary, span patterns) never changes a result or fails a run.

Processes are fresh (``python3 -c``), so that nothing of this test process (its imports, its
in-process caches) hides what a cold start does. No test here times anything.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.claims.pipeline import SPAN_KEY, _token_specs, build_pipeline
from reconcile.claims.spans import span_finder, words_and_starts
from reconcile.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SEED = ROOT / "corpora" / "seeds" / "004_6d6ee4970fc0bf0d.txt"

# what `reconcile check X.txt --format json|text` must never import
HEAVY = (
    "pandas",
    "duckdb",
    "dask",
    "distributed",
    "pyarrow",
    "openpyxl",
    "jinja2",
    "playwright",
    "pdfplumber",
    "pdfminer",
    "pypdfium2",
    "pypdf",
)

CHECK_AND_LIST = """
import contextlib, io, json, sys
import reconcile.cli
from reconcile import check_document
from reconcile.report import render
data = check_document(sys.argv[1]).to_dict()
render(data, "text"), render(data, "json")
with contextlib.redirect_stdout(io.StringIO()):
    code = reconcile.cli.main(["check", sys.argv[1], "--format", "text"])
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""

REPORT = """
import json, sys
from reconcile import check_document
print(json.dumps(check_document(sys.argv[1]).to_dict(), ensure_ascii=False, sort_keys=True))
"""


def _python(code: str, cache: Path | str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC), "RECONCILE_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return out.stdout


def _report(cache: Path | str, path: Path = SEED) -> dict[str, object]:
    data: dict[str, object] = json.loads(_python(REPORT, cache, str(path)))
    data["tool"] = {}  # its timing, if any
    return data


def test_check_of_a_text_imports_nothing_heavy(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = json.loads(_python(CHECK_AND_LIST, cache, str(SEED)))  # empty cache: spaCy builds the patterns
    assert first["code"] == 1
    assert not (set(HEAVY) - {"jinja2"}) & set(first["modules"])  # spaCy's own import brings jinja2
    warm = json.loads(_python(CHECK_AND_LIST, cache, str(SEED)))  # warm cache: not even spaCy
    assert warm["code"] == 1
    # nor pydantic: it validates rule files, and the cached rules are plain dataclasses
    never = {*HEAVY, "spacy", "thinc", "yaml", "multiprocessing", "pydantic", "pydantic_core"}
    assert not never & set(warm["modules"])


@pytest.fixture(scope="module")
def cold_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Seed 004 checked without any cache."""
    return _report("off")


def test_a_cache_hit_gives_the_result_of_a_cold_build(tmp_path: Path, cold_report: dict[str, object]) -> None:
    cache = tmp_path / "cache"
    assert _report(cache) == cold_report  # builds and writes the cache
    kinds = sorted(p.name.split("-")[0] for p in cache.glob("*.pickle"))
    assert kinds == ["jieba", "rules", "spans"]
    assert _report(cache) == cold_report  # reads it


def test_a_corrupt_cache_is_ignored(tmp_path: Path, cold_report: dict[str, object]) -> None:
    cache = tmp_path / "cache"
    _report(cache)
    entries = sorted(cache.glob("*.pickle"))
    assert len(entries) == 3
    for i, p in enumerate(entries):  # garbage, a truncated pickle, an empty file
        p.write_bytes([b"not a pickle", p.read_bytes()[: p.stat().st_size // 2], b""][i % 3])
    assert _report(cache) == cold_report
    assert _report(cache) == cold_report  # and what was rebuilt in their place reads back


def test_another_entry_under_the_key_is_ignored(tmp_path: Path, cold_report: dict[str, object]) -> None:
    cache = tmp_path / "cache"
    _report(cache)
    rules = next(cache.glob("rules-*.pickle"))
    spans = next(cache.glob("spans-*.pickle"))
    shutil.copy(spans, rules)  # a valid pickle, written for another kind and key
    assert _report(cache) == cold_report


def test_an_unwritable_cache_directory_works(tmp_path: Path, cold_report: dict[str, object]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert _report(blocker / "cache") == cold_report  # mkdir fails (also for root)
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_the_cache_directory_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reconcile.cache import cache_dir

    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.setenv("RECONCILE_CACHE_DIR", "off")
    assert cache_dir() is None
    monkeypatch.delenv("RECONCILE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "reconcile"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "reconcile"


def test_a_changed_rule_file_is_a_new_entry(tmp_path: Path) -> None:
    from reconcile.rules.loader import _cache_key

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    before = _cache_key(rules)
    assert before is not None and _cache_key(rules) == before
    vocabulary = rules / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert _cache_key(rules) not in (None, before)
    assert _cache_key(ROOT / "rules") != before  # another directory, the same files


def test_the_key_of_cached_rules_hashes_the_code_of_every_class_in_them(bundled: Rules) -> None:
    """A changed rule model (a field added, renamed, retyped) is a new entry, never an old pickle."""
    import pickle

    from reconcile.rules import loader

    classes: set[type] = set()

    class Seen(pickle.Pickler):
        def persistent_id(self, obj: object) -> None:
            classes.add(type(obj))

    Seen(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL).dump(bundled)
    ours = {c.__module__ for c in classes if c.__module__.split(".")[0] == "reconcile"}
    assert {"reconcile.rules.loader", "reconcile.rules.claims", "reconcile.rules.vocabulary"} <= ours
    hashed = {p.resolve() for p in loader._CODE_FILES}
    assert {Path(str(sys.modules[m].__file__)).resolve() for m in ours} <= hashed


def test_changed_rules_are_read_not_taken_from_the_cache(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    code = "import sys; from reconcile.rules import load_rules; r = load_rules(sys.argv[1]); print(r.version)"
    cache = tmp_path / "cache"
    first = _python(code, cache, str(rules))
    assert _python(code, cache, str(rules)) == first
    tables = rules / "tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert _python(code, cache, str(rules)) != first


# ---------------------------------------------------------------- the span finder is spaCy's span ruler


@pytest.fixture(scope="module")
def bundled() -> Rules:
    return load_rules(ROOT / "rules")


def _spacy_spans(rules: Rules, text: str) -> list[tuple[int, int, str, str]]:
    doc = build_pipeline(rules)(text)
    return [(sp.start_char, sp.end_char, sp.label_, sp.id_) for sp in doc.spans[SPAN_KEY]]


def test_the_finder_runs_without_spacy(bundled: Rules) -> None:
    assert span_finder(bundled).nlp is None


@pytest.mark.parametrize("path", sorted((ROOT / "corpora").glob("*/*.txt"))[::3], ids=lambda p: p.name)
def test_spans_are_those_of_spacy_on_the_corpus(bundled: Rules, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert span_finder(bundled)(text) == _spacy_spans(bundled, text)


_WORDS = ["持平", "不", "存在", "有", "差异", "没有", "变化", "大于", "有所", "节约", "一般公共预算", "“三公”经费"]
_WORDS += ["因公出国（境）费", "基本支出", "项目支出", "比上年", "增长", "2,664.70", "12.5", "%", "万元", "。"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, " ", "  ", "\n", "\t", "a", "的", "，"]), max_size=40))
def test_spans_are_those_of_spacy_on_any_mix(bundled: Rules, words: list[str]) -> None:
    text = "".join(words)
    assert span_finder(bundled)(text) == _spacy_spans(bundled, text)


def test_words_and_starts_align_as_spacy_does() -> None:
    text = "a  b\n\nc d"
    tokens, starts = words_and_starts(["a", " ", "b", "\n\n", "c", "d"], text)
    assert tokens == ["a", " ", "b", "\n\n", "c", "d"]
    assert starts == [0, 2, 3, 4, 6, 8]
    assert all(text[s : s + len(t)] == t for s, t in zip(starts, tokens, strict=True))


def test_token_patterns_of_another_shape_are_left_to_spacy() -> None:
    assert _token_specs([{"ORTH": {"IN": ["不"]}}, {"ORTH": "有", "OP": "?"}, {"ORTH": "差异"}]) is not None
    for pattern in (
        [{"LOWER": "a"}],  # another attribute
        [{"ORTH": "a", "OP": "+"}],  # another operator
        [{"ORTH": "a"}, {"ORTH": "b", "OP": "?"}],  # optional at the end
        [{"ORTH": "a"}, {"ORTH": "b", "OP": "?"}, {"ORTH": {"IN": ["b", "c"]}}],  # optional like the next
        [{"ORTH": {"NOT_IN": ["a"]}}],
    ):
        assert _token_specs(pattern) is None, pattern


def test_rules_with_such_patterns_are_matched_by_spacy(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    claims = rules_dir / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    extra = "  - id: more\n    label: REL_GREATER\n    pattern: [{ORTH: 大于, OP: '+'}]\n"
    claims.write_text(text.replace("token_patterns:\n", "token_patterns:\n" + extra, 1), encoding="utf-8")
    rules = load_rules(rules_dir)
    finder = span_finder(rules)
    assert finder.nlp is not None
    sample = "收入大于大于支出，与上年持平。"
    assert finder(sample) == _spacy_spans(rules, sample)
    assert ("REL_GREATER", "more") in {(label, rid) for _, _, label, rid in finder(sample)}


def test_every_environment_variable_is_documented() -> None:
    import re

    names = {
        m
        for p in SRC.rglob("*.py")
        for m in re.findall(r"environ(?:\.get)?\(?\[?\"(RECONCILE_[A-Z_]+)\"", p.read_text(encoding="utf-8"))
    }
    assert "RECONCILE_CACHE_DIR" in names
    doc = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert sorted(n for n in names if n not in doc) == []


def test_dictionary_shards_cut_from_the_pipeline_are_those_of_a_fresh_load(
    bundled: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile.claims.spans import dictionary_shards, import_jieba

    monkeypatch.setenv("RECONCILE_CACHE_DIR", "off")
    jieba = import_jieba()
    built = build_pipeline(bundled).tokenizer.jieba_seg.seg
    assert built.default_entries  # the user words changed some entries
    assert dictionary_shards(jieba, built) == dictionary_shards(jieba)


def test_spans_at_one_place_are_in_spacys_order(tmp_path: Path, bundled: Rules) -> None:
    """A token pattern on a subject's name: two spans (and three labels and ids) at one place,
    which spaCy orders by the hashes of label and id."""
    import re

    name = next(s.name for s in bundled.claims.subjects.subjects if re.fullmatch(r"[\u4e00-\u9fa5]{3,}", s.name))
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    claims = rules_dir / "claims.yaml"
    extra = "".join(
        f"  - id: {rid}\n    label: {label}\n    pattern: [{{ORTH: {name}}}]\n"
        for rid, label in (("tie_a", "REL_EQUAL"), ("tie_b", "REL_EQUAL"), ("tie_c", "REL_LESS"))
    )
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("token_patterns:\n", "token_patterns:\n" + extra, 1), encoding="utf-8")
    rules = load_rules(rules_dir)
    finder = span_finder(rules)
    assert finder.nlp is None
    sample = f"{name}与上年持平，{name}增长。"
    spans = finder(sample)
    assert len([s for s in spans if s[0] == 0]) == 4
    assert spans == _spacy_spans(rules, sample)


def test_a_blob_entry_reads_back_and_a_damaged_one_is_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reconcile import cache

    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path))
    blob = bytes(range(256)) * 100
    cache.store_blob("jieba", "k1", {"a": (0, 3)}, blob)
    value, mapped = cache.load_blob("jieba", "k1") or (None, b"")
    assert value == {"a": (0, 3)} and bytes(mapped) == blob
    assert cache.load_blob("jieba", "k2") is None  # another key
    assert cache.load("jieba", "k1") is None  # a blob entry is no plain pickle ...
    cache.store("jieba", "k3", {"a": (0, 3)})
    assert cache.load_blob("jieba", "k3") is None  # ... nor a plain pickle a blob entry
    entry = next(tmp_path.glob("jieba-k1.pickle"))
    for damaged in (entry.read_bytes()[:-1], entry.read_bytes()[:10], b""):
        entry.write_bytes(damaged)
        assert cache.load_blob("jieba", "k1") is None


def test_dictionary_shards_from_the_mapped_cache_are_those_cut(
    bundled: Rules, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from reconcile.claims.spans import dictionary_shards, import_jieba

    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path))
    jieba = import_jieba()
    cut = dictionary_shards(jieba)  # cut and stored
    mapped = dictionary_shards(jieba)  # read back from the mapped file
    assert isinstance(mapped.buffer, memoryview) and not isinstance(cut.buffer, memoryview)
    assert dict(mapped.items()) == dict(cut.items())
