"""응답률: people asked per group (m007 `asked`), `set_asked` and `response_rates` (issue 15, item 6)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from schoolvault import services
from schoolvault.errors import SchoolVaultError
from schoolvault.workspace import migrations, open_workspace

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _survey_id(ws) -> str:
    return ws.conn.execute("SELECT i.instrument_id FROM administrations a JOIN instruments i "
                           "ON i.id = a.instrument_ref ORDER BY a.id LIMIT 1").fetchone()[0]


def _respondents_by_pandas(ws, instrument_id: str, period: str = "학년말") -> dict[str, int]:
    """People with at least one stored answer, per group, counted from the raw tables with pandas."""
    df = pd.read_sql_query(
        "SELECT a.grp, r.id AS rid, ans.value FROM administrations a JOIN instruments i ON i.id = a.instrument_ref "
        "JOIN respondents r ON r.administration_id = a.id LEFT JOIN answers ans ON ans.respondent_id = r.id "
        "WHERE i.instrument_id = ? AND a.period = ?", ws.conn, params=(instrument_id, period))
    return df.dropna(subset=["value"]).groupby("grp")["rid"].nunique().to_dict()


def _audit(ws, action: str) -> list[dict]:
    return [json.loads(d) for (d,) in ws.conn.execute("SELECT detail FROM audit_log WHERE action = ? ORDER BY id",
                                                       (action,))]


def test_rates_are_respondents_over_asked_per_group(demo_ws):
    sid = _survey_id(demo_ws)
    truth = _respondents_by_pandas(demo_ws, sid)
    groups = sorted(truth)
    asked = {g: truth[g] + 7 * (k + 1) for k, g in enumerate(groups)}
    for g, n in asked.items():
        services.set_asked(demo_ws, sid, g, n)
    out = services.response_rates(demo_ws, sid)
    rows = {r["group"]: r for r in out["groups"]}
    for g in groups:
        assert rows[g]["respondents"] == truth[g] == services.stats(demo_ws, sid)["groups"][g]["n"]
        assert rows[g]["asked"] == asked[g]
        assert rows[g]["rate"] == pytest.approx(truth[g] / asked[g] * 100)
        assert rows[g]["warning"] is None
    assert [a["group"] for a in _audit(demo_ws, "asked")] == groups


def test_rate_is_none_when_asked_unknown_and_flagged_when_over_100(demo_ws):
    sid = _survey_id(demo_ws)
    truth = _respondents_by_pandas(demo_ws, sid)
    g, other = sorted(truth)[:2]
    services.set_asked(demo_ws, sid, g, truth[g] - 1)
    rows = {r["group"]: r for r in services.response_rates(demo_ws, sid)["groups"]}
    assert rows[g]["rate"] == pytest.approx(truth[g] / (truth[g] - 1) * 100) and rows[g]["rate"] > 100
    assert rows[g]["warning"] == "응답자가 대상자보다 많습니다"
    assert rows[other]["asked"] is None and rows[other]["rate"] is None and rows[other]["warning"] is None
    services.set_asked(demo_ws, sid, g, 0)  # 0 forgets the count
    rows = {r["group"]: r for r in services.response_rates(demo_ws, sid)["groups"]}
    assert rows[g]["asked"] is None and rows[g]["rate"] is None


def test_group_aliases_are_stored_under_the_canonical_group(demo_ws):
    sid = _survey_id(demo_ws)
    g = sorted(_respondents_by_pandas(demo_ws, sid))[0]
    row = services.set_asked(demo_ws, sid, f" {g} ", 40)
    assert row["group"] == g and row["asked"] == 40
    assert demo_ws.conn.execute("SELECT grp, count FROM asked").fetchall() == [(g, 40)]


@pytest.mark.parametrize("group, count, message", [
    ("교원", -1, "0보다 작을 수 없습니다"),
    ("교원", 10_001, "너무 많습니다"),
    ("교원", "40", "숫자가 아닙니다"),
    ("외계인", 40, "응답 집단 '외계인'은(는) 이 설문에 없습니다"),
])
def test_bad_input_is_refused_in_korean_and_changes_nothing(demo_ws_path, group, count, message):
    with open_workspace(demo_ws_path) as ws:
        sid = _survey_id(ws)
        services.set_asked(ws, sid, "교원", 30)
    before = hashlib.sha256(demo_ws_path.read_bytes()).hexdigest()
    with open_workspace(demo_ws_path) as ws:
        with pytest.raises(SchoolVaultError) as e:
            services.set_asked(ws, sid, group, count)
        assert message in e.value.message and e.value.hint
        assert ws.conn.execute("SELECT grp, count FROM asked").fetchall() == [("교원", 30)]
        assert len(_audit(ws, "asked")) == 1
    assert hashlib.sha256(demo_ws_path.read_bytes()).hexdigest() == before


def test_the_count_belongs_to_the_year(demo_ws):
    sid = _survey_id(demo_ws)
    services.set_asked(demo_ws, sid, "교원", 30)
    year = services.require_school(demo_ws)[1]
    assert demo_ws.conn.execute("SELECT year FROM asked").fetchall() == [(year,)]
    other = services.response_rates(demo_ws, sid, year=year - 1)
    assert all(r["asked"] is None for r in other["groups"])


def test_schema_6_upgrades_to_an_empty_asked_table_that_takes_counts(tmp_path):
    path = tmp_path / "v6.sqlite"
    shutil.copy(FIXTURES / "schema_v6.sqlite", path)
    with open_workspace(path) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION >= 7
        assert ws.conn.execute("SELECT COUNT(*) FROM asked").fetchone()[0] == 0
        assert all(r["rate"] is None for r in services.response_rates(ws, "sodi-example-2025")["groups"])
        services.set_asked(ws, "sodi-example-2025", "교원", 18)
        rows = {r["group"]: r for r in services.response_rates(ws, "sodi-example-2025")["groups"]}
        assert rows["교원"]["rate"] == pytest.approx(9 / 18 * 100)


def test_schema_7_fixture_keeps_its_counts_and_rates(tmp_path):
    path = tmp_path / "v7.sqlite"
    shutil.copy(FIXTURES / "schema_v7.sqlite", path)
    raw = dict(sqlite3.connect(path).execute("SELECT grp, count FROM asked").fetchall())
    assert raw == {"교원": 12, "학부모": 30}
    with open_workspace(path) as ws:
        truth = _respondents_by_pandas(ws, "sodi-example-2025")
        rows = {r["group"]: r for r in services.response_rates(ws, "sodi-example-2025")["groups"]}
        for g, n in raw.items():
            assert rows[g]["rate"] == pytest.approx(truth[g] / n * 100)
        mid = {r["group"]: r for r in services.response_rates(ws, "sodi-example-2025", period="중간")["groups"]}
        assert mid["교원"]["respondents"] == _respondents_by_pandas(ws, "sodi-example-2025", "중간")["교원"]
        assert mid["교원"]["asked"] == 12
