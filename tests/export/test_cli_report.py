"""``tui-journal report …`` in-process: list, text/CSV to stdout, PDF to a file, errors."""

from __future__ import annotations

from pathlib import Path

from tests.export.helpers import Run
from tui_journal.db.models import AuditEntry


def test_report_list(run: Run) -> None:
    code, out, _ = run("report", "list")
    assert code == 0
    for name in ("class-progress", "credentials", "blank-journal", "monitoring"):
        assert name in out
    assert "кл. руководитель" in out


def test_class_progress_csv_to_stdout(run: Run) -> None:
    code, out, err = run("report", "class-progress", "--class", "7А", "--period", "1 четверть", "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "subject,teacher,n,n5,n4,n3,n2,na,exempt,success_pct,quality_pct,sou_pct,avg_mark"
    assert lines[1].startswith("Математика,Математиков М. М.,6,1,2,1,1,1,1,66.67,50.00,47.83,3.60")
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert (entry.origin, entry.action, entry.entity_id) == ("cli", "export", "class-progress")


def test_pdf_to_a_file_and_text_by_default(run: Run, tmp_path: Path) -> None:
    code, out, err = run("report", "movement-school", "--period", "1", "-o", "dyn.pdf")
    assert code == 0, err
    assert (tmp_path / "dyn.pdf").read_bytes().startswith(b"%PDF")
    assert "dyn.pdf" in out
    code, out, _ = run("report", "class-fill", "--date", "20.09.2026")
    assert code == 0 and "НАПОЛНЯЕМОСТЬ КЛАССОВ" in out and "На дату: 20.09.2026" in out


def test_errors_are_messages_not_tracebacks(run: Run) -> None:
    code, _, err = run("report", "class-progress", "--class", "7Я")
    assert code == 1 and "Класс «7Я» не найден" in err
    code, _, err = run("report", "no-such")
    assert code == 2
    code, _, err = run("report", "class-progress", "--date", "32.13.2026")
    assert code == 2 and "не дата" in err
