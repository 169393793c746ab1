"""The response-import wizard: file → sheet → preview (mapping, confidence, every problem) → confirm.

All reading, planning and writing are core calls (schoolvault.importing) run as jobs off the GUI
thread; the wizard only shows the plan and collects the user's column choices. Constructible on its
own as `ImportWizard(ws_path, parent=None)`; inside the main window it shares the window's job runner
(and so its workspace connection) when the parent has a `session` for the same file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...errors import SchoolVaultError
from ...forms.groups import canonical_group
from ...forms.periods import DEFAULT_PERIOD, MIDYEAR, PERIOD_LABELS, YEAR_END
from ...importing import commit as core
from ...importing.history import local_time
from ...importing.plan import ROLE_LABELS, ImportPlan
from ...importing.reading import sheet_names
from .ws_jobs import WorkspaceJobs

FILE_FILTER = "응답 파일 (*.xlsx *.xls *.csv *.tsv *.txt);;모든 파일 (*)"
LOW_CONFIDENCE = QColor("#fff4d6")
DROPPED = QColor("#f0f0f0")
UNMAPPED = QColor("#fde2e1")
NO_ITEM = "— 가져오지 않음 —"


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("1. 응답 파일과 설문 고르기")
        self.setSubTitle("구글 설문·네이버 폼에서 내려받은 파일(.xlsx, .xls, .csv)을 고르세요. "
                         "이름·전자우편·전화번호 열은 저장하지 않습니다.")
        form = QFormLayout(self)
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.file = QLineEdit()
        self.file.setPlaceholderText("응답 파일 경로")
        self.browse = QPushButton("찾아보기…")
        self.browse.clicked.connect(self.choose_file)
        rl.addWidget(self.file, 1)
        rl.addWidget(self.browse)
        self.survey = QComboBox()
        self.group = QComboBox()
        self.period = QComboBox()  # 학년말 first: the 학교평가서 uses it, and it is what an import was before
        for p in (YEAR_END, MIDYEAR):
            self.period.addItem(PERIOD_LABELS[p], p)
        self.period.setCurrentIndex(self.period.findData(DEFAULT_PERIOD))
        self.period.setToolTip("1학기에 한 설문이면 중간평가를 고르세요. 학교평가서에는 학년말평가만 들어갑니다.")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b00020;")
        form.addRow("파일(&F)", row)
        form.addRow("설문(&S)", self.survey)
        form.addRow("응답 집단(&G)", self.group)
        form.addRow("설문 시기(&P)", self.period)
        form.addRow("", self.message)
        self.file.textChanged.connect(self.completeChanged)
        self.survey.currentIndexChanged.connect(self.fill_groups)
        self.group.currentIndexChanged.connect(self.completeChanged)

    def set_surveys(self, surveys: list[dict]) -> None:
        self.survey.blockSignals(True)
        self.survey.clear()
        for s in surveys:
            self.survey.addItem(s["title"], s)
        self.survey.blockSignals(False)
        self.fill_groups()

    def fill_groups(self) -> None:
        s = self.survey.currentData()
        self.group.clear()
        for g in (s["groups"] if s else {}):
            self.group.addItem(g, g)
        self.completeChanged.emit()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "응답 파일 고르기", str(Path.home()), FILE_FILTER)
        if path:
            self.file.setText(path)

    def isComplete(self) -> bool:
        return bool(self.file.text().strip()) and self.survey.currentData() is not None and \
            self.group.currentData() is not None

    def validatePage(self) -> bool:
        path = Path(self.file.text().strip())
        if not path.is_file():
            self.message.setText("파일이 없습니다. 경로를 확인하세요.")
            return False
        try:
            names = sheet_names(path)  # the first bytes and the sheet list only: quick
        except SchoolVaultError as e:
            self.message.setText(str(e))
            return False
        self.message.setText("")
        self.wiz.sheets = names
        return True


class SheetPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("2. 시트 고르기")
        self.setSubTitle("응답이 들어 있는 시트를 고르세요. '자동'이면 문항과 가장 잘 맞는 시트를 씁니다.")
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        lay.addWidget(self.list)

    def initializePage(self) -> None:
        self.list.clear()
        auto = QListWidgetItem("자동 (문항과 맞는 시트 찾기)")
        auto.setData(Qt.UserRole, None)
        self.list.addItem(auto)
        for n in self.wiz.sheets:
            it = QListWidgetItem(n)
            it.setData(Qt.UserRole, n)
            self.list.addItem(it)
        self.list.setCurrentRow(0)

    def sheet(self) -> str | None:
        it = self.list.currentItem()
        return it.data(Qt.UserRole) if it else None


class PreviewPage(QWizardPage):
    """The plan: one row per column (header, item, confidence, what happens), and every problem."""

    COLS = ("열", "머리글", "연결할 문항", "일치도", "처리")

    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("3. 열 연결 확인")
        self.setSubTitle("각 열이 어느 문항으로 들어가는지 확인하세요. 노란 줄은 확인이 필요하고, "
                         "빨간 줄은 연결되지 않은 열입니다. 문항을 바꾸면 다시 계산합니다.")
        lay = QVBoxLayout(self)
        self.counts = QLabel("")
        self.counts.setWordWrap(True)
        lay.addWidget(self.counts)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(self.COLS)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.Stretch)
        lay.addWidget(self.table, 3)
        lay.addWidget(QLabel("확인할 점"))
        self.problems = QListWidget()
        lay.addWidget(self.problems, 1)
        self.busy = QLabel("")
        lay.addWidget(self.busy)
        self.create_button = QPushButton("이 파일의 질문으로 학교 설문 만들기")
        self.create_button.setToolTip("척도로 답한 열은 문항, 글로 답한 열은 서술형 문항이 됩니다.")
        self.create_button.setVisible(False)
        self.create_button.clicked.connect(self.wiz.create_survey_from_file)
        lay.addWidget(self.create_button)
        self._filling = False

    def initializePage(self) -> None:
        self.wiz.overrides = {}
        self.wiz.make_plan()

    def isComplete(self) -> bool:
        return self.wiz.plan is not None and not self.wiz.planning

    def show_busy(self, text: str) -> None:
        self.busy.setText(text)
        self.completeChanged.emit()

    def show_error(self, e: BaseException) -> None:
        self.table.setRowCount(0)
        self.problems.clear()
        self.counts.setText("")
        self.busy.setText("")
        self.problems.addItem(QListWidgetItem(str(e)))
        self.create_button.setVisible("맞는 열이 하나도 없습니다" in str(e))
        self.completeChanged.emit()

    def show_plan(self, plan: ImportPlan, targets: list[tuple[str, str]]) -> None:
        self._filling = True
        self.busy.setText("")
        self.create_button.setVisible(False)
        s = plan.summary()
        self.counts.setText(
            (f"시트 '{plan.sheet}' · " if plan.sheet else "") + f"읽은 행 {s['rows_read']} · 가져올 응답자 {s['respondents']}명 · "
            f"건너뛸 행 {len(s['skipped_rows'])} · 빈 값으로 둘 칸 {len(s['missing_cells'])} · "
            f"연결한 열 {len(s['columns_mapped'])} · 개인정보 열 제외 {len(s['columns_dropped'])}")
        self.table.setRowCount(len(plan.columns))
        for r, c in enumerate(plan.columns):
            self.table.setItem(r, 0, QTableWidgetItem(c.letter))
            head = QTableWidgetItem(c.header.replace("\n", " "))
            head.setToolTip(c.header)
            self.table.setItem(r, 1, head)
            conf = QTableWidgetItem("" if c.confidence is None else f"{c.confidence:.0%}")
            conf.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(r, 3, conf)
            what = ROLE_LABELS.get(c.role, c.role) + (f" — {c.note}" if c.note else "")
            if c.role == "unmapped" and c.guess:
                what += f" (가장 비슷한 문항: {c.guess})"
            status = QTableWidgetItem(what)
            status.setToolTip(what)
            self.table.setItem(r, 4, status)
            if c.role in ("item", "comment", "unmapped"):
                box = QComboBox()
                box.addItem(NO_ITEM, None)
                for code, text in targets:
                    box.addItem(f"{code}  {text[:60]}", code)
                idx = box.findData(c.code) if c.code else 0
                if c.role == "comment" and idx < 0:  # a question not in the survey, kept as comments
                    box.addItem(f"서술형: {c.code[:50]}", c.code)
                    idx = box.count() - 1
                box.setCurrentIndex(max(idx, 0))
                box.setProperty("column", c.letter)
                box.currentIndexChanged.connect(lambda _i, b=box: self.changed(b))
                self.table.setCellWidget(r, 2, box)
            else:
                self.table.setCellWidget(r, 2, None)
                self.table.setItem(r, 2, QTableWidgetItem(""))
            color = None
            if c.role in ("personal", "meta", "empty"):
                color = DROPPED
            elif c.role == "unmapped":
                color = UNMAPPED
            elif c.role == "item" and c.note and not c.manual:
                color = LOW_CONFIDENCE
            if color is not None:
                for col in (0, 1, 3, 4):
                    self.table.item(r, col).setBackground(color)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(3)
        self.table.setColumnWidth(4, 230)
        self.problems.clear()
        for p in plan.problems or ["문제가 없습니다."]:
            self.problems.addItem(QListWidgetItem(p))
        for sk in plan.skipped[:50]:
            self.problems.addItem(QListWidgetItem(f"{sk['row']}행 건너뜀: {sk['reason']}"))
        for m in plan.missing_cells[:50]:
            self.problems.addItem(QListWidgetItem(
                f"{m['row']}행 {m['letter']}열: '{m['value']}' → 빈 값 ({m['reason']})"))
        self._filling = False
        self.completeChanged.emit()

    def changed(self, box: QComboBox) -> None:
        if self._filling:
            return
        self.wiz.overrides[box.property("column")] = box.currentData()
        self.wiz.make_plan()


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle("4. 가져오기")
        self.setSubTitle("내용을 확인하고 '가져오기'를 누르세요. 파일 전체가 한꺼번에 저장되며, 취소하면 아무것도 바뀌지 않습니다.")
        lay = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.summary)
        self.replace = QCheckBox("이전에 가져온 같은 파일을 이 파일로 바꾸기")
        self.replace.setVisible(False)
        self.replace.toggled.connect(self.completeChanged)
        lay.addWidget(self.replace)
        row = QHBoxLayout()
        self.run_button = QPushButton("가져오기")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.wiz.run_import)
        self.cancel_button = QPushButton("중지")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.wiz.cancel_import)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        lay.addWidget(self.bar)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        lay.addWidget(self.result)
        lay.addStretch(1)

    def initializePage(self) -> None:
        plan = self.wiz.plan
        s = plan.summary()
        period = self.wiz.file_page.period.currentData()
        lines = [f"<b>{plan.path.name}</b> → {plan.instrument} / {plan.group} / {PERIOD_LABELS[period]}",
                 f"응답자 {s['respondents']}명, 문항 열 {len(s['columns_mapped'])}개, 서술형 의견 {s['comments']}개",
                 f"건너뛸 행 {len(s['skipped_rows'])}개, 빈 값으로 둘 칸 {len(s['missing_cells'])}개"]
        if s["columns_dropped"]:
            lines.append("저장하지 않는 개인정보 열: " + ", ".join(c["header"][:20] for c in s["columns_dropped"]))
        if s["items_missing"]:
            lines.append(f"파일에 없는 문항 {len(s['items_missing'])}개는 응답 없음으로 둡니다.")
        if s["columns_attributes"]:
            counts = ", ".join(f"{k} {v}명" for k, v in s["attributes"].get("학년", {}).items())
            lines.append(f"학년 문항은 응답자 구분으로 저장합니다 ({counts}).")
        earlier = self.wiz.earlier
        if earlier is not None:
            lines.append(f"<span style='color:#b00020'>이 파일(또는 같은 응답)은 {local_time(earlier.imported_at)}에 "
                         f"{earlier.group} 응답으로 이미 가져왔습니다 ({earlier.source_name}).</span>")
        self.replace.setVisible(earlier is not None)
        self.replace.setChecked(False)
        self.summary.setText("<br>".join(lines))
        self.result.setText("")
        self.bar.setVisible(False)
        self.run_button.setEnabled(True)

    def isComplete(self) -> bool:
        return self.wiz.summary is not None


class ImportWizard(QWizard):
    """Import one response file for one survey and group, with a preview of every column and problem."""

    imported = Signal(dict)  # the import summary, after a successful import

    def __init__(self, ws_path: str | Path, parent: QWidget | None = None, *, instrument_id: str | None = None,
                 group: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("응답 파일 가져오기")
        self.setWizardStyle(QWizard.ModernStyle)
        self.setOption(QWizard.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.NextButton, "다음 >")
        self.setButtonText(QWizard.BackButton, "< 이전")
        self.setButtonText(QWizard.FinishButton, "마침")
        self.setButtonText(QWizard.CancelButton, "닫기")
        self.resize(980, 680)
        self.jobs = WorkspaceJobs(ws_path, parent, self)
        self.sheets: list[str] = []
        self.surveys: list[dict] = []
        self.overrides: dict[str, str | None] = {}
        self.plan: ImportPlan | None = None
        self.earlier = None
        self.summary: dict | None = None
        self.planning = False
        self._job = None
        self._want = (instrument_id, canonical_group(group) if group else None)
        self.group_switched: dict[Path, tuple[str, str]] = {}  # file → (group chosen, group pre-selected)
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.preview_page = PreviewPage(self)
        self.confirm_page = ConfirmPage(self)
        for p in (self.file_page, self.sheet_page, self.preview_page, self.confirm_page):
            self.addPage(p)
        self.jobs.run(core.survey_choices, on_done=self._surveys_loaded)

    # ------------------------------------------------------------ steps
    def nextId(self) -> int:
        # one sheet (CSV, or a workbook with one sheet): nothing to choose
        if self.currentPage() is self.file_page and len(self.sheets) <= 1:
            return self.pageIds()[2]
        return super().nextId()

    def _surveys_loaded(self, surveys: list[dict]) -> None:
        self.surveys = surveys
        self.file_page.set_surveys(surveys)
        inst, grp = self._want
        if inst:
            i = next((k for k in range(self.file_page.survey.count())
                      if self.file_page.survey.itemData(k)["id"] == inst), -1)
            if i >= 0:
                self.file_page.survey.setCurrentIndex(i)
        if grp:
            i = self.file_page.group.findData(grp)
            if i >= 0:
                self.file_page.group.setCurrentIndex(i)

    def choice(self) -> tuple[Path, str, str, str | None]:
        fp = self.file_page
        sheet = self.sheet_page.sheet() if len(self.sheets) > 1 else None
        return Path(fp.file.text().strip()), fp.survey.currentData()["id"], fp.group.currentData(), sheet

    def targets(self) -> list[tuple[str, str]]:
        s = self.file_page.survey.currentData()
        g = s["groups"][self.file_page.group.currentData()]
        return list(g["items"]) + list(g["open"])

    # ------------------------------------------------------------ planning
    def make_plan(self) -> None:
        path, inst, group, sheet = self.choice()
        self.planning = True
        self.plan = None
        self.preview_page.show_busy("파일을 읽고 확인하는 중…")
        mapping = dict(self.overrides) or None
        self.jobs.run(_plan_job, path, inst, group, sheet, mapping, on_done=self._planned,
                      on_error=self._plan_failed, with_progress=True)

    def create_survey_from_file(self) -> None:
        from ...importing.survey_from import create_from_file_auto
        path, _inst, group, sheet = self.choice()
        self.preview_page.create_button.setEnabled(False)
        self.preview_page.show_busy("파일의 질문으로 설문을 만드는 중…")

        def created(result: dict) -> None:
            self.preview_page.create_button.setEnabled(True)
            self._want = (result["id"], group)
            self.jobs.run(core.survey_choices, on_done=lambda s: (self._surveys_loaded(s), self.make_plan()))

        def failed(e: BaseException) -> bool:
            self.preview_page.create_button.setEnabled(True)
            return self._plan_failed(e)
        self.jobs.run(create_from_file_auto, path, group=group, sheet=sheet, on_done=created, on_error=failed)

    def _planned(self, result) -> None:
        self.planning = False
        plan, earlier = result
        if plan.likely_group and plan.path not in self.group_switched:
            # the headers fit another group clearly better: pre-select it once per file; choosing the
            # first group again on page 1 keeps it (the warning stays in the problems list)
            i = self.file_page.group.findData(plan.likely_group)
            if i >= 0:
                self.group_switched[plan.path] = (plan.group, plan.likely_group)
                self.file_page.group.setCurrentIndex(i)
                self.overrides = {}
                self.make_plan()
                return
        self.plan, self.earlier = plan, earlier
        self.preview_page.show_plan(self.plan, self.targets())
        was = self.group_switched.get(plan.path)
        if was and was[1] == plan.group:
            self.preview_page.problems.insertItem(0, QListWidgetItem(
                f"이 파일의 질문은 '{was[1]}' 문항과 더 잘 맞아 응답 집단을 '{was[0]}'에서 '{was[1]}'(으)로 바꿨습니다. "
                "다르면 '< 이전'에서 응답 집단을 고르세요."))

    def _plan_failed(self, e: BaseException) -> bool:
        self.planning = False
        self.plan = None
        if isinstance(e, SchoolVaultError):
            self.preview_page.show_error(e)
            return True
        return False

    # ------------------------------------------------------------ importing
    def run_import(self) -> None:
        page = self.confirm_page
        if self.earlier is not None and not page.replace.isChecked():
            page.result.setText("이미 가져온 파일입니다. 바꾸려면 위의 확인란을 고르세요.")
            return
        page.run_button.setEnabled(False)
        page.cancel_button.setEnabled(True)
        page.bar.setVisible(True)
        page.bar.setRange(0, 0)
        page.result.setText("저장하는 중…")
        self.button(QWizard.BackButton).setEnabled(False)
        # force_group: the user saw the group warning in the preview and kept the group
        self._job = self.jobs.run(core.commit_plan, self.plan, replace=page.replace.isChecked(), force_group=True,
                                  period=self.file_page.period.currentData(), on_done=self._imported, on_error=self._import_failed, with_progress=True)
        self._job.signals.progressed.connect(self._progress)

    def _progress(self, done: int, total: int, label: str) -> None:
        bar = self.confirm_page.bar
        bar.setRange(0, max(total, 1))
        bar.setValue(min(done, total))
        bar.setFormat(f"{label} %p%")

    def cancel_import(self) -> None:
        if self._job is not None:
            self._job.progress.cancel()

    def _imported(self, summary: dict) -> None:
        self._job = None
        self.summary = summary
        page = self.confirm_page
        page.cancel_button.setEnabled(False)
        page.bar.setRange(0, 1)
        page.bar.setValue(1)
        page.bar.setFormat("완료")
        page.result.setText(f"가져왔습니다: {summary['group']} {summary['period_label']} 응답자 {summary['respondents']}명, "
                            f"서술형 의견 {summary['comments']}개." + "".join(f" {n}." for n in summary.get("notes", ())))
        page.completeChanged.emit()
        self.imported.emit(summary)

    def _import_failed(self, e: BaseException) -> bool:
        from ...errors import Cancelled
        self._job = None
        page = self.confirm_page
        page.cancel_button.setEnabled(False)
        page.run_button.setEnabled(True)
        page.bar.setVisible(False)
        self.button(QWizard.BackButton).setEnabled(True)
        if isinstance(e, Cancelled):
            page.result.setText("중지했습니다. 아무것도 바뀌지 않았습니다.")
            return True
        if isinstance(e, SchoolVaultError):
            page.result.setText(str(e))
            return True
        return False

    def done(self, result: int) -> None:
        if self._job is not None:  # closing mid-import: cancel, the transaction rolls back
            self._job.progress.cancel()
        self.jobs.close()
        super().done(result)


def _plan_job(ws, path, instrument_id, group, sheet, mapping, *, progress):
    plan = core.prepare(ws, path, instrument_id, group, sheet=sheet, mapping=mapping, progress=progress)
    return plan, core.earlier_import(ws, plan)
