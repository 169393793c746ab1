"""Paper entry (종이 설문 입력): a keyboard-first grid, one row per paper form, one column per item.

Type a digit and the cursor moves to the next question; at the end of a row it goes to the next form.
Only 1..k is accepted (anything else is refused on the spot with a message); 0 or Space leaves a
question blank, Backspace clears. Everything typed is saved by the core (`save_paper_rows`) within
two seconds, as one batch that each save replaces. Constructible alone as `PaperEntryPage(ws_path)`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...importing import commit as import_core
from ...importing.paper import save_paper_rows
from ..dialogs.ws_jobs import WorkspaceJobs

AUTOSAVE_MS = 1500  # typed answers reach the workspace within two seconds
START_ROWS = 30
MORE_ROWS = 10
REFUSED = QColor("#fde2e1")


class AnswerGrid(QTableWidget):
    """The grid itself: digits, auto-advance, refusal of anything off the scale.

    Scale columns come first and take only digits; the open-question columns after them
    (from `text_from` on) are edited as text.
    """

    edited = Signal()
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 0, parent)
        self.points = 5
        self.text_from = 0
        self.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked
                             | QAbstractItemView.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.horizontalHeader().setDefaultSectionSize(44)
        self.itemChanged.connect(self._text_changed)

    def setup(self, scale_columns: int, text_columns: int, rows: int) -> None:
        self.clear()
        self.text_from = scale_columns
        self.setColumnCount(scale_columns + text_columns)
        self.setRowCount(0)
        self.add_rows(rows)
        for c in range(scale_columns, scale_columns + text_columns):
            self.setColumnWidth(c, 240)

    def add_rows(self, n: int) -> None:
        """New empty forms; scale cells get read-only items so a double-click cannot type text into them."""
        start = self.rowCount()
        self.setRowCount(start + n)
        self.blockSignals(True)
        for r in range(start, start + n):
            for c in range(self.text_from):
                it = QTableWidgetItem()
                it.setTextAlignment(Qt.AlignCenter)
                it.setFlags(it.flags() & ~Qt.ItemIsEditable)
                self.setItem(r, c, it)
        self.blockSignals(False)

    def text(self, row: int, col: int) -> str:
        it = self.item(row, col)
        return it.text().strip() if it is not None else ""

    def _text_changed(self, item: QTableWidgetItem) -> None:
        if item.column() >= self.text_from:
            self.edited.emit()

    def value(self, row: int, col: int) -> int | None:
        it = self.item(row, col)
        return int(it.text()) if it is not None and it.text() else None

    def set_value(self, row: int, col: int, value: int | None) -> None:
        it = self.item(row, col)
        self.blockSignals(True)
        it.setText("" if value is None else str(value))
        it.setBackground(QColor(Qt.transparent))
        self.blockSignals(False)

    def advance(self) -> None:
        """Next question; after the last one, the next form (open questions are reached with the arrows)."""
        r, c = self.currentRow(), self.currentColumn()
        if c + 1 < self.text_from:
            self.setCurrentCell(r, c + 1)
        else:
            self.next_row()

    def next_row(self) -> None:
        r = self.currentRow()
        if r + 1 >= self.rowCount():
            self.add_rows(MORE_ROWS)
        self.setCurrentCell(r + 1, 0)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        r, c = self.currentRow(), self.currentColumn()
        text = e.text()
        if r < 0 or c < 0 or self.columnCount() == 0:
            super().keyPressEvent(e)
            return
        if c >= self.text_from:  # an open question: ordinary text editing; Enter goes to the next form
            if e.key() in (Qt.Key_Return, Qt.Key_Enter) and self.state() != QAbstractItemView.EditingState:
                self.next_row()
                return
            super().keyPressEvent(e)
            return
        if text.isdigit() and len(text) == 1:
            v = int(text)
            if v == 0:
                self.set_value(r, c, None)
                self.edited.emit()
                self.advance()
            elif 1 <= v <= self.points:
                self.set_value(r, c, v)
                self.edited.emit()
                self.advance()
            else:
                self.item(r, c).setBackground(REFUSED)
                self.refused.emit(f"{v}은(는) 입력할 수 없습니다. 1~{self.points} 사이의 숫자를 누르세요.")
            return
        if e.key() in (Qt.Key_Backspace, Qt.Key_Delete):
            self.set_value(r, c, None)
            self.edited.emit()
            return
        if e.key() == Qt.Key_Space:
            self.advance()
            return
        if e.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.next_row()
            return
        if text and text.strip() and not e.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
            self.refused.emit(f"숫자만 입력할 수 있습니다 (1~{self.points}, 건너뛰기는 0 또는 스페이스).")
            return
        super().keyPressEvent(e)


class PaperEntryPage(QWidget):
    """Choose a survey and group, then type the paper forms in; saved automatically."""

    saved = Signal(int)  # forms stored after a save

    def __init__(self, ws_path: str | Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("종이 설문 입력")
        self.resize(1100, 640)
        self.jobs = WorkspaceJobs(ws_path, parent, self)
        self.surveys: list[dict] = []
        self.codes: list[str] = []
        self.open_codes: list[str] = []
        self.texts: dict[str, str] = {}
        self._batch: dict = {"adm": None}  # the batch's administration, updated on the job thread
        self._dirty = False
        self._saving = False
        self._key: tuple[str, str] | None = None
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.survey = QComboBox()
        self.group = QComboBox()
        self.new_batch = QPushButton("새 묶음 시작")
        self.new_batch.clicked.connect(self.start_new_batch)
        for text, box, stretch in (("설문(&S)", self.survey, 2), ("응답 집단(&G)", self.group, 1)):
            label = QLabel(text)
            label.setBuddy(box)
            top.addWidget(label)
            top.addWidget(box, stretch)
        top.addWidget(self.new_batch)
        lay.addLayout(top)
        self.help = QLabel("")
        self.help.setWordWrap(True)
        lay.addWidget(self.help)
        self.question = QLabel("")
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-weight:bold; padding:4px;")
        lay.addWidget(self.question)
        self.grid = AnswerGrid(self)
        lay.addWidget(self.grid, 1)
        self.status = QLabel("")
        lay.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save)
        self.grid.edited.connect(self._edited)
        self.grid.refused.connect(self._refused)
        self.grid.currentCellChanged.connect(lambda r, c, *_: self._show_question(c))
        self.survey.currentIndexChanged.connect(self._survey_changed)
        self.group.currentIndexChanged.connect(self._group_changed)
        self.jobs.run(import_core.survey_choices, on_done=self._surveys_loaded)

    # ------------------------------------------------------------ choosing
    def _surveys_loaded(self, surveys: list[dict]) -> None:
        self.surveys = surveys
        self.survey.blockSignals(True)
        for s in surveys:
            self.survey.addItem(s["title"], s)
        self.survey.blockSignals(False)
        self._survey_changed()

    def _survey_changed(self) -> None:
        s = self.survey.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        for g in (s["groups"] if s else {}):
            self.group.addItem(g, g)
        self.group.blockSignals(False)
        self._group_changed()

    def _group_changed(self) -> None:
        self.flush_now()
        s, g = self.survey.currentData(), self.group.currentData()
        if not s or not g:
            return
        self._key = (s["id"], g)
        self._batch = {"adm": None}
        items = s["groups"][g]["items"]
        opens = s["groups"][g]["open"]
        self.codes = [code for code, _ in items]
        self.open_codes = [code for code, _ in opens]
        self.texts = dict(items + opens)
        self.grid.points = s["points"]
        self.grid.setup(len(items), len(opens), START_ROWS)
        self.grid.setHorizontalHeaderLabels([f"{n}" for n in range(1, len(items) + 1)]
                                            + [f"의견 {n}" for n in range(1, len(opens) + 1)])
        for n, (code, text) in enumerate(items + opens):
            self.grid.horizontalHeaderItem(n).setToolTip(f"{code} {text}")
        labels = ", ".join(f"{n}={lab}" for n, lab in enumerate(s["labels"], 1))
        self.help.setText(f"숫자를 누르면 다음 문항으로 넘어갑니다. {labels}. 0 또는 스페이스: 빈칸, "
                          "Backspace: 지우기, Enter: 다음 응답지. 서술형 의견은 오른쪽 칸에 글로 적습니다. "
                          "입력한 내용은 자동으로 저장됩니다.")
        self.status.setText("새 묶음입니다. 첫 응답지부터 입력하세요.")
        self.grid.setCurrentCell(0, 0)
        self.grid.setFocus()

    def _show_question(self, col: int) -> None:
        codes = self.codes + self.open_codes
        if 0 <= col < len(codes):
            prefix = f"{col + 1}." if col < len(self.codes) else "서술형:"
            self.question.setText(f"{prefix} {self.texts[codes[col]]}")

    def start_new_batch(self) -> None:
        self._group_changed()

    # ------------------------------------------------------------ saving
    def _edited(self) -> None:
        self._dirty = True
        self.status.setText("입력 중…")
        self.timer.start()

    def _refused(self, message: str) -> None:
        self.status.setText(message)

    def rows(self) -> tuple[list[dict], list[dict]]:
        """(answers, open-question texts) per form, trailing empty forms left out."""
        answers, texts = [], []
        first = len(self.codes)
        for r in range(self.grid.rowCount()):
            answers.append({code: self.grid.value(r, c) for c, code in enumerate(self.codes)
                            if self.grid.value(r, c) is not None})
            texts.append({code: self.grid.text(r, first + c) for c, code in enumerate(self.open_codes)
                          if self.grid.text(r, first + c)})
        while answers and not answers[-1] and not texts[-1]:
            answers.pop()
            texts.pop()
        return answers, texts

    def save(self) -> None:
        """Queue a save of the whole grid (replacing this batch's previous save)."""
        if self._key is None or not self._dirty:
            return
        if self._saving:  # one save at a time; the next one runs when this one is back
            self.timer.start()
            return
        self._dirty = False
        self._saving = True
        rows = self.rows()
        forms = sum(1 for a, t in zip(*rows) if a or t)
        inst, group = self._key
        self.jobs.run(_save_batch, inst, group, rows, self._batch,
                      on_done=lambda adm: self._saved(adm, forms), on_error=self._save_failed)

    @property
    def adm(self) -> int | None:
        return self._batch["adm"]

    def _saved(self, adm: int | None, n: int) -> None:
        self._saving = False
        self.status.setText(f"저장했습니다: 응답지 {n}장" if n else "저장할 응답이 없습니다.")
        self.saved.emit(n)

    def _save_failed(self, e: BaseException) -> bool:
        self._saving = False
        self._dirty = True
        self.status.setText(f"저장하지 못했습니다: {e}")
        return False

    def flush_now(self) -> None:
        """Save what is typed right now, on this thread (closing the window, switching surveys)."""
        self.timer.stop()
        if self._key is None or not self._dirty:
            return
        self._dirty = False
        inst, group = self._key
        self.jobs.call_now(_save_batch, inst, group, self.rows(), self._batch)

    @property
    def idle(self) -> bool:
        return self.jobs.idle and not self._saving and not self.timer.isActive()

    def closeEvent(self, event) -> None:
        self.flush_now()
        self.jobs.close()
        super().closeEvent(event)


def _save_batch(ws, instrument_id: str, group: str, rows: tuple[list[dict], list[dict]], batch: dict) -> int | None:
    """Save on the job thread; the batch dict carries the administration from one save to the next,
    so queued saves and the last save on close never create a second batch."""
    answers, texts = rows
    batch["adm"] = save_paper_rows(ws, instrument_id, group, answers, texts, administration=batch["adm"])
    return batch["adm"]
