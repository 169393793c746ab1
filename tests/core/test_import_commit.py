"""Importing a response file end to end: summary, personal data, duplicates, re-import, mappings,
atomicity, and statistics against pandas."""

from __future__ import annotations

import json
import random
import re

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
    write_xlsx,
)


def _export(tmp_path, name="응답.csv", n=12, seed=3, group="교원", extra_rows=(), blank_rate=0.05):
    """A Google-Forms-like export of the SODI example: timestamp, e-mail, name, numbered questions."""
    rng = random.Random(seed)
    items = sodi_items(group)
    header = ["타임스탬프", "이메일 주소", "성명"] + [f"{n}. {i.text}" for n, i in enumerate(items, 1)]
    rows, values = [], []
    for r in range(n):
        vals = {i.code: (None if rng.random() < blank_rate else rng.randint(1, 5)) for i in items}
        values.append(vals)
        rows.append([f"2025/06/02 오전 9:{r:02d}:00", f"teacher{r}@school.kr", f"홍길동{r}"]
                    + ["" if vals[i.code] is None else AGREE5[vals[i.code] - 1] for i in items])
    rows += list(extra_rows)
    f = tmp_path / name
    if name.endswith(".csv"):
        write_csv(f, header, rows)
    else:
        write_xlsx(f, {"설문지 응답 시트1": [header, *rows]})
    return f, items, values


def test_summary_reports_rows_columns_and_drops_personal_data(fresh_ws_path, tmp_path, capsys):
    f, items, _ = _export(tmp_path)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert (r["rows_read"], r["respondents"], r["skipped_rows"]) == (12, 12, [])
    assert {c["header"] for c in r["columns_dropped"]} == {"이메일 주소", "성명"}
    assert [c["header"] for c in r["columns_ignored"]] == ["타임스탬프"]
    assert len(r["columns_mapped"]) == len(items) and r["columns_unmapped"] == []
    assert all(c["confidence"] >= 0.9 for c in r["columns_mapped"])
    raw = fresh_ws_path.read_bytes() + (fresh_ws_path.parent / (fresh_ws_path.name + "-wal")).read_bytes() \
        if (fresh_ws_path.parent / (fresh_ws_path.name + "-wal")).exists() else fresh_ws_path.read_bytes()
    assert b"school.kr" not in raw and "홍길동".encode() not in raw


def test_blank_rows_double_submissions_and_invalid_cells_are_reported(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    dup_source = ["2025/06/02 오전 9:00:00", "teacher0@school.kr", "홍길동0"]
    f, _, _ = _export(tmp_path, blank_rate=0, extra_rows=[[""] * (3 + len(items))])
    rows = list(pd.read_csv(f, dtype=str, keep_default_na=False).itertuples(index=False, name=None))
    rows.append(rows[0])  # the same submission twice, timestamp included
    bad = list(rows[1])
    bad[3] = "잘 모르겠음"
    bad[0] = "2025/06/02 오전 10:00:00"
    rows.append(tuple(bad))
    header = list(pd.read_csv(f, nrows=0).columns)
    write_csv(f, header, rows)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert dup_source == list(rows[0][:3])
    assert {"row": 14, "reason": "빈 행"} in r["skipped_rows"]
    assert {"row": 15, "reason": "중복 제출 (2행과 같음)"} in r["skipped_rows"]
    assert r["missing_cells"] == [{"row": 16, "column": header[3], "letter": "D", "value": "잘 모르겠음",
                                   "reason": "척도에 없는 값"}]
    assert r["respondents"] == 13


def _counts(path):
    import sqlite3
    c = sqlite3.connect(path)
    try:
        return tuple(c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("administrations", "respondents", "answers", "comments"))
    finally:
        c.close()


def test_reimporting_the_same_file_is_refused_unless_replaced(fresh_ws_path, tmp_path, capsys):
    f, _, _ = _export(tmp_path)
    run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    before = fresh_ws_path.read_bytes()
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert_refused(code, out, err, "이미 가져온")
    assert fresh_ws_path.read_bytes() == before
    counts = _counts(fresh_ws_path)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원",
                 "--replace")
    assert r["replaced"] is not None and _counts(fresh_ws_path) == counts


def test_the_same_answers_saved_as_another_file_type_are_a_reimport(fresh_ws_path, tmp_path, capsys):
    f, _, _ = _export(tmp_path, "응답.csv")
    run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    g, _, _ = _export(tmp_path, "응답.xlsx")
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", g, "--instrument", SODI, "--group", "교원")
    assert_refused(code, out, err, "이미 가져온 파일 '응답.csv'과(와) 답이 같습니다")
    # when it was imported, as a person reads a clock: no ISO 'T' and no UTC offset
    assert re.search(r"\(응답\.csv, \d{4}-\d\d-\d\d \d\d:\d\d 가져옴\)", err), err


BAD_FILES = {
    "no matching column": lambda p: write_csv(p / "a.csv", ["날씨", "기분"], [["맑음", "좋음"]]),
    "header only": lambda p: write_csv(p / "a.csv", ["타임스탬프"] + [i.text for i in sodi_items("교원")], []),
    "empty": lambda p: (p / "a.csv").write_bytes(b""),
    "not a spreadsheet": lambda p: (p / "a.xlsx").write_bytes(b"\x00\x01binary" * 100),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_refused_file_leaves_the_workspace_byte_for_byte_unchanged(demo_ws_path, tmp_path, capsys, case):
    BAD_FILES[case](tmp_path)
    f = next(tmp_path.glob("a.*"))
    before = demo_ws_path.read_bytes()
    code, out, err = run(capsys, "--db", demo_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert_refused(code, out, err)
    assert demo_ws_path.read_bytes() == before
    wal = demo_ws_path.parent / (demo_ws_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_cancel_during_the_write_rolls_everything_back(fresh_ws, tmp_path):
    from schoolvault.errors import Cancelled
    from schoolvault.importing import import_responses
    from schoolvault.progress import Progress
    f, _, _ = _export(tmp_path, n=5000, seed=9)
    before = _counts(fresh_ws.path)
    calls = []

    def cb(done, total, label):
        calls.append(label)
        if label == "응답 저장 중" and done > 0:
            p.cancel()
    p = Progress(cb)
    with pytest.raises(Cancelled):
        import_responses(fresh_ws, f, SODI, "교원", progress=p)
    assert "응답 저장 중" in calls
    assert _counts(fresh_ws.path) == before


def test_mapping_file_names_columns_the_matcher_cannot_and_is_remembered(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    header = ["타임스탬프", "첫째 질문(줄임)"] + [i.text for i in items[1:]]
    rows = [[f"9:{r}", AGREE5[r % 5]] + [AGREE5[(r + 1) % 5]] * (len(items) - 1) for r in range(6)]
    f = write_csv(tmp_path / "a.csv", header, rows)
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원",
                 "--dry-run")
    assert [c["header"] for c in r["columns_unmapped"]] == ["첫째 질문(줄임)"]
    m = tmp_path / "map.json"
    m.write_text(json.dumps({"B": items[0].code}), encoding="utf-8")
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원",
                 "--mapping", m)
    assert {"column": "B", "header": "첫째 질문(줄임)", "role": "item", "item": items[0].code, "confidence": 1.0,
            "reason": "연결표"} in r["columns_mapped"]
    # the next export of the same form (other answers) reuses the mapping without being told
    rows2 = [[f"10:{r}", AGREE5[(r + 2) % 5]] + [AGREE5[r % 5]] * (len(items) - 1) for r in range(4)]
    g = write_csv(tmp_path / "b.csv", header, rows2)
    r2 = run_json(capsys, "--db", fresh_ws_path, "import-responses", g, "--instrument", SODI, "--group", "교원")
    assert r2["columns_unmapped"] == [] and len(r2["columns_mapped"]) == len(items)


def test_a_mapping_to_an_unknown_item_is_refused(fresh_ws_path, tmp_path, capsys):
    f, _, _ = _export(tmp_path)
    m = tmp_path / "map.json"
    m.write_text(json.dumps({"D": "NOPE"}), encoding="utf-8")
    before = fresh_ws_path.read_bytes()
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원",
                         "--mapping", m)
    assert_refused(code, out, err, "NOPE")
    assert fresh_ws_path.read_bytes() == before


def test_a_mistyped_mapping_path_says_so_in_korean(fresh_ws_path, tmp_path, capsys):
    f, _, _ = _export(tmp_path)
    code, out, err = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원",
                         "--mapping", tmp_path / "없는.json")
    assert_refused(code, out, err, "연결표 파일이 없습니다")
    assert "No such file" not in err and "--mapping" in err


def test_item_statistics_of_an_import_match_pandas(fresh_ws, tmp_path):
    from schoolvault import services
    from schoolvault.importing import import_responses
    f, items, values = _export(tmp_path, "응답.xlsx", n=40, seed=21, blank_rate=0.1)
    import_responses(fresh_ws, f, SODI, "교원")
    got = services.stats(fresh_ws, SODI, "교원")["groups"]["교원"]["items"]
    df = pd.DataFrame(values, dtype="float")
    for i in items:
        col = df[i.code].dropna()
        if i.reverse:
            col = 6 - col
        st = got[i.code]
        assert st["n"] == len(col)
        assert st["mean"] == pytest.approx(col.mean(), abs=1e-9)
        assert st["sd"] == pytest.approx(col.std(ddof=1), abs=1e-9)
        assert st["positive_rate"] == pytest.approx((col >= 4).mean(), abs=1e-9)


def test_identical_rows_without_a_timestamp_are_two_respondents(fresh_ws_path, tmp_path, capsys):
    items = sodi_items("교원")
    row = [AGREE5[j % 5] for j in range(len(items))]
    f = write_csv(tmp_path / "종이.csv", [i.text for i in items], [row, row, row[::-1]])
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert r["respondents"] == 3 and r["skipped_rows"] == []
    assert any("똑같은 행 1개" in p for p in r["problems"])
