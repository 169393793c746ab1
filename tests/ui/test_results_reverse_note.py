"""A reverse item among the strengths says it is reversed, so a negative sentence at a high 긍정률 makes sense."""

from PySide6.QtCore import Qt

from schoolvault.ui.pages.results import REVERSE_NOTE

SODI = "sodi-example-2025"


def test_strengths_and_weaknesses_mark_reverse_items_and_only_those(demo_window, qtbot):
    res = demo_window.show_page("results")
    res.focus(SODI, "교원")
    qtbot.waitUntil(lambda: res.data is not None and res.data["instrument"] == SODI, timeout=10000)
    res.tabs.setCurrentIndex(3)  # 강점·약점
    group = res.group_combo.currentData()
    rows = res.data["by_group"][group]["top"] + res.data["by_group"][group]["bottom"]
    assert any(r["reverse"] for r in rows), "the demo should put a reverse item among the top/bottom five"
    widgets = [(lw, i) for lw in (res.top_list, res.bottom_list) for i in range(lw.count())]
    assert len(widgets) == len(rows)
    for (lw, i), row in zip(widgets, rows, strict=True):
        item = lw.item(i)
        assert item.data(Qt.UserRole) == row["code"]
        assert (REVERSE_NOTE in lw.itemWidget(item).text()) == bool(row["reverse"])
