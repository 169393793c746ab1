"""Report PDFs: every evaluated indicator and SODI factor appears, fonts are embedded, n<5 groups
are suppressed, the paper form holds only its group's items, cancel leaves no file."""

from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from schoolvault import services
from schoolvault.errors import Cancelled, SchoolVaultError
from schoolvault.progress import Progress
from schoolvault.workspace import open_workspace, responses
from schoolvault.workspace.responses import ResponseRow

SODI = "sodi-example-2025"


def _plain(text: str) -> str:
    """Without spaces, and with the look-alikes the report prints for glyphs the font lacks."""
    from schoolvault.reports.fonts import SUBSTITUTES
    return re.sub(r"\s+", "", text.translate(SUBSTITUTES))


def pdf_text(path) -> str:
    return _plain("\n".join(p.extract_text() for p in PdfReader(str(path)).pages))


def fonts_of(path) -> dict[str, bool]:
    """Every font a page uses → embedded (has a font file)?"""
    out = {}
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for f in fonts.values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out[str(f["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


@pytest.fixture(scope="module")
def built(_template_demo_ws, tmp_path_factory):
    """The demo school's two reports and a paper form, built once for the module."""
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.questionnaire import questionnaire
    from schoolvault.reports.sodi_report import sodi_report
    d = tmp_path_factory.mktemp("reports")
    db = d / "demo.sqlite"
    shutil.copy(_template_demo_ws, db)
    with open_workspace(db) as ws:
        out = {"eval": evaluation_report(ws, d / "eval.pdf"), "sodi": sodi_report(ws, d / "sodi.pdf"),
               "form": questionnaire(ws, d / "form.pdf", instrument=SODI, group="학생용"),
               "indicators": services.self_eval_list(ws), "survey": services.survey(ws, SODI)}
    return out


def test_evaluation_report_names_every_evaluated_indicator(built):
    text = pdf_text(built["eval"]["file"])
    assert built["indicators"], "the demo school must have evaluated indicators"
    for ind in built["indicators"]:
        assert _plain(f"{ind['indicator']}{ind['title']}") in text, ind["indicator"]
        assert _plain(ind["improvements"])[:30] in text
    for heading in ("한눈에보는올해결과", "설문참여현황", "다음학년도환류계획", "평가방법", "교감"):
        assert heading in text


def test_sodi_report_names_every_factor_and_domain(built):
    text = pdf_text(built["sodi"]["file"])
    sv = built["survey"]
    for domain in sv.domains:
        assert _plain(domain.title) in text
        for factor in domain.factors:
            assert _plain(factor.title) in text, factor.code
    assert "신뢰도(Cronbachα)" in text


def test_reports_embed_every_font_and_only_nanum(built):
    for key in ("eval", "sodi", "form"):
        fonts = fonts_of(built[key]["file"])
        assert fonts, key
        assert all(fonts.values()), (key, fonts)
        assert all("Nanum" in name for name in fonts), (key, fonts)


def test_reports_have_a_table_of_contents_and_page_numbers(built):
    reader = PdfReader(built["eval"]["file"])
    assert len(reader.pages) == built["eval"]["pages"] > 5
    assert "차례" in reader.pages[1].extract_text()
    assert f"- {len(reader.pages)} -" in reader.pages[-1].extract_text()
    assert reader.outline, "headings become PDF bookmarks"


def test_contents_page_numbers_point_at_their_headings(built):
    reader = PdfReader(built["eval"]["file"])
    lines = reader.pages[1].extract_text().split("차례", 1)[1].strip().splitlines()
    pairs = list(zip(lines[::2], lines[1::2]))
    assert len(pairs) > 10
    for title, page in pairs:
        text = _plain(reader.pages[int(page) - 1].extract_text())
        assert _plain(title.replace("…", "")) in text, (title, page)


def test_paper_form_holds_only_the_groups_items(built):
    text = pdf_text(built["form"]["file"])
    sv = built["survey"]
    student = [i for i in sv.items() if i.applies_to("학생")]
    others = [i for i in sv.items() if not i.applies_to("학생")]
    assert built["form"]["items"] == len(student)
    for item in student:
        assert item.code in text
    for item in others:
        assert _plain(item.text) not in text
    assert "전혀그렇지않다" in text


def test_small_group_is_suppressed_in_the_sodi_report(demo_ws, tmp_path):
    from schoolvault.reports.sodi_report import sodi_report
    _shrink_group(demo_ws, SODI, "직원", 3)
    sodi_report(demo_ws, tmp_path / "s.pdf")
    reader = PdfReader(str(tmp_path / "s.pdf"))
    text = _plain("".join(p.extract_text() for p in reader.pages))
    assert "비공개(n<5)" in text
    assert "직원n<5" in text and "직원3" not in text  # the exact size of a hidden group stays in the school
    # the item and reliability tables have columns for the shown groups only
    assert "문항교원학생학부모" in text and "문항교원직원" not in text
    assert "요인교원학생학부모" in text


def test_a_text_longer_than_a_page_flows_onto_the_next(demo_ws, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.workbook import export_workbook
    code = services.self_eval_list(demo_ws)[0]["indicator"]
    long = "\n".join(f"{n}. 학년 협의회를 매주 열어 학생 참여 중심 교육과정의 운영 결과를 점검하고 공개하였다. " * 3
                      for n in range(1, 60))
    services.self_eval_set(demo_ws, code, achievements=long)
    result = evaluation_report(demo_ws, tmp_path / "r.pdf")
    assert "59.학년협의회" in pdf_text(result["file"])
    export_workbook(demo_ws, tmp_path / "w.xlsx")


def test_typed_text_is_printed_literally_never_as_markup(demo_ws, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.workspace import school as school_db
    s = school_db.get_school(demo_ws)
    with demo_ws.transaction():
        school_db.save_school(demo_ws, school_db.School('서울<가>&나 "초등"학교', s.code, s.level, s.district))
    code = services.self_eval_list(demo_ws)[0]["indicator"]
    services.self_eval_set(demo_ws, code, achievements="<b>굵게</b> & <font size=40>크게</font> 😀")
    text = pdf_text(evaluation_report(demo_ws, tmp_path / "r.pdf")["file"])
    assert _plain('서울<가>&나 "초등"학교') in text
    assert _plain("<b>굵게</b> & <font size=40>크게</font> □") in text  # a glyph the font lacks shows as □


def test_cancel_leaves_no_file(demo_ws, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        evaluation_report(demo_ws, tmp_path / "r.pdf", progress=progress)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".schoolvault-*"))


def test_progress_is_reported_while_building(demo_ws, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    seen = []
    evaluation_report(demo_ws, tmp_path / "r.pdf", progress=Progress(lambda d, t, label: seen.append(label)))
    assert "자료 읽는 중" in seen and "보고서 쪽 만드는 중" in seen


def test_questionnaire_refuses_a_group_the_survey_does_not_ask():
    from schoolvault.reports.questionnaire import questionnaire
    with pytest.raises(SchoolVaultError) as e:
        questionnaire(None, "x.pdf", instrument=SODI, group="졸업생")
    assert "교원" in e.value.hint


def _docx_text(path) -> str:
    import docx
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    out += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(out)


def _hwpx_text(path) -> str:
    from hwpx import TextExtractor
    with TextExtractor(str(path)) as ex:
        return ex.extract_text(include_nested=True, object_behavior="nested")


@pytest.mark.parametrize("suffix", [".docx", ".hwpx"])
@pytest.mark.parametrize("group", ["학부모", "교원"])
def test_questionnaire_as_hwpx_and_docx_holds_the_groups_items_and_the_scale(tmp_path, suffix, group):
    from schoolvault import catalog
    from schoolvault.reports.questionnaire import questionnaire
    sv = catalog.resolve(None, SODI).instrument
    out = tmp_path / f"설문지{suffix}"
    r = questionnaire(None, out, instrument=SODI, group=group)
    raw = _docx_text(out) if suffix == ".docx" else _hwpx_text(out)
    text = _plain(raw)
    mine = [i for i in sv.items() if i.applies_to(group)]
    others = [i for i in sv.items() if not i.applies_to(group) and all(i.text != m.text for m in mine)]
    opens = [q for q in sv.open_questions if q.applies_to(group)]
    assert r["format"] == suffix[1:] and r["items"] == len(mine) > 0 and r["open_questions"] == len(opens)
    for item in mine:
        assert _plain(item.text) in text, item.code
    for q in opens:
        assert _plain(q.text) in text
    for item in others:
        assert _plain(item.text) not in text, item.code
    labels = [_plain(lab) for lab in sv.scale.labels]
    assert all(lab in text for lab in labels)
    # the answer boxes are headed highest first, as printed forms are: 매우 그렇다 … 전혀 그렇지 않다
    header = "".join(labels[::-1])
    assert header in text
    first_item = text.index(_plain(mine[0].text))
    if group == "학부모":  # the 학년 question comes first, as in the Google Form list
        assert -1 < text.find("자녀의학년을") < first_item
    else:
        assert "학년을" not in text[:first_item]


def test_questionnaire_in_an_unknown_format_says_so_in_korean(tmp_path):
    from schoolvault.reports.questionnaire import questionnaire
    out = tmp_path / "설문지.odt"
    with pytest.raises(SchoolVaultError) as e:
        questionnaire(None, out, instrument=SODI, group="학생")
    assert "파일 형식" in e.value.message and ".hwpx" in e.value.hint
    assert not out.exists()


def test_cli_writes_the_questionnaire_as_docx(tmp_path):
    from schoolvault.cli import main
    out = tmp_path / "q.docx"
    main(["report", str(out), "--kind", "questionnaire", "--instrument", SODI, "--group", "학생"])
    assert "몇 학년입니까?" in _docx_text(out)


def test_sodi_report_without_answers_says_what_to_do(fresh_ws, tmp_path):
    from schoolvault.reports.sodi_report import sodi_report
    with pytest.raises(SchoolVaultError) as e:
        sodi_report(fresh_ws, tmp_path / "s.pdf")
    assert "응답" in e.value.message and e.value.hint


def test_benchmark_percentiles_are_shown_when_given(demo_ws, tmp_path):
    from schoolvault.reports.sodi_report import sodi_report
    sv = services.survey(demo_ws, SODI)
    bench = {"초": {f.code: {"mean": 3.0, "sd": 0.5, "percentiles": {"10": 2.4, "25": 2.7, "50": 3.0, "75": 3.3,
                                                                   "90": 3.6}} for f in sv.factors()}}
    sodi_report(demo_ws, tmp_path / "b.pdf", benchmark=bench)
    text = pdf_text(tmp_path / "b.pdf")
    assert "기준집단과비교(백분위)" in text
    sodi_report(demo_ws, tmp_path / "n.pdf", benchmark={})
    assert "기준집단과비교" not in pdf_text(tmp_path / "n.pdf")


def test_evaluation_report_compares_ratings_with_the_district(demo_ws, tmp_path):
    from schoolvault.reports.evaluation_report import evaluation_report
    rated = [i for i in services.self_eval_list(demo_ws) if i["rating"]]
    counts = {"1": 1, "2": 3, "3": 4, "4": 2}
    bench = {"초": {"indicators": {i["indicator"]: {"n_schools": 10, "mean": 2.7, "counts": counts} for i in rated}}}
    text = pdf_text(evaluation_report(demo_ws, tmp_path / "r.pdf", benchmark=bench)["file"])
    first = rated[0]
    share = sum(v for k, v in counts.items() if int(k) >= first["rating"]) * 10
    assert _plain(f"같은 학교급 10개교 중 '{first['rating_label']}' 이상 {share}%") in text


def test_chart_svg_for_the_results_page(demo_ws):
    from schoolvault.reports.charts import survey_chart_svg
    svg = survey_chart_svg(demo_ws, SODI).decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "clipPath" not in svg  # Qt's renderer paints clip rects black
    for g in ("교원", "직원", "학생", "학부모"):
        assert g in svg
    bars = survey_chart_svg(demo_ws, SODI, group="교원용", kind="bars").decode("utf-8")
    assert "교원" in bars and "학부모" not in bars
    with pytest.raises(SchoolVaultError):
        survey_chart_svg(demo_ws, SODI, kind="pie")


def test_josa_follows_the_last_syllable():
    from schoolvault.reports.narrative import josa
    assert josa("학교", "은/는") == "학교는"
    assert josa("요인", "을/를") == "요인을"
    assert josa("교원", "와/과") == "교원과"
    assert josa("학부모", "와/과") == "학부모와"
    assert josa("서울", "으로/로") == "서울로"
    assert josa("집단", "으로/로") == "집단으로"
    assert josa("SODI", "을/를") == "SODI을(를)"


def _shrink_group(ws, instrument: str, group: str, n: int) -> None:
    """Replace a group's answers by n respondents (a group too small to show)."""
    adms = responses.administrations(ws, None, instrument, group)
    keep = responses.answers_by_respondent(ws, [adms[0].id])[:n]
    with ws.transaction():
        for a in adms:
            responses.delete_administration(ws, a.id)
        responses.add_administration(ws, year=adms[0].year, instrument_ref=adms[0].instrument_ref, group=group,
                                     rows=[ResponseRow(r + 2, ans, {"C1": "업무 분장이 공정했으면 좋겠습니다."})
                                           for r, ans in enumerate(keep)], method="import")


def test_a_survey_of_two_factors_gets_bars_on_the_profile_page_not_an_empty_radar(fresh_ws_path, tmp_path, capsys):
    import csv

    from _import_util import run

    from schoolvault.reports.sodi_report import sodi_report
    heads = ["【영역】 Ⅰ-1. 소통과 협력 – 회의 문화 우리 학교는 회의에서 의견을 나눈다.",
             "【영역】 Ⅱ-2. 수업·평가 혁신 – 수업 나눔 우리 학교는 수업을 서로 공개한다."]
    f = tmp_path / "a.csv"
    with open(f, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["타임스탬프", *heads])
        w.writerows([f"2025/05/0{i} 9:00", "그렇다", "보통이다"] for i in range(1, 7))
    db = str(fresh_ws_path)
    assert run(capsys, "--db", db, "survey", "create-from", f, "--id", "two", "--group", "교원")[0] == 0
    assert run(capsys, "--db", db, "import-responses", f, "--instrument", "two", "--group", "교원")[0] == 0
    with open_workspace(fresh_ws_path) as ws:
        sodi_report(ws, tmp_path / "s.pdf", instrument="two")
    pages = [_plain(p.extract_text()) for p in PdfReader(str(tmp_path / "s.pdf")).pages]
    profile = next(p for p in pages if p.startswith(_plain("2025학년도")) and "2.영역·요인프로필" in p
                   and "차례" not in p)
    assert "3개이상일때" not in "".join(pages)
    assert "영역점수(100점환산)" in profile and "요인점수(100점환산)" in profile


def test_a_strength_note_hangs_under_its_title_not_under_the_bullet():
    from schoolvault.reports.evaluation_report import _bullet
    p = _bullet("• <b>학교 비전 공유 및 실현</b> (1-1-2 · 우수)<br/>정례 회의 월 2회")
    assert p.style.leftIndent > 0 and p.style.firstLineIndent == -p.style.leftIndent
    plain = _bullet("등급이 입력된 지표가 아직 없다.")
    assert plain.style.leftIndent == 0 and plain.style.firstLineIndent == 0
