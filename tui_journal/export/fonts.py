"""Finding a TrueType font with Cyrillic letters for the PDFs.

The PDF base-14 fonts have no Cyrillic, and on Debian the only Cyrillic TrueType fonts are
usually DejaVu (``fonts-dejavu-core``). We look for DejaVu Sans through ``fc-list :lang=ru``,
then in the usual folders, then take any Cyrillic TrueType font fontconfig knows; without
one the error names the package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui_journal.services.errors import ServiceError

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
KNOWN_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "/usr/share/fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
FONT_DIR_ENV = "TUI_JOURNAL_FONT_DIR"
PACKAGE = "fonts-dejavu-core"

MISSING_MESSAGE = (
    "Не найден шрифт с русскими буквами для PDF (DejaVu Sans). "
    f"Установите пакет {PACKAGE}: sudo apt-get install {PACKAGE} "
    f"(или укажите папку со шрифтами DejaVuSans.ttf в переменной {FONT_DIR_ENV})."
)


class FontMissing(ServiceError):
    """No Cyrillic TrueType font on this machine; the message names the package to install."""


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path | None


def _fc_list() -> list[Path]:
    """Font files fontconfig says cover Russian (empty when fc-list is not installed)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run(
            [exe, ":lang=ru", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = []
    for line in out.splitlines():
        path = line.split(":", 1)[0].strip()
        if path:
            paths.append(Path(path))
    return paths


def _by_name(paths: Iterable[Path], name: str) -> Path | None:
    for path in paths:
        if path.name == name and path.is_file():
            return path
    return None


def _in_dirs(dirs: Sequence[str], name: str) -> Path | None:
    for folder in dirs:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def find_fonts(search_dirs: Sequence[str] | None = None, *, use_fc_list: bool = True) -> FontFiles:
    """The regular and bold Cyrillic fonts to embed; raises :class:`FontMissing`."""
    env_dir = os.environ.get(FONT_DIR_ENV, "")
    dirs = ([env_dir] if env_dir else []) + list(KNOWN_DIRS if search_dirs is None else search_dirs)
    listed = _fc_list() if use_fc_list else []
    regular = _in_dirs(dirs[:1], REGULAR) if env_dir else None
    regular = regular or _by_name(listed, REGULAR) or _in_dirs(dirs, REGULAR)
    if regular is not None:
        bold = _in_dirs([str(regular.parent)], BOLD) or _by_name(listed, BOLD) or _in_dirs(dirs, BOLD)
        return FontFiles(regular, bold)
    ttf = [p for p in listed if p.suffix.lower() == ".ttf" and p.is_file()]
    plain = [p for p in ttf if not any(w in p.stem.lower() for w in ("bold", "italic", "oblique", "light", "mono"))]
    if plain:
        stem = plain[0].stem
        bold_guess = [p for p in ttf if p.stem.lower() in (f"{stem}-bold".lower(), f"{stem}bd".lower())]
        return FontFiles(plain[0], bold_guess[0] if bold_guess else None)
    raise FontMissing(MISSING_MESSAGE)
