"""Realistic demo data for a school's year: plan, ratings with texts, answers of every group.

Answers come from a simple latent model (respondent tendency + factor climate + noise) so that
factors have plausible means, spread and reliability; about 2% of answers are left blank.
"""

from __future__ import annotations

import random

from . import catalog, services
from .forms.model import Survey
from .workspace import responses, selfeval
from .workspace import school as school_db
from .workspace.responses import ResponseRow

GROUP_SIZES = {"초": {"교원": 42, "직원": 14, "학생": 160, "학부모": 150},
               "중": {"교원": 48, "직원": 15, "학생": 220, "학부모": 130},
               "고": {"교원": 62, "직원": 18, "학생": 260, "학부모": 120},
               "특수": {"교원": 38, "직원": 22, "학생": 30, "학부모": 45}}
BLANK_RATE = 0.02

_ACHIEVE = ["{t}을(를) 위해 연간 계획을 세우고 학기별로 운영 결과를 점검하였다.",
            "{t} 관련 협의회를 정례화하여 교직원의 의견을 모아 실행하였다.",
            "학생·학부모 설문 결과를 반영하여 {t} 프로그램을 보완하였다."]
_SHORT = ["{t} 활동이 일부 학년에 치우쳐 전 학년으로 확산되지 못하였다.",
          "{t}의 성과를 확인할 수 있는 자료 축적이 부족하였다.",
          "학부모 참여가 기대보다 낮아 {t}에 대한 공유가 충분하지 않았다."]
_IMPROVE = ["내년에는 {t}의 실행 점검 시기를 학기 중으로 당기고, 담당 부서 간 협업 체계를 마련한다.",
            "{t} 성과 지표를 미리 정하고 분기별로 결과를 공유한다.",
            "{t}에 학생·학부모 의견을 반영하는 절차를 정례화한다."]
_EVIDENCE = ["학교교육계획서, 협의회 회의록, 운영 결과 보고서",
             "교육공동체 설문 결과, 학기말 운영 평가서",
             "운영 계획서, 활동 사진 자료, 만족도 조사 결과"]
_COMMENTS = ["학생들의 의견을 더 자주 들어 주셨으면 좋겠습니다.", "선생님들께서 늘 친절하게 대해 주셔서 감사합니다.",
             "체험학습이 더 다양해지면 좋겠습니다.", "학교 시설이 깨끗하고 안전해서 좋습니다.",
             "업무가 한 사람에게 몰리지 않도록 분장이 조정되면 좋겠습니다.",
             "학부모 상담 시간을 저녁에도 운영해 주시면 좋겠습니다.", "급식이 맛있고 다양해졌습니다.",
             "회의 시간이 짧아지고 결정이 빨라져서 좋았습니다.", "도서관 이용 시간을 늘려 주세요.",
             "없음", "없습니다", ".", "특별히 없어요"]


def _answers(survey: Survey, group: str, n: int, rng: random.Random) -> list[ResponseRow]:
    k = survey.scale.points
    climate = {f.code: rng.gauss(0, 0.35) for f in survey.factors()}
    group_shift = rng.gauss(0, 0.25)
    items = [(f, i) for f in survey.factors() for i in f.items if i.applies_to(group)]
    open_qs = [q for q in survey.open_questions if q.applies_to(group)]
    rows = []
    # Korean school surveys lean positive: group means of about 3.9–4.2 on five points are typical.
    center = (k + 1) / 2 + 1.1 * (k - 1) / 4
    for r in range(n):
        theta = rng.gauss(0, 0.65)
        answers = {}
        for f, i in items:
            if rng.random() < BLANK_RATE:
                continue
            x = center + group_shift + climate[f.code] + theta + rng.gauss(0, 0.6)
            v = min(k, max(1, round(x)))
            answers[i.code] = k + 1 - v if i.reverse else v
        comments = {q.code: rng.choice(_COMMENTS) for q in open_qs if rng.random() < 0.3}
        rows.append(ResponseRow(row_no=r + 2, answers=answers, comments=comments))
    return rows


def fill_demo(ws, seed: int = 1, progress=None) -> dict:
    """Fill the current year with a plan, ratings, texts and answers. Replaces earlier demo answers."""
    rng = random.Random(seed)
    s, year = services.require_school(ws)
    gb = services.year_guidebook(ws, year)
    surveys = [a for a in catalog.available(ws) if isinstance(a.instrument, Survey)]
    total = 0
    with ws.transaction():
        autonomous = [i for i in gb.indicators() if i.type == "autonomous" and i.applies_to_level(s.level)]
        for ind in rng.sample(autonomous, min(4, len(autonomous))):
            selfeval.set_chosen(ws, year, ind.code, True)
        chosen = [e.indicator for e in selfeval.entries(ws, year)]
        for n, code in enumerate(chosen):
            t = gb.indicator(code).title
            selfeval.update(
                ws, year, code, rating=rng.choices([2, 3, 4], weights=[2, 5, 3])[0],
                evidence=rng.choice(_EVIDENCE), achievements=rng.choice(_ACHIEVE).format(t=t),
                shortcomings=rng.choice(_SHORT).format(t=t), improvements=rng.choice(_IMPROVE).format(t=t),
                midyear_status=rng.choice(["on_track", "on_track", "attention"]),
                midyear_note="1학기 운영 결과를 점검하였고 2학기 계획에 반영한다." if n % 2 else "")
        for adm in responses.administrations(ws, year):
            if adm.method == "demo":
                responses.delete_administration(ws, adm.id)
        sizes = GROUP_SIZES[s.level]
        for av in surveys:
            sv: Survey = av.instrument
            ref = services.freeze_for_use(ws, sv.id)
            for g in sv.groups:
                n = max(3, int(sizes.get(g, 30) * rng.uniform(0.85, 1.1)))
                rows = _answers(sv, g, n, rng)
                responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=rows,
                                             source_name=f"예시 데이터 ({g})", method="demo")
                total += n
        school_db.set_stage(ws, year, "selfeval")
        ws.audit("demo", seed=seed, respondents=total)
    return {"indicators": len(chosen), "respondents": total, "surveys": [a.instrument.id for a in surveys]}
