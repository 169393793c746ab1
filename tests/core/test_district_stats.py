"""District statistics agree with an independent pandas computation from the schools' own answers.

Schools are generated with the demo (raw answers kept), written as submission workbooks, imported,
and aggregated. The oracle reads the survey structure from the plain YAML files and recomputes every
school's group means from the raw answers with pandas, then the school-as-unit figures by level and
district. It never calls schoolvault.stats, schoolvault.forms.scoring or schoolvault.district.aggregate.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from schoolvault.district import demo
from schoolvault.district.aggregate import district_stats
from schoolvault.district.importer import import_submissions
from schoolvault.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENTS = ROOT / "resources" / "instruments"
TOL = 1e-9
N_SCHOOLS = 26


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """(stats, raw schools, planned specs): N_SCHOOLS demo schools, some with a 직원 group under 5."""
    out = tmp_path_factory.mktemp("district")
    mp = pytest.MonkeyPatch()
    mp.setattr(demo, "SMALL_GROUP_RATE", 0.25)
    try:
        surveys, gb = demo.instruments()
        specs = demo.plan(N_SCHOOLS, seed=5)
        schools = [demo.generate_school(s, surveys, gb) for s in specs]
        for spec, school in zip(specs, schools):
            demo.write_submission(out / demo.file_name(spec), demo.submission_rows(school, surveys, gb),
                                  demo.school_meta(school, gb, "2025-12-20T10:00:00+09:00"))
    finally:
        mp.undo()
    with open_workspace(out / "district.sqlite", create=True) as ws:
        result = import_submissions(ws, [out], workers=1)
        assert result["imported"] == N_SCHOOLS
        stats = district_stats(ws)
    return stats, schools


def _survey_items() -> pd.DataFrame:
    """One row per (instrument, group, item): factor, domain, reverse, scale points — from the YAML."""
    rows = []
    for path in sorted(INSTRUMENTS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc["kind"] != "survey":
            continue
        for g in doc["groups"]:
            for d in doc["domains"]:
                for f in d["factors"]:
                    for i in f["items"]:
                        if not i.get("groups") or g in i["groups"]:
                            rows.append({"instrument": doc["id"], "group": g, "item": i["code"], "factor": f["code"],
                                         "domain": d["code"], "reverse": bool(i.get("reverse")),
                                         "k": doc["scale"]["points"],
                                         "pooled": doc.get("scoring", "respondent") == "guidebook"})
    return pd.DataFrame(rows)


def _school_means(schools) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Group factor and domain means per school, groups with fewer than 5 respondents left out.

    `scoring: guidebook` surveys pool every answer of the group to the unit's items (가이드북 p.51);
    the others average respondents' factor scores (answered by at least half of the items)."""
    long_rows, sizes = [], []
    for s in schools:
        for (inst, grp), answers in s.answers.items():
            sizes.append({"school": s.meta["school_code"], "instrument": inst, "group": grp, "n": len(answers)})
            for r, ans in enumerate(answers):
                for item, v in ans.items():
                    long_rows.append((s.meta["school_code"], inst, grp, r, item, v))
    df = pd.DataFrame(long_rows, columns=["school", "instrument", "group", "resp", "item", "value"])
    items = _survey_items()
    df = df.merge(items, on=["instrument", "group", "item"], how="inner")
    df["scored"] = df["value"].where(~df["reverse"], df["k"] + 1 - df["value"])
    size = pd.DataFrame(sizes)
    big = size[size["n"] >= 5][["school", "instrument", "group"]]
    pooled = df[df["pooled"]].merge(big, on=["school", "instrument", "group"])
    pooled_f = pooled.groupby(["school", "instrument", "group", "factor"])["scored"].mean().rename("value").reset_index()
    pooled_d = pooled.groupby(["school", "instrument", "group", "domain"])["scored"].mean().rename("value").reset_index()
    df = df[~df["pooled"]]
    n_items = items.groupby(["instrument", "group", "factor"]).size().rename("n_items").reset_index()
    fs = (df.groupby(["school", "instrument", "group", "resp", "factor", "domain"])["scored"]
          .agg(["mean", "count"]).reset_index().merge(n_items, on=["instrument", "group", "factor"]))
    fs = fs[fs["count"] >= 0.5 * fs["n_items"]]
    fs = fs.merge(big, on=["school", "instrument", "group"])
    factor_means = fs.groupby(["school", "instrument", "group", "factor"])["mean"].mean().rename("value").reset_index()
    dom = fs.groupby(["school", "instrument", "group", "resp", "domain"])["mean"].mean().rename("d").reset_index()
    domain_means = dom.groupby(["school", "instrument", "group", "domain"])["d"].mean().rename("value").reset_index()
    return (pd.concat([factor_means, pooled_f]).rename(columns={"factor": "code"}),
            pd.concat([domain_means, pooled_d]).rename(columns={"domain": "code"}))


@pytest.fixture(scope="module")
def oracle(district):
    _, schools = district
    info = pd.DataFrame([{"school": s.meta["school_code"], "level": s.meta["level"], "district": s.meta["district"]}
                         for s in schools])
    factors, domains = _school_means(schools)
    return info, factors.merge(info, on="school"), domains.merge(info, on="school")


def _compare(block: dict, expected: pd.DataFrame, kind: str, scope_col: str) -> int:
    checked = 0
    for (scope, grp, code), g in expected.groupby([scope_col, "group", "code"]):
        got = block[scope]["groups"][grp][kind][code]
        assert got["n_schools"] == len(g)
        assert got["mean"] == pytest.approx(g["value"].mean(), abs=TOL)
        if len(g) > 1:
            assert got["sd"] == pytest.approx(g["value"].std(ddof=1), abs=TOL)
        else:
            assert got["sd"] is None
        checked += 1
    # nothing reported that the oracle does not have
    n_reported = sum(len(b["groups"][grp][kind]) for b in block.values() for grp in b["groups"])
    assert n_reported == checked
    return checked


def test_factor_statistics_by_level_equal_pandas(district, oracle):
    stats, _ = district
    _, factors, _ = oracle
    assert _compare(stats["by_level"], factors, "factors", "level") > 50


def test_domain_statistics_by_level_equal_pandas(district, oracle):
    stats, _ = district
    _, _, domains = oracle
    assert _compare(stats["by_level"], domains, "domains", "level") > 20


def test_factor_and_domain_statistics_by_district_equal_pandas(district, oracle):
    stats, _ = district
    _, factors, domains = oracle
    _compare(stats["by_district"], factors, "factors", "district")
    _compare(stats["by_district"], domains, "domains", "district")


def test_schools_and_groups_counted_per_level(district, oracle):
    stats, _ = district
    info, factors, _ = oracle
    for level, n in info.groupby("level").size().items():
        assert stats["by_level"][level]["n_schools"] == n
        for grp, m in factors.groupby(["level", "group"])["school"].nunique()[level].items():
            assert stats["by_level"][level]["groups"][grp]["n_schools"] == m


def test_small_groups_are_left_out_of_the_school_values(district):
    stats, schools = district
    small = [s for s in schools if any(len(a) < 5 for a in s.answers.values())]
    assert small, "the fixture should contain schools with a group under 5"
    listed = {s["code"]: s for s in stats["schools"]}
    for s in small:
        resp = listed[s.meta["school_code"]]["respondents"]
        assert any(n == "n<5" for groups in resp.values() for n in groups.values())


def test_all_groups_view_is_the_mean_of_included_groups(district, oracle):
    stats, _ = district
    _, factors, _ = oracle
    per_school = factors.groupby(["school", "level", "code"])["value"].mean().rename("value").reset_index()
    for (level, code), g in per_school.groupby(["level", "code"]):
        got = stats["by_level"][level]["all"]["factors"][code]
        assert got["n_schools"] == len(g)
        assert got["mean"] == pytest.approx(g["value"].mean(), abs=TOL)


def test_percentile_within_level_is_the_mid_rank_of_the_overall_score(district):
    stats, _ = district
    df = pd.DataFrame(stats["schools"])
    df = df[df["score100"].notna()]
    for _level, g in df.groupby("level"):
        expected = (g["score100"].rank(method="average") - 0.5) / len(g) * 100
        assert list(g["percentile"]) == pytest.approx(list(expected), abs=TOL)


def test_indicator_rating_distributions_equal_pandas(district):
    stats, schools = district
    rows = [{"level": s.meta["level"], "code": c, "rating": r} for s in schools for c, r in s.ratings.items()]
    df = pd.DataFrame(rows)
    for (level, code), g in df.groupby(["level", "code"]):
        got = stats["indicators"]["by_level"][level][code]
        assert got["n_schools"] == len(g)
        assert {int(k): v for k, v in got["counts"].items() if v} == g["rating"].value_counts().to_dict()
        assert got["mean"] == pytest.approx(g["rating"].mean(), abs=TOL)


def test_response_counts_equal_the_raw_answers(district):
    stats, schools = district
    rows = [{"instrument": i, "group": g, "n": len(a)} for s in schools for (i, g), a in s.answers.items()]
    df = pd.DataFrame(rows)
    for (inst, grp), g in df.groupby(["instrument", "group"]):
        got = stats["responses"]["total"][inst][grp]
        assert got["n_schools"] == len(g)
        assert got["suppressed_schools"] == int((g["n"] < 5).sum())
        assert got["respondents"] == int(g.loc[g["n"] >= 5, "n"].sum())
