"""Instrument files: the shipped ones load and hold what the issue promises; bad files say where."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from schoolvault.errors import InstrumentError
from schoolvault.forms.groups import GROUPS
from schoolvault.forms.loader import load_instrument, parse_instrument
from schoolvault.forms.model import Guidebook, ItemBank, Survey

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "resources" / "instruments"
SHIPPED = sorted(INSTRUMENTS.glob("*.yaml"))
SHARED = ROOT.parent / "shared"
FRAMEWORK = SHARED / "reference" / "seoul-framework-2025.md"
ITEM_BANK = SHARED / "fixtures" / "real" / "seoul-item-bank-2025.json"


def shipped(kind: str) -> list:
    return [i for i in (load_instrument(p) for p in SHIPPED) if i.kind == kind]


def guidebook() -> Guidebook:
    """The 2025 guidebook: the year of the framework reference and of the shipped surveys' links."""
    (gb,) = [g for g in shipped("guidebook") if g.year == 2025]
    return gb


def sodi() -> Survey:
    (s,) = [s for s in shipped("survey") if s.id.startswith("sodi")]
    return s


# ----------------------------------------------------------------------------- shipped files

def test_shipped_instruments_exist():
    kinds = sorted(load_instrument(p).kind for p in SHIPPED)
    assert kinds.count("guidebook") >= 1 and kinds.count("survey") >= 2


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_instrument_round_trips_to_its_yaml(path):
    inst = load_instrument(path)
    assert inst.to_dict() == yaml.safe_load(path.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(inst.to_dict(), ensure_ascii=False)) == inst.to_dict()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_instrument_is_titled_as_an_example(path):
    inst = load_instrument(path)
    assert "예시" in inst.title
    assert inst.id.endswith(str(inst.year))


def test_ids_are_unique_across_shipped_files():
    ids = [load_instrument(p).id for p in SHIPPED]
    assert len(ids) == len(set(ids))


def test_guidebook_has_3_areas_10_subareas_37_indicators():
    gb = guidebook()
    assert len(gb.areas) == 3
    assert sum(len(a.subareas) for a in gb.areas) == 10
    inds = list(gb.indicators())
    assert len(inds) == 37
    assert {i.type for i in inds} == {"common", "autonomous"}
    for ind in inds:
        assert len(ind.rubric) == gb.rating.points, ind.code
        assert ind.criteria and ind.evidence, ind.code


def test_guidebook_names_equal_the_official_framework():
    if not FRAMEWORK.is_file():
        pytest.skip("../shared/reference is not present")
    rows = []
    for line in FRAMEWORK.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.match(r"^[ⅠⅡⅢ]\.", cells[0]):
            rows.append((re.sub(r"^[ⅠⅡⅢ]\.\s*", "", cells[0]), re.sub(r"^[ⅠⅡⅢ]-\d+\.\s*", "", cells[1]), cells[2]))
    assert len(rows) == 37
    gb = guidebook()
    mine = [(a.title, s.title, i.title) for a in gb.areas for s in a.subareas for i in s.indicators]
    assert mine == rows


def test_sodi_survey_has_the_promised_shape():
    s = sodi()
    factors = list(s.factors())
    items = list(s.items())
    assert len(s.domains) >= 5 and len(factors) >= 15 and len(items) >= 50
    assert len(s.groups) >= 3 and set(s.groups) <= set(GROUPS)
    assert any(i.groups for i in items), "no group-specific item"
    assert any(i.reverse for i in items), "no reverse item"
    assert s.scale.points == 5 and s.scale.labels[2] == "보통이다"
    for g in s.groups:
        assert s.items_for(g), g


@pytest.mark.parametrize("survey", shipped("survey"), ids=lambda s: s.id)
def test_every_factor_gives_each_group_zero_or_at_least_two_items(survey):
    """A 1-item factor has no reliability; shipped surveys avoid it for every group."""
    bad = [(f.code, g, len(f.items_for(g))) for f in survey.factors() for g in survey.groups
           if len(f.items_for(g)) == 1]
    assert not bad


@pytest.mark.parametrize("survey", shipped("survey"), ids=lambda s: s.id)
def test_item_texts_are_distinct_within_each_group(survey):
    """The importer maps export headers to items by text, so two items of a group must differ."""
    norm = lambda t: re.sub(r"[\W_]+", "", t)
    for g in survey.groups:
        texts = [norm(i.text) for i in survey.items_for(g)]
        assert len(texts) == len(set(texts)), g


@pytest.mark.parametrize("survey", shipped("survey"), ids=lambda s: s.id)
def test_every_indicator_link_names_a_real_guidebook_code(survey):
    codes = {i.code for i in guidebook().indicators()}
    links = [i.indicator for i in survey.items() if i.indicator]
    assert all(link in codes for link in links), sorted(set(links) - codes)


def test_guidebook_survey_links_name_real_surveys_and_items():
    surveys = {s.id: s for s in shipped("survey")}
    for ind in guidebook().indicators():
        for link in ind.survey_items:
            inst, _, item = link.partition(":")
            assert inst in surveys, link
            if item != "*":
                surveys[inst].item(item)


def test_item_bank_parses_to_135_sets():
    if not ITEM_BANK.is_file():
        pytest.skip("../shared/fixtures/real is not present")
    bank = load_instrument(ITEM_BANK)
    assert isinstance(bank, ItemBank)
    assert len(bank.sets) == 135
    assert bank.year == 2025 and bank.id == "itembank-2025"
    assert {s.group for s in bank.sets} == set(GROUPS)
    assert len({s.indicator for s in bank.sets}) == 37
    assert len({s.subarea for s in bank.sets}) == 10 and len({s.area for s in bank.sets}) == 3
    assert all(s.items for s in bank.sets)
    titles = {"".join(i.title.split()) for i in guidebook().indicators()}
    assert {"".join(s.indicator.split()) for s in bank.sets} == titles


# ----------------------------------------------------------------------------- errors name file, line, field

SURVEY = """\
kind: survey
id: t-2025
title: 시험 설문
year: 2025
scale:
  points: 4
  labels: [전혀 그렇지 않다, 그렇지 않다, 그렇다, 매우 그렇다]
groups: [교원, 학생]
domains:
  - code: D1
    title: 영역
    factors:
      - code: F1
        title: 요인
        items:
          - code: I1
            text: 문항 하나
            groups: [교원]
          - code: I2
            text: 문항 둘
            reverse: true
"""

GUIDEBOOK = """\
kind: guidebook
id: g-2025
title: 시험 지표
year: 2025
rating:
  labels: [미흡, 보통, 우수, 매우 우수]
areas:
  - code: "1"
    title: 영역
    subareas:
      - code: "1-1"
        title: 세부영역
        indicators:
          - code: "1-1-1"
            title: 지표
            type: common
            rubric: [하, 중하, 중상, 상]
"""


def test_the_test_bases_are_valid():
    s = parse_instrument(SURVEY, "t.yaml")
    assert [i.code for i in s.items()] == ["I1", "I2"] and s.item("I2").reverse
    g = parse_instrument(GUIDEBOOK, "g.yaml")
    assert g.indicator("1-1-1").rubric == ("하", "중하", "중상", "상")


BAD = [
    # name, base, (old, new), message fragment, line, field
    ("wrong indentation", SURVEY, ("            text: 문항 둘", "          text: 문항 둘"), "들여쓰기", 20, "text"),
    ("over-indented key", SURVEY, ("            reverse: true", "              reverse: true"), "들여쓰기", 21,
     "reverse"),
    ("tab indentation", SURVEY, ("          - code: I2", "\t- code: I2"), "YAML", 19, "code"),
    ("missing code", SURVEY, ("          - code: I2\n", "          -\n"), "'code'", 20, "items[1].code"),
    ("missing item code", SURVEY, ("          - code: I2\n            text", "          - text"), "'code'", 19,
     "items[1].code"),
    ("duplicate code", SURVEY, ("code: I2", "code: I1"), "두 번", 19, "items[1].code"),
    ("duplicate code across levels", SURVEY, ("code: I2", "code: F1"), "두 번", 19, "items[1].code"),
    ("duplicate key", SURVEY, ("            reverse: true", "            reverse: true\n            text: 또"), "두 번",
     22, "text"),
    ("unknown group", SURVEY, ("groups: [교원]", "groups: [교감]"), "교감", 18, "items[0].groups"),
    ("wrong kind", SURVEY, ("kind: survey", "kind: surve"), "surve", 1, "kind"),
    ("missing kind", SURVEY, ("kind: survey\n", ""), "kind", 1, "kind"),
    ("labels ≠ points", SURVEY, ("points: 4", "points: 5"), "points", 7, "scale.labels"),
    ("reverse not boolean", SURVEY, ("reverse: true", "reverse: 네"), "reverse", 21, "reverse"),
    ("item is a bare sentence", SURVEY, ("          - code: I2\n            text: 문항 둘\n            reverse: true\n",
                                        "          - 문항 둘\n"), "이름: 값", 19, "items[1]"),
    ("bad year", SURVEY, ("year: 2025", "year: 25"), "연도", 4, "year"),
    ("missing text", SURVEY, ("            text: 문항 하나\n", ""), "'text'", 16, "items[0].text"),
    ("factor without items", SURVEY, ("        items:\n", "        items: []\n        old_items:\n"), "비어", 15,
     "factors[0].items"),
    ("survey without groups", SURVEY, ("groups: [교원, 학생]", "groups: []"), "비어", 8, "(groups"),
    ("missing id", SURVEY, ("id: t-2025\n", ""), "'id'", 1, "(id"),
    ("scale labels not a list", SURVEY, ("labels: [전혀 그렇지 않다, 그렇지 않다, 그렇다, 매우 그렇다]", "labels: 네 개"),
     "형식", 7, "(scale.labels"),
    ("rubric length", GUIDEBOOK, ("rubric: [하, 중하, 중상, 상]", "rubric: [하, 중, 상]"), "루브릭", 17,
     "indicators[0].rubric"),
    ("unknown indicator type", GUIDEBOOK, ("type: common", "type: 공통"), "type", 16, "indicators[0].type"),
    ("unknown school level", GUIDEBOOK, ("type: common", "type: common\n            levels: [초, 대]"), "대", 17,
     "indicators[0].levels"),
]


@pytest.mark.parametrize("name,base,change,fragment,line,field", BAD, ids=[b[0] for b in BAD])
def test_bad_instrument_error_names_file_line_and_field(tmp_path, name, base, change, fragment, line, field):
    assert change[0] in base
    path = tmp_path / "잘못된-도구.yaml"
    path.write_text(base.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(InstrumentError) as ei:
        load_instrument(path)
    e = ei.value
    text = str(e)
    assert fragment in e.message, text
    assert e.where.startswith("잘못된-도구.yaml"), text
    assert f" {line}번째 줄" in e.where, text
    assert f"{field})" in e.where, text
    assert e.hint, text
    assert "Traceback" not in text


def test_empty_file_is_refused_by_name(tmp_path):
    for content in ("", "\n\n", "# 주석만\n"):
        path = tmp_path / "빈파일.yaml"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(InstrumentError, match="빈 파일") as ei:
            load_instrument(path)
        assert "빈파일.yaml" in ei.value.where


def test_top_level_list_or_scalar_is_refused(tmp_path):
    path = tmp_path / "목록.yaml"
    path.write_text("그냥 문장\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as ei:
        load_instrument(path)
    assert "목록.yaml" in ei.value.where


def test_non_utf8_file_is_refused_by_name(tmp_path):
    path = tmp_path / "euckr.yaml"
    path.write_bytes(SURVEY.encode("cp949"))
    with pytest.raises(InstrumentError, match="UTF-8") as ei:
        load_instrument(path)
    assert "euckr.yaml" in ei.value.where
    assert ei.value.hint


def test_utf8_with_bom_loads(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(SURVEY.encode("utf-8-sig"))
    assert load_instrument(path).id == "t-2025"


def test_group_aliases_are_canonical_in_loaded_surveys():
    s = parse_instrument(SURVEY.replace("groups: [교원, 학생]", "groups: [교원용, 학생용]")
                         .replace("groups: [교원]", "groups: [교원용]"), "t.yaml")
    assert s.groups == ("교원", "학생")
    assert s.item("I1").groups == ("교원",)


def test_broken_item_bank_json_names_the_entry(tmp_path):
    path = tmp_path / "bank-2025.json"
    path.write_text(json.dumps([{"영역": "a", "세부영역": "b", "평가지표": "c", "평가대상자": "교원용",
                                 "평가문항목록": ["x"]}, {"영역": "a"}], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InstrumentError, match="세부영역") as ei:
        load_instrument(path)
    assert ei.value.where == "bank-2025.json [1]"
    path.write_text('[{"영역": ', encoding="utf-8")
    with pytest.raises(InstrumentError, match="JSON") as ei:
        load_instrument(path)
    assert "bank-2025.json" in ei.value.where


def test_unreadable_path_is_refused_in_korean(tmp_path):
    with pytest.raises(InstrumentError, match="읽을 수 없습니다") as ei:
        load_instrument(tmp_path)  # a folder, not a file
    assert "확인하세요" in ei.value.hint
    with pytest.raises(InstrumentError, match="읽을 수 없습니다"):
        load_instrument(tmp_path / "없는파일.yaml")


def test_a_pdf_given_as_an_instrument_is_named_as_a_pdf(tmp_path):
    from schoolvault.errors import InstrumentError
    from schoolvault.forms.loader import load_instrument
    p = tmp_path / "지표.yaml"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(InstrumentError) as e:
        load_instrument(p)
    assert "PDF 문서" in e.value.message and "UTF-8" not in e.value.message
