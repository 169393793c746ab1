"""The office's item bank as schools receive it: the workbook (any year in the headers), per-평가주체 JSON
exports with a garbled first key, the 2026 pool without 평가주체, normalisation and misplaced rows.

The synthetic files are written here with the project's own sentences; the real excerpt is read from
../shared (skipped when absent).
"""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from _import_util import assert_refused, run, run_json

from schoolvault.importing.itembank_files import clean_text, label_key, parse_label

ROW_COUNTS = {"학생용": 208, "학부모용": 207, "교원용": 238, "직원용": 163}  # the whole 2025 초등 workbook
SUBAREAS = [(1, 1, "소통과 협력의 학교자치 기반 조성"), (1, 2, "학부모 및 지역사회 연계"), (1, 3, "행정·예산"),
            (2, 1, "교육과정 편성·운영"), (2, 2, "수업·평가 혁신"), (2, 3, "교원 전문성 신장"),
            (3, 1, "맞춤형 책임교육"), (3, 2, "인문·과학·예체능 교육"), (3, 3, "민주시민교육"),
            (3, 4, "안전하고 쾌적한 교육환경")]
AREAS = {1: "협력적 학교자치문화", 2: "교육과정 운영 및 교수·학습 방법", 3: "교육 활동 및 교육 성과"}
ROMAN = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ"}
INDICATORS = [(a, s, f"{title.split()[0]} 실천 과제 {k}·점검") for a, s, title in SUBAREAS for k in (1, 2, 3, 4)]
DOTS = ["·", "‧", "･", "・", "ㆍ"]


def header(year: int) -> list[str]:
    return ["연번", f"({year}) 영역", f"({year}) 세부영역", f"({year}) 평가지표", f"평가문항({year} 평가지표 반영)"]


def canon(text: str) -> str:
    """The expected item: one line, single spaces, the middle dot ·, computed without the app's code."""
    return " ".join(re.sub("[‧･・ㆍ]", "·", text).split())


def sub_label(a: int, s: int, title: str, variant: int) -> str:
    """The 세부영역 as the office writes it, in one of several spellings that must compare equal."""
    roman = [ROMAN[a], "I" * a if a < 4 else ROMAN[a], ROMAN[a]][variant % 3]
    if title == "교원 전문성 신장" and variant % 4 == 1:
        title = "교원전문성 신장"  # the minority spelling
    return f"{roman}-{s}. {title.replace('·', DOTS[variant % len(DOTS)])}"


def synthetic_rows(year: int = 2027):
    """{sheet: [cells…]}, expected {(indicator, group): [items]}, expected corrections {(sheet, row)}.

    Every row is a distinct sentence; some cells break over lines, blank rows sit in between, 연번 skips
    numbers, and two rows carry a 세부영역 that disagrees with where their indicator sits elsewhere."""
    sheets: dict[str, list[list]] = {}
    expected: dict[tuple[str, str], list[str]] = {}
    misplaced: set[tuple[str, int]] = set()
    for gi, (sheet, count) in enumerate(ROW_COUNTS.items()):
        group = sheet.removesuffix("용")
        inds = INDICATORS[gi % 3:] if group == "직원" else INDICATORS  # 직원 is not asked about every indicator
        rows: list[list] = [header(year)]
        serial = 0
        for i in range(count):
            a, s, name = inds[i * len(inds) // count]
            title = next(t for aa, ss, t in SUBAREAS if (aa, ss) == (a, s))
            text = f"{group} 예시 {i + 1}번: 우리 학교는 {name.split()[0]} 활동을 함께 계획하고 실천한다."
            if i % 17 == 3:
                text = f"{group} 예시 {i + 1}번: 학교는 다음을 운영한다.\n- 첫째 활동(연 2회)\n- 둘째 활동"
            expected.setdefault((canon(name), group), []).append(canon(text))
            sub = sub_label(a, s, title, i)
            if (group, i) in (("직원", 60), ("학생", 30)):  # a slip of the 세부영역 number / the wrong 세부영역
                wrong = {(3, 2): "Ⅲ-3. 인문·과학·예체능 교육", (1, 2): "Ⅰ-3. 행정·예산"}
                sub = wrong.get((a, s), f"{ROMAN[a]}-{s % 3 + 1}. 다른 세부영역")
                misplaced.add((sheet, len(rows) + 1))
            serial += 1 + (i % 5 == 0)  # 연번 is not contiguous
            rows.append([serial, f"{ROMAN[a]}. {AREAS[a]}", sub, name.replace("·", DOTS[i % len(DOTS)]), text])
            if i % 50 == 49:
                rows.append([None, None, None, None, None])  # blank rows are skipped
        sheets[sheet] = rows
    return sheets, expected, misplaced


def write_workbook(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def bank_sets(capsys, db, bank_id: str) -> dict[tuple[str, str | None], list[str]]:
    shown = run_json(capsys, "--db", db, "instruments", "show", bank_id)
    assert shown["kind"] == "itembank"
    out = {}
    for s in shown["sets"]:
        assert set(s) == {"area", "subarea", "indicator", "group", "items"}
        key = (canon(s["indicator"]), s["group"])
        assert key not in out, f"two sets for {key}"
        out[key] = s["items"]
    return out


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_rows(2027)


# ---------------------------------------------------------------- the real excerpt

def test_real_excerpt_imports_every_row_once_and_reports_the_misplaced_row(fresh_ws_path, real_fixtures, capsys):
    path = real_fixtures / "official-itembank-2025-elementary-excerpt.xlsx"
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", path)
    assert (r["id"], r["kind"], r["year"]) == ("itembank-2025", "itembank", 2025)
    wb = openpyxl.load_workbook(path, read_only=True)
    expected: dict[tuple[str, str], list[str]] = {}
    rows = 0
    for sheet in wb.sheetnames:
        for cells in list(wb[sheet].iter_rows(values_only=True))[1:]:
            if cells[4]:
                rows += 1
                expected.setdefault((canon(cells[3]), sheet.removesuffix("용")), []).append(canon(cells[4]))
    assert r["rows"] == rows and r["groups"] == ["교원", "직원", "학생", "학부모"]
    assert bank_sets(capsys, fresh_ws_path, "itembank-2025") == expected
    assert any("\n" in c for s in wb for row in s.iter_rows(values_only=True) for c in row if isinstance(c, str))
    fixes = r["corrections"]
    assert [(c["sheet"], c["column"], c["from"], c["to"]) for c in fixes] == [
        ("직원용", "세부영역", "Ⅲ-3. 인문·과학·예체능 교육", "Ⅲ-2. 인문·과학·예체능 교육")]
    assert canon(fixes[0]["indicator"]) == canon("인공지능(AI)‧디지털교육 활성화")
    shown = run_json(capsys, "--db", fresh_ws_path, "instruments", "show", "itembank-2025")
    ai = [s for s in shown["sets"] if s["indicator"] == fixes[0]["indicator"]]
    assert {s["subarea"] for s in ai} == {"Ⅲ-2. 인문·과학·예체능 교육"} and len(ai) == 2
    assert len({s["subarea"] for s in shown["sets"]}) == 10


def test_real_excerpt_text_output_names_the_correction_in_korean(fresh_ws_path, real_fixtures, capsys):
    code, out, err = run(capsys, "--db", fresh_ws_path, "instruments", "import",
                         real_fixtures / "official-itembank-2025-elementary-excerpt.xlsx")
    assert code == 0, err
    assert "바로잡은 행 1개" in out and "'직원용' 시트 11행" in out and "'Ⅲ-3. 인문·과학·예체능 교육' → 'Ⅲ-2." in out


# ---------------------------------------------------------------- the whole workbook, any year

def test_full_size_workbook_of_another_year_lands_every_row_once(fresh_ws_path, tmp_path, capsys, synthetic):
    sheets, expected, misplaced = synthetic
    path = write_workbook(tmp_path / "평가문항 예시자료.xlsx", sheets)  # no year in the name: it comes from the headers
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", path)
    assert (r["id"], r["year"], r["rows"]) == ("itembank-2027", 2027, sum(ROW_COUNTS.values()))
    got = bank_sets(capsys, fresh_ws_path, "itembank-2027")
    assert got == expected
    assert sum(len(v) for v in got.values()) == 208 + 207 + 238 + 163
    assert {(c["sheet"], c["row"]) for c in r["corrections"]} == misplaced
    shown = run_json(capsys, "--db", fresh_ws_path, "instruments", "show", "itembank-2027")["sets"]
    subareas = {s["subarea"] for s in shown}
    assert subareas == {f"{ROMAN[a]}-{s}. {t}" for a, s, t in SUBAREAS}  # one spelling each, Ⅲ not III
    assert {s["area"] for s in shown} == {f"{ROMAN[a]}. {t}" for a, t in AREAS.items()}
    for s in shown:  # every set sits under its indicator's own 세부영역 and 영역
        a, sub, _ = next(x for x in INDICATORS if canon(x[2]) == canon(s["indicator"]))
        assert s["subarea"].startswith(f"{ROMAN[a]}-{sub}.") and s["area"].startswith(f"{ROMAN[a]}.")
    order = [(x["subarea"]) for x in shown]
    assert order == sorted(order, key=lambda t: (t.split("-")[0], int(t.split("-")[1].split(".")[0])))


def test_a_workbook_with_an_extra_sheet_imports_the_group_sheets(fresh_ws_path, tmp_path, capsys, synthetic):
    sheets, expected, _ = synthetic
    path = write_workbook(tmp_path / "bank.xlsx", {"안내": [["이 파일은 예시입니다"]], **sheets})
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", path)
    assert r["skipped_sheets"] == ["bank.xlsx '안내' 시트"]
    assert bank_sets(capsys, fresh_ws_path, "itembank-2027") == expected


# ---------------------------------------------------------------- per-group JSON exports

GARBLED_FIRST_KEYS = {"학생용": "\ufeff연번", "학부모용": "ï»¿연번", "교원용": "ì—°ë²ˆ", "직원용": "연번"}


def write_json_exports(tmp_path, sheets) -> list:
    paths = []
    for sheet, rows in sheets.items():
        keys = [GARBLED_FIRST_KEYS[sheet], *rows[0][1:]]
        records = [{k: ("" if v is None else v) for k, v in zip(keys, r)} for r in rows[1:]]
        p = tmp_path / f"{sheet}.json"
        p.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
        paths.append(p)
    return paths


def test_per_group_json_exports_given_together_make_the_same_bank(fresh_ws_path, tmp_path, capsys, synthetic):
    sheets, expected, misplaced = synthetic
    paths = write_json_exports(tmp_path, sheets)
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", *paths)
    assert r["id"] == "itembank-2027" and r["groups"] == ["교원", "직원", "학생", "학부모"]
    assert bank_sets(capsys, fresh_ws_path, "itembank-2027") == expected
    # a JSON row is the record's number; the workbook row is one more (the header row)
    assert {(c["file"].removesuffix(".json"), c["row"] + 1) for c in r["corrections"]} == misplaced


def test_one_json_export_gives_a_bank_of_that_group(fresh_ws_path, tmp_path, capsys, synthetic):
    sheets, expected, _ = synthetic
    paths = write_json_exports(tmp_path, sheets)
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", paths[2])  # 교원용.json, mojibake key
    assert r["groups"] == ["교원"] and r["rows"] == 238
    assert bank_sets(capsys, fresh_ws_path, "itembank-2027") == {k: v for k, v in expected.items() if k[1] == "교원"}


def test_the_same_group_in_two_files_is_refused(fresh_ws_path, tmp_path, capsys, synthetic):
    sheets, _, _ = synthetic
    paths = write_json_exports(tmp_path, sheets)
    copy = tmp_path / "2027_학생용(수정).json"
    copy.write_bytes(paths[0].read_bytes())
    before = fresh_ws_path.read_bytes()
    code, out, err = run(capsys, "--db", fresh_ws_path, "instruments", "import", paths[0], copy)
    assert_refused(code, out, err, "학생 문항이 두 곳에 있습니다")
    assert fresh_ws_path.read_bytes() == before


# ---------------------------------------------------------------- the 2026 pool without 평가주체

POOL_HEADER = ["영역", "세부영역", "평가지표", "예시문항"]
POOL = [["Ⅰ. 협력적 학교자치문화", "Ⅰ-1. 소통과 협력의 학교자치", "함께 세우는 학교 비전", "구성원 모두가 학교 비전을 알고 함께 실천한다."],
        ["Ⅰ. 협력적 학교자치문화", "I-1. 소통과 협력의 학교자치", "함께 세우는 학교 비전", "학교 비전을\n정할 때 의견을 낼 수 있었다."],
        ["Ⅱ. 교육과정 운영 및 교수ㆍ학습 방법", "Ⅱ-3. 교원전문성 신장", "배움을 나누는 교사 공동체", "교사들이 수업을 함께 연구한다."],
        [None, None, None, None],
        ["Ⅱ. 교육과정 운영 및 교수·학습 방법", "Ⅱ-3. 교원 전문성 신장", "배움을 나누는 교사 공동체", "연수 결과가 수업에 반영된다."],
        ["Ⅲ. 교육 활동 및 교육 성과", "Ⅲ-2. 미래역량 교육", "디지털 시민 역량 기르기", "디지털 기기를 바르게 쓰는 법을 배운다."]]


@pytest.fixture
def pool_ws(fresh_ws_path, tmp_path, capsys):
    path = write_workbook(tmp_path / "2026 평가문항 예시자료.xlsx", {"예시문항": [POOL_HEADER, *POOL]})
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", path)
    assert (r["id"], r["year"], r["groups"], r["pool"], r["rows"]) == ("itembank-2026", 2026, [], True, 5)
    return fresh_ws_path


def test_pool_sets_have_no_group_and_one_spelling(pool_ws, capsys):
    shown = run_json(capsys, "--db", pool_ws, "instruments", "show", "itembank-2026")["sets"]
    assert [(s["subarea"], s["indicator"], s["group"], s["items"]) for s in shown] == [
        ("Ⅰ-1. 소통과 협력의 학교자치", "함께 세우는 학교 비전", None,
         ["구성원 모두가 학교 비전을 알고 함께 실천한다.", "학교 비전을 정할 때 의견을 낼 수 있었다."]),
        ("Ⅱ-3. 교원 전문성 신장", "배움을 나누는 교사 공동체", None,
         ["교사들이 수업을 함께 연구한다.", "연수 결과가 수업에 반영된다."]),
        ("Ⅲ-2. 미래역량 교육", "디지털 시민 역량 기르기", None, ["디지털 기기를 바르게 쓰는 법을 배운다."])]
    assert {s["area"] for s in shown} >= {"Ⅱ. 교육과정 운영 및 교수·학습 방법"}
    code, out, _ = run(capsys, "--db", pool_ws, "instruments", "show", "itembank-2026")
    assert code == 0 and "함께 세우는 학교 비전  [평가주체 공통]" in out


def test_a_questionnaire_from_the_pool_gives_one_item_per_chosen_group(pool_ws, capsys):
    r = run_json(capsys, "--db", pool_ws, "survey", "build", "--id", "pool-2025", "--bank", "itembank-2026",
                 "--group", "학생", "교원용", "--indicator", "함께 세우는 학교 비전", "교사 공동체",
                 "--items-per-indicator", "2")
    assert r["items"] == 8 and r["groups"] == ["학생", "교원"]
    shown = run_json(capsys, "--db", pool_ws, "instruments", "show", "pool-2025")
    items = [i for d in shown["domains"] for f in d["factors"] for i in f["items"]]
    by_group = {g: [i["text"] for i in items if i["groups"] == [g]] for g in ("학생", "교원")}
    assert by_group["학생"] == by_group["교원"] == ["구성원 모두가 학교 비전을 알고 함께 실천한다.",
                                                "학교 비전을 정할 때 의견을 낼 수 있었다.",
                                                "교사들이 수업을 함께 연구한다.", "연수 결과가 수업에 반영된다."]
    assert len({i["code"] for i in items}) == 8  # each group's copy is its own item, editable on its own
    one = run_json(capsys, "--db", pool_ws, "survey", "build", "--id", "pool-p-2025", "--bank", "itembank-2026",
                   "--group", "학부모", "--indicator", "디지털 시민")
    assert one["items"] == 1


def test_the_pool_offers_its_sentences_to_every_group_in_the_builder(pool_ws):
    from schoolvault import itembank
    from schoolvault.forms.groups import GROUPS
    from schoolvault.workspace import open_workspace
    ws = open_workspace(pool_ws)
    try:
        bank = next(b for b in itembank.banks(ws) if b["id"] == "itembank-2026")
    finally:
        ws.close()
    first = bank["indicators"][0]
    assert first["pool"] is True and set(first["groups"]) == set(GROUPS)
    assert all(v == first["groups"]["학생"] for v in first["groups"].values())


def test_pool_as_json_gives_the_same_bank(fresh_ws_path, pool_ws, tmp_path, capsys):
    records = [dict(zip(POOL_HEADER, ("" if c is None else c for c in r))) for r in POOL]
    p = tmp_path / "2026_예시문항.json"
    p.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other.sqlite"
    other.write_bytes(fresh_ws_path.read_bytes())
    run_json(capsys, "--db", other, "instruments", "import", p)
    assert bank_sets(capsys, other, "itembank-2026") == bank_sets(capsys, pool_ws, "itembank-2026")


# ---------------------------------------------------------------- normalisation

@pytest.mark.parametrize(("a", "b"), [("교원전문성 신장", "교원 전문성 신장"), ("수학‧과학·융합", "수학ㆍ과학･융합"),
                                      ("독서・토론", "독서 · 토론")])
def test_labels_compare_equal_across_spaces_and_middle_dots(a, b):
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize("raw", ["Ⅲ-2. 인문·과학·예체능 교육", "III-2. 인문‧과학‧예체능 교육", "Ⅲ - 2 인문ㆍ과학ㆍ예체능 교육",
                                 "ⅲ-2. 인문·과학·예체능  교육", "Ⅲ－２．인문·과학·예체능 교육"])
def test_roman_numerals_in_any_code_point_give_one_subarea(raw):
    label = parse_label(raw, subarea=True)
    assert label.code == (3, 2) and label.display() == "Ⅲ-2. 인문·과학·예체능 교육"


def test_a_cell_with_line_breaks_is_one_item():
    assert clean_text("첫 줄\n- 둘째 줄 \r\n- 셋째\u00a0줄") == "첫 줄 - 둘째 줄 - 셋째 줄"


# ---------------------------------------------------------------- bad files change nothing

def _encrypted(tmp_path, sheets):
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = write_workbook(tmp_path / "plain.xlsx", sheets)
    buf = io.BytesIO()
    with open(plain, "rb") as f:
        OOXMLFile(f).encrypt("1234", buf)
    return buf.getvalue()


def _bad_files(tmp_path, sheets):
    good = sheets["학생용"][:5]
    yield "missing.xlsx", lambda p: write_workbook(p, {"학생용": [["번호", "영역", "세부 영역 이름", "문항"], [1, "a", "b", "c"]]}), \
        ["'세부영역', '평가지표' 열이 없습니다", "missing.xlsx '학생용' 시트 1행", "찾은 열: 번호, 영역, 세부 영역 이름, 문항"]
    yield "암호.xlsx", lambda p: p.write_bytes(_encrypted(tmp_path, {"학생용": good})), ["암호가 걸린 엑셀 파일입니다"]
    yield "empty.xlsx", lambda p: write_workbook(p, {"학생용": good, "교원용": []}), \
        ["시트가 비어 있습니다", "empty.xlsx '교원용' 시트"]
    yield "nogroup.json", lambda p: p.write_text(json.dumps([dict(zip(good[0], r)) for r in good[1:]],
                                                            ensure_ascii=False), encoding="utf-8"), \
        ["평가주체(학생·학부모·교원·직원)를 알 수 없습니다", "nogroup.json"]
    yield "blank-indicator.xlsx", lambda p: write_workbook(p, {"교원용": [good[0], [1, "Ⅰ. 가", "Ⅰ-1. 나", None, "문장"]]}), \
        ["'평가지표' 칸이 비어 있습니다", "'교원용' 시트 2행"]
    yield "noyear.xlsx", lambda p: write_workbook(p, {"Sheet1": [POOL_HEADER, *POOL]}), ["학년도를 알 수 없습니다"]
    yield "broken.json", lambda p: p.write_text('[{"연번": 1, ', encoding="utf-8"), ["JSON 형식이 올바르지 않습니다"]


@pytest.mark.parametrize("case", range(7))
def test_a_bad_item_bank_file_is_refused_and_changes_nothing(fresh_ws_path, tmp_path, capsys, synthetic, case):
    name, make, fragments = list(_bad_files(tmp_path, synthetic[0]))[case]
    path = tmp_path / name
    make(path)
    before = fresh_ws_path.read_bytes()
    code, out, err = run(capsys, "--db", fresh_ws_path, "instruments", "import", path)
    assert_refused(code, out, err)
    for f in fragments:
        assert f in err, err
    assert "해결 방법" in err
    assert fresh_ws_path.read_bytes() == before


def test_a_json_export_with_a_group_column_or_sheets_as_keys_takes_the_group_from_there(fresh_ws_path, tmp_path,
                                                                                        capsys, synthetic):
    sheets, expected, _ = synthetic
    records = []
    for sheet in ("학부모용", "직원용"):
        rows = sheets[sheet]
        records += [{**dict(zip(rows[0], r)), "평가주체": sheet.removesuffix("용")} for r in rows[1:] if r[4]]
    p = tmp_path / "예시자료-2027.json"  # no group in the name: the column says it
    p.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    r = run_json(capsys, "--db", fresh_ws_path, "instruments", "import", p)
    assert r["groups"] == ["직원", "학부모"]
    assert bank_sets(capsys, fresh_ws_path, "itembank-2027") == {k: v for k, v in expected.items()
                                                                 if k[1] in ("직원", "학부모")}
    q = tmp_path / "all.json"
    q.write_text(json.dumps({s: [dict(zip(rows[0], r)) for r in rows[1:]] for s, rows in sheets.items()},
                            ensure_ascii=False), encoding="utf-8")
    run_json(capsys, "--db", fresh_ws_path, "instruments", "import", q)
    assert bank_sets(capsys, fresh_ws_path, "itembank-2027") == expected


def test_several_files_that_are_not_item_bank_exports_are_refused(fresh_ws_path, real_fixtures, tmp_path, capsys):
    before = fresh_ws_path.read_bytes()
    code, out, err = run(capsys, "--db", fresh_ws_path, "instruments", "import",
                         real_fixtures / "seoul-item-bank-2025.json", real_fixtures / "seoul-item-bank-2025.json")
    assert_refused(code, out, err, "따로 가져오세요")
    assert fresh_ws_path.read_bytes() == before
