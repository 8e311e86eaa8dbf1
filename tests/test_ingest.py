from pathlib import Path

import pytest

from reconcile.document import InputError
from reconcile.ingest import decode_text, load_document

from .conftest import SEEDS


def test_gb18030_is_decoded_with_a_note(tmp_path: Path) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    p = tmp_path / "gbk.txt"
    p.write_bytes(text.encode("gb18030"))
    doc = load_document(p)
    assert doc.text == text
    assert any("GB18030" in n.message for n in doc.problems)


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        load_document(p)


def test_whitespace_only_file(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_bytes(b"  \n\n ")
    with pytest.raises(InputError, match="empty"):
        load_document(p)


def test_binary_garbage(tmp_path: Path) -> None:
    p = tmp_path / "garbage.txt"
    p.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError):
        load_document(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_document(tmp_path / "nope.txt")


def test_utf8_bom_is_stripped() -> None:
    text, notes = decode_text("\ufeff部门决算".encode("utf-8"))
    assert text == "部门决算" and not notes


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_lines_index_the_text(seed: Path) -> None:
    doc = load_document(seed)
    assert doc.text == seed.read_text(encoding="utf-8")
    for ln in doc.lines:
        assert doc.text[ln.start : ln.end] == ln.text
    assert doc.kind in ("final_account", "budget")
    assert doc.year in (2020, 2024)
