"""제출 전 점검: what is missing before a district-bound file is written, each with a link to its place.

The list comes from `readiness.pre_submission_check` (the CLI prints the same with `check --submission`);
the user may fix things first or go on anyway.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

LINK_TEXT = {"plan": "평가 계획으로", "selfeval": "자체평가에서 고치기", "surveys": "설문에서 가져오기",
             "comments": "의견 고르기에서 보기"}


class PreSubmissionDialog(QDialog):
    """`proceed` is emitted when the user chooses to write the file anyway."""

    proceed = Signal()

    def __init__(self, main, what: str, problems: list[dict]):
        super().__init__(main)
        self.main = main
        self.problems = problems
        self.setWindowTitle("제출 전 점검")
        self.resize(760, 560)
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{what}</b>을(를) 만들기 전에 확인할 것이 {len(problems)}개 있습니다.<br>"
                      "고칠 곳으로 가려면 오른쪽 버튼을 누르세요. 지금 그대로 만들 수도 있습니다.")
        head.setWordWrap(True)
        lay.addWidget(head)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        body_lay = QVBoxLayout(body)
        self.link_buttons: list[QPushButton] = []
        for p in problems:
            row = QHBoxLayout()
            text = QLabel(f"<span style='color:#8a5300'>[{p['label']}]</span> {p['text']}")
            text.setWordWrap(True)
            row.addWidget(text, 1)
            b = QPushButton(LINK_TEXT.get(p["page"], "가기"))
            b.setAccessibleName(p["text"])
            b.clicked.connect(lambda _=False, prob=p: self.go(prob))
            self.link_buttons.append(b)
            row.addWidget(b, 0, Qt.AlignTop)
            body_lay.addLayout(row)
        body_lay.addStretch(1)
        scroll.setWidget(body)
        lay.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.fix_button = QPushButton("닫고 고치기")
        self.fix_button.clicked.connect(self.reject)
        self.anyway_button = QPushButton("그래도 만들기")
        self.anyway_button.clicked.connect(self._anyway)
        buttons.addWidget(self.fix_button)
        buttons.addWidget(self.anyway_button)
        lay.addLayout(buttons)

    def go(self, problem: dict) -> None:
        """Open the place where this problem is fixed and close the check."""
        page, target = problem["page"], problem.get("target")
        self.reject()
        if page == "selfeval" and target:
            self.main.show_page("selfeval", code=target)
        elif page == "comments":
            self.main.open_comment_picker()
        else:
            self.main.show_page(page)

    def _anyway(self) -> None:
        self.accept()
        self.proceed.emit()
