"""Hostile input on the batch side (issue 15): nothing blocks, nothing is lost, nothing is counted twice.

Every hostile input is made small at test time: a FIFO, a symlink loop, a file without read
permission, a file edited in place, a full disk (a tiny tmpfs), an interrupt. No test can
block: in-process runs are bounded by an alarm, command-line runs by a subprocess timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from reconcile.batch import check_archive
from reconcile.batch.inputs import NotRegularFile, discover, hash_file
from reconcile.store import Store, StoreFull

from .conftest import ROOT, SEEDS

ROOT_USER = os.geteuid() == 0  # root reads files whatever their mode

# ---------------------------------------------------------------------------- check functions run by workers
# (module level, so that spawned worker processes import them by name)


def content_check(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """A cheap check whose report has one table, one claim and one inconsistent finding per file."""
    text = Path(path).read_text(encoding="utf-8")
    report = {
        "document": {"organization": "某局", "year": 2024, "kind": "final", "format": "txt", "lines": 1},
        "tool": {},
        "tables": [{"id": "T1", "kind": "summary", "title": text[:20], "span": [0, 1]}],
        "claims": [{"id": "C0001", "text": text[:40], "span": [0, 1], "value": 1.0}],
        "findings": [{"id": "F0001", "status": "inconsistent", "check": "N201", "claims": ["C0001"]}],
        "errors": [],
    }
    return {"path": path, "status": "ok", "error": None, "report": report, "seconds": 0.0, "worker": "w"}


def big_check(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """A check whose report is about 2 MB of claims (fills a small disk in a few documents)."""
    out = content_check(path)
    seed = os.urandom(8).hex()  # incompressible enough that DuckDB cannot squeeze it away
    out["report"]["claims"] = [
        {"id": f"C{i:04d}", "text": f"{seed}{i}" + os.urandom(1000).hex(), "span": [i, i + 1]} for i in range(1000)
    ]
    return out


def slow_check(path: str, rules_dir: str | None = None, max_pages: int | None = None) -> dict[str, Any]:
    """0.4 s per document, leaving a marker file when done (so that a test knows when to interrupt)."""
    time.sleep(0.4)
    marks = os.environ.get("HOSTILE_MARKS")
    if marks:
        (Path(marks) / (Path(path).name + ".done")).touch()
    return {"path": path, "status": "ok", "error": None, "report": None, "seconds": 0.4, "worker": "w"}


# ---------------------------------------------------------------------------- helpers


class Blocked(Exception):
    """Raised by the alarm of :func:`bounded`."""


@contextlib.contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than ``seconds`` (it interrupts a blocking open)."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Blocked(f"blocked for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _documents(store: Path) -> dict[str, tuple[str, str | None]]:
    with Store(store, read_only=True) as st:
        return {Path(p).name: (s, e) for p, s, e in st.query("SELECT path, status, error FROM documents")}


def _hostile_folder(root: Path) -> dict[str, Path]:
    """Three real documents beside a FIFO, symlink loops, a dangling symlink and an unreadable file."""
    root.mkdir()
    real = {}
    for i in range(3):
        real[f"doc{i}.txt"] = root / f"doc{i}.txt"
        real[f"doc{i}.txt"].write_text(f"2024年度某局{i}部门决算 document {i}", encoding="utf-8")
    os.mkfifo(root / "pipe.txt")  # a named pipe: opening it for reading blocks until a writer comes
    (root / "loop.txt").symlink_to("loop.txt")  # a symlink to itself: ELOOP
    (root / "ping.pdf").symlink_to("pong.pdf")
    (root / "pong.pdf").symlink_to("ping.pdf")
    (root / "gone.pdf").symlink_to("nowhere.pdf")  # dangling
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to("..")  # a folder loop (not followed)
    locked = root / "sub" / "locked.txt"
    locked.write_text("2024年度 locked", encoding="utf-8")
    locked.chmod(0)
    real["locked.txt"] = locked
    return real


# ---------------------------------------------------------------------------- item 5: only regular files are read


def test_hash_file_never_opens_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with bounded(10), pytest.raises(NotRegularFile, match=r"named pipe \(FIFO\), not a regular file"):
        hash_file(fifo)
    with pytest.raises(NotRegularFile, match="character device"):
        hash_file(Path("/dev/null"))
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    with pytest.raises(OSError, match=r"(?i)too many levels"):
        hash_file(tmp_path / "loop.txt")
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"abc")
    sha, size, _ = hash_file(ok)
    assert size == 3 and sha.startswith("ba7816bf")


def test_discover_keeps_what_is_not_a_regular_file(tmp_path: Path) -> None:
    real = _hostile_folder(tmp_path / "in")
    found = {p.name for p in discover([tmp_path / "in"])}
    assert found == {*real, "pipe.txt", "loop.txt", "ping.pdf", "pong.pdf", "gone.pdf"}
    # named explicitly or through a glob, they are recorded (not "no such file or directory")
    assert [p.name for p in discover([tmp_path / "in" / "pipe.txt"])] == ["pipe.txt"]
    assert [p.name for p in discover([tmp_path / "in" / "loop.txt"])] == ["loop.txt"]
    assert {p.name for p in discover([str(tmp_path / "in" / "p*")])} == {"pipe.txt", "ping.pdf", "pong.pdf"}


def test_batch_over_a_fifo_a_symlink_loop_and_an_unreadable_file(tmp_path: Path) -> None:
    real = _hostile_folder(tmp_path / "in")
    store = tmp_path / "s.duckdb"
    with bounded(90):
        s = check_archive([tmp_path / "in"], store, check=content_check, warm=False, crossyear=False, timeout=30)
    docs = _documents(store)
    for name in ("doc0.txt", "doc1.txt", "doc2.txt"):
        assert docs[name] == ("ok", None)
    assert docs["pipe.txt"][0] == "error" and "named pipe (FIFO), not a regular file" in (docs["pipe.txt"][1] or "")
    assert docs["loop.txt"][0] == "error" and "Too many levels of symbolic links" in (docs["loop.txt"][1] or "")
    assert docs["ping.pdf"][0] == docs["pong.pdf"][0] == "error"
    assert docs["gone.pdf"][0] == "error" and "No such file" in (docs["gone.pdf"][1] or "")
    if ROOT_USER:  # root reads it: a real document like the others
        assert docs["locked.txt"] == ("ok", None)
    else:
        assert docs["locked.txt"][0] == "error" and "Permission denied" in (docs["locked.txt"][1] or "")
    assert s.files == len(docs) == len(real) + 5 and s.checked == len(docs)
    with Store(store, read_only=True) as st:  # every path has its files row, the unreadable ones too
        assert st.count("files") == len(docs)
        assert st.query("SELECT count(*) FROM files f LEFT JOIN documents d USING (doc_id) WHERE d.doc_id IS NULL") == [
            (0,)
        ]
    # the run again: nothing is checked twice, nothing doubles
    with bounded(90):
        again = check_archive([tmp_path / "in"], store, check=content_check, warm=False, crossyear=False)
    assert again.checked == 5 and again.skipped == len(real)  # the unreadable ones are recorded again
    assert len(_documents(store)) == len(docs)


@pytest.mark.slow
def test_command_line_batch_finishes_beside_a_fifo(tmp_path: Path) -> None:
    """``reconcile batch`` (the real check, warm workers) over a folder with a FIFO, loops and a locked file."""
    inputs = tmp_path / "in"
    _hostile_folder(inputs)
    for p in (inputs / "doc0.txt", inputs / "doc1.txt", inputs / "doc2.txt"):
        p.unlink()
    for seed in SEEDS[:2]:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    store = tmp_path / "r.duckdb"
    code = (
        "import sys; from reconcile.cli import main; "
        f"sys.exit(main(['batch', {str(inputs)!r}, '--store', {str(store)!r}, '--no-progress']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240, env=_env())
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    docs = _documents(store)
    assert all(docs[s.name][0] == "ok" for s in SEEDS[:2])
    assert docs["pipe.txt"][0] == "error" and docs["loop.txt"][0] == "error"
    assert docs["locked.txt"][0] == ("ok" if ROOT_USER else "error")


# ---------------------------------------------------------------------------- item 6: an edited file replaces its rows


def test_edited_file_replaces_its_old_rows(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    a, b = inputs / "a.txt", inputs / "b.txt"
    a.write_text("version 1 of a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    store = tmp_path / "s.duckdb"

    def run() -> Any:
        with bounded(90):
            return check_archive([inputs], store, check=content_check, warm=False, crossyear=False)

    def counts() -> tuple[int, ...]:
        with Store(store, read_only=True) as st:
            return tuple(st.count(t) for t in ("documents", "files", "tables", "claims", "findings"))

    run()
    assert counts() == (2, 2, 2, 2, 2)
    a.write_text("version 2 of a, edited in place", encoding="utf-8")
    s = run()
    assert (s.checked, s.skipped, s.inconsistent) == (1, 1, 2)
    assert counts() == (2, 2, 2, 2, 2)  # not 3: the old version of a.txt is gone
    with Store(store, read_only=True) as st:
        (title,) = st.query("SELECT t.title FROM tables t JOIN files f USING (doc_id) WHERE f.path = ?", [str(a)])[0]
        assert title == "version 2 of a, edit"
        assert st.query("SELECT count(*) FROM documents GROUP BY path HAVING count(*) > 1") == []
    # a content that another path still holds stays, under that path
    c = inputs / "c.txt"
    c.write_text("version 2 of a, edited in place", encoding="utf-8")
    a.write_text("version 3 of a", encoding="utf-8")
    run()
    assert counts() == (3, 3, 3, 3, 3)  # a (v3), b, c (= a v2): three documents, three paths
    assert set(_documents(store)) == {"a.txt", "b.txt", "c.txt"}
    # a file replaced by something unreadable: its old rows go, one error row stays
    a.unlink()
    os.mkfifo(a)
    run()
    docs = _documents(store)
    assert len(docs) == 3 and docs["a.txt"][0] == "error"
    assert counts()[1:] == (3, 2, 2, 2)


def test_store_files_upsert_drops_the_replaced_document(tmp_path: Path) -> None:
    """The store alone (no batch): a path that names new content drops the content it named."""
    from reconcile.store import rows_for_result

    with Store(tmp_path / "s.duckdb") as st:
        for doc_id in ("d1", "d2"):
            st.write(rows_for_result({"doc_id": doc_id, "path": "/a.txt", "status": "ok", "report": None}))
        assert st.count("documents") == 2  # written without files rows: both stay
        st.record_files([{"path": "/a.txt", "doc_id": "d2", "sha256": "x", "size": 1, "mtime": 1.0}])
        assert st.query("SELECT doc_id, path FROM documents") == [("d2", "/a.txt")]


# ---------------------------------------------------------------------------- item 9: a full disk names ENOSPC


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MiB tmpfs (needs root and mount rights; skipped elsewhere)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if not ROOT_USER:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_names_enospc(tmp_path: Path, tiny_disk: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(12):
        (inputs / f"doc{i}.txt").write_text(f"document {i}", encoding="utf-8")
    with bounded(120), pytest.raises(StoreFull) as info:
        check_archive([inputs], tiny_disk / "s.duckdb", check=big_check, warm=False, crossyear=False, timeout=60)
    message = str(info.value)
    assert message == f"no space left on device (ENOSPC) writing the store {tiny_disk / 's.duckdb'}"
    assert info.value.errno == 28 and "\n" not in message and "rollback" not in message


def test_full_disk_command_line(
    tmp_path: Path, tiny_disk: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    import reconcile.batch.archive as archive
    from reconcile.batch import add_batch_arguments, run_batch_command

    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(12):
        (inputs / f"doc{i}.txt").write_text(f"document {i}", encoding="utf-8")
    monkeypatch.setattr(archive, "check_one", big_check)  # workers import it by name
    p = argparse.ArgumentParser()
    add_batch_arguments(p)
    args = p.parse_args([str(inputs), "--store", str(tiny_disk / "s.duckdb"), "--no-progress"])
    with bounded(180):
        code = run_batch_command(args)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no space left on device (ENOSPC)" in err and "run again to resume" in err
    assert "rollback" not in err and "Traceback" not in err


# ---------------------------------------------------------------------------- item 10: interrupts and options


@pytest.mark.parametrize(
    ("option", "message"),
    [(["--timeout", "nan"], "--timeout must be a number"), (["--max-pages", "0"], "--max-pages must be at least 1")],
)
def test_silly_options_are_refused(
    tmp_path: Path, option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from reconcile.batch import add_batch_arguments, run_batch_command

    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    p = argparse.ArgumentParser()
    add_batch_arguments(p)
    args = p.parse_args([str(tmp_path / "a.txt"), "--store", str(tmp_path / "s.duckdb"), *option])
    assert run_batch_command(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "s.duckdb").exists()  # refused before any work


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def _interrupted_run(inputs: Path, store: Path, marks: Path, sig: signal.Signals, after: int) -> tuple[int, str]:
    """Run ``reconcile batch`` (slow_check) in its own process group; send ``sig`` to the group after ``after`` documents."""
    code = (
        "import sys, reconcile.batch.archive as a, tests.test_batch_hostile as t; a.check_one = t.slow_check; "
        "from reconcile.cli import main; "
        f"sys.exit(main(['batch', {str(inputs)!r}, '--store', {str(store)!r}, '--workers', '2', '--no-progress']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(HOSTILE_MARKS=str(marks)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal's Ctrl-C reaches the whole group: so does this test
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(marks.iterdir())) < after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupt_saves_what_is_done(tmp_path: Path, sig: signal.Signals) -> None:
    inputs, marks = tmp_path / "in", tmp_path / "marks"
    inputs.mkdir()
    marks.mkdir()
    for i in range(40):
        (inputs / f"doc{i:02d}.txt").write_text(f"document {i}", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, err = _interrupted_run(inputs, store, marks, sig, after=4)
    assert code == 130, err
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reconcile: interrupted: "), err
    saved = int(lines[0].split()[2])
    assert lines[0] == f"reconcile: interrupted: {saved} documents saved; run again to resume"
    with Store(store, read_only=True) as st:
        assert st.count("documents") == saved >= 1  # a result still on its way from a worker is checked again on resume
        assert st.count("files") == saved  # files is written with its documents, not only at the end
        assert st.query("SELECT DISTINCT status FROM documents") == [("ok",)]  # no worker death recorded
    # resuming checks exactly the rest
    with bounded(120):
        s = check_archive([inputs], store, check=content_check, warm=False, crossyear=False)
    assert (s.skipped, s.checked) == (saved, 40 - saved)
    with Store(store, read_only=True) as st:
        assert st.count("documents") == st.count("files") == 40
