"""The year as the vice-principal walks it: setup → plan → rate → import → results → next year."""

from __future__ import annotations

import csv
import random

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from schoolvault import composing, services
from schoolvault.workspace import open_workspace, selfeval

SODI = "sodi-example-2025"


def write_responses(path, ws_path, group="교원", n=12, seed=5, extra_rows=()):
    """A Google-Forms-like export: 타임스탬프, then one column per item text, answers as labels."""
    with open_workspace(ws_path, readonly=True) as ws:
        survey = services.survey(ws, SODI)
    items = survey.items_for(group)
    labels = survey.scale.labels
    rng = random.Random(seed)
    answers = [[rng.randint(2, 5) for _ in items] for _ in range(n)]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["타임스탬프"] + [f"{i + 1}. {it.text}" for i, it in enumerate(items)])
        for r, row in enumerate(answers):
            w.writerow([f"2025-06-0{r % 9 + 1} 10:{r:02d}:00"] + [labels[v - 1] for v in row])
        for row in extra_rows:
            w.writerow(row)
    k = survey.scale.points
    df = pd.DataFrame(answers, columns=[i.code for i in items])
    for it in items:
        if it.reverse:
            df[it.code] = k + 1 - df[it.code]
    return df


def import_file(qtbot, w, path, group="교원"):
    """Import through the main window's import wizard: file → preview → confirm → run."""
    wiz = w.open_import_wizard(SODI, group)
    fp = wiz.file_page
    qtbot.waitUntil(lambda: fp.survey.count() > 0 and fp.group.currentData() == group, timeout=10000)
    assert fp.survey.currentData()["id"] == SODI
    assert SODI not in fp.survey.currentText()  # internal ids are never shown
    fp.file.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: not wiz.planning and wiz.currentPage() is wiz.preview_page, timeout=10000)
    return wiz


def run_import(qtbot, wiz):
    assert wiz.plan is not None
    wiz.next()
    qtbot.mouseClick(wiz.confirm_page.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wiz.summary is not None, timeout=15000)
    return wiz.summary


def test_first_run_setup_creates_the_school_with_common_indicators_preselected(qtbot, tmp_path):
    from schoolvault.ui.dialogs.setup import SchoolSetupDialog
    path = tmp_path / "new.sqlite"
    dlg = SchoolSetupDialog(path)
    qtbot.addWidget(dlg)
    dlg.name.setText("서울새솔중학교")
    dlg.level.setCurrentIndex(dlg.level.findData("중"))
    dlg.district.setCurrentIndex(dlg.district.findData("성북강북"))
    dlg.year.setValue(2025)
    dlg.accept()
    qtbot.waitUntil(lambda: dlg.result() == QDialog.Accepted, timeout=10000)
    with open_workspace(path, readonly=True) as ws:
        d = services.dashboard(ws)
        gb = services.year_guidebook(ws)
        chosen = {e.indicator for e in selfeval.entries(ws, 2025)}
    assert d["school"]["name"] == "서울새솔중학교" and d["school"]["district"] == "성북강북"
    assert chosen == {i.code for i in gb.indicators() if i.type == "common" and i.applies_to_level("중")}


def test_setup_without_a_name_says_so_and_writes_nothing(qtbot, tmp_path):
    from schoolvault.ui.dialogs.setup import SchoolSetupDialog
    path = tmp_path / "new.sqlite"
    dlg = SchoolSetupDialog(path)
    qtbot.addWidget(dlg)
    dlg.accept()
    assert dlg.error.text() == "학교 이름을 적어 주세요."
    assert not path.exists()


def test_high_school_defaults_to_the_main_office(qtbot, tmp_path):
    from schoolvault.ui.dialogs.setup import SchoolSetupDialog
    dlg = SchoolSetupDialog(tmp_path / "x.sqlite")
    qtbot.addWidget(dlg)
    dlg.level.setCurrentIndex(dlg.level.findData("고"))
    assert dlg.district.currentData() == "본청"


def test_checking_an_autonomous_indicator_adds_it_to_the_plan(fresh_window, qtbot, fresh_ws_path, idle):
    page = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    it = page._items["1-1-3"]
    assert it.checkState(0) == Qt.Unchecked
    it.setCheckState(0, Qt.Checked)
    idle(fresh_window)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert selfeval.entry(ws, 2025, "1-1-3").chosen
    assert "자율지표 1개" in page.summary.text()
    it.setCheckState(0, Qt.Unchecked)
    idle(fresh_window)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        assert not selfeval.entry(ws, 2025, "1-1-3").chosen


def test_an_indicator_for_another_school_level_cannot_be_chosen(fresh_window, qtbot):
    page = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    it = page._items["2-1-2"]  # 진로교육과정: not for 초
    assert not it.flags() & Qt.ItemIsUserCheckable
    assert "해당 없음" in it.text(1)


def test_the_schools_own_indicator_joins_the_plan_and_the_indicator_tree(fresh_window, qtbot, fresh_ws_path, idle):
    page = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    page.tree.setCurrentItem(page._items["3-2-1"])
    page.add_custom()
    dlg = page.custom_dialog
    assert dlg.subarea.currentData() == "3-2"
    dlg.title.setText("아침 독서 습관 만들기")
    dlg.criteria.setPlainText("학년별 아침 독서 시간을 운영하였는가\n독서 기록을 점검하였는가")
    for e, t in zip(dlg.rubric, ["드묾", "가끔", "자주", "늘"]):
        e.setText(t)
    dlg.accept()
    qtbot.waitUntil(lambda: "3-2-S1" in page._items, timeout=10000)
    assert page._items["3-2-S1"].checkState(0) == Qt.Checked
    se = fresh_window.show_page("selfeval")
    qtbot.waitUntil(lambda: "3-2-S1" in getattr(se, "_items", {}), timeout=10000)
    se.select("3-2-S1")
    qtbot.waitUntil(lambda: se.detail is not None and se.detail["code"] == "3-2-S1", timeout=10000)
    assert [o.text.text() for o in se.rubric_options] == ["드묾", "가끔", "자주", "늘"]


def test_custom_indicator_needs_all_or_no_rubric_levels(fresh_window, qtbot):
    page = fresh_window.show_page("plan")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    page.add_custom()
    dlg = page.custom_dialog
    dlg.title.setText("반쪽 지표")
    dlg.rubric[0].setText("하나만")
    dlg.accept()
    assert "모두" in dlg.error.text()
    assert dlg.isVisible()


def test_importing_a_response_file_updates_surveys_dashboard_and_results(demo_window, qtbot, tmp_path, demo_ws_path, idle):
    # replace the demo 교원 answers with a file whose numbers we know
    with open_workspace(demo_ws_path) as ws, ws.transaction():
        from schoolvault.workspace import responses
        for a in responses.administrations(ws, 2025, SODI, "교원"):
            responses.delete_administration(ws, a.id)
    demo_window.notify_changed(frozenset({"responses"}))
    df = write_responses(tmp_path / "교원 응답.csv", demo_ws_path, n=12)
    surveys = demo_window.show_page("surveys")
    qtbot.waitUntil(lambda: surveys.loaded, timeout=10000)
    summary = run_import(qtbot, import_file(qtbot, demo_window, tmp_path / "교원 응답.csv"))
    assert summary["respondents"] == 12
    idle(demo_window)
    qtbot.waitUntil(lambda: next(s for s in surveys.data if s["id"] == SODI)["counts"].get("교원") == 12, timeout=10000)

    res = demo_window.show_page("results")
    res.focus(SODI, "교원")
    qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == SODI
                    and res.group_combo.currentData() == "교원" and res.data["by_group"]["교원"]["n"] == 12, timeout=10000)
    res.tabs.setCurrentIndex(1)  # 문항별 결과
    t = res.item_table
    assert t.rowCount() > 0
    expected = (df > 3).mean()  # 긍정률 on a 5-point scale: 4 or 5
    shown = {t.item(r, 0).text(): t.item(r, 5).key for r in range(t.rowCount())}
    assert set(shown) == set(expected.index)
    for code, rate in expected.items():
        assert shown[code] == pytest.approx(rate, abs=1e-12)
    rates = [t.item(r, 5).key for r in range(t.rowCount())]
    assert rates == sorted(rates, reverse=True)  # sorted by 긍정률, highest first
    t.sortByColumn(4, Qt.AscendingOrder)
    means = [t.item(r, 4).key for r in range(t.rowCount())]
    assert means == sorted(means)
    assert means[0] == pytest.approx(df.mean().min(), abs=1e-12)


def test_a_file_without_matching_questions_is_refused_in_korean_and_changes_nothing(demo_window, qtbot, tmp_path, demo_ws_path):
    bad = tmp_path / "엉뚱한 파일.csv"
    bad.write_text("이름,좋아하는 색\n홍길동,파랑\n", encoding="utf-8")
    before = demo_ws_path.read_bytes()
    wiz = import_file(qtbot, demo_window, bad)
    assert wiz.plan is None and not wiz.preview_page.isComplete()
    assert "맞는 열이 하나도 없습니다" in wiz.preview_page.problems.item(0).text()
    wiz.reject()
    demo_window.session.runner.wait()
    assert demo_ws_path.read_bytes() == before
    with open_workspace(demo_ws_path, readonly=True) as ws:
        from schoolvault.workspace import responses
        assert all(a.source_name != bad.name for a in responses.administrations(ws))


def test_results_show_group_comparison_strengths_weaknesses_and_comments(demo_window, qtbot):
    res = demo_window.show_page("results")
    res.focus(SODI, "학부모")
    qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == SODI, timeout=10000)
    res.tabs.setCurrentIndex(2)  # 집단 비교
    assert [s[0] for s in res.compare_domain_chart.series] == ["교원", "직원", "학생", "학부모"]
    f0 = res.data["comparison"]["factors"][0]
    assert res.radar.labels[0] == f0["title"]
    assert [v[0] for _, v in res.radar.series] == [f0["scores"].get(g) for g in res.data["groups"]]
    res.tabs.setCurrentIndex(3)  # 강점·약점
    assert res.top_list.count() == 5 and res.bottom_list.count() == 5
    top = res.data["by_group"][res.group_combo.currentData()]["top"][0]
    assert res.top_list.item(0).data(Qt.UserRole) == top["code"]
    res.tabs.setCurrentIndex(4)  # 서술형 의견
    texts = [res.comment_list.item(i).text().strip() for i in range(res.comment_list.count())]
    answers = [t.removeprefix("· ") for t in texts if t.startswith("· ")]
    group = res.group_combo.currentData()
    expected = [c["text"] for c in res.data["comments"] if c["group"] == group]
    assert answers == expected and answers
    assert not {"없음", "없습니다", ".", "특별히 없어요"} & set(answers)


def test_results_page_without_answers_points_to_the_import(fresh_window, qtbot):
    res = fresh_window.show_page("results")
    qtbot.waitUntil(lambda: res.loaded, timeout=10000)
    assert res.stack.currentIndex() == 0
    assert "응답이 없습니다" in res.empty_label.text()


def test_new_year_carries_the_plan_and_shows_last_years_improvement_plan(demo_window, qtbot, demo_ws_path, idle):
    se = demo_window.show_page("selfeval")
    qtbot.waitUntil(lambda: se.loaded, timeout=10000)
    se.select("1-1-2")
    qtbot.waitUntil(lambda: se.detail is not None and se.detail["code"] == "1-1-2", timeout=10000)
    se.texts["improvements"].setPlainText("학생 대표가 비전 협의에 참여한다")
    se.flush()
    idle(demo_window)
    demo_window.start_new_year()
    dlg = demo_window.new_year_dialog
    qtbot.waitUntil(lambda: dlg.year.value() == 2026 and dlg.proposals is not None, timeout=10000)
    # 2026 has other 세부영역: every indicator is listed with its proposed 세부영역, one choice per row
    assert dlg.table.isVisibleTo(dlg) and "세부영역이 2025학년도와 다르고" in dlg.info.text()
    assert dlg.choices["1-1-2"].currentData() == "1-1"
    skipped = next(c for c in dlg.choices if c != "1-1-2")
    dlg.choices[skipped].setCurrentIndex(0)  # 옮기지 않음
    dlg.accept()
    qtbot.waitUntil(lambda: "2026학년도" in demo_window.windowTitle(), timeout=10000)
    with open_workspace(demo_ws_path, readonly=True) as ws:
        old = {e.indicator for e in selfeval.entries(ws, 2025)}
        origin = composing.previous_codes(ws, 2026)
        new = {origin[e.indicator] for e in selfeval.entries(ws, 2026)}
        assert new == old - {skipped}
        assert all(e.rating is None for e in selfeval.entries(ws, 2026))
        code = next(c for c, o in origin.items() if o == "1-1-2")
    se = demo_window.show_page("selfeval")
    se.select(code)
    qtbot.waitUntil(lambda: se.detail is not None and se.detail["code"] == code and se.detail["year"] == 2026, timeout=10000)
    assert se.prev_box.isVisibleTo(se)
    assert "학생 대표가 비전 협의에 참여한다" in se.prev_label.text()
    assert se.texts["improvements"].toPlainText() == ""
    dash = demo_window.show_page("dashboard")
    qtbot.waitUntil(lambda: dash.data is not None and dash.data["year"] == 2026, timeout=10000)
    assert dash.year_combo.count() == 2


def test_starting_a_year_that_exists_is_refused_in_the_dialog(demo_window, qtbot):
    demo_window.start_new_year()
    dlg = demo_window.new_year_dialog
    qtbot.waitUntil(lambda: dlg.year.value() == 2026, timeout=10000)
    dlg.year.setValue(2025)
    dlg.accept()
    qtbot.waitUntil(lambda: dlg.error.text() != "", timeout=10000)
    assert "이미 있습니다" in dlg.error.text()


def test_whole_year_flow_from_plan_to_next_year(fresh_window, qtbot, tmp_path, fresh_ws_path, idle):
    w = fresh_window
    dash = w.show_page("dashboard")
    qtbot.waitUntil(lambda: dash.loaded, timeout=10000)
    assert dash.data["next"]["page"] == "plan"
    qtbot.mouseClick(dash.next_button, Qt.LeftButton)
    assert w.current_key() == "plan"
    qtbot.mouseClick(w.show_page("plan").done_button, Qt.LeftButton)
    assert w.current_key() == "selfeval"
    se = w.pages["selfeval"]
    qtbot.waitUntil(lambda: se.loaded and se.detail is not None and se.form.isEnabled(), timeout=10000)
    for _ in range(len(se._items)):
        code = se.code
        qtbot.mouseClick(se.rubric_options[2].radio, Qt.LeftButton)
        qtbot.waitUntil(lambda c=code: bool(se._items[c].data(0, Qt.UserRole + 1)), timeout=10000)
        se.go_next_todo()
        qtbot.waitUntil(lambda: se.detail["code"] == se.code and se.form.isEnabled(), timeout=10000)
    with open_workspace(fresh_ws_path, readonly=True) as ws:
        d = services.dashboard(ws)
    assert d["indicators_rated"] == d["indicators_chosen"] > 0
    write_responses(tmp_path / "교원.csv", fresh_ws_path, n=8)
    run_import(qtbot, import_file(qtbot, w, tmp_path / "교원.csv"))
    res = w.show_page("results")
    qtbot.waitUntil(lambda: res.data is not None and res.data["by_group"]["교원"]["n"] == 8, timeout=10000)
    # 계획을 마쳤습니다 moved the year to 중간점검; each finish names the stage it ends
    for prev, stage in (("midyear", "selfeval"), ("selfeval", "analysis"), ("analysis", "report")):
        dash = w.show_page("dashboard")
        qtbot.waitUntil(lambda d=dash, p=prev: d.data is not None and d.data["stage"] == p
                        and d.advance_button.isVisible(), timeout=10000)
        dash._advance()
        qtbot.waitUntil(lambda s=stage, d=dash: d.data["stage"] == s, timeout=10000)
    assert dash.data["next"]["page"] == "reports"
    rp = w.show_page("reports")
    rp.mark_submitted()
    dash = w.show_page("dashboard")
    qtbot.waitUntil(lambda: dash.data["stage"] == "submitted", timeout=10000)
    assert dash.next_button.text() == "새 학년도 시작…"
    qtbot.mouseClick(dash.next_button, Qt.LeftButton)
    dlg = w.new_year_dialog
    qtbot.waitUntil(lambda: dlg.year.value() == 2026, timeout=10000)
    dlg.accept()
    qtbot.waitUntil(lambda: dash.data["year"] == 2026 and dash.data["stage"] == "plan", timeout=10000)


def test_results_show_last_year_beside_this_year(demo_window, qtbot):
    from schoolvault.demo import fill_demo
    from schoolvault.ui.session import ALL
    demo_window.session.call_now(services.new_year)
    demo_window.session.call_now(fill_demo, seed=3)
    demo_window.notify_changed(ALL)
    res = demo_window.show_page("results")
    res.focus(SODI, "교원")
    qtbot.waitUntil(lambda: res.data is not None and res.data["year"] == 2026 and res.data["instrument"] == SODI,
                    timeout=10000)
    assert res.data["previous_year"] == 2025
    assert [name for name, _ in res.domain_chart.series] == ["2026학년도", "2025학년도"]
    prev = demo_window.session.call_now(services.stats, SODI, "교원", 2025)
    d0 = res.data["by_group"]["교원"]["domains"][0]
    assert res.domain_chart.series[1][1][0] == prev["groups"]["교원"]["domains"][d0["code"]]["score100"]
    res.tabs.setCurrentIndex(1)
    t = res.item_table
    assert t.horizontalHeaderItem(t.columnCount() - 1).text() == "2025 긍정률"
    assert "2025학년도 결과를 함께" in res.caption.text()


def test_a_survey_card_opens_its_results(demo_window, qtbot):
    from PySide6.QtWidgets import QPushButton
    page = demo_window.show_page("surveys")
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    buttons = [b for b in page.body.findChildren(QPushButton) if b.text() == "이 설문의 결과 보기 →"]
    sodi_index = [s["id"] for s in page.data if s["counts"]].index(SODI)  # cards with answers have the button
    qtbot.mouseClick(buttons[sodi_index], Qt.LeftButton)
    assert demo_window.current_key() == "results"
    res = demo_window.pages["results"]
    qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == SODI, timeout=10000)
