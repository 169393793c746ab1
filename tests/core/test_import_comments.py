"""Open-ended answers: stored as comments, listed without meaningless answers; paper entry."""

from __future__ import annotations

import pytest
from _import_util import (
    AGREE5,
    SODI,
    assert_refused,
    run,
    run_json,
    sodi_items,
    write_csv,
)

from schoolvault.errors import SchoolVaultError
from schoolvault.importing.comments import is_meaningless


@pytest.mark.parametrize("text", ["", "  ", ".", "...", "-", "없음", "없음\n", "없습니다.", "없어요", "특별히 없어요",
                                  "딱히 없음", "의견 없음", "해당 없음", "x", "없다"])
def test_meaningless_answers(text):
    assert is_meaningless(text)


@pytest.mark.parametrize("text", ["최고의 학교", "행복가동", "없는 것이 없는 학교입니다", "체험학습을 늘려 주세요.",
                                  "급식이 맛있어요!"])
def test_real_opinions_are_kept(text):
    assert not is_meaningless(text)


def test_comments_command_lists_text_answers_of_a_group(fresh_ws_path, tmp_path, capsys):
    from schoolvault.catalog import resolve
    survey = resolve(None, SODI).instrument
    items = sodi_items("교원")
    opens = [q for q in survey.open_questions if q.applies_to("교원")]
    texts = ["회의가 짧아져서 좋습니다.", "없음", ".", "", "업무 분장을 조정해 주세요."]
    header = ["타임스탬프"] + [i.text for i in items] + [opens[0].text]
    rows = [[f"9:{n}"] + [AGREE5[n % 5]] * len(items) + [t] for n, t in enumerate(texts)]
    f = write_csv(tmp_path / "a.csv", header, rows)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert r["comments"] == 4 and r["columns_comments"][0]["item"] == opens[0].code
    out = run_json(capsys, "--db", fresh_ws_path, "comments", "--instrument", SODI, "--group", "교원")
    assert out == {"comments": [{"item": opens[0].code, "group": "교원", "text": "회의가 짧아져서 좋습니다."},
                                {"item": opens[0].code, "group": "교원", "text": "업무 분장을 조정해 주세요."}]}
    assert run_json(capsys, "--db", fresh_ws_path, "comments", "--instrument", SODI, "--group", "학생") == \
        {"comments": []}


def test_paper_rows_are_saved_and_replaced_as_one_batch(fresh_ws):
    from schoolvault import services
    from schoolvault.importing.paper import save_paper_rows
    items = [i.code for i in sodi_items("학생")]
    rows = [{items[0]: 5, items[1]: "4"}, {items[0]: 2}, {}]
    adm = save_paper_rows(fresh_ws, SODI, "학생", rows)
    st = services.stats(fresh_ws, SODI, "학생")["groups"]["학생"]
    assert st["n"] == 2 and st["items"][items[0]]["mean"] == 3.5
    adm2 = save_paper_rows(fresh_ws, SODI, "학생", rows + [{items[0]: 1}], administration=adm)
    st = services.stats(fresh_ws, SODI, "학생")["groups"]["학생"]
    assert adm2 is not None and st["n"] == 3 and st["items"][items[0]]["mean"] == pytest.approx(8 / 3)
    with pytest.raises(SchoolVaultError, match="1~5"):
        save_paper_rows(fresh_ws, SODI, "학생", [{items[0]: 7}], administration=adm2)
    assert services.stats(fresh_ws, SODI, "학생")["groups"]["학생"]["n"] == 3


@pytest.mark.parametrize(("args", "fragment"), [(["--instrument", "sodi-exmaple-2025"], "찾을 수 없습니다"),
                                                (["--instrument", "sodi-example-2025", "--group", "졸업생"],
                                                 "이 설문의 응답 집단: 교원"),
                                                (["--instrument", "seoul-guidebook-2025"], "설문 도구가 아닙니다")])
def test_comments_for_a_mistyped_survey_or_group_is_an_error_not_an_empty_list(fresh_ws_path, capsys, args, fragment):
    code, out, err = run(capsys, "--db", fresh_ws_path, "comments", *args)
    assert_refused(code, out, err, fragment)
