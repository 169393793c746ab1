"""A Seoul school's real form (peer dashboard data): rebuild its Google-Forms CSV from the published
answer counts, make the survey from the export, import it, and reproduce the published 긍정률 and means.

Skips when ../shared/fixtures/real is absent (a user's clone has none).
"""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from _import_util import run_json, write_csv

GROUPS = {"교원용": "교원", "교직원용": "직원"}  # the dashboard's 교직원용 is the staff (직원) survey


def rebuild_export(path, data: dict, seed: int = 2026) -> tuple[list[str], list[list]]:
    """One row per respondent: a timestamp, then each question's label (blank where not answered)."""
    rng = random.Random(seed)
    n = data["responseCount"]
    questions, subjective = data["questions"], data.get("subjective", [])
    columns = []
    for q in questions:
        cells = [label for label, count in q["distribution"].items() for _ in range(count)]
        cells += [""] * (n - len(cells))
        rng.shuffle(cells)
        columns.append(cells)
    for s in subjective:
        columns.append(list(s["responses"]))
    header = ["타임스탬프"] + [q["header"] for q in questions] + [s["header"] for s in subjective]
    rows = [[f"2026. 7. {1 + r // 20}. 오후 {1 + r % 12}:{r % 60:02d}:{r % 7:02d}"] + [c[r] for c in columns]
            for r in range(n)]
    write_csv(path, header, rows, encoding="utf-8")
    return header, rows


@pytest.mark.parametrize("source_group", list(GROUPS))
def test_real_school_form_reproduces_the_published_figures(fresh_ws_path, real_fixtures, tmp_path, capsys,
                                                           source_group):
    data = json.loads((real_fixtures / "gadong-2026-midyear-distributions.json").read_text(encoding="utf-8"))
    g = data["groups"][source_group]
    group = GROUPS[source_group]
    f = tmp_path / f"가동초_{source_group}.csv"
    header, rows = rebuild_export(f, g)
    created = run_json(capsys, "--db", fresh_ws_path, "survey", "create-from", f, "--id", "gadong-2026",
                       "--group", group)
    assert created["items"] == len(g["questions"]) and created["open_questions"] == len(g.get("subjective", []))
    assert created["scale"]["points"] == 5  # even where nobody chose 전혀 그렇지 않다
    imp = run_json(capsys, "--db", fresh_ws_path, "import-responses", f, "--instrument", "gadong-2026",
                   "--group", group)
    assert imp["respondents"] == g["responseCount"] and imp["columns_unmapped"] == []
    st = run_json(capsys, "--db", fresh_ws_path, "stats", "--instrument", "gadong-2026")["groups"][group]
    codes = [c["item"] for c in imp["columns_mapped"]]
    assert len(codes) == len(g["questions"])
    # independent computation from the rebuilt rows (pandas), and the school's published figures
    df = pd.DataFrame(rows, columns=header)
    value = {lab: 5 - n for n, lab in enumerate(data["likertScale"])}  # listed 매우 그렇다 first
    for code, q in zip(codes, g["questions"]):
        item = st["items"][code]
        col = df[q["header"]].map(value).dropna()
        assert item["n"] == q["validResponseCount"] == len(col), q["id"]
        assert item["mean"] == pytest.approx(col.mean(), abs=1e-9)
        assert item["positive_rate"] == pytest.approx((col >= 4).mean(), abs=1e-9)
        assert round(item["positive_rate"] * 100 + 1e-9, 1) == q["positiveRate"], q["id"]
        assert round(item["mean"] + 1e-9, 2) == q["averageScore"], q["id"]
    comments = run_json(capsys, "--db", fresh_ws_path, "comments", "--instrument", "gadong-2026", "--group", group)
    assert len(comments["comments"]) == sum(s["meaningful"] for s in g.get("subjective", []))
