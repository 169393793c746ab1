"""`demo` in a 2026 (composed) year: composed 평가지표 in every 세부영역, both periods, 학년, coverage, 4단계."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import yaml

from schoolvault import composing, services
from schoolvault.demo import fill_demo
from schoolvault.forms.periods import MIDYEAR, YEAR_END
from schoolvault.masking import has_personal, mask_personal
from schoolvault.workspace import open_workspace, selfeval

SURVEY = "seoul-eval-survey-2026"
SURVEY_FILE = Path(__file__).resolve().parents[2] / "resources" / "instruments" / f"{SURVEY}.yaml"
LEVELS = [(4.0, "매우 우수"), (3.0, "우수"), (2.0, "보통"), (float("-inf"), "미흡")]


@pytest.fixture(scope="module")
def demo26(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo2026") / "demo.sqlite"
    ws = services.init_workspace(path, name="서울예시초등학교", level="초", district="동부", year=2026,
                                 code="B100000001")
    with ws:
        fill_demo(ws, seed=7)
    return path


@pytest.fixture
def ws26(demo26):
    ws = open_workspace(demo26)
    yield ws
    ws.close()


def test_every_subarea_has_two_or_three_composed_indicators(ws26):
    gb = services.year_guidebook(ws26)
    assert gb.composed
    chosen = {e.indicator for e in selfeval.entries(ws26, 2026)}
    for a in gb.areas:
        for s in a.subareas:
            mine = [i.code for i in s.indicators if i.code in chosen]
            assert 2 <= len(mine) <= 3, s.code
            assert all(c.startswith(f"{s.code}-S") for c in mine)


def test_most_indicators_are_rated_with_texts_and_support_and_features_are_written(ws26):
    rows = services.self_eval_list(ws26)
    rated = [r for r in rows if r["rating"]]
    assert len(rated) >= 0.6 * len(rows)
    assert all(r["evidence"] and r["achievements"] and r["improvements"] for r in rated)
    assert all(r["midyear_status"] for r in rows)
    assert 1 <= sum(1 for r in rows if r["support_needed"]) <= 2
    assert 2 <= sum(1 for f in services.self_eval_features(ws26) if f["text"]) <= 3


def test_the_2026_survey_is_answered_by_every_group_in_both_periods(ws26):
    spec = yaml.safe_load(SURVEY_FILE.read_text(encoding="utf-8"))
    mid = services.stats(ws26, SURVEY, period=MIDYEAR)["groups"]
    end = services.stats(ws26, SURVEY, period=YEAR_END)["groups"]
    assert list(end) == list(mid) == spec["groups"]
    for g in spec["groups"]:
        assert 5 <= mid[g]["n"] < end[g]["n"], g
    # 중간 reads a little lower than 학년말 on the whole (pooled over groups and 영역)
    means = {p: sum(b["domains"][d]["mean"] for b in st.values() for d in b["domains"])
             for p, st in ((MIDYEAR, mid), (YEAR_END, end))}
    assert means[MIDYEAR] < means[YEAR_END]
    assert all(b["n"] >= 5 for b in services.stats(ws26, "sodi-example-2025")["groups"].values())


def test_students_and_parents_carry_a_grade_and_some_parents_two(ws26):
    by = services.stats_by(ws26, SURVEY)["groups"]
    assert set(by["학생"]["cells"]) - {"무응답"} == {"3학년", "4학년", "5학년", "6학년"}
    assert set(by["학부모"]["cells"]) - {"무응답"} == {f"{g}학년" for g in range(1, 7)}
    assert by["학부모"]["several"] > 0 and by["학생"]["several"] == 0
    assert not by["교원"]["cells"] and not by["직원"]["cells"]


def test_no_coverage_warnings(ws26):
    assert composing.coverage_of_year(ws26, 2026) == []


def test_every_area_and_group_with_five_or_more_has_a_level_equal_to_pandas(ws26, demo26):
    """Pooled 학년말 영역 figures against plain SQL + pandas: mean of every answer of the group to the 영역's
    items, rounded half up, then the 4단계 of the 2026 guidebook."""
    spec = yaml.safe_load(SURVEY_FILE.read_text(encoding="utf-8"))
    area_of = {i["code"]: d["code"] for d in spec["domains"] for f in d["factors"] for i in f["items"]}
    assert not any(i.get("reverse") for d in spec["domains"] for f in d["factors"] for i in f["items"])
    con = sqlite3.connect(demo26)
    try:
        df = pd.read_sql_query(
            "SELECT a.grp, x.respondent_id AS rid, x.item, x.value FROM answers x "
            "JOIN respondents r ON r.id = x.respondent_id JOIN administrations a ON a.id = r.administration_id "
            "JOIN instruments i ON i.id = a.instrument_ref WHERE i.instrument_id = ? AND a.period = ?",
            con, params=(SURVEY, YEAR_END))
    finally:
        con.close()
    df["area"] = df["item"].map(area_of)
    got = services.stats(ws26, SURVEY)["groups"]
    for (g, area), part in df.groupby(["grp", "area"]):
        fig = got[g]["domains"][area]
        assert fig["n"] >= 5 and fig["n"] == part["rid"].nunique()
        assert fig["answers"] == len(part) and fig["mean"] == pytest.approx(part["value"].mean(), abs=1e-12)
        rounded = float(int(part["value"].sum() * 10 / len(part) + 0.5)) / 10  # half up (values are ints)
        assert fig["rounded"] == pytest.approx(rounded)
        assert fig["level"] == next(label for low, label in LEVELS if rounded >= low - 1e-9)
    assert {(g, a) for g in got for a in got[g]["domains"]} == set(df.groupby(["grp", "area"]).groups)


def test_comments_include_personal_data_that_masking_catches(ws26, demo26):
    con = sqlite3.connect(demo26)
    try:
        texts = [t for (t,) in con.execute("SELECT text FROM comments")]
    finally:
        con.close()
    personal = [t for t in texts if has_personal(t)]
    assert personal
    masked = " ".join(mask_personal(t) for t in personal)
    assert "010-2345-6789" in " ".join(personal) and "010-2345-6789" not in masked
    assert "(전화번호)" in masked


def test_same_seed_same_data_and_a_second_run_replaces_its_own(demo26, tmp_path):
    other = tmp_path / "again.sqlite"
    ws = services.init_workspace(other, name="서울예시초등학교", level="초", district="동부", year=2026,
                                 code="B100000001")
    with ws:
        first = fill_demo(ws, seed=7)
        figures = services.stats(ws, SURVEY), services.stats(ws, SURVEY, period=MIDYEAR)
        again = fill_demo(ws, seed=7)  # the plan is kept; answers are replaced, not added
        assert again == first
        assert (services.stats(ws, SURVEY), services.stats(ws, SURVEY, period=MIDYEAR)) == figures
        plan = [(r["indicator"], r["title"], r["rating"]) for r in services.self_eval_list(ws)]
    with open_workspace(demo26) as ws:
        assert services.stats(ws, SURVEY) == figures[0]
        assert [(r["indicator"], r["title"], r["rating"]) for r in services.self_eval_list(ws)] == plan
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_dashboard_counts_each_period_apart_and_year_end_agrees_with_the_documents(ws26):
    from schoolvault import reads, survey_stats

    by_period = reads.responses_by_period(ws26, 2026)
    assert [p for p, _ in by_period] == ["학년말", "중간"]  # the documents' period first
    for period, by_inst in by_period:
        counts = by_inst["seoul-eval-survey-2026"]
        stats = survey_stats.stats(ws26, "seoul-eval-survey-2026", year=2026, period=period)
        assert counts == {g: v["n"] for g, v in stats["groups"].items()}
    total = reads.dashboard(ws26)["responses"]["seoul-eval-survey-2026"]
    assert all(total[g] == sum(b["seoul-eval-survey-2026"].get(g, 0) for _, b in by_period) for g in total)
