"""새 학년도 시작: next year's plan from this one (환류), this year's results kept for comparison.

When the new year's 세부영역 differ (2025 → 2026), each of this year's indicators is listed with the
세부영역 proposed for it and a choice per row; only what the rows say is carried (composing.start_new_year).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ... import composing, guide, services
from .. import session as flags
from . import add_error_and_buttons

NOT_CARRIED = "옮기지 않음"


class NewYearDialog(QDialog):
    def __init__(self, main):
        super().__init__(main)
        self.main = main
        self.current: int | None = None
        self.proposals: dict | None = None
        self.choices: dict[str, QComboBox] = {}
        self.setWindowTitle("새 학년도 시작")
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        self.info = QLabel("올해 계획을 불러오는 중…")
        self.info.setMinimumWidth(420)
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        # the current year not yet at 제출: starting anyway is allowed, but said first (guide.unfinished)
        self.unfinished: dict | None = None
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#a04000;")
        self.warning.hide()
        lay.addWidget(self.warning)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix("학년도")
        form.addRow("시작할 학년도(&Y)", self.year)
        lay.addLayout(form)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["지표", "올해 세부영역", "옮길 세부영역"])
        self.table.setAccessibleName("지표를 옮길 세부영역")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.setMinimumHeight(260)
        self.table.hide()
        lay.addWidget(self.table)
        self.error, self.buttons = add_error_and_buttons(self, lay, "새 학년도 시작")
        self.main.session.run(services.require_school, on_done=self._show)
        self.main.session.run(guide.unfinished, on_done=self._show_unfinished)

    def _show_unfinished(self, u: dict | None) -> None:
        self.unfinished = u
        if u:
            self.warning.setText(f"{u['year']}학년도는 아직 '{u['stage_label']}' 단계입니다. 제출까지 마치지 않고 새 학년도를 "
                                 "시작해도 올해 자료는 그대로 남지만, 앞으로는 새 학년도가 열립니다.")
            self.warning.show()
            self.buttons.button(QDialogButtonBox.Ok).setText("그래도 새 학년도 시작")

    def _show(self, info) -> None:
        _, year = info
        self.current = year
        self.year.setValue(year + 1)
        self.year.valueChanged.connect(self._load_proposals)
        self._load_proposals()

    def _load_proposals(self) -> None:
        self.proposals = None
        self.main.session.run(composing.carry_proposals, self.year.value(), on_done=self._show_proposals,
                              on_error=lambda _e: True)  # a year that exists: the start button says why

    def _show_proposals(self, prop: dict) -> None:
        if prop["to_year"] != self.year.value():
            return  # the year was changed meanwhile; its own proposals follow
        self.proposals = prop
        year, cur = prop["to_year"], self.current
        self.choices = {}
        self.table.setRowCount(0)
        if not prop["needed"]:
            self.table.hide()
            self.info.setText(
                f"{cur}학년도에 고른 지표와 학교 자율지표가 {year}학년도 평가 계획의 출발점이 됩니다. "
                f"지표마다 {cur}학년도의 개선 계획(환류)이 함께 보이고, {cur}학년도 결과는 그대로 남아 "
                "올해와 나란히 비교할 수 있습니다.")
            self.adjustSize()
            return
        self.info.setText(
            f"{year}학년도는 세부영역이 {prop['from_year']}학년도와 다르고 평가지표는 학교가 구성합니다. "
            f"{prop['from_year']}학년도 지표를 어느 세부영역으로 옮길지 확인하세요. 제안된 세부영역이 미리 골라져 "
            f"있고, '{NOT_CARRIED}'을 고른 지표는 옮기지 않습니다. 옮긴 지표에는 {prop['from_year']}학년도의 "
            "개선 계획(환류)이 함께 보입니다.")
        self.table.setRowCount(len(prop["rows"]))
        for n, r in enumerate(prop["rows"]):
            name = QTableWidgetItem(f"{r['indicator']} {r['title']}")
            name.setToolTip(r["note"])
            self.table.setItem(n, 0, name)
            self.table.setItem(n, 1, QTableWidgetItem(r["from_subarea"]))
            combo = QComboBox()
            combo.addItem(NOT_CARRIED, None)
            for s in prop["subareas"]:
                combo.addItem(f"{s['subarea']} {s['title']}", s["subarea"])
            if r["proposed"]:
                combo.setCurrentIndex(combo.findData(r["proposed"]))
            combo.setToolTip(r["note"])
            self.table.setCellWidget(n, 2, combo)
            self.choices[r["indicator"]] = combo
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        self.table.show()
        self.setMinimumWidth(860)
        self.adjustSize()

    def placements(self) -> dict[str, str]:
        """Last year's indicator → the 세부영역 chosen in its row (rows set to 옮기지 않음 left out)."""
        return {code: combo.currentData() for code, combo in self.choices.items() if combo.currentData()}

    def accept(self) -> None:
        self.buttons.setEnabled(False)

        def failed(exc) -> bool:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
            return True

        def done(r: dict) -> None:
            QDialog.accept(self)
            self.main.notify_changed(flags.ALL)
            self.main.show_page("dashboard")
            msg = f"{r['year']}학년도를 시작했습니다."
            if r.get("placement_needed"):
                msg += f" 지표 {len(r['carried'])}개를 옮겼습니다."
                if r["not_carried"]:
                    msg += f" {len(r['not_carried'])}개는 옮기지 않았습니다."
            self.main.set_status(msg)

        needed = bool(self.proposals and self.proposals["needed"] and self.proposals["to_year"] == self.year.value())
        self.main.session.run(composing.start_new_year, self.year.value(),
                              place=self.placements() if needed else None, on_done=done, on_error=failed,
                              label="새 학년도를 준비하는 중")
