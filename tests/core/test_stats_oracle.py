"""Survey statistics agree with an independent pandas/pingouin computation to 1e-9.

The oracle below reads the survey structure from the plain YAML/dict (not from the model) and
computes every figure with pandas and pingouin, following DESIGN.md 'Scoring definitions' word
for word. It never calls schoolvault.stats or schoolvault.forms.scoring.
"""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolvault import services
from schoolvault.forms.loader import parse_instrument
from schoolvault.stats import group_stats
from schoolvault.workspace import open_workspace, responses
from schoolvault.workspace.responses import ResponseRow

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "resources" / "instruments"
TOL = 1e-9


# ----------------------------------------------------------------------------- the oracle

def _none(x):
    """NaN / missing → None, numpy scalars → Python floats."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _applies(item: dict, group: str) -> bool:
    return not item.get("groups") or group in item["groups"]


def _describe(series: pd.Series, k: int) -> dict:
    s = series.dropna().astype(float)
    n = int(s.count())
    mean = _none(s.mean()) if n else None
    return {"n": n, "mean": mean, "sd": _none(s.std(ddof=1)) if n > 1 else None,
            "score100": None if mean is None else (mean - 1) / (k - 1) * 100}


def _alpha(complete: pd.DataFrame) -> float | None:
    if complete.shape[1] < 2 or complete.shape[0] < 2:
        return None
    if complete.sum(axis=1).var(ddof=1) == 0:  # α undefined: no spread in the total
        return None
    value = pg.cronbach_alpha(data=complete.astype(float), nan_policy="listwise")[0]
    return None if not np.isfinite(value) else float(value)


def _half_up(total: int, answers: int, decimals: int) -> float:
    """Σ / answers rounded half up in decimal arithmetic (the guidebook's 3.95 → 4.0)."""
    q = Decimal(1).scaleb(-decimals)
    return float((Decimal(total) / Decimal(answers)).quantize(q, rounding=ROUND_HALF_UP))


def _pooled(sub: pd.DataFrame, k: int, levels: dict | None) -> dict:
    """A unit pooled over every answer of the group to its items (가이드북 p.51), from the YAML thresholds."""
    answers = pd.Series(sub.to_numpy(dtype=float).ravel()).dropna()  # one value per answer given
    count = int(answers.count())
    if count == 0:
        return {"n": 0, "answers": 0, "mean": None, "sd": None, "score100": None, "rounded": None, "level": None}
    mean = float(answers.mean())
    decimals = levels["decimals"] if levels else 1
    rounded = _half_up(int(answers.sum()), count, decimals)
    level = None
    if levels and levels["scale_points"] == k:
        level = next(lv["label"] for lv in levels["levels"] if lv.get("min") is None or rounded >= lv["min"])
    return {"n": int(sub.notna().any(axis=1).sum()), "answers": count, "mean": mean,
            "sd": _none(answers.std(ddof=1)) if count > 1 else None, "score100": (mean - 1) / (k - 1) * 100,
            "rounded": rounded, "level": level}


def oracle(spec: dict, group: str, rows: list[dict], levels: dict | None = None) -> dict:
    """One group's statistics per DESIGN.md, from the plain survey dict and raw answers.

    `levels` is the guidebook YAML's `survey_levels` mapping, used by `scoring: guidebook` surveys."""
    guidebook = spec.get("scoring") == "guidebook"
    k = spec["scale"]["points"]
    all_items = [i for d in spec["domains"] for f in d["factors"] for i in f["items"]]
    codes = [i["code"] for i in all_items if _applies(i, group)]
    raw = pd.DataFrame([{c: r.get(c) for c in codes} for r in rows], columns=codes, dtype=float)
    scored = raw.copy()
    for i in all_items:
        if i["code"] in codes and i.get("reverse"):
            scored[i["code"]] = k + 1 - scored[i["code"]]

    items = {}
    for c in codes:
        col = scored[c].dropna()
        d = _describe(col, k)
        d["counts"] = {str(v): int((col == v).sum()) for v in range(1, k + 1)}
        d["positive_rate"] = float((col >= k - 1).sum() / len(col)) if len(col) else None
        items[c] = d

    factors, fscores = {}, {}
    for dom in spec["domains"]:
        for f in dom["factors"]:
            fcodes = [i["code"] for i in f["items"] if _applies(i, group)]
            if not fcodes:
                continue
            sub = scored[fcodes]
            answered = sub.notna().sum(axis=1)
            score = sub.mean(axis=1).where((answered >= 1) & (answered * 2 >= len(fcodes)))
            fscores[f["code"]] = score
            d = _pooled(sub, k, levels) if guidebook else _describe(score, k)
            if len(fcodes) >= 2:
                complete = sub.dropna(how="any")
                d["alpha"] = _alpha(complete)
                d["alpha_n"] = len(complete)
            else:
                d["alpha"], d["alpha_n"] = None, 0
            factors[f["code"]] = d

    domains = {}
    for dom in spec["domains"]:
        fc = [f["code"] for f in dom["factors"] if f["code"] in fscores]
        if not fc:
            continue
        if guidebook:
            dcodes = [i["code"] for f in dom["factors"] for i in f["items"] if _applies(i, group)]
            domains[dom["code"]] = _pooled(scored[dcodes], k, levels)
            continue
        frame = pd.DataFrame({c: fscores[c] for c in fc}, index=range(len(rows)))
        domains[dom["code"]] = _describe(frame.mean(axis=1, skipna=True), k)
    return {"n": len(rows), "items": items, "factors": factors, "domains": domains}


# the documented disclosure rule (docs/SCORING.md): a group of fewer than 5 respondents stays inside the school
OUTSIDE_MIN_N = 5


def services_oracle(spec: dict, group: str, rows: list[dict], levels: dict | None = None) -> dict:
    """What `services.stats` gives per group: the oracle's statistics and whether the group is kept out of
    what leaves the school (`suppressed_outside`, n < 5)."""
    want = oracle(spec, group, rows, levels)
    want["suppressed_outside"] = want["n"] < OUTSIDE_MIN_N
    return want


def assert_same(got, want, path="stats"):
    """Recursive comparison: same keys, ints equal, floats within 1e-9 (relative beyond 1)."""
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        assert set(got) == set(want), f"{path}: keys {sorted(set(got) ^ set(want))}"
        for key in want:
            assert_same(got[key], want[key], f"{path}.{key}")
    elif want is None:
        assert got is None, f"{path}: got {got!r}, want None"
    elif isinstance(want, float):
        assert isinstance(got, (int, float)) and got is not None, f"{path}: got {got!r}"
        assert abs(got - want) <= TOL * max(1.0, abs(want)), f"{path}: got {got!r}, want {want!r}"
    else:
        assert got == want, f"{path}: got {got!r}, want {want!r}"


# ----------------------------------------------------------------------------- hand-built surveys

def survey_yaml(spec: dict) -> str:
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


LABELS = {4: ["전혀 그렇지 않다", "그렇지 않다", "그렇다", "매우 그렇다"],
          5: ["전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"]}


def hand_spec(k: int) -> dict:
    """Reverse items, group-specific items, a 1-item factor, a factor absent for 학생."""
    return {
        "kind": "survey", "id": f"oracle-{k}", "title": "검산용 설문", "year": 2025,
        "scale": {"points": k, "labels": LABELS[k]},
        "groups": ["교원", "학생", "학부모"],
        "domains": [
            {"code": "D1", "title": "영역1", "factors": [
                {"code": "F1", "title": "요인1", "items": [
                    {"code": "I1", "text": "문항 1"},
                    {"code": "I2", "text": "문항 2", "reverse": True},
                    {"code": "I3", "text": "문항 3", "groups": ["교원"]},
                    {"code": "I4", "text": "문항 4", "groups": ["학생", "학부모"], "reverse": True},
                ]},
                {"code": "F2", "title": "요인2 (한 문항)", "items": [
                    {"code": "I5", "text": "문항 5"},
                ]},
            ]},
            {"code": "D2", "title": "영역2", "factors": [
                {"code": "F3", "title": "요인3 (교원만)", "items": [
                    {"code": "I6", "text": "문항 6", "groups": ["교원"]},
                    {"code": "I7", "text": "문항 7", "groups": ["교원"], "reverse": True},
                    {"code": "I8", "text": "문항 8", "groups": ["교원"]},
                ]},
                {"code": "F4", "title": "요인4", "items": [
                    {"code": "I9", "text": "문항 9"},
                    {"code": "I10", "text": "문항 10"},
                    {"code": "I11", "text": "문항 11", "reverse": True},
                ]},
            ]},
            {"code": "D3", "title": "영역3 (학부모만)", "factors": [
                {"code": "F5", "title": "요인5", "items": [
                    {"code": "I12", "text": "문항 12", "groups": ["학부모"]},
                    {"code": "I13", "text": "문항 13", "groups": ["학부모"]},
                ]},
            ]},
        ],
    }


def random_rows(spec: dict, group: str, n: int, missing: float, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    k = spec["scale"]["points"]
    codes = [i["code"] for d in spec["domains"] for f in d["factors"] for i in f["items"] if _applies(i, group)]
    rows = []
    for _ in range(n):
        rows.append({c: int(rng.integers(1, k + 1)) for c in codes if rng.random() >= missing})
    return rows


def test_oracle_itself_matches_a_hand_computed_example():
    """Guard the oracle: a tiny case worked out on paper (4-point, one reverse item)."""
    spec = {"scale": {"points": 4}, "domains": [{"code": "D", "factors": [{"code": "F", "items": [
        {"code": "a"}, {"code": "b", "reverse": True}, {"code": "c"}]}]}]}
    rows = [{"a": 4, "b": 1, "c": 3}, {"a": 2, "b": 3}, {"a": 1}, {"a": 3, "b": 2, "c": 4}]
    got = oracle(spec, "교원", rows)
    # scored b: 4, 2, -, 3. Factor scores: (4+4+3)/3, (2+2)/2, missing (1 of 3 answered), (3+3+4)/3
    f = got["factors"]["F"]
    assert f["n"] == 3
    assert f["mean"] == pytest.approx((11 / 3 + 2 + 10 / 3) / 3)
    assert got["items"]["b"]["counts"] == {"1": 0, "2": 1, "3": 1, "4": 1}
    assert got["items"]["a"]["positive_rate"] == pytest.approx(2 / 4)
    # α on the two complete rows: items (4,4,3) and (3,3,4) → item vars 0.5 each, total var 0.5
    assert f["alpha_n"] == 2
    assert f["alpha"] == pytest.approx(3 / 2 * (1 - 1.5 / 0.5))
    assert got["domains"]["D"]["mean"] == pytest.approx(f["mean"])


@pytest.mark.parametrize("k", [4, 5])
@pytest.mark.parametrize("missing", [0.0, 0.15, 0.6])
def test_group_stats_match_oracle_on_hand_built_survey(k, missing):
    spec = hand_spec(k)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    for gi, group in enumerate(spec["groups"]):
        rows = random_rows(spec, group, 40, missing, seed=k * 100 + gi + int(missing * 10))
        assert_same(group_stats(survey, group, rows), oracle(spec, group, rows), f"{group}")


def test_group_with_no_respondents_has_n_zero_and_no_numbers():
    spec = hand_spec(5)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    got = group_stats(survey, "학부모", [])
    assert_same(got, oracle(spec, "학부모", []))
    assert got["n"] == 0
    assert got["items"]["I12"] == {"n": 0, "mean": None, "sd": None, "score100": None,
                                   "counts": {str(v): 0 for v in range(1, 6)}, "positive_rate": None}
    assert got["factors"]["F5"]["alpha"] is None and got["factors"]["F5"]["alpha_n"] == 0


def test_one_item_factor_has_no_alpha_and_factor_equals_item():
    spec = hand_spec(5)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    rows = random_rows(spec, "교원", 30, 0.1, seed=3)
    got = group_stats(survey, "교원", rows)
    assert got["factors"]["F2"]["alpha"] is None
    assert got["factors"]["F2"]["alpha_n"] == 0
    for key in ("n", "mean", "sd", "score100"):
        assert got["factors"]["F2"][key] == pytest.approx(got["items"]["I5"][key], abs=TOL)


def test_factor_score_needs_half_of_the_groups_items():
    """교원 has 3 items of F1 → 2 needed; 학생 has 3 (I1, I2, I4) too; 4-item F1 is never seen whole."""
    spec = hand_spec(5)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    rows = [{"I1": 5}, {"I1": 5, "I2": 1}, {"I1": 4, "I2": 2, "I3": 3}]
    got = group_stats(survey, "교원", rows)
    assert got["factors"]["F1"]["n"] == 2
    assert got["factors"]["F1"]["mean"] == pytest.approx((5.0 + (4 + 4 + 3) / 3) / 2)
    # F3 (3 교원 items): nobody answered → n 0; domain D2 only from F4, also unanswered → n 0
    assert got["factors"]["F3"]["n"] == 0 and got["domains"]["D2"]["n"] == 0
    assert_same(got, oracle(spec, "교원", rows))


def test_items_factors_domains_outside_the_group_are_left_out():
    spec = hand_spec(5)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    got = group_stats(survey, "학생", random_rows(spec, "학생", 10, 0.0, seed=5))
    assert "I3" not in got["items"] and "I12" not in got["items"]
    assert "F3" not in got["factors"] and "F5" not in got["factors"]
    assert "D3" not in got["domains"]


def test_zero_variance_gives_no_alpha_and_no_sd_for_one_answer():
    spec = hand_spec(4)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    rows = [{"I9": 3, "I10": 3, "I11": 2}] * 6  # I11 reversed → 3: everyone answers 3 everywhere
    got = group_stats(survey, "교원", rows)
    assert got["factors"]["F4"]["alpha"] is None and got["factors"]["F4"]["alpha_n"] == 6
    assert got["factors"]["F4"]["sd"] == 0.0
    one = group_stats(survey, "교원", rows[:1])
    assert one["items"]["I9"]["sd"] is None and one["items"]["I9"]["n"] == 1
    assert_same(got, oracle(spec, "교원", rows))
    assert_same(one, oracle(spec, "교원", rows[:1]))


# ----------------------------------------------------------------------------- generated surveys

GROUP_POOL = ("교원", "직원", "학생", "학부모")


@st.composite
def surveys_and_answers(draw):
    k = draw(st.sampled_from([4, 5]))
    groups = draw(st.lists(st.sampled_from(GROUP_POOL), min_size=1, max_size=4, unique=True))
    n_code = 0
    domains = []
    for d in range(draw(st.integers(1, 3))):
        factors = []
        for f in range(draw(st.integers(1, 3))):
            items = []
            for _ in range(draw(st.integers(1, 5))):
                n_code += 1
                item = {"code": f"Q{n_code}", "text": f"문항 {n_code}"}
                if draw(st.booleans()):
                    item["groups"] = draw(st.lists(st.sampled_from(groups), min_size=1, unique=True))
                if draw(st.booleans()):
                    item["reverse"] = True
                items.append(item)
            factors.append({"code": f"D{d}F{f}", "title": "요인", "items": items})
        domains.append({"code": f"D{d}", "title": "영역", "factors": factors})
    spec = {"kind": "survey", "id": "gen", "title": "생성 설문", "year": 2025,
            "scale": {"points": k, "labels": LABELS[k]}, "groups": groups, "domains": domains}
    answers = {}
    for g in groups:
        codes = [i["code"] for dm in domains for fc in dm["factors"] for i in fc["items"] if _applies(i, g)]
        missing = draw(st.sampled_from([0.0, 0.1, 0.5, 0.9]))
        n = draw(st.integers(0, 12))
        rows = []
        for _ in range(n):
            row = {}
            for c in codes:
                if draw(st.floats(0, 1)) >= missing:
                    row[c] = draw(st.integers(1, k))
            rows.append(row)
        answers[g] = rows
    return spec, answers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys_and_answers())
def test_group_stats_match_oracle_on_generated_surveys(case):
    spec, answers = case
    survey = parse_instrument(survey_yaml(spec), "gen.yaml")
    for g, rows in answers.items():
        assert_same(group_stats(survey, g, rows), oracle(spec, g, rows), g)


# ----------------------------------------------------------------------------- through the workspace

def _store(ws, instrument_id: str, group: str, rows: list[dict], year: int = 2025) -> None:
    with ws.transaction():
        ref = services.freeze_for_use(ws, instrument_id)
        responses.add_administration(ws, year=year, instrument_ref=ref, group=group,
                                     rows=[ResponseRow(n + 2, r, {}) for n, r in enumerate(rows)],
                                     source_name=f"oracle-{group}", method="test")


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=surveys_and_answers())
def test_services_stats_match_oracle_through_the_workspace(_template_ws, case):
    spec, answers = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ws.sqlite"
        shutil.copy(_template_ws, path)
        (Path(tmp) / "gen.yaml").write_text(survey_yaml(spec), encoding="utf-8")
        with open_workspace(path) as ws:
            services.import_instrument(ws, Path(tmp) / "gen.yaml")
            for g, rows in answers.items():
                _store(ws, "gen", g, rows)
            got = services.stats(ws, "gen")
        # the JSON the CLI prints must carry the same numbers
        got = json.loads(json.dumps(got))
    assert got["scale_points"] == spec["scale"]["points"]
    assert set(got["groups"]) == set(answers)
    for g, rows in answers.items():
        assert_same(got["groups"][g], services_oracle(spec, g, rows), g)


@pytest.mark.parametrize("k", [4, 5])
def test_services_stats_match_oracle_for_hand_built_survey_and_empty_group(fresh_ws, tmp_path, k):
    spec = hand_spec(k)
    (tmp_path / "s.yaml").write_text(survey_yaml(spec), encoding="utf-8")
    services.import_instrument(fresh_ws, tmp_path / "s.yaml")
    data = {"교원": random_rows(spec, "교원", 25, 0.3, 1), "학생": random_rows(spec, "학생", 60, 0.5, 2),
            "학부모": []}
    for g, rows in data.items():
        _store(fresh_ws, spec["id"], g, rows)
    got = services.stats(fresh_ws, spec["id"])
    assert list(got["groups"]) == ["교원", "학생", "학부모"]
    for g, rows in data.items():
        assert_same(got["groups"][g], services_oracle(spec, g, rows), g)
    one = services.stats(fresh_ws, spec["id"], group="교원용")
    assert list(one["groups"]) == ["교원"]
    assert_same(one["groups"]["교원"], services_oracle(spec, "교원", data["교원"]))


def _raw_rows(db: Path, instrument_id: str, group: str, year: int) -> list[dict]:
    """Respondents' raw answers read straight from the file with plain SQL (not the app's queries)."""
    con = sqlite3.connect(db)
    try:
        rids = [r[0] for r in con.execute(
            "SELECT r.id FROM respondents r JOIN administrations a ON a.id = r.administration_id "
            "JOIN instruments i ON i.id = a.instrument_ref WHERE i.instrument_id = ? AND a.grp = ? AND a.year = ? "
            "ORDER BY r.id", (instrument_id, group, year))]
        long = pd.read_sql_query(
            "SELECT x.respondent_id AS rid, x.item, x.value FROM answers x JOIN respondents r ON r.id = x.respondent_id "
            "JOIN administrations a ON a.id = r.administration_id JOIN instruments i ON i.id = a.instrument_ref "
            "WHERE i.instrument_id = ? AND a.grp = ? AND a.year = ?", con, params=(instrument_id, group, year))
    finally:
        con.close()
    wide = long.pivot(index="rid", columns="item", values="value").reindex(rids)
    return [{c: int(v) for c, v in row.items() if not pd.isna(v)} for _, row in wide.iterrows()]


def shipped_survey_levels(year: int) -> dict | None:
    """`survey_levels` of the shipped guidebook YAML of the year, read as plain data."""
    for p in sorted(INSTRUMENTS.glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        if d["kind"] == "guidebook" and d["year"] == year:
            return d.get("survey_levels")
    return None


def _answered_in_2025(spec: dict) -> bool:
    """The 2025 demo answers every survey but another year's 교육공동체 (guidebook) survey."""
    return spec["kind"] == "survey" and (spec.get("scoring") != "guidebook" or spec["year"] == 2025)


# the demo workspace is a 2025 one; the 2026 survey is checked on a 2026 demo in test_demo_2026.py
SHIPPED_SURVEYS = [p for p in sorted(INSTRUMENTS.glob("*.yaml"))
                   if _answered_in_2025(yaml.safe_load(p.read_text(encoding="utf-8")))]


def test_there_are_shipped_surveys():
    assert len(SHIPPED_SURVEYS) >= 2


@pytest.mark.parametrize("path", SHIPPED_SURVEYS, ids=lambda p: p.stem)
def test_shipped_surveys_match_oracle_on_demo_workspace(demo_ws_path, path):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    with open_workspace(demo_ws_path) as ws:
        got = json.loads(json.dumps(services.stats(ws, spec["id"])))
    assert got["scale_points"] == spec["scale"]["points"]
    assert set(got["groups"]) == set(spec["groups"])
    levels = shipped_survey_levels(2025)
    for g in spec["groups"]:
        rows = _raw_rows(demo_ws_path, spec["id"], g, 2025)
        assert len(rows) >= 3
        assert_same(got["groups"][g], services_oracle(spec, g, rows, levels), g)
        # demo data are realistic: reliable factors, not degenerate
        alphas = [f["alpha"] for f in got["groups"][g]["factors"].values() if f["alpha"] is not None]
        assert alphas and float(np.median(alphas)) > 0.3


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_value_outside_the_scale_is_refused_not_counted(value):
    from schoolvault.errors import SchoolVaultError
    spec = hand_spec(5)
    survey = parse_instrument(survey_yaml(spec), "oracle.yaml")
    rows = random_rows(spec, "교원", 5, 0.0, seed=1) + [{"I2": value}]
    with pytest.raises(SchoolVaultError, match="I2"):
        group_stats(survey, "교원", rows)
