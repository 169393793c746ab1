"""온라인 설문 문항: one group's questions laid out to build the form in Google Forms / Naver Form.

Shows the text the core makes (`services.form_questions_text`), copies it, and saves it as .txt or
.xlsx (`services.write_form_questions`). No formatting happens here.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ... import services
from ...importing.form_questions import GRADE_GROUPS


class FormQuestionsDialog(QDialog):
    def __init__(self, main, instrument_id: str, title: str, group: str):
        super().__init__(main)
        self.main = main
        self.instrument_id = instrument_id
        self.group = group
        self.saved_to: str | None = None
        self.setWindowTitle(f"온라인 설문 문항 — {group}")
        self.resize(720, 600)
        lay = QVBoxLayout(self)
        intro = QLabel(f"<b>{title}</b> · {group}<br>구글 설문이나 네이버 폼에 문항을 만들 때 쓰세요. "
                       "문항 한 줄 뒤에 선택지가 한 줄씩 있습니다. 선택지 줄을 한꺼번에 복사해 붙여 넣으면 "
                       "선택지가 한 번에 만들어집니다."
                       + (" 학년 문항이 맨 앞에 있어 결과를 학년별로 볼 수 있습니다." if group in GRADE_GROUPS else ""))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText("문항을 불러오는 중…")
        lay.addWidget(self.text, 1)
        row = QHBoxLayout()
        self.copy_button = QPushButton("전체 복사")
        self.copy_button.setObjectName("primary")
        self.copy_button.clicked.connect(self.copy)
        self.txt_button = QPushButton("텍스트로 저장…")
        self.txt_button.clicked.connect(lambda: self._ask_save(".txt", "텍스트 (*.txt)"))
        self.xlsx_button = QPushButton("엑셀로 저장…")
        self.xlsx_button.clicked.connect(lambda: self._ask_save(".xlsx", "엑셀 (*.xlsx)"))
        close = QPushButton("닫기")
        close.clicked.connect(self.accept)
        for b in (self.copy_button, self.txt_button, self.xlsx_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.loaded = False
        main.session.run(services.form_questions_text, instrument_id, group, on_done=self._show)

    def _show(self, text: str) -> None:
        self.text.setPlainText(text)
        self.loaded = True

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText("복사했습니다. 설문 만들기 화면에 붙여 넣으세요.")

    def _ask_save(self, suffix: str, filt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "문항 목록 저장", f"설문 문항_{self.group}{suffix}", filt)
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.save_to(path)

    def save_to(self, path: str) -> None:
        self.main.session.run(services.write_form_questions, self.instrument_id, self.group, path,
                              on_done=self._saved)

    def _saved(self, result: dict) -> None:
        self.saved_to = result["file"]
        self.status.setText(f"저장했습니다: {result['file']} (문항 {result['questions']}개)")
