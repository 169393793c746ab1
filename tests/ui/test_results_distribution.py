"""문항별 결과: choosing a question shows bars per option as people answered (reverse items not flipped)."""

from __future__ import annotations

SODI = "sodi-example-2025"


def test_selecting_a_reverse_item_shows_its_options_as_answered(demo_window, demo_ws_path, qtbot):
    res = demo_window.show_page("results")
    res.focus(SODI, "교원")
    qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == SODI, timeout=10000)
    res.tabs.setCurrentIndex(1)
    g = res.group_combo.currentData()
    t = res.item_table
    row = next(r for r in range(t.rowCount())
               if next(i for i in res.data["by_group"][g]["items"] if i["code"] == t.item(r, 0).key)["reverse"])
    t.selectRow(row)
    code = t.item(row, 0).key
    # independent: the scored counts of the statistics, flipped back by hand (scored = k + 1 − answered)
    k = res.data["scale_points"]
    scored = next(i for i in res.data["by_group"][g]["items"] if i["code"] == code)["counts"]
    answered = [scored.get(str(k + 1 - v), 0) for v in range(1, k + 1)]
    n = sum(answered)
    assert n > 0 and answered != [scored.get(str(v), 0) for v in range(1, k + 1)]
    assert res.dist_chart.labels == [f"{lab} ({c}명)" for lab, c in zip(res.data["scale_labels"], answered)]
    values = res.dist_chart.series[0][1]
    assert all(abs(v - c / n * 100) < 1e-9 for v, c in zip(values, answered))
    assert code in res.dist_caption.text() and "역문항" in res.dist_caption.text()
