"""The official item bank: import as is, build a questionnaire, write its template, round-trip a form."""

from __future__ import annotations

import openpyxl
import pytest
from _import_util import AGREE5, assert_refused, run, run_json


@pytest.fixture
def bank_ws(fresh_ws_path, real_fixtures, capsys):
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", real_fixtures / "seoul-item-bank-2025.json")
    assert (r["id"], r["kind"]) == ("itembank-2025", "itembank")
    return fresh_ws_path


def test_instruments_show_lists_the_bank_sets(bank_ws, capsys):
    shown = run_json(capsys, "--db", bank_ws, "instruments", "show", "itembank-2025")
    assert len(shown["sets"]) == 135
    s = shown["sets"][0]
    assert set(s) == {"area", "subarea", "indicator", "group", "items"}
    assert {x["group"] for x in shown["sets"]} == {"교원", "직원", "학생", "학부모"}
    code, out, _ = run(capsys, "--db", bank_ws, "instruments", "show", "itembank-2025")  # the outline
    assert code == 0 and len(out.splitlines()) < 60 and "지표 × 응답 집단 135개" in out
    for x in shown["sets"]:
        line = next(ln for ln in out.splitlines() if ln.strip().startswith(x["indicator"] + "  ["))
        assert x["group"] in line


@pytest.mark.parametrize("form", ["nargs", "repeated"])
def test_survey_build_takes_several_indicators_in_both_forms_and_any_middle_dot(bank_ws, capsys, form):
    # the bank writes 독서‧토론‧쓰기 with U+2027 and 교육과정 편성·운영 with U+00B7; users type either
    names = ["독서·토론·쓰기교육 활성화", "학교 회의 문화 활성화", "1-2-1"]
    ind = ["--indicator", *names] if form == "nargs" else [a for n in names for a in ("--indicator", n)]
    r = run_json(capsys, "--db", bank_ws, "survey", "build", "--id", "bank-2025", "--bank", "itembank-2025",
                 "--group", "교원용", *ind)
    assert r["items"] == 3 and r["groups"] == ["교원"]
    shown = run_json(capsys, "--db", bank_ws, "instruments", "show", "bank-2025")
    items = [i for d in shown["domains"] for f in d["factors"] for i in f["items"]]
    assert [i["indicator"] for i in items] == ["1-1-3", "1-2-1", "3-2-1"]  # guidebook order by area
    bank = run_json(capsys, "--db", bank_ws, "instruments", "show", "itembank-2025")["sets"]
    first = {(s["indicator"], s["group"]): s["items"][0] for s in bank}
    assert items[0]["text"] == first[("학교 회의 문화 활성화", "교원")]


def test_survey_build_for_a_group_the_indicator_does_not_ask_is_refused(bank_ws, capsys):
    code, out, err = run(capsys, "--db", bank_ws, "survey", "build", "--id", "x-2025", "--bank", "itembank-2025",
                         "--group", "학생", "--indicator", "학교 회의 문화 활성화")
    assert_refused(code, out, err, "학생용 문항이 없습니다")


def test_unknown_indicator_is_refused_with_a_hint(bank_ws, capsys):
    code, out, err = run(capsys, "--db", bank_ws, "survey", "build", "--id", "x-2025", "--bank", "itembank-2025",
                         "--group", "교원", "--indicator", "없는 지표")
    assert_refused(code, out, err, "instruments show")


@pytest.mark.parametrize(("typed", "near"), [("공동체 인성 교육", "공동체형 인성교육 내실화"),
                                           ("수학 과학 교육", "수학‧과학‧융합교육 내실화")])
def test_a_misspelled_indicator_is_refused_with_the_names_it_looks_like(bank_ws, capsys, typed, near):
    code, out, err = run(capsys, "--db", bank_ws, "survey", "build", "--id", "x-2025", "--bank", "itembank-2025",
                         "--group", "학생", "--indicator", typed)
    assert_refused(code, out, err, f"비슷한 지표: {near}")
    assert "instruments show itembank-2025" in err


def test_bank_round_trips_through_a_questionnaire_a_template_and_a_filled_form(bank_ws, tmp_path, capsys):
    run_json(capsys, "--db", bank_ws, "survey", "build", "--id", "bank-2025", "--bank", "itembank-2025",
             "--group", "학부모", "--indicator", "학교 비전 공유 및 실현", "예산 편성‧운영의 적정성 및 투명성 제고",
             "--items-per-indicator", "2")
    out = tmp_path / "양식.xlsx"
    r = run_json(capsys, "--db", bank_ws, "template", "--instrument", "bank-2025", "--group", "학부모", out)
    assert r["questions"] == 4
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["문항", "응답"]
    questions = [row[1] for row in wb["문항"].iter_rows(min_row=2, values_only=True)]
    header = [c.value for c in wb["응답"][1]]
    assert header[1:] == questions
    # a parent fills the response sheet as on paper: numbers in the template's cells
    ws = wb["응답"]
    answers = [[5, 4, 3, 2], [4, 4, 5, 1], [3, 2, 4, 5]]
    for r_i, row in enumerate(answers, start=2):
        ws.cell(r_i, 1, r_i - 1)
        for c_i, v in enumerate(row, start=2):
            ws.cell(r_i, c_i, v)
    wb.save(out)
    imp = run_json(capsys, "--db", bank_ws, "import-responses", out, "--instrument", "bank-2025", "--group", "학부모")
    assert imp["sheet"] == "응답" and imp["respondents"] == 3 and imp["columns_unmapped"] == []
    st = run_json(capsys, "--db", bank_ws, "stats", "--instrument", "bank-2025")["groups"]["학부모"]["items"]
    assert [st[c]["mean"] for c in ("Q01", "Q02", "Q03", "Q04")] == [4.0, 10 / 3, 4.0, 8 / 3]
    txt = tmp_path / "양식.txt"
    run_json(capsys, "--db", bank_ws, "template", "--instrument", "bank-2025", "--group", "학부모", txt)
    lines = txt.read_text(encoding="utf-8-sig").splitlines()
    assert f"1. {questions[0]}" in lines and " / ".join(reversed(AGREE5)) in lines[3]


def test_template_of_an_unknown_format_is_refused(fresh_ws_path, tmp_path, capsys):
    code, out, err = run(capsys, "--db", fresh_ws_path, "template", "--instrument", "sodi-example-2025",
                         "--group", "교원", tmp_path / "a.pdf")
    assert_refused(code, out, err, ".xlsx")


@pytest.mark.parametrize(("name", "fragment"), [("없는폴더/a.xlsx", "저장할 폴더가 없습니다"),
                                                ("없는폴더/a.txt", "저장할 폴더가 없습니다"),
                                                ("a-folder.xlsx", "저장할 수 없습니다"),
                                                ("a-folder.txt", "저장할 수 없습니다")])
def test_template_that_cannot_be_written_says_where_without_a_traceback(fresh_ws_path, tmp_path, capsys, name,
                                                                         fragment):
    (tmp_path / "a-folder.xlsx").mkdir()
    (tmp_path / "a-folder.txt").mkdir()
    code, out, err = run(capsys, "--db", fresh_ws_path, "template", "--instrument", "sodi-example-2025",
                         "--group", "교원", tmp_path / name)
    assert_refused(code, out, err, fragment)
    assert "Traceback" not in err and str(tmp_path) in err


def test_template_for_a_group_the_survey_does_not_ask_names_the_groups_it_does(fresh_ws_path, tmp_path, capsys):
    code, out, err = run(capsys, "--db", fresh_ws_path, "template", "--instrument", "sodi-example-2025",
                         "--group", "졸업생", tmp_path / "a.xlsx")
    assert_refused(code, out, err, "이 설문의 응답 집단: 교원, 직원, 학생, 학부모")
    assert not (tmp_path / "a.xlsx").exists()
