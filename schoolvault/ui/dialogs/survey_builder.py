"""Building a questionnaire from the official item bank: choose indicators and their sentences.

The bank file is imported as is (문항 예시자료 엑셀 or JSON); the user ticks sentences under each indicator
for one respondent group, names the survey, and can save a Google-Forms-ready template at once.
All work is core calls (schoolvault.itembank, importing.template) run as jobs.
Constructible alone as `SurveyBuilderDialog(ws_path, parent=None)`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import itembank, services
from ...errors import SchoolVaultError
from ...forms.groups import GROUPS
from ...importing.survey_from import free_survey_id
from ...importing.template import write_template
from .ws_jobs import WorkspaceJobs


def _start(ws) -> dict:
    _, year = services.require_school(ws)
    return {"banks": itembank.banks(ws), "free_id": free_survey_id(ws, year)}


def _template(ws, survey_id: str, group: str, out: str) -> dict:
    return write_template(services.survey(ws, survey_id), group, out)


class SurveyBuilderDialog(QDialog):
    created = Signal(dict)

    def __init__(self, ws_path: str | Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("문항 예시자료로 설문 만들기")
        self.resize(980, 720)
        self.jobs = WorkspaceJobs(ws_path, parent, self)
        self.result_info: dict | None = None
        self._filling = False
        lay = QVBoxLayout(self)
        intro = QLabel("교육청 학교평가문항 예시자료에서 지표를 고르고, 지표마다 쓸 문항에 표시하세요. "
                       "문항은 지표와 연결되어 자체평가 결과에 쓰입니다.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        top = QHBoxLayout()
        self.bank = QComboBox()
        self.group = QComboBox()
        for g in GROUPS:
            self.group.addItem(g, g)
        self.import_bank = QPushButton("예시자료 파일 가져오기…")
        self.import_bank.clicked.connect(self.choose_bank_file)
        for text, box, stretch in (("예시자료(&B)", self.bank, 2), ("응답 집단(&G)", self.group, 1)):
            label = QLabel(text)
            label.setBuddy(box)
            top.addWidget(label)
            top.addWidget(box, stretch)
        top.addWidget(self.import_bank)
        lay.addLayout(top)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["지표와 문항"])
        self.tree.setWordWrap(True)
        lay.addWidget(self.tree, 1)
        form = QFormLayout()
        self.survey_id = QLineEdit()
        self.title = QLineEdit()
        form.addRow("설문 id(&I)", self.survey_id)
        form.addRow("제목(&T)", self.title)
        lay.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.count = QLabel("")
        self.build_button = QPushButton("설문 만들기")
        self.build_button.clicked.connect(self.build)
        self.template_button = QPushButton("양식 저장…")
        self.template_button.setEnabled(False)
        self.template_button.clicked.connect(self.save_template)
        close = QPushButton("닫기")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.template_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.bank.currentIndexChanged.connect(self.fill_tree)
        self.group.currentIndexChanged.connect(self.fill_tree)
        self.tree.itemChanged.connect(self._ticked)
        self.reload()

    # ------------------------------------------------------------ banks
    def reload(self, select: str | None = None, note: str = "") -> None:
        self.jobs.run(_start, on_done=lambda r: self._loaded(r, select, note))

    def _loaded(self, r: dict, select: str | None, note: str = "") -> None:
        self.bank.blockSignals(True)
        self.bank.clear()
        for b in r["banks"]:
            self.bank.addItem(b["title"], b)
        if select:
            i = next((n for n in range(self.bank.count()) if self.bank.itemData(n)["id"] == select), 0)
            self.bank.setCurrentIndex(i)
        self.bank.blockSignals(False)
        if not self.survey_id.text():
            self.survey_id.setText(r["free_id"])
        self.message.setText(note if r["banks"] else
                             "가져온 예시자료가 없습니다. '예시자료 파일 가져오기…'로 교육청 엑셀이나 JSON 파일을 고르세요.")
        self.fill_tree()

    def choose_bank_file(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "문항 예시자료 파일 (평가주체별 JSON은 함께 고르세요)", str(Path.home()),
            "문항 예시자료 (*.xlsx *.xls *.json);;모든 파일 (*)")
        if paths:
            self.import_bank_file(*paths)

    def import_bank_file(self, path: str, *more: str) -> None:
        self.jobs.run(services.import_instrument, path, *more, on_done=self._bank_imported,
                      on_error=self._failed, label="문항 예시자료를 읽는 중…")

    def _bank_imported(self, r: dict) -> None:
        fixes = r.get("corrections") or []
        lines = [f"{c['sheet'] or c['file']} {c['row']}행 '{c['indicator']}': {c['column']} {c['from']} → {c['to']}"
                 for c in fixes]
        note = (f"같은 평가지표가 다른 행에서 놓인 자리에 맞춰 {len(fixes)}개 행을 바로잡았습니다.\n"
                + "\n".join(lines[:5]) + ("\n…" if len(lines) > 5 else "")) if fixes else ""
        self.reload(r["id"], note)

    # ------------------------------------------------------------ choosing
    def fill_tree(self) -> None:
        self._filling = True
        self.tree.clear()
        b, g = self.bank.currentData(), self.group.currentData()
        if b:
            subareas: dict[str, QTreeWidgetItem] = {}
            for ind in b["indicators"]:
                sentences = ind["groups"].get(g)
                if not sentences:
                    continue
                sub = subareas.get(ind["subarea"])
                if sub is None:
                    sub = subareas[ind["subarea"]] = QTreeWidgetItem(self.tree, [ind["subarea"]])
                    sub.setFlags(sub.flags() & ~Qt.ItemIsSelectable)
                    sub.setExpanded(True)
                node = QTreeWidgetItem(sub, [ind["indicator"]])
                node.setData(0, Qt.UserRole, ind["indicator"])
                for n, text in enumerate(sentences):
                    leaf = QTreeWidgetItem(node, [text])
                    leaf.setFlags(leaf.flags() | Qt.ItemIsUserCheckable)
                    leaf.setCheckState(0, Qt.Unchecked)
                    leaf.setData(0, Qt.UserRole, n)
                    leaf.setToolTip(0, text)
        self._filling = False
        self._update_count()

    def picks(self) -> dict[tuple[str, str], list[int]]:
        g = self.group.currentData()
        out: dict[tuple[str, str], list[int]] = {}
        for i in range(self.tree.topLevelItemCount()):
            sub = self.tree.topLevelItem(i)
            for j in range(sub.childCount()):
                node = sub.child(j)
                chosen = [node.child(k).data(0, Qt.UserRole) for k in range(node.childCount())
                          if node.child(k).checkState(0) == Qt.Checked]
                if chosen:
                    out[(node.data(0, Qt.UserRole), g)] = chosen
        return out

    def _ticked(self, *_):
        if not self._filling:
            self._update_count()

    def _update_count(self) -> None:
        picks = self.picks()
        n = sum(len(v) for v in picks.values())
        self.count.setText(f"지표 {len(picks)}개, 문항 {n}개를 골랐습니다." if n else "문항을 하나 이상 고르세요.")
        self.build_button.setEnabled(n > 0)

    # ------------------------------------------------------------ building
    def build(self) -> None:
        b, g = self.bank.currentData(), self.group.currentData()
        picks = self.picks()
        if not b or not picks:
            return
        self.build_button.setEnabled(False)
        self.jobs.run(itembank.build_survey, survey_id=self.survey_id.text().strip(), bank_id=b["id"], groups=[g],
                      indicators=[ind for ind, _ in picks], title=self.title.text().strip() or None, picks=picks,
                      on_done=self._built, on_error=self._failed)

    def _built(self, r: dict) -> None:
        self.result_info = r
        self.build_button.setEnabled(True)
        self.template_button.setEnabled(True)
        text = f"설문을 만들었습니다: {r['title']} ({r['id']}), 문항 {r['items']}개."
        if r.get("placeholders"):
            text += " 'OO'가 들어 있는 문항은 학교에 맞게 고치세요: " + ", ".join(r["placeholders"])
        self.message.setText(text)
        self.created.emit(r)

    def _failed(self, e: BaseException) -> bool:
        self.build_button.setEnabled(True)
        if isinstance(e, SchoolVaultError):
            self.message.setText(str(e))
            return True
        return False

    def save_template(self) -> None:
        if not self.result_info:
            return
        path, _ = QFileDialog.getSaveFileName(self, "설문 양식 저장", str(Path.home() / f"{self.result_info['id']}.xlsx"),
                                              "엑셀 (*.xlsx);;텍스트 (*.txt)")
        if path:
            self.write_template_to(path)

    def write_template_to(self, path: str) -> None:
        self.jobs.run(_template, self.result_info["id"], self.group.currentData(), path,
                      on_done=lambda r: self.message.setText(f"양식을 저장했습니다: {r['file']} (문항 {r['questions']}개)"),
                      on_error=self._failed)

    @property
    def idle(self) -> bool:
        return self.jobs.idle

    def done(self, result: int) -> None:
        self.jobs.close()
        super().done(result)
