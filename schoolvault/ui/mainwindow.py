"""The main window: navigation between the year's steps, menus, About box, remembered geometry."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from .. import __version__, services
from .errors import show_info
from .session import ALL, RESPONSES, Session

log = logging.getLogger(__name__)

STYLE = """
QListWidget#nav { background: #1f3a5f; color: white; border: none; font-size: 11pt; }
QListWidget#nav::item { padding: 12px 16px; }
QListWidget#nav::item:selected { background: #3b6ea5; color: white; }
QLabel#hint { color: #555; }
QFrame#card { background: white; border: 1px solid #d6dde6; border-radius: 8px; }
QFrame#nextcard { background: #eaf3ff; border: 2px solid #3b6ea5; border-radius: 8px; }
QPushButton#primary { background: #2f6db5; color: white; font-weight: bold; padding: 8px 18px;
                      border-radius: 5px; }
QPushButton#primary:hover { background: #255a96; }
QPushButton#primary:disabled { background: #9bb3cf; }
"""

# (key, label, module, class); modules load on first show, like Frescobaldi's panels.
PAGES = [
    ("dashboard", "대시보드", "dashboard", "DashboardPage"),
    ("plan", "평가 계획", "plan", "PlanPage"),
    ("selfeval", "자체평가", "selfeval", "SelfEvalPage"),
    ("surveys", "설문", "surveys", "SurveysPage"),
    ("results", "결과", "results", "ResultsPage"),
    ("reports", "보고서", "reports", "ReportsPage"),
]


class MainWindow(QMainWindow):
    """One workspace open; `workspace_changed(flags)` tells pages what a job changed."""

    workspace_changed = Signal(object)

    def __init__(self, ws_path: str | Path):
        super().__init__()
        self.session = Session(ws_path, self)
        # open the workspace first: a file another SchoolVault holds, or a damaged one, raises
        # here (app.main shows it) instead of failing every job afterwards
        self.session.open()
        self.pages: dict[str, QWidget] = {}
        self.extra_windows: list[QWidget] = []
        self._shut_down = False
        self.district_window: QWidget | None = None
        self.setMinimumSize(1000, 680)
        self.setStyleSheet(STYLE)

        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(170)
        self.nav.setFocusPolicy(Qt.StrongFocus)
        for n, (key, label, _, _) in enumerate(PAGES, 1):
            item = QListWidgetItem(f"{label}")
            item.setData(Qt.UserRole, key)
            item.setToolTip(f"{label} (Ctrl+{n})")
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = QLabel("")
        self.statusBar().addPermanentWidget(self.status)

        self._create_actions()
        self.nav.currentRowChanged.connect(self._on_nav)
        self._restore_geometry()
        self.nav.setCurrentRow(0)
        self._update_title()
        # build the other pages while the user reads the dashboard, one per event-loop turn, so the
        # first click on a page does not spend ~100 ms creating its widgets
        self._preload = [p[0] for p in PAGES[1:]]
        QTimer.singleShot(300, self._preload_next)

    def _preload_next(self) -> None:
        if self._preload:
            self.page(self._preload.pop(0))
            QTimer.singleShot(30, self._preload_next)

    # ------------------------------------------------------------ actions and menus
    def _create_actions(self) -> None:
        mb = self.menuBar()
        m_file = mb.addMenu("파일(&F)")
        self.act_school = QAction("학교 정보 수정…", self, triggered=self.edit_school)
        self.act_new_year = QAction("새 학년도 시작…", self, triggered=self.start_new_year)
        self.act_quit = QAction("끝내기", self, triggered=self.close)
        self.act_quit.setShortcut(QKeySequence.Quit)
        for a in (self.act_school, self.act_new_year):
            m_file.addAction(a)
        m_file.addSeparator()
        m_file.addAction(self.act_quit)

        m_go = mb.addMenu("이동(&G)")
        for n, (key, label, _, _) in enumerate(PAGES, 1):
            act = QAction(label, self, triggered=lambda _=False, k=key: self.show_page(k))
            act.setShortcut(QKeySequence(f"Ctrl+{n}"))
            m_go.addAction(act)

        m_survey = mb.addMenu("설문(&S)")
        # Integration point: the import wizard and paper entry are separate modules (issue 3).
        self.act_import = QAction("응답 파일 가져오기…", self, triggered=lambda: self.open_import_wizard())
        self.act_import.setShortcut(QKeySequence("Ctrl+I"))
        self.act_paper = QAction("종이 설문 입력…", self, triggered=self.open_paper_entry)
        self.act_builder = QAction("문항 예시자료로 설문 만들기…", self, triggered=self.open_survey_builder)
        self.act_comments = QAction("서술형 의견 고르기…", self, triggered=self.open_comment_picker)
        for a in (self.act_import, self.act_paper, self.act_builder, self.act_comments):
            m_survey.addAction(a)

        m_tools = mb.addMenu("도구(&T)")
        self.act_district = QAction("교육지원청 분석…", self, triggered=self.open_district)
        m_tools.addAction(self.act_district)

        m_help = mb.addMenu("도움말(&H)")
        m_help.addAction(QAction("SchoolVault 정보", self, triggered=self.about))

    # ------------------------------------------------------------ pages
    def page(self, key: str):
        """The page widget for `key`, created on first use."""
        if key not in self.pages:
            _, _, module, cls = next(p for p in PAGES if p[0] == key)
            mod = importlib.import_module(f"schoolvault.ui.pages.{module}")
            w = getattr(mod, cls)(self)
            self.workspace_changed.connect(w.on_changed)
            self.pages[key] = w
            self.stack.addWidget(w)
        return self.pages[key]

    def current_key(self) -> str:
        return PAGES[self.nav.currentRow()][0]

    def show_page(self, key: str, **kwargs) -> QWidget:
        row = next(i for i, p in enumerate(PAGES) if p[0] == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        w = self.page(key)
        if kwargs and hasattr(w, "focus"):
            w.focus(**kwargs)
        return w

    def _on_nav(self, row: int) -> None:
        old = self.stack.currentWidget()
        if old is not None and hasattr(old, "leave"):
            old.leave()
        w = self.page(PAGES[row][0])
        self.stack.setCurrentWidget(w)
        w.activate()

    def go(self, target: str) -> None:
        """Open where a 'next step' points: a page key, 'midyear' or 'new_year'."""
        if target == "new_year":
            self.start_new_year()
        elif target == "midyear":
            self.show_page("selfeval", tab="midyear")
        else:
            self.show_page(target)

    # ------------------------------------------------------------ changes
    def notify_changed(self, flags: frozenset) -> None:
        if flags & {"school", "year"}:
            self._update_title()
        self.workspace_changed.emit(flags)

    def _update_title(self) -> None:
        def done(info) -> None:
            s, year = info
            self.setWindowTitle(f"SchoolVault — {s.name} {year}학년도")
        self.session.run(services.require_school, on_done=done)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    # ------------------------------------------------------------ dialogs
    def edit_school(self) -> None:
        from .dialogs.setup import SchoolSetupDialog
        dlg = SchoolSetupDialog(self.session.path, self, runner=self.session.runner)
        dlg.load_current()
        dlg.accepted.connect(lambda: self.notify_changed(ALL))
        self.school_dialog = dlg
        dlg.open()

    def start_new_year(self) -> None:
        from .dialogs.newyear import NewYearDialog
        dlg = NewYearDialog(self)
        self.new_year_dialog = dlg
        dlg.open()

    def _open_optional(self, module: str, cls: str, what: str, **kwargs) -> QWidget | None:
        """Open a window another part of the project provides (issue 3), if it is there yet.

        It gets the workspace path and this window as parent (so it shares our job runner); when
        it imports or saves answers, the pages that show responses refresh.
        """
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name and module.startswith(e.name):
                show_info(self, "준비 중", f"{what} 기능은 준비 중입니다. 다음 판에서 쓸 수 있습니다.")
                return None
            raise
        factory = getattr(mod, cls)
        params = inspect.signature(factory).parameters
        w = factory(str(self.session.path), self, **{k: v for k, v in kwargs.items() if k in params and v})
        w.setWindowFlag(Qt.Window, True)
        # imported/saved: answers; created: a new survey (the survey lists read the same flag)
        for name in ("imported", "saved", "created"):
            sig = getattr(w, name, None)
            if sig is not None:
                sig.connect(lambda *_: self.notify_changed(frozenset({RESPONSES})))
        # kept (not deleted on close): a job it queued may still answer after the window is closed
        self.extra_windows.append(w)
        w.show()
        return w

    # Integration point (issue 3): ui/dialogs/import_wizard.py provides ImportWizard(ws_path, parent,
    # instrument_id=, group=). Were it missing, a plain file/survey/group dialog calls the core import.
    def open_import_wizard(self, instrument_id: str | None = None, group: str | None = None) -> QWidget | None:
        if importlib.util.find_spec("schoolvault.ui.dialogs.import_wizard") is not None:
            return self._open_optional("schoolvault.ui.dialogs.import_wizard", "ImportWizard", "응답 파일 가져오기",
                                       instrument_id=instrument_id, group=group)
        from .dialogs.simple_import import SimpleImportDialog
        if getattr(self, "import_dialog", None) is not None:
            self.import_dialog.deleteLater()
        dlg = SimpleImportDialog(self, instrument_id, group)
        self.import_dialog = dlg
        dlg.open()
        return dlg

    # Integration point (issue 3): ui/pages/paper_entry.py provides PaperEntryPage(ws_path, parent).
    def open_paper_entry(self) -> QWidget | None:
        w = self._open_optional("schoolvault.ui.pages.paper_entry", "PaperEntryPage", "종이 설문 입력")
        if w is not None:
            w.setWindowTitle("종이 설문 입력")
            w.resize(1100, 720)
        return w

    # Integration point: ui/dialogs/survey_builder.py provides SurveyBuilderDialog(ws_path, parent);
    # its created(dict) refreshes the survey lists like an import does.
    def open_survey_builder(self) -> QWidget | None:
        return self._open_optional("schoolvault.ui.dialogs.survey_builder", "SurveyBuilderDialog",
                                   "문항 예시자료로 설문 만들기")

    # Also reached from the 결과 page's 서술형 의견 tab.
    def open_comment_picker(self) -> QWidget | None:
        return self._open_optional("schoolvault.ui.pages.comment_picker", "CommentPickerPage", "의견 고르기")

    # Integration point (issue 6): the district office's page in its own window, on its own
    # workspace (user_data_dir()/district.sqlite), never on the school's.
    def open_district(self) -> QWidget:
        from .pages.district import open_district_window
        w = self.district_window if self.district_window is not None and shiboken6.isValid(self.district_window) \
            else None
        if w is None:
            w = open_district_window(self)
            self.district_window = w
        w.show()
        w.raise_()
        w.activateWindow()
        return w

    def about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle("SchoolVault 정보")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(f"<h3>SchoolVault {__version__}</h3>"
                    "<p>학교 자체평가와 학교조직진단(SODI) 설문을 인터넷 없이 관리하는 프로그램입니다.</p>")
        box.setInformativeText(f"작업 파일: {self.session.path}\n"
                               "함께 제공되는 평가지표와 설문은 SchoolVault가 작성한 예시입니다.")
        box.setStandardButtons(QMessageBox.Ok)
        self.about_box = box
        box.open()
        return box

    # ------------------------------------------------------------ geometry and closing
    def _restore_geometry(self) -> None:
        s = QSettings()
        geo = s.value("main_window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        else:  # a first start: large, but never beyond the screen (1366×768 laptops are common)
            avail = self.screen().availableGeometry()
            self.resize(min(1280, avail.width() - 40), min(820, avail.height() - 60))

    def _open_extra_windows(self) -> list[QWidget]:
        """Extra windows (paper entry, wizard, picker, district) whose C++ side still exists."""
        return [w for w in self.extra_windows if shiboken6.isValid(w)]

    def shut_down(self) -> None:
        """Save what is typed anywhere, close the session, then the extra windows (idempotent).

        Extra windows are flushed before the session closes: paper answers typed within the
        autosave delay would otherwise be lost when the window quits.
        """
        if self._shut_down:
            return
        self._shut_down = True
        for w in self.pages.values():
            if hasattr(w, "flush_now"):
                w.flush_now()
            if hasattr(w, "save_settings"):
                w.save_settings()
        for w in self._open_extra_windows():
            if hasattr(w, "flush_now"):
                w.flush_now()
        self.session.close()
        # closed after the session, so nothing they do on closing can reopen the workspace
        for w in self._open_extra_windows():
            w.close()
        if self.district_window is not None and shiboken6.isValid(self.district_window):
            self.district_window.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.shut_down()
        super().closeEvent(event)
