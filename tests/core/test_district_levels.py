"""District 4단계 counts per 영역 and 평가주체 agree with an independent pandas computation over the schools.

Schools: demo schools (raw answers kept, some with a 직원 group under 5), one real school workspace exported
with the consultant workbook, and a format-1 file (tests/fixtures/submission_v1.xlsx) whose 영역 results are
unknown. The oracle reads the survey and the 4단계 thresholds from the plain YAML files, pools each school's
answers with pandas, rounds half up with Decimal and places 영역 by the shipped survey's domain codes
(A1 → Ⅰ …). It never calls schoolvault.stats, schoolvault.forms.scoring or schoolvault.district.aggregate.
"""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from schoolvault import services
from schoolvault.district import demo
from schoolvault.district.aggregate import district_stats
from schoolvault.district.importer import import_submissions
from schoolvault.workspace import open_workspace, responses

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "resources" / "instruments"
V1_FIXTURE = ROOT / "tests" / "fixtures" / "submission_v1.xlsx"
EVAL = "seoul-eval-survey-2025"
AREA_OF_CODE = {"A1": "Ⅰ", "A2": "Ⅱ", "A3": "Ⅲ"}
N_DEMO = 24
TOL = 1e-9


@pytest.fixture(scope="module")
def district(_template_demo_ws, tmp_path_factory):
    """(stats, school answers {code: (level, district, {group: [answers]})}, real school's own stats)."""
    out = tmp_path_factory.mktemp("levels")
    subs = out / "subs"
    subs.mkdir()
    mp = pytest.MonkeyPatch()
    mp.setattr(demo, "SMALL_GROUP_RATE", 0.3)
    try:
        surveys, gb = demo.instruments()
        schools = {}
        for spec in demo.plan(N_DEMO, seed=9):
            spec["school_code"] = "T" + spec["school_code"]  # never the fixture school's code
            school = demo.generate_school(spec, surveys, gb)
            demo.write_submission(subs / demo.file_name(spec), demo.submission_rows(school, surveys, gb),
                                  demo.school_meta(school, gb, "2025-12-20T10:00:00+09:00"))
            schools[spec["school_code"]] = (spec["level"], spec["district"],
                                            {g: a for (i, g), a in school.answers.items() if i == EVAL})
    finally:
        mp.undo()
    real = out / "school.sqlite"
    shutil.copy(_template_demo_ws, real)
    from schoolvault.reports.workbook import export_workbook
    with open_workspace(real) as ws:
        _shrink(ws, "학부모", 4)
        export_workbook(ws, subs / "실제학교.xlsx")
        own = services.stats(ws, EVAL)
        school = services.require_school(ws)[0]
        schools[school.code] = (school.level, school.district,
                                {a.group: responses.answers_by_respondent(ws, [a.id])
                                 for a in responses.administrations(ws, None, EVAL, period="학년말")})
    shutil.copy(V1_FIXTURE, subs / "이전형식.xlsx")
    with open_workspace(out / "district.sqlite", create=True) as ws:
        result = import_submissions(ws, [subs], workers=1)
        assert result["imported"] == N_DEMO + 2 and result["refused"] == 0
        stats = district_stats(ws)
    return stats, schools, own, school.code


def _shrink(ws, group: str, n: int) -> None:
    from schoolvault.workspace.responses import ResponseRow
    adms = responses.administrations(ws, None, EVAL, group)
    keep = responses.answers_by_respondent(ws, [adms[0].id])[:n]
    with ws.transaction():
        for a in adms:
            responses.delete_administration(ws, a.id)
        responses.add_administration(ws, year=adms[0].year, instrument_ref=adms[0].instrument_ref, group=group,
                                     rows=[ResponseRow(r + 2, ans, {}) for r, ans in enumerate(keep)])


def _yaml(name: str) -> dict:
    return yaml.safe_load((INSTRUMENTS / name).read_text(encoding="utf-8"))


def _level(rounded: Decimal, thresholds: list[dict]) -> str:
    for t in thresholds:
        if "min" not in t or rounded >= Decimal(str(t["min"])):
            return t["label"]
    raise AssertionError("no lowest level")


@pytest.fixture(scope="module")
def oracle(district) -> pd.DataFrame:
    """One row per (school, area, group): level, district, state (4단계 label / 'n<5'), mean."""
    _, schools, _, _ = district
    sv = _yaml(f"{EVAL}.yaml")
    thresholds = _yaml("seoul-guidebook-2025.yaml")["survey_levels"]["levels"]
    k = sv["scale"]["points"]
    items = pd.DataFrame([{"item": i["code"], "domain": d["code"], "reverse": bool(i.get("reverse")),
                           "groups": tuple(i.get("groups") or sv["groups"])}
                          for d in sv["domains"] for f in d["factors"] for i in f["items"]])
    out = []
    for code, (level, dist, groups) in schools.items():
        for g, answers in groups.items():
            asked = items[items["groups"].map(lambda gs, g=g: g in gs)]
            if len(answers) < 5:
                for dom in asked["domain"].unique():
                    out.append({"school": code, "level": level, "district": dist, "area": AREA_OF_CODE[dom],
                                "group": g, "state": "n<5", "mean": None})
                continue
            long = pd.DataFrame([(item, v) for a in answers for item, v in a.items() if v is not None],
                                columns=["item", "value"]).merge(asked, on="item")
            long["scored"] = long["value"].where(~long["reverse"], k + 1 - long["value"])
            for dom, x in long.groupby("domain"):
                exact = Decimal(int(x["scored"].sum())) / Decimal(len(x))
                rounded = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                out.append({"school": code, "level": level, "district": dist, "area": AREA_OF_CODE[dom],
                            "group": g, "state": _level(rounded, thresholds), "mean": x["scored"].mean()})
    return pd.DataFrame(out)


def _check_scope(block: dict, expected: pd.DataFrame, n_schools: int, n_unknown: int, labels: list[str]) -> int:
    checked = 0
    for (area, g), x in expected.groupby(["area", "group"]):
        got = block[area][g]
        assert got["n_schools"] == n_schools
        assert got["levels"] == {lab: int((x["state"] == lab).sum()) for lab in labels}
        assert got["suppressed"] == int((x["state"] == "n<5").sum())
        assert got["unknown"] == n_unknown
        assert got["no_data"] == n_schools - n_unknown - len(x) and got["no_level"] == 0
        means = x["mean"].dropna()
        assert got["n_means"] == len(means)
        assert got["mean"] == pytest.approx(means.mean(), abs=TOL)
        if len(means) > 1:
            assert got["sd"] == pytest.approx(means.std(ddof=1), abs=TOL)
        checked += 1
    return checked


def test_counts_per_4단계_by_level_and_district_equal_pandas(district, oracle):
    stats, _, _, _ = district
    al = stats["area_levels"]
    labels = al["labels"]
    assert labels == ["매우 우수", "우수", "보통", "미흡"]
    assert set(oracle["state"]) - {"n<5"} <= set(labels)
    checked = _check_scope(al["overall"], oracle, stats["n_schools"], 1, labels)
    assert checked == 12  # 3 영역 × 4 평가주체
    for scope, col, blocks in (("level", "level", al["by_level"]), ("district", "district", al["by_district"])):
        for name, block in blocks.items():
            n = stats[f"by_{scope}"][name]["n_schools"]
            unknown = 1 if name == {"level": "중", "district": "강남서초"}[scope] else 0  # the format-1 school
            _check_scope(block, oracle[oracle[col] == name], n, unknown, labels)
    assert al["areas"] == {"Ⅰ": "협력적 학교자치문화", "Ⅱ": "교육과정 운영 및 교수·학습 방법", "Ⅲ": "교육 활동 및 교육 성과"}


def test_every_school_falls_in_exactly_one_column_of_a_cell(district):
    stats, _, _, _ = district
    al = stats["area_levels"]
    for blocks in (al["by_level"], al["by_district"], {"": al["overall"]}):
        for block in blocks.values():
            for groups in block.values():
                for e in groups.values():
                    assert sum(e["levels"].values()) + e["suppressed"] + e["no_level"] + e["no_data"] + \
                        e["unknown"] == e["n_schools"]


def test_a_group_under_5_is_never_counted_as_a_level_and_leaves_no_mean(district, oracle):
    stats, _, _, real_code = district
    small = oracle[oracle["state"] == "n<5"]
    assert len(small["school"].unique()) >= 3 and real_code in set(small["school"])
    by_code = {s["code"]: s for s in stats["schools"]}
    for (school, area, g), _ in small.groupby(["school", "area", "group"]):
        assert by_code[school]["area_levels"][area][g] == "n<5"


def test_a_schools_level_is_what_its_own_stats_says(district):
    stats, _, own, real_code = district
    grid = next(s for s in stats["schools"] if s["code"] == real_code)["area_levels"]
    shown = {g: st for g, st in own["groups"].items() if st["n"] >= 5}
    assert len(shown) == 3
    for g, st in shown.items():
        assert {AREA_OF_CODE[c]: d["level"] for c, d in st["domains"].items()} == {a: grid[a][g] for a in grid}
    assert {grid[a]["학부모"] for a in grid} == {"n<5"}


def test_a_format_1_file_imports_and_its_results_are_unknown_not_zero(district):
    stats, _, _, _ = district
    old = [s for s in stats["schools"] if s["area_levels"] is None]
    assert [(s["level"], s["district"]) for s in old] == [("중", "강남서초")]
    assert old[0]["score100"] is not None  # the rest of its file counts as before
    assert all(stats["area_levels"]["overall"][a][g]["unknown"] == 1 for a, gs in stats["area_levels"]["cells"].items()
               for g in gs)


def test_a_district_workspace_of_an_older_release_shows_unknown_until_files_come_again(tmp_path):
    fixture = ROOT / "tests" / "fixtures" / "schema_v2.sqlite"
    path = tmp_path / "d.sqlite"
    shutil.copy(fixture, path)
    with open_workspace(path) as ws:
        stats = district_stats(ws)
    assert stats["n_schools"] == 3
    assert stats["area_levels"]["cells"] == {} and all(s["area_levels"] is None for s in stats["schools"])


def test_cli_district_stats_json_has_the_area_levels(district, tmp_path, capsys):
    from schoolvault.cli import main
    stats, _, _, _ = district
    subs = tmp_path / "one"
    demo.write_demo_district(2, subs, seed=3)
    db = ["--db", str(tmp_path / "d.sqlite")]
    assert main([*db, "district", "import", str(subs)]) == 0
    capsys.readouterr()
    assert main([*db, "district", "stats", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["area_levels"]
    assert got["labels"] == stats["area_levels"]["labels"] and set(got["cells"]) == {"Ⅰ", "Ⅱ", "Ⅲ"}
    assert all(sum(e["levels"].values()) + e["suppressed"] == 2 for gs in got["overall"].values() for e in gs.values())
