"""The district page: import a folder on the job thread, tables by level and district, one school, export."""

from __future__ import annotations

import pytest

from schoolvault.district import demo

N = 6


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    out = tmp_path_factory.mktemp("subs")
    demo.write_demo_district(N, out, seed=4)
    (out / "메모.xlsx").write_text("이건 워크북이 아닙니다", encoding="utf-8")
    return out


@pytest.fixture
def page(qtbot, tmp_path):
    from schoolvault.ui.app import make_app
    from schoolvault.ui.pages.district import DistrictPage
    make_app()
    p = DistrictPage(tmp_path / "district.sqlite")
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    qtbot.waitUntil(lambda: p.loaded, timeout=10000)
    yield p
    p.session.close()


def test_an_empty_district_workspace_says_what_to_do(page):
    assert "폴더 가져오기" in page.summary.text()
    assert not page.btn_pdf.isEnabled()
    assert page.school_table.rowCount() == 0


def test_importing_a_folder_fills_the_tables_and_lists_the_refused_file(page, qtbot, submissions):
    page.loaded = False
    page.import_paths([str(submissions)])
    qtbot.waitUntil(lambda: page.last_import is not None and page.loaded, timeout=20000)
    assert page.last_import["imported"] == N and page.last_import["refused"] == 1
    assert "메모.xlsx" in page.log.toPlainText()
    assert page.school_table.rowCount() == N
    levels = {page.stats["schools"][i]["level"] for i in range(N)}
    assert page.level_table.columnCount() == 2 + len(levels)
    assert page.level_table.rowCount() > 10
    assert page.district_table.columnCount() == 2 + len(page.stats["by_district"])
    assert page.ratings_table.rowCount() == len(page.stats["indicators"]["overall"])
    assert f"학교 {N}개" in page.summary.text()
    # a respondent group's view differs from the all-groups view
    first = page.level_table.item(0, 2).text()
    page.group.setCurrentIndex(page.group.findData("학생"))
    assert page.level_table.item(0, 2).text() != first


def test_drilling_into_one_school_shows_its_own_rows(page, qtbot, submissions):
    page.loaded = False
    page.import_paths([str(submissions)])
    qtbot.waitUntil(lambda: page.last_import is not None and page.loaded, timeout=20000)
    name = page.stats["schools"][0]["name"]
    page.select_school(name)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=10000)
    assert page.detail["school"].school_name == name
    assert name in page.school_title.text()
    assert page.school_rows.rowCount() > 20
    t = page.school_rows
    shown = [(t.item(r, 1).text(), t.item(r, 5).text()) for r in range(t.rowCount()) if t.item(r, 0).text() == "영역 4단계"]
    grid = page.stats["schools"][0]["area_levels"]
    # "3.9 우수" per group and 영역 as the school submitted it; an n<5 group has no figure
    got = sorted((g, v.split(" ", 1)[1] if v else "n<5") for g, v in shown)
    assert got == sorted((g, grid[a][g]) for a in grid for g in grid[a])


def test_export_writes_the_pdf_and_the_benchmark(page, qtbot, submissions, tmp_path):
    page.loaded = False
    page.import_paths([str(submissions)])
    qtbot.waitUntil(lambda: page.last_import is not None and page.loaded, timeout=20000)
    assert page.btn_pdf.isEnabled()
    page.export(tmp_path / "종합.pdf")
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=30000)
    assert (tmp_path / "종합.pdf").read_bytes().startswith(b"%PDF")
    page.last_export = None
    page.export(tmp_path / "벤치.json")
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=10000)
    assert page.last_export["n_schools"] == N


def test_the_school_table_sorts_scores_as_numbers(page, qtbot, submissions):
    from PySide6.QtCore import Qt

    from schoolvault.ui.pages.district import _item
    assert _item("9.0", number=9.0) < _item("10.0", number=10.0)  # as text, "10.0" would come first
    assert _item("–", number=None) < _item("1.0", number=1.0)
    page.loaded = False
    page.import_paths([str(submissions)])
    qtbot.waitUntil(lambda: page.last_import is not None and page.loaded, timeout=20000)
    page.school_table.sortItems(4, Qt.AscendingOrder)
    shown = [float(page.school_table.item(r, 4).text()) for r in range(page.school_table.rowCount())]
    assert shown == sorted(shown)


def test_the_window_hook_opens_the_district_workspace_in_the_data_folder(qtbot, tmp_path, monkeypatch):
    from schoolvault.ui.app import make_app
    from schoolvault.ui.pages.district import open_district_window
    make_app()
    monkeypatch.setenv("SCHOOLVAULT_DATA_DIR", str(tmp_path / "data"))
    w = open_district_window()
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.loaded, timeout=10000)
    assert w.isWindow() and w.session.path == tmp_path / "data" / "district.sqlite"
    w.session.close()


def test_the_area_level_tab_shows_schools_per_4단계_as_district_stats_counts_them(page, qtbot, submissions):
    page.loaded = False
    page.import_paths([str(submissions)])
    qtbot.waitUntil(lambda: page.last_import is not None and page.loaded, timeout=20000)
    al = page.stats["area_levels"]
    labels = al["labels"]
    t = page.area_table
    assert t.rowCount() == sum(len(g) for g in al["cells"].values()) > 0
    header = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert header[2:2 + len(labels)] == labels
    area, group = next(iter(al["cells"])), al["cells"][next(iter(al["cells"]))][0]
    shown = [int(t.item(0, 2 + i).text()) for i in range(len(labels))]
    assert t.item(0, 1).text() == group
    assert shown == [al["overall"][area][group]["levels"][lab] for lab in labels]
    assert sum(shown) + al["overall"][area][group]["suppressed"] <= N
    lv = next(iter(al["by_level"]))
    page.area_scope.setCurrentIndex(page.area_scope.findData(f"by_level\t{lv}"))
    assert [int(t.item(0, 2 + i).text()) for i in range(len(labels))] == \
        [al["by_level"][lv][area][group]["levels"][lab] for lab in labels]
