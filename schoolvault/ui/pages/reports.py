"""보고서: the documents that leave the school, one card per kind of the report registry
(reports/registry.py). A button writes its document with `write_report` on the worker, which imports the
report's module only then: reportlab and friends stay out of the GUI's start-up."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ... import guide, readiness, results, services
from ...reports.registry import KINDS, REPORTS, ReportKind, write_report
from .. import readonly as ro
from .. import session as flags
from ..dialogs.pre_submission import PreSubmissionDialog
from ..widgets.pdf_preview import PdfPreview
from .base import Page, heading, hint
from .dashboard import card

FORMAT_LABELS = {".hwpx": "한글 (.hwpx)", ".docx": "워드 (.docx)", ".pdf": "PDF (.pdf)", ".xlsx": "엑셀 (.xlsx)"}
FORMAT_FILTERS = {".hwpx": "한글 문서 (*.hwpx)", ".docx": "워드 문서 (*.docx)", ".pdf": "PDF 파일 (*.pdf)",
                  ".xlsx": "엑셀 파일 (*.xlsx)"}
DISTRICT_BOUND = ("submission", "workbook")  # files that leave the school: checked first (readiness.py)


class ReportsPage(Page):
    title = "보고서"
    concerns = frozenset({flags.RESPONSES, flags.YEAR, flags.SCHOOL, flags.STAGE})

    def __init__(self, main):
        super().__init__(main)
        self.school_name = ""
        self.year = None
        self.surveys: list[dict] = []
        self.last_result: dict | None = None
        self.rows: dict[str, dict] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        outer.addWidget(heading("보고서와 제출 파일", 16))
        outer.addWidget(hint("만들 문서를 고르고 '만들기'를 누르세요. 만든 파일은 바로 열어 확인할 수 있습니다. "
                             "응답자가 5명 미만인 집단의 통계는 문서에서 가려집니다."))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(0, 6, 0, 0)
        for kind in REPORTS:
            f, lay = card()
            lay.addWidget(heading(kind.title, 12))
            lay.addWidget(hint(kind.description))
            row = QHBoxLayout()
            survey = group = fmt = None
            if len(kind.formats) > 1:
                fmt = QComboBox()
                fmt.setAccessibleName(f"{kind.title} 파일 형식")
                for suffix in kind.formats:
                    fmt.addItem(FORMAT_LABELS[suffix], suffix)
                row.addWidget(fmt)
            if kind.needs_survey:
                survey = QComboBox()
                survey.setMinimumWidth(360)
                survey.setAccessibleName(f"{kind.title} 설문")
                row.addWidget(survey)
            if kind.needs_group:
                group = QComboBox()
                group.setAccessibleName(f"{kind.title} 응답 집단")
                row.addWidget(group)
                survey.currentIndexChanged.connect(lambda _i, s=survey, g=group: self._fill_groups(s, g))
            button = QPushButton("만들기…")
            button.setObjectName("primary")
            button.clicked.connect(lambda _=False, k=kind: self.ask_and_make(k))
            row.addWidget(button)
            status = QLabel("")
            status.setWordWrap(True)
            row.addWidget(status, 1)
            open_button = QPushButton("열기")
            open_button.setVisible(False)
            row.addWidget(open_button)
            lay.addLayout(row)
            bl.addWidget(f)
            self.rows[kind.key] = {"survey": survey, "group": group, "format": fmt, "button": button, "status": status,
                                   "open": open_button, "path": None}
            open_button.clicked.connect(lambda _=False, k=kind.key: self.open_file(k))
        f, lay = card()
        lay.addWidget(heading("제출", 12))
        self.submit_hint = hint("보고서와 엑셀 파일을 교육지원청에 제출했으면 아래 버튼을 눌러 올해 평가를 마무리하세요.")
        lay.addWidget(self.submit_hint)
        self.submit_button = QPushButton("제출을 마쳤습니다")
        self.submit_button.clicked.connect(self.mark_submitted)
        lay.addWidget(self.submit_button, 0, Qt.AlignLeft)
        ro.editable(self.submit_button)  # the year's stage: locked in a read-only window (ui/readonly.py)
        bl.addWidget(f)
        bl.addStretch(1)
        scroll.setWidget(body)
        # the made document's pages beside the list (hidden until one is made)
        self.preview = PdfPreview()
        self.preview.setVisible(False)
        self.preview.setMinimumWidth(320)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)
        self._preview_dir: tempfile.TemporaryDirectory | None = None  # PDFs made only to be previewed
        self._preview_numbers = itertools.count(1)

    def refresh(self) -> None:
        def got(info) -> None:
            s, year = info
            self.school_name, self.year = s.name, year
        self.session.run(services.require_school, on_done=got)
        self.session.run(results.surveys_overview, on_done=self._show_surveys)

    def _show_surveys(self, surveys: list[dict]) -> None:
        self.surveys = surveys
        for kind in REPORTS:
            combo = self.rows[kind.key]["survey"]
            if combo is None:
                continue
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for s in surveys:
                if kind.key == "sodi" and not s["id"].startswith("sodi"):
                    continue
                combo.addItem(s["title"], s["id"])
            i = combo.findData(keep if keep else next((s["id"] for s in surveys if s.get("year_survey")), None))
            combo.setCurrentIndex(max(i, 0))  # first shown: the year's own survey
            combo.blockSignals(False)
            if self.rows[kind.key]["group"] is not None:
                self._fill_groups(combo, self.rows[kind.key]["group"])
        self.loaded = True

    def _fill_groups(self, survey: QComboBox, group: QComboBox) -> None:
        s = next((x for x in self.surveys if x["id"] == survey.currentData()), None)
        group.clear()
        for g in (s or {}).get("groups", []):
            group.addItem(g, g)

    def suffix(self, kind: ReportKind) -> str:
        """The file format chosen for this document (its only one when there is no choice)."""
        fmt = self.rows[kind.key]["format"]
        return fmt.currentData() if fmt is not None else kind.suffix

    def default_name(self, kind: ReportKind) -> str:
        parts = [self.school_name, f"{self.year}" if self.year else "", kind.file_label]
        return "_".join(p for p in parts if p) + self.suffix(kind)

    def ask_and_make(self, kind: ReportKind) -> None:
        if kind.key in DISTRICT_BOUND:
            self.check_before(kind)
            return
        self.ask_path_and_make(kind)

    def check_before(self, kind: ReportKind) -> None:
        """제출 전 점검 before a file that goes to the office; the user may go on anyway."""
        def got(problems: list[dict]) -> None:
            if not problems:
                self.ask_path_and_make(kind)
                return
            dlg = PreSubmissionDialog(self.main, kind.title, problems)
            dlg.proceed.connect(lambda: self.ask_path_and_make(kind))
            self.check_dialog = dlg
            dlg.open()
        self.session.run(readiness.pre_submission_check, on_done=got)

    def ask_path_and_make(self, kind: ReportKind) -> None:
        settings = QSettings()
        folder = settings.value("reports/last_dir") or QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        suffix = self.suffix(kind)
        filters = FORMAT_FILTERS[suffix]
        path, _ = QFileDialog.getSaveFileName(self, kind.title, str(Path(folder) / self.default_name(kind)), filters)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        settings.setValue("reports/last_dir", str(Path(path).parent))
        self.make(kind.key, path)

    def make(self, key: str, path: str) -> None:
        """Write one document to `path` in a job (the button's work, without the file dialog)."""
        kind = KINDS[key]
        row = self.rows[key]
        row["button"].setEnabled(False)
        row["status"].setText("만드는 중…")
        row["open"].setVisible(False)
        instrument = row["survey"].currentData() if row["survey"] is not None else None
        group = row["group"].currentData() if row["group"] is not None else None

        def done(result: dict) -> None:
            self.last_result = result
            row["button"].setEnabled(True)
            pages = f", {result['pages']}쪽" if result.get("pages") else ""
            row["status"].setText(f"저장했습니다: {Path(result.get('file', path)).name}{pages}")
            row["path"] = str(path)
            row["open"].setVisible(True)
            self.show_preview(kind, str(path))
            self.main.set_status(f"{kind.title}: {path}")
            # making a document never moves the year's stage: each stage has one explicit finish (dashboard)

        def failed(_exc) -> bool:
            row["button"].setEnabled(True)
            row["status"].setText("만들지 못했습니다.")
            return False

        self.session.run(write_report, key, path, instrument=instrument, group=group, with_progress=True,
                         on_done=done, on_error=failed, label=f"{kind.title} 만드는 중")

    def show_preview(self, kind: ReportKind, path: str) -> None:
        """The pages of a document just made. A PDF is shown as it is; a .hwpx or .docx is shown through the
        PDF of the same document, written to a temporary file: the person who chose 한글 still wants to
        see the grid and the findings before opening it, and all three formats come from one document
        model, so only line and page breaks differ. A workbook has no preview."""
        suffix = Path(path).suffix.lower()
        title = f"미리보기: {kind.title}"
        if ".pdf" in kind.formats and not self.preview.isVisible():
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([total * 11 // 20, total * 9 // 20])  # room for a readable page
        if suffix == ".pdf":
            self.preview.setVisible(True)
            self.preview.show_pdf(path, title=title)
            return
        if ".pdf" not in kind.formats:
            return
        if self._preview_dir is None:
            self._preview_dir = tempfile.TemporaryDirectory(prefix="schoolvault-preview-")
        pdf = str(Path(self._preview_dir.name) / f"preview-{next(self._preview_numbers)}.pdf")
        note = (f"같은 내용을 PDF로 그린 미리보기입니다. {FORMAT_LABELS[suffix].split()[0]} 프로그램에서는 "
                "줄과 쪽이 나뉘는 자리가 조금 다를 수 있습니다.")
        self.preview.setVisible(True)
        self.preview.show_message(title, "미리보기를 만드는 중…")
        row = self.rows[kind.key]
        instrument = row["survey"].currentData() if row["survey"] is not None else None
        group = row["group"].currentData() if row["group"] is not None else None
        self.session.run(write_report, kind.key, pdf, instrument=instrument, group=group,
                         on_done=lambda _r: self.preview.show_pdf(pdf, title=title, note=note),
                         on_error=lambda _e: self.preview.show_message(
                             title, "미리보기를 만들지 못했습니다. 저장한 파일은 '열기'로 확인하세요.") or True)

    def open_file(self, key: str) -> None:
        """Open a document just made in the system's viewer (PDF reader, spreadsheet)."""
        path = self.rows[key]["path"]
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def mark_submitted(self) -> None:
        def done(_stage) -> None:
            self.changed(flags.STAGE)
            self.main.set_status("올해 평가를 마쳤습니다. 다음 학년도를 시작할 수 있습니다.")
            box = QMessageBox(QMessageBox.Information, "제출 완료",
                              "올해 평가를 마쳤습니다. 새 학년도를 시작하면 올해 지표와 개선 계획이 "
                              "다음 계획의 출발점이 됩니다.", QMessageBox.Ok, self)
            box.open()
            self.submitted_box = box
        self.session.run(guide.set_stage, "submitted", on_done=done)

