"""새 학년도 시작: next year's plan from this one (환류), this year's results kept for comparison."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from ... import services
from .. import session as flags
from . import add_error_and_buttons


class NewYearDialog(QDialog):
    def __init__(self, main):
        super().__init__(main)
        self.main = main
        self.setWindowTitle("새 학년도 시작")
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        self.info = QLabel("올해 계획을 불러오는 중…")
        self.info.setMinimumWidth(420)
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix("학년도")
        form.addRow("시작할 학년도(&Y)", self.year)
        lay.addLayout(form)
        self.error, self.buttons = add_error_and_buttons(self, lay, "새 학년도 시작")
        self.main.session.run(services.require_school, on_done=self._show)

    def _show(self, info) -> None:
        _, year = info
        self.current = year
        self.year.setValue(year + 1)
        self.info.setText(
            f"{year}학년도에 고른 지표와 학교 자율지표가 {year + 1}학년도 평가 계획의 출발점이 됩니다. "
            f"지표마다 {year}학년도의 개선 계획(환류)이 함께 보이고, {year}학년도 결과는 그대로 남아 "
            "올해와 나란히 비교할 수 있습니다.")
        self.adjustSize()

    def accept(self) -> None:
        self.buttons.setEnabled(False)

        def failed(exc) -> bool:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
            return True

        def done(year: int) -> None:
            QDialog.accept(self)
            self.main.notify_changed(flags.ALL)
            self.main.show_page("dashboard")
            self.main.set_status(f"{year}학년도를 시작했습니다.")

        self.main.session.run(services.new_year, self.year.value(), on_done=done, on_error=failed,
                              label="새 학년도를 준비하는 중")
