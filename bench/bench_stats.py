"""Statistics benchmark: pooled (guidebook) figures of 10,000 respondents × 60 items.

The same answers as bench_import.py (10,000 × 60 on a 5-point scale, ~1% missing) scored three ways in
the same run, best of --repeat alternating runs:
  - SchoolVault `group_stats` with `scoring: guidebook` (세부영역 and 영역 pooled over answers, 4단계);
  - the same survey with `scoring: respondent` (the rule every survey used before issue 12);
  - a raw pandas baseline: one long frame, pooled count / mean / SD per 영역 and 세부영역 by groupby.
With --workspace the two rules are also timed through `services.stats` on a workspace holding the answers.

    .venv/bin/python bench/bench_stats.py [--respondents 10000] [--items 60] [--workspace]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

LABELS = ["전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"]
GOAL_RATIO = 1.0  # pooled must be no slower than the respondent rule on the same data
DOMAINS = 3
FACTORS_PER_DOMAIN = 4


def survey_spec(items: int, scoring: str, sid: str) -> dict:
    """3 영역 × 4 세부영역, items dealt evenly, every seventh item reversed."""
    per_factor = max(1, items // (DOMAINS * FACTORS_PER_DOMAIN))
    n = 0
    domains = []
    for d in range(DOMAINS):
        factors = []
        for f in range(FACTORS_PER_DOMAIN):
            its = []
            for _ in range(per_factor):
                n += 1
                its.append({"code": f"Q{n:02d}", "text": f"문항 {n}", **({"reverse": True} if n % 7 == 0 else {})})
            factors.append({"code": f"A{d + 1}-{f + 1}", "title": f"세부영역 {d + 1}-{f + 1}", "items": its})
        domains.append({"code": f"A{d + 1}", "title": f"영역 {d + 1}", "factors": factors})
    return {"kind": "survey", "id": sid, "title": "벤치마크 설문", "year": 2025, "scoring": scoring,
            "scale": {"points": 5, "labels": LABELS}, "groups": ["교원"], "domains": domains}


def make_rows(respondents: int, codes: list[str], seed: int = 7) -> list[dict]:
    """bench_import.py's answers: a respondent tendency plus noise, 1% left blank."""
    rng = random.Random(seed)
    rows = []
    for _ in range(respondents):
        base = rng.randint(2, 4)
        rows.append({c: min(5, max(1, base + 1 + rng.randint(-2, 1))) for c in codes if rng.random() >= 0.01})
    return rows


def pandas_pooled(spec: dict, rows: list[dict]) -> dict:
    """Raw pandas: long answers, reverse-scored, pooled per 영역 and 세부영역 by groupby."""
    import pandas as pd
    where = {i["code"]: (d["code"], f["code"], bool(i.get("reverse")))
             for d in spec["domains"] for f in d["factors"] for i in f["items"]}
    wide = pd.DataFrame.from_records(rows)
    long = wide.melt(var_name="item", value_name="value", ignore_index=False).dropna()
    long["domain"] = long["item"].map(lambda c: where[c][0])
    long["factor"] = long["item"].map(lambda c: where[c][1])
    rev = long["item"].map(lambda c: where[c][2])
    long.loc[rev, "value"] = 6 - long.loc[rev, "value"]
    out = {}
    for key in ("domain", "factor"):
        g = long.groupby(key)["value"]
        agg = g.agg(["count", "mean", "std"])
        agg["n"] = long.reset_index().groupby(key)["index"].nunique()
        out[key] = agg
    return out


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def through_workspace(specs: dict[str, dict], rows: list[dict], repeat: int) -> dict[str, float]:
    from schoolvault import services
    from schoolvault.workspace import responses
    from schoolvault.workspace.responses import ResponseRow
    tmp = Path(tempfile.mkdtemp(prefix="sv-bench-stats-"))
    ws = services.init_workspace(tmp / "sv.sqlite", name="벤치마크초등학교", level="초", district="동부", year=2025)
    out = {}
    with ws:
        for rule, spec in specs.items():
            (tmp / f"{rule}.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
            services.import_instrument(ws, tmp / f"{rule}.yaml")
            with ws.transaction():
                ref = services.freeze_for_use(ws, spec["id"])
                responses.add_administration(ws, year=2025, instrument_ref=ref, group="교원",
                                             rows=[ResponseRow(n + 2, r, {}) for n, r in enumerate(rows)],
                                             source_name=f"bench-{rule}", method="bench")
        for rule, spec in specs.items():
            out[rule] = best(lambda s=spec: services.stats(ws, s["id"]), repeat)
    return out


def main() -> int:
    from schoolvault.forms.loader import parse_instrument
    from schoolvault.forms.model import Level, SurveyLevels
    from schoolvault.stats import group_stats

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5, help="runs per side; the best is reported")
    ap.add_argument("--workspace", action="store_true", help="also time services.stats on a workspace")
    args = ap.parse_args()

    specs = {rule: survey_spec(args.items, rule, f"bench-{rule}") for rule in ("guidebook", "respondent")}
    surveys = {rule: parse_instrument(yaml.safe_dump(s, allow_unicode=True), f"{rule}.yaml") for rule, s in specs.items()}
    codes = [i.code for i in surveys["guidebook"].items()]
    rows = make_rows(args.respondents, codes)
    levels = SurveyLevels(5, 1, (Level("매우 우수", 4.0), Level("우수", 3.0), Level("보통", 2.0), Level("미흡", None)))

    # one check that the pooled figures are the pandas ones before timing anything
    got = group_stats(surveys["guidebook"], "교원", rows, levels)
    pd_out = pandas_pooled(specs["guidebook"], rows)
    for code, row in pd_out["domain"].iterrows():
        d = got["domains"][code]
        assert d["answers"] == row["count"] and d["n"] == row["n"]
        assert abs(d["mean"] - row["mean"]) < 1e-9 and abs(d["sd"] - row["std"]) < 1e-9

    t = {"pandas": 0.0, "guidebook": 0.0, "respondent": 0.0}
    for _ in range(args.repeat):  # alternate, so machine load hits every side alike
        t0 = time.perf_counter()
        pandas_pooled(specs["guidebook"], rows)
        t1 = time.perf_counter()
        group_stats(surveys["guidebook"], "교원", rows, levels)
        t2 = time.perf_counter()
        group_stats(surveys["respondent"], "교원", rows)
        t3 = time.perf_counter()
        for key, sec in (("pandas", t1 - t0), ("guidebook", t2 - t1), ("respondent", t3 - t2)):
            t[key] = sec if t[key] == 0.0 else min(t[key], sec)

    n_answers = sum(len(r) for r in rows)
    ratio = t["guidebook"] / t["respondent"]
    print(f"statistics of {args.respondents:,} respondents × {len(codes)} items ({n_answers:,} answers), "
          f"best of {args.repeat}")
    print(f"  baseline  pandas groupby (pooled 영역·세부영역 only):     {t['pandas']:.3f} s")
    print(f"  baseline  group_stats, respondent rule (before #12):  {t['respondent']:.3f} s")
    print(f"  SchoolVault group_stats, guidebook rule (pooled):     {t['guidebook']:.3f} s")
    print(f"  ratio pooled / respondent rule {ratio:.2f}× (goal ≤ {GOAL_RATIO}×), "
          f"pooled / pandas {t['guidebook'] / t['pandas']:.2f}× (items, α and 4단계 included)")
    ok = ratio <= GOAL_RATIO
    if args.workspace:
        w = through_workspace(specs, rows, max(1, args.repeat // 2))
        print(f"  services.stats through the workspace: respondent {w['respondent']:.3f} s, "
              f"guidebook {w['guidebook']:.3f} s ({w['guidebook'] / w['respondent']:.2f}×)")
    print("  OK" if ok else "  NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
