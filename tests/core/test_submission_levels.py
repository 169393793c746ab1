"""The submission workbook (format 2) carries the 영역 result of each 평가주체 for guidebook-scored surveys.

What a school exports is compared with what the school's own `stats` says (one rule, one place), small groups
leave no number behind, and a format-1 file (tests/fixtures/submission_v1.xlsx, written by the released
format-1 writer) still reads.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from schoolvault import services, submission
from schoolvault.district.reader import read_submission
from schoolvault.forms.model import Area, Domain
from schoolvault.forms.periods import MIDYEAR, YEAR_END
from schoolvault.forms.scoring import SUPPRESSED
from schoolvault.workspace import open_workspace, responses
from schoolvault.workspace.responses import ResponseRow

EVAL = "seoul-eval-survey-2025"
SODI = "sodi-example-2025"
V1_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "submission_v1.xlsx"
AREAS = (Area("1", "협력적 학교자치문화", ()), Area("2", "교육과정 운영 및 교수·학습 방법", ()),
         Area("3", "교육 활동 및 교육 성과", ()))


def _shrink_group(ws, instrument: str, group: str, n: int) -> None:
    """Keep only n respondents of the group (one administration)."""
    adms = responses.administrations(ws, None, instrument, group)
    keep = responses.answers_by_respondent(ws, [adms[0].id])[:n]
    with ws.transaction():
        for a in adms:
            responses.delete_administration(ws, a.id)
        responses.add_administration(ws, year=adms[0].year, instrument_ref=adms[0].instrument_ref, group=group,
                                     rows=[ResponseRow(r + 2, ans, {}) for r, ans in enumerate(keep)],
                                     method="import")


@pytest.fixture(scope="module")
def exported(_template_demo_ws, tmp_path_factory):
    """A demo school whose 직원 answered the 교육공동체 survey only 3 times, exported: (stats, submission)."""
    import shutil

    from schoolvault.reports.workbook import export_workbook
    d = tmp_path_factory.mktemp("levels")
    path = d / "school.sqlite"
    shutil.copy(_template_demo_ws, path)
    with open_workspace(path) as ws:
        _shrink_group(ws, EVAL, "직원", 3)
        _add_midyear(ws, EVAL, "학생", 40)
        export_workbook(ws, d / "제출.xlsx")
        own = services.stats(ws, EVAL, period=YEAR_END)
    return own, read_submission(d / "제출.xlsx"), d / "제출.xlsx"


def _add_midyear(ws, instrument: str, group: str, n: int) -> None:
    """A 중간평가 import where everyone answered 1: it must not move any 학년말 figure."""
    adm = responses.administrations(ws, None, instrument, group)[0]
    codes = [i.code for i in services.survey(ws, instrument).items_for(group)]
    with ws.transaction():
        responses.add_administration(ws, year=adm.year, instrument_ref=adm.instrument_ref, group=group,
                                     rows=[ResponseRow(r + 2, dict.fromkeys(codes, 1), {}) for r in range(n)],
                                     method="import", period=MIDYEAR)


def _level_rows(sub, instrument=EVAL) -> list[dict]:
    from schoolvault.workspace.district import ROW_COLUMNS
    return [dict(zip(ROW_COLUMNS, r)) for r in sub.rows if r[0] == submission.LEVEL_KIND and r[1] == instrument]


def test_the_export_is_the_current_format_and_its_checksum_verifies(exported):
    _, sub, path = exported
    assert sub.version == submission.FORMAT_VERSION >= 2 and sub.checksum_ok
    header = next(openpyxl.load_workbook(path, read_only=True)[submission.SUBMISSION_SHEET].iter_rows(values_only=True))
    assert tuple(header) == submission.COLUMNS


def test_each_group_and_domain_result_is_the_schools_own_stats(exported):
    own, sub, _ = exported
    rows = _level_rows(sub)
    shown = [g for g, st in own["groups"].items() if st["n"] >= 5]
    assert set(shown) == {"교원", "학생", "학부모"}
    checked = 0
    for g in shown:
        for code, d in own["groups"][g]["domains"].items():
            (row,) = [r for r in rows if r["grp"] == g and r["code"] == code]
            assert (row["n"], row["answers"], row["rounded"], row["level"]) == (
                d["n"], d["answers"], d["rounded"], d["level"])
            assert row["mean"] == pytest.approx(d["mean"], rel=1e-11)
            assert row["suppressed"] == 0
            checked += 1
    assert checked == 9
    assert all(r["level"] in ("매우 우수", "우수", "보통", "미흡") for r in rows if not r["suppressed"])
    assert {r["code"]: r["area"] for r in rows} == {"A1": "Ⅰ", "A2": "Ⅱ", "A3": "Ⅲ"}


def test_the_submission_reads_학년말_answers_only(exported):
    own, sub, _ = exported
    year_end = own["groups"]["학생"]["n"]
    assert next(r for r in sub.rows if r[0] == "respondents" and r[1] == EVAL and r[2] == "학생")[5] == year_end
    assert {r["n"] for r in _level_rows(sub) if r["grp"] == "학생"} <= set(range(1, year_end + 1))


def test_a_group_under_5_is_n_lt_5_with_no_figure_anywhere_in_its_rows(exported):
    _, sub, path = exported
    small = [r for r in _level_rows(sub) if r["grp"] == "직원"]
    assert len(small) == 3
    for r in small:
        assert r["suppressed"] == 1 and r["n"] is None
        assert all(r[k] is None for k in ("mean", "sd", "score100", "answers", "rounded", "level"))
    cells = [row for row in openpyxl.load_workbook(path, read_only=True)[submission.SUBMISSION_SHEET]
             .iter_rows(min_row=2, values_only=True) if row[0] == submission.LEVEL_KIND and row[2] == "직원"]
    assert len(cells) == 3
    assert all(row[5] == SUPPRESSED and all(v is None for v in row[6:15]) for row in cells)


def test_a_respondent_scored_survey_has_no_area_result(exported):
    _, sub, _ = exported
    assert _level_rows(sub, SODI) == []


def test_a_format_1_file_still_reads_without_area_results():
    sub = read_submission(V1_FIXTURE)
    assert sub.version == 1 and sub.checksum_ok
    assert not [r for r in sub.rows if r[0] == submission.LEVEL_KIND]
    assert all(len(r) == len(sub.rows[0]) and r[13:] == (None, None, None, "") for r in sub.rows)


def test_a_format_1_file_with_an_edited_cell_still_fails_its_checksum(tmp_path):
    wb = openpyxl.load_workbook(V1_FIXTURE)
    sh = wb[submission.SUBMISSION_SHEET]
    r = next(i for i, row in enumerate(sh.iter_rows(values_only=True), start=1) if row[0] == "domain")
    sh.cell(r, 7).value = 4.9
    wb.save(tmp_path / "edited.xlsx")
    assert not read_submission(tmp_path / "edited.xlsx").checksum_ok


def test_a_format_2_file_without_the_new_columns_is_refused(tmp_path):
    from schoolvault.district.reader import SubmissionRefused
    wb = openpyxl.load_workbook(V1_FIXTURE)
    meta = wb[submission.META_SHEET]
    r = next(i for i, row in enumerate(meta.iter_rows(values_only=True), start=1) if row[0] == "format_version")
    meta.cell(r, 2).value = 2
    wb.save(tmp_path / "v2-short.xlsx")
    with pytest.raises(SubmissionRefused, match="머리글"):
        read_submission(tmp_path / "v2-short.xlsx")


@pytest.mark.parametrize(("code", "title", "area"), [
    ("A1", "협력적 학교자치문화", "Ⅰ"),                       # the shipped survey
    ("D1", "Ⅱ. 교육과정운영 및 교수학습방법", "Ⅱ"),            # numbered, spaces and middle dot differ
    ("D7", "교육 활동 및 교육 성과 영역", "Ⅲ"),               # contains the title
    ("D3", "영역 Ⅲ", "Ⅲ"),                                  # survey create-from: "영역 {numeral}"
    ("D2", "III 교육성과", "Ⅲ"),
    ("X", "2) 수업", "Ⅱ"),
    ("A2", "우리 학교 이야기", "Ⅱ"),                          # A + digit: 영역 order
    ("D1", "설문 문항", ""),                                  # a domain of an untagged export says nothing
    ("Q", "Ⅲ-1 맞춤형 교육", ""),                              # a 세부영역 label is not a 영역 number
    ("A9", "기타", ""),
])
def test_a_domain_is_placed_in_its_영역_by_title_then_number_then_code(code, title, area):
    assert submission.area_of(Domain(code, title, ()), AREAS) == area


def test_the_area_keys_follow_the_guidebook_order():
    assert submission.area_titles(AREAS) == {"Ⅰ": "협력적 학교자치문화", "Ⅱ": "교육과정 운영 및 교수·학습 방법",
                                             "Ⅲ": "교육 활동 및 교육 성과"}
