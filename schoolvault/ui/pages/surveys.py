"""설문: which surveys have answers from which groups, and the ways answers come in
(response files from online forms, paper entry)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ... import results
from .. import session as flags
from .base import Page, heading, hint
from .dashboard import card

METHODS = {"import": "파일", "demo": "예시 데이터", "paper": "종이 설문", "manual": "직접 입력"}


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
        # Integration points (issue 3): the import wizard and paper entry open from here and from the 설문 menu.
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        self.body = QWidget()
        self.body_lay = QVBoxLayout(self.body)
        self.body_lay.setContentsMargins(0, 8, 0, 0)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)

    def refresh(self) -> None:
        self.session.run(results.surveys_overview, on_done=self._show)

    def _show(self, data: list[dict]) -> None:
        self.data = data
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
            for c, text in enumerate(["집단", "응답자", "가져온 자료", ""]):
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
                b = QPushButton("가져오기…" if not n else "더 가져오기…")
                b.setAccessibleName(f"{s['title']} {g} 응답 가져오기")
                b.clicked.connect(lambda _=False, sid=s["id"], grp=g: self.main.open_import_wizard(sid, grp))
                grid.addWidget(b, r, 3)
            grid.setColumnStretch(2, 1)
            lay.addLayout(grid)
            if total:
                see = QPushButton("이 설문의 결과 보기 →")
                see.clicked.connect(lambda _=False, sid=s["id"]: self.main.show_page("results").focus(sid))
                lay.addWidget(see, 0, Qt.AlignRight)
            self.body_lay.addWidget(f)
        self.body_lay.addStretch(1)
        self.loaded = True
