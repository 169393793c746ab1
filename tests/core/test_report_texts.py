"""The 학교평가서 texts the school writes: 교육청 지원이 필요한 부분 per indicator, 특색사례 per 세부영역 (schema 4)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("version", [1, 2, 3])
def test_earlier_workspaces_upgrade_to_schema_4_with_empty_texts(tmp_path, version):
    from schoolvault import services
    from schoolvault.workspace import migrations, open_workspace
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / f"schema_v{version}.sqlite", path)
    raw = sqlite3.connect(path)
    before = raw.execute("SELECT indicator, rating, evidence, achievements FROM self_evaluations "
                         "ORDER BY indicator").fetchall()
    raw.close()
    with open_workspace(path) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION >= 4
        assert ws.conn.execute("SELECT indicator, rating, evidence, achievements FROM self_evaluations "
                               "ORDER BY indicator").fetchall() == before
        listed = services.self_eval_list(ws)
        assert listed and all(x["support_needed"] == "" for x in listed)
        assert all(f["text"] == "" for f in services.self_eval_features(ws))


def test_schema_4_fixture_opens_with_its_texts(tmp_path):
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    path = tmp_path / "v4.sqlite"
    shutil.copy(FIXTURES / "schema_v4.sqlite", path)
    with open_workspace(path) as ws:
        supports = [x["support_needed"] for x in services.self_eval_list(ws) if x["support_needed"]]
        assert supports == ["학생 참여형 수업 설계에 대한 수업 컨설팅을 요청합니다."]
        features = {f["subarea"]: f["text"] for f in services.self_eval_features(ws) if f["text"]}
        assert set(features) == {"1-1", "3-2"} and features["3-2"].startswith("마을 생태 프로젝트")


def test_cli_sets_support_needed_and_feature(fresh_ws_path, capsys):
    from schoolvault.cli import main
    db = str(fresh_ws_path)
    assert main(["--db", db, "self-eval", "set", "1-1-2", "--support-needed", "수업 컨설팅 요청"]) == 0
    assert main(["--db", db, "self-eval", "feature", "Ⅲ-2. 인문·과학·예체능 교육", "--text", "생태 프로젝트"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "--json", "self-eval", "feature"]) == 0
    import json
    out = json.loads(capsys.readouterr().out)
    assert {f["subarea"]: f["text"] for f in out["features"]}["3-2"] == "생태 프로젝트"
    assert main(["--db", db, "self-eval", "feature", "9-9", "--text", "x"]) == 1
    assert "세부영역 '9-9'이(가) 2025학년도에 없습니다." in capsys.readouterr().err
    assert main(["--db", db, "--json", "self-eval", "list"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert next(r for r in rows if r["indicator"] == "1-1-2")["support_needed"] == "수업 컨설팅 요청"
