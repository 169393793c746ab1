"""District summary (PDF without school names, internal xlsx with them) and the benchmark file."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from schoolvault.cli import main
from schoolvault.district import demo
from schoolvault.district.aggregate import district_stats
from schoolvault.district.benchmark import (
    import_benchmark,
    load_for_school,
    percentile_of,
    read_benchmark,
    write_benchmark,
)
from schoolvault.district.importer import import_submissions, stored_rows
from schoolvault.district.report import write_report
from schoolvault.errors import SchoolVaultError
from schoolvault.workspace import district as ddb
from schoolvault.workspace import open_workspace

N = 30


@pytest.fixture(scope="module")
def district_db(tmp_path_factory):
    out = tmp_path_factory.mktemp("dr")
    demo.write_demo_district(N, out / "subs", seed=21)
    path = out / "district.sqlite"
    with open_workspace(path, create=True) as ws:
        import_submissions(ws, [out / "subs"], workers=1)
    return path


@pytest.fixture
def dws(district_db, tmp_path):
    p = tmp_path / "d.sqlite"
    shutil.copy(district_db, p)
    with open_workspace(p) as ws:
        yield ws


@pytest.fixture(scope="module")
def pdf_text(district_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "종합보고서.pdf"
    with open_workspace(district_db) as ws:
        info = write_report(ws, out, title="서울특별시교육청")
        names = [s["name"] for s in district_stats(ws)["schools"]]
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    return info, text, names


def test_the_pdf_has_every_section_and_no_school_name(pdf_text):
    info, text, names = pdf_text
    assert info["pages"] >= 5
    for section in ("개요", "학교급별 결과", "소속청별 결과", "강점", "지표별 평가 분포", "지원이 필요한 학교", "분석 방법"):
        assert section in text
    assert not [n for n in names if n in text]


def test_the_internal_workbook_names_the_schools_needing_support(dws, tmp_path):
    out = tmp_path / "내부.xlsx"
    write_report(dws, out)
    stats = district_stats(dws)
    wb = openpyxl.load_workbook(out, read_only=True)
    assert {"요약", "학교급별", "소속청별", "지표 분포", "응답 현황", "학교별", "지원 필요 학교"} <= set(wb.sheetnames)
    listed = [r[0] for r in wb["학교별"].iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(s["name"] for s in stats["schools"])
    flagged = [r[0] for r in wb["지원 필요 학교"].iter_rows(min_row=2, values_only=True)]
    assert sorted(flagged) == sorted(s["name"] for s in stats["schools"] if s["needs_support"])


def test_a_report_with_another_suffix_is_refused(dws, tmp_path):
    with pytest.raises(SchoolVaultError, match=".pdf나 .xlsx"):
        write_report(dws, tmp_path / "x.docx")


def test_benchmark_percentiles_are_the_quantiles_of_the_school_values(dws, tmp_path):
    import numpy as np
    info = write_benchmark(dws, tmp_path / "b.json", issuer="서울")
    doc, warnings = read_benchmark(info["out"])
    assert not warnings
    stats = district_stats(dws)
    rows, suppressed = [], set()
    for s in ddb.schools(dws):
        for r in stored_rows(dws, s.id):
            if r["kind"] == "factor" and r["code"] == "D1F1":
                rows.append((s.level, s.id, r["grp"], r["mean"]))
            if r["kind"] == "respondents" and (r["suppressed"] or r["n"] < 5):
                suppressed.add((s.id, r["grp"]))
    for level, block in doc["levels"].items():
        per_school: dict = {}
        for lv, sid, g, m in rows:
            if lv == level and (sid, g) not in suppressed:
                per_school.setdefault(sid, []).append(m)
        vals = np.array([np.mean(v) for v in per_school.values()])
        if len(vals) < 5:
            assert "D1F1" not in block["factors"]
            continue
        e = block["factors"]["D1F1"]
        assert e["n_schools"] == len(vals) == stats["by_level"][level]["all"]["factors"]["D1F1"]["n_schools"]
        assert e["mean"] == pytest.approx(vals.mean(), abs=1e-9)
        assert e["sd"] == pytest.approx(vals.std(ddof=1), abs=1e-9)
        for p, x in e["percentiles"].items():
            assert x == pytest.approx(np.percentile(vals, float(p)), abs=1e-9)


def test_a_school_imports_the_benchmark_and_reads_it_back(dws, fresh_ws, tmp_path):
    info = write_benchmark(dws, tmp_path / "b.json")
    assert load_for_school(fresh_ws) is None
    r = import_benchmark(fresh_ws, info["out"])
    assert not r["warnings"]
    levels = load_for_school(fresh_ws)
    assert set(levels) == set(district_stats(dws)["by_level"])
    e = levels["초"]["factors"]["D1F1"]
    assert set(e) >= {"n_schools", "mean", "sd", "score100", "percentiles", "groups"}
    assert list(e["percentiles"]) == ["10", "25", "50", "75", "90"]
    assert set(levels["초"]["domains"]) and set(levels["초"]["indicators"])


def test_an_edited_benchmark_imports_with_a_warning_and_a_foreign_file_is_refused(dws, fresh_ws, tmp_path):
    info = write_benchmark(dws, tmp_path / "b.json")
    doc = json.loads(Path(info["out"]).read_text(encoding="utf-8"))
    doc["levels"]["초"]["factors"]["D1F1"]["mean"] = 9.9
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert import_benchmark(fresh_ws, edited)["warnings"]
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(SchoolVaultError, match="벤치마크 파일이 아닙니다"):
        import_benchmark(fresh_ws, other)


def test_percentile_of_a_list_is_the_mid_rank():
    assert percentile_of(3, [1, 2, 3, 4]) == pytest.approx(62.5)
    assert percentile_of(0, [1, 2]) == 0.0
    assert percentile_of(None, [1, 2]) is None


def test_percentile_of_an_entry_interpolates_and_stays_in_its_tails():
    e = {"mean": 3.5, "sd": 0.4, "percentiles": {"10": 3.0, "25": 3.25, "50": 3.5, "75": 3.75, "90": 4.0}}
    assert percentile_of(3.5, e) == pytest.approx(50)
    assert percentile_of(3.375, e) == pytest.approx(37.5)
    assert 0 < percentile_of(2.7, e) <= 10
    assert 90 <= percentile_of(4.3, e) < 100
    assert percentile_of(2.0, e) < percentile_of(2.7, e)


def test_cli_benchmark_import_into_a_school_workspace(district_db, fresh_ws_path, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["--db", str(district_db), "district", "benchmark", str(out), "--issuer", "서울특별시교육청"]) == 0
    assert main(["--db", str(fresh_ws_path), "benchmark", "import", str(out)]) == 0
    assert "서울특별시교육청" in capsys.readouterr().out


@pytest.mark.parametrize(("issuer", "shown"), [("", "벤치마크를 가져왔습니다: 2025학년도, 학교 41개"),
                                               ("강서양천", "벤치마크를 가져왔습니다: 강서양천 2025학년도, 학교 41개")])
def test_benchmark_import_message_has_no_gap_when_the_issuer_is_blank(issuer, shown):
    from schoolvault.cli.district import _benchmark_import_human
    assert _benchmark_import_human({"issuer": issuer, "year": 2025, "n_schools": 41}) == shown


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda d: d / "없는.json", "벤치마크 파일이 없습니다"),
    (lambda d: _xlsx(d), "엑셀 통합문서"),
    (lambda d: _write(d / "b.pdf", b"%PDF-1.4\n\x93\x8c\x8b\x9e binary"), "텍스트 파일이 아님"),
])
def test_a_wrong_benchmark_file_is_named_in_korean_without_python_errors(fresh_ws, tmp_path, make, fragment):
    path = make(tmp_path)
    with pytest.raises(SchoolVaultError, match=fragment) as e:
        import_benchmark(fresh_ws, path)
    assert "codec" not in str(e.value) and "Errno" not in str(e.value)


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _xlsx(d):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active["A1"] = "제출자료"
    wb.save(d / "제출.xlsx")
    return d / "제출.xlsx"


def test_a_survey_only_one_school_used_is_a_note_not_a_section_of_dashes(dws, fresh_ws_path, tmp_path, capsys):
    import csv

    from _import_util import run

    from schoolvault.reports.workbook import export_workbook
    f = tmp_path / "own.csv"
    with open(f, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["타임스탬프", "【영역】 Ⅰ-1. 소통 – 우리 학교는 회의에서 의견을 나눈다.",
                    "【영역】 Ⅱ-2. 수업 – 우리 학교는 수업을 서로 공개한다."])
        w.writerows([f"2025/05/0{i} 9:00", "그렇다", "보통이다"] for i in range(1, 8))
    db = str(fresh_ws_path)
    assert run(capsys, "--db", db, "survey", "create-from", f, "--id", "own-2025", "--group", "교원")[0] == 0
    assert run(capsys, "--db", db, "import-responses", f, "--instrument", "own-2025", "--group", "교원")[0] == 0
    with open_workspace(fresh_ws_path) as ws:
        export_workbook(ws, tmp_path / "own.xlsx")
    assert import_submissions(dws, [tmp_path / "own.xlsx"], workers=1)["imported"] == 1
    write_report(dws, tmp_path / "r.pdf", title="교육지원청")
    pages = [p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages]
    text = "\n".join(pages)
    body = "\n".join(p for p in pages if "차례" not in p)
    assert "이 설문을 쓴 학교가 1개뿐이라" in text
    tail = body.split("이 설문을 쓴 학교가 1개뿐이라", 1)[1]
    assert "own-2025" not in tail, "the survey appears again after its note (a by-district table of dashes)"


def test_spread_of_school_scores_equals_numpy(dws):
    """SD and percentiles of the schools' 100-point scores (the PDF's SD, quartiles and box plots)."""
    import numpy as np
    stats = district_stats(dws)
    k = stats["labels"]["scale_points"]["sodi-example-2025"]
    rows, suppressed = [], set()
    for s in ddb.schools(dws):
        for r in stored_rows(dws, s.id):
            if r["kind"] == "factor" and r["code"] == "D1F1":
                rows.append((s.level, s.id, r["grp"], r["mean"]))
            if r["kind"] == "respondents" and (r["suppressed"] or r["n"] < 5):
                suppressed.add((s.id, r["grp"]))
    checked = 0
    for level, block in stats["by_level"].items():
        per_school: dict = {}
        for lv, sid, g, m in rows:
            if lv == level and (sid, g) not in suppressed:
                per_school.setdefault(sid, []).append(m)
        vals = (np.array([np.mean(v) for v in per_school.values()]) - 1) / (k - 1) * 100
        e = block["all"]["factors"]["D1F1"]
        assert e["n_schools"] == len(vals)
        if len(vals) > 1:
            assert e["sd100"] == pytest.approx(vals.std(ddof=1), abs=1e-9)
        for p, x in e["p100"].items():
            assert x == pytest.approx(np.percentile(vals, float(p)), abs=1e-9)
        checked += 1
    assert checked


def test_the_pdf_prints_sd_quartiles_and_the_schools_behind_each_ranked_figure(pdf_text):
    _, text, _ = pdf_text
    flat = re.sub(r"\s+", "", text)
    for label in ("표준편차", "1사분위", "중앙값", "3사분위", "평균±SD(학교수)", "학교점수분포", "영역/요인—평균±SD(학교수)"):
        assert label in flat
    assert re.search(r"\d+\.\d ± \d+\.\d \(\d+\)", text)  # mean ± SD (schools)
    assert re.search(r"n=\d+", text)                     # schools beside each box
    strengths = flat[flat.rindex("5.강점과보완"):flat.rindex("6.지표별평가분포")]
    assert "요인/지표점수학교수" in strengths


def test_no_figure_of_fewer_than_five_schools_is_printed(dws, tmp_path):
    """The same 5-school rule everywhere: an indicator rated by 4 schools is neither ranked nor shown."""
    from schoolvault.district.report_pdf import write_pdf_report
    from schoolvault.district.report_view import (
        SUPPRESSED_SCHOOLS,
        is_public,
        strengths,
    )
    assert not is_public(4) and is_public(5)
    stats = district_stats(dws, by_level_district=True)
    code, entry = next(iter(stats["indicators"]["overall"].items()))
    entry["n_schools"] = 4
    entry["mean"] = 9.99  # a value no real rating reaches: it must not appear
    for lv in stats["indicators"]["by_level"].values():
        if code in lv:
            lv[code].update(n_schools=4, mean=9.98)
    for lv in stats["by_level"]:
        ranked = strengths(stats, lv)
        assert code not in [k for key in ("indicators_top", "indicators_bottom") for _, k, _ in ranked[key]]
    info = write_pdf_report(stats, tmp_path / "s.pdf", title="교육청")
    text = "\n".join(p.extract_text() for p in PdfReader(info["file"]).pages)
    assert "9.99" not in text and "9.98" not in text
    section = text[text.rindex("6. 지표별 평가 분포"):text.rindex("7. 지원이 필요한 학교")]
    after = section[section.index(code):].splitlines()
    assert SUPPRESSED_SCHOOLS in after[:4 + len(stats["indicators"]["overall"][code]["counts"]) + 4]


def test_the_internal_workbook_charts_tell_school_levels_apart_without_colour(dws, tmp_path):
    from _chart_xml import series_looks
    out = tmp_path / "내부.xlsx"
    write_report(dws, out)
    charts = series_looks(out)
    assert charts
    for chart in charts:
        looks = [look for _, look in chart]
        assert len(chart) >= 2 and len(set(looks)) == len(looks), chart
        assert sum(look.startswith("solid") for look in looks) <= 1, chart  # the others hatched or dotted
