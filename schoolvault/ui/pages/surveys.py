"""설문: which surveys have answers from which groups, and the ways answers come in
(response files from online forms, paper entry)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import results, services
from .. import readonly as ro
from .. import session as flags
from ..dialogs.form_questions import FormQuestionsDialog
from .base import Page, heading, hint
from .dashboard import card

METHODS = {"import": "파일", "demo": "예시 데이터", "paper": "종이 설문", "manual": "직접 입력"}


def _overview(ws) -> tuple[list[dict], list[dict], dict[str, dict[str, dict]]]:
    data = results.surveys_overview(ws)
    rates = {s["id"]: {r["group"]: r for r in services.response_rates(ws, s["id"])["groups"]} for s in data}
    return data, services.list_imports(ws), rates


def rate_text(row: dict | None) -> str:
    """'9/12명 · 75.0%' (학년말 respondents of the people asked); '—' while the count is not entered."""
    if not row or row["rate"] is None:
        return "—"
    return f"{row['respondents']}/{row['asked']}명 · {row['rate']:.1f}%"


class SurveysPage(Page):
    title = "설문"
    concerns = frozenset({flags.RESPONSES, flags.YEAR, flags.SCHOOL})

    def __init__(self, main):
        super().__init__(main)
        self.data: list[dict] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        outer.addWidget(heading("설문 응답", 16))
        outer.addWidget(hint("온라인 설문(구글 설문, 네이버 폼)의 응답 파일을 가져오거나 종이 설문을 입력하세요. "
                             "집단(교원·직원·학생·학부모)마다 한 파일씩 가져옵니다. 응답자를 알아볼 수 있는 정보는 저장하지 않습니다."))
        row = QHBoxLayout()
        # the import wizard and paper entry open from here and from the 설문 menu.
        self.import_button = QPushButton("응답 파일 가져오기…")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(lambda: self.main.open_import_wizard())
        self.paper_button = QPushButton("종이 설문 입력…")
        self.paper_button.clicked.connect(self.main.open_paper_entry)
        row.addWidget(self.import_button)
        row.addWidget(self.paper_button)
        row.addStretch(1)
        self.results_button = QPushButton("결과 보기 →")
        self.results_button.clicked.connect(lambda: self.main.show_page("results"))
        row.addWidget(self.results_button)
        outer.addLayout(row)
        ro.editable(self.import_button, self.paper_button)  # ui/readonly.py
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        self.body = QWidget()
        self.body_lay = QVBoxLayout(self.body)
        self.body_lay.setContentsMargins(0, 8, 0, 0)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)

    def refresh(self) -> None:
        self.session.run(_overview, on_done=self._show)

    def _show(self, got: tuple[list[dict], list[dict], dict[str, dict[str, dict]]]) -> None:
        data, imports, rates = got
        self.data = data
        self.asked_boxes: dict[tuple[str, str], QSpinBox] = {}
        self.rate_labels: dict[tuple[str, str], QLabel] = {}
        while self.body_lay.count():
            w = self.body_lay.takeAt(0).widget()
            if w:
                w.deleteLater()
        for s in data:
            f, lay = card()
            lay.addWidget(heading(s["title"], 12))
            total = sum(s["counts"].values())
            lay.addWidget(hint(f"문항 {s['items']}개 · 응답 집단 {', '.join(s['groups'])}"
                               + (f" · 올해 응답자 {total}명" if total else " · 아직 응답이 없습니다")))
            grid = QGridLayout()
            for c, text in enumerate(["집단", "응답자", "가져온 자료", "대상자", "응답률", "", ""]):
                lab = QLabel(f"<b>{text}</b>")
                grid.addWidget(lab, 0, c)
            for r, g in enumerate(s["groups"], 1):
                n = s["counts"].get(g, 0)
                grid.addWidget(QLabel(g), r, 0)
                nl = QLabel(f"{n}명" if n else "없음")
                if n and n < 5:
                    nl.setText(f"{n}명 (5명 미만: 제출 통계에서 가려짐)")
                    nl.setStyleSheet("color:#b35c00;")
                elif not n:
                    nl.setStyleSheet("color:#999;")
                grid.addWidget(nl, r, 1)
                srcs = [f"{i['source'] or METHODS.get(i['method'], i['method'])} ({i['respondents']}명)"
                        for i in s["imports"] if i["group"] == g]
                src = QLabel(", ".join(srcs) or "—")
                src.setWordWrap(True)
                grid.addWidget(src, r, 2)
                row = rates.get(s["id"], {}).get(g)
                grid.addWidget(self._asked_box(s["id"], s["title"], g, row), r, 3)
                rl = QLabel()
                self.rate_labels[(s["id"], g)] = rl
                self._show_rate(s["id"], g, row)
                grid.addWidget(rl, r, 4)
                b = QPushButton("가져오기…" if not n else "더 가져오기…")
                b.setAccessibleName(f"{s['title']} {g} 응답 가져오기")
                b.clicked.connect(lambda _=False, sid=s["id"], grp=g: self.main.open_import_wizard(sid, grp))
                ro.editable(b)
                grid.addWidget(b, r, 5)
                q = QPushButton("온라인 설문 문항…")
                q.setToolTip("구글 설문·네이버 폼에 붙여 넣을 문항과 선택지 (텍스트, 엑셀)")
                q.setAccessibleName(f"{s['title']} {g} 온라인 설문 문항")
                q.clicked.connect(lambda _=False, sid=s["id"], t=s["title"], grp=g: self.open_form_questions(sid, t, grp))
                grid.addWidget(q, r, 6)
            grid.setColumnStretch(2, 1)
            lay.addLayout(grid)
            if total:
                see = QPushButton("이 설문의 결과 보기 →")
                see.clicked.connect(lambda _=False, sid=s["id"]: self.main.show_page("results").focus(sid))
                lay.addWidget(see, 0, Qt.AlignRight)
            self.body_lay.addWidget(f)
        self.body_lay.addWidget(self._imports_card(imports))
        self.body_lay.addStretch(1)
        self.loaded = True

    def _asked_box(self, sid: str, title: str, group: str, row: dict | None) -> QSpinBox:
        """How many people of the group were asked (설문 대상자 수); saved when typed in (Enter, leaving the box)."""
        box = QSpinBox()
        box.setRange(0, services.MAX_ASKED)
        box.setSpecialValueText("모름")
        box.setSuffix("명")
        box.setKeyboardTracking(False)  # one save per entry, not per digit
        box.setValue((row or {}).get("asked") or 0)
        box.setToolTip("설문을 요청한 사람 수 (응답률 = 학년말 응답자 ÷ 대상자). 0은 '모름'입니다.")
        box.setAccessibleName(f"{title} {group} 대상자 수")
        box.valueChanged.connect(lambda v, sid=sid, grp=group: self.save_asked(sid, grp, v))
        ro.editable(box)  # locked with the reason in a read-only window (ui/readonly.py)
        self.asked_boxes[(sid, group)] = box
        return box

    def _show_rate(self, sid: str, group: str, row: dict | None) -> None:
        label = self.rate_labels.get((sid, group))
        if label is None:
            return
        label.setText(rate_text(row))
        warn = (row or {}).get("warning")
        label.setToolTip(warn or "학년말 응답자 ÷ 대상자")
        label.setStyleSheet("color:#b00020;" if warn else "")

    def save_asked(self, sid: str, group: str, count: int) -> None:
        self.session.save(services.set_asked, sid, group, count,
                          on_done=lambda row, sid=sid: self._asked_saved(sid, row))

    def _asked_saved(self, sid: str, row: dict) -> None:
        self.asked_saves = getattr(self, "asked_saves", 0) + 1
        self._show_rate(sid, row["group"], row)
        what = f"{row['asked']}명" if row["asked"] else "모름"
        self.main.set_status(f"{row['group']} 대상자 수를 저장했습니다: {what}"
                             + (f" (응답률 {row['rate']:.1f}%)" if row["rate"] is not None else ""))

    def open_form_questions(self, instrument_id: str, title: str, group: str) -> FormQuestionsDialog:
        dlg = FormQuestionsDialog(self.main, instrument_id, title, group)
        self.form_dialog = dlg
        dlg.show()
        return dlg

    def _imports_card(self, imports: list[dict]) -> QFrame:
        """Every import of the year (file, group, period, rows, local time) with 삭제, newest first."""
        f, lay = card()
        lay.addWidget(heading("가져온 자료", 12))
        rows = list(reversed(imports))
        if not rows:
            lay.addWidget(hint("올해 가져온 응답이 아직 없습니다."))
            self.imports_table = None
            return f
        lay.addWidget(hint("잘못 가져온 파일(다른 집단, 다른 시기)은 삭제한 뒤 다시 가져오세요. "
                           "삭제하기 전에 작업 파일을 백업합니다."))
        t = QTableWidget(len(rows), 7)
        t.setHorizontalHeaderLabels(["파일", "설문", "집단", "시기", "응답자", "가져온 때", ""])
        t.verticalHeader().setVisible(False)
        t.setEditTriggers(QTableWidget.NoEditTriggers)
        t.setSelectionMode(QTableWidget.NoSelection)
        self.delete_buttons: dict[int, QPushButton] = {}
        for r, i in enumerate(rows):
            name = i["file"]
            cells = [name, i["survey"], i["group"], i["period_label"], f"{i['rows']}명", i["local_time"]]
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setToolTip(text)
                t.setItem(r, c, it)
            b = QPushButton("삭제…")
            b.setAccessibleName(f"{name} {i['group']} 가져오기 삭제")
            ro.editable(b)  # locked with the reason in a read-only window (ui/readonly.py)
            b.clicked.connect(lambda _=False, adm=i: self.delete_import(adm["id"], adm["file"], adm["group"],
                                                                        adm["rows"]))
            t.setCellWidget(r, 6, b)
            self.delete_buttons[i["id"]] = b
        h = t.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in range(1, 7):
            h.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        t.setMinimumHeight(min(10, len(rows)) * 32 + 32)
        self.imports_table = t
        lay.addWidget(t)
        return f

    def confirm(self, text: str) -> bool:
        return QMessageBox.question(self, "가져온 자료 삭제", text) == QMessageBox.Yes

    def delete_import(self, adm_id: int, name: str, group: str, respondents: int) -> None:
        if not self.confirm(f"{name} ({group}, 응답자 {respondents}명)을(를) 삭제할까요?\n"
                            "먼저 작업 파일을 백업하므로 백업 및 복원에서 되돌릴 수 있습니다."):
            return
        self.session.run(services.delete_import, adm_id, label="가져온 자료 삭제 중", on_done=self._deleted)

    def _deleted(self, result: dict) -> None:
        self.last_deleted = result
        where = f" 지우기 전 백업: {result['backup']}" if result.get("backup") else ""
        self.main.set_status(f"{result['file']} ({result['group']}, {result['rows']}명)을(를) 삭제했습니다.{where}")
        self.changed(flags.RESPONSES)
