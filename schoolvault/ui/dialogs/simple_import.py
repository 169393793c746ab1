"""A plain response-file import (file, survey, group) used until the mapping wizard (issue 3) is present."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import importing, results
from .. import session as flags
from . import add_error_and_buttons


def import_summary_text(s: dict) -> str:
    parts = [f"{s.get('group', '')} 응답자 {s.get('respondents', 0)}명을 가져왔습니다."]
    skipped = s.get("skipped_rows") or []
    if skipped:
        parts.append(f"건너뛴 행 {len(skipped)}개")
    missing = s.get("missing_cells") or []
    if missing:
        parts.append(f"척도에 없는 값이라 비워 둔 칸 {len(missing)}개")
    dropped = s.get("columns_dropped") or []
    if dropped:
        parts.append(f"개인정보로 보여 버린 열: {', '.join(map(str, dropped))}")
    return " ".join(parts[:1]) + ("\n" + "\n".join(parts[1:]) if len(parts) > 1 else "")


class SimpleImportDialog(QDialog):
    def __init__(self, main, instrument_id: str | None = None, group: str | None = None):
        super().__init__(main)
        self.main = main
        self.summary: dict | None = None
        self.setWindowTitle("설문 응답 파일 가져오기")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        intro = QLabel("구글 설문·네이버 폼에서 내려받은 응답 파일(.xlsx, .csv)을 고르세요. 첫 행의 질문 문장으로 "
                       "문항을 찾아 연결합니다. 이름·전화번호 같은 개인정보는 저장하지 않습니다.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit()
        self.file.setPlaceholderText("응답 파일을 고르세요")
        browse = QPushButton("찾아보기…")
        browse.clicked.connect(self.browse)
        rl.addWidget(self.file, 1)
        rl.addWidget(browse)
        self.survey = QComboBox()
        self.group = QComboBox()
        self.replace = QCheckBox("이미 가져온 파일이면 이전 것을 바꾸기")
        form.addRow("파일(&F)", row)
        form.addRow("설문(&S)", self.survey)
        form.addRow("응답 집단(&G)", self.group)
        form.addRow("", self.replace)
        lay.addLayout(form)
        self.error, self.buttons = add_error_and_buttons(self, lay, "가져오기", "닫기")
        self.survey.currentIndexChanged.connect(self._fill_groups)
        self._want = (instrument_id, group)
        self._surveys: list[dict] = []
        main.session.run(results.surveys_overview, on_done=self._show_surveys)

    def _show_surveys(self, surveys: list[dict]) -> None:
        self._surveys = surveys
        self.survey.clear()
        for s in surveys:
            self.survey.addItem(s["title"], s["id"])
        if self._want[0]:
            i = self.survey.findData(self._want[0])
            if i >= 0:
                self.survey.setCurrentIndex(i)
        self._fill_groups()

    def _fill_groups(self) -> None:
        sid = self.survey.currentData()
        s = next((x for x in self._surveys if x["id"] == sid), None)
        self.group.clear()
        for g in (s or {}).get("groups", []):
            self.group.addItem(g, g)
        if self._want[1]:
            i = self.group.findData(self._want[1])
            if i >= 0:
                self.group.setCurrentIndex(i)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "응답 파일 고르기", str(Path.home()),
                                              "응답 파일 (*.xlsx *.xls *.csv);;모든 파일 (*)")
        if path:
            self.file.setText(path)

    def accept(self) -> None:
        path = self.file.text().strip()
        if not path:
            self.error.setText("가져올 파일을 고르세요.")
            return
        self.buttons.setEnabled(False)
        self.error.setText("")

        def failed(exc) -> bool:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
            return True

        def done(summary: dict) -> None:
            self.summary = summary
            self.main.notify_changed(frozenset({flags.RESPONSES}))
            self.main.set_status(import_summary_text(summary).splitlines()[0])
            QDialog.accept(self)

        self.main.session.run(importing.import_responses, path, self.survey.currentData(), self.group.currentData(),
                              replace=self.replace.isChecked(), with_progress=True, on_done=done, on_error=failed,
                              label="응답을 가져오는 중")
