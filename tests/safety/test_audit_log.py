"""The audit log records the changes that matter: imports, replacements (deletions), restores, backups."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime

import pytest

from schoolvault import catalog
from schoolvault.errors import ImportRefused
from schoolvault.importing import import_responses
from schoolvault.workspace import backup, open_workspace


def responses_csv(path, n: int, seed: int = 0) -> None:
    items = list(catalog.resolve(None, "sodi-example-2025").instrument.items_for("교원"))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([i.text for i in items])
    rng = random.Random(seed)
    for _ in range(n):  # random rows: identical rows would be taken for double submissions
        w.writerow([rng.randint(1, 5) for _ in items])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def audit(path) -> list[tuple[str, str, dict]]:
    with open_workspace(path, readonly=True) as ws:
        return [(at, action, json.loads(detail)) for at, action, detail in
                ws.conn.execute("SELECT at, action, detail FROM audit_log ORDER BY id")]


def test_import_and_its_replacement_are_recorded(fresh_ws_path, tmp_path):
    f = tmp_path / "교원.csv"
    responses_csv(f, 8)
    with open_workspace(fresh_ws_path) as ws:
        first = import_responses(ws, f, "sodi-example-2025", "교원")
        import_responses(ws, f, "sodi-example-2025", "교원", replace=True)
    rows = [r for r in audit(fresh_ws_path) if r[1] == "import_responses"]
    assert len(rows) == 2
    assert rows[0][2]["file"] == "교원.csv" and rows[0][2]["respondents"] == 8
    assert rows[1][2]["replaced"] == first["administration"]  # the deletion of the earlier import
    for at, _, _ in rows:
        datetime.fromisoformat(at)


def test_a_replacing_import_is_backed_up_first(fresh_ws_path, tmp_path):
    f = tmp_path / "교원.csv"
    responses_csv(f, 8)
    with open_workspace(fresh_ws_path) as ws:
        import_responses(ws, f, "sodi-example-2025", "교원")
        assert not [b for b in backup.list_backups(fresh_ws_path) if b.reason == "import"]
        import_responses(ws, f, "sodi-example-2025", "교원", replace=True)
    made = [b for b in backup.list_backups(fresh_ws_path) if b.reason == "import"]
    assert len(made) == 1
    with open_workspace(made[0].path, readonly=True) as old:
        assert old.conn.execute("SELECT COUNT(*) FROM administrations").fetchone()[0] == 1


def test_refused_import_records_nothing(fresh_ws_path, tmp_path):
    f = tmp_path / "빈.csv"
    f.write_bytes(b"")
    before = audit(fresh_ws_path)
    with open_workspace(fresh_ws_path) as ws, pytest.raises(ImportRefused):
        import_responses(ws, f, "sodi-example-2025", "교원")
    assert audit(fresh_ws_path) == before


def test_restore_and_backup_are_recorded(fresh_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(fresh_ws_path), "backup", str(tmp_path / "b.sqlite")]) == 0
    assert audit(fresh_ws_path)[-1][1:] == ("backup", {"out": "b.sqlite"})
    assert main(["--db", str(fresh_ws_path), "restore", str(tmp_path / "b.sqlite")]) == 0
    _, action, detail = audit(fresh_ws_path)[-1]
    assert action == "restore" and detail["backup"] == "b.sqlite" and detail["safety_copy"].endswith(".restore.sqlite")


def test_record_export_writes_one_entry_and_is_silent_on_a_readonly_workspace(fresh_ws_path, tmp_path):
    from schoolvault.workspace import auditlog
    with open_workspace(fresh_ws_path) as ws:
        assert auditlog.record_export(ws, "workbook", tmp_path / "2025_결과.xlsx", year=2025)
        last = auditlog.entries(ws, "export")[0]
    assert last.detail == {"kind": "workbook", "file": "2025_결과.xlsx", "year": 2025}
    with open_workspace(fresh_ws_path, readonly=True) as ro:
        assert not auditlog.record_export(ro, "workbook", tmp_path / "x.xlsx")
    assert len([e for e in audit(fresh_ws_path) if e[1] == "export"]) == 1


def test_workbook_export_is_recorded(demo_ws_path, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    with open_workspace(demo_ws_path) as ws:
        export_workbook(ws, tmp_path / "결과.xlsx")
    assert any(a == "export" and d.get("file") == "결과.xlsx" for _, a, d in audit(demo_ws_path))


def test_pdf_report_export_is_recorded(demo_ws_path, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    with open_workspace(demo_ws_path) as ws:
        evaluation_report(ws, tmp_path / "보고서.pdf")
    before = [d for _, a, d in audit(demo_ws_path) if a == "export"]
    with open_workspace(demo_ws_path) as ws:
        evaluation_report(ws, tmp_path / "보고서2.pdf")
    exports = [d for _, a, d in audit(demo_ws_path) if a == "export"]
    assert exports[-1] == {"kind": "evaluation_report", "file": "보고서2.pdf", "year": 2025}
    assert len(exports) == len(before) + 1
