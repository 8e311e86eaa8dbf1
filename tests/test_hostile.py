"""Hostile input on the single-document side (issue 15): `check`, `text` and `tables`.

Every case is made small at test time. Each failure must be exactly one line on standard
error, exit code 2, no traceback, and leave the inputs (and any existing output) as they
were. Commands run in-process through ``main`` where possible; signals and the real
standard streams need a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from reconcile.api import check_loaded
from reconcile.cli import main
from reconcile.ingest import load_document
from reconcile.pdf.guards import page_cost_problem
from reconcile.pdf.settings import PdfSettings
from reconcile.rules import Rules
from reconcile.sanitize import csv_cell, terminal_safe

from .conftest import ROOT, SEEDS

SEED = SEEDS[0]
SEED_004 = SEEDS[4]
SRC = str(ROOT / "src")

# ---------------------------------------------------------------------------- helpers


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[str]]:
    """``main(argv)``: the exit code, standard output and the lines of standard error."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def assert_one_line_error(code: int, err: list[str], *words: str) -> None:
    assert code == 2, err
    assert len(err) == 1, err
    assert "Traceback" not in err[0] and err[0].startswith("reconcile: ")
    for w in words:
        assert w in err[0], err


def cli(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    """``reconcile ARGS`` in a subprocess (output captured unless ``stdout``/``stderr`` are given)."""
    opts: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "reconcile.cli", *args], text=True, env=env, timeout=120, **opts)


class Deflated(bytes):
    """A content stream given already compressed (too big to build otherwise)."""


def pdf_bytes(
    pages: list[bytes], catalog: bytes = b"", page_extra: bytes = b"", objects: list[bytes] | None = None
) -> bytes:
    """A minimal PDF whose page content streams are Flate-compressed; ``objects`` are appended after them."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(pages):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            + page_extra
            + f" /Contents {5 + 2 * i} 0 R >>".encode()
        )
        z = content if isinstance(content, Deflated) else zlib.compress(content, 6)
        objs.append(f"<< /Length {len(z)} /Filter /FlateDecode >>\nstream\n".encode() + z + b"\nendstream")
    objs.extend(objects or [])
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_page(words: str) -> bytes:
    return f"BT /F1 12 Tf 72 700 Td ({words}) Tj ET".encode()


def snapshot(*paths: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


# ---------------------------------------------------------------------------- 1. the exit-code contract


def test_an_unexpected_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import reconcile.ingest

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(reconcile.ingest, "load_document", boom)
    code, _, err = run(["text", str(SEED)], capsys)
    assert_one_line_error(code, err, "reconcile: error: RuntimeError: boom second line")
    with pytest.raises(RuntimeError, match="boom"):  # --debug lets the traceback through
        main(["--debug", "text", str(SEED)])
    with pytest.raises(RuntimeError, match="boom"):
        main(["text", str(SEED), "--debug"])


@pytest.mark.parametrize(
    "argv",
    [["check"], ["check", "x.txt", "--timeout", "abc"], ["check", "x.txt", "--format", "doc"], ["nosuch"], []],
)
def test_a_usage_error_is_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert_one_line_error(code, err, "--help")
    assert out == ""


def test_keyboard_interrupt_in_process_is_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import reconcile.ingest

    def interrupt(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(reconcile.ingest, "load_document", interrupt)
    code, _, err = run(["text", str(SEED)], capsys)
    assert code == 130 and err == ["reconcile: interrupted"]


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="needs POSIX signals")
def test_ctrl_c_on_a_running_check_exits_130_without_traceback(tmp_path: Path) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_text(SEED_004.read_text(encoding="utf-8") * 40, encoding="utf-8")  # 1.7 MB: about 10 s of work
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reconcile.cli", "check", str(slow)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    time.sleep(3)
    assert proc.poll() is None, "the check ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode().splitlines() == ["reconcile: interrupted"]


def test_a_closed_pipe_is_quiet(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["text", str(SEED)]) == 0
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_on_the_real_stdout_is_quiet() -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reconcile.cli", "text", str(SEED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first byte
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert err == ""


# ---------------------------------------------------------------------------- 2. output safety

FORMATS = ["json", "text", "csv", "html", "xlsx", "pdf"]


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("pdf") / "small.pdf"
    p.write_bytes(pdf_bytes([text_page("2024 budget")]))
    return p


def _input_for(fmt: str, small_pdf: Path) -> Path:
    return small_pdf if fmt == "pdf" else SEED


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_into_a_missing_folder_or_onto_a_directory(
    fmt: str, tmp_path: Path, small_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _input_for(fmt, small_pdf)
    before = snapshot(src)
    code, out, err = run(["check", str(src), "--format", fmt, "-o", str(tmp_path / "missing" / f"r.{fmt}")], capsys)
    assert_one_line_error(code, err, "does not exist")
    code, out, err = run(["check", str(src), "--format", fmt, "-o", str(tmp_path)], capsys)
    assert_one_line_error(code, err, "is a directory")
    assert out == "" and snapshot(src) == before and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_onto_the_input_is_refused(
    fmt: str, tmp_path: Path, small_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / ("in.pdf" if fmt == "pdf" else "in.txt")
    src.write_bytes(_input_for(fmt, small_pdf).read_bytes())
    link = tmp_path / "link"
    link.symlink_to(src)
    before = snapshot(src)
    for target in (str(src), str(tmp_path / "." / src.name), str(link)):
        code, _, err = run(["check", str(src), "--format", fmt, "-o", target], capsys)
        assert_one_line_error(code, err, "is the input file")
    assert snapshot(src) == before


def test_output_onto_one_of_several_inputs_is_refused(
    tmp_path: Path, small_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(small_pdf.read_bytes())
    b.write_bytes(small_pdf.read_bytes())
    before = snapshot(a, b)
    for cmd in (["text"], ["tables"], ["check", "--format", "json"]):
        code, _, err = run([*cmd, str(a), str(b), "-o", str(b)], capsys)
        assert_one_line_error(code, err, "is the input file")
    assert snapshot(a, b) == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("cmd", [["text"], ["tables", "--format", "csv"], ["check", "--format", "json"]])
def test_output_on_dev_full_names_enospc(cmd: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([cmd[0], str(SEED), *cmd[1:], "-o", "/dev/full"], capsys)
    assert_one_line_error(code, err, "/dev/full", "ENOSPC")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_stdout_on_dev_full_names_enospc() -> None:
    with open("/dev/full", "w") as full:
        proc = cli(["text", str(SEED)], stdout=full)
    assert proc.returncode == 2
    err = proc.stderr.splitlines()
    assert len(err) == 1 and "standard output" in err[0] and "ENOSPC" in err[0], err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "html"])
def test_a_rendered_file_on_dev_full_is_one_line(fmt: str, small_pdf: Path) -> None:
    # a subprocess: a zip file left open by the failed workbook used to print a traceback at exit
    src = small_pdf if fmt == "pdf" else SEED
    proc = cli(["check", str(src), "--format", fmt, "-o", "/dev/full"])
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["reconcile: error: cannot write /dev/full: No space left on device (ENOSPC)"]


def test_a_written_file_is_announced_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    code, stdout, err = run(["check", str(SEED), "--format", "html", "-o", str(out)], capsys)
    assert code in (0, 1) and stdout == ""
    assert len(err) == 1 and err[0].startswith(f"reconcile: wrote {out} (html, ") and err[0].endswith(" KB)")
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left behind
    code, _, err = run(["text", str(SEED), "-o", str(tmp_path / "t.txt")], capsys)
    assert code == 0 and len(err) == 1 and err[0].startswith("reconcile: wrote ") and "(text, " in err[0]


def test_a_failed_write_leaves_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.txt"
    out.write_text("old", encoding="utf-8")

    def full(self: Path, *a: object, **k: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    code, _, err = run(["text", str(SEED), "-o", str(out)], capsys)
    assert_one_line_error(code, err, "ENOSPC")
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["r.txt"]


# ---------------------------------------------------------------------------- 3. input safety


@pytest.mark.parametrize("cmd", ["check", "text", "tables"])
def test_a_fifo_is_refused_at_once(cmd: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    code, _, err = run([cmd, str(fifo), "--timeout", "20"], capsys)  # a regression times out, it does not hang
    assert_one_line_error(code, err, "named pipe")
    assert time.monotonic() - started < 15


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["text", "/dev/zero", "--timeout", "20"], capsys)
    assert_one_line_error(code, err, "character device")


def test_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", str(tmp_path)], capsys)
    assert_one_line_error(code, err, "directory")
    code, _, err = run(["check", str(tmp_path), str(tmp_path)], capsys)  # several inputs: the PDF path
    assert_one_line_error(code, err, "directory")


def test_a_bom_followed_by_invalid_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bom.txt"
    bad.write_bytes(b"\xef\xbb\xbf" + "部门决算".encode() + b"\xff\xfe\xfa" * 10)
    code, _, err = run(["check", str(bad)], capsys)
    assert_one_line_error(code, err, "byte order mark", "not UTF-8")


def test_an_odd_length_utf16_file_is_decoded_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_bytes("2024年部门决算\n收入合计 100.00\n".encode("utf-16") + b"\x41")
    code, out, err = run(["text", str(odd)], capsys)
    assert code == 0 and err == [] and out == "2024年部门决算\n收入合计 100.00\n"
    code, out, err = run(["check", str(odd), "--format", "json"], capsys)
    assert code in (0, 1) and err == []
    assert any("odd length" in e["message"] for e in json.loads(out)["errors"])


def test_a_broken_utf16_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad16.txt"
    bad.write_bytes(b"\xff\xfe" + "部门".encode("utf-16-le") + b"\x00\xdc\x00\xdc")  # lone low surrogates
    code, _, err = run(["text", str(bad)], capsys)
    assert_one_line_error(code, err, "UTF-16")


def _finding_keys(data: dict[str, Any], spans: bool) -> list[tuple[Any, ...]]:
    return [
        (f["check"], f["status"], f["message"], tuple(f["lines"]), json.dumps(f["spans"]) if spans else "")
        for f in data["findings"]
    ]


@pytest.fixture(scope="module")
def lf_004(rules: Rules) -> dict[str, Any]:
    return check_loaded(load_document(SEED_004), rules).to_dict()


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_seed_004_with_cr_or_crlf_line_ends_gives_the_lf_findings(
    ending: str, tmp_path: Path, lf_004: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    lf = lf_004
    other = tmp_path / "004.txt"
    other.write_bytes(SEED_004.read_bytes().replace(b"\n", ending.encode()))
    code, out, _ = run(["check", str(other), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["summary"]["inconsistent_findings"] == lf["summary"]["inconsistent_findings"] == 43
    # CR-only keeps every offset, so the spans agree too; CRLF adds one character a line
    assert _finding_keys(data, ending == "\r") == _finding_keys(lf, ending == "\r")


# ---------------------------------------------------------------------------- 4. time limit and page limits


@pytest.mark.parametrize("cmd", ["check", "text", "tables"])
@pytest.mark.parametrize("value", ["nan", "0", "-1", "inf"])
def test_a_bad_timeout_is_refused(cmd: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([cmd, str(SEED), "--timeout", value], capsys)
    assert_one_line_error(code, err, "--timeout")
    assert out == ""


@pytest.mark.parametrize("cmd", ["check", "text", "tables"])
@pytest.mark.parametrize("value", ["0", "-3"])
def test_max_pages_below_one_is_refused_for_text_input_too(
    cmd: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([cmd, str(SEED), "--max-pages", value], capsys)
    assert_one_line_error(code, err, "--max-pages must be at least 1")


def test_past_the_time_limit_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    code, stdout, err = run(["check", str(SEED), "--format", "json", "--timeout", "0.001", "-o", str(out)], capsys)
    assert_one_line_error(code, err, "timed out after 0.001 s")
    assert stdout == "" and not out.exists()


# ---------------------------------------------------------------------------- 5. CSV


def test_csv_cells_are_neutralised_but_numbers_kept() -> None:
    for bad in ("=1+2", "=cmd|'/Ccalc'!A0", "@SUM(A1)", "+A1*2", "-2+3", "\tx", "\rx", "-"):
        assert csv_cell(bad) == "'" + bad
    for keep in ("-12.50", "+3", "-0.5", "1e5", "plain", "", "收入"):
        assert csv_cell(keep) == keep
    assert csv_cell(-12.5) == -12.5 and csv_cell(None) is None


def _hostile_tables_text(tmp_path: Path, name: str = "hostile.txt") -> Path:
    text = SEED.read_text(encoding="utf-8")
    for old, new in (
        ("八、其他收入", "=cmd|'/Ccalc'!A0"),
        ("五、事业收入", "@SUM(1+1)"),
        ("六、经营收入", "\x1b[31m六、经营收入\x1b]0;pwned\x07"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _assert_safe_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert csv_cell(cell) == cell, f"a spreadsheet would run {cell!r}"  # only plain numbers
    return rows


def test_tables_csv_is_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["tables", str(_hostile_tables_text(tmp_path)), "--format", "csv"], capsys)
    assert code == 0 and err == []
    labels = [r[6] for r in _assert_safe_csv(out)[1:]]
    assert "'=cmd|'/Ccalc'!A0" in labels and "'@SUM（1+1）" in labels


def test_check_csv_neutralises_the_document_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("=HYPERLINK(1).txt").write_bytes(SEED_004.read_bytes())
    code, out, err = run(["check", "=HYPERLINK(1).txt", "--format", "csv"], capsys)
    assert code == 1 and err == []
    rows = _assert_safe_csv(out)
    assert rows[0][0] == "document" and len(rows) > 40
    assert {r[0] for r in rows[1:]} == {"'=HYPERLINK(1).txt"}


# ---------------------------------------------------------------------------- 6. terminal output


def test_escape_sequences_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["tables", str(_hostile_tables_text(tmp_path))], capsys)
    assert code == 0 and "六、经营收入" in out
    assert "\x1b" not in out and "\x07" not in out and "pwned" not in out
    name = _hostile_tables_text(tmp_path, "\x1b[2J\x1b]0;x\x07report.txt")
    code, out, _ = run(["check", str(name), "--format", "text"], capsys)
    assert code in (0, 1) and "report.txt" in out and "\x1b" not in out and "\x07" not in out
    assert terminal_safe("a\tb\nc\x1b[1mD\x00\x7f\r") == "a\tb\ncD"


# ---------------------------------------------------------------------------- 7. annotated PDF


def test_the_annotated_pdf_drops_actions_and_javascript(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from reconcile.render import annotate_pdf

    js = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    n = 6  # the first object after catalog, pages, font and one page with its content
    src = tmp_path / "js.pdf"
    src.write_bytes(
        pdf_bytes(
            [text_page("2024")],
            catalog=f"/OpenAction {n} 0 R /AA << /WC {n} 0 R >> /Names << /JavaScript {n + 1} 0 R >>".encode(),
            page_extra=f"/AA << /O {n} 0 R >>".encode(),
            objects=[js, f"<< /Names [(a) {n} 0 R] >>".encode()],
        )
    )
    root = PdfReader(src).trailer["/Root"]
    assert "/OpenAction" in root and "/AA" in root and "/JavaScript" in root["/Names"]
    out = annotate_pdf({"document": {"format": "pdf"}, "findings": []}, src, tmp_path / "out.pdf")
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in (root.get("/Names") or {})
    assert all("/AA" not in p for p in reader.pages)
    assert b"app.alert" not in out.read_bytes()


# ---------------------------------------------------------------------------- 8. quiet PDF libraries


def test_pdfminer_warnings_do_not_reach_stderr(tmp_path: Path) -> None:
    src = tmp_path / "font.pdf"
    src.write_bytes(
        pdf_bytes([text_page("2024")]).replace(b"/BaseFont /Helvetica", b"/BaseFont /X /FontDescriptor 99 0 R")
    )
    proc = cli(["text", str(src)])
    assert proc.returncode == 0 and "2024" in proc.stdout
    assert proc.stderr == ""


# ---------------------------------------------------------------------------- 9. PDF resource guards


def _bomb(tmp_path: Path, rects: int) -> Path:
    src = tmp_path / f"bomb{rects}.pdf"
    src.write_bytes(pdf_bytes([text_page("first page"), b"0 0 1 1 re\n" * rects + b"f\n", text_page("third page")]))
    return src


def test_a_page_inflating_past_the_guard_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _bomb(tmp_path, 1_000_000)  # 22 KB inflating to 11 MB: about a minute of pdfminer without the guard
    assert src.stat().st_size < 40_000
    code, out, err = run(["text", str(src)], capsys)
    assert code == 0 and err == [] and "first page" in out and "third page" in out
    doc_errors = _errors(src)
    assert any("page 2 skipped" in e and "inflate to more than 4 MB" in e and "resource guard" in e for e in doc_errors)


def test_a_page_drawing_too_many_objects_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _bomb(tmp_path, 60_000)  # 660 KB inflated: under the byte guard, over the object guard
    doc_errors = _errors(src)
    assert any("page 2 skipped" in e and "more than 50,000 objects" in e for e in doc_errors)


def _errors(src: Path) -> list[str]:
    return [p.message for p in load_document(src).problems]


def test_the_guards_follow_the_settings() -> None:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    data = pdf_bytes([text_page("x"), b"0 0 1 1 re\n" * 100])
    pages = list(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))
    assert page_cost_problem(pages[1]) is None
    assert "more than 99 objects" in (page_cost_problem(pages[1], PdfSettings.resolve(max_page_objects=99)) or "")
    assert "inflate" in (page_cost_problem(pages[1], PdfSettings.resolve(max_content_bytes=500)) or "")
    assert page_cost_problem(pages[0], PdfSettings.resolve(max_content_bytes=500)) is None


@pytest.mark.slow
def test_the_300_mb_content_stream_is_read_in_seconds_and_little_memory(tmp_path: Path) -> None:
    import resource

    src = tmp_path / "huge.pdf"
    z = zlib.compressobj(9)
    chunk = b"0 0 1 1 re\n" * 10_000
    body = b"".join(z.compress(chunk) for _ in range(2_800)) + z.compress(b"f\n") + z.flush()  # 308 MB inflated
    src.write_bytes(pdf_bytes([text_page("first page"), Deflated(body)]))
    assert src.stat().st_size < 1_000_000
    started = time.monotonic()
    proc = cli(["check", str(src), "--format", "json"])
    assert time.monotonic() - started < 30
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_000_000  # KB: under 1 GB
    assert proc.returncode in (0, 1, 2) and len(proc.stderr.splitlines()) <= 1
    if proc.returncode != 2:
        assert any("resource guard" in e["message"] for e in json.loads(proc.stdout)["errors"])
