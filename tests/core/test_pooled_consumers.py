"""Every place that shows a guidebook survey's 영역/세부영역 shows the same pooled figures and 4단계 as
`stats`: the results page data, the evaluation report, the workbook; each report's methodology note
names the rule its surveys follow (issue 12)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from reportlab.platypus import Paragraph, Table

from schoolvault import results, services
from schoolvault.forms.scoring import level_text
from schoolvault.reports.data import collect
from schoolvault.reports.evaluation_report import build_evaluation_story
from schoolvault.workspace import open_workspace

EVAL = "seoul-eval-survey-2025"
SODI = "sodi-example-2025"


def _texts(flowables) -> list[str]:
    """Plain text of every paragraph and table cell in a story (nested tables and keeps included)."""
    out: list[str] = []
    for f in flowables:
        if isinstance(f, Paragraph):
            out.append(f.getPlainText())
        elif isinstance(f, Table):
            for row in f._cellvalues:
                out += [c if isinstance(c, str) else " ".join(_texts(c if isinstance(c, list) else [c])) for c in row]
        elif hasattr(f, "_content"):
            out += _texts(f._content)
    return out


def test_results_page_data_carry_the_stats_levels(demo_ws):
    st = services.stats(demo_ws, EVAL)
    page = results.survey_results(demo_ws, EVAL)
    assert page["scoring"] == "guidebook"
    seen = 0
    for g, body in page["by_group"].items():
        for d in body["domains"]:
            want = st["groups"][g]["domains"][d["code"]]
            assert (d["answers"], d["mean"], d["rounded"], d["level"]) == (
                want["answers"], want["mean"], want["rounded"], want["level"])
            assert d["level"] in ("매우 우수", "우수", "보통", "미흡")
            seen += 1
        for f in body["factors"]:
            assert f["level"] == st["groups"][g]["factors"][f["code"]]["level"]
    assert seen >= 3
    sodi = results.survey_results(demo_ws, SODI)
    assert sodi["scoring"] == "respondent"
    assert all(d["level"] is None and d["answers"] is None for b in sodi["by_group"].values() for d in b["domains"])


def test_evaluation_report_shows_the_levels_and_names_both_rules(demo_ws):
    data = collect(demo_ws)
    text = "\n".join(_texts(build_evaluation_story(demo_ws, data)))
    st = services.stats(demo_ws, EVAL)
    sr = data.survey(EVAL)
    for g in sr.shown:
        for d in st["groups"][g]["domains"].values():
            assert level_text(d["rounded"], d["level"]) in text
    assert "세부영역·영역 결과 (학교평가 가이드북 방식)" in text
    assert "771 ÷ 175 = 4.405… → 4.4 → 매우 우수" in text
    assert "3.95 → 4.0" in text
    assert "요인·영역 점수 (응답자 점수 방식)" in text  # the demo year has SODI answers too


def test_sodi_report_methodology_names_only_the_respondent_rule(demo_ws_path, tmp_path):
    import pypdf

    from schoolvault.reports.sodi_report import sodi_report
    with open_workspace(demo_ws_path) as ws:
        sodi_report(ws, tmp_path / "s.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "s.pdf").pages)
    flat = "".join(text.split())
    assert "응답자점수방식" in flat and "가이드북방식" not in flat


@pytest.fixture(scope="module")
def book(_template_demo_ws, tmp_path_factory):
    from schoolvault.reports.workbook import export_workbook
    d = tmp_path_factory.mktemp("pooled_book")
    shutil.copy(_template_demo_ws, d / "demo.sqlite")
    with open_workspace(d / "demo.sqlite") as ws:
        export_workbook(ws, d / "book.xlsx")
        stats = services.stats(ws, EVAL)
    wb = openpyxl.load_workbook(d / "book.xlsx", read_only=True)
    yield wb, stats
    wb.close()


def test_workbook_factor_sheet_has_the_pooled_figures(book):
    wb, st = book
    it = wb["요인·영역 점수"].iter_rows(values_only=True)
    head = next(it)
    checked = 0
    for r in (dict(zip(head, row)) for row in it):
        if r["도구"] != EVAL or r["n"] == "n<5":
            continue
        want = st["groups"][r["집단"]]["domains" if r["구분"] == "영역" else "factors"][r["코드"]]
        assert r["구분"] in ("영역", "세부영역")
        assert (r["n"], r["응답 수"], r["반올림 평균"], r["4단계"]) == (
            want["n"], want["answers"], want["rounded"], want["level"])
        assert r["평균"] == pytest.approx(want["mean"], rel=1e-12)
        checked += 1
    assert checked > 10
