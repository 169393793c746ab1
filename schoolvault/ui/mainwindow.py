"""The main window: navigation between the year's steps, menus, About box, remembered geometry; and
`open_window`, which opens one on a workspace (asking what opening.py asks: first run, in use, damaged)."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__, services
from ..errors import SchoolVaultError
from ..workspace import lock
from ..workspace import school as school_db
from ..workspace.backup import WorkspaceDamaged
from ..workspace.restore import restore_backup
from . import errors as ui_errors
from . import opening
from . import readonly as ro
from .errors import show_error, show_info
from .session import ALL, RESPONSES, ReadOnlyWorkspace, Session

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
QFrame#readonly { background: #fff4d6; border-bottom: 1px solid #e0b84c; }
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


def _year_info(ws):
    """The school, the year shown and every year of the workspace (a past year opens read-only)."""
    s, year = services.require_school(ws)
    return s, year, school_db.years(ws)


class MainWindow(QMainWindow):
    """One workspace open; `workspace_changed(flags)` tells pages what a job changed."""

    workspace_changed = Signal(object)

    def __init__(self, ws_path: str | Path, *, readonly: bool = False):
        super().__init__()
        # readonly: another instance holds the file; jobs read, every write is refused (Session)
        self.session = Session(ws_path, self, readonly=readonly)
        self.readonly = readonly
        self.restored: dict | None = None  # set by open_window after restoring a backup
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
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = self._readonly_banner() if readonly else None
        if self.banner is not None:
            outer.addWidget(self.banner)
        # a past year (chosen on the dashboard) opens read-only until unlocked on purpose
        self.year: int | None = None
        self.latest_year: int | None = None
        self.unlocked_year: int | None = None
        self.past_banner = self._past_year_banner()
        outer.addWidget(self.past_banner)
        lay = QHBoxLayout()
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        outer.addLayout(lay, 1)
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

    def _readonly_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("readonly")
        row = QHBoxLayout(banner)
        row.setContentsMargins(16, 8, 16, 8)
        text = QLabel("<b>읽기 전용</b> — 다른 SchoolVault 창(또는 컴퓨터)이 이 작업 파일을 쓰고 있어 "
                      "내용을 볼 수만 있습니다. 여기서 바꾼 내용은 저장되지 않습니다.")
        text.setWordWrap(True)
        again = QPushButton("쓰기 모드로 다시 열기")
        again.setToolTip("다른 창을 닫았으면 눌러서 쓰기 가능하게 다시 엽니다.")
        again.clicked.connect(lambda: self.switch_to(self.session.path))
        row.addWidget(text, 1)
        row.addWidget(again)
        self.reopen_button = again
        return banner

    def _past_year_banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("readonly")
        row = QHBoxLayout(banner)
        row.setContentsMargins(16, 8, 16, 8)
        self.past_label = QLabel("")
        self.past_label.setWordWrap(True)
        self.unlock_button = QPushButton("지난 학년도 고치기…")
        self.unlock_button.setToolTip("지난 학년도의 자체평가·계획·설문을 고칠 수 있게 합니다.")
        self.unlock_button.clicked.connect(lambda: self.unlock_past_year())
        row.addWidget(self.past_label, 1)
        row.addWidget(self.unlock_button)
        banner.hide()
        return banner

    def past_year_locked(self) -> bool:
        return (self.year is not None and self.latest_year is not None and self.year < self.latest_year
                and self.unlocked_year != self.year)

    def read_only_reason(self) -> str | None:
        """Why nothing may be edited in this window now, or None."""
        if self.readonly:
            return ro.HELD_REASON
        if self.past_year_locked():
            return ro.past_year_reason(self.year, self.latest_year)
        return None

    def apply_read_only(self) -> None:
        """The one place that locks or unlocks the edit widgets of every page and extra window."""
        reason = self.read_only_reason()
        past = self.past_year_locked() and not self.readonly
        self.past_banner.setVisible(past)
        if past:
            self.past_label.setText(f"<b>{self.year}학년도 (지난 학년도) — 읽기 전용</b> · 보기만 할 수 있습니다. "
                                    f"지금 학년도({self.latest_year}학년도)로 돌아가려면 대시보드에서 고르세요.")
        for a in (self.act_import, self.act_paper, self.act_builder):
            a.setEnabled(reason is None)
        for w in list(self.pages.values()) + self._open_extra_windows():
            ro.apply(w, reason, held=self.readonly)

    def confirm_unlock(self) -> bool:
        return QMessageBox.question(
            self, "지난 학년도 고치기",
            f"{self.year}학년도는 지난 학년도입니다. 이미 낸 결과와 달라질 수 있습니다.\n"
            "그래도 고치시겠습니까? (다른 학년도로 옮기면 다시 읽기 전용이 됩니다.)") == QMessageBox.Yes

    def unlock_past_year(self, *, confirm: bool = True) -> bool:
        """'지난 학년도 고치기': edit a past year on purpose, after a confirmation."""
        if not self.past_year_locked() or self.readonly:
            return False
        if confirm and not self.confirm_unlock():
            return False
        self.unlocked_year = self.year
        self.apply_read_only()
        self._update_title()
        self.set_status(f"{self.year}학년도를 고칠 수 있습니다.")
        return True

    def _preload_next(self) -> None:
        if self._preload:
            self.page(self._preload.pop(0))
            QTimer.singleShot(30, self._preload_next)

    # ------------------------------------------------------------ actions and menus
    def _create_actions(self) -> None:
        mb = self.menuBar()
        m_file = mb.addMenu("파일(&F)")
        self.act_open = QAction("작업 파일 열기…", self, triggered=lambda: self.open_file())
        self.act_open.setShortcut(QKeySequence.Open)
        self.act_new_file = QAction("새 작업 파일…", self, triggered=lambda: self.new_file())
        self.recent_menu = QMenu("최근 작업 파일", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.act_backups = QAction("백업 및 복원…", self, triggered=self.open_backups)
        self.act_locations = QAction("작업 파일 위치…", self, triggered=self.show_locations)
        self.act_school = QAction("학교 정보 수정…", self, triggered=self.edit_school)
        self.act_new_year = QAction("새 학년도 시작…", self, triggered=self.start_new_year)
        self.act_quit = QAction("끝내기", self, triggered=self.close)
        self.act_quit.setShortcut(QKeySequence.Quit)
        m_file.addAction(self.act_open)
        m_file.addAction(self.act_new_file)
        m_file.addMenu(self.recent_menu)
        m_file.addSeparator()
        m_file.addAction(self.act_backups)
        m_file.addAction(self.act_locations)
        m_file.addSeparator()
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

        if self.readonly:  # these only write; the banner says why they are off
            for a in (self.act_school, self.act_new_year, self.act_import, self.act_paper, self.act_builder):
                a.setEnabled(False)

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
            ro.apply(w, self.read_only_reason(), held=self.readonly)
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
            s, year, years = info
            if year != self.year:  # another year: a past one is locked again
                self.unlocked_year = None
            self.year, self.latest_year = year, max(years, default=year)
            past = self.past_year_locked()
            self.setWindowTitle(f"SchoolVault — {s.name} {year}학년도"
                                + (" [읽기 전용]" if self.readonly else " [지난 학년도 · 읽기 전용]" if past else ""))
            self.apply_read_only()
        self.session.run(_year_info, on_done=done)

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

    def _show_window(self, w: QWidget) -> QWidget:
        """Show a tool window (import wizard, paper entry, survey builder, comment picker) over this one.

        It got the workspace path and this window as parent (so it shares our job runner); when it
        imports or saves answers, the pages that show responses refresh.
        """
        w.setWindowFlag(Qt.Window, True)
        ro.apply(w, self.read_only_reason(), held=self.readonly)
        # imported/saved: answers; created: a new survey (the survey lists read the same flag)
        for name in ("imported", "saved", "created"):
            sig = getattr(w, name, None)
            if sig is not None:
                sig.connect(lambda *_: self.notify_changed(frozenset({RESPONSES})))
        # kept (not deleted on close): a job it queued may still answer after the window is closed
        self.extra_windows.append(w)
        w.show()
        return w

    def open_import_wizard(self, instrument_id: str | None = None, group: str | None = None) -> QWidget:
        from .dialogs.import_wizard import ImportWizard
        return self._show_window(ImportWizard(str(self.session.path), self, instrument_id=instrument_id,
                                              group=group))

    def open_paper_entry(self) -> QWidget:
        from .pages.paper_entry import PaperEntryPage
        w = self._show_window(PaperEntryPage(str(self.session.path), self))
        w.setWindowTitle("종이 설문 입력")
        w.resize(1100, 720)
        return w

    def open_survey_builder(self) -> QWidget:
        """Its created(dict) refreshes the survey lists like an import does."""
        from .dialogs.survey_builder import SurveyBuilderDialog
        return self._show_window(SurveyBuilderDialog(str(self.session.path), self))

    def open_comment_picker(self) -> QWidget:
        """Also reached from the 결과 page's 서술형 의견 tab."""
        from .pages.comment_picker import CommentPickerPage
        return self._show_window(CommentPickerPage(str(self.session.path), self))

    # The district office's page in its own window, on its own workspace (user_data_dir()/district.sqlite),
    # never on the school's.
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

    # ------------------------------------------------------------ workspace files
    def switch_to(self, path: str | Path) -> MainWindow | None:
        """Open `path` in a new main window and close this one; this one stays when that fails."""
        new = open_window(path, self)
        if new is None:
            return None
        new.show()
        self.close()
        new.after_open()
        return new

    def open_file(self, path: str | Path | None = None) -> MainWindow | None:
        """파일 → 작업 파일 열기: any workspace, e.g. on a USB stick."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "작업 파일 열기", str(self.session.path.parent),
                                                  "SchoolVault 작업 파일 (*.sqlite);;모든 파일 (*)")
            if not path:
                return None
        path = Path(path)
        if path.resolve() == self.session.path.resolve() and not self.readonly:
            show_info(self, "작업 파일 열기", "이미 열려 있는 작업 파일입니다.")
            return None
        return self.switch_to(path)

    def new_file(self, path: str | Path | None = None) -> MainWindow | None:
        """파일 → 새 작업 파일: a new file anywhere; the school setup comes first (open_window)."""
        from ..paths import user_data_dir
        if path is None:
            start = user_data_dir() / "새 작업 파일.sqlite"
            path, _ = QFileDialog.getSaveFileName(self, "새 작업 파일", str(start), "SchoolVault 작업 파일 (*.sqlite)",
                                                  options=QFileDialog.DontConfirmOverwrite)
            if not path:
                return None
        path = Path(path)
        if path.suffix.lower() != ".sqlite":
            path = path.with_name(path.name + ".sqlite")
        if path.exists():  # never start over in an existing file
            show_info(self, "새 작업 파일", f"이미 있는 파일입니다: {path}\n열려면 '작업 파일 열기…'를 쓰세요.")
            return None
        return self.switch_to(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = str(self.session.path.resolve())
        files = [f for f in opening.recent_files() if f != current]
        for f in files:
            act = self.recent_menu.addAction(f, lambda _=False, p=f: self.open_file(p))
            act.setEnabled(Path(f).exists())
        if not files:
            self.recent_menu.addAction("(없음)").setEnabled(False)

    def open_backups(self) -> QWidget:
        from .dialogs.backups import BackupDialog
        dlg = BackupDialog(self)
        self.backup_dialog = dlg
        dlg.open()
        return dlg

    def show_locations(self) -> QWidget:
        from .dialogs.locations import LocationsDialog
        dlg = LocationsDialog(self)
        self.locations_dialog = dlg
        dlg.open()
        return dlg

    def restore_from(self, backup_path: str | Path) -> MainWindow | None:
        """Close this workspace, replace it with a backup (a safety copy is kept) and reopen it."""
        path = self.session.path
        self.shut_down()  # typed text saved, session and extra windows closed: the file is free
        try:
            result = opening.run_and_wait(restore_backup, path, backup_path, parent=self,
                                          label="백업에서 작업 파일을 복원하는 중…")
        except SchoolVaultError as e:
            show_error(self, e, modal=True)
            result = None
        new = open_window(path, self)  # the restored file, or the unchanged one if it failed
        if new is None:
            self.close()
            return None
        new.restored = result
        new.show()
        self.close()
        new.after_open()
        return new

    def after_open(self) -> None:
        """Say what happened before the window opened (a restore and where its safety copy went)."""
        if self.restored:
            from ..workspace.backup import list_backups
            source = Path(self.restored["restored_from"])
            info = next((b for b in list_backups(self.session.path) if b.path == source), None)
            what = f"{info.created:%Y-%m-%d %H:%M} 백업({info.label})" if info else source.name
            copy = self.restored.get("safety_copy")
            show_info(self, "복원했습니다",
                      f"작업 파일을 {what}으로 되돌렸습니다.\n\n"
                      + (f"복원 전 작업 파일은 안전 사본으로 남겨 두었습니다:\n{copy}" if copy
                         else "복원 전 작업 파일은 없었습니다."))

    def about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle("SchoolVault 정보")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(f"<h3>SchoolVault {__version__}</h3>"
                    "<p>학교 자체평가와 학교조직진단(SODI) 설문을 인터넷 없이 관리하는 프로그램입니다.</p>")
        from ..paths import user_data_dir
        box.setInformativeText(f"작업 파일: {self.session.path}\n기본 데이터 폴더: {user_data_dir()}\n\n"
                               "함께 제공되는 평가지표와 설문은 SchoolVault가 작성한 예시입니다.")
        box.setStandardButtons(QMessageBox.Ok)
        where = box.addButton("작업 파일 위치…", QMessageBox.ActionRole)
        where.clicked.connect(self.show_locations)
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
        self._preload.clear()
        for w in self.pages.values():
            if hasattr(w, "flush_now"):
                self._flush(w)
            if hasattr(w, "save_settings"):
                w.save_settings()
        for w in self._open_extra_windows():
            if hasattr(w, "flush_now"):
                self._flush(w)
        self.session.close()
        # closed after the session, so nothing they do on closing can reopen the workspace
        for w in self._open_extra_windows():
            w.close()
        if self.district_window is not None and shiboken6.isValid(self.district_window):
            self.district_window.close()

    def _flush(self, w: QWidget) -> None:
        try:
            w.flush_now()
        except ReadOnlyWorkspace:  # read-only window: the banner said nothing typed here is kept
            log.info("read-only workspace: unsaved edits in %s dropped", type(w).__name__)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.shut_down()
        super().closeEvent(event)


# Main windows opened through open_window, kept alive until closed (the first one app.main also holds).
windows: list[QWidget] = []


def open_window(path: str | Path, parent: QWidget | None = None, *, readonly: bool = False,
                at_start: bool = False) -> MainWindow | None:
    """A MainWindow on `path` (not shown yet), or None when the user gave up or it cannot be opened.

    A new or empty file asks for the school first. Errors other than the two handled here are
    shown as the usual Korean dialog.
    """
    path = Path(path)
    still = False
    while True:
        try:
            if not readonly and opening.needs_setup(path):
                from .dialogs.setup import SchoolSetupDialog
                dlg = SchoolSetupDialog(path, parent)
                if dlg.exec() != SchoolSetupDialog.Accepted:
                    return None
            win = MainWindow(path, readonly=readonly)
        except lock.WorkspaceInUse as e:
            choice = opening.ask_in_use(e, parent, still=still)
            if choice == opening.READONLY:
                readonly = True
            elif choice == opening.WAIT:
                try:
                    free = opening.run_and_wait(opening.wait_for_workspace, path, opening.WAIT_SECONDS, parent=parent,
                                                with_progress=True, label="다른 창이 작업 파일을 닫기를 기다리는 중…")
                except SchoolVaultError as err:
                    ui_errors.show_error(parent, err, modal=True)
                    return None
                still = not free
            else:
                return None
            continue
        except WorkspaceDamaged as e:
            if e.backup is None:
                ui_errors.show_error(parent, e, modal=True)
                return None
            if not opening.ask_restore(e, parent, give_up="끝내기" if at_start else "열지 않기"):
                return None
            try:
                result = opening.run_and_wait(restore_backup, path, e.backup, parent=parent,
                                              label="백업에서 작업 파일을 복원하는 중…")
            except SchoolVaultError as err:
                ui_errors.show_error(parent, err, modal=True)
                return None
            if result is None:
                return None
            log.info("restored %s from %s", path, e.backup)
            win = open_window(path, parent, at_start=at_start)
            if win is not None:
                win.restored = result
            return win
        except SchoolVaultError as e:
            ui_errors.show_error(parent, e, modal=True)
            return None
        opening.remember(path)
        windows.append(win)
        win.destroyed.connect(lambda *_, w=win: windows.remove(w) if w in windows else None)
        return win
