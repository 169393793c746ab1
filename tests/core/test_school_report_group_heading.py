"""교내 보관용: a 평가주체's heading names each survey's respondents when the surveys were answered apart."""

from types import SimpleNamespace

from schoolvault.reports.school_report_view import group_sections, respondents_text


def _survey(title: str, counts: dict) -> SimpleNamespace:
    stats = {"groups": {g: {"domains": {}, "factors": {}, "items": {}} for g in counts}}
    return SimpleNamespace(id=title, survey=SimpleNamespace(title=title, domains=()), counts=counts, stats=stats)


def test_one_count_when_every_survey_had_the_same_respondents():
    assert respondents_text(40, (("교육공동체 설문", 40), ("조직진단", 40))) == "응답자 40명"
    assert respondents_text(40, (("교육공동체 설문", 40),)) == "응답자 40명"


def test_each_survey_named_when_counts_differ():
    sections = group_sections(None, [_survey("교육공동체 설문", {"교원": 40, "학생": 150}),
                                     _survey("조직진단", {"교원": 3})], [])
    teachers = next(s for s in sections if s.group == "교원")
    assert teachers.respondents == "응답자 교육공동체 설문 40명 · 조직진단 3명"
    assert not teachers.small  # the group is large enough in the survey most answered
    students = next(s for s in sections if s.group == "학생")
    assert students.respondents == "응답자 150명"
