"""Backups: made on open (throttled), before upgrades, on demand; rotated; restored with a safety copy."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import timedelta

import pytest
from safety_helpers import corrupt, digest, table_rows

from schoolvault import services
from schoolvault.errors import WorkspaceError
from schoolvault.workspace import backup, open_workspace, restore


def rate(path, evidence: str) -> None:
    with open_workspace(path) as ws:
        code = services.self_eval_list(ws)[0]["indicator"]
        services.self_eval_set(ws, code, rating=2, evidence=evidence)


def evidence_of(path) -> str:
    with open_workspace(path, readonly=True) as ws:
        return services.self_eval_list(ws)[0]["evidence"]


def test_first_open_makes_a_backup_and_later_opens_the_same_day_do_not(fresh_ws_path):
    for _ in range(3):
        open_workspace(fresh_ws_path).close()
    made = backup.list_backups(fresh_ws_path)
    assert [b.reason for b in made] == ["open"]
    assert made[0].path.parent == fresh_ws_path.parent / "backups"


def test_creating_a_workspace_makes_no_backup_of_the_empty_file(tmp_path):
    services.init_workspace(tmp_path / "new.sqlite", name="새학교", level="중", district="서부", year=2025).close()
    assert backup.list_backups(tmp_path / "new.sqlite") == []


def test_readonly_open_makes_no_backup(fresh_ws_path):
    open_workspace(fresh_ws_path, readonly=True).close()
    assert backup.list_backups(fresh_ws_path) == []


def test_rotation_keeps_the_newest_automatic_backups_and_every_manual_one(fresh_ws_path, monkeypatch):
    monkeypatch.setattr(backup, "AUTO_INTERVAL", timedelta(0))
    monkeypatch.setattr(backup, "KEEP", 3)
    manual = backup.make_backup(fresh_ws_path)
    for n in range(6):
        rate(fresh_ws_path, f"기록 {n}")
    kept = backup.list_backups(fresh_ws_path)
    assert sum(b.reason == "open" for b in kept) == 3
    assert manual in [b.path for b in kept]
    newest_open = next(b for b in kept if b.reason == "open")
    # the newest automatic backup holds the state before the last open's change
    with open_workspace(newest_open.path, readonly=True) as ws:
        assert services.self_eval_list(ws)[0]["evidence"] == "기록 4"


def test_backup_is_one_self_contained_file_with_the_committed_data(demo_ws_path, tmp_path):
    out = backup.make_backup(demo_ws_path, tmp_path / "copy.sqlite")
    assert backup.check_file(out) == []
    assert not out.with_name(out.name + "-wal").exists()
    assert sqlite3.connect(out).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    for table in ("answers", "self_evaluations", "comments", "instruments", "audit_log"):
        assert table_rows(out, table) == table_rows(demo_ws_path, table)


def test_backup_while_a_write_is_in_progress_holds_only_committed_data(fresh_ws_path, tmp_path):
    rate(fresh_ws_path, "커밋된 내용")
    ws = open_workspace(fresh_ws_path)
    try:
        ws.conn.execute("BEGIN IMMEDIATE")
        ws.conn.execute("UPDATE self_evaluations SET evidence = '커밋 안 된 내용'")
        out = backup.make_backup(fresh_ws_path, tmp_path / "mid.sqlite")
        ws.conn.execute("ROLLBACK")
    finally:
        ws.close()
    assert evidence_of(out) == "커밋된 내용"


def test_backup_refuses_to_overwrite_an_existing_file(fresh_ws_path, tmp_path):
    out = tmp_path / "있음.sqlite"
    out.write_bytes(b"precious")
    with pytest.raises(WorkspaceError, match="덮어쓰지 않았습니다"):
        backup.make_backup(fresh_ws_path, out)
    assert out.read_bytes() == b"precious"


def test_a_damaged_workspace_is_never_backed_up_over_good_backups(fresh_ws_path, monkeypatch):
    monkeypatch.setattr(backup, "KEEP", 2)
    good = [backup.make_backup(fresh_ws_path, reason="open") for _ in range(2)]
    corrupt(fresh_ws_path)
    with pytest.raises(WorkspaceError):
        backup.make_backup(fresh_ws_path, reason="open")
    assert [b.path for b in backup.list_backups(fresh_ws_path)] == good[::-1]
    assert not list((fresh_ws_path.parent / "backups").glob("*.partial"))


def test_damaged_workspace_on_open_is_refused_and_the_latest_good_backup_offered(fresh_ws_path):
    rate(fresh_ws_path, "손상 전")
    good = backup.make_backup(fresh_ws_path)
    corrupt(fresh_ws_path)
    before = digest(fresh_ws_path)
    with pytest.raises(backup.WorkspaceDamaged) as e:
        open_workspace(fresh_ws_path)
    assert "손상" in e.value.message
    assert str(good) in e.value.hint and "restore" in e.value.hint
    assert e.value.backup == good
    assert digest(fresh_ws_path) == before


def test_restoring_over_a_damaged_workspace_keeps_it_aside_but_never_offers_it(fresh_ws_path):
    good = backup.make_backup(fresh_ws_path)
    corrupt(fresh_ws_path)
    damaged_bytes = fresh_ws_path.read_bytes()
    result = restore.restore_backup(fresh_ws_path, good)
    assert ".damaged." in result["safety_copy"]
    newest = backup.list_backups(fresh_ws_path)[0]
    assert newest.reason == "damaged" and newest.path.read_bytes() == damaged_bytes
    assert backup.latest_good_backup(fresh_ws_path).path == good
    assert backup.check_file(fresh_ws_path) == []


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(fresh_ws_path):
    rate(fresh_ws_path, "지난주 내용")
    last_week = backup.make_backup(fresh_ws_path)
    rate(fresh_ws_path, "오늘 잘못 고친 내용")
    result = restore.restore_backup(fresh_ws_path, last_week)
    assert evidence_of(fresh_ws_path) == "지난주 내용"
    assert evidence_of(result["safety_copy"]) == "오늘 잘못 고친 내용"
    with open_workspace(fresh_ws_path) as ws:
        assert services.check(ws) == []
        last = ws.conn.execute("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert last[0] == "restore" and json.loads(last[1])["backup"] == last_week.name


def test_restore_discards_a_leftover_wal_of_the_replaced_file(fresh_ws_path):
    old = backup.make_backup(fresh_ws_path)
    # a crashed writer leaves committed pages in the WAL, not yet in the main file
    conn = sqlite3.connect(fresh_ws_path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE self_evaluations SET evidence = 'WAL에만 있는 내용'")
    wal = fresh_ws_path.with_name(fresh_ws_path.name + "-wal")
    assert wal.stat().st_size > 0
    shutil.copy(fresh_ws_path, fresh_ws_path.with_name("main-only"))
    shutil.copy(wal, fresh_ws_path.with_name("wal-only"))
    conn.close()  # (closing checkpoints; put the crashed state back)
    shutil.copy(fresh_ws_path.with_name("main-only"), fresh_ws_path)
    shutil.copy(fresh_ws_path.with_name("wal-only"), wal)
    result = restore.restore_backup(fresh_ws_path, old)
    assert evidence_of(fresh_ws_path) == ""
    assert evidence_of(result["safety_copy"]) == "WAL에만 있는 내용"  # the safety copy includes the WAL


@pytest.mark.parametrize("bad", ["not sqlite", "damaged", "newer", "foreign sqlite"])
def test_restore_refuses_an_unusable_backup_and_changes_nothing(bad, fresh_ws_path, tmp_path):
    from schoolvault.workspace import migrations
    candidate = tmp_path / "후보.sqlite"
    if bad == "not sqlite":
        candidate.write_bytes(b"PK\x03\x04 not a database")
    else:
        shutil.copy(fresh_ws_path, candidate)
        if bad == "damaged":
            corrupt(candidate)
        elif bad == "newer":
            sqlite3.connect(candidate).execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
        else:
            sqlite3.connect(candidate).execute("PRAGMA application_id = 0")
    before = digest(fresh_ws_path)
    with pytest.raises(WorkspaceError, match="복원할 수 없습니다"):
        restore.restore_backup(fresh_ws_path, candidate)
    assert digest(fresh_ws_path) == before
    assert [b for b in backup.list_backups(fresh_ws_path) if b.reason in ("restore", "damaged")] == []


def test_restore_is_refused_while_the_workspace_is_open_here(fresh_ws_path):
    old = backup.make_backup(fresh_ws_path)
    with open_workspace(fresh_ws_path), pytest.raises(WorkspaceError, match="열려 있어"):
        restore.restore_backup(fresh_ws_path, old)


def test_restore_of_an_older_schema_backup_upgrades_it(fresh_ws_path):
    from pathlib import Path

    from schoolvault.workspace import migrations
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1.sqlite"
    fixture_hash = digest(fixture)
    result = restore.restore_backup(fresh_ws_path, fixture)
    assert result["safety_copy"]
    with open_workspace(fresh_ws_path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert services.check(ws) == []
    assert digest(fixture) == fixture_hash  # the backup is read, never written


def test_cli_backup_list_and_restore(fresh_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    db = ["--db", str(fresh_ws_path)]
    rate(fresh_ws_path, "원래 내용")
    assert main([*db, "backup", str(tmp_path / "손수.sqlite")]) == 0
    assert "백업했습니다" in capsys.readouterr().out
    assert main([*db, "--json", "backups"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {b["reason"] for b in listed} == {"open"}  # the out-of-folder backup is the user's own file
    rate(fresh_ws_path, "바뀐 내용")
    assert main([*db, "restore", str(tmp_path / "손수.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "복원했습니다" in out and "남겨 두었습니다" in out
    assert evidence_of(fresh_ws_path) == "원래 내용"
    assert main([*db, "restore", str(tmp_path / "없음.sqlite")]) == 1
    assert capsys.readouterr().err.startswith("오류: 백업 파일이 없습니다.")


def test_restore_when_the_workspace_file_is_gone(fresh_ws_path, tmp_path):
    rate(fresh_ws_path, "사라지기 전")
    kept = backup.make_backup(fresh_ws_path, tmp_path / "usb" / "학교.sqlite")
    target = tmp_path / "새컴퓨터" / "작업" / "school.sqlite"
    result = restore.restore_backup(target, kept)
    assert result["safety_copy"] is None
    assert evidence_of(target) == "사라지기 전"


def test_restore_is_refused_while_another_instance_has_the_workspace(fresh_ws_path):
    import subprocess
    import sys
    old = backup.make_backup(fresh_ws_path)
    script = ("import sys, time\nfrom schoolvault.workspace import open_workspace\n"
              "ws = open_workspace(sys.argv[1]); print('open', flush=True); time.sleep(60)")
    hold = subprocess.Popen([sys.executable, "-c", script,
                             str(fresh_ws_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert hold.stdout.readline().strip() == "open"
        before = digest(fresh_ws_path)
        with pytest.raises(WorkspaceError, match="사용하고 있습니다"):
            restore.restore_backup(fresh_ws_path, old)
        assert digest(fresh_ws_path) == before
    finally:
        hold.kill()
        hold.wait(10)


def test_backups_go_to_the_user_data_folder_when_the_workspace_folder_is_read_only(fresh_ws_path, tmp_path,
                                                                                    monkeypatch):
    import os

    import platformdirs
    beside = fresh_ws_path.parent / "backups"
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(beside) else real_access(p, mode))
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "userdata"))
    made = backup.make_backup(fresh_ws_path)
    assert (tmp_path / "userdata") in made.parents
    assert [b.path for b in backup.list_backups(fresh_ws_path)] == [made]
    assert backup.latest_good_backup(fresh_ws_path).path == made


def test_a_clock_set_backwards_neither_stops_nor_deletes_the_newest_backup(fresh_ws_path, monkeypatch):
    from datetime import datetime as real_datetime
    monkeypatch.setattr(backup, "KEEP", 2)
    folder = backup.backup_dir(fresh_ws_path)
    for stamp in ("20990101-000000", "20990102-000000"):  # made while the clock said 2099
        backup.make_backup(fresh_ws_path, folder / f"{fresh_ws_path.stem}.{stamp}.open.sqlite")
    rate(fresh_ws_path, "시계를 고친 뒤")  # opens: today < 2099, the throttle must not trust those dates
    kept = backup.list_backups(fresh_ws_path)
    assert len([b for b in kept if b.reason == "open"]) == 2
    today = [b for b in kept if b.created.year == real_datetime.now().year]
    assert len(today) == 1  # the backup made now survived rotation although it sorts as the oldest
