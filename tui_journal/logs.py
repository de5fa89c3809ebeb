"""The program's log: a rotating file readable by its owner only, where failures leave their
traceback.

``setup_logging(settings)`` is called once per process (the CLI, the app, an SSH session);
the file is ``journal.log`` in ``settings.log_dir`` (the platform log folder by default,
``~/.local/state/tui-journal/log``), 1 MB × 5 files, every file and the folder 0600/0700.
:func:`internal_error` logs an unexpected exception with its traceback and returns the
one-line message for the user: «Внутренняя ошибка, подробности в журнале программы (<path>)».

This module sits outside the layers (like ``config``): the CLI and the screens use it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
from pathlib import Path

from tui_journal.private import FILE_MODE, private_dir

LOG_NAME = "journal.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

log = logging.getLogger("tui_journal")
_lock = threading.Lock()
_handler: PrivateRotatingFileHandler | None = None


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files (the current one and the rotated ones) are 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
        except OSError:
            pass
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def parse_level(text: str | None, default: int = logging.INFO) -> int:
    if not text:
        return default
    name = str(text).strip().upper()
    if name not in LEVELS:
        raise ValueError(f"неизвестный уровень журнала «{text}»: {', '.join(LEVELS)}")
    return int(getattr(logging, name))


def log_path(log_dir: str | os.PathLike[str] | None = None) -> Path:
    """The log file now written (or the one :func:`setup_logging` would write)."""
    if _handler is not None and log_dir is None:
        return Path(_handler.baseFilename)
    if log_dir is None:
        from tui_journal.config import Settings

        log_dir = Settings().log_dir
    return Path(log_dir).expanduser() / LOG_NAME


def setup_logging(log_dir: str | os.PathLike[str], level: str | int | None = None) -> Path | None:
    """Send the ``tui_journal`` loggers to the rotating file in ``log_dir`` (idempotent: a second
    call with another folder moves the file). Returns the file, or None when the folder cannot
    be written (the program still works; failures then go to stderr)."""
    global _handler
    bad_level = None
    try:
        lvl = level if isinstance(level, int) else parse_level(level)
    except ValueError as exc:  # a typo in the config must not stop the program: INFO, and say so
        lvl, bad_level = logging.INFO, exc
    path = Path(log_dir).expanduser() / LOG_NAME
    with _lock:
        log.setLevel(lvl)
        if _handler is not None and Path(_handler.baseFilename) == path.resolve():
            return path
        try:
            private_dir(path.parent, tighten=True)
            handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        except OSError:
            return None
        handler.setFormatter(logging.Formatter(FORMAT))
        if _handler is not None:
            log.removeHandler(_handler)
            _handler.close()
        _handler = handler
        log.addHandler(handler)  # records still propagate: `serve ssh` also logs to stderr
    if bad_level is not None:
        log.warning("%s", bad_level)
    return path


def reset_logging() -> None:
    """Close the file (tests)."""
    global _handler
    with _lock:
        if _handler is not None:
            log.removeHandler(_handler)
            _handler.close()
            _handler = None


def internal_error(exc: BaseException, where: str = "") -> str:
    """Log ``exc`` with its traceback (once, however many handlers see it); return the
    message to show the user."""
    logger = logging.getLogger("tui_journal.error")
    if not getattr(exc, "_tui_journal_logged", False):
        try:
            exc._tui_journal_logged = True  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover - exceptions with __slots__
            pass
        logger.error(
            "внутренняя ошибка%s: %r", f" ({where})" if where else "", exc, exc_info=(type(exc), exc, exc.__traceback__)
        )
    from tui_journal.i18n import t

    return t("err.internal", path=log_path())
