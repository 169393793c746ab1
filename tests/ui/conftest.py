"""UI fixtures: a main window on a copied workspace, isolated QSettings, helpers to wait for jobs."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def _collect_on_gui_thread():
    """The app disables automatic GC (ui/gcguard.py); collect here, on the GUI thread, after each test
    so widgets of finished tests are never freed by a worker thread."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _window(qtbot, path):
    from schoolvault.ui.app import make_app
    from schoolvault.ui.mainwindow import MainWindow
    make_app()
    w = MainWindow(path)
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    wait_idle(qtbot, w)
    return w


def wait_idle(qtbot, w, timeout=10000):
    qtbot.waitUntil(lambda: w.session.runner.idle and w.session.saver.idle, timeout=timeout)


def type_text(widget, text: str) -> None:
    """Type Korean text key by key (QTest.keyClicks only knows ASCII); each key goes through the
    widget's event handling like a real keystroke, so textChanged and autosave fire as in use."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


@pytest.fixture
def typer():
    return type_text


@pytest.fixture
def idle(qtbot):
    """idle(window): wait until the window's queued workspace jobs have run."""
    return lambda w, timeout=10000: wait_idle(qtbot, w, timeout)


@pytest.fixture
def demo_window(qtbot, demo_ws_path):
    w = _window(qtbot, demo_ws_path)
    yield w
    w.close()


@pytest.fixture
def fresh_window(qtbot, fresh_ws_path):
    w = _window(qtbot, fresh_ws_path)
    yield w
    w.close()
