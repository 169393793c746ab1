"""Safety in the GUI: a workspace held elsewhere, a damaged one, backups and restore, other files."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication

from schoolvault.workspace.backup import check_file, list_backups, make_backup


def click_in_modal(name: str, then=None) -> None:
    """Press the button named `name` in the next modal dialog (as the user would), then run `then`."""
    tries = [0]

    def attempt():
        box = QApplication.activeModalWidget()
        button = box.findChild(QAbstractButton, name) if box is not None else None
        if button is None:
            tries[0] += 1
            assert tries[0] < 200, f"no modal dialog with {name!r}"
            QTimer.singleShot(25, attempt)
            return
        shown.append(box)
        button.click()
        if then is not None:
            then()
    shown: list = []
    QTimer.singleShot(0, attempt)
    return shown


@pytest.fixture
def holder(fresh_ws_path):
    """Another SchoolVault (a separate process) holding the workspace's write lock."""
    procs = []

    def start(seconds: float):
        code = ("import time; from schoolvault.workspace import open_workspace; "
                f"ws = open_workspace({str(fresh_ws_path)!r}); print('held', flush=True); time.sleep({seconds}); "
                "ws.close()")
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        procs.append(p)
        assert p.stdout.readline().strip() == "held"
        return p
    yield start
    for p in procs:
        p.kill()
        p.wait(10)


def _track(qtbot, w):
    if w is not None:
        qtbot.addWidget(w)
        qtbot.waitUntil(lambda: w.session.runner.idle, timeout=10000)
    return w


def test_a_held_workspace_opens_read_only_with_a_banner_and_refuses_writes_in_korean(
        qtbot, qapp, holder, fresh_ws_path):
    from schoolvault import services
    from schoolvault.ui import errors as ui_errors
    from schoolvault.ui import mainwindow, opening
    from schoolvault.ui.session import READ_ONLY_MESSAGE
    holder(30)
    boxes = click_in_modal(opening.READONLY)
    w = _track(qtbot, mainwindow.open_window(fresh_ws_path))
    assert boxes and boxes[0].windowTitle() == "작업 파일이 사용 중입니다"
    assert {b.text() for b in boxes[0].buttons()} == {"읽기 전용으로 열기", "기다렸다가 다시 시도", "닫기"}
    w.show()
    assert w.readonly and w.banner.isVisible() and "읽기 전용" in w.banner.findChild(type(w.status)).text()
    qtbot.waitUntil(lambda: "[읽기 전용]" in w.windowTitle(), timeout=5000)
    assert not w.act_school.isEnabled() and not w.act_import.isEnabled()
    before = fresh_ws_path.read_bytes()
    # an explicit write: one Korean dialog, no traceback
    ui_errors.last_box = None
    w.session.run(services.new_year)
    qtbot.waitUntil(lambda: ui_errors.last_box is not None, timeout=5000)
    assert ui_errors.last_box.text() == READ_ONLY_MESSAGE and not ui_errors.last_box.detailedText()
    ui_errors.last_box.close()
    # autosave: said once, then quiet (the banner says it)
    ui_errors.last_box = None
    for _ in range(3):
        w.session.save(services.new_year)
    qtbot.waitUntil(lambda: w.session.saver.refusals == 3, timeout=5000)
    assert ui_errors.last_box is not None and ui_errors.last_box.text() == READ_ONLY_MESSAGE
    ui_errors.last_box.close()
    w.close()  # closing does not raise either
    assert fresh_ws_path.read_bytes() == before


def test_waiting_for_the_other_window_opens_the_workspace_for_writing(qtbot, qapp, holder, fresh_ws_path):
    from schoolvault.ui import mainwindow, opening
    holder(1.0)
    boxes = click_in_modal(opening.WAIT)
    w = _track(qtbot, mainwindow.open_window(fresh_ws_path))
    assert boxes and w is not None and not w.readonly and w.banner is None
    w.close()


def test_closing_the_in_use_question_opens_nothing(qtbot, qapp, holder, fresh_ws_path):
    from schoolvault.ui import mainwindow, opening
    holder(30)
    click_in_modal(opening.CLOSE)
    assert mainwindow.open_window(fresh_ws_path) is None


def test_a_damaged_workspace_is_restored_from_its_latest_backup_when_the_user_agrees(qtbot, qapp, demo_ws_path):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "safety"))
    from safety_helpers import corrupt

    from schoolvault.ui import errors as ui_errors
    from schoolvault.ui import mainwindow
    good = make_backup(demo_ws_path, reason="manual")
    corrupt(demo_ws_path)
    boxes = click_in_modal("restore")
    w = _track(qtbot, mainwindow.open_window(demo_ws_path, at_start=True))
    assert boxes[0].windowTitle() == "작업 파일이 손상되었습니다" and good.name in boxes[0].informativeText()
    assert w is not None and not check_file(demo_ws_path)
    assert w.restored["restored_from"] == str(good)
    kept = [b for b in list_backups(demo_ws_path) if b.reason == "damaged"]
    assert len(kept) == 1 and w.restored["safety_copy"] == str(kept[0].path)
    w.show()
    w.after_open()
    assert ui_errors.last_box.windowTitle() == "복원했습니다" and str(kept[0].path) in ui_errors.last_box.text()
    ui_errors.last_box.close()
    w.close()


def test_the_backup_dialog_lists_backs_up_now_and_restores_the_chosen_backup(demo_window, qtbot, idle, demo_ws_path):
    from schoolvault import services
    from schoolvault.ui import errors as ui_errors
    from schoolvault.ui.dialogs.backups import BackupDialog
    d = demo_window.open_backups()
    assert isinstance(d, BackupDialog)
    qtbot.waitUntil(lambda: d.loaded, timeout=5000)
    n0 = d.table.rowCount()
    assert n0 == len(list_backups(demo_ws_path))
    d.backup_button.click()
    qtbot.waitUntil(lambda: d.table.rowCount() == n0 + 1, timeout=10000)
    assert d.table.item(0, 1).text() == "수동" and "백업했습니다" in d.status.text()
    manual = d.backups[0]
    assert manual.reason == "manual" and not check_file(manual.path)
    # a change after the backup, then restore the backup: the change is gone, a safety copy kept
    assert demo_window.session.call_now(services.require_school)[1] == 2025
    demo_window.session.call_now(services.new_year)
    assert demo_window.session.call_now(services.require_school)[1] == 2026
    d.table.selectRow(0)
    assert d.restore_button.isEnabled()
    new = d.restore_selected(confirm=False)
    qtbot.addWidget(new)
    idle(new)
    assert new is not demo_window and new.session.path == demo_ws_path and not demo_window.isVisible()
    assert new.session.call_now(services.require_school)[1] == 2025
    copies = [b for b in list_backups(demo_ws_path) if b.reason == "restore"]
    assert len(copies) == 1 and str(copies[0].path) in ui_errors.last_box.text()
    ui_errors.last_box.close()
    new.close()


def test_another_workspace_opens_from_the_file_menu_and_is_remembered(demo_window, qtbot, fresh_ws_path,
                                                                       demo_ws_path, monkeypatch, idle):
    from schoolvault.ui import mainwindow, opening
    monkeypatch.setattr(mainwindow.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(fresh_ws_path), "")))
    demo_window.act_open.trigger()
    new = mainwindow.windows[-1]
    qtbot.addWidget(new)
    idle(new)
    assert new.session.path == fresh_ws_path and new.isVisible() and not demo_window.isVisible()
    assert opening.recent_files()[0] == str(fresh_ws_path.resolve())
    # the file already open is not opened twice
    assert new.open_file(fresh_ws_path) is None
    # the recent menu offers the other files, not the open one, and opens them
    opening.remember(demo_ws_path)
    opening.remember(fresh_ws_path)
    new.recent_menu.aboutToShow.emit()
    actions = {a.text(): a for a in new.recent_menu.actions()}
    assert str(fresh_ws_path.resolve()) not in actions
    actions[str(demo_ws_path.resolve())].trigger()
    back = mainwindow.windows[-1]
    qtbot.addWidget(back)
    idle(back)
    assert back.session.path.resolve() == demo_ws_path.resolve() and not new.isVisible()
    back.close()


def test_a_new_workspace_starts_with_the_school_setup_and_never_overwrites(fresh_window, qtbot, tmp_path, idle):
    from PySide6.QtWidgets import QDialogButtonBox

    from schoolvault import services
    from schoolvault.ui import errors as ui_errors
    from schoolvault.ui.dialogs.setup import SchoolSetupDialog
    assert fresh_window.new_file(fresh_window.session.path) is None  # exists: refused, nothing touched
    assert "이미 있는 파일" in ui_errors.last_box.text()
    ui_errors.last_box.close()

    def fill():
        d = QApplication.activeModalWidget()
        if not isinstance(d, SchoolSetupDialog):
            QTimer.singleShot(25, fill)
            return
        d.name.setText("부산새싹초등학교")
        d.buttons.button(QDialogButtonBox.Ok).click()
    QTimer.singleShot(0, fill)
    usb = tmp_path / "usb" / "새 학교"  # the suffix is added
    new = fresh_window.new_file(usb)
    qtbot.addWidget(new)
    idle(new)
    assert new.session.path == usb.with_name("새 학교.sqlite")
    assert new.session.call_now(services.require_school)[0].name == "부산새싹초등학교"
    new.close()


def test_the_locations_dialog_shows_the_workspace_and_the_data_folder_and_opens_them(
        fresh_window, monkeypatch, tmp_path):
    from schoolvault.paths import DATA_DIR_ENV
    from schoolvault.ui.dialogs import locations
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "데이터"))
    opened = []
    monkeypatch.setattr(locations.QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    box = fresh_window.about()
    assert str(tmp_path / "데이터") in box.informativeText() and str(fresh_window.session.path) in box.informativeText()
    box.close()
    d = fresh_window.show_locations()
    assert d.paths["workspace"].text() == str(fresh_window.session.path)
    assert d.paths["data"].text() == str(tmp_path / "데이터")
    d.buttons["data"].click()
    d.buttons["workspace"].click()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "데이터"), str(fresh_window.session.path.parent)]
    assert (tmp_path / "데이터").is_dir()
    d.close()
