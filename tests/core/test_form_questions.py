"""The question list for Google Forms / Naver Form: 학년 first for 학생·학부모, options high first, and a
form built from it exports a file that imports with every column matched."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _import_util import AGREE5, write_csv

GB = "seoul-eval-survey-2025"


def _blocks(text: str) -> list[list[str]]:
    return [b.splitlines() for b in text.strip().split("\n\n")[1:]]


def test_parent_text_asks_grade_first_then_every_item_with_its_options(fresh_ws):
    from schoolvault import services
    survey = services.survey(fresh_ws, GB)
    text = services.form_questions_text(fresh_ws, GB, "학부모")
    blocks = _blocks(text)
    assert blocks[0][0].startswith("1. 자녀의 학년")
    assert blocks[0][1:] == [f"{k}학년" for k in range(1, 7)]  # 초등학교: 1~6학년
    items = survey.items_for("학부모")
    opens = [q for q in survey.open_questions if q.applies_to("학부모")]
    assert len(blocks) == 1 + len(items) + len(opens)
    for n, (block, item) in enumerate(zip(blocks[1:], items), 2):
        assert block[0] == f"{n}. {item.text}"
        assert block[1:] == list(reversed(survey.scale.labels))
    for block, q in zip(blocks[1 + len(items):], opens):
        assert block[1:] == ["(서술형)"]
        assert block[0].endswith(q.text)


def test_teacher_text_has_no_grade_question(fresh_ws):
    from schoolvault import services
    first = _blocks(services.form_questions_text(fresh_ws, GB, "교원"))[0]
    assert "학년" not in first[0]
    assert first[0] == "1. " + services.survey(fresh_ws, GB).items_for("교원")[0].text


def test_middle_school_students_get_three_grades():
    from schoolvault.catalog import resolve
    from schoolvault.importing.form_questions import form_questions
    qs = form_questions(resolve(None, GB).instrument, "학생", "중")
    assert qs[0]["options"] == ["1학년", "2학년", "3학년"]
    assert qs[0]["kind"] == "single"


def test_unknown_group_is_refused(fresh_ws):
    from schoolvault import services
    from schoolvault.errors import SchoolVaultError
    with pytest.raises(SchoolVaultError, match="응답 집단"):
        services.form_questions_text(fresh_ws, GB, "졸업생")


def test_xlsx_lists_the_same_questions_as_the_text(fresh_ws, tmp_path):
    from schoolvault import services
    out = tmp_path / "문항.xlsx"
    got = services.write_form_questions(fresh_ws, GB, "학생", out)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=3, values_only=True))
    blocks = _blocks(services.form_questions_text(fresh_ws, GB, "학생"))
    assert got["questions"] == len(rows) == len(blocks)
    for row, block in zip(rows, blocks):
        assert block[0] == f"{row[0]}. {row[1]}"
        if block[1:] == ["(서술형)"]:
            assert row[2].startswith("서술형") and row[3] is None
        else:
            assert row[3].split("\n") == block[1:]


def test_a_form_built_from_the_list_imports_with_grades_and_every_item(fresh_ws, tmp_path):
    from schoolvault import services
    from schoolvault.importing import import_responses
    from schoolvault.importing.form_questions import form_questions
    qs = form_questions(services.survey(fresh_ws, GB), "학부모", "초")
    head = ["타임스탬프"] + [q["text"] for q in qs]
    rows = [[f"9:0{r}", "1학년, 3학년"] + [AGREE5[(r * 3 + c * c) % 5] if q["kind"] == "single" else f"좋아요 {r}"
                                        for c, q in enumerate(qs[1:])] for r in range(6)]
    res = import_responses(fresh_ws, write_csv(tmp_path / "폼.csv", head, rows), GB, "학부모")
    assert res["respondents"] == 6
    assert not res.get("items_missing")
    assert res["attributes"]["학년"] == {"1학년": 6, "3학년": 6}
