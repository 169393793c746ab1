"""백업 및 복원: the workspace's backups, a backup now, and restoring one.

Listing and backing up are jobs; a restore is the main window's (`MainWindow.restore_from`),
because the workspace must be closed first and the window reopened on it afterwards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...workspace.backup import BACKUP_DIR_NAME, BackupInfo, list_backups, make_backup
from ..jobs import JobRunner
from .locations import open_folder


def size_text(n: int) -> str:
    """File size for people: 850 KB, 12.4 MB."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _list(_ws, path: Path) -> list[BackupInfo]:
    return list_backups(path)


def _backup_now(ws) -> Path:
    return make_backup(ws.path, reason="manual")


class BackupDialog(QDialog):
    def __init__(self, main: QWidget):
        super().__init__(main)
        self.main = main
        self.path = Path(main.session.path)
        self.setWindowTitle("백업 및 복원")
        self.resize(720, 480)
        self.backups: list[BackupInfo] = []
        self._news = ""  # what the last action did, kept above the count line
        self.loaded = False
        # listing reads only the folder: its own runner, so it never waits behind a long job
        self.runner = JobRunner(lambda: None, self)
        lay = QVBoxLayout(self)
        intro = QLabel("작업 파일은 하루에 한 번 처음 열 때, 큰 가져오기와 업그레이드 전에 자동으로 백업됩니다. "
                       "복원하면 지금 작업 파일은 '복원 전 안전 사본'으로 백업 폴더에 남겨 둡니다.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        folder_row = QHBoxLayout()
        self.folder_label = QLabel("")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.open_folder_button = QPushButton("폴더 열기")
        self.open_folder_button.clicked.connect(self._open_folder)
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        lay.addLayout(folder_row)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["만든 때", "종류", "크기"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setAccessibleName("백업 목록")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())
        lay.addWidget(self.table, 1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("지금 백업")
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("선택한 백업으로 복원…")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        close = QPushButton("닫기")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        if getattr(main, "readonly", False):
            self.restore_button.setToolTip("읽기 전용으로 연 작업 파일은 복원할 수 없습니다.")
        self._update_buttons()
        self.reload()

    # ------------------------------------------------------------ list
    def reload(self) -> None:
        self.runner.run(_list, self.path, on_done=self._show)

    def _show(self, backups: list[BackupInfo]) -> None:
        self.backups = backups
        self.table.setRowCount(len(backups))
        for r, b in enumerate(backups):
            cells = (f"{b.created:%Y-%m-%d %H:%M:%S}", b.label, size_text(b.size))
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setToolTip(str(b.path))
                if c == 2:
                    it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, it)
        self.table.resizeColumnToContents(0)
        folders = sorted({str(b.path.parent) for b in backups}) or [str(self.path.parent / BACKUP_DIR_NAME)]
        self.folder_label.setText("백업 폴더: " + ", ".join(folders))
        self.status.setText(self._news + (f"백업 {len(backups)}개. 되돌리려면 목록에서 백업을 고른 뒤 "
                                          "'선택한 백업으로 복원…'을 누르세요." if backups
                                          else "아직 백업이 없습니다. '지금 백업'을 누르면 만듭니다."))
        self.loaded = True
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        b = self.selected()
        # a raw copy of a damaged file is kept for experts, never offered for restoring
        self.restore_button.setEnabled(b is not None and b.reason != "damaged"
                                       and not getattr(self.main, "readonly", False))

    def _open_folder(self) -> None:
        folders = {b.path.parent for b in self.backups} or {self.path.parent / BACKUP_DIR_NAME}
        open_folder(min(folders))

    # ------------------------------------------------------------ backup now
    def backup_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.status.setText("백업하는 중…")
        session = self.main.session
        # after_saves: text typed a moment ago is in the backup too
        session.run(session.after_saves(_backup_now), on_done=self._backed_up, on_error=self._failed,
                    label="작업 파일을 백업하는 중…")

    def _backed_up(self, out: Path) -> None:
        self.backup_button.setEnabled(True)
        self._news = f"백업했습니다: {out}\n"
        self.status.setText(self._news)
        self.reload()

    def _failed(self, _exc: BaseException) -> bool:
        self.backup_button.setEnabled(True)
        self.status.setText("백업하지 못했습니다.")
        return False  # the error dialog says why and what to do

    # ------------------------------------------------------------ restore
    def confirm_restore(self, b: BackupInfo) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Warning)
        box.setWindowTitle("백업으로 복원")
        box.setText(f"작업 파일을 {b.created:%Y-%m-%d %H:%M} 백업({b.label})으로 되돌릴까요?")
        box.setInformativeText("그 뒤에 입력하거나 가져온 내용은 작업 파일에서 사라집니다. 지금 작업 파일은 "
                               "'복원 전 안전 사본'으로 백업 폴더에 남겨 두므로 나중에 다시 복원할 수 있습니다.\n\n"
                               "복원하는 동안 작업 파일을 닫았다가 다시 엽니다.")
        ok = box.addButton("복원", QMessageBox.AcceptRole)
        box.addButton("취소", QMessageBox.RejectRole)
        box.setDefaultButton(ok)
        box.exec()
        return box.clickedButton() is ok

    def restore_selected(self, confirm: bool = True):
        b = self.selected()
        if b is None or not self.restore_button.isEnabled():
            return None
        if confirm and not self.confirm_restore(b):
            return None
        self.accept()
        return self.main.restore_from(b.path)

    def done(self, result: int) -> None:
        self.runner.close()
        super().done(result)
