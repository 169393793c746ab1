"""Where the year stands and what to do next (다음에 할 일). Pure rules over `services.dashboard`.

The stage (계획 → 중간점검 → 자체평가 → 결과 분석 → 보고서 → 제출) is what the school says it has reached;
the next step also looks at the counts, so an unrated indicator or a missing survey is never skipped.
"""

from __future__ import annotations

from . import services
from .errors import SchoolVaultError
from .workspace import school as school_db
from .workspace.db import Workspace

STAGES = school_db.STAGES
STAGE_LABELS = school_db.STAGE_LABELS


def next_step(d: dict) -> dict:
    """{"stage", "title", "detail", "page", "can_advance", "ready"} for a `services.dashboard` result.

    `page` names where the work is done: plan, selfeval, midyear, surveys, results, reports, new_year.
    `ready` says the stage's work is done, so moving on is the main action.
    """
    stage = d["stage"]
    chosen, rated, mid = d["indicators_chosen"], d["indicators_rated"], d["midyear_checked"]
    respondents = sum(n for groups in d["responses"].values() for n in groups.values())

    def step(title: str, detail: str, page: str, can_advance: bool, ready: bool = False) -> dict:
        return {"stage": stage, "title": title, "detail": detail, "page": page, "can_advance": can_advance,
                "ready": ready}

    if chosen == 0:
        return step("올해 평가할 지표를 고르세요",
                    "평가 계획에서 공통지표를 확인하고 학교가 고른 자율지표를 더하세요.", "plan", False)
    if stage == "plan":
        return step("평가 계획을 확정하세요",
                    f"지표 {chosen}개를 골랐습니다. 빠진 자율지표가 없는지 확인한 뒤 "
                    "'다음 단계로'를 눌러 중간점검으로 넘어가세요.", "plan", True)
    if stage == "midyear":
        if mid < chosen:
            return step("중간 자율점검을 하세요",
                        f"지표 {chosen - mid}개의 진행 상황(계획대로/보완 필요/미착수)이 아직 없습니다.", "midyear", True)
        return step("중간점검을 마쳤습니다",
                    "'다음 단계로'를 눌러 학년 말 자체평가를 시작하세요.", "selfeval", True, True)
    if stage == "selfeval":
        if rated < chosen:
            return step("지표별 자체평가를 하세요",
                        f"지표 {chosen - rated}개의 등급과 근거가 남았습니다. 입력한 내용은 자동으로 저장됩니다.",
                        "selfeval", True)
        if respondents == 0:
            return step("설문 응답을 가져오세요",
                        "교육공동체 설문 응답 파일(구글 설문, 네이버 폼 등)을 가져오면 결과를 분석할 수 있습니다.",
                        "surveys", True)
        return step("자체평가를 마쳤습니다",
                    "'다음 단계로'를 눌러 설문 결과 분석으로 넘어가세요.", "results", True, True)
    if stage == "analysis":
        if respondents == 0:
            return step("설문 응답을 가져오세요", "분석할 설문 응답이 아직 없습니다.", "surveys", True)
        return step("설문 결과를 살펴보세요",
                    "강점과 약점 문항을 확인하고, 지표별 개선 계획(환류)에 반영하세요.", "results", True)
    if stage == "report":
        return step("결과 보고서를 만드세요",
                    "학교평가 결과 보고서(PDF)와 컨설팅용 엑셀 파일을 만들어 확인하세요.", "reports", True)
    return step("올해 평가를 마쳤습니다",
                "다음 학년도를 시작하면 올해 지표와 개선 계획이 새 계획의 출발점이 됩니다.", "new_year", False)


def set_stage(ws: Workspace, stage: str) -> str:
    """Record the stage the school has reached (단계)."""
    if stage not in STAGES:
        raise SchoolVaultError(f"단계 '{stage}'을(를) 알 수 없습니다.",
                               hint="다음 중 하나: " + ", ".join(STAGE_LABELS[s] for s in STAGES))
    _, year = services.require_school(ws)
    with ws.transaction():
        school_db.set_stage(ws, year, stage)
        ws.audit("stage", year=year, stage=stage)
    return stage


def advance(ws: Workspace) -> str:
    """Move the current year to the next stage; the last stage stays."""
    _, year = services.require_school(ws)
    cur = school_db.stage(ws, year)
    i = STAGES.index(cur) if cur in STAGES else 0
    return set_stage(ws, STAGES[min(i + 1, len(STAGES) - 1)])


def overview(ws: Workspace) -> dict:
    """The dashboard plus its next step, in one read."""
    d = services.dashboard(ws)
    d["next"] = next_step(d)
    d["stage_labels"] = [(s, STAGE_LABELS[s]) for s in STAGES]
    titles = {i["id"]: i["title"] for i in services.list_instruments(ws) if i["kind"] == "survey"}
    d["survey_titles"] = titles
    return d


def switch_year(ws: Workspace, year: int) -> int:
    """Make an existing evaluation year the one the app works on (e.g. to look back at last year)."""
    if year not in school_db.years(ws):
        raise SchoolVaultError(f"{year}학년도가 이 작업 파일에 없습니다.", hint="새 학년도 시작으로 만드세요.")
    with ws.transaction():
        school_db.set_current_year(ws, year)
        ws.audit("switch_year", year=year)
    return year


def reach_stage(ws: Workspace, stage: str) -> bool:
    """Move the year forward to `stage` if it is not there yet (making the report means the year
    has reached 보고서); never moves back. Returns True when the stage changed."""
    _, year = services.require_school(ws)
    cur = school_db.stage(ws, year)
    if STAGES.index(cur) >= STAGES.index(stage):
        return False
    set_stage(ws, stage)
    return True
