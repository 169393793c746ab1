"""Property tests (hypothesis) over the importer's value parsing and over importing random small CSVs."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from schoolvault import catalog
from schoolvault.errors import ImportRefused
from schoolvault.importing import import_responses
from schoolvault.importing.values import INVALID, ValueParser
from schoolvault.workspace import open_workspace

SURVEY = catalog.resolve(None, "sodi-example-2025").instrument
K = SURVEY.scale.points
LABELS = SURVEY.scale.labels

cells = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(LABELS), st.integers(1, K).map(str),
    st.builds(lambda v, lab: f"{v}. {lab}", st.integers(1, K), st.sampled_from(LABELS)),
)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_value_parser_returns_blank_invalid_or_a_scale_point_and_never_raises(cell):
    v = ValueParser(SURVEY.scale)(cell)
    assert v is None or v == INVALID or (isinstance(v, int) and 1 <= v <= K)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, K), st.sampled_from(["{}", " {} ", "{}점", "({})", "{}.0"]))
def test_every_scale_point_written_as_text_or_number_reads_as_itself(v, fmt):
    parse = ValueParser(SURVEY.scale)
    assert parse(v) == v
    assert parse(float(v)) == v
    assert parse(fmt.format(v)) == v or fmt == "{}.0"
    assert parse(LABELS[v - 1]) == v


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.integers(-1000, 0), st.integers(K + 1, 10**9), st.floats(1.01, K - 0.01).filter(lambda x: x != int(x))))
def test_numbers_off_the_scale_are_invalid(x):
    assert ValueParser(SURVEY.scale)(x) == INVALID


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=12))
def test_parsing_a_column_does_not_depend_on_what_came_before(column):
    """The parser caches per distinct cell; hash-equal cells (1, 1.0, True) must read the same in any order."""
    shared = ValueParser(SURVEY.scale)
    for cell in column:
        assert shared(cell) == ValueParser(SURVEY.scale)(cell), cell


@pytest.mark.parametrize("cell", [float("inf"), float("-inf"), 1e308 * 10])
def test_infinite_numbers_are_invalid_not_a_crash(cell):
    assert ValueParser(SURVEY.scale)(cell) == INVALID


@pytest.mark.parametrize("column", [[True, 1], [1, True], [True, 1.0]])
def test_a_true_cell_does_not_change_how_1_is_read(column):
    shared = ValueParser(SURVEY.scale)
    assert [shared(c) for c in column] == [ValueParser(SURVEY.scale)(c) for c in column]


# ---------------------------------------------------------------- random small CSVs, imported

ITEMS = list(SURVEY.items_for("교원"))
answer_cells = st.one_of(
    st.integers(1, K).map(str), st.sampled_from(LABELS), st.just(""),
    st.sampled_from(["0", "6", "-1", "3.5", "=1+1", "없음", "N/A", "매우", "+5"]),
    st.text(alphabet="abcxyz !?#", max_size=8),
)


def expected(cell: str) -> int | None:
    """Independent oracle for these cells: plain numbers 1..k and the exact scale labels."""
    if cell.strip().isdigit() and 1 <= int(cell) <= K:
        return int(cell)
    if cell in LABELS:
        return LABELS.index(cell) + 1
    return None


@pytest.fixture(scope="module")
def template(_template_ws) -> Path:
    return _template_ws


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), n_items=st.integers(2, 6), n_rows=st.integers(0, 8))
def test_random_small_csv_imports_exactly_what_it_says_or_is_refused_untouched(template, data, n_items, n_rows):
    items = data.draw(st.permutations(ITEMS)).__getitem__(slice(n_items))
    rows = [[data.draw(answer_cells) for _ in items] for _ in range(n_rows)]
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "ws.sqlite"
        shutil.copy(template, db)
        src = Path(d) / "in.csv"
        buf = io.StringIO()
        csv.writer(buf).writerows([[i.text for i in items], *rows])
        src.write_bytes(buf.getvalue().encode("utf-8"))
        before = db.read_bytes()
        ws = open_workspace(db)
        try:
            try:
                summary = import_responses(ws, src, "sodi-example-2025", "교원")
            except ImportRefused:
                summary = None
            stored: dict[int, dict] = {}
            for row_no, item, value in ws.conn.execute(
                    "SELECT r.row_no, a.item, a.value FROM answers a JOIN respondents r ON r.id = a.respondent_id"):
                stored.setdefault(row_no, {})[item] = value
            n_resp = ws.conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0]
        finally:
            ws.close()
        event("refused" if summary is None else "imported")
        if summary is None:
            assert db.read_bytes() == before
            assert n_resp == 0
            return
        assert summary["respondents"] == n_resp >= 1
        for row_no, answers in stored.items():
            cells_of_row = rows[row_no - 2]
            want = {i.code: expected(c) for i, c in zip(items, cells_of_row) if expected(c) is not None}
            assert answers == want, (row_no, cells_of_row)
        # every row with at least one valid answer is there, unless it repeats an earlier row
        seen = []
        for r, cells_of_row in enumerate(rows, start=2):
            if any(expected(c) is not None for c in cells_of_row) and cells_of_row not in seen:
                assert r in stored, (r, cells_of_row)
            seen.append(cells_of_row)


xlsx_cells = st.one_of(
    st.integers(-3, 8), st.floats(-2, 7, allow_nan=False).map(lambda x: round(x, 1)), st.booleans(), st.none(),
    st.sampled_from(LABELS), st.integers(1, K).map(str), st.text(alphabet="abc =+-", max_size=6),
)


def expected_xlsx(cell) -> int | None:
    """Oracle for typed cells: whole numbers 1..k (int or float), digit strings 1..k, exact labels."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, (int, float)):
        return int(cell) if cell == int(cell) and 1 <= cell <= K else None
    return expected(cell)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), n_items=st.integers(2, 5), n_rows=st.integers(1, 6))
def test_random_small_xlsx_imports_exactly_its_typed_cells(template, data, n_items, n_rows):
    import openpyxl
    items = data.draw(st.permutations(ITEMS))[:n_items]
    rows = [[data.draw(xlsx_cells) for _ in items] for _ in range(n_rows)]
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "ws.sqlite"
        shutil.copy(template, db)
        src = Path(d) / "in.xlsx"
        wb = openpyxl.Workbook()
        wb.active.append([i.text for i in items])
        for r in rows:
            wb.active.append([c if not (isinstance(c, str) and c.startswith("=")) else "'" + c for c in r])
        wb.save(src)
        before = db.read_bytes()
        ws = open_workspace(db)
        try:
            try:
                import_responses(ws, src, "sodi-example-2025", "교원")
                imported = True
            except ImportRefused:
                imported = False
            stored: dict[int, dict] = {}
            for row_no, item, value in ws.conn.execute(
                    "SELECT r.row_no, a.item, a.value FROM answers a JOIN respondents r ON r.id = a.respondent_id"):
                stored.setdefault(row_no, {})[item] = value
        finally:
            ws.close()
        if not imported:
            assert db.read_bytes() == before and not stored
            return
        for row_no, answers in stored.items():
            cells_of_row = rows[row_no - 2]
            want = {i.code: expected_xlsx(c) for i, c in zip(items, cells_of_row) if expected_xlsx(c) is not None}
            assert answers == want, (row_no, cells_of_row)
