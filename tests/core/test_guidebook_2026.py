"""The 2026 guidebook as data: structure, 4단계, coverage rule, label placement, composed indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from schoolvault import composing, results, services
from schoolvault.errors import SchoolVaultError
from schoolvault.forms.labels import (
    EARLIER,
    EXACT,
    UNKNOWN,
    coverage_warnings,
    place_label,
)
from schoolvault.forms.loader import load_instrument
from schoolvault.forms.model import Domain, Factor, Item, Scale, Survey
from schoolvault.reports.evaluation_report import evaluation_report
from schoolvault.reports.workbook import export_workbook
from schoolvault.workspace import selfeval

INSTRUMENTS = Path(__file__).resolve().parents[2] / "resources" / "instruments"
GB2025 = INSTRUMENTS / "seoul-guidebook-2025.yaml"
GB2026 = INSTRUMENTS / "seoul-guidebook-2026.yaml"

SUBAREAS_2026 = [
    ("1-1", "소통과 협력의 학교자치"), ("1-2", "학부모 및 지역사회 연계"), ("1-3", "공감과 소통의 행정"),
    ("2-1", "교육과정 편성·운영"), ("2-2", "수업·평가 혁신"), ("2-3", "교원 전문성 신장"),
    ("3-1", "모두를 위한 맞춤형 교육"), ("3-2", "미래역량 교육"), ("3-3", "안전하고 행복한 학교"),
    ("3-4", "기타(학교 유형, 특성에 따른 세부영역)"),
]


@pytest.fixture(scope="module")
def gb26():
    return load_instrument(GB2026)


@pytest.fixture(scope="module")
def gb25():
    return load_instrument(GB2025)


# ----------------------------------------------------------------------------- the file

def test_2026_has_the_three_areas_and_ten_fixed_subareas(gb26):
    assert [a.title for a in gb26.areas] == ["협력적 학교자치문화", "교육과정 운영 및 교수·학습 방법",
                                             "교육 활동 및 교육 성과"]
    assert [(s.code, s.title) for a in gb26.areas for s in a.subareas] == SUBAREAS_2026
    assert gb26.year == 2026 and gb26.composed
    assert list(gb26.indicators()) == []  # the school composes its 평가지표


@pytest.mark.parametrize("path", [GB2025, GB2026])
def test_levels_and_coverage_are_parsed_in_both_years(path):
    gb = load_instrument(path)
    lv = gb.survey_levels
    assert (lv.scale_points, lv.decimals) == (5, 1)
    assert [(x.label, x.min) for x in lv.levels] == [("매우 우수", 4.0), ("우수", 3.0), ("보통", 2.0), ("미흡", None)]
    assert gb.coverage_groups == ("학생", "학부모", "교원")


def test_2025_says_it_applies_the_2026_rule(gb25):
    assert "2026" in gb25.description and not gb25.composed


def test_every_2025_subarea_label_is_offered_to_a_2026_subarea(gb25, gb26):
    offered = {e.label: e.subarea for e in gb26.earlier_subareas}
    assert len(offered) == 10 and {e.year for e in gb26.earlier_subareas} == {2025}
    by_title = {s.title: f"{['Ⅰ', 'Ⅱ', 'Ⅲ'][int(a.code) - 1]}-{s.code.split('-')[1]}. {s.title}"
                for a in gb25.areas for s in a.subareas}
    assert set(offered) == set(by_title.values())
    assert offered[by_title["인문·과학·예체능 교육"]] == offered[by_title["민주시민교육"]] == "3-2"
    assert offered[by_title["안전하고 쾌적한 교육환경"]] == "3-3"
    assert offered[by_title["행정·예산"]] == "1-3"
    assert offered[by_title["맞춤형 책임교육"]] == "3-1"


def test_the_2026_file_is_what_instruments_show_prints(gb26):
    assert gb26.to_dict() == yaml.safe_load(GB2026.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- place_label

@pytest.mark.parametrize("label, kind, subarea", [
    ("Ⅲ-2. 미래역량 교육", EXACT, "3-2"),
    ("III-2 미래역량교육", EXACT, "3-2"),
    ("Ⅱ-3. 교원전문성 신장", EXACT, "2-3"),          # spaces differ from 2026's 교원 전문성 신장
    ("Ⅱ-1. 교육과정 편성‧운영", EXACT, "2-1"),        # another middle dot
    ("3-4", EXACT, "3-4"),
    ("Ⅲ-3. 민주시민교육 – 학생자치 활동을 통해", EARLIER, "3-2"),  # the title decides, not the number
    ("Ⅲ-2. 인문･과학･예체능 교육", EARLIER, "3-2"),
    ("Ⅲ-4. 안전하고 쾌적한 교육환경", EARLIER, "3-3"),
    ("Ⅰ-3. 행정ㆍ예산", EARLIER, "1-3"),
    ("Ⅲ-2. 체험활동 중심 교육", UNKNOWN, None),
    ("Ⅲ-3", UNKNOWN, None),                          # a number alone may be either year's numbering
])
def test_place_label(gb26, label, kind, subarea):
    p = place_label(gb26, label)
    assert (p.kind, p.subarea) == (kind, subarea)
    assert p.needs_confirmation == (kind != EXACT)


def test_an_unknown_label_comes_with_close_candidates(gb26):
    p = place_label(gb26, "Ⅲ-2. 체험활동 중심 교육")
    assert ("3-2", "미래역량 교육") in p.candidates
    assert "올해 세부영역에 없습니다" in p.describe()
    assert place_label(gb26, "Ⅲ-3").candidates == (("3-3", "안전하고 행복한 학교"),)


def test_an_earlier_label_in_its_own_year_is_exact(gb25):
    assert place_label(gb25, "Ⅲ-3. 민주시민교육").kind == EXACT


# ----------------------------------------------------------------------------- coverage

def _survey(groups, items_by_factor, scoring="guidebook"):
    factors = [Factor(code=f"F{n}", title=title, items=tuple(items))
               for n, (title, items) in enumerate(items_by_factor, 1)]
    return Survey(id="s", title="s", year=2026, scale=Scale(5, tuple("12345")), groups=tuple(groups),
                  domains=(Domain(code="D1", title="설문 문항", factors=tuple(factors)),), scoring=scoring)


def test_coverage_warns_for_each_group_missing_an_area(gb26):
    s = _survey(["학생", "학부모", "직원"], [
        ("Ⅰ-1. 소통과 협력의 학교자치", [Item("Q1", "a")]),
        ("Ⅲ-3. 민주시민교육 – 인성", [Item("Q2", "b", groups=("학생",))]),  # an earlier label still has its 영역
        ("기타", [Item("Q3", "c", groups=("학부모",), indicator="2-1-S1")]),
    ])
    w = coverage_warnings(gb26, s)
    assert len(w) == 2
    assert w[0].startswith("학생 설문에 Ⅱ 영역(교육과정 운영 및 교수·학습 방법) 문항이 없습니다")
    assert w[1].startswith("학부모 설문에 Ⅲ 영역(교육 활동 및 교육 성과) 문항이 없습니다")
    assert not any(x.startswith("직원") for x in w)  # 직원 may cover fewer 영역


def test_coverage_is_silent_when_every_area_is_there_or_for_respondent_scoring(gb26):
    full = [("Ⅰ-1. 소통과 협력의 학교자치", [Item("Q1", "a")]), ("Ⅱ-2. 수업·평가 혁신", [Item("Q2", "b")]),
            ("Ⅲ-2. 체험활동 중심 교육", [Item("Q3", "c")])]  # unknown 세부영역 of a known 영역 still counts
    assert coverage_warnings(gb26, _survey(["교원"], full)) == []
    assert coverage_warnings(gb26, _survey(["교원"], full[:1], scoring="respondent")) == []


def test_items_of_no_known_area_are_named_in_the_warning(gb26):
    w = coverage_warnings(gb26, _survey(["교원"], [("문항", [Item("Q1", "a")])]))
    assert len(w) == 1 and "영역을 알 수 없는 문항 1개" in w[0]


# ----------------------------------------------------------------------------- a 2026 year



POOL = {  # a 2026 pool: no 평가주체 (group null), labels spelled as the office's file spells them
    "kind": "itembank", "id": "itembank-2026", "title": "2026 예시 문항", "year": 2026,
    "sets": [
        {"area": "Ⅲ. 교육 활동 및 교육 성과", "subarea": "Ⅲ-2. 미래역량 교육",
         "indicator": "인공지능(AI)‧디지털교육 활성화", "group": None,
         "items": ["우리 학교는 AI 도구를 수업에 알맞게 활용한다.", "디지털 윤리 교육이 이루어진다."]},
        {"area": "Ⅲ. 교육 활동 및 교육 성과", "subarea": "Ⅲ-3. 민주시민교육",
         "indicator": "학생자치를 통한 민주시민교육 활성화", "group": None, "items": ["학생회가 활발하다."]},
        {"area": "Ⅲ. 교육 활동 및 교육 성과", "subarea": "Ⅲ-2. 체험활동 중심 교육",
         "indicator": "현장체험학습 내실화", "group": None, "items": ["체험학습이 알차다."]},
    ],
}


@pytest.fixture
def ws26(tmp_path):
    ws = services.init_workspace(tmp_path / "w26.sqlite", name="서울가나초등학교", level="초", district="동부",
                                 year=2026)
    yield ws
    ws.close()


@pytest.fixture
def pool(tmp_path):
    p = tmp_path / "pool-2026.yaml"
    p.write_text(yaml.safe_dump(POOL, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_a_2026_year_uses_the_2026_file_and_preselects_nothing(ws26):
    gb = services.year_guidebook(ws26)
    assert gb.id == "seoul-guidebook-2026" and gb.composed
    assert services.self_eval_list(ws26) == []
    assert results.indicator_tree(ws26)["composed"] is True


def test_composing_typed_and_from_a_pool_then_rating_and_report(ws26, pool, tmp_path):
    services.import_instrument(ws26, pool)
    typed = composing.compose_indicator(ws26, subarea="2-1", title="  함께 만드는   교육과정 ")
    assert (typed["indicator"], typed["title"]) == ("2-1-S1", "함께 만드는 교육과정")
    # placed by the pool's 세부영역; a unique part of the name is enough and the middle dot may differ
    banked = composing.compose_indicator(ws26, bank_id="itembank-2026", title="인공지능(AI)·디지털")
    assert (banked["indicator"], banked["subarea"], banked["title"]) == ("3-2-S1", "3-2", "인공지능(AI)‧디지털교육 활성화")
    examples = composing.bank_examples(ws26, "3-2")
    assert [e["indicator"] for e in examples if e["placement"]["kind"] == "exact"] == ["인공지능(AI)‧디지털교육 활성화"]
    assert all(e["taken"] for e in examples if e["placement"]["kind"] == "exact")

    listed = {r["indicator"]: r for r in services.self_eval_list(ws26)}
    assert set(listed) == {"2-1-S1", "3-2-S1"} and listed["3-2-S1"]["subarea"] == "미래역량 교육"
    services.self_eval_set(ws26, "2-1-S1", rating="매우 우수", evidence="교육과정 협의록", midyear_status="on_track")
    services.self_eval_set(ws26, "3-2-S1", rating=2, shortcomings="기기 부족", improvements="기기 확충")
    tree = results.indicator_tree(ws26)
    done = {i["code"]: i for a in tree["areas"] for s in a["subareas"] for i in s["indicators"]}
    assert done["2-1-S1"]["done"] and done["2-1-S1"]["midyear"] and done["3-2-S1"]["rating"] == 2

    out = tmp_path / "report.pdf"
    evaluation_report(ws26, out)
    text = "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", "")
    for piece in ("함께 만드는 교육과정", "인공지능(AI)", "미래역량 교육", "기기 확충"):
        assert piece in text
    book = tmp_path / "workbook.xlsx"
    export_workbook(ws26, book)
    cells = {str(c.value) for sh in load_workbook(book, read_only=True) for row in sh.iter_rows() for c in row}
    assert {"2-1-S1", "3-2-S1", "함께 만드는 교육과정"} <= cells


def test_a_bank_label_of_another_year_or_of_none_is_not_placed_silently(ws26, pool):
    services.import_instrument(ws26, pool)
    with pytest.raises(SchoolVaultError) as e:
        composing.compose_indicator(ws26, bank_id="itembank-2026", title="학생자치")
    assert "2025학년도 이름" in str(e.value) and "--subarea 3-2" in e.value.hint
    with pytest.raises(SchoolVaultError) as e:
        composing.compose_indicator(ws26, bank_id="itembank-2026", title="현장체험학습")
    assert "세부영역에 없습니다" in str(e.value)
    assert services.self_eval_list(ws26) == []
    r = composing.compose_indicator(ws26, bank_id="itembank-2026", title="학생자치", subarea="3-2")
    assert r["subarea"] == "3-2"


def test_an_unknown_subarea_lists_the_valid_ones(ws26):
    with pytest.raises(SchoolVaultError) as e:
        composing.compose_indicator(ws26, subarea="4-1", title="지표")
    assert "'4-1'" in str(e.value) and "3-4 기타(학교 유형, 특성에 따른 세부영역)" in e.value.hint
    with pytest.raises(SchoolVaultError) as e:
        composing.compose_indicator(ws26, subarea="Ⅲ-3. 민주시민교육", title="지표")
    assert "2025학년도 세부영역" in str(e.value) and "3-2" in e.value.hint


def test_removing_keeps_what_was_written_and_codes_stay_unique(ws26):
    a = composing.compose_indicator(ws26, subarea="1-1", title="가")["indicator"]
    b = composing.compose_indicator(ws26, subarea="1-1", title="나")["indicator"]
    services.self_eval_set(ws26, b, evidence="회의록")
    assert composing.remove_indicator(ws26, a)["deleted"] is True
    assert composing.remove_indicator(ws26, b)["deleted"] is False  # typed text is kept, only unchosen
    assert selfeval.entry(ws26, 2026, b).evidence == "회의록"
    c = composing.compose_indicator(ws26, subarea="1-1", title="다")["indicator"]
    assert c not in (a, b) and c == "1-1-S3"
    again = composing.compose_indicator(ws26, subarea="1-1", title="나")  # chosen again, text still there
    assert again["indicator"] == b and selfeval.entry(ws26, 2026, b).chosen


# ----------------------------------------------------------------------------- 2025 → 2026

@pytest.fixture
def ws25(fresh_ws):
    """The shared 2025 school with two rated indicators of 세부영역 that 2026 merged or renamed."""
    services.choose_indicators(fresh_ws, ["3-3-1", "3-2-3"])
    services.self_eval_set(fresh_ws, "3-3-1", rating=2, improvements="학급 회의 정례화")
    return fresh_ws


def test_new_year_lists_proposals_and_carries_nothing_without_confirmation(ws25):
    chosen_2025 = {e.indicator for e in selfeval.entries(ws25, 2025)}
    prop = composing.carry_proposals(ws25, 2026)
    assert prop["needed"] and {r["indicator"] for r in prop["rows"]} == chosen_2025
    by = {r["indicator"]: r for r in prop["rows"]}
    assert (by["3-3-1"]["from_subarea"], by["3-3-1"]["proposed"], by["3-3-1"]["kind"]) == ("Ⅲ-3. 민주시민교육", "3-2", "earlier")
    assert by["3-4-1"]["proposed"] == "3-3" and by["2-1-1"]["kind"] == "exact"

    r = composing.start_new_year(ws25, 2026)
    assert r["year"] == 2026 and r["carried"] == [] and len(r["not_carried"]) == len(chosen_2025)
    assert "옮기지 않았습니다" in r["message"]
    assert services.self_eval_list(ws25) == []
    assert services.year_guidebook(ws25).id == "seoul-guidebook-2026"
    # later, confirmed: the rest is proposed again and carried as placed
    done = composing.carry_indicators(ws25, place={"3-3-1": "3-2"})
    assert [(c["indicator"], c["to"]) for c in done["carried"]] == [("3-3-1", "3-2-S1")]
    assert "3-3-1" not in {x["indicator"] for x in composing.carry_proposals(ws25, 2026)["rows"]}


def test_new_year_with_confirmation_carries_and_keeps_the_feedback_link(ws25):
    r = composing.start_new_year(ws25, 2026, place={"3-3-1": "3-2"}, accept_proposed=True)
    chosen_2025 = {e.indicator for e in selfeval.entries(ws25, 2025)}
    assert {c["indicator"] for c in r["carried"]} == chosen_2025 and r["not_carried"] == []
    by = {c["indicator"]: c for c in r["carried"]}
    assert by["3-3-1"]["subarea"] == "3-2" and by["3-2-3"]["subarea"] == "3-2" and by["3-4-1"]["subarea"] == "3-3"
    new = by["3-3-1"]["to"]
    detail = results.indicator_detail(ws25, new)
    assert detail["title"] == "공동체형 인성교육 내실화" and detail["subarea"] == "미래역량 교육"
    assert detail["previous"]["improvements"] == "학급 회의 정례화" and detail["previous"]["rating"] == 2
    assert len(detail["rubric"]) == 4  # the 2025 rubric fits 2026's four ratings


def test_a_bad_placement_changes_nothing(ws25):
    with pytest.raises(SchoolVaultError) as e:
        composing.start_new_year(ws25, 2026, place={"3-3-1": "9-9"})
    assert "9-9" in str(e.value)
    with pytest.raises(SchoolVaultError):
        composing.start_new_year(ws25, 2026, place={"1-1-3": "1-1"})  # not in the 2025 plan
    assert 2026 not in services.dashboard(ws25)["years"] and services.dashboard(ws25)["year"] == 2025


def test_a_year_after_2026_with_the_same_subareas_carries_composed_indicators_by_code(ws26):
    code = composing.compose_indicator(ws26, subarea="3-3", title="안전한 등하굣길")["indicator"]
    services.self_eval_set(ws26, code, rating=3, improvements="통학로 점검")
    assert composing.carry_proposals(ws26, 2027)["needed"] is False
    r = composing.start_new_year(ws26, 2027)
    assert r["placement_needed"] is False and r["not_carried"] == []
    assert [x["indicator"] for x in services.self_eval_list(ws26)] == [code]
    assert results.indicator_detail(ws26, code)["previous"]["improvements"] == "통학로 점검"
