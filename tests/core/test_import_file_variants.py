"""Files full of answers that were refused for the wrong reason: a ';'-separated CSV whose questions contain
commas, answer labels in NFD, numbers written as 5.0; and refusals that name the real cause (issue 14, item 16)."""

from __future__ import annotations

import random
import unicodedata

import pandas as pd
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

from schoolvault import services
from schoolvault.importing.reading import detect_delimiter
from schoolvault.importing.values import ValueParser, guess_column
from schoolvault.workspace import open_workspace


def _values(n: int, k: int, seed: int = 3) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.randint(1, 5) for _ in range(k)] for _ in range(n)]


def _check_stats(db, values: list[list[int]]):
    """Item statistics against pandas on the scored values (reverse items k+1−v)."""
    items = sodi_items("교원")
    df = pd.DataFrame(values, columns=[i.code for i in items])
    with open_workspace(db) as ws:
        st = services.stats(ws, SODI)["groups"]["교원"]
    assert st["n"] == len(values)
    for i in items:
        col = 6 - df[i.code] if i.reverse else df[i.code]
        assert st["items"][i.code]["mean"] == pytest.approx(col.mean(), abs=1e-9)
        assert st["items"][i.code]["sd"] == pytest.approx(col.std(ddof=1), abs=1e-9)


def test_a_semicolon_csv_whose_questions_contain_commas_is_read(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    header = ["Zeitstempel"] + [f"{n}. {i.text} (학생, 교사, 학부모 모두)" for n, i in enumerate(items, 1)]
    values = _values(9, len(items))
    lines = [";".join(header)] + [";".join([f"02.06.2026 09:{r:02d}"] + [AGREE5[v - 1] for v in row])
                                  for r, row in enumerate(values)]
    f = tmp_path / "export.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines[0].count(",") > lines[0].count(";")
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert r["respondents"] == 9 and len(r["columns_mapped"]) == len(items)
    _check_stats(fresh_ws_path, values)


def test_delimiter_detection_prefers_the_one_every_row_agrees_on():
    assert detect_delimiter("a,b;c,d;e\n1;2;3\n4;5;6\n") == ";"
    assert detect_delimiter('"질문 1, 하나",질문2\n매우 그렇다,그렇다\n') == ","
    assert detect_delimiter("q1\tq2, 둘\tq3\n1\t2\t3\n") == "\t"


def test_answer_labels_in_nfd_are_read(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    values = _values(8, len(items), seed=8)
    rows = [[f"2026/06/02 오전 9:00:{r:02d}"] + [unicodedata.normalize("NFD", AGREE5[v - 1]) for v in row]
            for r, row in enumerate(values)]
    f = write_csv(tmp_path / "nfd.csv", [unicodedata.normalize("NFD", "타임스탬프")]
                  + [unicodedata.normalize("NFD", i.text) for i in items], rows)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert r["respondents"] == 8 and r["missing_cells"] == []
    _check_stats(fresh_ws_path, values)


def test_numbers_written_as_5_0_are_read(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    values = _values(7, len(items), seed=4)
    rows = [[f"9:{r:02d}"] + [f"{v}.0" if (r + j) % 2 else str(v) for j, v in enumerate(row)]
            for r, row in enumerate(values)]
    f = write_csv(tmp_path / "floats.csv", ["타임스탬프"] + [i.text for i in items], rows)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert r["respondents"] == 7 and r["missing_cells"] == []
    _check_stats(fresh_ws_path, values)


def test_value_parser_takes_integral_numbers_only():
    from schoolvault.forms.model import Scale
    p = ValueParser(Scale(5, tuple(AGREE5)))
    assert [p(x) for x in ("5.0", "4,0", "３", "3.00", 2.0)] == [5, 4, 3, 3, 2]
    assert all(p(x) == -1 for x in ("3.5", "6.0", "0.0", "+5", "+5.0"))
    assert guess_column(["5.0", "4.0", "1.0"]).kind == "numbers"


def test_values_off_the_scale_are_named_as_the_cause(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    f = write_csv(tmp_path / "abc.csv", ["타임스탬프"] + [i.text for i in items],
                  [[f"9:{r}"] + ["A", "B", "C"][r % 3:] + ["B"] * (len(items) - 3 + r % 3) for r in range(4)])
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert_refused(code, out, err, "척도와 맞지 않아")
    assert "2행 B열 'A'" in err and "매우 그렇다" in err


def test_a_file_with_only_open_answers_names_that(fresh_ws_path, tmp_path, capsys):
    from schoolvault.catalog import resolve
    q = next(q for q in resolve(None, SODI).instrument.open_questions if q.applies_to("교원"))
    items = sodi_items("교원")
    f = write_csv(tmp_path / "text.csv", ["타임스탬프"] + [i.text for i in items] + [q.text],
                  [[f"9:{r}"] + [""] * len(items) + ["없음"] for r in range(3)])
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert_refused(code, out, err, "척도 문항에 답한 행이 없습니다")
