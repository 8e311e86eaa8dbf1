"""The research notebook runs end to end on a store of the corpus, and shows the store's numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reconcile.batch import check_archive

from .conftest import ROOT

pytestmark = pytest.mark.slow  # corpus-wide: run by `pytest --all` and CI

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")
pytest.importorskip("ipykernel")

NOTEBOOK = ROOT / "notebooks" / "disclosure_quality.ipynb"
SEEDS_DIR = ROOT / "corpora" / "seeds"
PDF_DIR = ROOT / "corpora" / "pdf"


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    inputs = [SEEDS_DIR]
    if any(PDF_DIR.glob("*.pdf")):
        inputs.append(PDF_DIR)
    store = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    s = check_archive(inputs, store, workers=2, timeout=600, progress=False)
    # corpora/pdf holds one report in two files (js_zhengxieban …_narr.pdf + …_tables.pdf): one document
    pairs = len(list(PDF_DIR.glob("*_tables.pdf")))
    assert s.checked == s.documents == s.files - pairs
    return store, s.documents


@pytest.fixture(scope="module")
def executed(corpus_store: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory) -> Any:
    store, _ = corpus_store
    nb = nbformat.read(NOTEBOOK, as_version=4)
    mp = pytest.MonkeyPatch()
    mp.setenv("RECONCILE_STORE", str(store))
    mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        client = nbclient.NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}},
        )
        client.execute()
    finally:
        mp.undo()
    return nb


def _outputs(nb: Any) -> list[Any]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _tags(nb: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for o in _outputs(nb):
        if o.output_type == "stream" and o.name == "stdout":
            for line in o.text.splitlines():
                head, _, rest = line.partition(" ")
                if head.isupper() and rest.startswith("{"):
                    out[head] = json.loads(rest)
    return out


def test_committed_notebook_is_clean() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"


def test_notebook_runs_without_errors(executed: Any) -> None:
    outs = _outputs(executed)
    assert [o for o in outs if o.output_type == "error"] == []
    stderr = "".join(o.text for o in outs if o.output_type == "stream" and o.name == "stderr")
    assert stderr.strip() == ""
    images = [o for o in outs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # by check, by region/year/kind, by organization, discrepancies (+ claims)


def test_notebook_shows_the_stores_numbers(executed: Any, corpus_store: tuple[Path, int]) -> None:
    store, n_documents = corpus_store
    tags = _tags(executed)
    con = duckdb.connect(str(store), read_only=True)

    def one(sql: str) -> Any:
        row = con.execute(sql).fetchone()
        assert row is not None
        return row[0]

    counts = tags["COUNTS"]
    assert counts["documents"] == one("SELECT count(*) FROM documents") == n_documents
    assert counts["ok"] == one("SELECT count(*) FROM documents WHERE status = 'ok'")
    assert counts["findings"] == one("SELECT count(*) FROM findings") > 0
    assert counts["inconsistent_findings"] == one("SELECT count(*) FROM findings WHERE status = 'inconsistent'") > 0
    assert counts["claims"] == one("SELECT count(*) FROM claims")
    assert counts["tables"] == one("SELECT count(*) FROM tables") > 0
    assert counts["crossyear_findings"] == one("SELECT count(*) FROM crossyear_findings")
    by_check = dict(
        con.execute(
            """SELECT "check", count(*) FILTER (WHERE status = 'inconsistent') FROM findings GROUP BY 1"""
        ).fetchall()
    )
    assert tags["BY_CHECK"] == by_check
    assert sum(tags["BY_CHECK"].values()) == counts["inconsistent_findings"]
    assert sum(tags["BY_PROVINCE"].values()) == counts["ok"]
    assert sum(tags["BY_YEAR"].values()) == one("SELECT sum(n_inconsistent) FROM documents WHERE status = 'ok'")
    n_disc, sum_abs = con.execute(
        "SELECT count(*), sum(abs(observed - expected)) FROM findings "
        "WHERE status = 'inconsistent' AND expected IS NOT NULL AND observed IS NOT NULL"
    ).fetchone() or (0, 0)
    assert tags["DISCREPANCIES"]["n"] == n_disc > 0
    assert tags["DISCREPANCIES"]["sum_abs"] == pytest.approx(sum_abs, rel=1e-9)
    assert tags["CLAIMS_BY_QUANTITY"] == dict(
        con.execute("SELECT quantity, count(*) FROM claims GROUP BY 1").fetchall()
    )
    assert tags["FAILED"] == {}
    identities = {
        c: [int(n), int(h)]
        for c, n, h in con.execute('SELECT "check", sum(checked), sum(held) FROM identities GROUP BY 1').fetchall()
    }
    assert tags["IDENTITIES"] == identities and identities["T101"][1] > 0  # rates of T codes have a denominator
    con.close()
