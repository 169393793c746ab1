"""`survey create-from`: the school's own questionnaire from an export's headers."""

from __future__ import annotations

from _import_util import assert_refused, run, run_json, write_csv

HEADER = ["타임스탬프", "이메일 주소", "1. 우리 학교는 안전하다.", "2. 선생님은 내 이야기를 들어 주신다.",
          "3. 학교에 바라는 점을 자유롭게 적어 주세요."]
FOUR = ["전혀 그렇지 않다", "그렇지 않다", "그렇다", "매우 그렇다"]


def test_scale_columns_become_items_text_columns_open_questions_personal_columns_vanish(fresh_ws_path, tmp_path,
                                                                                        capsys):
    rows = [["9:00", "a@b.kr", "매우 그렇다", "그렇다", "운동장을 넓혀 주세요"],
            ["9:01", "c@d.kr", "보통이다", "그렇다", "없음"],
            ["9:02", "e@f.kr", "그렇다", "매우 그렇다", ""]]
    f = write_csv(tmp_path / "학생설문.csv", HEADER, rows)
    r = run_json(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "own-2025", "--group", "학생용",
                 "--title", "우리 학교 학생 설문")
    assert (r["items"], r["open_questions"], r["scale"]["points"], r["groups"]) == (2, 1, 5, ["학생"])
    assert r["columns"]["dropped"] == ["이메일 주소"] and r["columns"]["ignored"] == ["타임스탬프"]
    shown = run_json(capsys, "--db", fresh_ws_path, "instruments", "show", "own-2025")
    assert "이메일" not in str(shown) and shown["title"] == "우리 학교 학생 설문"
    imp = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", "own-2025",
                   "--group", "학생")
    assert imp["respondents"] == 3 and imp["comments"] == 2


def test_four_point_forms_are_four_point_when_told(fresh_ws_path, tmp_path, capsys):
    rows = [["9:00", "", FOUR[3], FOUR[0], ""], ["9:01", "", FOUR[2], FOUR[1], ""]]
    f = write_csv(tmp_path / "a.csv", HEADER, rows)
    r = run_json(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "own4-2025", "--group", "교원",
                 "--scale-points", "4")
    assert r["scale"] == {"points": 4, "labels": FOUR}
    run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", "own4-2025", "--group", "교원")
    st = run_json(capsys, "--db", fresh_ws_path, "stats", "--instrument", "own4-2025")["groups"]["교원"]["items"]
    assert (st["Q01"]["mean"], st["Q02"]["mean"]) == (3.5, 1.5)


def test_items_can_then_be_linked_to_guidebook_indicators(fresh_ws_path, tmp_path, capsys):
    rows = [["9:00", "", "매우 그렇다", "그렇다", ""]]
    f = write_csv(tmp_path / "a.csv", HEADER, rows)
    run_json(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "own-2025", "--group", "교원")
    r = run_json(capsys, "--db", fresh_ws_path, "survey", "link", "--instrument", "own-2025", "Q01=교육시설 안전 강화",
                 "Q02=1-1-3")
    assert r["links"] == {"Q01": "3-4-1", "Q02": "1-1-3"}
    shown = run_json(capsys, "--db", fresh_ws_path, "instruments", "show", "own-2025")
    assert [i.get("indicator") for d in shown["domains"] for fa in d["factors"] for i in fa["items"]] == \
        ["3-4-1", "1-1-3"]


def test_an_existing_id_or_an_unknown_group_is_refused(fresh_ws_path, tmp_path, capsys):
    f = write_csv(tmp_path / "a.csv", HEADER, [["9:00", "", "매우 그렇다", "그렇다", ""]])
    code, out, err = run(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "sodi-example-2025",
                         "--group", "교원")
    assert_refused(code, out, err, "이미 있습니다")
    code, out, err = run(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "x-2025",
                         "--group", "교직원")
    assert_refused(code, out, err, "응답 집단")


def test_questions_naming_a_guidebook_indicator_are_linked_to_it(fresh_ws_path, tmp_path, capsys):
    header = ["타임스탬프", "【영역】 Ⅰ-1. 소통과 협력 – 학교 회의 문화 활성화 우리 학교 회의는 도움이 되었습니까?",
              "【영역】 Ⅲ-4. 안전 – 교육시설 안전강화 학교 시설은 안전합니까?", "급식은 맛있습니까?"]
    f = write_csv(tmp_path / "a.csv", header, [["9:00", "매우 그렇다", "그렇다", "보통이다"]])
    r = run_json(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "own-2025", "--group", "교원")
    assert r["linked"] == {"Q01": "1-1-3", "Q02": "3-4-1"}


def test_grade_and_choice_columns_are_neither_items_nor_comments(fresh_ws_path, tmp_path, capsys):
    header = ["타임스탬프", "자녀의 학년", "학년 반 번호", "가장 좋았던 행사", "1. 우리 학교는 안전하다.",
              "학교에 바라는 점"]
    events = ["운동회", "학예회", "현장체험학습"]
    rows = [["9:00", f"{r % 6 + 1}학년", f"{r % 6 + 1}0{r % 9 + 1}", events[r % 3], "그렇다",
             f"의견 {r}번: 체험학습을 늘려 주세요" if r % 2 else ""] for r in range(12)]
    f = write_csv(tmp_path / "학부모.csv", header, rows)
    r = run_json(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "own-2025", "--group", "학부모")
    assert (r["items"], r["open_questions"]) == (1, 1)
    assert r["columns"]["dropped"] == ["학년 반 번호"]
    assert set(r["columns"]["ignored"]) == {"타임스탬프", "자녀의 학년", "가장 좋았던 행사"}
