"""What leaves the school (issue 14, items 5–7, 9): personal data inside answers is masked in every file,
a hidden group's size is "n<5" only, α and reverse items are labelled, the one-rule functions agree."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from test_reports_workbook import EVAL, SODI, _replace_group, rows

from schoolvault import results, services
from schoolvault.forms.scoring import (
    ALPHA_MIN_N,
    alpha_note,
    alpha_text,
    answered_counts,
    displayed_n,
)
from schoolvault.workspace import responses

SECRETS = ["010-2468-1357", "01024681357", "kim.secret@naver.com", "900101-1234567", "홍길순"]
PERSONAL = "홍길순 선생님께 010-2468-1357, kim.secret@naver.com, 900101-1234567로 연락 주세요"


def _texts(path) -> str:
    path = str(path)
    if path.endswith(".pdf"):
        return "".join(p.extract_text() for p in PdfReader(path).pages)
    if path.endswith(".xlsx"):
        wb = openpyxl.load_workbook(path)
        return "\n".join(str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c)
    with zipfile.ZipFile(path) as z:  # docx, hwpx: every XML part, tags removed
        return "\n".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8", "replace")) for n in z.namelist()
                         if n.endswith(".xml"))


def _plain(t: str) -> str:
    return "".join(t.split())


@pytest.fixture
def leaky_ws(demo_ws):
    _replace_group(demo_ws, SODI, "교원", 10, PERSONAL)
    return demo_ws


def test_personal_data_never_leaves_in_any_file(leaky_ws, tmp_path):
    from schoolvault.district.importer import import_submissions
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.school_report import school_report
    from schoolvault.reports.sodi_report import sodi_report
    from schoolvault.reports.workbook import export_workbook
    from schoolvault.workspace import open_workspace
    ids = [c[0] for a in responses.administrations(leaky_ws, None, SODI, "교원")
           for c in responses.comments(leaky_ws, [a.id])]
    assert ids and all(c[4] == 1 for a in responses.administrations(leaky_ws, None, SODI, "교원")
                       for c in responses.comments(leaky_ws, [a.id]))
    export_workbook(leaky_ws, tmp_path / "b.xlsx")
    sodi_report(leaky_ws, tmp_path / "auto.pdf")  # auto-picked: never the personal comment
    assert "(주민등록번호)로" not in _plain(_texts(tmp_path / "auto.pdf"))
    services_select = __import__("schoolvault.importing.comments", fromlist=["x"]).select_comments
    services_select(leaky_ws, ids[:1])
    outs = [tmp_path / "b.xlsx", tmp_path / "auto.pdf"]
    for name, write in (("s.pdf", sodi_report), ("e.pdf", evaluation_report)):
        write(leaky_ws, tmp_path / name)
        outs.append(tmp_path / name)
    for name in ("k.docx", "k.hwpx", "k.pdf"):
        school_report(leaky_ws, tmp_path / name, kind="internal")
        outs.append(tmp_path / name)
    picked = _plain(_texts(tmp_path / "s.pdf"))
    assert "○○○선생님께(전화번호),(전자우편),(주민등록번호)로연락주세요" in picked  # chosen by hand: masked
    assert "○○○ 선생님께" in _texts(tmp_path / "b.xlsx")  # the 의견 sheet too
    for out in outs:
        text = _texts(out)
        assert not [s for s in SECRETS if s in text or s in _plain(text)], out.name
    with open_workspace(tmp_path / "district.sqlite", create=True) as dws:
        import_submissions(dws, [tmp_path / "b.xlsx"], workers=1)
    raw = (tmp_path / "district.sqlite").read_bytes()
    assert not [s for s in SECRETS if s.encode() in raw]


def test_a_hidden_group_is_n_below_5_in_the_summary_sheet_and_the_pdfs(demo_ws, tmp_path):
    from test_reports import _shrink_group

    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.workbook import export_workbook
    _shrink_group(demo_ws, SODI, "직원", 3)
    export_workbook(demo_ws, tmp_path / "b.xlsx")
    evaluation_report(demo_ws, tmp_path / "e.pdf")
    summary = list(openpyxl.load_workbook(tmp_path / "b.xlsx")["요약"].iter_rows(values_only=True))
    staff = [r for r in summary if r[0] == "직원"]
    assert ("직원", "n<5", "비공개 (n<5)") in [r[:3] for r in staff]
    assert all(r[1] != 3 for r in staff)
    text = _plain(_texts(tmp_path / "e.pdf"))
    assert "직원n<5" in text and "직원3명" not in text
    assert displayed_n(3, "명") == "n<5" and displayed_n(5, "명") == "5명"


def test_alpha_notes_flag_negative_and_small_samples():
    assert alpha_note(-0.2, 40).startswith("α가 0보다 작음")
    assert "10명 미만" in alpha_note(0.9, ALPHA_MIN_N - 1)
    assert alpha_note(0.8, ALPHA_MIN_N) is None and alpha_note(None, 0) is None
    assert alpha_text(0.8, 30) == "0.80 (n=30)" and alpha_text(-0.1, 30).endswith("※")


def test_workbook_prints_the_alpha_note_and_answered_distribution(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    export_workbook(demo_ws, tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    st = services.stats(demo_ws, SODI)
    for r in rows(wb["요인·영역 점수"]):
        if r["구분"] in ("요인", "세부영역") and r["신뢰도(α)"] is not None:
            assert r["α 참고"] == alpha_note(r["신뢰도(α)"], r["α 계산 n"])
    survey = services.survey(demo_ws, SODI)
    rev = next(i for i in survey.items() if i.reverse)
    g = next(g for g in st["groups"] if rev.applies_to(g) and st["groups"][g]["n"] >= 5)
    row = next(r for r in rows(wb["문항 통계"]) if r["도구"] == SODI and r["집단"] == g and r["문항 코드"] == rev.code)
    k = survey.scale.points
    adms = [a.id for a in responses.administrations(demo_ws, None, SODI, g)]
    raw = pd.Series([r.get(rev.code) for r in responses.answers_by_respondent(demo_ws, adms)]).dropna()
    label = survey.scale.labels[k - 1]
    assert row[f"응답 {k}: {label}"] == int((raw == k).sum())  # as answered, not after reversal
    assert row["평균"] == pytest.approx((k + 1 - raw).mean(), abs=1e-12)  # the mean is scored
    assert answered_counts(rev, {"1": 7, str(k): 2}, k)[k] == 7


def test_the_results_page_and_the_documents_show_the_same_figures(demo_ws, tmp_path):
    """The GUI's data (results.survey_results, as the results page shows it) and the workbook agree on
    respondents, comments that count, factor scores and α; the evaluation report PDF prints the same n."""
    from schoolvault.reports.data import collect, comments, respondent_counts
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.workbook import export_workbook
    export_workbook(demo_ws, tmp_path / "b.xlsx")
    evaluation_report(demo_ws, tmp_path / "e.pdf")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    gui = results.survey_results(demo_ws, EVAL, period="학년말")
    data = collect(demo_ws)
    sr = data.survey(EVAL)
    assert gui["groups"] == list(sr.counts)  # one group order
    pdf = _plain(_texts(tmp_path / "e.pdf"))
    for g, shown in dict(respondent_counts([sr])[0][1]).items():
        assert gui["by_group"][g]["n"] == sr.counts[g]
        assert f"{g}{shown}" in pdf
    factors = {(r["코드"], r["집단"]): r for r in rows(wb["요인·영역 점수"]) if r["도구"] == EVAL}
    for g in sr.shown:
        for f in gui["by_group"][g]["factors"]:
            r = factors[f["code"], g]
            assert r["평균"] == pytest.approx(f["mean"], abs=1e-12)
            assert r["신뢰도(α)"] == pytest.approx(f["alpha"], abs=1e-12)
    # which comments count: the results page and the documents leave out the same answers
    assert sorted(c["text"] for c in gui["comments"] if c["group"] in sr.shown) == \
        sorted(c.text for c in comments(demo_ws, sr))
    assert data.last_year == results.survey_results(demo_ws, EVAL)["previous_year"]


def test_sodi_strengths_rank_only_factors_every_shown_group_answered(demo_ws):
    from schoolvault.reports.data import collect
    from schoolvault.reports.sodi_report_view import overall_scores, ranked_factors
    sr = collect(demo_ws).survey(SODI)
    ranked = ranked_factors(sr)
    partial = [f.code for f in sr.survey.factors()
               if any(f.code not in sr.stats["groups"][g]["factors"]
                      or sr.stats["groups"][g]["factors"][f.code]["score100"] is None for g in sr.shown)]
    assert partial, "the example survey has a factor asked of some groups only"
    assert ranked and not {c for c, _ in ranked} & set(partial)
    assert [v for _, v in ranked] == sorted((v for _, v in ranked), reverse=True)
    overall = overall_scores(sr)
    assert all(overall[c] == v for c, v in ranked)
