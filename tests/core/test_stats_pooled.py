"""The guidebook rule (issue 12): 세부영역 and 영역 pooled over answers, rounded half up, placed in 4단계.

Checked against the independent pandas oracle of test_stats_oracle.py (which reads the survey YAML and
the thresholds as plain data), against the guidebook's worked example through the CLI, and at the
x.x5 boundaries where Python's round() would go the other way. SODI-type surveys keep the respondent
rule: their numbers are covered by test_stats_oracle.py unchanged.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from test_stats_oracle import (
    assert_same,
    hand_spec,
    oracle,
    random_rows,
    services_oracle,
    shipped_survey_levels,
    survey_yaml,
    surveys_and_answers,
)

from schoolvault import services
from schoolvault.cli import main
from schoolvault.forms.loader import parse_instrument
from schoolvault.forms.model import Level, SurveyLevels
from schoolvault.stats import group_stats
from schoolvault.workspace import responses
from schoolvault.workspace.responses import ResponseRow

# The year's thresholds as a guidebook YAML states them (the oracle reads this plain mapping).
LEVELS_YAML = """
scale_points: 5
decimals: 1
levels:
  - {label: 매우 우수, min: 4.0}
  - {label: 우수, min: 3.0}
  - {label: 보통, min: 2.0}
  - {label: 미흡}
"""
LEVELS = yaml.safe_load(LEVELS_YAML)


def as_model(levels: dict) -> SurveyLevels:
    return SurveyLevels(levels["scale_points"], levels["decimals"],
                        tuple(Level(x["label"], x.get("min")) for x in levels["levels"]))


def guidebook_spec(k: int) -> dict:
    return {**hand_spec(k), "scoring": "guidebook"}


# ----------------------------------------------------------------------------- against the oracle

@pytest.mark.parametrize("k", [4, 5])
@pytest.mark.parametrize("missing", [0.0, 0.15, 0.6])
def test_pooled_factors_and_domains_match_the_oracle(k, missing):
    """Reverse items, group-limited items, a 1-item factor, missing answers: every key to 1e-9."""
    spec = guidebook_spec(k)
    survey = parse_instrument(survey_yaml(spec), "pooled.yaml")
    for gi, group in enumerate(spec["groups"]):
        rows = random_rows(spec, group, 40, missing, seed=k * 10 + gi + int(missing * 100))
        got = group_stats(survey, group, rows, as_model(LEVELS))
        assert_same(got, oracle(spec, group, rows, LEVELS), group)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys_and_answers())
def test_pooled_figures_match_the_oracle_on_generated_surveys(case):
    spec, answers = case
    spec = {**spec, "scoring": "guidebook"}
    survey = parse_instrument(survey_yaml(spec), "gen.yaml")
    for g, rows in answers.items():
        assert_same(group_stats(survey, g, rows, as_model(LEVELS)), oracle(spec, g, rows, LEVELS), g)


def test_pooled_differs_from_the_mean_of_respondents():
    """Guard against the oracle and the code agreeing on the old rule: one keen and one brief respondent."""
    spec = guidebook_spec(5)
    survey = parse_instrument(survey_yaml(spec), "pooled.yaml")
    rows = [{"I9": 5, "I10": 5, "I11": 1}, {"I9": 1, "I10": None}]  # I11 reversed: 1 → 5
    f4 = group_stats(survey, "교원", rows, as_model(LEVELS))["factors"]["F4"]
    assert f4["answers"] == 4 and f4["n"] == 2
    assert f4["mean"] == pytest.approx((5 + 5 + 5 + 1) / 4)  # not (5 + 1) / 2
    assert f4["rounded"] == 4.0 and f4["level"] == "매우 우수"


def test_n_counts_respondents_with_any_answer_in_the_unit():
    spec = guidebook_spec(5)
    survey = parse_instrument(survey_yaml(spec), "pooled.yaml")
    rows = [{"I1": 3}, {"I9": 4}, {}, {"I5": 2, "I6": 5}]
    got = group_stats(survey, "교원", rows, as_model(LEVELS))
    assert got["n"] == 4
    assert (got["factors"]["F1"]["n"], got["factors"]["F1"]["answers"]) == (1, 1)
    assert (got["domains"]["D1"]["n"], got["domains"]["D1"]["answers"]) == (2, 2)
    assert (got["domains"]["D2"]["n"], got["domains"]["D2"]["answers"]) == (2, 2)
    assert got["factors"]["F1"]["sd"] is None  # one answer: no SD
    empty = group_stats(survey, "교원", [{}], as_model(LEVELS))["domains"]["D2"]
    assert empty == {"n": 0, "answers": 0, "mean": None, "sd": None, "score100": None, "rounded": None,
                     "level": None}


def test_a_four_point_survey_gets_no_level():
    spec = guidebook_spec(4)
    survey = parse_instrument(survey_yaml(spec), "pooled.yaml")
    got = group_stats(survey, "교원", random_rows(spec, "교원", 20, 0.1, seed=2), as_model(LEVELS))
    for unit in (*got["factors"].values(), *got["domains"].values()):
        assert unit["rounded"] is not None and unit["level"] is None


def test_without_thresholds_the_level_is_null_and_the_mean_still_rounds():
    spec = guidebook_spec(5)
    survey = parse_instrument(survey_yaml(spec), "pooled.yaml")
    rows = random_rows(spec, "학생", 20, 0.1, seed=3)
    got = group_stats(survey, "학생", rows)
    assert_same(got, oracle(spec, "학생", rows, None))
    assert all(d["level"] is None and d["rounded"] is not None for d in got["domains"].values())


def test_a_respondent_survey_ignores_thresholds():
    spec = hand_spec(5)  # no scoring: → respondent
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    rows = random_rows(spec, "교원", 30, 0.2, seed=4)
    got = group_stats(survey, "교원", rows, as_model(LEVELS))
    assert got == group_stats(survey, "교원", rows)
    assert set(got["domains"]["D1"]) == {"n", "mean", "sd", "score100"}
    assert_same(got, oracle(spec, "교원", rows))


# ----------------------------------------------------------------------------- half up at x.x5

WORKED_TEXTS = {1: "우리 학교 교육과정은 학생의 요구를 반영한다.", 2: "수업에서 학생 참여 활동이 충분하다.",
                3: "평가 결과가 수업 개선에 활용된다.", 4: "학교는 교원의 전문적 학습을 지원한다.",
                5: "교육과정 운영 과정이 구성원에게 공유된다."}


def one_unit_survey(k: int = 5) -> dict:
    labels = {5: ["전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"]}[k]
    return {"kind": "survey", "id": "worked", "title": "예시 설문", "year": 2025, "scoring": "guidebook",
            "scale": {"points": k, "labels": labels}, "groups": ["교원"],
            "domains": [{"code": "A1", "title": "교육과정", "factors": [
                {"code": "A1-1", "title": "세부영역 1", "items": [{"code": f"Q{n}", "text": WORKED_TEXTS[n]} for n in (1, 2, 3)]},
                {"code": "A1-2", "title": "세부영역 2", "items": [{"code": f"Q{n}", "text": WORKED_TEXTS[n]} for n in (4, 5)]},
            ]}]}


def rows_with_counts(counts: dict[int, int], codes: list[str]) -> list[dict]:
    """Answers with the given count per value, dealt over respondents × items in order."""
    values = [v for v, c in sorted(counts.items(), reverse=True) for _ in range(c)]
    assert len(values) % len(codes) == 0
    return [dict(zip(codes, values[i:i + len(codes)])) for i in range(0, len(values), len(codes))]


@pytest.mark.parametrize("counts,mean,rounded,level", [
    ({4: 19, 3: 1}, 3.95, 4.0, "매우 우수"),
    ({3: 19, 2: 1}, 2.95, 3.0, "우수"),
    ({2: 19, 1: 1}, 1.95, 2.0, "보통"),
    ({3: 1, 2: 19}, 2.05, 2.1, "보통"),
    ({4: 11, 3: 9}, 3.55, 3.6, "우수"),
    ({2: 3, 1: 17}, 1.15, 1.2, "미흡"),
    ({4: 1, 3: 19}, 3.05, 3.1, "우수"),
    ({4: 20}, 4.0, 4.0, "매우 우수"),
    ({4: 18, 3: 2}, 3.9, 3.9, "우수"),
])
def test_means_at_x_x5_round_half_up(counts, mean, rounded, level):
    spec = one_unit_survey()
    survey = parse_instrument(survey_yaml(spec), "worked.yaml")
    rows = rows_with_counts(counts, ["Q1", "Q2", "Q3", "Q4", "Q5"])
    d = group_stats(survey, "교원", rows, as_model(LEVELS))["domains"]["A1"]
    assert d["mean"] == pytest.approx(mean, abs=1e-12)
    assert (d["rounded"], d["level"]) == (rounded, level)
    assert_same(d, oracle(spec, "교원", rows, LEVELS)["domains"]["A1"])


def test_the_boundaries_include_cases_where_python_round_goes_down():
    """Several x.x5 means above are stored just below in binary, so round() would give the lower value."""
    assert round(39 / 20, 1) == 1.9  # 1.95
    assert round(41 / 20, 1) == 2.0  # 2.05
    assert round(71 / 20, 1) == 3.5  # 3.55
    assert round(23 / 20, 1) == 1.1  # 1.15
    assert round(61 / 20, 1) == 3.0  # 3.05


# ----------------------------------------------------------------------------- through the real pipeline

WORKED_COUNTS = {5: 113, 4: 35, 3: 16, 2: 7, 1: 4}  # 가이드북 p.51: 175 answers, Σ 771


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_guidebooks_worked_example_through_import_and_stats(fresh_ws_path, tmp_path, capsys):
    """35 teachers × 5 items of one 영역 whose 175 answers count 113/35/16/7/4 → 4.4 매우 우수."""
    spec = one_unit_survey()
    (tmp_path / "worked.yaml").write_text(survey_yaml(spec), encoding="utf-8")
    items = [i for f in spec["domains"][0]["factors"] for i in f["items"]]
    rows = rows_with_counts(WORKED_COUNTS, [i["code"] for i in items])
    assert len(rows) == 35
    labels = spec["scale"]["labels"]
    export = tmp_path / "교원.csv"
    with open(export, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["타임스탬프"] + [i["text"] for i in items])
        for n, r in enumerate(rows):
            w.writerow([f"2025/12/{n % 28 + 1:02d} 오전 9:{n:02d}:00"] + [labels[r[i["code"]] - 1] for i in items])
    db = fresh_ws_path
    assert run(capsys, "--db", db, "instruments", "import", tmp_path / "worked.yaml")[0] == 0
    code, _, err = run(capsys, "--db", db, "import-responses", export, "--instrument", "worked", "--group", "교원")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "stats", "--instrument", "worked", "--json")
    assert code == 0, err
    st = json.loads(out)
    assert st["scoring"] == "guidebook"
    d = st["groups"]["교원"]["domains"]["A1"]
    assert d["answers"] == 175 and d["n"] == 35
    assert d["mean"] == pytest.approx(771 / 175, abs=1e-12)  # 4.405714…
    assert d["rounded"] == 4.4 and d["level"] == "매우 우수"
    # the two 세부영역 split the same answers: 3 and 2 items per respondent
    f1, f2 = (st["groups"]["교원"]["factors"][c] for c in ("A1-1", "A1-2"))
    assert (f1["answers"], f2["answers"]) == (105, 70)
    assert f1["mean"] * 105 + f2["mean"] * 70 == pytest.approx(771)
    # the text output shows the 영역 line with answers, mean, rounded and 4단계
    code, out, _ = run(capsys, "--db", db, "stats", "--instrument", "worked")
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("A1 "))
    assert line.split() == ["A1", "35", "175", "4.406", "4.4", "매우", "우수"]


def _store(ws, instrument_id: str, group: str, rows: list[dict], year: int = 2025) -> None:
    with ws.transaction():
        ref = services.freeze_for_use(ws, instrument_id)
        responses.add_administration(ws, year=year, instrument_ref=ref, group=group,
                                     rows=[ResponseRow(n + 2, r, {}) for n, r in enumerate(rows)],
                                     source_name=f"pooled-{group}", method="test")


def test_services_stats_use_the_years_thresholds(fresh_ws, tmp_path):
    spec = guidebook_spec(5)
    (tmp_path / "s.yaml").write_text(survey_yaml(spec), encoding="utf-8")
    services.import_instrument(fresh_ws, tmp_path / "s.yaml")
    data = {"교원": random_rows(spec, "교원", 25, 0.3, 1), "학부모": random_rows(spec, "학부모", 30, 0.2, 2)}
    for g, rows in data.items():
        _store(fresh_ws, spec["id"], g, rows)
    levels = shipped_survey_levels(2025)
    assert levels is not None, "the shipped 2025 guidebook names its 4단계"
    got = json.loads(json.dumps(services.stats(fresh_ws, spec["id"])))
    for g, rows in data.items():
        assert_same(got["groups"][g], services_oracle(spec, g, rows, levels), g)


def test_a_frozen_guidebook_without_thresholds_falls_back_to_the_shipped_file_of_that_year(fresh_ws):
    """Old workspaces froze a 2025 guidebook file that had no survey_levels."""
    ref = fresh_ws.conn.execute("SELECT guidebook_ref FROM years WHERE year = 2025").fetchone()[0]
    content = fresh_ws.conn.execute("SELECT content FROM instruments WHERE id = ?", (ref,)).fetchone()[0]
    d = yaml.safe_load(content)
    d.pop("survey_levels", None)
    with fresh_ws.transaction():
        fresh_ws.conn.execute("UPDATE instruments SET content = ? WHERE id = ?",
                              (yaml.safe_dump(d, allow_unicode=True, sort_keys=False), ref))
    assert services.year_guidebook(fresh_ws, 2025).survey_levels is None
    assert services.survey_levels(fresh_ws, 2025) == as_model(shipped_survey_levels(2025))
    assert services.survey_levels(fresh_ws, 2031) is None  # no guidebook of that year: no 4단계


def test_shipped_eval_survey_is_guidebook_and_sodi_is_respondent():
    root = Path(__file__).resolve().parents[2] / "resources" / "instruments"
    rules = {d["id"]: d.get("scoring") for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                                 for p in root.glob("*.yaml")) if d["kind"] == "survey"}
    assert rules["seoul-eval-survey-2025"] == "guidebook" and rules["sodi-example-2025"] == "respondent"
