"""제출 전 점검 (readiness.pre_submission_check): what is missing before a file goes to the office."""

from __future__ import annotations

import json

from schoolvault import readiness
from schoolvault.workspace import selfeval


def _kinds(problems):
    return [(p["kind"], p["page"], p["target"]) for p in problems]


def test_a_fresh_year_lists_every_unrated_indicator_and_no_answers(fresh_ws):
    got = readiness.pre_submission_check(fresh_ws)
    chosen = [e.indicator for e in selfeval.entries(fresh_ws, 2025)]
    assert [t for k, _, t in _kinds(got) if k == readiness.UNRATED] == chosen
    assert [t for k, _, t in _kinds(got) if k == readiness.EMPTY_FINDINGS] == chosen
    assert _kinds(got)[-1] == (readiness.NO_ANSWERS, "surveys", None)


def test_the_demo_year_has_nothing_missing(demo_ws):
    assert readiness.pre_submission_check(demo_ws) == []


def test_one_unrated_indicator_with_empty_findings_is_named_with_its_place(demo_ws):
    with demo_ws.transaction():
        demo_ws.conn.execute("UPDATE self_evaluations SET rating = NULL, achievements = '' "
                             "WHERE year = 2025 AND indicator = '2-2-1'")
    got = readiness.pre_submission_check(demo_ws)
    assert _kinds(got) == [(readiness.UNRATED, "selfeval", "2-2-1"), (readiness.EMPTY_FINDINGS, "selfeval", "2-2-1")]
    assert "우수한 점" in got[1]["text"] and "개선할 점" not in got[1]["text"]


def test_a_group_without_year_end_answers_is_listed(demo_ws):
    with demo_ws.transaction():
        demo_ws.conn.execute("DELETE FROM administrations WHERE grp = '학부모' AND instrument_ref IN "
                             "(SELECT id FROM instruments WHERE instrument_id = 'seoul-eval-survey-2025')")
    got = readiness.pre_submission_check(demo_ws)
    assert [(p["kind"], p["target"], p.get("group")) for p in got] == [
        (readiness.NO_ANSWERS, "seoul-eval-survey-2025", "학부모")]


def test_midyear_answers_do_not_count_for_the_submission(demo_ws):
    with demo_ws.transaction():
        demo_ws.conn.execute("UPDATE administrations SET period = '중간' WHERE grp = '학생'")
    groups = [p.get("group") for p in readiness.pre_submission_check(demo_ws)]
    assert "학생" in groups


def test_a_chosen_comment_with_personal_data_is_flagged_an_unchosen_one_is_not(demo_ws):
    rows = demo_ws.conn.execute("SELECT c.id FROM comments c JOIN respondents r ON r.id = c.respondent_id "
                                "JOIN administrations a ON a.id = r.administration_id JOIN instruments i "
                                "ON i.id = a.instrument_ref WHERE i.instrument_id = 'seoul-eval-survey-2025' "
                                "ORDER BY c.id LIMIT 2").fetchall()
    with demo_ws.transaction():
        for (cid,) in rows:
            demo_ws.conn.execute("UPDATE comments SET text = '담임 선생님 연락처 010-1234-5678 로 연락 주세요' "
                                 "WHERE id = ?", (cid,))
        demo_ws.conn.execute("UPDATE comments SET selected = 1 WHERE id = ?", (rows[0][0],))
    got = readiness.pre_submission_check(demo_ws)
    assert [(p["kind"], p["page"], p["comment"]) for p in got] == [(readiness.PERSONAL, "comments", rows[0][0])]


def test_cli_check_submission_prints_the_same_list(fresh_ws_path, capsys):
    from schoolvault.cli import main
    from schoolvault.workspace import open_workspace
    assert main(["--db", str(fresh_ws_path), "--json", "check", "--submission"]) == 0
    listed = json.loads(capsys.readouterr().out)["submission"]
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert listed == readiness.pre_submission_check(ws)
    assert main(["--db", str(fresh_ws_path), "check", "--submission"]) == 0
    human = capsys.readouterr().out
    assert human.startswith(f"제출 전 점검: 확인할 것 {len(listed)}개")
    assert human.count("\n- [") == len(listed)
