"""학년 as a respondent classification: recognised at import, kept as an attribute (never an item,
comment or identifier), statistics per 학년 against pandas, and the disclosure rule (n<5 and the
complementary cell)."""

from __future__ import annotations

import json
import random
import sqlite3

import pandas as pd
import pytest
from _import_util import AGREE5, assert_refused, run, run_json, write_csv, write_xlsx

from schoolvault.forms.breakdown import NO_ANSWER, hidden_cells, publishable
from schoolvault.importing.grades import INVALID, is_grade_header, parse_grades

GB = "seoul-eval-survey-2025"  # guidebook rule: 영역 pooled over answers


def _items(group: str):
    from schoolvault.catalog import resolve
    return resolve(None, GB).instrument.items_for(group)


def _parent_export(tmp_path, grades: list, header="자녀의 학년(복수 선택 가능)", seed=5, name="학부모.csv"):
    """A Google-Forms-like parents' export with a 학년 checkbox column; returns (file, values per row)."""
    rng = random.Random(seed)
    items = _items("학부모")
    head = ["타임스탬프", header] + [f"{n}. {i.text}" for n, i in enumerate(items, 1)]
    rows, values = [], []
    for r, g in enumerate(grades):
        vals = {i.code: (None if rng.random() < 0.05 else rng.randint(1, 5)) for i in items}
        values.append(vals)
        rows.append([f"2025/12/02 오후 1:{r:02d}:00", g] + ["" if vals[i.code] is None else AGREE5[vals[i.code] - 1]
                                                           for i in items])
    f = tmp_path / name
    if name.endswith(".csv"):
        write_csv(f, head, rows)
    else:
        write_xlsx(f, {"설문지 응답 시트1": [head, *rows]})
    return f, values


# ---------------------------------------------------------------- recognising the column

@pytest.mark.parametrize("header", [
    "학년", "몇 학년", "자녀의 학년", "자녀 학년(복수 선택 가능)", "자녀 학년 (복수선택가능)",
    "귀하의 자녀는 몇 학년입니까?", "1. 학년을 선택해 주세요.", "[필수] 자녀의 학년을 모두 선택해 주세요.",
    "학생의 학년은?", "자녀의 학년 *", "Q1. 자녀 학년",
])
def test_grade_headers_are_recognised(header):
    assert is_grade_header(header)


@pytest.mark.parametrize("header", ["학년 반 번호", "학년/반", "2025학년도 학교평가 만족도", "1학기 중 학년 활동",
                                    "이름", "타임스탬프", ("우리 학교는 학년별 협의회를 통해 교직원의 의견을 수렴하고 "
                                                       "있으며 이는 학교 운영에 도움이 되었다")])
def test_other_headers_are_not_grade_questions(header):
    assert not is_grade_header(header)


@pytest.mark.parametrize("cell, grades", [
    ("3학년", ("3학년",)), ("3", ("3학년",)), (3, ("3학년",)), (3.0, ("3학년",)), (" 3 학년 ", ("3학년",)),
    ("1학년, 3학년", ("1학년", "3학년")), ("3학년, 1학년", ("1학년", "3학년")), ("1학년;3학년", ("1학년", "3학년")),
    ("1,3", ("1학년", "3학년")), ("중1", ("1학년",)), ("고 2", ("2학년",)), ("중학교 3학년", ("3학년",)),
    ("초등 4학년", ("4학년",)), ("6학년(초등)", ("6학년",)), ("2학년, 기타: 유치원", ("2학년",)),
    ("1학년\n2학년", ("1학년", "2학년")), ("５학년", ("5학년",)),
])
def test_grade_answers_are_read(cell, grades):
    assert parse_grades(cell) == grades


@pytest.mark.parametrize("cell", ["기타", "7학년", "0", 3.5, True, "모름"])
def test_answers_without_a_grade_are_invalid(cell):
    assert parse_grades(cell) is INVALID


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_blank_grade_answers_are_none(cell):
    assert parse_grades(cell) is None


@pytest.mark.parametrize("header, grades", [
    ("자녀의 학년(복수 선택 가능)", ["1학년, 3학년", "2학년", "3학년", "1학년", "6학년", "2학년, 5학년"]),  # Google Forms
    ("자녀 학년", ["1학년|3학년", "2학년", "3학년", "1학년", "6학년", "2학년|5학년"]),  # Naver Form style
    ("학년", [1, 2, 3, 1, 6, 2]),  # a number column (.xlsx)
    ("몇 학년입니까?", ["중1", "중2", "중3", "중1", "중3", "중2"]),
])
def test_a_grade_column_is_kept_as_an_attribute_never_as_item_or_comment(fresh_ws, tmp_path, header, grades):
    from schoolvault.importing import import_responses
    f, _ = _parent_export(tmp_path, grades, header=header, name="학부모.xlsx")
    s = import_responses(fresh_ws, f, GB, "학부모")
    assert [c["header"] for c in s["columns_attributes"]] == [header]
    assert header not in {c["header"] for key in ("columns_mapped", "columns_comments", "columns_dropped",
                                                  "columns_ignored", "columns_unmapped") for c in s[key]}
    assert any(n.startswith("학년 문항을 응답자 구분으로 저장했습니다") for n in s["notes"])
    conn = fresh_ws.conn
    assert conn.execute("SELECT COUNT(*) FROM comments").fetchone()[0] == 0
    stored_items = {r[0] for r in conn.execute("SELECT DISTINCT item FROM answers")}
    assert stored_items <= {i.code for i in _items("학부모")}
    expect = sum(len(parse_grades(g)) for g in grades)
    assert conn.execute("SELECT COUNT(*) FROM respondent_attributes WHERE name = '학년'").fetchone()[0] == expect
    # only the category is kept: no column that could hold a name, a row number or the raw cell
    cols = [r[1] for r in conn.execute("PRAGMA table_info(respondent_attributes)")]
    assert cols == ["respondent_id", "name", "value"]


def test_a_class_and_number_column_is_still_dropped_as_personal(fresh_ws, tmp_path):
    from schoolvault.importing import import_responses
    f, _ = _parent_export(tmp_path, ["3-2-15"] * 6, header="학년 반 번호")
    s = import_responses(fresh_ws, f, GB, "학부모")
    assert [c["header"] for c in s["columns_dropped"]] == ["학년 반 번호"]
    assert not s["columns_attributes"]
    assert fresh_ws.conn.execute("SELECT COUNT(*) FROM respondent_attributes").fetchone()[0] == 0


def test_unreadable_grade_answers_are_reported_and_kept_without_a_grade(fresh_ws, tmp_path):
    from schoolvault.importing import import_responses
    f, _ = _parent_export(tmp_path, ["1학년", "2학년", "3학년", "1학년", "2학년", "모름", ""])
    s = import_responses(fresh_ws, f, GB, "학부모")
    assert s["respondents"] == 7
    assert s["attributes"] == {"학년": {"1학년": 2, "2학년": 2, "3학년": 1}}
    assert any("학년으로 읽을 수 없는 답 1개" in p for p in s["problems"])


def test_cli_import_summary_says_the_grade_was_saved(fresh_ws_path, tmp_path, capsys):
    f, _ = _parent_export(tmp_path, ["1학년", "2학년, 3학년", "3학년", "1학년", "2학년"])
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", GB, "--group", "학부모")
    assert code == 0, err
    assert "학년 문항을 응답자 구분으로 저장했습니다 (1학년 2명, 2학년 2명, 3학년 2명)" in out


# ---------------------------------------------------------------- the disclosure rule

def test_a_cell_under_five_is_hidden_with_the_next_smallest():
    assert hidden_cells({"1학년": 3, "2학년": 10, "3학년": 8}, 21) == {"1학년", "3학년"}


def test_two_small_cells_need_no_complement():
    assert hidden_cells({"1학년": 3, "2학년": 4, "3학년": 8, "4학년": 9}, 24) == {"1학년", "2학년"}


def test_without_a_published_total_there_is_no_complement():
    assert hidden_cells({"1학년": 3, "2학년": 10, "3학년": 8}, None) == {"1학년"}


def test_nothing_is_hidden_when_every_cell_has_five():
    assert hidden_cells({"1학년": 5, "2학년": 7}, 12) == set()


def test_a_group_under_five_hides_every_cell():
    assert hidden_cells({"1학년": 2, "2학년": 2}, 4) == {"1학년", "2학년"}


def test_empty_cells_take_no_part():
    assert hidden_cells({"1학년": 0, "2학년": 3, "3학년": 9, "4학년": 6}, 18) == {"2학년", "4학년"}


def test_multi_grade_parents_get_the_same_rule():
    # 20 parents, cells add up to 24 because four ticked two grades: the lone small cell still takes a partner
    assert hidden_cells({"1학년": 4, "2학년": 12, "3학년": 8}, 20) == {"1학년", "3학년"}


# ---------------------------------------------------------------- statistics per 학년

GRADES_40 = (["1학년"] * 9 + ["2학년"] * 11 + ["3학년"] * 3 + ["1학년, 2학년"] * 4 + ["4학년"] * 7
             + ["5학년, 6학년"] * 2 + ["6학년"] * 4)


def _pooled(df: pd.DataFrame, codes: list[str]) -> float:
    return df[codes].stack().mean()


def test_stats_by_grade_match_pandas_and_multi_grade_parents_count_in_both(fresh_ws, tmp_path):
    from schoolvault import services
    from schoolvault.importing import import_responses
    grades = GRADES_40 + [""]
    f, values = _parent_export(tmp_path, grades, seed=17)
    import_responses(fresh_ws, f, GB, "학부모")
    r = services.stats_by(fresh_ws, GB, "학년", "학부모")
    entry = r["groups"]["학부모"]
    df = pd.DataFrame(values, dtype="float")
    df["grades"] = [parse_grades(g) or (NO_ANSWER,) for g in grades]
    survey = services.survey(fresh_ws, GB)
    assert entry["n"] == len(grades) and entry["several"] == 6
    assert list(entry["cells"]) == ["1학년", "2학년", "3학년", "4학년", "5학년", "6학년", NO_ANSWER]
    for cell, st in entry["cells"].items():
        sub = df[[cell in gs for gs in df["grades"]]]
        assert st["n"] == len(sub)
        for item in survey.items_for("학부모"):
            col = sub[item.code].dropna()
            if len(col):
                assert st["items"][item.code]["mean"] == pytest.approx(col.mean(), abs=1e-9)
        for d in survey.domains:
            codes = [i.code for f_ in d.factors for i in f_.items_for("학부모")]
            if codes and sub[codes].notna().any().any():
                assert st["domains"][d.code]["mean"] == pytest.approx(_pooled(sub, codes), abs=1e-9)
                assert st["domains"][d.code]["answers"] == int(sub[codes].notna().sum().sum())
    # 3학년 (3), 5학년 (2) and 무응답 (1) are under five: three small cells need no complement
    assert entry["hidden_outside"] == ["3학년", "5학년", NO_ANSWER]
    assert [c for c, st in entry["cells"].items() if st["suppressed_outside"]] == entry["hidden_outside"]
    # the whole group is the ordinary group statistic; `stats` adds only its disclosure flag (41 ≥ 5: shown)
    whole = services.stats(fresh_ws, GB, "학부모")["groups"]["학부모"]
    assert whole.pop("suppressed_outside") is False
    assert entry["total"] == whole


def test_publishable_keeps_hidden_cells_inside_the_school(fresh_ws, tmp_path):
    from schoolvault import services
    from schoolvault.importing import import_responses
    f, _ = _parent_export(tmp_path, ["1학년"] * 9 + ["2학년"] * 6 + ["3학년"] * 2)
    import_responses(fresh_ws, f, GB, "학부모")
    out = publishable(services.stats_by(fresh_ws, GB, "학년"))
    cells = out["groups"]["학부모"]["cells"]
    assert cells["3학년"] == {"n": "n<5", "suppressed": True}
    assert cells["2학년"] == {"n": "n<5", "suppressed": True}  # 17 − 9 − 2 would give it away
    assert cells["1학년"]["n"] == 9 and "domains" in cells["1학년"] and "suppressed_outside" not in cells["1학년"]
    assert "hidden_outside" not in out["groups"]["학부모"]


def test_cli_by_grade_json_marks_cells_and_text_says_why(fresh_ws_path, tmp_path, capsys):
    f, _ = _parent_export(tmp_path, ["1학년"] * 9 + ["2학년"] * 6 + ["3학년"] * 2)
    db = ["--db", fresh_ws_path]
    assert run(capsys, *db, "import-responses", f, "--instrument", GB, "--group", "학부모")[0] == 0
    r = run_json(capsys, *db, "stats", "--instrument", GB, "--by", "학년")
    cells = r["groups"]["학부모"]["cells"]
    assert {c: st["suppressed_outside"] for c, st in cells.items()} == {"1학년": False, "2학년": True, "3학년": True}
    assert cells["3학년"]["n"] == 2 and cells["3학년"]["domains"]  # inside the school: every cell is shown
    code, out, _ = run(capsys, *db, "stats", "--instrument", GB, "--by", "학년")
    assert code == 0 and "밖으로 못 나감" in out and "5명 미만" in out


def test_cli_by_an_unknown_classification_is_a_korean_error(fresh_ws_path, capsys):
    code, out, err = run(capsys, "--db", fresh_ws_path, "stats", "--instrument", GB, "--by", "성별")
    assert_refused(code, out, err, "'성별'(으)로는 나눠 볼 수 없습니다")


def test_a_group_without_a_grade_question_has_no_cells(fresh_ws, tmp_path):
    from schoolvault import services
    from schoolvault.importing import import_responses
    f, _ = _parent_export(tmp_path, [""] * 6, header="학년")
    import_responses(fresh_ws, f, GB, "학부모")
    assert services.stats_by(fresh_ws, GB)["groups"]["학부모"]["cells"] == {}


def test_v3_fixture_parents_break_down_with_their_stored_grades(tmp_path):
    import shutil
    from pathlib import Path

    from schoolvault import services
    from schoolvault.workspace import open_workspace
    path = tmp_path / "v3.sqlite"
    shutil.copy(Path(__file__).resolve().parent.parent / "fixtures" / "schema_v3.sqlite", path)
    raw = sqlite3.connect(path)
    expect: dict[str, int] = {}
    for (v,) in raw.execute("SELECT value FROM respondent_attributes WHERE name = '학년'"):
        expect[v] = expect.get(v, 0) + 1
    no_grade = raw.execute("SELECT COUNT(*) FROM respondents r JOIN administrations a ON a.id = r.administration_id "
                           "WHERE a.grp = '학부모' AND r.id NOT IN (SELECT respondent_id FROM respondent_attributes)"
                           ).fetchone()[0]
    raw.close()
    with open_workspace(path) as ws:
        cells = services.stats_by(ws, "sodi-example-2025", "학년", "학부모")["groups"]["학부모"]["cells"]
    assert {c: st["n"] for c, st in cells.items()} == {**expect, NO_ANSWER: no_grade}
    assert json.dumps(cells, ensure_ascii=False)  # JSON-able as the CLI prints it


def test_an_item_that_mentions_the_grade_stays_an_item(fresh_ws, tmp_path):
    """'나는 이번 학년에 … 성장했다' is a survey item; exported as numbers 1..5 it still is not a 학년 column."""
    from _import_util import SODI, sodi_items

    from schoolvault.importing import import_responses
    items = sodi_items("학생")
    grade_item = next(i for i in items if "학년" in i.text)
    assert not is_grade_header(grade_item.text)
    rng = random.Random(8)
    rows = [[rng.randint(1, 5) for _ in items] for _ in range(8)]
    f = write_csv(tmp_path / "학생.csv", [i.text for i in items], rows)
    s = import_responses(fresh_ws, f, SODI, "학생")
    assert grade_item.code in {c["item"] for c in s["columns_mapped"]}
    assert not s["columns_attributes"]
