"""The composed year from the command line: self-eval choose/carry, new-year placements, create-from labels."""

from __future__ import annotations

import yaml
from _import_util import run, run_json, write_csv

POOL = {"kind": "itembank", "id": "itembank-2026", "title": "2026 예시 문항", "year": 2026, "sets": [
    {"area": "Ⅲ. 교육 활동 및 교육 성과", "subarea": "Ⅲ-2. 미래역량 교육", "indicator": "인공지능(AI)‧디지털교육 활성화",
     "group": None, "items": ["AI 도구를 알맞게 활용한다."]}]}


def _init26(capsys, db):
    code, _, err = run(capsys, "--db", db, "init", "--school", "서울가나초등학교", "--level", "초", "--district", "동부",
                       "--year", "2026")
    assert code == 0, err


def test_choose_composes_typed_and_bank_indicators_in_a_2026_year(tmp_path, capsys):
    db = tmp_path / "w.sqlite"
    _init26(capsys, db)
    assert run_json(capsys, "--db", db, "self-eval", "list") == []
    pool = tmp_path / "pool.yaml"
    pool.write_text(yaml.safe_dump(POOL, allow_unicode=True), encoding="utf-8")
    run_json(capsys, "--db", db, "instruments", "import", pool)
    r = run_json(capsys, "--db", db, "self-eval", "choose", "--subarea", "2-1", "함께 만드는 교육과정", "학년 교육과정 협의")
    assert r["indicators"] == ["2-1-S1", "2-1-S2"]
    code, out, _ = run(capsys, "--db", db, "self-eval", "choose", "--from-bank", "itembank-2026", "인공지능")
    assert code == 0 and "3-2-S1 인공지능(AI)‧디지털교육 활성화 → 3-2 미래역량 교육에 넣었습니다." in out
    r = run_json(capsys, "--db", db, "self-eval", "set", "3-2-S1", "--rating", "우수")
    assert r["rating_label"] == "우수"
    assert [x["indicator"] for x in run_json(capsys, "--db", db, "self-eval", "list")] == ["2-1-S1", "2-1-S2", "3-2-S1"]


def test_an_unknown_subarea_is_a_korean_error_with_the_valid_list(tmp_path, capsys):
    db = tmp_path / "w.sqlite"
    _init26(capsys, db)
    code, out, err = run(capsys, "--db", db, "self-eval", "choose", "--subarea", "4-1", "지표")
    assert code == 1 and out == ""
    assert "세부영역 '4-1'이(가) 2026학년도에 없습니다" in err and "3-2 미래역량 교육" in err
    code, _, err = run(capsys, "--db", db, "self-eval", "choose", "지표")
    assert code == 1 and "--subarea" in err
    assert run_json(capsys, "--db", db, "self-eval", "list") == []


def test_new_year_into_2026_lists_and_carries_only_what_is_confirmed(fresh_ws_path, capsys):
    db = fresh_ws_path
    code, out, _ = run(capsys, "--db", db, "new-year", "--year", "2026", "--place", "3-3-5=3-2")
    assert code == 0 and "2026학년도를 시작했습니다." in out
    assert "옮김: 3-3-5 학교폭력 및 성폭력 예방 및 대응 강화 → 3-2-S1 (3-2 미래역량 교육)" in out
    assert "확인 없이 옮기지 않았습니다" in out and "3-4-1 교육시설 안전 강화 [Ⅲ-4. 안전하고 쾌적한 교육환경] → 제안: 3-3" in out
    assert [x["indicator"] for x in run_json(capsys, "--db", db, "self-eval", "list")] == ["3-2-S1"]
    r = run_json(capsys, "--db", db, "self-eval", "carry", "--accept-proposed")
    assert r["not_carried"] == [] and "3-4-1" in {c["indicator"] for c in r["carried"]}
    code, _, err = run(capsys, "--db", db, "self-eval", "carry", "--place", "3-4-1=3-3")
    assert code == 1 and "이미 옮겼거나" in err


def test_a_malformed_or_unknown_placement_starts_no_year(fresh_ws_path, capsys):
    for bad in ("3-3-5", "3-3-5=9-9"):
        code, _out, err = run(capsys, "--db", fresh_ws_path, "new-year", "--year", "2026", "--place", bad)
        assert code == 1 and err.startswith("오류:")
    assert run_json(capsys, "--db", fresh_ws_path, "status")["year"] == 2025


def test_create_from_reports_labels_to_place_and_missing_areas(tmp_path, capsys):
    db = tmp_path / "w.sqlite"
    _init26(capsys, db)
    header = ["타임스탬프", "Ⅲ-3. 민주시민교육 – 우리 학교는 학생 의견을 존중한다.",
              "Ⅲ-2. 체험활동 중심 교육 – 체험학습이 알차다.", "Ⅱ-2. 수업·평가 혁신 – 수업이 즐겁다."]
    rows = [["9:00", "매우 그렇다", "그렇다", "보통이다"], ["9:01", "그렇다", "그렇다", "매우 그렇다"]]
    f = write_csv(tmp_path / "학부모.csv", header, rows)
    r = run_json(capsys, "--db", db, "survey", "create-from", f, "--id", "own-2026", "--group", "학부모")
    kinds = {p["label"]: (p["kind"], p["subarea"]) for p in r["placements"]}
    assert kinds == {"Ⅲ-3. 민주시민교육": ("earlier", "3-2"), "Ⅲ-2. 체험활동 중심 교육": ("unknown", None),
                     "Ⅱ-2. 수업·평가 혁신": ("exact", "2-2")}
    assert len(r["coverage"]) == 1 and r["coverage"][0].startswith("학부모 설문에 Ⅰ 영역(협력적 학교자치문화) 문항이 없습니다")
    code, out, _ = run(capsys, "--db", db, "survey", "create-from", f, "--id", "own2-2026", "--group", "학부모")
    assert code == 0 and "세부영역 확인 필요" in out and "'Ⅲ-2. 체험활동 중심 교육'은(는) 올해 세부영역에 없습니다" in out
    assert "학부모 설문에 Ⅰ 영역" in out
    run_json(capsys, "--db", db, "import-responses", f, "--instrument", "own-2026", "--group", "학부모")
    code, out, _ = run(capsys, "--db", db, "check")
    assert code == 0 and "own-2026: 학부모 설문에 Ⅰ 영역" in out
    assert any("own-2026" in w for w in run_json(capsys, "--db", db, "status")["coverage"])
