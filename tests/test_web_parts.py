"""The browser route's small parts: the client address, the session command, saved files."""

from __future__ import annotations

import os
import shlex
import stat
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")

from aiohttp.test_utils import make_mocked_request

from tui_journal.export.files import exported_files, save_export
from tui_journal.web.server import WebConfig, client_address, session_command
from tui_journal.web.session import clean_address


def _request(forwarded: str | None, peer: str = "127.0.0.1") -> object:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    request = make_mocked_request("GET", "/ws", headers=headers)
    request._transport_peername = (peer, 5555)
    return request


def test_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    assert client_address(_request("203.0.113.7"), trust_proxy=False) == "127.0.0.1"  # type: ignore[arg-type]
    assert client_address(_request("203.0.113.7"), trust_proxy=True) == "203.0.113.7"  # type: ignore[arg-type]
    # the client may send its own X-Forwarded-For: the proxy appends the real one last
    assert client_address(_request("10.9.9.9, 203.0.113.7"), trust_proxy=True) == "203.0.113.7"  # type: ignore[arg-type]
    assert client_address(_request("not-an-ip"), trust_proxy=True) == "127.0.0.1"  # type: ignore[arg-type]


def test_the_session_command_carries_only_a_clean_address() -> None:
    config = WebConfig(db_url="sqlite:////tmp/a b/journal.db", python="/usr/bin/python3")
    command = session_command(config, "1.2.3.4; rm -rf /")
    argv = shlex.split(command)
    assert argv[0] == "exec" and argv[1:4] == ["/usr/bin/python3", "-m", "tui_journal.web"]
    assert argv[argv.index("--address") + 1] == ""
    assert argv[argv.index("--db") + 1] == "sqlite:////tmp/a b/journal.db"
    assert clean_address(" ::1 ") == "::1"


def test_saved_exports_are_private_and_listed_newest_first(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    first = save_export(folder, "../report.pdf", b"%PDF one")
    second = save_export(folder, "report.pdf", b"%PDF two")
    assert first.parent == folder and first.name == "report.pdf" and second.name == "report (2).pdf"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    old = time.time() - 3600
    os.utime(first, (old, old))
    (folder / "report (2).pdf.sig").write_text("{}")
    listed = exported_files(folder)
    assert [f.name for f in listed] == ["report (2).pdf", "report.pdf"]
    assert listed[0].signed and not listed[1].signed
