"""The workspace: migrations, pragmas, transactions, frozen instruments, years, 자율지표, audit log."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from schoolvault import catalog, composing, services
from schoolvault.errors import Cancelled, SchoolVaultError, WorkspaceError
from schoolvault.workspace import (
    frozen,
    migrations,
    open_workspace,
    responses,
    selfeval,
)
from schoolvault.workspace import school as school_db
from schoolvault.workspace.responses import ResponseRow

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "resources" / "instruments"
SODI = "sodi-example-2025"
SODI_FILE = INSTRUMENTS / "sodi-example-2025.yaml"


def tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def count(ws, table: str) -> int:
    return ws.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def audit(ws) -> list[tuple[str, dict]]:
    return [(a, json.loads(d)) for a, d in ws.conn.execute("SELECT action, detail FROM audit_log ORDER BY id")]


# ----------------------------------------------------------------------------- migrations and pragmas

def test_new_workspace_is_migrated_from_zero(tmp_path):
    with open_workspace(tmp_path / "new.sqlite", create=True) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION == len(migrations.MIGRATIONS)
        assert not migrations.pending(ws.conn)
        assert {"settings", "school", "instruments", "years", "self_evaluations", "administrations",
                "respondents", "answers", "comments", "audit_log", "custom_indicators"} <= tables(ws.conn)


def test_an_empty_sqlite_file_is_migrated_step_by_step(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.schema_version(conn) == 0
    assert migrations.migrate(conn) == len(migrations.MIGRATIONS)
    assert migrations.migrate(conn) == 0
    assert migrations.schema_version(conn) == migrations.SCHEMA_VERSION
    conn.close()


def test_opening_an_empty_sqlite_file_makes_it_a_workspace(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()
    with open_workspace(path) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION
    with open_workspace(path) as ws:  # and it opens again as one
        assert "school" in tables(ws.conn)


def test_a_failing_migration_leaves_the_previous_schema(tmp_path, monkeypatch):
    def m_broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("boom")

    path = tmp_path / "ws.sqlite"
    open_workspace(path, create=True).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m_broken])
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn)
    assert migrations.schema_version(conn) == len(migrations.MIGRATIONS) - 1
    assert "half_done" not in tables(conn)
    conn.close()


def test_workspace_from_a_newer_app_is_refused_unchanged(fresh_ws_path):
    conn = sqlite3.connect(fresh_ws_path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.close()
    before = fresh_ws_path.read_bytes()
    with pytest.raises(WorkspaceError, match="새로운 버전"):
        open_workspace(fresh_ws_path)
    assert fresh_ws_path.read_bytes() == before


def test_another_apps_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="작업 파일이 아닙니다"):
        open_workspace(path)
    assert path.read_bytes() == before


def test_wal_and_foreign_keys_are_on(fresh_ws):
    assert fresh_ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert fresh_ws.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError), fresh_ws.transaction():
        fresh_ws.conn.execute("INSERT INTO answers (respondent_id, item, value) VALUES (999999, 'X', 1)")
    assert count(fresh_ws, "answers") == 0


def test_deleting_an_administration_cascades_to_respondents_answers_comments(demo_ws):
    adm = responses.administrations(demo_ws)[0]
    with demo_ws.transaction():
        responses.delete_administration(demo_ws, adm.id)
    assert demo_ws.conn.execute("SELECT COUNT(*) FROM respondents WHERE administration_id = ?",
                                (adm.id,)).fetchone()[0] == 0
    assert demo_ws.conn.execute("SELECT COUNT(*) FROM answers a LEFT JOIN respondents r ON r.id = a.respondent_id "
                                "WHERE r.id IS NULL").fetchone()[0] == 0
    assert demo_ws.conn.execute("SELECT COUNT(*) FROM comments c LEFT JOIN respondents r ON r.id = c.respondent_id "
                                "WHERE r.id IS NULL").fetchone()[0] == 0
    assert not demo_ws.integrity_problems()


# ----------------------------------------------------------------------------- transactions

def test_transaction_rollback_leaves_nothing(fresh_ws_path):
    with open_workspace(fresh_ws_path) as ws:
        n_audit = count(ws, "audit_log")
        _, year = services.require_school(ws)
    before = fresh_ws_path.read_bytes()
    with open_workspace(fresh_ws_path) as ws:
        with pytest.raises(RuntimeError), ws.transaction():
            ref = services.freeze_for_use(ws, SODI)
            responses.add_administration(ws, year=year, instrument_ref=ref, group="교원",
                                         rows=[ResponseRow(2, {"S001": 4}, {"S063": "의견"})])
            selfeval.update(ws, year, "1-1-1", rating=3)
            ws.audit("test", x=1)
            raise RuntimeError("power cut")
        assert count(ws, "administrations") == count(ws, "respondents") == count(ws, "answers") == 0
        assert count(ws, "comments") == 0 and count(ws, "audit_log") == n_audit
        assert selfeval.entry(ws, year, "1-1-1").rating is None
        assert not frozen.latest_for(ws, SODI)
        assert not ws.conn.in_transaction
    assert fresh_ws_path.read_bytes() == before


def test_cancel_rolls_back_too(fresh_ws):
    _, year = services.require_school(fresh_ws)
    with pytest.raises(Cancelled), fresh_ws.transaction():
        selfeval.update(fresh_ws, year, "1-1-1", rating=2)
        raise Cancelled()
    assert selfeval.entry(fresh_ws, year, "1-1-1").rating is None


def test_nested_transactions_are_savepoints(fresh_ws):
    _, year = services.require_school(fresh_ws)
    a, b, c, d = [e.indicator for e in selfeval.entries(fresh_ws, year)][:4]
    with fresh_ws.transaction():
        selfeval.update(fresh_ws, year, a, rating=1)
        with pytest.raises(ValueError), fresh_ws.transaction():
            selfeval.update(fresh_ws, year, b, rating=2)
            with fresh_ws.transaction():  # two levels deep, committed into the failing one
                selfeval.update(fresh_ws, year, c, rating=4)
            raise ValueError("inner fails")
        with fresh_ws.transaction():
            selfeval.update(fresh_ws, year, d, rating=3)
    assert not fresh_ws.conn.in_transaction
    rating = lambda code: selfeval.entry(fresh_ws, year, code).rating
    assert (rating(a), rating(b), rating(c), rating(d)) == (1, None, None, 3)


def test_outer_failure_rolls_back_committed_savepoints(fresh_ws):
    _, year = services.require_school(fresh_ws)
    with pytest.raises(KeyError), fresh_ws.transaction():
        with fresh_ws.transaction():
            selfeval.update(fresh_ws, year, "1-1-1", rating=4)
        raise KeyError("outer fails")
    assert selfeval.entry(fresh_ws, year, "1-1-1").rating is None
    # and the connection is usable afterwards
    with fresh_ws.transaction():
        selfeval.update(fresh_ws, year, "1-1-1", rating=2)
    assert selfeval.entry(fresh_ws, year, "1-1-1").rating == 2



def test_sqlite_utils_shares_the_connection_and_its_transactions(fresh_ws):
    row = {"year": 2025, "instrument_id": SODI, "grp": "교원", "count": 30}
    assert fresh_ws.db.conn is fresh_ws.conn
    with pytest.raises(KeyError), fresh_ws.transaction():
        fresh_ws.db["asked"].insert(row)
        assert fresh_ws.conn.in_transaction  # its write did not commit by itself
        raise KeyError("fails")
    assert count(fresh_ws, "asked") == 0
    with fresh_ws.transaction():
        fresh_ws.db["asked"].insert(row)
    assert list(fresh_ws.db["asked"].rows) == [row]
    assert fresh_ws.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0  # the connection left as it is


def _comment_columns(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(migrations.utils_db(conn)["comments"].columns_dict)
    finally:
        conn.close()


def test_a_migration_written_as_the_recipe_says_runs_in_one_transaction(demo_ws_path, monkeypatch):
    """docs/DEVELOPING.md, "Add a migration": add_column and transform inside the migration's transaction."""
    with open_workspace(demo_ws_path) as ws:
        with ws.transaction():
            ws.db["asked"].insert({"year": 2025, "instrument_id": SODI, "grp": "교원", "count": 30})
        comments = ws.conn.execute("SELECT * FROM comments ORDER BY id").fetchall()
    assert comments

    def m_reviewed(conn):
        db = migrations.utils_db(conn)
        db["comments"].add_column("reviewed", int, not_null_default=0)
        db["asked"].transform(rename={"count": "people"})

    def m_broken(conn):
        m_reviewed(conn)
        raise sqlite3.OperationalError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m_broken])
    with pytest.raises(WorkspaceError):
        open_workspace(demo_ws_path)
    assert "reviewed" not in _comment_columns(demo_ws_path)

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:-1], m_reviewed])
    with open_workspace(demo_ws_path) as ws:
        assert migrations.schema_version(ws.conn) == len(migrations.MIGRATIONS)
        assert ws.conn.execute("SELECT * FROM comments ORDER BY id").fetchall() == [(*c, 0) for c in comments]
        assert list(ws.db["asked"].rows_where(select="grp, people")) == [{"grp": "교원", "people": 30}]
        assert ws.db["asked"].pks == ["year", "instrument_id", "grp"]
        assert not ws.integrity_problems()


# ----------------------------------------------------------------------------- frozen instruments

def test_the_same_instrument_text_is_stored_once(fresh_ws):
    with fresh_ws.transaction():
        a = services.freeze_for_use(fresh_ws, SODI)
        b = services.freeze_for_use(fresh_ws, SODI)
    services.import_instrument(fresh_ws, SODI_FILE)  # same text, imported: still one copy
    assert a == b
    rows = fresh_ws.conn.execute("SELECT id, sha256, content FROM instruments WHERE instrument_id = ?",
                                 (SODI,)).fetchall()
    assert len(rows) == 1
    import hashlib
    assert rows[0][1] == hashlib.sha256(SODI_FILE.read_text(encoding="utf-8").encode()).hexdigest()
    assert rows[0][2] == SODI_FILE.read_text(encoding="utf-8")


def _modified_sodi(tmp_path: Path) -> tuple[Path, dict]:
    """This year's 'new version' of the survey: S005 is no longer reversed and S002 reworded."""
    spec = yaml.safe_load(SODI_FILE.read_text(encoding="utf-8"))
    for d in spec["domains"]:
        for f in d["factors"]:
            for i in f["items"]:
                if i["code"] == "S005":
                    i.pop("reverse")
                if i["code"] == "S002":
                    i["text"] = "고친 문항: 학교의 가치와 목표가 잘 안내된다."
    path = tmp_path / "sodi-example-2025.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, spec


def test_old_results_stay_readable_with_the_old_frozen_copy(demo_ws, tmp_path):
    old_stats = services.stats(demo_ws, SODI)
    old_refs = {a.instrument_ref for a in responses.administrations(demo_ws, instrument_id=SODI)}
    path, spec = _modified_sodi(tmp_path)
    services.import_instrument(demo_ws, path)
    # new work uses the new version...
    assert services.show_instrument(demo_ws, SODI) == spec
    assert services.survey(demo_ws, SODI).item("S005").reverse is False
    # ...but the answers already given are read with the version they were given on
    assert services.stats(demo_ws, SODI) == old_stats
    assert {a.instrument_ref for a in responses.administrations(demo_ws, instrument_id=SODI)} == old_refs
    assert demo_ws.conn.execute("SELECT COUNT(*) FROM instruments WHERE instrument_id = ?", (SODI,)).fetchone()[0] == 2


def test_each_group_is_read_with_its_own_version(demo_ws, tmp_path):
    """New answers of one group on the new version must not rescore other groups' old answers."""
    old_stats = services.stats(demo_ws, SODI)
    path, _spec = _modified_sodi(tmp_path)
    services.import_instrument(demo_ws, path)
    _, year = services.require_school(demo_ws)
    with demo_ws.transaction():
        ref = services.freeze_for_use(demo_ws, SODI)
        rows = [ResponseRow(n + 2, {"S005": v, "S004": 3}, {}) for n, v in enumerate([5, 5, 4, 5, 1, 5])]
        responses.add_administration(demo_ws, year=year, instrument_ref=ref, group="교원", rows=rows,
                                     source_name="new.xlsx", method="test")
    new_stats = services.stats(demo_ws, SODI)
    for g in ("직원", "학생", "학부모"):
        assert new_stats["groups"][g] == old_stats["groups"][g], g
    # 교원: the old answers keep their old (reversed) scores, the new ones are scored as given
    old_counts = old_stats["groups"]["교원"]["items"]["S005"]["counts"]
    new_counts = new_stats["groups"]["교원"]["items"]["S005"]["counts"]
    added = {"1": 1, "2": 0, "3": 0, "4": 1, "5": 4}
    assert new_counts == {v: old_counts[v] + added[v] for v in old_counts}
    assert new_stats["groups"]["교원"]["items"]["S004"]["counts"]["3"] == \
        old_stats["groups"]["교원"]["items"]["S004"]["counts"]["3"] + 6


def test_a_changed_shipped_file_keeps_old_results(demo_ws, tmp_path, monkeypatch):
    old_stats = services.stats(demo_ws, SODI)
    old_list = services.self_eval_list(demo_ws)
    shipped = tmp_path / "instruments"
    shipped.mkdir()
    for p in INSTRUMENTS.glob("*.yaml"):
        shutil.copy(p, shipped / p.name)
    _modified_sodi(shipped)
    gb = (shipped / "seoul-guidebook-2025.yaml").read_text(encoding="utf-8")
    (shipped / "seoul-guidebook-2025.yaml").write_text(gb.replace("학교 비전 공유 및 실현", "바뀐 지표 이름"),
                                                        encoding="utf-8")
    monkeypatch.setattr(catalog, "instruments_dir", lambda: shipped)
    assert services.survey(demo_ws, SODI).item("S005").reverse is False  # the new file is what's offered
    assert services.stats(demo_ws, SODI) == old_stats
    assert services.self_eval_list(demo_ws) == old_list


# ----------------------------------------------------------------------------- years

def test_new_year_carries_the_plan_and_keeps_last_years_data(demo_ws):
    _, y0 = services.require_school(demo_ws)
    code = services.add_custom_indicator(demo_ws, subarea="2-2", title="우리 학교 독서 동아리")
    services.self_eval_set(demo_ws, code, rating=3, evidence="동아리 활동 기록")
    services.choose_indicators(demo_ws, ["1-1-1"], chosen=False)
    last = {e.indicator: e for e in selfeval.entries(demo_ws, y0)}
    last_stats = services.stats(demo_ws, SODI)
    n_answers = count(demo_ws, "answers")

    # 2026 has other 세부영역: the plan is carried as the user confirms the proposed placements
    y1 = composing.start_new_year(demo_ws, accept_proposed=True)["year"]
    assert y1 == y0 + 1
    assert school_db.current_year(demo_ws) == y1 and school_db.years(demo_ws) == [y0, y1]
    origin = composing.previous_codes(demo_ws, y1)
    now = {origin[e.indicator]: e for e in selfeval.entries(demo_ws, y1)}
    assert set(now) == set(last) and "1-1-1" not in now and code in now
    assert all(e.rating is None and e.evidence == "" for e in now.values())
    titles = {i.title for i in services.year_guidebook(demo_ws, y1).indicators()}
    assert "우리 학교 독서 동아리" in titles
    # last year is untouched
    assert {e.indicator: e for e in selfeval.entries(demo_ws, y0)} == last
    assert services.stats(demo_ws, SODI, year=y0) == last_stats
    assert count(demo_ws, "answers") == n_answers
    # this year has no answers yet
    assert services.stats(demo_ws, SODI)["groups"] == {}
    with pytest.raises(SchoolVaultError):
        services.new_year(demo_ws, y1)


# ----------------------------------------------------------------------------- 자율지표

def test_add_custom_indicator(fresh_ws):
    gb = services.year_guidebook(fresh_ws)
    code = services.add_custom_indicator(fresh_ws, subarea="3-3", title="마을과 함께하는 생태 텃밭",
                                         criteria=["텃밭 활동이 교육과정과 연계되었는가"],
                                         rubric=["미흡 설명", "보통 설명", "우수 설명", "매우 우수 설명"],
                                         evidence=["활동 사진"])
    assert code == "3-3-S1"
    assert services.add_custom_indicator(fresh_ws, subarea="3-3", title="두 번째") == "3-3-S2"
    gb2 = services.year_guidebook(fresh_ws)
    _, sub, ind = gb2.locate(code)
    assert sub.code == "3-3" and ind.type == "autonomous" and ind.title == "마을과 함께하는 생태 텃밭"
    assert ind.rubric[3] == "매우 우수 설명"
    assert len(list(gb2.indicators())) == len(list(gb.indicators())) + 2
    listed = {r["indicator"]: r for r in services.self_eval_list(fresh_ws)}
    assert code in listed and listed[code]["type"] == "autonomous"
    services.self_eval_set(fresh_ws, code, rating=4)
    assert {r["indicator"]: r for r in services.self_eval_list(fresh_ws)}[code]["rating"] == 4


@pytest.mark.parametrize("kwargs,fragment", [
    ({"subarea": "9-9", "title": "x"}, "세부영역"),
    ({"subarea": "1-1", "title": "  "}, "이름"),
    ({"subarea": "1-1", "title": "x", "rubric": ["하", "상"]}, "루브릭"),
])
def test_bad_custom_indicator_is_refused_without_change(fresh_ws_path, kwargs, fragment):
    before = fresh_ws_path.read_bytes()
    with open_workspace(fresh_ws_path) as ws, pytest.raises(SchoolVaultError, match=fragment):
        services.add_custom_indicator(ws, **kwargs)
    assert fresh_ws_path.read_bytes() == before


# ----------------------------------------------------------------------------- audit log

def test_changes_that_matter_are_audited(fresh_ws, tmp_path):
    assert [a for a, _ in audit(fresh_ws)] == ["init"]
    services.self_eval_set(fresh_ws, "1-1-1", rating=2, evidence="회의록")
    services.choose_indicators(fresh_ws, ["1-1-3"])
    services.add_custom_indicator(fresh_ws, subarea="1-1", title="자율")
    path, _ = _modified_sodi(tmp_path)
    services.import_instrument(fresh_ws, path)
    from schoolvault.demo import fill_demo
    fill_demo(fresh_ws, seed=2)
    services.new_year(fresh_ws)
    log = audit(fresh_ws)
    assert [a for a, _ in log] == ["init", "self_eval", "plan", "custom_indicator", "instrument_import", "demo",
                                   "new_year"]
    d = dict(log)
    assert d["init"]["school"] == "서울시험초등학교" and d["init"]["year"] == 2025
    assert d["self_eval"] == {"indicator": "1-1-1", "fields": ["evidence", "rating"]}
    assert d["plan"]["indicators"] == ["1-1-3"]
    assert d["instrument_import"]["id"] == SODI
    assert d["new_year"] == {"year": 2026, "carried_from": 2025}
    assert all(at for (at,) in fresh_ws.conn.execute("SELECT at FROM audit_log"))


def test_failed_change_leaves_no_audit_entry(fresh_ws):
    n = count(fresh_ws, "audit_log")
    with pytest.raises(SchoolVaultError):
        services.self_eval_set(fresh_ws, "1-1-1", rating=99)
    with pytest.raises(SchoolVaultError):
        services.choose_indicators(fresh_ws, ["1-1-1", "없는 지표"])
    assert count(fresh_ws, "audit_log") == n
    assert selfeval.entry(fresh_ws, 2025, "1-1-1").rating is None


def test_integrity_check_of_a_healthy_workspace_is_empty(demo_ws):
    assert demo_ws.integrity_problems() == []


def test_reimporting_an_earlier_version_makes_it_current_again(fresh_ws, tmp_path):
    text = SODI_FILE.read_text(encoding="utf-8")
    title = yaml.safe_load(text)["title"]
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text.replace(title, "판 A"), encoding="utf-8")
    b.write_text(text.replace(title, "판 B"), encoding="utf-8")
    for path, want in ((a, "판 A"), (b, "판 B"), (a, "판 A"), (SODI_FILE, title)):
        services.import_instrument(fresh_ws, path)
        assert services.survey(fresh_ws, SODI).title == want
        assert {r["id"]: r["title"] for r in services.list_instruments(fresh_ws)}[SODI] == want
    assert fresh_ws.conn.execute("SELECT COUNT(*) FROM instruments WHERE instrument_id = ?", (SODI,)).fetchone()[0] == 3
