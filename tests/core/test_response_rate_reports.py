"""응답률 in the documents: the participation tables of the evaluation and SODI reports (reports/data.py)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from test_reports import pdf_text

from schoolvault import services
from schoolvault.workspace import open_workspace

SODI = "sodi-example-2025"


def _counts(ws, instrument_id: str) -> dict[str, int]:
    """학년말 respondents with at least one answer per group, from the raw tables with pandas."""
    df = pd.read_sql_query(
        "SELECT a.grp, r.id AS rid FROM administrations a JOIN instruments i ON i.id = a.instrument_ref "
        "JOIN respondents r ON r.administration_id = a.id JOIN answers ans ON ans.respondent_id = r.id "
        "WHERE i.instrument_id = ? AND a.period = '학년말'", ws.conn, params=(instrument_id,))
    return df.groupby("grp")["rid"].nunique().to_dict()


@pytest.fixture(scope="module")
def built(_template_demo_ws, tmp_path_factory):
    """Both reports before and after the school enters the people asked (one group short: over 100%)."""
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.sodi_report import sodi_report
    d = tmp_path_factory.mktemp("rates")
    db = d / "demo.sqlite"
    shutil.copy(_template_demo_ws, db)
    with open_workspace(db) as ws:
        out = {"eval0": pdf_text(evaluation_report(ws, d / "e0.pdf")["file"]),
               "sodi0": pdf_text(sodi_report(ws, d / "s0.pdf")["file"])}
        n = _counts(ws, SODI)
        big = sorted(g for g, k in n.items() if k >= 5)
        asked = {g: n[g] + 10 * (i + 1) for i, g in enumerate(big)}
        asked[big[-1]] = n[big[-1]] - 1  # more respondents than people asked
        for g, k in asked.items():
            services.set_asked(ws, SODI, g, k)
        out.update(n=n, asked=asked, eval=pdf_text(evaluation_report(ws, d / "e1.pdf")["file"]),
                   sodi=pdf_text(sodi_report(ws, d / "s1.pdf")["file"]))
    return out


def test_no_rate_column_until_a_count_is_entered(built):
    assert "응답률" not in built["eval0"] and "응답률" not in built["sodi0"]


@pytest.mark.parametrize("report", ["eval", "sodi"])
def test_rates_are_printed_and_over_100_flagged(built, report):
    text = built[report]
    assert "응답률" in text
    for g, k in built["asked"].items():
        rate = f"{built['n'][g] / k * 100:.1f}%"
        assert (rate + "※" if built["n"][g] > k else rate) in text, (g, rate)
    assert "※응답자가대상자보다많습니다" in text


def test_a_hidden_group_gets_no_rate(demo_ws):
    from schoolvault.reports.data import response_rates, survey_result
    year = services.require_school(demo_ws)[1]
    sr = survey_result(demo_ws, SODI, year)
    g = next(iter(sr.counts))
    sr.suppressed.append(g)
    sr.asked = {x: n + 50 for x, n in sr.counts.items()}
    rates = response_rates(sr)
    assert rates is not None and rates[g] == "–"
    assert all(v == f"{sr.counts[x] / (sr.counts[x] + 50) * 100:.1f}%" for x, v in rates.items()
               if x not in sr.suppressed)
    sr.asked = {}
    assert response_rates(sr) is None
