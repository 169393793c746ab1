"""대시보드: where the year stands, the stages, the counts and one clear next step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ... import guide
from ...forms.groups import GROUPS
from ...forms.periods import PERIOD_LABELS
from .. import readonly as ro
from .. import session as flags
from .base import Page, heading, hint

LEVEL_NAMES = {"초": "초등학교", "중": "중학교", "고": "고등학교", "특수": "특수학교"}


def district_name(d: str) -> str:
    return "서울특별시교육청(본청)" if d == "본청" else f"서울특별시{d}교육지원청"


def card(object_name: str = "card") -> tuple[QFrame, QVBoxLayout]:
    f = QFrame()
    f.setObjectName(object_name)
    lay = QVBoxLayout(f)
    lay.setContentsMargins(16, 14, 16, 14)
    return f, lay


class StageBar(QWidget):
    """계획 → 중간점검 → … → 제출, the current stage highlighted, earlier ones ticked."""

    def __init__(self):
        super().__init__()
        self.lay = QHBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []

    def set_stage(self, stages: list[tuple[str, str]], current: str) -> None:
        while self.lay.count():
            w = self.lay.takeAt(0).widget()
            if w:
                w.deleteLater()
        self.labels = []
        idx = [s for s, _ in stages].index(current) if current in [s for s, _ in stages] else 0
        for i, (_, label) in enumerate(stages):
            if i > 0:
                arrow = QLabel("→")
                arrow.setStyleSheet("color: #8899aa; font-size: 14pt;")
                self.lay.addWidget(arrow)
            if i < idx:
                text, style = f"✓ {label}", "background:#dcefe0; color:#25613a; border:1px solid #9fd0ad;"
            elif i == idx:
                text, style = f"● {label}", "background:#2f6db5; color:white; font-weight:bold;"
            else:
                text, style = label, "background:#f1f3f6; color:#667; border:1px solid #d6dde6;"
            lab = QLabel(text)
            lab.setAlignment(Qt.AlignCenter)
            lab.setStyleSheet(style + "border-radius:14px; padding:6px 12px; font-size:11pt;")
            lab.setAccessibleName(f"단계 {i + 1}: {label}" + (" (현재)" if i == idx else ""))
            self.labels.append(lab)
            self.lay.addWidget(lab)
        self.lay.addStretch(1)


class DashboardPage(Page):
    title = "대시보드"
    concerns = flags.ALL

    def __init__(self, main):
        super().__init__(main)
        self.data: dict | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(28, 22, 28, 22)
        lay.setSpacing(16)

        lay.addLayout(self._build_header())
        lay.addWidget(heading("올해 평가 단계", 12))
        self.stages = StageBar()
        lay.addWidget(self.stages)
        lay.addWidget(self._build_next_card())
        lay.addLayout(self._build_counts())
        lay.addWidget(self._build_flow_card())
        lay.addStretch(1)
        # the year selector writes only which year is shown: usable in a past year (to leave it)
        ro.editable(self.year_combo, kind=ro.HELD)
        ro.editable(self.advance_button)

    def _build_header(self) -> QHBoxLayout:
        """The school's name and facts, and the year shown."""
        top = QHBoxLayout()
        names = QVBoxLayout()
        self.school_label = heading("", 20)
        self.meta_label = QLabel("")
        self.meta_label.setStyleSheet("color:#445; font-size:11pt;")
        names.addWidget(self.school_label)
        names.addWidget(self.meta_label)
        top.addLayout(names, 1)
        top.addWidget(QLabel("학년도"))
        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(130)
        self.year_combo.setAccessibleName("학년도 선택")
        self.year_combo.activated.connect(self._year_chosen)
        top.addWidget(self.year_combo)
        return top

    def _build_next_card(self) -> QFrame:
        """다음에 할 일: the one next step, its button, and the button that moves the year's stage on."""
        nxt, nlay = card("nextcard")
        cap = QLabel("다음에 할 일")
        cap.setStyleSheet("color:#2f6db5; font-weight:bold;")
        nlay.addWidget(cap)
        self.next_title = heading("", 15)
        self.next_detail = hint("")
        nlay.addWidget(self.next_title)
        nlay.addWidget(self.next_detail)
        row = QHBoxLayout()
        self.next_button = QPushButton("지금 하기")
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self._go_next)
        self.advance_button = QPushButton("")
        self.advance_button.clicked.connect(self._advance)
        row.addWidget(self.next_button)
        row.addWidget(self.advance_button)
        row.addStretch(1)
        nlay.addLayout(row)
        return nxt

    def _build_counts(self) -> QGridLayout:
        """Two cards side by side: indicators rated and checked, respondents per survey and group."""
        grid = QGridLayout()
        grid.setSpacing(14)
        c1, l1 = card()
        l1.addWidget(heading("자체평가", 12))
        self.rated_label = QLabel("")
        self.rated_bar = QProgressBar()
        self.rated_bar.setFormat("%v / %m 지표")
        l1.addWidget(self.rated_label)
        l1.addWidget(self.rated_bar)
        self.mid_label = QLabel("")
        self.mid_bar = QProgressBar()
        self.mid_bar.setFormat("%v / %m 지표")
        l1.addWidget(self.mid_label)
        l1.addWidget(self.mid_bar)
        b = QPushButton("자체평가 열기")
        b.clicked.connect(lambda: self.main.show_page("selfeval"))
        l1.addWidget(b, 0, Qt.AlignLeft)
        l1.addStretch(1)
        grid.addWidget(c1, 0, 0)

        c2, l2 = card()
        l2.addWidget(heading("설문 응답 (응답자 수)", 12))
        self.responses_grid = QGridLayout()
        l2.addLayout(self.responses_grid)
        b2 = QPushButton("설문 열기")
        b2.clicked.connect(lambda: self.main.show_page("surveys"))
        l2.addWidget(b2, 0, Qt.AlignLeft)
        l2.addStretch(1)
        grid.addWidget(c2, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _build_flow_card(self) -> QFrame:
        c3, l3 = card()
        l3.addWidget(heading("한 해의 흐름", 12))
        steps = self.flow_label = QLabel("")  # guide.year_flow of the year, filled in show_data
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.RichText)
        l3.addWidget(steps)
        return c3

    def refresh(self) -> None:
        self.session.run(guide.overview, on_done=self.show_data)

    def show_data(self, d: dict) -> None:
        self.data = d
        s = d["school"]
        self.school_label.setText(s["name"])
        meta = [LEVEL_NAMES.get(s["level"], s["level"]), district_name(s["district"])]
        if s.get("code"):
            meta.append(f"학교 코드 {s['code']}")
        self.meta_label.setText(" · ".join(meta) + f" · {d['year']}학년도")
        self.year_combo.clear()
        for y in d["years"]:
            self.year_combo.addItem(f"{y}학년도", y)
        self.year_combo.setCurrentIndex(d["years"].index(d["year"]))
        self.stages.set_stage(d["stage_labels"], d["stage"])
        self.flow_label.setText("<ol style='margin-left:-20px'>"
                                + "".join(f"<li><b>{name}</b> — {text}</li>" for name, text in d["flow"]) + "</ol>")
        n = d["next"]
        self.next_title.setText(n["title"])
        self.next_detail.setText(n["detail"])
        self.next_button.setText({"plan": "평가 계획 열기", "selfeval": "자체평가 열기", "midyear": "중간점검 열기",
                                  "surveys": "설문 응답 가져오기", "results": "결과 보기", "reports": "보고서 만들기",
                                  "new_year": "새 학년도 시작…"}.get(n["page"], "지금 하기"))
        self.advance_button.setVisible(n["can_advance"] and bool(d.get("finish")))
        self.advance_button.setText(d.get("finish") or "")
        # when the stage's work is done, moving on is the main action
        self.advance_button.setObjectName("primary" if n.get("ready") else "")
        self.next_button.setObjectName("" if n.get("ready") else "primary")
        for b in (self.advance_button, self.next_button):
            b.style().unpolish(b)
            b.style().polish(b)
        chosen = d["indicators_chosen"]
        self.rated_label.setText(f"등급을 매긴 지표: {d['indicators_rated']}개 / {chosen}개"
                                 + (f" (남은 지표 {chosen - d['indicators_rated']}개)"
                                    if d["indicators_rated"] < chosen else " — 모두 끝났습니다"))
        self.rated_bar.setMaximum(max(chosen, 1))
        self.rated_bar.setValue(d["indicators_rated"])
        self.mid_label.setText(f"중간 자율점검을 한 지표: {d['midyear_checked']}개 / {chosen}개")
        self.mid_bar.setMaximum(max(chosen, 1))
        self.mid_bar.setValue(d["midyear_checked"])
        self._fill_responses(d)
        self.loaded = True

    def _fill_responses(self, d: dict) -> None:
        g = self.responses_grid
        while g.count():
            w = g.takeAt(0).widget()
            if w:
                w.deleteLater()
        if not d["responses"]:
            g.addWidget(hint("아직 가져온 설문 응답이 없습니다. '설문'에서 응답 파일을 가져오세요."), 0, 0)
            return
        for c, grp in enumerate(GROUPS, 1):
            lab = QLabel(grp)
            lab.setStyleSheet("font-weight:bold;")
            g.addWidget(lab, 0, c, Qt.AlignRight)
        rows = [(inst, period, counts) for period, by_inst in d["responses_by_period"]
                for inst, counts in sorted(by_inst.items())]
        for r, (inst, period, counts) in enumerate(rows, 1):
            title = f"{d['survey_titles'].get(inst, inst)} · {PERIOD_LABELS.get(period, period)}"
            lab = QLabel(title)
            lab.setWordWrap(True)
            g.addWidget(lab, r, 0)
            for c, grp in enumerate(GROUPS, 1):
                n = counts.get(grp)
                cell = QLabel(f"{n}명" if n else "—")
                if n is not None and n < 5:
                    cell.setToolTip("응답자가 5명 미만이면 외부 제출 통계에서 가려집니다.")
                    cell.setStyleSheet("color:#b35c00;")
                g.addWidget(cell, r, c, Qt.AlignRight)
        g.setColumnStretch(0, 1)

    def _go_next(self) -> None:
        if self.data:
            self.main.go(self.data["next"]["page"])

    def _advance(self) -> None:
        if self.data:
            self.session.run(guide.finish_stage, self.data["stage"], on_done=lambda _: self.changed(flags.STAGE))

    def _year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if self.data and year != self.data["year"]:
            self.session.run(guide.switch_year, year, on_done=lambda _: self.changed(*flags.ALL))
