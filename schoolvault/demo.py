"""Realistic demo data for a school's year: plan, ratings with texts, answers of every group.

Answers come from a simple latent model (respondent tendency + factor climate + noise) so that
factors have plausible means, spread and reliability; about 2% of answers are left blank.

In a composed year (2026 on: `composed: true` in the year's guidebook) the demo composes the school's
평가지표 under every 세부영역 (through `composing.compose_indicator`, as the plan page does), rates most of
them, writes the mid-year check, 지원 요청 and 특색사례, and answers the year's 교육공동체 survey in both
periods (중간: fewer respondents, slightly lower; 학년말: everyone) with a 학년 for students and parents
and comments of which a few carry personal data for the masking to catch.
"""

from __future__ import annotations

import random

from . import catalog, reads, self_eval
from .forms.breakdown import GRADE
from .forms.model import Survey
from .forms.periods import MIDYEAR, PERIODS, YEAR_END
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


def _answers(survey: Survey, group: str, n: int, rng: random.Random, *, climate: dict | None = None,
             group_shift: float | None = None, shift: float = 0.0, comment=None, people: list | None = None,
             comment_rate: float = 0.3) -> list[ResponseRow]:
    """`n` respondents of `group`. `climate` (factor code → shift) and `group_shift` are drawn here unless
    given (a composed year shares them between its two periods); `shift` moves every answer (중간 is a
    little lower); `people` are the respondents as (tendency, attributes, shift) — drawn here unless given, so
    that the same people can answer both periods; `comment(question, rng)` writes an answer to an open
    question (default: one of _COMMENTS)."""
    k = survey.scale.points
    if climate is None:
        climate = {f.code: rng.gauss(0, 0.35) for f in survey.factors()}
    if group_shift is None:
        group_shift = rng.gauss(0, 0.25)
    items = [(f, i) for f in survey.factors() for i in f.items if i.applies_to(group)]
    open_qs = [q for q in survey.open_questions if q.applies_to(group)]
    rows = []
    # Korean school surveys lean positive: group means of about 3.9–4.2 on five points are typical.
    center = (k + 1) / 2 + 1.1 * (k - 1) / 4
    for r in range(n):
        if people is not None:
            theta, attributes, grade_shift = people[r]
        else:
            theta, attributes, grade_shift = rng.gauss(0, 0.65), {}, 0.0
        answers = {}
        for f, i in items:
            if rng.random() < BLANK_RATE:
                continue
            x = center + group_shift + climate[f.code] + theta + shift + grade_shift + rng.gauss(0, 0.6)
            v = min(k, max(1, round(x)))
            answers[i.code] = k + 1 - v if i.reverse else v
        comments_of = {q.code: comment(q, rng) if comment else rng.choice(_COMMENTS)
                       for q in open_qs if rng.random() < comment_rate}
        rows.append(ResponseRow(row_no=r + 2, answers=answers, comments=comments_of, attributes=attributes))
    return rows


def _demo_surveys(ws, year: int) -> list:
    """The surveys the demo answers: every survey but a 교육공동체 (guidebook-scored) one of another year."""
    return [a for a in catalog.available(ws) if isinstance(a.instrument, Survey)
            and (a.instrument.scoring != "guidebook" or a.instrument.year == year)]


def fill_demo(ws, seed: int = 1, progress=None) -> dict:
    """Fill the current year with a plan, ratings, texts and answers. Replaces earlier demo answers."""
    rng = random.Random(seed)
    s, year = reads.require_school(ws)
    gb = reads.year_guidebook(ws, year)
    if gb.composed:
        return _fill_composed(ws, s, year, rng, seed)
    surveys = _demo_surveys(ws, year)
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
            ref = reads.freeze_for_use(ws, sv.id)
            for g in sv.groups:
                n = max(3, int(sizes.get(g, 30) * rng.uniform(0.85, 1.1)))
                rows = _answers(sv, g, n, rng)
                responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=rows,
                                             source_name=f"예시 데이터 ({g})", method="demo")
                total += n
        school_db.set_stage(ws, year, "selfeval")
        ws.audit("demo", seed=seed, respondents=total)
    return {"indicators": len(chosen), "respondents": total, "surveys": [a.instrument.id for a in surveys]}


# ---------------------------------------------------------------- a composed year (2026 on)

# 평가지표 a school might type under each fixed 세부영역 (the demo takes two or three of each).
_COMPOSED = {
    "1-1": ["교육공동체가 함께 만드는 학교 비전 공유", "협의 중심의 교직원 회의 문화 정착", "학생자치회 의견의 학교 운영 반영"],
    "1-2": ["학부모의 교육활동 참여 활성화", "마을과 함께하는 교육활동 확대", "학부모와의 소통 창구 다양화"],
    "1-3": ["교육활동 중심의 행정업무 효율화", "투명하고 공감받는 예산 편성·집행", "친절하고 신속한 민원 응대"],
    "2-1": ["학생 선택을 넓힌 학교 교육과정 운영", "교과 연계 주제중심 프로젝트 학습", "교육과정 평가와 환류 체계 마련"],
    "2-2": ["학생 참여 중심 수업 혁신", "과정 중심 평가와 성장 피드백 내실화", "공정하고 투명한 평가 운영"],
    "2-3": ["전문적 학습공동체 내실화", "수업 나눔과 동료 장학 활성화", "교원 연수와 컨설팅 지원"],
    "3-1": ["기초학력 책임지도 강화", "마음 건강 상담과 회복 지원", "늘봄학교 안정적 운영"],
    "3-2": ["독서·토론·글쓰기 교육 활성화", "AI·디지털 기초 역량 교육", "학생자치와 생태전환 교육을 통한 민주시민교육"],
    "3-3": ["학교폭력 예방과 관계 회복 교육", "체험 중심 안전교육 강화", "건강하고 안전한 급식·보건 관리"],
    "3-4": ["생태 텃밭 가꾸기 특색 교육활동", "전교생 1인 1악기 특색 프로그램", "학년별 마을 탐구 프로젝트"],
}
_ACHIEVE_26 = ["{t}{eul} 위한 연간 계획을 세우고 학기마다 운영 결과를 점검하여 2학기 계획에 반영하였다.",
               "{t} 관련 협의회를 월 1회 정례화하여 교직원의 의견을 모아 실행하였다.",
               "교육공동체 설문(중간) 결과를 바탕으로 '{t}'의 운영 방식을 보완하였고, 학년말 설문의 긍정 응답이 높아졌다.",
               "{t}에 학생·학부모가 함께 참여하는 활동을 새로 운영하여 참여율이 지난해보다 높아졌다."]
_SHORT_26 = ["{t} 활동이 일부 학년에 치우쳐 전 학년으로 확산되지 못하였다.",
             "{t}의 성과를 확인할 수 있는 자료가 학기 말에 몰려 축적되었다.",
             "학부모 참여가 기대보다 낮아 {t}에 대한 공유가 충분하지 않았다.",
             "담당자가 바뀌면서 {t}의 운영이 1학기에 한동안 멈추었다."]
_IMPROVE_26 = ["내년에는 {t}의 점검 시기를 학기 중으로 당기고, 담당 부서 간 협업 체계를 마련한다.",
               "{t}의 성과 지표를 학기 초에 정하고 분기마다 결과를 교육공동체와 공유한다.",
               "{t}에 학생·학부모 의견을 반영하는 절차를 정례화한다.",
               "{t} 운영 자료를 학년 협의회에서 함께 만들어 담당자가 바뀌어도 이어지게 한다."]
_EVIDENCE_26 = ["학교교육계획서, 협의회 회의록, 운영 결과 보고서",
                "교육공동체 설문 결과(중간·학년말), 학기말 운영 평가서",
                "운영 계획서, 활동 사진 자료, 참여 학생 소감문",
                "가정통신문, 학부모 참여 현황, 만족도 조사 결과"]
_MIDYEAR_NOTES = ["1학기 운영 결과를 점검하였고 2학기 계획에 반영한다.",
                  "중간 설문에서 학부모 응답이 낮아 2학기에 안내를 늘린다.",
                  "담당 부서와 협의하여 2학기 일정을 조정하였다."]
_SUPPORT = {"1-3": "행정업무 경감을 위한 업무 재구조화 컨설팅과 교무행정지원 인력 확충이 필요하다.",
            "3-1": "상담이 필요한 학생이 늘어 전문상담교사 추가 배치와 외부 치료 기관 연계 지원이 필요하다."}
_FEATURES = {
    "3-4": "전교생이 학년별 텃밭을 맡아 봄에 씨앗을 심고 가을에 수확하여 나눔 장터를 열었다. 수확물은 "
           "지역 복지관에 기부하였고, 과학·실과 시간과 연계한 관찰 일지를 학년 말 전시회에서 발표하였다.",
    "3-2": "학생이 직접 기획한 '우리 동네 기후 행동' 프로젝트에서 학급마다 에너지 절약 캠페인을 만들고, "
           "학생자치회가 결과를 모아 학교 운영위원회에 제안하여 교실 냉난방 운영 기준이 바뀌었다.",
}
# Comments by group kind: what went well (an open question asking 좋았던 / 잘된 점) and what to change or
# wish for (every other open question). A few carry personal data (a name before a title, a phone number,
# an e-mail, a class and number) as real comments sometimes do: stored as typed, masked wherever quoted.
_GOOD = {
    "staff": ["회의가 짧아지고 결정이 빨라져서 좋았습니다.", "전문적 학습공동체에서 수업을 나눈 것이 큰 도움이 되었습니다.",
              "행정실과 교무실의 협조가 원활해졌습니다.", "업무 분장을 미리 협의해서 학기 초가 덜 혼란스러웠습니다.",
              "생태 텃밭 활동으로 학생들이 밝아졌습니다.", "학년 협의회가 정례화되어 교육과정 운영이 수월했습니다.",
              "학교폭력 사안이 줄고 관계 회복 프로그램이 자리를 잡았습니다.", "예산 편성 과정에 의견을 낼 수 있어서 좋았습니다."],
    "student": ["급식이 맛있어요.", "텃밭에서 채소를 키운 것이 재미있었어요.", "친구들과 같이 하는 수업이 좋아요.",
                "체험학습이 재미있었어요.", "학교에 오는 게 즐거워요.", "도서관에 새 책이 많아져서 좋아요.",
                "운동회가 제일 재미있었어요.", "선생님들이 친절하세요.", "코딩 수업이 재미있었어요."],
    "parent": ["선생님들께서 아이를 세심하게 살펴 주셔서 감사합니다.", "늘봄학교 덕분에 맞벌이 가정이 큰 도움을 받고 있습니다.",
               "급식 식단이 건강하고 다양해져서 만족합니다.", "수업 공개 행사가 좋았습니다.",
               "텃밭 활동 이야기를 아이가 집에서 자주 합니다.", "학교 소식을 자주 알려 주셔서 좋았습니다.",
               "아이가 학교에 가는 것을 즐거워합니다.", "상담 주간에 선생님과 충분히 이야기할 수 있었습니다."],
}
_WISH = {
    "staff": ["업무가 한 사람에게 몰리지 않도록 업무 분장이 조정되면 좋겠습니다.", "늘봄학교 운영으로 방과후 공간이 부족합니다.",
              "학교폭력 사안 처리 절차에 대한 연수가 더 필요합니다.", "디지털 기기 관리 인력이 부족해 수업 준비에 시간이 많이 듭니다.",
              "학부모 민원 대응 창구를 일원화해 주세요.", "급식실 환기 시설 개선이 시급합니다.",
              "행정업무 경감을 위한 교육청 차원의 지원이 필요합니다.", "상담 인력이 부족해 담임 부담이 큽니다.",
              "없음", "특별히 없습니다", "."],
    "student": ["체험학습을 더 많이 가고 싶어요.", "도서관 이용 시간을 늘려 주세요.", "운동장에서 놀 시간이 더 많았으면 좋겠어요.",
                "화장실이 더 깨끗했으면 좋겠어요.", "쉬는 시간이 너무 짧아요.", "놀이 시간에 다툼이 있을 때 선생님이 빨리 도와주셨으면 해요.",
                "급식에 과일이 더 자주 나왔으면 좋겠어요.", "없어요", "없음", "ㅎㅎ"],
    "parent": ["학부모 상담 시간을 저녁에도 운영해 주시면 좋겠습니다.", "학교 앞 통학로가 위험합니다. 등하교 시간 교통 지도를 늘려 주세요.",
               "알림장과 가정통신문 앱을 하나로 통일해 주세요.", "방과후 프로그램이 다양해지면 좋겠습니다.",
               "학교폭력 예방 교육을 꾸준히 해 주세요.", "수업 공개 횟수를 늘려 주세요.", "기초학력 지원 프로그램을 늘려 주세요.",
               "없음", "특별히 없습니다"],
}
_PERSONAL = {
    "staff": ["교무행정지원사 박지영 선생님 덕분에 업무가 많이 줄었습니다."],
    "student": ["담임 김민수 선생님이 친절하셔서 좋아요."],
    "parent": ["3학년 2반 15번 학부모입니다. 상담 일정 때문에 010-2345-6789로 연락 부탁드립니다.",
               "상담 결과를 parent.kim@example.com으로 받아 보고 싶습니다.",
               "이서연 선생님께 감사드립니다. 아이가 많이 밝아졌어요."],
}
PERSONAL_RATE = 0.03           # share of comments carrying personal data
_KIND = {"교원": "staff", "직원": "staff", "학생": "student", "학부모": "parent"}


def _comment_writer(group: str):
    kind = _KIND.get(group, "staff")

    def write(question, rng: random.Random) -> str:
        if rng.random() < PERSONAL_RATE:
            return rng.choice(_PERSONAL[kind])
        good = any(w in question.text for w in ("좋았던", "잘된", "잘되었다"))
        return rng.choice((_GOOD if good else _WISH)[kind])
    return write


# who answers which 학년 question, per 학교급: students from 3학년 in 초 (the youngest do not take the survey)
_STUDENT_GRADES = {"초": range(3, 7), "중": range(1, 4), "고": range(1, 4), "특수": range(1, 7)}
_PARENT_GRADES = {"초": range(1, 7), "중": range(1, 4), "고": range(1, 4), "특수": range(1, 7)}
MIDYEAR_SHARE = (0.55, 0.75)   # share of the 학년말 respondents who answered the 중간 survey
MIDYEAR_SHIFT = -0.15          # the 중간 survey reads a little lower than the 학년말 one
GRADE_BLANK = 0.02             # respondents who skip the 학년 question (the breakdown's 무응답 cell)
PARENT_TWO_GRADES = 0.12       # parents ticking two grades (siblings)


def _grade_picker(group: str, level: str):
    """rng → (학년 values, answer shift) for students and parents; None for staff (no 학년 question).
    Younger students answer a little more positively, as real surveys show."""
    if group == "학생":
        grades = list(_STUDENT_GRADES[level])
    elif group == "학부모":
        grades = list(_PARENT_GRADES[level])
    else:
        return None
    middle = (grades[0] + grades[-1]) / 2

    def pick(rng: random.Random):
        if rng.random() < GRADE_BLANK:
            return (), 0.0
        g = rng.choice(grades)
        values = [g]
        if group == "학부모" and rng.random() < PARENT_TWO_GRADES:
            other = rng.choice([x for x in grades if x != g])
            values = sorted({g, other})
        shift = -0.08 * (g - middle) if group == "학생" else 0.0
        return tuple(f"{v}학년" for v in values), shift
    return pick


def _person(rng: random.Random, grades) -> tuple[float, dict, float]:
    """A respondent of a composed-year group: (tendency, attributes, shift), answering both periods alike."""
    theta = rng.gauss(0, 0.65)
    if grades is None:
        return theta, {}, 0.0
    values, shift = grades(rng)
    return theta, ({GRADE: values} if values else {}), shift


def _compose_plan(ws, year: int, rng: random.Random) -> list[str]:
    """Two or three 평가지표 typed under every 세부영역, through `composing.compose_indicator`, each linking a
    few items of the year's survey in that 세부영역 (dealt out in turn, so each gets some of every group's).
    An indicator already in the plan (a second demo run) is kept as it is."""
    from . import composing
    gb = reads.year_guidebook(ws, year)
    chosen = {e.indicator for e in selfeval.entries(ws, year)}
    codes = []
    for a in gb.areas:
        for sub in a.subareas:
            pool = _COMPOSED.get(sub.code, [f"{sub.title} 활성화", f"{sub.title} 내실화"])
            titles = sorted(rng.sample(pool, rng.choice([2, 3]) if len(pool) >= 3 else len(pool)), key=pool.index)
            items = [r["link"] for r in composing.linkable_items(ws, sub.code)]
            for n, title in enumerate(titles):
                same = next((i for i in sub.indicators if i.title == title and i.code in chosen), None)
                codes.append(same.code if same is not None else
                             composing.compose_indicator(ws, title=title, subarea=sub.code,
                                                         items=items[n::len(titles)])["indicator"])
    return codes


def _eul(word: str) -> str:
    """The object particle after `word`: 을 after a final consonant, 를 after a vowel (을(를) if not Hangul)."""
    last = word.rstrip()[-1:]
    if not "가" <= last <= "힣":
        return "을(를)"
    return "을" if (ord(last) - 0xAC00) % 28 else "를"


def _rate_plan(ws, year: int, codes: list[str], rng: random.Random) -> None:
    """Most indicators rated with texts; every one with a mid-year status; 지원 요청 for one or two; 특색사례
    for a couple of 세부영역. Through the self-evaluation verbs the CLI and the plan page use."""
    gb = reads.year_guidebook(ws, year)
    supported = set()
    for n, code in enumerate(codes):
        ind = gb.indicator(code)
        t, sub = ind.title, code.rsplit("-S", 1)[0]
        texts = {"midyear_status": rng.choices(["on_track", "attention", "not_started"], weights=[6, 3, 1])[0],
                 "midyear_note": rng.choice(_MIDYEAR_NOTES) if n % 2 else ""}
        rated = rng.random() < 0.85
        if rated:
            texts.update(evidence=rng.choice(_EVIDENCE_26), achievements=rng.choice(_ACHIEVE_26).format(t=t, eul=_eul(t)),
                         shortcomings=rng.choice(_SHORT_26).format(t=t),
                         improvements=rng.choice(_IMPROVE_26).format(t=t))
        if sub in _SUPPORT and sub not in supported:
            supported.add(sub)
            texts["support_needed"] = _SUPPORT[sub]
        self_eval.self_eval_set(ws, code, rating=rng.choices([2, 3, 4], weights=[2, 5, 3])[0] if rated else None,
                               **texts)
    for sub, text in _FEATURES.items():
        self_eval.self_eval_set_feature(ws, sub, text)


def _fill_composed(ws, s, year: int, rng: random.Random, seed: int) -> dict:
    sizes = GROUP_SIZES[s.level]
    total = 0
    with ws.transaction():
        codes = _compose_plan(ws, year, rng)
        _rate_plan(ws, year, codes, rng)
        for adm in responses.administrations(ws, year):
            if adm.method == "demo":
                responses.delete_administration(ws, adm.id)
        surveys = _demo_surveys(ws, year)
        for av in surveys:
            sv: Survey = av.instrument
            ref = reads.freeze_for_use(ws, sv.id)
            both = sv.scoring == "guidebook"  # the 교육공동체 survey is taken twice a year; SODI once
            for g in sv.groups:
                n_end = max(3, int(sizes.get(g, 30) * rng.uniform(0.85, 1.1)))
                climate = {f.code: rng.gauss(0, 0.35) for f in sv.factors()}
                group_shift = rng.gauss(0, 0.25)
                grades = _grade_picker(g, s.level) if both else None
                people = [_person(rng, grades) for _ in range(n_end)]
                writer = _comment_writer(g) if both else None
                for period in (PERIODS if both else (YEAR_END,)):
                    mid = period == MIDYEAR
                    # the 중간 survey: part of the same people (most answer both), a little lower
                    who = (sorted(rng.sample(range(n_end), min(n_end, max(5, int(n_end * rng.uniform(*MIDYEAR_SHARE))))))
                           if mid else range(n_end))
                    n = len(who)
                    rows = _answers(sv, g, n, rng, climate=climate, group_shift=group_shift,
                                    shift=MIDYEAR_SHIFT if mid else 0.0, comment=writer,
                                    people=[people[i] for i in who],
                                    comment_rate=0.15 if mid else 0.25)
                    responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=rows,
                                                 source_name=f"예시 데이터 ({g}, {period})", method="demo",
                                                 period=period)
                    total += n
        school_db.set_stage(ws, year, "selfeval")
        ws.audit("demo", seed=seed, respondents=total)
    return {"indicators": len(codes), "respondents": total, "surveys": [a.instrument.id for a in surveys]}
