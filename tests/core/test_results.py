"""results.py and guide.py: arrangement of the stats for the GUI, checked against pandas; next-step rules."""

from __future__ import annotations

import pandas as pd
import pytest

from schoolvault import guide, results, services
from schoolvault.importing.comments import is_meaningless
from schoolvault.workspace import responses


def _item_frame(ws, instrument: str, group: str) -> pd.DataFrame:
    """Scored answers of one group, long, computed here without stats.py."""
    survey = services.survey(ws, instrument)
    k = survey.scale.points
    rev = {i.code: i.reverse for i in survey.items()}
    ids = [a.id for a in responses.administrations(ws, 2025, instrument, group)]
    rows = []
    for rid, answers in enumerate(responses.answers_by_respondent(ws, ids)):
        for code, v in answers.items():
            rows.append({"r": rid, "item": code, "v": k + 1 - v if rev[code] else v})
    df = pd.DataFrame(rows)
    df["pos"] = df["v"] > k - 2
    return df


def test_item_rows_match_pandas_means_and_positive_rates(demo_ws):
    data = results.survey_results(demo_ws, "sodi-example-2025")
    df = _item_frame(demo_ws, "sodi-example-2025", "교원")
    agg = df.groupby("item").agg(mean=("v", "mean"), pos=("pos", "mean"), n=("v", "size"))
    rows = data["by_group"]["교원"]["items"]
    assert len(rows) == len(agg)
    for r in rows:
        assert r["n"] == agg.loc[r["code"], "n"]
        assert r["mean"] == pytest.approx(agg.loc[r["code"], "mean"], abs=1e-9)
        assert r["positive_rate"] == pytest.approx(agg.loc[r["code"], "pos"], abs=1e-9)


def test_top_and_bottom_are_the_extremes_of_positive_rate_and_never_overlap(demo_ws):
    g = results.survey_results(demo_ws, "seoul-eval-survey-2025")["by_group"]["학부모"]
    rates = sorted((r["positive_rate"] for r in g["items"]), reverse=True)
    assert [r["positive_rate"] for r in g["top"]] == rates[:results.TOP_N]
    assert [r["positive_rate"] for r in g["bottom"]] == sorted(rates)[:results.TOP_N]
    assert not {r["code"] for r in g["top"]} & {r["code"] for r in g["bottom"]}


def test_top_bottom_split_a_short_list_without_sharing_items():
    items = [{"code": c, "n": 5, "positive_rate": p, "mean": p * 4 + 1} for c, p in
             [("a", .9), ("b", .5), ("c", .1)]]
    top, bottom = results.top_bottom(items)
    assert [r["code"] for r in top] == ["a"]
    assert [r["code"] for r in bottom] == ["c"]


def test_group_comparison_holds_every_group_with_answers(demo_ws):
    data = results.survey_results(demo_ws, "sodi-example-2025")
    st = services.stats(demo_ws, "sodi-example-2025")
    assert data["groups"] == ["교원", "직원", "학생", "학부모"]
    d0 = data["comparison"]["domains"][0]
    for g in data["groups"]:
        assert d0["scores"][g] == st["groups"][g]["domains"][d0["code"]]["score100"]


def test_comments_leave_out_empty_answers(demo_ws):
    comments = results.survey_results(demo_ws, "sodi-example-2025")["comments"]
    assert comments
    texts = {c["text"] for c in comments}
    assert not texts & {"없음", "없습니다", ".", "특별히 없어요"}
    assert not any(is_meaningless(t) for t in texts)


def test_indicator_results_hold_only_items_linked_to_that_indicator(demo_ws):
    data = results.indicator_results(demo_ws, "1-1-3")
    survey = services.survey(demo_ws, "seoul-eval-survey-2025")
    expected = {i.code for i in survey.items() if i.indicator == "1-1-3"}
    got = {i["code"] for e in data for i in e["items"]}
    assert got == expected and expected


def test_whole_survey_link_is_shown_by_domain(demo_ws):
    data = {e["instrument"]: e for e in results.indicator_results(demo_ws, "1-1-1")}
    sodi = data["sodi-example-2025"]
    assert sodi["items"] == []
    assert [d["code"] for d in sodi["domains"]] == [d.code for d in services.survey(demo_ws, "sodi-example-2025").domains]


def test_last_year_is_beside_this_year_after_a_new_year(demo_ws):
    from schoolvault.demo import fill_demo
    services.self_eval_set(demo_ws, "1-1-2", improvements="회의록을 공개한다")
    services.new_year(demo_ws)
    assert results.previous_entry(demo_ws, "1-1-2")["improvements"] == "회의록을 공개한다"
    fill_demo(demo_ws, seed=3)
    data = results.survey_results(demo_ws, "sodi-example-2025")
    assert data["year"] == 2026 and data["previous_year"] == 2025
    prev = services.stats(demo_ws, "sodi-example-2025", year=2025)
    f = data["by_group"]["교원"]["factors"][0]
    assert f["prev_score100"] == prev["groups"]["교원"]["factors"][f["code"]]["score100"]


def test_cached_stats_follow_a_new_import(demo_ws):
    before = results.cached_stats(demo_ws, "sodi-example-2025", 2025)
    with demo_ws.transaction():
        for a in responses.administrations(demo_ws, 2025, "sodi-example-2025", "직원"):
            responses.delete_administration(demo_ws, a.id)
    after = results.cached_stats(demo_ws, "sodi-example-2025", 2025)
    assert "직원" in before["groups"] and "직원" not in after["groups"]


def _dash(**kw):
    d = {"stage": "plan", "indicators_chosen": 10, "indicators_rated": 0, "midyear_checked": 0, "responses": {}}
    d.update(kw)
    return d


@pytest.mark.parametrize("kw, page", [
    ({"indicators_chosen": 0}, "plan"),
    ({}, "plan"),
    ({"stage": "midyear", "midyear_checked": 3}, "midyear"),
    ({"stage": "midyear", "midyear_checked": 10}, "selfeval"),
    ({"stage": "selfeval", "indicators_rated": 4}, "selfeval"),
    ({"stage": "selfeval", "indicators_rated": 10}, "surveys"),
    ({"stage": "selfeval", "indicators_rated": 10, "responses": {"s": {"교원": 9}}}, "results"),
    ({"stage": "report"}, "reports"),
    ({"stage": "submitted"}, "new_year"),
])
def test_next_step_points_where_the_work_is(kw, page):
    assert guide.next_step(_dash(**kw))["page"] == page


def test_advance_moves_one_stage_and_reach_never_moves_back(fresh_ws):
    assert guide.advance(fresh_ws) == "midyear"
    assert guide.reach_stage(fresh_ws, "report") is True
    assert guide.reach_stage(fresh_ws, "selfeval") is False
    assert services.dashboard(fresh_ws)["stage"] == "report"


def test_moving_on_is_the_main_action_only_when_the_stage_is_done():
    assert guide.next_step(_dash(stage="midyear", midyear_checked=10))["ready"] is True
    assert guide.next_step(_dash(stage="midyear", midyear_checked=9))["ready"] is False
