"""Reading open-ended answers (서술형 의견) and picking the ones the report quotes.

Meaningless answers (없음, 없습니다, only dots …) are hidden unless asked for. A comment flagged at import
for personal data (phone, e-mail, 주민등록번호, a name) carries a visible mark and a tooltip saying what was
found and that documents print it masked; the reports never pick such a comment by themselves. Ticking a
comment stores the choice at once through the core (`select_comments`). Constructible alone as
`CommentPickerPage(ws_path)`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...importing import commit as import_core
from ...importing.comments import list_comments, select_comments
from .. import readonly as ro
from ..dialogs.ws_jobs import WorkspaceJobs

PERSONAL_MARK = "⚠ 개인정보"
PERSONAL_COLOR = "#FDECEA"


class CommentPickerPage(QWidget):
    def __init__(self, ws_path: str | Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("서술형 의견 고르기")
        self.resize(900, 600)
        self.jobs = WorkspaceJobs(ws_path, parent, self)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.survey = QComboBox()
        self.group = QComboBox()
        self.show_all = QCheckBox("'없음' 같은 답도 보기")
        for text, box, stretch in (("설문(&S)", self.survey, 2), ("응답 집단(&G)", self.group, 1)):
            label = QLabel(text)
            label.setBuddy(box)
            top.addWidget(label)
            top.addWidget(box, stretch)
        top.addWidget(self.show_all)
        lay.addLayout(top)
        self.count = QLabel("")
        lay.addWidget(self.count)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        lay.addWidget(self.list, 1)
        ro.editable(self.list)  # ticking stores the pick: locked in a read-only window (ui/readonly.py)
        self._filling = False
        self.survey.currentIndexChanged.connect(self._survey_changed)
        self.group.currentIndexChanged.connect(self.reload)
        self.show_all.toggled.connect(self.reload)
        self.list.itemChanged.connect(self._ticked)
        self.jobs.run(import_core.survey_choices, on_done=self._surveys_loaded)

    def _surveys_loaded(self, surveys: list[dict]) -> None:
        self.survey.blockSignals(True)
        for s in surveys:
            self.survey.addItem(s["title"], s)
        self.survey.blockSignals(False)
        self._survey_changed()

    def _survey_changed(self) -> None:
        s = self.survey.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("모든 집단", None)
        for g in (s["groups"] if s else {}):
            self.group.addItem(g, g)
        self.group.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        s = self.survey.currentData()
        if not s:
            return
        self.jobs.run(list_comments, s["id"], self.group.currentData(), include_meaningless=self.show_all.isChecked(),
                      on_done=self._loaded)

    def _loaded(self, rows: list[dict]) -> None:
        self._filling = True
        self.list.clear()
        for c in rows:
            mark = f"{PERSONAL_MARK} " if c.get("personal") else ""
            it = QListWidgetItem(f"{mark}[{c['group']}] {c['text']}")
            tip = c["question"]
            if c.get("personal"):
                found = ", ".join(c.get("personal_kinds") or []) or "개인정보"
                tip += (f"\n\n이 의견에 {found}(으)로 보이는 내용이 있습니다. 보고서와 엑셀 파일에는 가려서 싣고, "
                        "보고서에 자동으로 고르지 않습니다.")
                it.setBackground(QBrush(QColor(PERSONAL_COLOR)))
            it.setToolTip(tip)
            it.setData(Qt.UserRole, c["id"])
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked if c["selected"] else Qt.Unchecked)
            self.list.addItem(it)
        self._filling = False
        self._update_count()

    def _update_count(self) -> None:
        picked = sum(1 for i in range(self.list.count()) if self.list.item(i).checkState() == Qt.Checked)
        personal = sum(1 for i in range(self.list.count()) if self.list.item(i).text().startswith(PERSONAL_MARK))
        text = f"의견 {self.list.count()}개 중 보고서에 넣을 의견 {picked}개" if self.list.count() else "서술형 의견이 없습니다."
        if personal:
            text += f" · 개인정보가 보이는 의견 {personal}개 ({PERSONAL_MARK}: 문서에는 가려서 실림)"
        self.count.setText(text)

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        self.jobs.run(select_comments, [item.data(Qt.UserRole)], item.checkState() == Qt.Checked)
        self._update_count()

    @property
    def idle(self) -> bool:
        return self.jobs.idle

    def closeEvent(self, event) -> None:
        self.jobs.close()
        super().closeEvent(event)
