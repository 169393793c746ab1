"""Demo district data: N realistic schools' submission workbooks (demo-district).

Each school's respondents are simulated with a latent model (school climate + level and district
shifts + factor climate + respondent tendency + noise), scored by the same `stats.group_stats` a
school's export uses, and written as the two submission sheets. `generate_school` keeps the raw
answers so tests can recompute every district figure independently from the schools' own data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, catalog, submission
from ..errors import SchoolVaultError
from ..forms.groups import DISTRICTS, LEVELS
from ..forms.model import Guidebook, Survey
from ..forms.scoring import SUPPRESSED, suppressed
from ..progress import NULL_PROGRESS
from ..stats import group_stats
from .writer import write_submission

# Seoul 2025, roughly: 605 초, 388 중, 320 고, 33 특수 of 1,346 schools
LEVEL_WEIGHTS = {"초": 605, "중": 388, "고": 320, "특수": 33}
LEVEL_NAMES = {"초": "초등학교", "중": "중학교", "고": "고등학교", "특수": "학교"}
LEVEL_SHIFT = {"초": 0.15, "중": -0.05, "고": -0.15, "특수": 0.1}
# 고등학교 report to 본청; the others to the 11 교육지원청
SUPPORT_OFFICES = tuple(d for d in DISTRICTS if d != "본청")
GROUP_SIZES = {"초": {"교원": 42, "직원": 14, "학생": 160, "학부모": 150},
               "중": {"교원": 48, "직원": 15, "학생": 220, "학부모": 130},
               "고": {"교원": 62, "직원": 18, "학생": 260, "학부모": 120},
               "특수": {"교원": 38, "직원": 22, "학생": 30, "학부모": 45}}
SMALL_GROUP_RATE = 0.04   # share of schools whose 직원 survey got fewer than 5 answers (suppressed)
BLANK_RATE = 0.02
YEAR = 2025

_FIRST = "가나다라마바사아자차카타파하한새푸은금동서남북청솔해달별빛누리온누봄샘"
_SECOND = "온빛솔샘들뫼내울림터길숲마루나래가람보라아라이슬하늘바다미르"


@dataclass
class DemoSchool:
    """One generated school: its metadata, raw answers per (survey, group) and indicator ratings."""

    meta: dict
    answers: dict = field(default_factory=dict)    # (survey id, group) -> [ {item: raw 1..k} ]
    ratings: dict = field(default_factory=dict)    # indicator code -> rating


def instruments() -> tuple[list[Survey], Guidebook]:
    """The shipped surveys the demo schools answer and the guidebook of the demo year (the latest one when none
    is of that year). As in a school's demo, every survey but a 교육공동체 (guidebook-scored) one of another year:
    a school answers its own year's survey, and two years' surveys share their codes."""
    shipped = catalog.shipped()
    surveys = [a.instrument for a in shipped if isinstance(a.instrument, Survey)
               and (a.instrument.scoring != "guidebook" or a.instrument.year == YEAR)]
    books = [a.instrument for a in shipped if isinstance(a.instrument, Guidebook)]
    if not surveys or not books:
        raise SchoolVaultError("예시 설문·지표 파일이 없습니다.", hint="resources/instruments를 확인하세요.")
    return surveys, next((b for b in books if b.year == YEAR), books[-1])


def _name(rng: random.Random, level: str, used: set[str]) -> str:
    for _ in range(50):
        name = f"서울{rng.choice(_FIRST)}{rng.choice(_SECOND)}{LEVEL_NAMES[level]}"
        if level == "특수":
            name = name.replace("학교", rng.choice(["학교", "밝은학교", "새롬학교"]))
        if name not in used:
            used.add(name)
            return name
    n = len(used)
    name = f"서울제{n}{LEVEL_NAMES[level]}"
    used.add(name)
    return name


def plan(n: int, seed: int) -> list[dict]:
    """Metadata of n schools: level by Seoul's mix, district, name, code, school-level climate."""
    rng = random.Random(seed)
    levels = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()), k=n)
    district_shift = {d: rng.gauss(0, 0.08) for d in DISTRICTS}
    used: set[str] = set()
    out = []
    for i, level in enumerate(levels):
        district = "본청" if level == "고" else SUPPORT_OFFICES[rng.randrange(len(SUPPORT_OFFICES))]
        out.append({"index": i, "school_name": _name(rng, level, used), "school_code": f"B1{i + 1:08d}",
                    "level": level, "district": district, "year": YEAR,
                    "climate": LEVEL_SHIFT[level] + district_shift[district] + rng.gauss(0, 0.22),
                    "seed": rng.randrange(2 ** 31), "plan_seed": seed})
    return out


FACTOR_SPREAD = 0.25  # SD of the district-wide shift of a factor (some factors are weaker everywhere)


def _factor_shifts(survey: Survey, seed: int) -> dict[str, float]:
    """District-wide factor effects: the same for every school of a plan, so the district's strongest
    and weakest factors are real patterns, not noise."""
    key = (seed, survey.id)
    if key not in _SHIFTS:
        rng = random.Random(f"{seed}:{survey.id}")
        _SHIFTS[key] = {f.code: rng.gauss(0, FACTOR_SPREAD) for f in survey.factors()}
    return _SHIFTS[key]


_SHIFTS: dict = {}


def _answers(survey: Survey, group: str, n: int, climate: float, rng: random.Random,
             shifts: dict[str, float] | None = None) -> list[dict]:
    k = survey.scale.points
    shifts = shifts or {}
    factor_climate = {f.code: shifts.get(f.code, 0.0) + rng.gauss(0, 0.3) for f in survey.factors()}
    shift = climate + rng.gauss(0, 0.2)
    items = [(factor_climate[f.code], i.code, i.reverse) for f in survey.factors() for i in f.items
             if i.applies_to(group)]
    center = (k + 1) / 2 + 0.75 * (k - 1) / 4 + shift
    gauss, rand = rng.gauss, rng.random
    rows = []
    for _ in range(n):
        base = center + gauss(0, 0.65)
        answers = {}
        for fc, code, reverse in items:
            if rand() < BLANK_RATE:
                continue
            v = round(base + fc + gauss(0, 0.6))
            v = k if v > k else max(v, 1)
            answers[code] = k + 1 - v if reverse else v
        rows.append(answers)
    return rows


def generate_school(spec: dict, surveys: list[Survey], guidebook: Guidebook) -> DemoSchool:
    """Raw answers and ratings of one planned school (deterministic in spec['seed'])."""
    rng = random.Random(spec["seed"])
    level, climate = spec["level"], spec["climate"]
    school = DemoSchool(meta={k: spec[k] for k in ("school_name", "school_code", "level", "district", "year")})
    sizes = GROUP_SIZES[level]
    small = rng.random() < SMALL_GROUP_RATE
    for sv in surveys:
        for g in sv.groups:
            n = max(6, int(sizes.get(g, 30) * rng.uniform(0.6, 1.15)))
            if g == "직원" and small:
                n = rng.randint(2, 4)
            school.answers[(sv.id, g)] = _answers(sv, g, n, climate, rng, _factor_shifts(sv, spec.get("plan_seed", 0)))
    common = [i for i in guidebook.indicators() if i.type == "common" and i.applies_to_level(level)]
    autonomous = [i for i in guidebook.indicators() if i.type == "autonomous" and i.applies_to_level(level)]
    points = guidebook.rating.points
    ind_rng = random.Random(f"{spec.get('plan_seed', 0)}:{guidebook.id}")
    ind_shift = {i.code: ind_rng.gauss(0, FACTOR_SPREAD) for i in guidebook.indicators()}
    for ind in common + rng.sample(autonomous, min(4, len(autonomous))):
        x = 2.9 + climate * 2.2 + ind_shift[ind.code] + rng.gauss(0, 0.6)
        school.ratings[ind.code] = min(points, max(1, round(x)))
    return school


def submission_rows(school: DemoSchool, surveys: list[Survey], guidebook: Guidebook) -> list[tuple]:
    """The 제출자료 rows (COLUMNS order) a school's export holds for these answers and ratings: as
    reports/workbook.py orders them (each survey's 영역 results after its statistics)."""
    rows: list[tuple] = []
    levels: list[tuple] = []
    for sv in surveys:
        for g in sv.groups:
            answers = school.answers.get((sv.id, g))
            if answers is None:
                continue
            n = len(answers)
            if suppressed(n):
                rows.append(("respondents", sv.id, g, "", "", SUPPRESSED, None, None, None, None, None, None))
                levels.extend(submission.level_rows(sv, g, n, None, guidebook.areas))
                continue
            rows.append(("respondents", sv.id, g, "", "", n, None, None, None, None, None, None))
            st = group_stats(sv, g, answers, guidebook.survey_levels)
            for item in sv.items_for(g):
                s = st["items"][item.code]
                rows.append(("item", sv.id, g, item.code, item.text, s["n"], s["mean"], s["sd"], s["score100"],
                             s["positive_rate"], None, None))
            for f in sv.factors():
                s = st["factors"].get(f.code)
                if s is not None:
                    rows.append(("factor", sv.id, g, f.code, f.title, s["n"], s["mean"], s["sd"], s["score100"],
                                 None, s["alpha"], None))
            for d in sv.domains:
                s = st["domains"].get(d.code)
                if s is not None:
                    rows.append(("domain", sv.id, g, d.code, d.title, s["n"], s["mean"], s["sd"], s["score100"],
                                 None, None, None))
            levels.extend(submission.level_rows(sv, g, n, st, guidebook.areas))
        rows.extend(levels)
        levels = []
    for code, rating in school.ratings.items():
        rows.append(("rating", guidebook.id, "", code, guidebook.indicator(code).title, None, None, None, None,
                     None, None, rating))
    return rows


def school_meta(school: DemoSchool, guidebook: Guidebook, exported_at: str) -> dict:
    return {**school.meta, "app_version": __version__, "exported_at": exported_at,
            "rating_points": guidebook.rating.points}


def file_name(spec: dict) -> str:
    return f"{spec['index'] + 1:05d}_{spec['level']}_{spec['district']}_{spec['school_name']}.xlsx"


def _write_one(spec: dict, out: str, exported_at: str) -> str:
    surveys, gb = instruments()
    school = generate_school(spec, surveys, gb)
    path = Path(out) / file_name(spec)
    write_submission(path, submission_rows(school, surveys, gb), school_meta(school, gb, exported_at))
    return str(path)


def _write_chunk(args: tuple) -> list[str]:
    specs, out, exported_at = args
    return [_write_one(s, out, exported_at) for s in specs]


def write_demo_district(n: int, out: str | Path, *, seed: int = 1, workers: int = 1,
                        progress=NULL_PROGRESS) -> dict:
    """Write n schools' submission workbooks into `out`; returns counts by level and district.

    `workers` > 1 writes in that many processes (schools are independent and deterministic in the seed).
    """
    if n < 1:
        raise SchoolVaultError("학교 수는 1 이상이어야 합니다.", hint="--schools 100처럼 쓰세요.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    specs = plan(n, seed)
    exported_at = f"{YEAR}-12-20T10:00:00+09:00"
    chunk = 25
    parts = [(specs[i:i + chunk], str(out), exported_at) for i in range(0, n, chunk)]
    files: list[str] = []
    progress.report(0, n, "학교 워크북 만드는 중")
    if workers > 1 and len(parts) > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for done in pool.map(_write_chunk, parts):
                files.extend(done)
                progress.report(len(files), n, "학교 워크북 만드는 중")
    else:
        for part in parts:
            files.extend(_write_chunk(part))
            progress.report(len(files), n, "학교 워크북 만드는 중")
    by_level: dict[str, int] = {}
    by_district: dict[str, int] = {}
    for s in specs:
        by_level[s["level"]] = by_level.get(s["level"], 0) + 1
        by_district[s["district"]] = by_district.get(s["district"], 0) + 1
    return {"out": str(out), "schools": n, "seed": seed,
            "by_level": {lv: by_level[lv] for lv in LEVELS if lv in by_level},
            "by_district": {d: by_district[d] for d in DISTRICTS if d in by_district}}
