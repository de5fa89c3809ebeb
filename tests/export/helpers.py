"""Reading rendered documents back: PDF text (pypdf), the first page as pixels (pdftoppm)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

import pytest


class Run(Protocol):
    """The ``run`` fixture of the CLI tests: ``run("report", "list")`` -> (exit code, stdout, stderr)."""

    def __call__(self, *argv: str) -> tuple[int, str, str]: ...


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def pdf_page_sizes(data: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def _read_pgm(raw: bytes) -> tuple[int, int, bytes]:
    """A binary PGM (P5): width, height and the grey bytes. Header tokens may carry comments."""
    tokens: list[bytes] = []
    pos = 0
    while len(tokens) < 4:
        while raw[pos : pos + 1].isspace():
            pos += 1
        if raw[pos : pos + 1] == b"#":
            pos = raw.index(b"\n", pos) + 1
            continue
        end = pos
        while not raw[end : end + 1].isspace():
            end += 1
        tokens.append(raw[pos:end])
        pos = end
    assert tokens[0] == b"P5", tokens[0]
    width, height, maxval = int(tokens[1]), int(tokens[2]), int(tokens[3])
    assert maxval < 256
    pixels = raw[pos + 1 : pos + 1 + width * height]
    return width, height, pixels


def first_page_dark_share(data: bytes, tmp_path: Path) -> float:
    """Render page 1 at 50 dpi in grey (``pdftoppm -gray``) and return the share of dark pixels.

    Skips (with the reason) when poppler-utils is not installed; CI installs it.
    """
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the page picture is not checked")
    source = tmp_path / "page.pdf"
    source.write_bytes(data)
    subprocess.run([exe, "-gray", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")], check=True)
    pictures = sorted(tmp_path.glob("page*.pgm"))
    assert pictures, "pdftoppm wrote no picture"
    width, height, pixels = _read_pgm(pictures[0].read_bytes())
    assert width > 100 and height > 100
    dark = sum(1 for value in pixels if value < 128)
    return dark / (width * height)
