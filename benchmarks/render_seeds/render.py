"""Render the seed reports to PDF, the way reports are published: the project's PDF test corpus.

The variants (every seed, and a few on other page layouts), each seed's blocks, and the
HTML printed to PDF with headless Chromium (fixed dates, so that a re-render is stable).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reconcile.ingest import load_document
from reconcile.tables import parse_tables

from .blocks import Block, tsv_blocks
from .page import LAYOUTS, build_html
from .pdftotext import pdftotext_blocks

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpora" / "seeds"
OUT = ROOT / "corpora" / "rendered"
FIXED_DATE = b"D:20250101000000+00'00'"


# Every seed is rendered with the "a4" layout to ``<stem>.pdf``; these synthetic variants
# are rendered too: (seed name prefix, layout, output suffix).
EXTRA_VARIANTS: list[tuple[str, str, str]] = [
    ("004", "narrow", "__narrow"),
    ("001", "landscape", "__landscape"),
]


def variants(only: Sequence[str] = ()) -> list[tuple[Path, str, Path]]:
    """(seed path, layout name, output file name) of every rendering (or those of ``only``)."""
    seeds = [s for s in sorted(SEEDS.glob("*.txt")) if not only or any(s.stem.startswith(o) for o in only)]
    out = [(seed, "a4", Path(f"{seed.stem}.pdf")) for seed in seeds]
    for prefix, layout, suffix in EXTRA_VARIANTS:
        out.extend((seed, layout, Path(f"{seed.stem}{suffix}.pdf")) for seed in seeds if seed.stem.startswith(prefix))
    return out


def seed_of(pdf: Path) -> Path:
    """The seed a rendered PDF was made from (``004_x__narrow.pdf`` -> ``seeds/004_x.txt``)."""
    return SEEDS / (pdf.stem.split("__", 1)[0] + ".txt")


def seed_blocks(seed: Path) -> list[Block]:
    doc = load_document(seed)
    tables = parse_tables(doc)
    if "\t" in doc.text:
        return tsv_blocks(doc, tables)
    return pdftotext_blocks(doc, tables)


def chromium() -> str | None:
    """The Chromium executable (Debian's ``chromium``), or None."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 120.0) -> None:
    """Print an HTML file to PDF with headless Chromium (no header/footer of its own)."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed (bash scripts/setup.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="render-profile-") as profile:
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--disable-pdf-tagging",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0 or not pdf_path.exists():
        raise RuntimeError(f"chromium failed on {html_path} (exit {proc.returncode}): {proc.stderr[-2000:]}")
    _fix_dates(pdf_path)


def _fix_dates(pdf_path: Path) -> None:
    """Set the creation and modification dates to a fixed value (same length: offsets hold)."""
    data = pdf_path.read_bytes()

    def repl(m: re.Match[bytes]) -> bytes:
        fixed = FIXED_DATE[: len(m.group(2))].ljust(len(m.group(2)), b"0")
        return m.group(1) + fixed + m.group(3)

    new = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)(\))", repl, data)
    if new != data:
        pdf_path.write_bytes(new)


def render(seed: Path, layout_name: str, pdf_path: Path, *, keep_html: bool = False) -> Path:
    """Render one seed with one layout to ``pdf_path``; returns the PDF path."""
    layout = LAYOUTS[layout_name]
    blocks = seed_blocks(seed)
    doc_html = build_html(blocks, layout, seed.stem)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    html_path = pdf_path.with_suffix(".html")
    if keep_html:
        html_path.write_text(doc_html, encoding="utf-8")
        print_pdf(html_path, pdf_path)
    else:
        with tempfile.TemporaryDirectory(prefix="render-") as tmp:
            tmp_html = Path(tmp) / html_path.name
            tmp_html.write_text(doc_html, encoding="utf-8")
            print_pdf(tmp_html, pdf_path)
    return pdf_path


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="output directory (default corpora/rendered)")
    ap.add_argument("--only", nargs="*", default=[], help="seed name prefixes to render (default: all)")
    ap.add_argument("--html", action="store_true", help="keep the HTML next to each PDF")
    args = ap.parse_args(argv)
    if chromium() is None:
        print("chromium is not installed: run bash scripts/setup.sh", file=sys.stderr)
        return 2
    for seed, layout, name in variants(args.only):
        pdf = render(seed, layout, args.out / name, keep_html=args.html)
        print(
            f"{pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}  ({layout}, {pdf.stat().st_size // 1024} KB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
