"""학교 자율지표 만들기: the school's own indicator with criteria, rubric per rating level and evidence."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from ... import services
from . import add_error_and_buttons


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class CustomIndicatorDialog(QDialog):
    """`subareas` = [(code, title)], `rating_labels` low → high; saves with services.add_custom_indicator."""

    def __init__(self, main, subareas: list[tuple[str, str]], rating_labels: list[str], current_subarea: str | None = None):
        super().__init__(main)
        self.main = main
        self.created: str | None = None
        self.setWindowTitle("학교 자율지표 만들기")
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        intro = QLabel("학교가 스스로 정한 지표를 올해 평가 계획에 더합니다. 평가요소와 등급별 수준을 적어 두면 "
                       "자체평가 때 다른 지표처럼 등급을 고를 수 있습니다.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.subarea = QComboBox()
        for code, title in subareas:
            self.subarea.addItem(f"{code} {title}", code)
        if current_subarea:
            i = self.subarea.findData(current_subarea)
            if i >= 0:
                self.subarea.setCurrentIndex(i)
        self.title = QLineEdit()
        self.title.setPlaceholderText("예: 독서 친화적 학교문화 조성")
        self.criteria = QPlainTextEdit()
        self.criteria.setPlaceholderText("한 줄에 하나씩 적으세요.\n예: 학년별 독서 활동 계획을 세워 운영하였는가")
        self.criteria.setTabChangesFocus(True)
        self.criteria.setFixedHeight(90)
        form.addRow("세부영역(&S)", self.subarea)
        form.addRow("지표 이름(&T)", self.title)
        form.addRow("평가요소(&C)", self.criteria)
        self.rubric: list[QLineEdit] = []
        for n, label in enumerate(rating_labels, 1):
            e = QLineEdit()
            e.setPlaceholderText(f"'{label}' 수준의 학교 모습")
            self.rubric.append(e)
            form.addRow(f"{n} {label}", e)
        self.evidence = QPlainTextEdit()
        self.evidence.setPlaceholderText("한 줄에 하나씩. 예: 독서 활동 운영 계획서")
        self.evidence.setTabChangesFocus(True)
        self.evidence.setFixedHeight(70)
        form.addRow("근거 자료 예(&E)", self.evidence)
        lay.addLayout(form)
        note = QLabel("등급별 수준은 모두 적거나 모두 비워 두세요.")
        note.setObjectName("hint")
        lay.addWidget(note)
        self.error, self.buttons = add_error_and_buttons(self, lay, "계획에 더하기")

    def values(self) -> dict:
        rubric = [e.text().strip() for e in self.rubric]
        return {"subarea": self.subarea.currentData(), "title": self.title.text().strip(),
                "criteria": _lines(self.criteria.toPlainText()),
                "rubric": rubric if any(rubric) else [],
                "evidence": _lines(self.evidence.toPlainText())}

    def accept(self) -> None:
        v = self.values()
        if not v["title"]:
            self.error.setText("지표 이름을 적어 주세요.")
            self.title.setFocus()
            return
        if v["rubric"] and not all(v["rubric"]):
            self.error.setText("등급별 수준을 모두 적거나 모두 비워 두세요.")
            return
        self.buttons.setEnabled(False)

        def failed(exc) -> bool:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
            return True

        def done(code: str) -> None:
            self.created = code
            QDialog.accept(self)

        self.main.session.run(services.add_custom_indicator, **v, on_done=done, on_error=failed)
