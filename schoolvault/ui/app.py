"""`schoolvault [--db PATH]`: start the GUI on a workspace (default: the user's data directory)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from .. import APP_NAME, __version__

log = logging.getLogger(__name__)

ORG_NAME = "SchoolVault"
FONT_FAMILIES = ("NanumGothic", "NanumBarunGothic", "Malgun Gothic", "맑은 고딕", "Apple SD Gothic Neo",
                 "Noto Sans CJK KR", "Noto Sans KR", "UnDotum")


def default_db_path() -> Path:
    from ..paths import default_workspace

    return default_workspace()  # the same file the CLI opens and the installer keeps


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="schoolvault", description="SchoolVault 학교평가 도우미")
    p.add_argument("--db", metavar="PATH", help="작업 파일 (기본: 사용자 데이터 폴더의 workspace.sqlite)")
    p.add_argument("--version", action="version", version=f"SchoolVault {__version__}")
    return p.parse_args(argv)


def register_fonts() -> str | None:
    """Register the shipped Nanum fonts and pick a family that can draw Korean; returns it."""
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    from ..resources import fonts_dir

    d = fonts_dir()
    if d.is_dir():
        for f in sorted(d.glob("*.[ot]tf")):
            if QFontDatabase.addApplicationFont(str(f)) < 0:
                log.warning("font not loaded: %s", f)
    families = set(QFontDatabase.families())
    chosen = next((f for f in FONT_FAMILIES if f in families), None)
    font = QApplication.font()
    if chosen:
        font.setFamilies([chosen, *[f for f in FONT_FAMILIES if f in families and f != chosen]])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    QApplication.setFont(font)
    return chosen


def install_qt_korean(app) -> bool:
    """Korean for Qt's own buttons and dialogs (확인, 취소, 파일 열기); the bundle ships qtbase_ko.qm."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if app.findChild(QTranslator, "qt_ko") is not None:  # make_app runs again in tests
        return True
    qt_ko = QTranslator(app)
    qt_ko.setObjectName("qt_ko")
    if qt_ko.load(QLocale(QLocale.Korean, QLocale.SouthKorea), "qtbase", "_",
                  QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return app.installTranslator(qt_ko)
    log.warning("Qt Korean translation (qtbase_ko.qm) not found")
    return False


def make_app(argv: list[str] | None = None):
    """The QApplication with names, style and fonts set (reused if one exists, e.g. in tests)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("SchoolVault 학교평가")
    from PySide6.QtWidgets import QStyleFactory
    if "Fusion" in list(QStyleFactory.keys()):
        app.setStyle("Fusion")
    install_qt_korean(app)
    register_fonts()
    from . import gcguard
    gcguard.install(app)
    from .. import themes
    themes.use_keyword_process()  # Kiwi's load holds the GIL for ~1.4 s: keep it off this process
    from PySide6.QtGui import QIcon

    from ..resources import resource_dir
    icon = resource_dir() / "icons" / "schoolvault.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    logging.basicConfig(level=os.environ.get("SCHOOLVAULT_LOG", "WARNING"))
    args = parse_args(argv if argv is not None else sys.argv[1:])
    path = Path(args.db) if args.db else default_db_path()
    app = make_app()

    from .errors import install_excepthook
    from .mainwindow import open_window
    from .opening import needs_setup_safely

    install_excepthook()
    # first run (school setup), a file another SchoolVault holds (read-only / wait / close), a
    # damaged file (restore its latest good backup) and other errors are handled there
    new = needs_setup_safely(path)
    win = open_window(path, at_start=True)
    if win is None:
        return 0 if new else 1
    win.show()
    win.after_open()
    log.info("window shown %.3f s after start", time.perf_counter() - started)
    if os.environ.get("SCHOOLVAULT_STARTUP_TIME"):
        print(f"startup {time.perf_counter() - started:.3f} s", file=sys.stderr)
    if os.environ.get("SCHOOLVAULT_SMOKE_EXIT"):  # installer/smoke_test.py: quit once the dashboard loads
        from .smoke import quit_when_dashboard_loaded
        quit_when_dashboard_loaded(app, win, started)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
