"""Composed 평가지표 (2026 on) link survey items: composing, `self-eval link`, the 자체평가 page's related
results, 서식3-2 and the year's survey every default starts on."""

from __future__ import annotations

import pytest
from _import_util import assert_refused, run, run_json

from schoolvault import composing, results, services
from schoolvault.demo import fill_demo
from schoolvault.errors import SchoolVaultError
from schoolvault.reports.data import collect
from schoolvault.reports.indicator_sheet import NO_INDICATOR, indicator_counts
from schoolvault.reports.school_report_view import SUBMISSION, prepare, subarea_display
from schoolvault.workspace import open_workspace

SURVEY = "seoul-eval-survey-2026"


@pytest.fixture
def ws26(tmp_path):
    ws = services.init_workspace(tmp_path / "w.sqlite", name="서울가나초등학교", level="초", district="동부",
                                 year=2026)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def demo26(tmp_path_factory):
    path = tmp_path_factory.mktemp("links26") / "demo.sqlite"
    with services.init_workspace(path, name="서울예시초등학교", level="초", district="동부", year=2026) as ws:
        fill_demo(ws, seed=7)
    return path


def _factor_items(title: str) -> list[str]:
    """The shipped survey's items of the factor with this title, read from the file itself."""
    survey = next(s for s in services.catalog.shipped() if s.instrument.id == SURVEY).instrument
    return [f"{SURVEY}:{i.code}" for f in survey.factors() if f.title == title for i in f.items]


def test_items_offered_are_the_subarea_factor_of_the_years_survey_and_the_proposal_skips_linked_ones(ws26):
    one_one = _factor_items("소통과 협력의 학교자치")
    assert len(one_one) >= 3
    rows = composing.linkable_items(ws26, "1-1")
    assert [r["link"] for r in rows] == one_one  # not the 2025 survey, not another 세부영역
    assert composing.proposed_items(ws26, "1-1") == one_one
    a = composing.compose_indicator(ws26, title="학교 비전 공유", subarea="1-1", items=one_one[:2])
    assert a["indicator"] == "1-1-S1" and a["survey_items"] == one_one[:2]
    assert composing.proposed_items(ws26, "1-1") == one_one[2:]
    # the indicator's own links stay offered to it, marked as linked
    own = composing.linkable_items(ws26, "1-1", indicator="1-1-S1")
    assert [r["linked"] for r in own] == [True, True] + [False] * (len(one_one) - 2)
    assert composing.proposed_items(ws26, "1-1", indicator="1-1-S1") == one_one
    b = composing.compose_indicator(ws26, title="학생자치회 의견 반영", subarea="1-1")
    assert b["survey_items"] == []
    r = composing.link_items(ws26, b["indicator"], proposed=True)
    assert r["survey_items"] == one_one[2:]
    assert services.year_guidebook(ws26).indicator("1-1-S2").survey_items == tuple(one_one[2:])
    c = composing.compose_indicator(ws26, title="교직원 협의 문화", subarea="1-1")
    with pytest.raises(SchoolVaultError, match="제안할 설문 문항이 없습니다"):  # every item is linked elsewhere
        composing.link_items(ws26, c["indicator"], proposed=True)
    assert composing.link_items(ws26, "1-1-S1", [])["survey_items"] == []
    assert services.year_guidebook(ws26).indicator("1-1-S1").survey_items == ()


def test_item_lists_parse_and_unknown_items_are_refused_before_anything_is_written(ws26):
    assert composing.parse_items([f"{SURVEY}:Q001,Q002", "Q003", f"{SURVEY}:Q001"]) == [
        f"{SURVEY}:Q001", f"{SURVEY}:Q002", f"{SURVEY}:Q003"]
    with pytest.raises(SchoolVaultError, match="어느 설문"):
        composing.parse_items(["Q001"])
    with pytest.raises(SchoolVaultError) as e:
        composing.compose_indicator(ws26, title="새 지표", subarea="1-1", items=[f"{SURVEY}:Q01"])
    assert f"{SURVEY}:Q001" in e.value.hint  # what the user probably meant
    assert services.year_guidebook(ws26).areas[0].subareas[0].indicators == ()  # nothing composed
    with pytest.raises(SchoolVaultError, match="찾을 수 없습니다"):
        composing.compose_indicator(ws26, title="새 지표", subarea="1-1", items=["no-such-survey:Q001"])


def test_a_guidebook_indicator_takes_its_links_from_the_file(tmp_path):
    with services.init_workspace(tmp_path / "w25.sqlite", name="서울가나초등학교", level="초", district="동부",
                                 year=2025) as ws:
        code = next(services.year_guidebook(ws).indicators()).code
        with pytest.raises(SchoolVaultError, match="가이드북의 지표"):
            composing.link_items(ws, code, [f"{SURVEY}:Q001"])
        assert services.year_survey(ws).id == "seoul-eval-survey-2025"


def test_the_years_survey_is_its_own_guidebook_survey(ws26):
    assert [s.id for s in services.year_surveys(ws26)] == [SURVEY]
    assert services.year_survey(ws26).id == SURVEY


def test_the_demo_links_a_few_items_to_every_composed_indicator_and_every_item_once(demo26):
    with open_workspace(demo26) as ws:
        gb = services.year_guidebook(ws)
        inds = list(gb.indicators())
        assert inds and all(1 <= len(i.survey_items) <= 4 for i in inds)
        links = [lk for i in inds for lk in i.survey_items]
        survey = services.survey(ws, SURVEY)
        assert sorted(links) == sorted(f"{SURVEY}:{i.code}" for i in survey.items())
        for ind in inds:  # each indicator's items are of its own 세부영역's factor
            sub = gb.locate(ind.code)[1]
            assert set(ind.survey_items) <= set(_factor_items(sub.title))
        # the 자체평가 page's 관련 설문 결과 of a composed indicator: its items with answers
        ind = inds[0]
        rel = results.indicator_results(ws, ind.code)
        assert [e["instrument"] for e in rel] == [SURVEY]
        assert [f"{SURVEY}:{i['code']}" for i in rel[0]["items"]] == list(ind.survey_items)
        assert all(i["groups"] for i in rel[0]["items"])


def test_form_3_2_places_each_item_under_the_indicator_linking_it(demo26, tmp_path):
    path = tmp_path / "w.sqlite"
    path.write_bytes(demo26.read_bytes())
    with open_workspace(path) as ws:
        gb = services.year_guidebook(ws)
        first = next(gb.indicators())
        unlinked = first.survey_items[0]
        composing.link_items(ws, first.code, list(first.survey_items[1:]))
        second = [i for i in services.year_guidebook(ws).indicators() if i.code != first.code][0]
        shared = second.survey_items[0]
        composing.link_items(ws, first.code, list(first.survey_items[1:]) + [shared])  # two indicators link it
        view = prepare(ws, collect(ws), SUBMISSION)
        owner = {}
        for i in services.year_guidebook(ws).indicators():
            for lk in i.survey_items:
                owner.setdefault(lk, []).append(i.title)
        rows = {f"{r.survey}:{r.code}": r for r in view.items}
        assert len(rows) == len(view.items) == len(list(services.survey(ws, SURVEY).items()))
        for link, r in rows.items():
            assert r.indicator == "\n".join(owner.get(link, [])), link
            assert r.subarea.startswith(("Ⅰ-", "Ⅱ-", "Ⅲ-")), r.subarea  # "Ⅰ-1. …" as 서식3-1 prints it
        assert rows[unlinked].indicator == "" and rows[unlinked].subarea == subarea_display(gb, "1-1")
        assert rows[shared].indicators == (first.title, second.title)  # guidebook order
        # 평가지표 및 현황: an item two 지표 link counts for each; an unlinked item under '(지표 연결 없음)'
        counts = {(s, i): sum(c.values()) for _, s, i, c in indicator_counts(collect(ws))}
        assert counts[(rows[unlinked].subarea, NO_INDICATOR)] == len(rows[unlinked].answered_by)
        assert sum(counts.values()) == sum(len(r.answered_by) for r in rows.values()) + len(rows[shared].answered_by)
    assert subarea_display(gb, "소통과 협력의 학교자치") == "Ⅰ-1. 소통과 협력의 학교자치"
    assert subarea_display(gb, "어느 해에도 없는 영역") == "어느 해에도 없는 영역"


def test_cli_choose_with_items_and_link(tmp_path, capsys):
    db = tmp_path / "w.sqlite"
    code, _, err = run(capsys, "--db", db, "init", "--school", "서울가나초등학교", "--level", "초", "--district", "동부",
                       "--year", "2026")
    assert code == 0, err
    r = run_json(capsys, "--db", db, "self-eval", "choose", "--subarea", "1-1", "학교 비전 공유",
                 "--items", f"{SURVEY}:Q001,Q002")
    assert r["composed"][0]["survey_items"] == [f"{SURVEY}:Q001", f"{SURVEY}:Q002"]
    code, out, _ = run(capsys, "--db", db, "self-eval", "link", "1-1-S1")
    assert code == 0 and "연결된 설문 문항 2개" in out and f"[연결] {SURVEY}:Q001" in out
    assert f"[제안] {SURVEY}:Q003" in out and "self-eval link 1-1-S1 --proposed" in out
    r = run_json(capsys, "--db", db, "self-eval", "link", "1-1-S1", "--items", f"{SURVEY}:Q003", "Q004")
    assert r["survey_items"] == [f"{SURVEY}:Q003", f"{SURVEY}:Q004"]
    assert run_json(capsys, "--db", db, "self-eval", "link", "1-1-S1", "--clear")["survey_items"] == []
    assert_refused(*run(capsys, "--db", db, "self-eval", "link", "1-1-S1", "--items", f"{SURVEY}:Q999"), "Q999")
    assert_refused(*run(capsys, "--db", db, "self-eval", "choose", "--indicator", "1-1-S1", "--items",
                        f"{SURVEY}:Q001"), "self-eval link")


def test_year_flow_step_one_follows_the_years_guidebook(ws26, tmp_path):
    from schoolvault import guide
    assert guide.year_flow(services.year_guidebook(ws26))[0] == (
        "계획", "2026학년도부터 평가지표는 학교가 세부영역마다 구성합니다. 세부영역마다 지표를 더하고 관련 설문 문항을 연결합니다.")
    with services.init_workspace(tmp_path / "w25.sqlite", name="가", level="초", district="동부", year=2025) as ws:
        assert "공통지표는 미리 골라져 있고" in guide.year_flow(services.year_guidebook(ws))[0][1]
