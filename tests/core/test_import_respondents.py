"""n counts real respondents: a row that answered no scale item is not stored and not counted, and the
summary says so; `stats` marks groups under 5 (issue 14, item 9)."""

from __future__ import annotations

import random
import sqlite3

import pandas as pd
import pytest
from _import_util import AGREE5, SODI, run, run_json, sodi_items, write_csv

from schoolvault import services
from schoolvault.catalog import resolve
from schoolvault.workspace import open_workspace


def _file(tmp_path, real: int, only_text: list[str], seed: int = 5):
    items = sodi_items("교원")
    question = next(q for q in resolve(None, SODI).instrument.open_questions if q.applies_to("교원"))
    rng = random.Random(seed)
    rows, values = [], []
    for r in range(real):
        vals = [rng.randint(1, 5) for _ in items]
        values.append(dict(zip([i.code for i in items], vals)))
        rows.append([f"2026/06/02 오전 9:00:{r:02d}"] + [AGREE5[v - 1] for v in vals] + ["회의가 짧아져서 좋습니다."])
    for k, text in enumerate(only_text):
        rows.append([f"2026/06/02 오전 10:00:{k:02d}"] + [""] * len(items) + [text])
    f = write_csv(tmp_path / "교원.csv", ["타임스탬프"] + [i.text for i in items] + [question.text], rows)
    return f, pd.DataFrame(values)


def test_rows_answering_no_scale_item_are_not_respondents(fresh_ws_path, tmp_path, capsys):
    f, df = _file(tmp_path, 1, ["없음", "없음", "없습니다", "."])
    code, out, _ = run(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI,
                       "--group", "교원", "--dry-run")
    assert code == 0 and "척도 문항에 하나도 답하지 않은 행 4개" in out
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert (r["rows_read"], r["respondents"], r["rows_without_scale_answers"]) == (5, 1, 4)
    assert any("척도 문항에 하나도 답하지 않은 행 4개" in n for n in r["notes"])
    with sqlite3.connect(fresh_ws_path) as c:
        assert c.execute("SELECT COUNT(*) FROM respondents").fetchone()[0] == 1
        assert c.execute("SELECT n_respondents FROM administrations").fetchone()[0] == 1
    with open_workspace(fresh_ws_path) as ws:
        st = services.stats(ws, SODI)["groups"]["교원"]
    assert st["n"] == len(df) == 1 and st["suppressed_outside"] is True


def test_a_row_with_only_a_real_opinion_is_skipped_and_the_summary_says_its_text_is_left_out(
        fresh_ws_path, tmp_path, capsys):
    f, _ = _file(tmp_path, 6, ["체험학습을 늘려 주세요.", "없음"])
    r = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    assert (r["respondents"], r["rows_without_scale_answers"]) == (6, 2)
    note = next(n for n in r["notes"] if "척도 문항에 하나도" in n)
    assert "1행의 서술형 의견도" in note
    reasons = [s["reason"] for s in r["skipped_rows"]]
    assert sum(1 for x in reasons if "의견만 있음" in x) == 1 and len(reasons) == 2


def test_group_statistics_count_real_respondents_only(fresh_ws_path, tmp_path, capsys):
    f, df = _file(tmp_path, 7, ["없음"] * 3, seed=11)
    run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    with open_workspace(fresh_ws_path) as ws:
        st = services.stats(ws, SODI)["groups"]["교원"]
    assert st["n"] == 7 and st["suppressed_outside"] is False
    reverse = {i.code for i in sodi_items("교원") if i.reverse}
    for code in df.columns:
        col = 6 - df[code] if code in reverse else df[code]  # statistics are on scored values
        assert st["items"][code]["n"] == col.count()
        assert st["items"][code]["mean"] == pytest.approx(col.mean(), abs=1e-9)
        assert st["items"][code]["sd"] == pytest.approx(col.std(ddof=1), abs=1e-9)


def test_stats_marks_groups_under_five_in_json_and_text(fresh_ws_path, tmp_path, capsys):
    f, _ = _file(tmp_path, 3, [])
    run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", SODI, "--group", "교원")
    r = run_json(capsys, "--db", fresh_ws_path, "stats", "--instrument", SODI)
    assert r["groups"]["교원"]["suppressed_outside"] is True and r["groups"]["교원"]["n"] == 3
    code, out, _ = run(capsys, "--db", fresh_ws_path, "stats", "--instrument", SODI)
    assert code == 0 and "[교원] 응답자 3명 — n<5 (외부 비공개)" in out


def test_stats_of_a_group_of_five_or_more_is_not_marked(demo_ws_path, capsys):
    r = run_json(capsys, "--db", demo_ws_path, "stats", "--instrument", SODI)
    assert r["groups"] and all(g["suppressed_outside"] == (g["n"] < 5) for g in r["groups"].values())
    code, out, _ = run(capsys, "--db", demo_ws_path, "stats", "--instrument", SODI)
    assert code == 0 and out.count("외부 비공개") == sum(1 for g in r["groups"].values() if g["n"] < 5)
