"""Survey periods: every import is 중간 or 학년말 (default 학년말), statistics read one period, the two
periods side by side, documents read 학년말 only, and schema 3 keeps earlier workspaces' answers."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from _import_util import AGREE5, assert_refused, run, run_json, write_csv

GB = "seoul-eval-survey-2025"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _items(group: str):
    from schoolvault.catalog import resolve
    return resolve(None, GB).instrument.items_for(group)


def _export(tmp_path, name: str, n: int, seed: int, group: str = "학부모", shift: int = 0):
    """A Google-Forms-like export; `shift` pulls answers up so two periods differ."""
    rng = random.Random(seed)
    items = _items(group)
    head = ["타임스탬프"] + [f"{k}. {i.text}" for k, i in enumerate(items, 1)]
    rows, values = [], []
    for r in range(n):
        vals = {i.code: min(5, rng.randint(1, 5) + shift) for i in items}
        values.append(vals)
        rows.append([f"2025/06/0{1 + r % 9} 오전 9:{r:02d}:00"] + [AGREE5[vals[i.code] - 1] for i in items])
    return write_csv(tmp_path / name, head, rows), pd.DataFrame(values, dtype="float")


def _periods(ws) -> list[tuple[str, str]]:
    return [tuple(r) for r in ws.conn.execute("SELECT source_name, period FROM administrations ORDER BY id")]


def test_an_import_without_a_period_is_year_end(fresh_ws, tmp_path):
    from schoolvault.importing import import_responses
    f, _ = _export(tmp_path, "학년말.csv", 8, 1)
    s = import_responses(fresh_ws, f, GB, "학부모")
    assert s["period"] == "학년말" and s["period_label"] == "학년말평가"
    assert _periods(fresh_ws) == [("학년말.csv", "학년말")]


@pytest.mark.parametrize("given, stored", [("중간", "중간"), ("중간평가", "중간"), ("1학기", "중간"),
                                           (" 중간 평가 ", "중간"), ("학년말", "학년말"), ("학년말평가", "학년말")])
def test_period_names_people_type_are_accepted(fresh_ws_path, tmp_path, capsys, given, stored):
    f, _ = _export(tmp_path, "응답.csv", 6, 2)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", GB, "--group", "학부모",
                 "--period", given)
    assert r["period"] == stored
    conn = sqlite3.connect(fresh_ws_path)
    assert conn.execute("SELECT period FROM administrations").fetchall() == [(stored,)]
    conn.close()


def test_an_unknown_period_is_refused_in_korean_and_nothing_changes(fresh_ws_path, tmp_path, capsys):
    f, _ = _export(tmp_path, "응답.csv", 6, 2)
    before = hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest()
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", GB, "--group", "학부모",
                         "--period", "기말고사")
    assert_refused(code, out, err, "설문 시기 '기말고사'을(를) 알 수 없습니다")
    assert "--period 중간" in err
    assert hashlib.sha256(fresh_ws_path.read_bytes()).hexdigest() == before


def test_the_import_summary_names_the_period(fresh_ws_path, tmp_path, capsys):
    f, _ = _export(tmp_path, "응답.csv", 6, 2)
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", GB, "--group", "학부모",
                         "--period", "중간")
    assert code == 0, err
    assert out.splitlines()[0] == f"가져왔습니다: 응답.csv → {GB} / 학부모 / 중간평가(1학기)"


def _two_periods(ws, tmp_path):
    from schoolvault.importing import import_responses
    f1, mid = _export(tmp_path, "1학기.csv", 14, 3)
    f2, end = _export(tmp_path, "학년말.csv", 19, 4, shift=1)
    import_responses(ws, f1, GB, "학부모", period="중간")
    import_responses(ws, f2, GB, "학부모")
    return mid, end


def _domain_means(df: pd.DataFrame) -> dict[str, float]:
    from schoolvault.catalog import resolve
    s = resolve(None, GB).instrument
    out = {}
    for d in s.domains:
        codes = [i.code for f in d.factors for i in f.items_for("학부모")]
        if codes:
            out[d.code] = df[codes].stack().mean()  # pooled over answers (가이드북 p.51)
    return out


def test_stats_read_only_the_periods_answers(fresh_ws, tmp_path):
    from schoolvault import services
    mid, end = _two_periods(fresh_ws, tmp_path)
    for period, df in (("중간", mid), ("학년말", end)):
        st = services.stats(fresh_ws, GB, period=period)
        assert st["period"] == period and "note" not in st
        g = st["groups"]["학부모"]
        assert g["n"] == len(df)
        for code, col in df.items():
            assert g["items"][code]["mean"] == pytest.approx(col.mean(), abs=1e-9)
        for code, mean in _domain_means(df).items():
            assert g["domains"][code]["mean"] == pytest.approx(mean, abs=1e-9)
    assert services.stats(fresh_ws, GB)["groups"]["학부모"]["n"] == len(end)  # default: 학년말


def test_only_midyear_answers_are_said_so_not_shown_as_nothing(fresh_ws_path, tmp_path, capsys):
    f, _ = _export(tmp_path, "1학기.csv", 7, 5)
    db = ["--db", fresh_ws_path]
    assert run(capsys, *db, "import-responses", f, "--instrument", GB, "--group", "학부모", "--period", "중간")[0] == 0
    r = run_json(capsys, *db, "stats", "--instrument", GB)
    assert r["groups"] == {} and r["period"] == "학년말"
    assert "중간평가(1학기) 응답만 있고 학년말평가 응답은 아직 없습니다" in r["note"]
    code, out, _ = run(capsys, *db, "stats", "--instrument", GB)
    assert code == 0 and "--period 중간" in out
    assert run_json(capsys, *db, "stats", "--instrument", GB, "--period", "중간")["groups"]["학부모"]["n"] == 7


def test_compare_periods_gives_both_figures_and_the_change(fresh_ws, tmp_path):
    from schoolvault import services
    mid, end = _two_periods(fresh_ws, tmp_path)
    r = services.compare_periods(fresh_ws, GB)
    g = r["groups"]["학부모"]
    assert r["periods"] == ["중간", "학년말"] and g["n"] == {"중간": len(mid), "학년말": len(end)}
    m, e = _domain_means(mid), _domain_means(end)
    assert set(g["domains"]) == set(m)
    for code, row in g["domains"].items():
        assert row["중간"]["mean"] == pytest.approx(m[code], abs=1e-9)
        assert row["학년말"]["mean"] == pytest.approx(e[code], abs=1e-9)
        assert row["change"] == pytest.approx(e[code] - m[code], abs=1e-9)
        assert row["학년말"]["level"] in ("매우 우수", "우수", "보통", "미흡")
    assert g["factors"]


def test_compare_periods_cli_json_and_text(fresh_ws_path, tmp_path, capsys):
    from schoolvault.workspace import open_workspace
    with open_workspace(fresh_ws_path) as ws:
        _two_periods(ws, tmp_path)
    db = ["--db", fresh_ws_path]
    r = run_json(capsys, *db, "stats", "--instrument", GB, "--compare-periods")
    assert set(r["groups"]["학부모"]["domains"]["A1"]) == {"title", "중간", "학년말", "change"}
    code, out, err = run(capsys, *db, "stats", "--instrument", GB, "--compare-periods")
    assert code == 0 and "중간평가(1학기)와 학년말평가 비교" in out
    code, out, err = run(capsys, *db, "stats", "--instrument", GB, "--compare-periods", "--period", "중간")
    assert_refused(code, out, err, "--compare-periods는 --period, --by와 함께 쓸 수 없습니다")


def test_documents_read_year_end_answers_only(fresh_ws, tmp_path):
    from schoolvault.importing import import_responses
    from schoolvault.reports import data
    f1, _ = _export(tmp_path, "1학기.csv", 9, 6)
    import_responses(fresh_ws, f1, GB, "학부모", period="중간")
    assert data.surveys_of_year(fresh_ws, 2025) == []  # a 중간 survey alone puts nothing in a document
    f2, end = _export(tmp_path, "학년말.csv", 11, 7)
    import_responses(fresh_ws, f2, GB, "학부모")
    [sr] = data.surveys_of_year(fresh_ws, 2025)
    assert sr.counts == {"학부모": len(end)}
    for code, col in end.items():
        assert sr.stats["groups"]["학부모"]["items"][code]["mean"] == pytest.approx(col.mean(), abs=1e-9)


def test_the_methodology_note_says_year_end_only():
    from schoolvault.reports import narrative
    text = " ".join(narrative.render("methodology.j2", rating_labels=["미흡", "보통", "우수", "매우 우수"], points=5,
                                     top_labels=["그렇다", "매우 그렇다"], min_n=5))
    assert "학년말 설문의 응답만으로 계산" in text and "중간평가" in text


def test_paper_forms_take_a_period_and_grades(fresh_ws):
    from schoolvault import services
    from schoolvault.errors import SchoolVaultError
    from schoolvault.importing.paper import save_paper_rows
    code = _items("학부모")[0].code
    rows = [{code: v} for v in (5, 4, 3, 4, 5, 2)]
    adm = save_paper_rows(fresh_ws, GB, "학부모", rows, period="1학기", grades=["1", "2학년", [1, 3], "", None, "중3"])
    assert fresh_ws.conn.execute("SELECT period FROM administrations WHERE id = ?", (adm,)).fetchone() == ("중간",)
    cells = services.stats_by(fresh_ws, GB, period="중간")["groups"]["학부모"]["cells"]
    assert {c: st["n"] for c, st in cells.items()} == {"1학년": 2, "2학년": 1, "3학년": 2, "무응답": 2}
    with pytest.raises(SchoolVaultError) as e:
        save_paper_rows(fresh_ws, GB, "학부모", rows, period="여름")
    assert "설문 시기" in e.value.message
    with pytest.raises(SchoolVaultError) as e:
        save_paper_rows(fresh_ws, GB, "학부모", rows[:1], grades=["모름"])
    assert "학년으로 읽을 수 없습니다" in e.value.message


def test_imports_are_listed_with_their_period(fresh_ws, tmp_path):
    from schoolvault import results
    _two_periods(fresh_ws, tmp_path)
    survey = next(s for s in results.surveys_overview(fresh_ws) if s["id"] == GB)
    assert [(i["source"], i["period"]) for i in survey["imports"]] == [("1학기.csv", "중간"), ("학년말.csv", "학년말")]


# ---------------------------------------------------------------- schema 3 upgrade

@pytest.mark.parametrize("version", [1, 2])
def test_earlier_workspaces_upgrade_to_schema_3_keeping_answers_and_results(tmp_path, version):
    from schoolvault import services
    from schoolvault.workspace import migrations, open_workspace
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / f"schema_v{version}.sqlite", path)
    raw = sqlite3.connect(path)
    answers = pd.read_sql_query("SELECT r.id AS respondent, a.item, a.value FROM answers a JOIN respondents r "
                                "ON r.id = a.respondent_id", raw)
    n_adm = raw.execute("SELECT COUNT(*) FROM administrations").fetchone()[0]
    raw.close()
    with open_workspace(path) as ws:
        assert migrations.schema_version(ws.conn) == migrations.SCHEMA_VERSION >= 3
        assert ws.conn.execute("SELECT period, COUNT(*) FROM administrations GROUP BY period").fetchall() == [
            ("학년말", n_adm)]
        after = pd.read_sql_query("SELECT r.id AS respondent, a.item, a.value FROM answers a JOIN respondents r "
                                  "ON r.id = a.respondent_id", ws.conn)
        pd.testing.assert_frame_equal(answers.sort_values(["respondent", "item"]).reset_index(drop=True),
                                      after.sort_values(["respondent", "item"]).reset_index(drop=True))
        st = services.stats(ws, "sodi-example-2025", "교원")["groups"]["교원"]
        survey = services.survey(ws, "sodi-example-2025")
        wide = answers.pivot(index="respondent", columns="item", values="value")
        assert st["n"] == len(wide)
        for item in survey.items_for("교원"):
            col = wide[item.code].dropna() if item.code in wide else pd.Series(dtype=float)
            col = (survey.scale.points + 1 - col) if item.reverse else col
            assert st["items"][item.code]["mean"] == pytest.approx(col.mean(), abs=1e-9)
        assert ws.conn.execute("SELECT COUNT(*) FROM respondent_attributes").fetchone()[0] == 0
