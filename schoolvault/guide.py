"""Where the year stands and what to do next (다음에 할 일). Pure rules over `reads.dashboard`.

The stage (계획 → 중간점검 → 자체평가 → 결과 분석 → 보고서 → 제출) is what the school says it has reached;
the next step also looks at the counts, so an unrated indicator or a missing survey is never skipped.
"""

from __future__ import annotations

from . import catalog, reads
from .errors import SchoolVaultError
from .workspace import school as school_db
from .workspace import selfeval
from .workspace.db import Workspace

STAGES = school_db.STAGES
STAGE_LABELS = school_db.STAGE_LABELS
# the one explicit finish of each stage: the button that says it moves the year to the next stage
FINISH_LABELS = {"plan": "계획을 마쳤습니다", "midyear": "중간점검을 마쳤습니다", "selfeval": "자체평가를 마쳤습니다",
                 "analysis": "결과 분석을 마쳤습니다", "report": "보고서를 마쳤습니다"}
NEXT_LABELS = {"midyear": "중간점검으로", "selfeval": "자체평가로", "analysis": "결과 분석으로", "report": "보고서로",
               "submitted": "제출로"}


def next_step(d: dict) -> dict:
    """{"stage", "title", "detail", "page", "can_advance", "ready"} for a `reads.dashboard` result.

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
        common, own = d.get("indicators_common", chosen), d.get("indicators_own", 0)
        picked = (f"공통지표 {common}개가 미리 골라져 있습니다. 학교가 평가할 자율지표를 더하고"
                  if own == 0 else f"지표 {chosen}개를 골랐습니다 (공통지표 {common}개, 자율지표 {own}개). 빠진 지표가 없으면")
        return step("평가 계획을 확정하세요",
                    f"{picked} '{FINISH_LABELS['plan']}'를 눌러 중간점검으로 넘어가세요.", "plan", True)
    if stage == "midyear":
        if mid < chosen:
            return step("중간 자율점검을 하세요",
                        f"지표 {chosen - mid}개의 진행 상황(계획대로/보완 필요/미착수)이 아직 없습니다.", "midyear", True)
        return step("중간점검을 마쳤습니다",
                    f"'{FINISH_LABELS['midyear']}'를 눌러 학년 말 자체평가를 시작하세요.", "selfeval", True, True)
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
                    f"'{FINISH_LABELS['selfeval']}'를 눌러 설문 결과 분석으로 넘어가세요.", "results", True, True)
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
    _, year = reads.require_school(ws)
    with ws.transaction():
        school_db.set_stage(ws, year, stage)
        ws.audit("stage", year=year, stage=stage)
    return stage


def finish_label(stage: str) -> str | None:
    """'계획을 마쳤습니다 → 중간점검으로': the text of a stage's one finish button (None for the last stage)."""
    if stage not in FINISH_LABELS:
        return None
    return f"{FINISH_LABELS[stage]} → {NEXT_LABELS[STAGES[STAGES.index(stage) + 1]]}"


def finish_stage(ws: Workspace, stage: str) -> str:
    """The explicit finish of `stage`: the year moves to the next stage if it is at `stage` or before;
    a year already past it stays where it is (a second click never skips a stage). Returns the stage."""
    if stage not in FINISH_LABELS:
        raise SchoolVaultError(f"'{STAGE_LABELS.get(stage, stage)}' 단계는 마칠 수 없습니다.",
                               hint="제출은 보고서 화면의 '제출을 마쳤습니다'로 합니다.")
    _, year = reads.require_school(ws)
    target = STAGES[STAGES.index(stage) + 1]
    cur = school_db.stage(ws, year)
    if STAGES.index(cur) >= STAGES.index(target):
        return cur
    return set_stage(ws, target)


def unfinished(ws: Workspace) -> dict | None:
    """The current year when it has not reached 제출: {"year", "stage", "stage_label"}; None when finished.
    Starting a new year from an unfinished one is allowed but warned about."""
    _, year = reads.require_school(ws)
    cur = school_db.stage(ws, year)
    if cur == STAGES[-1]:
        return None
    return {"year": year, "stage": cur, "stage_label": STAGE_LABELS[cur]}


def advance(ws: Workspace) -> str:
    """Move the current year to the next stage; the last stage stays."""
    _, year = reads.require_school(ws)
    cur = school_db.stage(ws, year)
    i = STAGES.index(cur) if cur in STAGES else 0
    return set_stage(ws, STAGES[min(i + 1, len(STAGES) - 1)])


def overview(ws: Workspace) -> dict:
    """The dashboard plus its next step, in one read."""
    d = reads.dashboard(ws)
    gb = reads.year_guidebook(ws, d["year"])
    common = {i.code for i in gb.indicators() if i.type == "common"}
    chosen = [e.indicator for e in selfeval.entries(ws, d["year"])]
    d["indicators_common"] = sum(1 for c in chosen if c in common)
    d["indicators_own"] = len(chosen) - d["indicators_common"]
    d["next"] = next_step(d)
    d["finish"] = finish_label(d["stage"])
    d["stage_labels"] = [(s, STAGE_LABELS[s]) for s in STAGES]
    titles = {a.instrument.id: a.instrument.title for a in catalog.available(ws) if a.instrument.kind == "survey"}
    d["survey_titles"] = titles
    d["flow"] = year_flow(reads.year_guidebook(ws, d["year"]))
    return d


def year_flow(gb) -> list[tuple[str, str]]:
    """The dashboard's '한 해의 흐름': (stage name, what happens) in order, step 1 as the year's guidebook
    has it (a composed year: the school composes its 평가지표 under each 세부영역)."""
    plan = (f"{gb.year}학년도부터 평가지표는 학교가 세부영역마다 구성합니다. 세부영역마다 지표를 더하고 관련 설문 문항을 연결합니다."
            if gb.composed else "평가할 지표를 고릅니다. 공통지표는 미리 골라져 있고, 자율지표는 학교가 고르거나 만듭니다.")
    return [("계획", plan),
            ("중간점검", "학기 중에 지표마다 계획대로 되고 있는지 점검합니다."),
            ("자체평가", "학년 말에 지표마다 등급을 고르고 근거, 성과, 미흡한 점, 개선 계획을 씁니다."),
            ("결과 분석", "교원·직원·학생·학부모 설문 응답을 가져와 강점과 약점을 살핍니다."),
            ("보고서", "학교평가서(제출용·교내 보관용), 결과 보고서와 제출용 엑셀 파일을 만듭니다."),
            ("제출", "교육지원청에 제출하고, 새 학년도를 시작합니다.")]


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
    _, year = reads.require_school(ws)
    cur = school_db.stage(ws, year)
    if STAGES.index(cur) >= STAGES.index(stage):
        return False
    set_stage(ws, stage)
    return True
