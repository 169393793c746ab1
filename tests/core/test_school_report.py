"""학교평가서 제출용/교내 보관용: the grid follows the guidebook rule, no item score leaves, every writer's file opens."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

import pandas as pd
import pytest

from schoolvault.reports import docmodel
from schoolvault.reports.school_report_view import FORM_GROUPS

SURVEY = "seoul-eval-survey-2025"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
TWO_DECIMALS = re.compile(r"\d\.\d\d")
LEVELS = ("매우 우수", "우수", "보통", "미흡")


@pytest.fixture(scope="module")
def written(tmp_path_factory, _template_demo_ws):
    """The demo school with a 직원 group cut to 3 respondents, its 학교평가서 in every format, and the view."""
    from schoolvault.reports.data import collect
    from schoolvault.reports.school_report import build_document, school_report
    from schoolvault.reports.school_report_view import INTERNAL, SUBMISSION, prepare
    from schoolvault.workspace import open_workspace
    d = tmp_path_factory.mktemp("school_report")
    path = d / "demo.sqlite"
    shutil.copy(_template_demo_ws, path)
    with open_workspace(path) as ws:
        with ws.transaction():
            adm = ws.conn.execute("SELECT a.id FROM administrations a JOIN instruments i ON i.id = a.instrument_ref "
                                  "WHERE a.grp = '직원' AND i.instrument_id = ?", (SURVEY,)).fetchone()[0]
            ws.conn.execute("DELETE FROM respondents WHERE administration_id = ? AND id NOT IN (SELECT id FROM "
                            "respondents WHERE administration_id = ? ORDER BY id LIMIT 3)", (adm, adm))
        out = {"path": path, "dir": d}
        for kind, suffixes in ((SUBMISSION, (".pdf", ".hwpx", ".docx")), (INTERNAL, (".docx",))):
            for suffix in suffixes:
                out[kind, suffix] = school_report(ws, d / f"{kind}{suffix}", kind=kind)
            view = prepare(ws, collect(ws), kind)
            out[kind] = view
            out[kind, "doc"] = build_document(view)
    return out


def _docx_tables(file):
    import docx
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(file)).tables]


def _hwpx_tables(file):
    with zipfile.ZipFile(file) as z:
        root = ET.fromstring(z.read("Contents/section0.xml"))
    tables = []
    for tbl in root.iter(f"{HP}tbl"):
        rows = []
        for tr in tbl.findall(f"{HP}tr"):
            rows.append(["".join(t.text or "" for t in tc.iter(f"{HP}t")) for tc in tr.findall(f"{HP}tc")])
        tables.append(rows)
    return tables


def _pdf_text(file) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() for p in PdfReader(str(file)).pages)


def _independent_levels(path) -> tuple[dict, object]:
    """{(group, domain): 4단계} from the stored 학년말 answers with pandas: pooled over answers, half up."""
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    with open_workspace(path) as ws:
        survey = services.survey(ws, SURVEY)
    conn = sqlite3.connect(path)
    df = pd.read_sql_query(
        "SELECT a.grp AS grp, x.item, x.value FROM answers x JOIN respondents r ON r.id = x.respondent_id "
        "JOIN administrations a ON a.id = r.administration_id JOIN instruments i ON i.id = a.instrument_ref "
        "WHERE i.instrument_id = ? AND a.period = '학년말'", conn, params=(SURVEY,))
    conn.close()
    k = survey.scale.points
    reverse = {i.code for i in survey.items() if i.reverse}
    df["score"] = [k + 1 - v if c in reverse else v for c, v in zip(df["item"], df["value"])]
    domain = {i.code: d.code for d in survey.domains for f in d.factors for i in f.items}
    df["domain"] = df["item"].map(domain)
    out = {}
    for (g, dom), part in df.groupby(["grp", "domain"]):
        rounded = Decimal(int(part["score"].sum())) / Decimal(len(part))
        r = float(rounded.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        out[g, dom] = LEVELS[0] if r >= 4 else LEVELS[1] if r >= 3 else LEVELS[2] if r >= 2 else LEVELS[3]
    return out, survey


def _grid_rows(tables) -> list[list[str]]:
    """The three 영역 rows of the 서식3-1 (1) grid (the first table), header rows dropped."""
    return [row for row in tables[0] if row and row[0][:2] in ("Ⅰ.", "Ⅱ.", "Ⅲ.")]


def test_grid_ticks_match_stats_json_and_an_independent_computation(written, capsys):
    from schoolvault.cli import main
    from schoolvault.submission import area_of
    expected, survey = _independent_levels(written["path"])
    assert main(["--db", str(written["path"]), "--json", "stats", "--instrument", SURVEY]) == 0
    st = json.loads(capsys.readouterr().out)
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    with open_workspace(written["path"]) as ws:
        areas = services.year_guidebook(ws).areas
    view = written["submission"]
    checked = 0
    for d in survey.domains:
        key = area_of(d, areas)
        for g in FORM_GROUPS:
            cell = view.grid[key, g]
            if g == "직원":
                assert cell.state == "suppressed"
                continue
            assert cell.level == st["groups"][g]["domains"][d.code]["level"] == expected[g, d.code]
            checked += 1
    assert checked == 9
    for tables in (_docx_tables(written["dir"] / "submission.docx"), _hwpx_tables(written["dir"] / "submission.hwpx")):
        rows = _grid_rows(tables)
        assert len(rows) == 3
        for row, (key, _) in zip(rows, view.areas):
            cells = row[1:]
            if len(cells) > 16:  # DOCX repeats a merged cell's text in every grid column it covers
                cells = cells[:16]
            for gi, g in enumerate(FORM_GROUPS[:3]):
                marks = cells[gi * 4:(gi + 1) * 4]
                assert marks == [docmodel.TICK if lv == view.grid[key, g].level else "" for lv in LEVELS]
            assert "n<5" in row


def test_submission_carries_no_item_score_in_any_format(written):
    texts = {
        ".pdf": _pdf_text(written["dir"] / "submission.pdf"),
        ".docx": "\n".join(c for t in _docx_tables(written["dir"] / "submission.docx") for r in t for c in r),
        ".hwpx": "\n".join(c for t in _hwpx_tables(written["dir"] / "submission.hwpx") for r in t for c in r),
    }
    for suffix, text in texts.items():
        assert "서식3-2" in text or suffix != ".pdf"
        assert not TWO_DECIMALS.search(text), f"{suffix}: {TWO_DECIMALS.search(text).group()}"
        assert "%" not in text
    internal = "\n".join(c for t in _docx_tables(written["dir"] / "internal.docx") for r in t for c in r)
    figures = [(g, f.mean) for r in written["internal"].items for g, f in r.figures.items()]
    assert figures and all(f"{m:.2f}" in internal for _, m in figures)
    assert {g for g, _ in figures} == set(FORM_GROUPS)


def test_item_list_has_every_item_answered_with_a_mark_per_group(written):
    from schoolvault import services
    from schoolvault.workspace import open_workspace
    with open_workspace(written["path"]) as ws:
        st = services.stats(ws, SURVEY)["groups"]
    answered = {code: {g for g in st if (st[g]["items"].get(code) or {}).get("n")} for g0 in st
                for code in st[g0]["items"]}
    rows = written["submission"].items
    assert {r.code for r in rows} == {c for c, gs in answered.items() if gs}
    assert all(set(r.answered_by) == answered[r.code] for r in rows)
    item_table = _docx_tables(written["dir"] / "submission.docx")[3]
    body = item_table[2:]
    assert len(body) == len(rows)
    for cells, r in zip(body, rows):
        assert cells[3] == r.text
        assert cells[4:] == [docmodel.ASKED if g in r.answered_by else "" for g in FORM_GROUPS]


def test_each_writer_makes_a_file_its_reader_opens(written):
    from hwpx import validate_package
    from pypdf import PdfReader
    doc = written["submission", "doc"]
    pdf = PdfReader(str(written["dir"] / "submission.pdf"))
    assert written["submission", ".pdf"]["pages"] == len(pdf.pages) >= 3
    fonts = {f.get_object()["/BaseFont"] for p in pdf.pages for f in p["/Resources"]["/Font"].values()}
    assert all("NanumGothic" in str(f) for f in fonts)
    descriptors = [f.get_object()["/FontDescriptor"].get_object() for p in pdf.pages
                   for f in p["/Resources"]["/Font"].values()]
    assert descriptors and all("/FontFile2" in d for d in descriptors)  # embedded
    assert "학교평가서" in pdf.pages[0].extract_text() and "영역별 평가 결과" in pdf.pages[0].extract_text()

    hwpx = written["dir"] / "submission.hwpx"
    with zipfile.ZipFile(hwpx) as z:
        assert z.namelist()[0] == "mimetype" and z.read("mimetype") == b"application/hwp+zip"
        assert "Contents/section0.xml" in z.namelist()
    report = validate_package(str(hwpx))
    assert not [i for i in report.issues if i.level == "error"]
    tables = _hwpx_tables(hwpx)
    assert len(tables) == len(doc.tables())
    assert tables[0][0][:2] == ["영역", "학생"]

    docx_tables = _docx_tables(written["dir"] / "submission.docx")
    assert len(docx_tables) == len(doc.tables())
    assert docx_tables[1][0] == ["구분", "세부영역", "지표", "내용"]
    assert {r[0] for r in docx_tables[1][1:]} >= {"우수한 점", "개선할 점"}


def test_table_grid_places_spanned_cells_and_refuses_a_short_row():
    t = docmodel.Table(widths=(1, 1, 1), header=(docmodel.head("가", "나", spans=[1, 2]),),
                       rows=((docmodel.Cell("a", rowspan=2), docmodel.Cell("b"), docmodel.Cell("c")),
                             (docmodel.Cell("d"), docmodel.Cell("e"))))
    assert [[(r, c, x.text) for r, c, x in row] for row in t.grid()] == [
        [(0, 0, "가"), (0, 1, "나")], [(1, 0, "a"), (1, 1, "b"), (1, 2, "c")], [(2, 1, "d"), (2, 2, "e")]]
    with pytest.raises(ValueError):
        docmodel.Table(widths=(1, 1), header=(), rows=((docmodel.Cell("x"),),)).grid()


def test_cli_refuses_an_unknown_kind_and_a_year_without_answers_in_korean(fresh_ws_path, tmp_path, capsys):
    from schoolvault.cli import main
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "학교평가서.hwpx"
    with pytest.raises(SystemExit) as e:
        main(["--db", str(fresh_ws_path), "report", str(out), "--kind", "official"])
    assert e.value.code == 2
    assert "보고서 종류 'official'을(를) 알 수 없습니다" in capsys.readouterr().err
    assert main(["--db", str(fresh_ws_path), "report", str(out), "--kind", "submission"]) == 1
    err = capsys.readouterr().err
    assert "2025학년도 학년말 학교평가 설문 응답이 없어 학교평가서를 만들 수 없습니다." in err
    assert not list((tmp_path / "out").iterdir())  # nothing written, not even a temporary file
    assert main(["--db", str(fresh_ws_path), "report", str(tmp_path / "a.txt"), "--kind", "internal"]) == 1
    assert "만들 수 없는 파일 형식입니다: a.txt" in capsys.readouterr().err


def test_findings_and_features_come_from_the_self_evaluation(written, tmp_path):
    from schoolvault import services
    from schoolvault.reports.data import collect
    from schoolvault.reports.school_report_view import SUBMISSION, SUPPORT, prepare
    from schoolvault.workspace import open_workspace
    path = tmp_path / "copy.sqlite"
    shutil.copy(written["path"], path)
    with open_workspace(path) as ws:
        code = services.self_eval_list(ws)[0]["indicator"]
        services.self_eval_set(ws, code, support_needed="수업 컨설팅을 요청합니다.")
        services.self_eval_set_feature(ws, "3-2", "마을 생태 프로젝트")
        view = prepare(ws, collect(ws), SUBMISSION)
    assert [f.text for f in view.findings if f.kind == SUPPORT] == ["수업 컨설팅을 요청합니다."]
    assert [(f.subarea, f.text) for f in view.features] == [("Ⅲ-2. 인문·과학·예체능 교육", "마을 생태 프로젝트")]
    strengths = [f for f in view.findings if f.kind == "우수한 점"]
    assert strengths and all(f.text for f in strengths)
