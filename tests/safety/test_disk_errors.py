"""A full disk, a read-only folder, little free space at open and an over-long path are reported as what
they are — never as a damaged workspace, never with advice to restore a healthy school (issue 14, item 13)."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import types

import pytest
from safety_helpers import digest

from schoolvault import errors
from schoolvault.cli import main
from schoolvault.errors import StorageError, storage_error
from schoolvault.workspace import backup, open_workspace
from schoolvault.workspace.backup import WorkspaceDamaged

LONG = "가" * 100  # 300 bytes in UTF-8: longer than any file name a file system allows (255)


def _said(text: str, message: str) -> None:
    assert message in text
    assert "손상" not in text and "복원" not in text and "restore" not in text, text


def _no_space(*_a, **_k):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(("code", "message"), [(errno.ENOSPC, "디스크 공간이 부족합니다"),
                                               (errno.EROFS, "폴더에 쓸 수 없습니다"),
                                               (errno.EACCES, "폴더에 쓸 수 없습니다"),
                                               (errno.ENAMETOOLONG, "경로가 너무 깁니다")])
def test_one_function_names_each_storage_failure(code, message):
    e = storage_error(OSError(code, "x"), "/어딘가")
    assert isinstance(e, StorageError) and e.message.startswith(message) and e.errno == code
    _said(str(e), message)


def test_a_full_disk_during_export_is_said_and_leaves_no_file(demo_ws_path, tmp_path, monkeypatch, capsys):
    import xlsxwriter.workbook
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", _no_space)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--db", str(demo_ws_path), "export", str(out / "결과.xlsx")]) == 1
    _said(capsys.readouterr().err, "디스크 공간이 부족합니다")
    assert list(out.iterdir()) == []  # neither the workbook nor its temporary file


def test_a_full_disk_during_a_pdf_report_is_said_not_a_traceback(demo_ws_path, tmp_path, monkeypatch, capsys):
    import reportlab.pdfgen.canvas
    monkeypatch.setattr(reportlab.pdfgen.canvas.Canvas, "save", _no_space)
    rc = main(["--db", str(demo_ws_path), "report", str(tmp_path / "보고서.pdf"), "--kind", "evaluation"])
    assert rc == 1
    _said(capsys.readouterr().err, "디스크 공간이 부족합니다")


def _tiny_disk(monkeypatch) -> None:
    """Backups land on a disk with room for one page: SQLite says "database or disk is full"."""
    real = sqlite3.connect

    def connect(target, *a, **k):
        conn = real(target, *a, **k)
        if str(target).endswith(".partial"):
            conn.execute("PRAGMA max_page_count = 1")
        return conn
    monkeypatch.setattr(backup, "sqlite3", types.SimpleNamespace(
        connect=connect, DatabaseError=sqlite3.DatabaseError, Error=sqlite3.Error, Connection=sqlite3.Connection))


def test_a_full_disk_during_backup_is_not_called_damage(demo_ws_path, tmp_path, monkeypatch, capsys):
    _tiny_disk(monkeypatch)
    before = digest(demo_ws_path)
    with pytest.raises(StorageError) as e:
        backup.make_backup(demo_ws_path, tmp_path / "백업.sqlite")
    assert not isinstance(e.value, WorkspaceDamaged)
    _said(str(e.value), "디스크 공간이 부족합니다")
    assert not (tmp_path / "백업.sqlite").exists() and not (tmp_path / "백업.sqlite.partial").exists()
    assert main(["--db", str(demo_ws_path), "backup", str(tmp_path / "다시.sqlite")]) == 1
    _said(capsys.readouterr().err, "디스크 공간이 부족합니다")
    assert digest(demo_ws_path) == before or backup.check_file(demo_ws_path) == []


def test_a_backup_into_a_read_only_folder_is_said(demo_ws_path, tmp_path, monkeypatch):
    def read_only(*_a, **_k):
        raise OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(type(tmp_path), "mkdir", read_only)
    with pytest.raises(StorageError) as e:
        backup.make_backup(demo_ws_path, tmp_path / "읽기전용" / "백업.sqlite")
    _said(str(e.value), "폴더에 쓸 수 없습니다")


def test_an_unopenable_workspace_in_a_read_only_folder_is_said(fresh_ws_path, monkeypatch):
    real_access = errors.os.access
    monkeypatch.setattr(errors.os, "access", lambda p, mode: False if mode == errors.os.W_OK else real_access(p, mode))
    e = errors.sqlite_errno(sqlite3.OperationalError("unable to open database file"), fresh_ws_path)
    assert e == errno.EACCES


def test_twenty_kilobytes_free_at_open_is_a_full_disk_not_damage(fresh_ws_path, monkeypatch):
    from schoolvault.workspace import db
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda _p: types.SimpleNamespace(total=10**9, used=10**9 - 20_000, free=20_000))

    def failing_connect(path, readonly):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(db, "_connect", failing_connect)
    before = digest(fresh_ws_path)
    with pytest.raises(StorageError) as e:
        open_workspace(fresh_ws_path)
    assert not isinstance(e.value, WorkspaceDamaged)
    _said(str(e.value), "디스크 공간이 부족합니다")
    assert digest(fresh_ws_path) == before


def test_an_over_long_workspace_path_is_said(tmp_path, capsys):
    path = tmp_path / f"{LONG}.sqlite"
    with pytest.raises(StorageError) as e:
        open_workspace(path, create=True)
    _said(str(e.value), "경로가 너무 깁니다")
    assert main(["--db", str(path), "district", "import", str(tmp_path)]) == 1  # creates its workspace
    _said(capsys.readouterr().err, "경로가 너무 깁니다")


def test_an_export_to_an_over_long_path_is_said(demo_ws_path, tmp_path, capsys):
    assert main(["--db", str(demo_ws_path), "export", str(tmp_path / f"{LONG}.xlsx")]) == 1
    _said(capsys.readouterr().err, "경로가 너무 깁니다")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".schoolvault-")]
