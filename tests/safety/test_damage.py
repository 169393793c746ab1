"""Damaged and foreign workspace files: detected on open, never written to, the user told what to do."""

from __future__ import annotations

import sqlite3

import pytest
from safety_helpers import corrupt, digest

from schoolvault import services
from schoolvault.errors import WorkspaceError
from schoolvault.workspace import backup, open_workspace


def truncate_half(p):
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def truncate_tiny(p):
    p.write_bytes(p.read_bytes()[:100])


def zero_header(p):
    data = bytearray(p.read_bytes())
    data[:100] = bytes(100)
    p.write_bytes(bytes(data))


def text_file(p):
    p.write_text("이것은 메모장 파일입니다.", encoding="utf-8")


def foreign_sqlite(p):
    p.unlink()
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('가족사진.jpg')")
    conn.commit()
    conn.close()


DAMAGE = {"truncated to half": truncate_half, "truncated to 100 bytes": truncate_tiny,
          "header zeroed": zero_header, "pages overwritten": corrupt, "text file": text_file,
          "another app's sqlite": foreign_sqlite}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_or_foreign_file_is_refused_untouched(how, fresh_ws_path, capsys):
    backup.make_backup(fresh_ws_path)  # a good backup exists
    DAMAGE[how](fresh_ws_path)
    before = digest(fresh_ws_path)
    with pytest.raises(WorkspaceError) as e:
        open_workspace(fresh_ws_path)
    assert e.value.message and e.value.hint
    assert digest(fresh_ws_path) == before
    wal = fresh_ws_path.with_name(fresh_ws_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    from schoolvault.cli import main
    assert main(["--db", str(fresh_ws_path), "status"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("오류: ") and "Traceback" not in err
    assert digest(fresh_ws_path) == before
    # nothing was added to the good backups either
    assert [b.reason for b in backup.list_backups(fresh_ws_path)] == ["manual"]


@pytest.mark.parametrize("how", ["truncated to half", "pages overwritten"])
def test_damage_message_offers_the_latest_good_backup_and_restore_fixes_it(how, fresh_ws_path, capsys):
    from schoolvault.cli import main
    with open_workspace(fresh_ws_path) as ws:
        code = services.self_eval_list(ws)[0]["indicator"]
        services.self_eval_set(ws, code, evidence="백업에 든 내용")
    good = backup.make_backup(fresh_ws_path)
    DAMAGE[how](fresh_ws_path)
    assert main(["--db", str(fresh_ws_path), "status"]) == 1
    err = capsys.readouterr().err
    assert "손상" in err and str(good) in err
    assert main(["--db", str(fresh_ws_path), "restore", str(good)]) == 0
    assert main(["--db", str(fresh_ws_path), "check"]) == 0
    with open_workspace(fresh_ws_path) as ws:
        assert services.self_eval_list(ws)[0]["evidence"] == "백업에 든 내용"


def test_garbage_wal_beside_a_good_workspace_is_ignored_safely(fresh_ws_path):
    with open_workspace(fresh_ws_path) as ws:
        code = services.self_eval_list(ws)[0]["indicator"]
        services.self_eval_set(ws, code, evidence="본 파일의 내용")
    wal = fresh_ws_path.with_name(fresh_ws_path.name + "-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(range(256)) * 40)  # WAL magic, then nonsense
    with open_workspace(fresh_ws_path) as ws:
        assert services.check(ws) == []
        assert services.self_eval_list(ws)[0]["evidence"] == "본 파일의 내용"


def test_workspace_path_that_is_a_folder_is_refused(tmp_path, capsys):
    from schoolvault.cli import main
    d = tmp_path / "폴더.sqlite"
    d.mkdir()
    assert main(["--db", str(d), "status"]) == 1
    assert capsys.readouterr().err.startswith("오류: ")


def test_an_emptied_workspace_with_backups_is_damaged_not_a_new_one(fresh_ws_path):
    good = backup.make_backup(fresh_ws_path)
    fresh_ws_path.write_bytes(b"")  # a copy to USB cut off, a sync tool gone wrong
    for create in (False, True):  # the GUI opens with create=True
        with pytest.raises(backup.WorkspaceDamaged) as e:
            open_workspace(fresh_ws_path, create=create)
        assert e.value.backup == good
    assert fresh_ws_path.stat().st_size == 0


def test_an_empty_file_without_backups_becomes_a_new_workspace(tmp_path):
    path = tmp_path / "새파일.sqlite"
    path.write_bytes(b"")
    with open_workspace(path) as ws:
        assert ws.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0
