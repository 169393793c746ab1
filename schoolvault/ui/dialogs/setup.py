"""First-run school setup (학교 정보): name, code, level, district, year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ... import services
from ...forms.groups import DISTRICTS, LEVELS
from ..jobs import JobRunner
from ..pages.dashboard import LEVEL_NAMES, district_name
from . import add_error_and_buttons


def school_year_today(today: dt.date | None = None) -> int:
    """Korean school years start in March: January and February still belong to last year."""
    today = today or dt.date.today()
    return today.year if today.month >= 3 else today.year - 1


def _init(_ws, path: Path, **fields) -> None:
    services.init_workspace(path, **fields).close()


def _current(_ws, path: Path):
    from ...workspace.db import open_workspace
    with open_workspace(path) as ws:
        return services.require_school(ws)


class SchoolSetupDialog(QDialog):
    """Creates the workspace's school and opens the year (services.init_workspace in a job)."""

    def __init__(self, ws_path: str | Path, parent=None, runner: JobRunner | None = None):
        super().__init__(parent)
        self.ws_path = Path(ws_path)
        self.runner = runner or JobRunner(lambda: None, self)
        self.setWindowTitle("학교 정보")
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        intro = QLabel("SchoolVault를 처음 시작합니다. 학교 정보를 적으면 올해 평가 계획이 "
                       "공통지표로 채워진 채 준비됩니다.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("예: 서울한빛초등학교")
        self.code = QLineEdit()
        self.code.setPlaceholderText("선택 — 예: B100000001")
        self.level = QComboBox()
        for lv in LEVELS:
            self.level.addItem(LEVEL_NAMES[lv], lv)
        self.district = QComboBox()
        for d in DISTRICTS:
            self.district.addItem(district_name(d), d)
        self.year = QSpinBox()
        # wide on purpose: a year out of range is refused by the core with a message, never clamped silently
        self.year.setRange(1000, 9999)
        self.year.setValue(school_year_today())
        self.year.setSuffix("학년도")
        form.addRow("학교 이름(&N)", self.name)
        form.addRow("학교 코드(&C)", self.code)
        form.addRow("학교급(&L)", self.level)
        form.addRow("소속 교육청(&D)", self.district)
        form.addRow("평가 학년도(&Y)", self.year)
        lay.addLayout(form)
        note = QLabel("서울 고등학교는 본청(서울특별시교육청) 소속입니다.")
        note.setObjectName("hint")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.error, self.buttons = add_error_and_buttons(self, lay, "시작하기")
        self.level.currentIndexChanged.connect(self._level_changed)

    def _level_changed(self) -> None:
        if self.level.currentData() == "고":
            self.district.setCurrentIndex(DISTRICTS.index("본청"))

    def load_current(self) -> None:
        """Prefill with the workspace's school (editing instead of first run)."""
        self.setWindowTitle("학교 정보 수정")
        self.buttons.button(QDialogButtonBox.Ok).setText("저장")

        def show(info) -> None:
            s, year = info
            self.name.setText(s.name)
            self.code.setText(s.code or "")
            self.level.setCurrentIndex(LEVELS.index(s.level))
            self.district.setCurrentIndex(DISTRICTS.index(s.district))
            self.year.setValue(year)

        self.runner.run(_current, self.ws_path, on_done=show)

    def fields(self) -> dict:
        return {"name": self.name.text().strip(), "code": self.code.text().strip() or None,
                "level": self.level.currentData(), "district": self.district.currentData(),
                "year": self.year.value()}

    def accept(self) -> None:
        f = self.fields()
        if not f["name"]:
            self.error.setText("학교 이름을 적어 주세요.")
            self.name.setFocus()
            return
        self.buttons.setEnabled(False)
        self.error.setText("")

        def failed(exc) -> bool:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
            return True

        self.runner.run(_init, self.ws_path, **f, on_done=lambda _: QDialog.accept(self), on_error=failed,
                        label="학교 정보를 저장하는 중")
