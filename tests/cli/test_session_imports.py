"""A session imports only what a session uses (issue 13: memory per session).

The real entry points run in a subprocess (in a pseudo-terminal: the SSH session refuses to
start without one) with a driver of this test's own instead of the terminal's (``App.run``
is wrapped before the entry runs; textual itself loads neither peewee nor psycopg2). Once
the login screen is up, the driver imports the screens of a teacher's session (home, the
journal chooser, the grade grid, the roll), writes ``sys.modules`` to a file and quits.
None of the forbidden modules may be loaded.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from peewee import Database

from tui_journal.cli.early import command_of, is_session

ROOT = Path(__file__).resolve().parents[2]

#: Never in a session on SQLite: the PostgreSQL driver, the PDF and XLSX libraries, the
#: CLI's other command modules and the services only they use.
FORBIDDEN = (
    "psycopg2",
    "psycopg",
    "reportlab",
    "openpyxl",
    "asyncssh",
    "tui_journal.cli.report",
    "tui_journal.cli.school",
    "tui_journal.cli.sign",
    "tui_journal.cli.ssh",
    "tui_journal.cli.admin",
    "tui_journal.cli.users",
    "tui_journal.services.rollover",
    "tui_journal.services.signing",
    "tui_journal.services.school_data",
    "tui_journal.services.reports",
    "tui_journal.export.pdf",
    "tui_journal.export.xlsx",
    "tui_journal.db.demo",
)

DRIVER = '''
import json, os, sys
from textual.drivers.headless_driver import HeadlessDriver

class ModulesDriver(HeadlessDriver):
    def start_application_mode(self):
        super().start_application_mode()
        app = self._app

        def done():
            import tui_journal.screens.home, tui_journal.screens.journal_pick  # noqa: E401
            import tui_journal.screens.journal_grid, tui_journal.screens.roll  # noqa: E401
            loaded = sorted(name for name, module in sys.modules.items() if module is not None)
            with open(os.environ["MODULES_OUT"], "w") as fh:
                json.dump(loaded, fh)
            app.exit()

        app.set_timer(0.5, done)


def patch():
    from textual.app import App

    run = App.run

    def headless_run(self, *args, **kwargs):
        self.driver_class = ModulesDriver
        return run(self, *args, **kwargs)

    App.run = headless_run
'''

LAUNCH = (
    "import runpy, sys, modules_driver; modules_driver.patch(); "
    "module = sys.argv.pop(1); runpy.run_module(module, run_name='__main__', alter_sys=True)"
)

ENTRIES = {
    "tui-journal run": ["tui_journal", "run"],
    "ssh session": ["tui_journal.ssh"],
}


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_a_session_on_sqlite_does_not_import_what_it_does_not_use(
    entry: str, db: Database, db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "modules_driver.py").write_text(DRIVER)
    out = tmp_path / "modules.json"
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(tmp_path)]),
        MODULES_OUT=str(out),
        TERM="xterm-256color",
        TUI_JOURNAL_CONFIG=str(tmp_path / "none.toml"),
        HOME=str(tmp_path),
    )
    env.pop("TUI_JOURNAL_DB", None)
    master, slave = pty.openpty()  # the SSH session refuses to start without a terminal
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, *ENTRIES[entry], "--db", db_url],
            env=env, cwd=tmp_path, stdin=slave, stdout=slave, stderr=slave,
        )
        os.close(slave)
        output = bytearray()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(master)
    assert out.exists(), (proc.returncode, output[-2000:].decode(errors="replace"))
    loaded = json.loads(out.read_text())
    assert "tui_journal.screens.journal_grid" in loaded  # the check itself ran
    bad = [name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    assert bad == []


def test_the_command_word_is_found_past_the_common_options() -> None:
    assert command_of(["--db", "sqlite:///x.db", "run"]) == "run"
    assert command_of(["--config", "c.toml", "--school", "1", "report", "list"]) == "report"
    assert command_of(["--db=sqlite:///x.db"]) is None
    assert is_session([]) and is_session(["--db", "x", "run"])
    assert not is_session(["--help"]) and not is_session(["user", "list"])
