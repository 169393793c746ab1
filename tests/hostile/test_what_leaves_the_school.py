"""What leaves the school: formula-injection text comes out inert, small groups stay out of the workbook."""

from __future__ import annotations

import pytest
from hostile_files import FORMULAS, GROUP, INSTRUMENT, csv_bytes, survey, valid_table

from schoolvault.importing import import_responses
from schoolvault.workspace import open_workspace

OPEN_Q = next(q for q in survey().open_questions if q.code == "C1").text


@pytest.fixture
def exported(fresh_ws_path, tmp_path):
    """A workspace with 12 교원 (comments full of formulas) and 3 직원, exported to a workbook."""
    import openpyxl

    from schoolvault.reports.workbook import export_workbook
    teachers = tmp_path / "교원.csv"
    teachers.write_bytes(csv_bytes(valid_table(extra={OPEN_Q: lambda r: FORMULAS[r % len(FORMULAS)] + f" #{r}"})))
    staff = tmp_path / "직원.csv"
    # the 직원 questionnaire (not the 교원 one: that is refused as the wrong group)
    staff.write_bytes(csv_bytes(valid_table(3, seed=9, extra={OPEN_Q: lambda r: f"직원 의견 비밀 {r}"}, group="직원")))
    out = tmp_path / "결과.xlsx"
    with open_workspace(fresh_ws_path) as ws:
        assert import_responses(ws, teachers, INSTRUMENT, GROUP)["respondents"] == 12
        assert import_responses(ws, staff, INSTRUMENT, "직원")["respondents"] == 3
        export_workbook(ws, out)
    return openpyxl.load_workbook(out)


def all_cells(wb):
    for sh in wb.worksheets:
        for row in sh.iter_rows():
            for c in row:
                if c.value is not None:
                    yield sh.title, c


def test_no_cell_of_the_exported_workbook_is_a_formula(exported):
    formulas = [(t, c.coordinate, c.value) for t, c in all_cells(exported) if c.data_type == "f"]
    assert formulas == []
    texts = [c.value for _, c in all_cells(exported) if isinstance(c.value, str)]
    for n, attack in enumerate(FORMULAS):
        hits = [t for t in texts if t.endswith(f" #{n}") and attack.strip() in t]
        assert hits, f"comment {n} missing from the workbook"
        assert all(t.startswith("'") for t in hits), hits


def test_a_group_under_five_respondents_does_not_leave_the_school(exported):
    texts = [str(c.value) for _, c in all_cells(exported)]
    assert not any("직원 의견 비밀" in t for t in texts)  # their comments stay home
    raw = [sh for sh in exported.worksheets if sh.title.startswith("원자료")]
    assert raw
    for sh in raw:
        groups = {row[1] for row in sh.iter_rows(min_row=2, values_only=True)}
        assert groups == {GROUP}, groups  # no raw rows of the 3 직원
