"""Where the files are (작업 파일 위치): this workspace, the default data folder, the backups folder.

Teachers move workspaces on USB sticks and ask the IT teacher where "the file" is; this dialog
answers with paths they can copy and buttons that open the folders.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...paths import DEFAULT_WORKSPACE_NAME, user_data_dir
from ...workspace.backup import BACKUP_DIR_NAME


def open_folder(folder: Path) -> bool:
    """Show `folder` in the system's file manager (created first when it is the data folder)."""
    folder = Path(folder)
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class LocationsDialog(QDialog):
    def __init__(self, main: QWidget):
        super().__init__(main)
        self.setWindowTitle("작업 파일 위치")
        self.setMinimumWidth(640)
        ws = Path(main.session.path)
        self.folders = {"workspace": ws.parent, "data": user_data_dir(), "backups": ws.parent / BACKUP_DIR_NAME}
        lay = QVBoxLayout(self)
        grid = QGridLayout()
        rows = (("workspace", "지금 작업 파일", str(ws)),
                ("data", "기본 데이터 폴더", str(self.folders["data"])),
                ("backups", "백업 폴더", str(self.folders["backups"])))
        self.buttons: dict[str, QPushButton] = {}
        self.paths: dict[str, QLabel] = {}
        for r, (key, title, text) in enumerate(rows):
            grid.addWidget(QLabel(f"<b>{title}</b>"), r, 0, Qt.AlignTop)
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            grid.addWidget(value, r, 1)
            b = QPushButton("폴더 열기")
            b.setAccessibleName(f"{title} 폴더 열기")
            b.clicked.connect(lambda _=False, k=key: open_folder(self.folders[k]))
            if key == "backups" and not self.folders[key].is_dir():
                b.setEnabled(False)
                b.setToolTip("아직 백업이 없습니다.")
            grid.addWidget(b, r, 2, Qt.AlignTop)
            self.buttons[key], self.paths[key] = b, value
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        note = QLabel(f"기본 데이터 폴더에는 처음 만든 작업 파일({DEFAULT_WORKSPACE_NAME})이 있고, 프로그램을 지우거나 "
                      "업데이트해도 그대로 남습니다. USB 등 다른 곳에 있는 작업 파일은 파일 → 작업 파일 열기로 엽니다.")
        note.setWordWrap(True)
        note.setObjectName("hint")
        lay.addWidget(note)
        box = QDialogButtonBox(QDialogButtonBox.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
