"""The 2026 guidebook as data: structure, 4단계, coverage rule, label placement, composed indicators."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from schoolvault.forms.labels import EARLIER, EXACT, UNKNOWN, coverage_warnings, place_label
from schoolvault.forms.loader import load_instrument
from schoolvault.forms.model import Domain, Factor, Item, Scale, Survey

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
