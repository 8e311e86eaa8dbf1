"""Batch runs: discovery, the per-document function, the pool (timeouts, crashes, recycling),
resuming, rule changes, the Dask backend and the command line."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reconcile.batch import (
    BatchError,
    add_batch_arguments,
    check_archive,
    check_bytes,
    check_one,
    discover,
    run_batch_command,
)
from reconcile.rules import load_rules
from reconcile.store import SCHEMA, Store, rows_for_result

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow  # corpus-wide: run by `pytest --all` and CI

PDF_DIR = ROOT / "corpora" / "pdf"
TIMEOUT = 20.0  # far above any check of these inputs, even on a busy 2-core machine


# ---------------------------------------------------------------------------- check functions run by workers
# (module level, so that spawned worker processes and Dask workers import them by name)


def check_or_misbehave(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """check_one, except that a file named hang* never returns and crash* kills its process."""
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return check_one(path, rules_dir, max_pages)


def fake_check(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """A check that costs nothing (for pool mechanics), misbehaving like check_or_misbehave."""
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("raise"):
        raise RuntimeError("custom check failed")
    return {"path": path, "status": "ok", "error": None, "report": None, "seconds": 0.0, "worker": str(os.getpid())}


# ---------------------------------------------------------------------------- helpers


def _statuses(store: Path) -> dict[str, tuple[str, str | None]]:
    with Store(store, read_only=True) as st:
        return {Path(p).name: (s, e) for p, s, e in st.query("SELECT path, status, error FROM documents")}


def _snapshots(store: Path, *, timing: bool = False, skip_doc: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    with Store(store, read_only=True) as st:
        out = {}
        for t in SCHEMA:
            if t == "meta":
                continue
            rows = st.snapshot(t, timing=timing)
            if skip_doc is not None:
                rows = [r for r in rows if skip_doc not in r]
            out[t] = rows
        return out


def _year_shifted(text: str) -> str:
    """The same report one year earlier (its amounts unchanged)."""
    return text.replace("2023年", "2022年").replace("2024年", "2023年").replace("2024 年", "2023 年")


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the rules: the runs of one test must see one rules version."""
    d = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(load_rules().directory, d)
    return d.resolve()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, a duplicate, a prior-year copy and deliberately broken files."""
    root = tmp_path_factory.mktemp("archive")
    for p in SEEDS:
        shutil.copy(p, root / p.name)
    (root / "dup").mkdir()
    shutil.copy(SEEDS[0], root / "dup" / "000_copy.txt")  # same content: one document, two files
    (root / "prior").mkdir()
    (root / "prior" / "004_2023.txt").write_text(_year_shifted(SEEDS[4].read_text(encoding="utf-8")), encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "empty.txt").write_bytes(b"")
    (root / "broken" / "garbage.txt").write_bytes(bytes(range(256)) * 40)
    (root / "broken" / "notpdf.pdf").write_bytes(b"this is not a PDF at all\n")
    gbk = SEEDS[1].read_text(encoding="utf-8").encode("gbk", errors="replace")
    (root / "broken" / "gbk_report.TXT").write_bytes(gbk)  # GBK and an upper-case suffix
    pdfs = sorted(PDF_DIR.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if pdfs:
        (root / "broken" / "truncated.pdf").write_bytes(pdfs[0].read_bytes()[:30_000])
    else:  # pragma: no cover - the corpus ships PDFs
        (root / "broken" / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    # the biggest input, so that it is handed out first and its time limit runs alongside the other checks
    # (padded with one long line of spaces: big, yet quick to check where it does not hang)
    (root / "broken" / "hang.txt").write_text("2024年度某局部门决算\n" + " " * 400_000 + "\n", encoding="utf-8")
    (root / "broken" / "notes.md").write_text("not an input", encoding="utf-8")
    return root


# ---------------------------------------------------------------------------- discovery and check_one


def test_discover_folders_globs_and_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for name in ("a/x.PDF", "a/y.txt", "a/z.csv", "a/sub/w.Txt", "a/.hidden/q.txt", "b.md", "c.txt"):
        (tmp_path / name).write_text("x")
    got = discover([tmp_path / "a", tmp_path / "b.md", str(tmp_path / "a" / "y.txt")])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ["a/sub/w.Txt", "a/x.PDF", "a/y.txt", "b.md"]
    got = discover([str(tmp_path / "*")])  # a glob: folders walked, files filtered by suffix
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ["a/sub/w.Txt", "a/x.PDF", "a/y.txt", "c.txt"]
    with pytest.raises(BatchError, match="no such file"):
        discover([tmp_path / "missing"])
    with pytest.raises(BatchError, match="no file matches"):
        discover([str(tmp_path / "*.nothing")])


def test_check_one_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_one(str(tmp_path / "missing.txt"))["status"] == "error"
    (tmp_path / "e.txt").write_bytes(b"")
    r = check_one(str(tmp_path / "e.txt"))
    assert r["status"] == "error" and "empty" in r["error"] and r["report"] is None
    good = check_one(str(SEEDS[4]))
    assert good["status"] == "ok" and good["error"] is None and good["report"]["findings"]
    same = check_bytes(SEEDS[4].read_bytes(), str(SEEDS[4]))
    assert same["status"] == "ok" and same["report"] == good["report"]
    assert check_bytes(b"\x00\x01" * 100, "x.txt")["status"] == "error"

    import reconcile.api

    def boom(*a: Any, **k: Any) -> Any:
        raise ValueError("boom")

    monkeypatch.setattr(reconcile.api, "check_document", boom)
    r = check_one(str(SEEDS[0]))
    assert (r["status"], r["error"]) == ("error", "ValueError: boom")


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(BatchError):
        check_archive([SEEDS[0]], tmp_path / "s.duckdb", backend="spark")  # type: ignore[arg-type]
    with pytest.raises(BatchError):
        check_archive([SEEDS[0]], tmp_path / "s.duckdb", workers=0)
    with pytest.raises(BatchError):
        check_archive([SEEDS[0]], tmp_path / "s.duckdb", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(BatchError):
        check_archive([tmp_path / "nothing-here"], tmp_path / "s.duckdb")


# ---------------------------------------------------------------------------- pool mechanics (fast fake check)


def test_pool_timeout_crash_recycling_and_retry(tmp_path: Path, rules_dir: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(6):
        (inputs / f"doc{i}.txt").write_text(f"document {i}")
    (inputs / "hang.txt").write_text("hangs")
    (inputs / "crash.txt").write_text("crashes")
    (inputs / "raise.txt").write_text("raises")
    store = tmp_path / "s.duckdb"
    out = io.StringIO()
    t0 = time.monotonic()
    s = check_archive(
        [inputs],
        store,
        workers=2,
        timeout=2,
        rules_dir=rules_dir,
        check=fake_check,
        warm=False,
        max_tasks_per_child=2,
        progress=True,
        stream=out,
        crossyear=False,
    )
    assert time.monotonic() - t0 < 60
    st = _statuses(store)
    assert len(st) == 9 and s.checked == 9 and s.files == 9
    assert st["hang.txt"] == ("timeout", "no result within 2 s; its worker was stopped")
    assert st["crash.txt"][0] == "error" and "worker process died (signal 9)" in (st["crash.txt"][1] or "")
    assert st["raise.txt"] == ("error", "RuntimeError: custom check failed")
    assert all(st[f"doc{i}.txt"] == ("ok", None) for i in range(6))
    assert (s.ok, s.errors, s.timeouts, s.failed) == (6, 2, 1, 3)
    # 9 documents, 2 per worker before it is recycled, a killed and a crashed worker replaced
    assert s.worker_starts >= 5
    with Store(store, read_only=True) as db:
        assert len({w for (w,) in db.query("SELECT worker FROM documents WHERE status = 'ok'")}) >= 3
    text = out.getvalue()
    assert "checked 9/9" in text and "documents/min" in text and "ETA" in text
    # resuming does nothing; retrying failures re-checks exactly the three failures
    again = check_archive(
        [inputs], store, timeout=2, rules_dir=rules_dir, check=fake_check, warm=False, progress=False, crossyear=False
    )
    assert (again.checked, again.skipped, again.failed) == (0, 9, 3)
    retry = check_archive(
        [inputs],
        store,
        workers=2,
        timeout=2,
        rules_dir=rules_dir,
        check=fake_check,
        warm=False,
        retry_failed=True,
        crossyear=False,
    )
    assert (retry.checked, retry.skipped) == (3, 6)
    assert _statuses(store)["hang.txt"][0] == "timeout"


def test_unreadable_file_is_recorded(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (tmp_path / "in").mkdir()
    locked = tmp_path / "in" / "locked.txt"
    locked.write_text("x")
    locked.chmod(0)
    s = check_archive([tmp_path / "in"], tmp_path / "s.duckdb", check=fake_check, warm=False, crossyear=False)
    assert s.errors == 1 and "cannot read" in (_statuses(tmp_path / "s.duckdb")["locked.txt"][1] or "")


# ---------------------------------------------------------------------------- the real thing


@pytest.fixture(scope="module")
def local_run(archive: Path, rules_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    store = tmp_path_factory.mktemp("local") / "results.duckdb"
    summary = check_archive([archive], store, workers=2, timeout=TIMEOUT, rules_dir=rules_dir, check=check_or_misbehave)
    return store, summary


def test_batch_records_every_document(local_run: tuple[Path, Any], archive: Path) -> None:
    store, s = local_run
    # 5 seeds + duplicate + prior-year copy + 6 broken inputs (notes.md is not an input)
    assert s.files == 13 and s.documents == 12 and s.checked == 12 and s.skipped == 0
    st = _statuses(store)
    for p in SEEDS:
        assert st[p.name] == ("ok", None)
    assert st["004_2023.txt"] == ("ok", None)
    assert st["gbk_report.TXT"] == ("ok", None)
    assert st["empty.txt"][0] == "error" and "empty" in (st["empty.txt"][1] or "")
    assert st["garbage.txt"][0] == "error" and "not a text file" in (st["garbage.txt"][1] or "")
    assert st["notpdf.pdf"][0] == "error"
    assert st["truncated.pdf"][0] == "error"
    assert st["hang.txt"] == ("timeout", f"no result within {TIMEOUT:g} s; its worker was stopped")
    assert "000_copy.txt" not in st  # its content is seed 000's
    assert (s.ok, s.errors, s.timeouts) == (7, 4, 1)
    assert s.inconsistent >= 1 and s.exit_code() == 1
    with Store(store, read_only=True) as db:
        files = dict(db.query("SELECT path, doc_id FROM files"))
        assert len(files) == 13
        assert files[str(archive / "dup" / "000_copy.txt")] == files[str(archive / SEEDS[0].name)]
        assert db.query(
            "SELECT stage, message FROM problems p JOIN documents d USING (doc_id) WHERE d.path LIKE '%gbk%'"
        )
        assert db.query("SELECT DISTINCT region FROM documents WHERE path LIKE '%004_%'") == [("河南省/洛阳市",)]


def test_store_holds_exactly_the_report(local_run: tuple[Path, Any], archive: Path, rules_dir: Path) -> None:
    """What the pool wrote for a document is what check_one gives in this process."""
    store, _ = local_run
    path = str(archive / SEEDS[4].name)
    expected = rows_for_result({**check_one(path, str(rules_dir)), "sha256": None, "doc_id": "x"})
    with Store(store, read_only=True) as db:
        (doc_id,) = db.query("SELECT doc_id FROM documents WHERE path = ?", [path])[0]
        for table in ("tables", "claims", "findings"):
            cols = [c for c, _ in SCHEMA[table] if c != "doc_id"]
            sel = ", ".join(f'"{c}"' for c in cols)
            got = db.query(f'SELECT {sel} FROM "{table}" WHERE doc_id = ?', [doc_id])
            want = [tuple(r[c] for c in cols) for r in expected[table]]
            assert sorted(got, key=str) == sorted(want, key=str), table
            assert got, table


def test_crossyear_findings_link_both_documents(local_run: tuple[Path, Any], archive: Path) -> None:
    """The prior-year copy repeats 2024's amounts, so every 2024 change against 上年决算 fails."""
    store, s = local_run
    with Store(store, read_only=True) as db:
        ids = dict(db.query("SELECT path, doc_id FROM documents"))
        cur, prior = ids[str(archive / SEEDS[4].name)], ids[str(archive / "prior" / "004_2023.txt")]
        rows = db.query(
            'SELECT "check", status, doc_id, other_doc_id, year, other_year, claim_ids, other_claim_ids, '
            "expected, observed FROM crossyear_findings WHERE \"check\" = 'X301' AND subject = '收入总计'"
        )
        n_changes = db.query(
            "SELECT count(*) FROM claims WHERE doc_id = ? AND quantity = 'change' AND base = '上年决算'", [cur]
        )[0][0]
        n_x301 = db.query("""SELECT count(*) FROM crossyear_findings WHERE "check" = 'X301'""")[0][0]
    assert rows, "no X301 finding for 收入总计"
    check, status, d, od, y, oy, cids, ocids, expected, observed = rows[0]
    assert (check, status, d, od, y, oy) == ("X301", "inconsistent", cur, prior, 2024, 2023)
    assert len(json.loads(cids)) == 2 and json.loads(ocids)
    assert expected == pytest.approx(observed + 6.15)  # 收、支总计各减少 6.15 万元
    assert 0 < n_x301 <= n_changes
    assert s.crossyear_inconsistent >= 1


def test_second_run_does_no_work(local_run: tuple[Path, Any], archive: Path, rules_dir: Path) -> None:
    store, first = local_run
    before = _snapshots(store, timing=True)
    t0 = time.monotonic()
    again = check_archive([archive], store, workers=2, timeout=TIMEOUT, rules_dir=rules_dir, check=check_or_misbehave)
    assert (again.checked, again.skipped, again.documents) == (0, 12, 12)
    assert again.worker_starts == 0  # no worker was even started
    assert time.monotonic() - t0 < 30
    after = _snapshots(store, timing=True)
    for t in ("documents", "tables", "claims", "findings", "problems", "crossyear_findings"):
        assert after[t] == before[t], t
    assert (again.inconsistent, again.failed, again.exit_code()) == (first.inconsistent, first.failed, 1)


def test_changed_rules_recheck_everything(
    local_run: tuple[Path, Any], archive: Path, rules_dir: Path, tmp_path: Path
) -> None:
    store, _ = local_run
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir, rules)
    target = rules / "tables.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n# a comment changes the rules version\n", "utf-8")
    new_version = load_rules(rules).version
    assert new_version != load_rules(rules_dir).version
    before = _snapshots(store)
    s = check_archive([archive], store, workers=2, timeout=TIMEOUT, rules_dir=rules, check=check_or_misbehave)
    assert (s.checked, s.skipped) == (12, 0)
    after = _snapshots(store)
    with Store(store, read_only=True) as db:
        assert db.query("SELECT DISTINCT rules_version FROM documents") == [(new_version,)]
    for t in ("tables", "claims", "findings", "problems", "files", "crossyear_findings"):
        assert after[t] == before[t], t  # a comment changes no result, and nothing doubled


# ---------------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None, silence_logs=50
    ) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def small_archive(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    for p in (SEEDS[3], SEEDS[4], archive / "prior" / "004_2023.txt"):
        shutil.copy(p, root / p.name)
    for name in ("empty.txt", "garbage.txt", "truncated.pdf", "hang.txt"):
        shutil.copy(archive / "broken" / name, root / name)
    pdfs = sorted(PDF_DIR.glob("*tables*.pdf")) or sorted(PDF_DIR.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if pdfs:
        shutil.copy(pdfs[0], root / pdfs[0].name)
    return root


def test_dask_backend_writes_the_same_store(
    dask_cluster: Any, small_archive: Path, rules_dir: Path, tmp_path: Path
) -> None:
    local = tmp_path / "local.duckdb"
    remote = tmp_path / "dask.duckdb"
    sent = tmp_path / "bytes.duckdb"
    a = check_archive([small_archive], local, workers=2, timeout=TIMEOUT, rules_dir=rules_dir, check=check_or_misbehave)
    b = check_archive(
        [small_archive],
        remote,
        backend="dask",
        scheduler=dask_cluster.scheduler_address,
        timeout=TIMEOUT,
        rules_dir=rules_dir,
        check=check_or_misbehave,
    )
    assert (b.backend, b.workers, b.checked) == ("dask", 2, a.checked)
    assert _statuses(remote)["hang.txt"][0] == "timeout"
    local_snap = _snapshots(local)
    assert local_snap["documents"] and local_snap["findings"] and local_snap["crossyear_findings"]
    assert _snapshots(remote) == local_snap
    # workers that do not share the path get the bytes (check_bytes: the hang hook does not apply)
    c = check_archive(
        [small_archive],
        sent,
        backend="dask",
        scheduler=dask_cluster.scheduler_address,
        timeout=10 * TIMEOUT,  # nothing hangs here: a generous limit keeps a loaded machine from timing out
        rules_dir=rules_dir,
        send_bytes=True,
    )
    assert c.timeouts == 0 and c.checked == a.checked
    with Store(local, read_only=True) as db:
        (hang_id,) = db.query("SELECT doc_id FROM documents WHERE status = 'timeout'")[0]
    assert _snapshots(sent, skip_doc=hang_id) == _snapshots(local, skip_doc=hang_id)
    # and resuming through Dask does no work either
    d = check_archive(
        [small_archive], remote, backend="dask", scheduler=dask_cluster.scheduler_address, rules_dir=rules_dir
    )
    assert d.checked == 0


# ---------------------------------------------------------------------------- command line


def _cli(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="reconcile batch")
    add_batch_arguments(p)
    return run_batch_command(p.parse_args(argv))


def test_command_line(tmp_path: Path, rules_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS[1], inputs / SEEDS[1].name)
    shutil.copy(SEEDS[4], inputs / SEEDS[4].name)
    store = tmp_path / "r.duckdb"
    rules = ["--rules", str(rules_dir)]
    code = _cli(
        [
            str(inputs),
            "--store",
            str(store),
            "--workers",
            "2",
            "--export-parquet",
            str(tmp_path / "pq"),
            "--json",
            *rules,
        ]
    )
    summary = json.loads(capsys.readouterr().out)
    assert code == 1 and summary["checked"] == 2 and summary["inconsistent"] >= 1  # seed 004 has errors
    assert (tmp_path / "pq" / "findings.parquet").exists() and (tmp_path / "pq" / "documents.parquet").exists()
    assert _cli([str(inputs), "--store", str(store), *rules]) == 1
    assert "0 checked, 2 already in" in capsys.readouterr().out
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "empty.txt").write_bytes(b"")  # an unreadable file is recorded, not fatal
    assert _cli([str(clean), "--store", str(tmp_path / "c.duckdb"), "--no-progress"]) == 0
    assert _cli([str(tmp_path / "missing"), "--store", str(store)]) == 2
    assert "no such file" in capsys.readouterr().err
    assert _cli([str(inputs), "--store", str(store), "--workers", "0"]) == 2
    assert _cli([str(inputs), "--store", str(store), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    bad_rules = tmp_path / "rules"
    bad_rules.mkdir()
    assert _cli([str(inputs), "--store", str(store), "--rules", str(bad_rules)]) == 2
    assert "invalid rules" in capsys.readouterr().err


def test_a_text_that_is_no_report_is_recorded_as_not_checkable(tmp_path: Path) -> None:
    """Issue 14: a junk text is checked without error, but the store and the summary say that
    nothing of it could be checked (before, it was one more plain ``ok``)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "junk.txt").write_text("今天天气很好，我们去公园散步。\n", encoding="utf-8")
    shutil.copy(SEEDS[0], tmp_path / "in")
    s = check_archive([tmp_path / "in"], tmp_path / "s.duckdb", workers=1, warm=False, crossyear=False)
    assert s.ok == 2 and s.not_checkable == 1
    assert "nothing could be checked in 1" in s.describe()
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    rows = dict(
        con.execute(
            "SELECT regexp_extract(path, '[^/]+$'), not_checked FROM documents WHERE checkable = false"
        ).fetchall()
    )
    con.close()
    assert set(rows) == {"junk.txt"} and "kind_unknown" in rows["junk.txt"]


def test_a_report_in_two_files_is_checked_as_one(tmp_path: Path) -> None:
    """Issue 12: a narrative and its tables file (…_narr.pdf + …_tables.pdf) are one report in a
    batch, as in ``reconcile check NARR TABLES``: one documents row, both paths in ``files``."""
    src = ROOT / "corpora" / "templates" / "beijing"
    (tmp_path / "in").mkdir()
    for part in ("narr", "tables"):
        shutil.copy(src / f"bj_beijing_junminronghefazhanweiyuanhuibangongshi_2026_budget_{part}.pdf", tmp_path / "in")
    store = tmp_path / "s.duckdb"
    s = check_archive([tmp_path / "in"], store, workers=1, warm=False, crossyear=False)
    assert s.files == 2 and s.documents == 1 and s.ok == 1
    con = duckdb.connect(str(store), read_only=True)
    (doc_id, n_tables, n_claims), *rest = con.execute("SELECT doc_id, n_tables, n_claims FROM documents").fetchall()
    files = con.execute("SELECT doc_id FROM files").fetchall()
    con.close()
    assert not rest and n_tables >= 7 and n_claims > 20  # the narrative's claims against the tables file's tables
    assert files == [(doc_id,), (doc_id,)]
    again = check_archive([tmp_path / "in"], store, workers=1, warm=False, crossyear=False)
    assert again.skipped == 1 and again.checked == 0
