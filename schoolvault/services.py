"""The verbs the CLI commands and the GUI pages call. No Qt, no printing.

A façade: the year's lookups (reads.py), year setup (years.py), the plan and self-evaluation (self_eval.py)
and the survey statistics (survey_stats.py) live below it and are re-exported here; the verbs only the CLI
and the GUI use live here. Nothing else in the package imports this module."""

from __future__ import annotations

from pathlib import Path

from . import catalog
from .errors import SchoolVaultError
from .forms.groups import DISTRICTS, LEVELS, canonical_district, canonical_group, canonical_level, group_order
from .forms.loader import load_instrument, read_text
from .forms.model import Instrument
from .forms.periods import DEFAULT_PERIOD, require_period
from .forms.scoring import MAX_ASKED, response_rate
from .importing import form_questions, itembank_files
from .importing.history import delete_import, list_imports
from .reads import (
    close_titles,
    dashboard,
    find_indicator,
    freeze_for_use,
    require_school,
    survey,
    survey_levels,
    year_guidebook,
    year_survey,
    year_surveys,
)
from .self_eval import (
    add_custom_indicator,
    choose_indicators,
    self_eval_features,
    self_eval_list,
    self_eval_set,
    self_eval_set_feature,
)
from .survey_stats import compare_periods, group_result, period_survey, stats, stats_by, survey_groups
from .workspace import asked as asked_db
from .workspace import frozen
from .workspace import school as school_db
from .workspace.db import Workspace, open_workspace
from .years import guidebook_for_year, needs_placement, new_year, start_year

__all__ = [  # re-exported: the CLI and the GUI reach every verb through this module
    "MAX_ASKED", "add_custom_indicator", "check", "choose_indicators", "close_titles",
    "compare_periods", "dashboard", "delete_import", "find_indicator", "form_questions_text", "freeze_for_use",
    "group_result", "guidebook_for_year", "import_instrument", "init_workspace", "list_imports",
    "list_instruments", "needs_placement", "new_year", "require_school", "response_rates", "self_eval_features",
    "self_eval_list", "self_eval_set", "self_eval_set_feature", "set_asked", "show_instrument", "start_year",
    "stats", "stats_by", "survey", "survey_levels", "write_form_questions", "year_guidebook", "year_survey",
    "year_surveys",
]

# ---------------------------------------------------------------- workspace and school

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the school years a workspace can hold

def init_workspace(path: str | Path, *, name: str, level: str, district: str, year: int,
                   code: str | None = None) -> Workspace:
    """Create (or update) the workspace's school and open the year with its guidebook and plan."""
    lv = canonical_level(level)
    if lv is None:
        raise SchoolVaultError(f"학교급 '{level}'을(를) 알 수 없습니다.",
                               hint=f"{', '.join(LEVELS)} 중 하나를 쓰세요 (중학교면 중, 고등학교면 고).")
    dist = canonical_district(district)
    if dist is None:
        raise SchoolVaultError(f"교육지원청 '{district}'을(를) 알 수 없습니다.",
                               hint=f"다음 중 하나를 쓰세요: {', '.join(DISTRICTS)} (학교가 있는 구 이름도 됩니다. 예: 마포구)")
    if not name.strip():
        raise SchoolVaultError("학교 이름이 비어 있습니다.", hint="--school에 학교 이름을 적으세요.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SchoolVaultError(f"{year}학년도는 쓸 수 있는 범위({FIRST_YEAR}~{LAST_YEAR}학년도) 밖입니다.",
                               hint="2025처럼 올해 학년도를 네 자리로 쓰세요.")
    ws = open_workspace(path, create=True)
    try:
        with ws.transaction():
            school_db.save_school(ws, school_db.School(name.strip(), code, lv, dist))
            start_year(ws, year)
            ws.audit("init", school=name.strip(), level=lv, district=dist, year=year)
    except BaseException:
        ws.close()
        raise
    return ws


# ---------------------------------------------------------------- instruments

def list_instruments(ws: Workspace | None) -> list[dict]:
    return [a.summary() for a in catalog.available(ws)]


def show_instrument(ws: Workspace | None, instrument_id: str) -> dict:
    return catalog.resolve(ws, instrument_id).instrument.to_dict()


def import_instrument(ws: Workspace, path: str | Path, *more: str | Path) -> dict:
    """Validate an instrument file and store it in the workspace (frozen copy + hash).

    The office's item bank as it comes (workbook, per-평가주체 JSON exports, the pool without 평가주체)
    is converted to a `kind: itembank` text first; several such files given together make one bank."""
    path = Path(path)
    read = itembank_files.read_bank_files([path, *more]) if more or itembank_files.is_bank_file(path) else None
    inst: Instrument
    if read is not None:
        inst, text, filename = read.bank, read.text, read.filename
    else:
        inst, text, filename = load_instrument(path), read_text(path), path.name
    with ws.transaction():
        ref = frozen.freeze(ws, inst, text, "imported", filename)
        frozen.set_current(ws, inst.id, ref)
        ws.audit("instrument_import", id=inst.id, kind=inst.kind, file=filename)
    out = {"id": inst.id, "kind": inst.kind, "title": inst.title, "year": inst.year, "ref": ref}
    if read is not None:
        out.update(read.summary())
    return out


# ---------------------------------------------------------------- response rate (응답률)

def _asked_target(ws: Workspace, instrument_id: str, year: int, group: str) -> tuple[str, str]:
    """(instrument id as stored, canonical group) for a count of people asked; Korean error otherwise."""
    _, inst, _ = period_survey(ws, instrument_id, year, DEFAULT_PERIOD, None)
    g = canonical_group(group)
    known = list(inst.groups) + [x for x in survey_groups(ws, inst.id, year) if x not in inst.groups]
    if g not in known:
        raise SchoolVaultError(f"응답 집단 '{group}'은(는) 이 설문에 없습니다.",
                               hint=f"다음 중 하나: {', '.join(known)}")
    return inst.id, g


def set_asked(ws: Workspace, instrument_id: str, group: str, count: int | None, year: int | None = None) -> dict:
    """Store how many people of a group were asked (설문 대상자 수) for the response rate; None or 0 forgets
    the count (the rate is then unknown). Returns the group's `response_rates` row."""
    if year is None:
        _, year = require_school(ws)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise SchoolVaultError(f"대상자 수 '{count}'은(는) 숫자가 아닙니다.", hint="사람 수를 정수로 쓰세요. 예: 40")
    if count is not None and count < 0:
        raise SchoolVaultError(f"대상자 수는 0보다 작을 수 없습니다 ({count}).",
                               hint="설문을 요청한 사람 수를 쓰세요. 모르면 0을 쓰면 지워집니다.")
    if count is not None and count > MAX_ASKED:
        raise SchoolVaultError(f"대상자 수 {count:,}명은 너무 많습니다.",
                               hint=f"한 집단의 대상자는 {MAX_ASKED:,}명 이하로 쓰세요. 자릿수를 확인하세요.")
    inst_id, g = _asked_target(ws, instrument_id, year, group)
    value = count or None
    with ws.transaction():
        asked_db.set_count(ws, year, inst_id, g, value)
        ws.audit("asked", instrument=inst_id, year=year, group=g, count=value)
    return next(r for r in response_rates(ws, inst_id, year)["groups"] if r["group"] == g)


def response_rates(ws: Workspace, instrument_id: str, year: int | None = None,
                   period: str = DEFAULT_PERIOD) -> dict:
    """Per group: respondents (as `stats` counts them, of the period), people asked (None when not entered)
    and the rate in percent (None when asked is unknown); a rate over 100% is kept and flagged in `warning`."""
    if year is None:
        _, year = require_school(ws)
    period = require_period(period)
    st = stats(ws, instrument_id, year=year, period=period)
    _, inst, _ = period_survey(ws, instrument_id, year, period, None)
    known = asked_db.counts(ws, year, inst.id)
    groups = sorted(set(inst.groups) | set(st["groups"]) | set(known), key=group_order)
    rows = []
    for g in groups:
        n = st["groups"][g]["n"] if g in st["groups"] else 0
        asked = known.get(g)
        rate, warning = response_rate(n, asked)
        rows.append({"group": g, "respondents": n, "asked": asked, "rate": rate, "warning": warning})
    return {"instrument": inst.id, "year": year, "period": period, "groups": rows}


def check(ws: Workspace) -> list[str]:
    """Integrity problems of the workspace plus the app's own invariants (empty when healthy)."""
    from .workspace import invariants
    return ws.integrity_problems() + invariants.safe_problems(ws)


# ---------------------------------------------------------------- questions for online forms

def form_questions_text(ws: Workspace, instrument_id: str, group: str) -> str:
    """The group's questions as text to paste into Google Forms / Naver Form (importing/form_questions.py)."""
    s, _ = require_school(ws)
    return form_questions.form_text(survey(ws, instrument_id), group, s.level)


def write_form_questions(ws: Workspace, instrument_id: str, group: str, out: str | Path) -> dict:
    """Write the group's question list (.txt to paste, .xlsx table) for building the online form."""
    s, _ = require_school(ws)
    return form_questions.write_form_questions(survey(ws, instrument_id), group, s.level, out)
