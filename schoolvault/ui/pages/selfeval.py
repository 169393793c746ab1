"""자체평가: the indicator workspace. Tree of the year's indicators with completion marks; for the
chosen one its criteria, rubric levels, evidence and texts (autosaved), the mid-year check on its
own tab, last year's plan (환류) and the linked survey results beside it."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import results, services
from ...workspace.selfeval import MIDYEAR_LABELS, MIDYEAR_STATUSES
from .. import readonly as ro
from .. import session as flags
from ..widgets.charts import BarChart
from .base import Page, heading, hint

SIDE_BY_SIDE_MIN = 520  # narrower form pane: last year's plan above the 평가요소, not beside
SPLITTER_KEY = "selfeval/splitter-v2"  # v2: the 1366×768 layout (older saved sizes squeezed the form)
AUTOSAVE_MS = 800  # typed text reaches the workspace within ~1 s (DESIGN: within two seconds)

TEXT_FIELDS = [
    ("evidence", "근거 자료", "예: 학교교육계획서, 협의회 회의록, 설문 결과"),
    ("achievements", "운영 성과 (잘된 점)", "올해 이 지표에서 이룬 것을 적으세요."),
    ("shortcomings", "미흡한 점", "부족했던 점과 그 까닭을 적으세요."),
    ("improvements", "개선 계획 (환류)", "내년에 무엇을 어떻게 바꿀지 적으세요. 다음 학년도 계획의 출발점이 됩니다."),
    ("support_needed", "교육청 지원이 필요한 부분", "컨설팅장학 등 교육청의 도움이 필요한 점을 적으세요 (학교평가서 서식3-1)."),
]
DONE_MARK, TODO_MARK = "✓", "○"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


class AutoText(QPlainTextEdit):
    """A text box for one entry field; grows a little with its content."""

    def __init__(self, field: str, placeholder: str):
        super().__init__()
        self.field = field
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(78)
        self.setMaximumHeight(160)


class RubricOption(QFrame):
    """A rating level: radio button with its level name, and the rubric text wrapped beside it."""

    def __init__(self, level: int, label: str, text: str):
        super().__init__()
        self.setObjectName("rubric")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        self.radio = QRadioButton(f"{level} {label}")
        self.radio.setMinimumWidth(110)
        f = self.radio.font()
        f.setBold(True)
        self.radio.setFont(f)
        self.text = QLabel(text or "")
        self.text.setWordWrap(True)
        lay.addWidget(self.radio, 0, Qt.AlignTop)
        lay.addWidget(self.text, 1)
        self.radio.toggled.connect(self._highlight)

    def _highlight(self, on: bool) -> None:
        self.setStyleSheet("QFrame#rubric { background:#e3eefb; border:1px solid #3b6ea5; border-radius:5px; }"
                           if on else "")

    def mousePressEvent(self, event) -> None:
        # a click anywhere on the level (its text too) picks it, like a click on the radio button
        if not self.radio.isChecked():
            self.radio.click()
        self.radio.setFocus()
        event.accept()


class LinkedResults(QWidget):
    """Survey items linked to the indicator: 긍정률 by group as small bars, means in the tooltip."""

    def __init__(self):
        super().__init__()
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.charts: dict[str, BarChart] = {}  # item or domain code → its chart

    def clear(self) -> None:
        self.charts: dict[str, BarChart] = {}
        while self.lay.count():
            w = self.lay.takeAt(0).widget()
            if w:
                w.deleteLater()

    def show_results(self, data: list[dict]) -> None:
        self.clear()
        if not data:
            self.lay.addWidget(hint("이 지표와 연결된 설문 문항의 응답이 아직 없습니다. "
                                    "'설문'에서 응답을 가져오면 여기에 긍정률과 평균이 나옵니다."))
            self.lay.addStretch(1)
            return
        for entry in data:
            t = QLabel(f"<b>{entry['title']}</b>")
            t.setWordWrap(True)
            self.lay.addWidget(t)
            ns = ", ".join(f"{g} {n}명" for g, n in entry["n"].items())
            self.lay.addWidget(hint(f"응답자: {ns}"))
            for item in entry["items"]:
                lab = QLabel(f"{item['code']}. {item['text']}" + (" (역문항)" if item["reverse"] else ""))
                lab.setWordWrap(True)
                self.lay.addWidget(lab)
                groups = list(item["groups"])
                chart = BarChart(maximum=1.0, value_format="{:.0%}", bar_height=11, label_width=60, axis=False)
                chart.set_data(groups, [("긍정률", [item["groups"][g]["positive_rate"] for g in groups])])
                chart.setToolTip("\n".join(
                    f"{g}: 긍정률 {_pct(v['positive_rate'])}, 평균 "
                    + ("—" if v["mean"] is None else f"{v['mean']:.2f}") + f" (n={v['n']})"
                    for g, v in item["groups"].items()))
                self.lay.addWidget(chart)
                self.charts[item["code"]] = chart
                means = " · ".join(f"{g} {v['mean']:.2f}" for g, v in item["groups"].items() if v["mean"] is not None)
                self.lay.addWidget(hint(f"평균: {means}"))
            for d in entry["domains"]:
                groups = list(d["groups"])
                self.lay.addWidget(QLabel(f"영역: {d['title']}"))
                chart = BarChart(bar_height=11, label_width=60, axis=False)
                chart.set_data(groups, [("100점 환산", [d["groups"][g]["score100"] for g in groups])])
                self.lay.addWidget(chart)
                self.charts[d["code"]] = chart
            sep = QFrame()
            sep.setFrameShape(QFrame.HLine)
            self.lay.addWidget(sep)
        self.lay.addWidget(hint("긍정률: '그렇다' 이상(위 두 단계)을 고른 비율. 평균은 역문항을 돌려 매긴 점수입니다."))
        self.lay.addStretch(1)


class SelfEvalPage(Page):
    title = "자체평가"
    concerns = frozenset({flags.PLAN, flags.YEAR, flags.SCHOOL, flags.RESPONSES})

    def __init__(self, main):
        super().__init__(main)
        self.code: str | None = None
        self.detail: dict | None = None
        self.tree_data: dict | None = None
        self._pending: dict = {}
        self._pending_code: str | None = None
        self._loading = False
        self.saves = 0  # completed saves (tests and the status line)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 6)
        outer.addLayout(self._build_header())
        outer.addWidget(hint("왼쪽에서 지표를 고르고 등급과 근거를 입력하세요. 입력한 내용은 자동으로 저장됩니다. "
                             "✓ 표시는 등급을 매긴 지표(중간 자율점검 탭에서는 점검한 지표)입니다."))

        split = QSplitter(Qt.Horizontal)
        outer.addWidget(split, 1)
        split.addWidget(self._build_tree_pane())
        split.addWidget(self._build_form_pane())
        split.addWidget(self._build_linked_pane())
        split.setSizes([240, 660, 290])  # at 1366×768 the form keeps ~620 px
        split.setStretchFactor(1, 1)
        self.split = split
        state = QSettings().value(SPLITTER_KEY)
        if state is not None:
            split.restoreState(state)
        self.form.setEnabled(False)
        # what writes to the workspace: locked in a read-only window (ui/readonly.py)
        ro.editable(*self.texts.values(), self.feature_text, *self.mid_radios.values())

    # ------------------------------------------------------------ layout
    def _build_header(self) -> QHBoxLayout:
        """The heading, how many indicators are done, and the last save."""
        top = QHBoxLayout()
        top.addWidget(heading("지표별 자체평가", 16))
        self.progress_label = QLabel("")
        self.progress_label.setStyleSheet("color:#445;")
        top.addWidget(self.progress_label)
        top.addStretch(1)
        self.save_label = QLabel("")
        self.save_label.setStyleSheet("color:#25613a;")
        top.addWidget(self.save_label)
        return top

    def _build_tree_pane(self) -> QWidget:
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.only_left = QCheckBox("남은 지표만 보기")
        self.only_left.toggled.connect(self._apply_filter)
        ll.addWidget(self.only_left)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("평가 지표 목록")
        self.tree.currentItemChanged.connect(self._on_tree)
        ll.addWidget(self.tree, 1)
        return left

    def _build_form_pane(self) -> QScrollArea:
        """The chosen indicator's path and title over its two tabs: 학년 말 자체평가 and 중간 자율점검."""
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        # texts wrap to the pane's width: never a horizontal scrollbar
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.form_scroll.setMinimumWidth(400)
        self.form_scroll.viewport().installEventFilter(self)
        self.form = QWidget()
        self.form_scroll.setWidget(self.form)
        fl = QVBoxLayout(self.form)
        fl.setContentsMargins(14, 8, 14, 8)
        self.path_label = hint("")
        self.title_label = heading("", 14)
        fl.addWidget(self.path_label)
        fl.addWidget(self.title_label)

        self.tabs = QTabWidget()
        fl.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_final_tab(), "학년 말 자체평가")
        for n in range(1, 10):  # Alt+1 … picks a rating level from the keyboard, wherever the cursor is
            sc = QShortcut(QKeySequence(f"Alt+{n}"), self, context=Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda n=n: self._rating_key(n))
        self.tabs.addTab(self._build_midyear_tab(), "중간 자율점검")
        self.tabs.currentChanged.connect(lambda _i: self._remark())
        return self.form_scroll

    def _build_final_tab(self) -> QWidget:
        """Last year's plan and the 평가요소, the rubric, the texts, the 특색사례 and the way on."""
        final = QWidget()
        self.final_lay = QVBoxLayout(final)
        self.final_lay.addLayout(self._build_context_row())
        self.final_lay.addWidget(self._build_rubric())
        self.texts: dict[str, AutoText] = {}
        for field, label, placeholder in TEXT_FIELDS:
            cap = QLabel(f"<b>{label}</b>")
            box = AutoText(field, placeholder)
            cap.setBuddy(box)
            box.textChanged.connect(lambda f=field: self._text_changed(f))
            self.texts[field] = box
            self.final_lay.addWidget(cap)
            self.final_lay.addWidget(box)
        self._add_feature_field()
        self.texts["evidence"].setMaximumHeight(120)  # a list of documents: keeps the next fields near
        self.evidence_hint = hint("")
        self.final_lay.insertWidget(self.final_lay.indexOf(self.texts["evidence"]) + 1, self.evidence_hint)
        nav = QHBoxLayout()
        nav.addStretch(1)
        self.next_button = QPushButton("다음 남은 지표 →")
        self.next_button.setObjectName("primary")
        self.next_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.next_button.setToolTip("Ctrl+Enter")
        self.next_button.clicked.connect(self.go_next_todo)
        nav.addWidget(self.next_button)
        self.final_lay.addLayout(nav)
        return final

    def _build_context_row(self) -> QBoxLayout:
        """평가요소 and last year's 개선 계획 (환류) side by side above the rubric: at 1366×768 the rubric,
        the rating and the first text field fit on one screen."""
        self.criteria_box = QGroupBox("평가요소 — 이렇게 살펴보세요")
        self.criteria_label = QLabel("")
        self.criteria_label.setWordWrap(True)
        QVBoxLayout(self.criteria_box).addWidget(self.criteria_label)
        self.prev_box = QGroupBox("지난 학년도")
        self.prev_box.setObjectName("prevplan")
        self.prev_box.setStyleSheet("QGroupBox#prevplan { background:#fff8e6; }")
        self.prev_label = QLabel("")
        self.prev_label.setWordWrap(True)
        self.prev_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.prev_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        QVBoxLayout(self.prev_box).addWidget(self.prev_label)
        # side by side when the pane is wide enough, else last year's plan first (never clipped)
        self.top_row = QBoxLayout(QBoxLayout.LeftToRight)
        self.top_row.addWidget(self.prev_box, 1)
        self.top_row.addWidget(self.criteria_box, 1)
        return self.top_row

    def _build_rubric(self) -> QGroupBox:
        """The box the rating levels go in (filled per indicator)."""
        self.rubric_box = QGroupBox("등급 — 학교의 모습에 가장 가까운 수준을 고르세요")
        self.rubric_lay = QVBoxLayout(self.rubric_box)
        self.rubric_lay.setSpacing(2)
        self.rating_group = QButtonGroup(self)
        self.rating_group.idClicked.connect(self._rating_clicked)
        self.rubric_options: list[RubricOption] = []
        return self.rubric_box

    def _add_feature_field(self) -> None:
        """The 세부영역's 특색사례 (학교평가서 서식3-1 (3)): one text per 세부영역, shown with each of its 지표."""
        self.feature_caption = QLabel("<b>학교교육활동 특색사례 (세부영역)</b>")
        self.feature_text = AutoText("feature", "이 세부영역에서 학교가 자랑할 만한 교육활동을 적으세요 (세부영역마다 하나).")
        self.feature_caption.setBuddy(self.feature_text)
        self.feature_code: str | None = None
        self._feature_timer = QTimer(self)
        self._feature_timer.setSingleShot(True)
        self._feature_timer.setInterval(AUTOSAVE_MS)
        self._feature_timer.timeout.connect(self.flush_feature)
        self.feature_text.textChanged.connect(self._feature_changed)
        self.final_lay.addWidget(self.feature_caption)
        self.final_lay.addWidget(self.feature_text)

    def _build_midyear_tab(self) -> QWidget:
        """중간 자율점검: the status of the indicator mid-year and a note, saved apart from the final rating."""
        mid = QWidget()
        ml = QVBoxLayout(mid)
        ml.addWidget(hint("중간 자율점검은 학기 중에 계획대로 진행되는지 살피는 것입니다. 최종 등급과는 따로 저장됩니다."))
        self.mid_group = QButtonGroup(self)
        self.mid_radios: dict[str, QRadioButton] = {}
        row = QHBoxLayout()
        for i, st in enumerate(MIDYEAR_STATUSES):
            rb = QRadioButton(MIDYEAR_LABELS[st])
            self.mid_group.addButton(rb, i)
            self.mid_radios[st] = rb
            row.addWidget(rb)
        row.addStretch(1)
        self.mid_group.idClicked.connect(self._mid_clicked)
        ml.addLayout(row)
        cap = QLabel("<b>점검 내용과 2학기 보완 계획</b>")
        self.texts["midyear_note"] = AutoText("midyear_note", "점검한 내용과 앞으로 보완할 점을 적으세요.")
        self.texts["midyear_note"].textChanged.connect(lambda: self._text_changed("midyear_note"))
        cap.setBuddy(self.texts["midyear_note"])
        ml.addWidget(cap)
        ml.addWidget(self.texts["midyear_note"])
        mnav = QHBoxLayout()
        mnav.addStretch(1)
        mid_next = QPushButton("다음 점검할 지표 →")
        mid_next.clicked.connect(self.go_next_todo)
        mnav.addWidget(mid_next)
        ml.addLayout(mnav)
        ml.addStretch(1)
        return mid

    def _build_linked_pane(self) -> QScrollArea:
        """The survey results linked to the chosen indicator."""
        right_scroll = QScrollArea()
        right_scroll.setWidgetResizable(True)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(heading("관련 설문 결과", 12))
        self.linked = LinkedResults()
        rl.addWidget(self.linked, 1)
        right_scroll.setWidget(right)
        return right_scroll

    # ------------------------------------------------------------ loading
    def refresh(self) -> None:
        self.session.run(self.session.after_saves(results.indicator_tree), on_done=self._show_tree)

    def _show_tree(self, data: dict) -> None:
        self.tree_data = data
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items: dict[str, QTreeWidgetItem] = {}
        for a in data["areas"]:
            ai = QTreeWidgetItem([a["title"]])
            ai.setData(0, Qt.UserRole + 3, a["title"])
            f = ai.font(0)
            f.setBold(True)
            ai.setFont(0, f)
            ai.setFlags(Qt.ItemIsEnabled)
            for s in a["subareas"]:
                si = QTreeWidgetItem([s["title"]])
                si.setData(0, Qt.UserRole + 3, s["title"])
                si.setFlags(Qt.ItemIsEnabled)
                for ind in s["indicators"]:
                    if not ind["chosen"]:
                        continue
                    it = QTreeWidgetItem()
                    it.setData(0, Qt.UserRole, ind["code"])
                    it.setToolTip(0, ind["title"])
                    self._items[ind["code"]] = it
                    self._mark(it, ind["code"], ind["title"], ind["done"], ind["midyear"])
                    si.addChild(it)
                if si.childCount():
                    ai.addChild(si)
            if ai.childCount():
                self.tree.addTopLevelItem(ai)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._update_progress()
        self._apply_filter()
        if self.code in self._items:
            self.tree.setCurrentItem(self._items[self.code])
        elif self._items:
            first_todo = next((c for c, it in self._items.items() if not it.data(0, Qt.UserRole + 1)), None)
            self.tree.setCurrentItem(self._items[first_todo or next(iter(self._items))])
        else:
            self.form.setEnabled(False)
            self.title_label.setText("평가할 지표가 없습니다. '평가 계획'에서 지표를 고르세요.")
        self.loaded = True

    def _mark(self, it: QTreeWidgetItem, code: str, title: str, done: bool, midyear: bool | None = None) -> None:
        """✓/○ for the final rating, or for the mid-year check while its tab is open."""
        it.setData(0, Qt.UserRole + 1, done)
        if midyear is not None:
            it.setData(0, Qt.UserRole + 2, midyear)
        it.setData(0, Qt.UserRole + 3, f"{code} {title}")
        shown = it.data(0, Qt.UserRole + 2) if self.midyear_mode() else done
        it.setText(0, f"{DONE_MARK if shown else TODO_MARK} {code} {title}")
        it.setForeground(0, QColor("#25613a") if shown else QColor("#222"))

    def midyear_mode(self) -> bool:
        return self.tabs.currentIndex() == 1

    def _remark(self) -> None:
        self._apply_filter()
        for code, it in getattr(self, "_items", {}).items():
            label = it.data(0, Qt.UserRole + 3) or code
            self._mark(it, code, label.split(" ", 1)[1] if " " in label else label, it.data(0, Qt.UserRole + 1))
        self._update_progress()

    def _update_parents(self, role: int) -> None:
        """Areas and sub-areas show how many of their indicators are done, e.g. '행정·예산 (1/2)'."""
        def leaves(node: QTreeWidgetItem) -> list[QTreeWidgetItem]:
            out = []
            for i in range(node.childCount()):
                c = node.child(i)
                out.extend(leaves(c) if c.childCount() else [c])
            return out
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for node in [top] + [top.child(j) for j in range(top.childCount())]:
                ls = leaves(node)
                done = sum(1 for c in ls if c.data(0, role))
                node.setText(0, f"{node.data(0, Qt.UserRole + 3)} ({done}/{len(ls)})")

    def _update_progress(self) -> None:
        self._update_parents(Qt.UserRole + 2 if self.midyear_mode() else Qt.UserRole + 1)
        items = getattr(self, "_items", {}).values()
        if self.midyear_mode():
            done = sum(1 for it in items if it.data(0, Qt.UserRole + 2))
            self.progress_label.setText(f"  중간점검: {len(self._items)}개 중 {done}개 점검함")
        else:
            done = sum(1 for it in items if it.data(0, Qt.UserRole + 1))
            self.progress_label.setText(f"  {len(self._items)}개 중 {done}개 완료")

    def _apply_filter(self) -> None:
        only = self.only_left.isChecked()
        role = Qt.UserRole + 2 if self.midyear_mode() else Qt.UserRole + 1
        for it in getattr(self, "_items", {}).values():
            it.setHidden(only and bool(it.data(0, role)) and it is not self.tree.currentItem())

    def _on_tree(self, current: QTreeWidgetItem | None, _previous) -> None:
        code = current.data(0, Qt.UserRole) if current else None
        if not code:
            return
        self.select(code)

    def select(self, code: str) -> None:
        """Show an indicator (pending text of the previous one is saved first)."""
        self.flush()
        self.code = code
        if code in getattr(self, "_items", {}) and self.tree.currentItem() is not self._items[code]:
            self.tree.setCurrentItem(self._items[code])
        self.form.setEnabled(False)
        self.session.run(self.session.after_saves(results.indicator_detail), code, on_done=self._show_detail)
        self.linked.clear()
        self.linked.lay.addWidget(hint("설문 결과를 불러오는 중…"))
        self.session.run(results.indicator_results, code, on_done=self._show_linked)

    def focus(self, code: str | None = None, tab: str | None = None) -> None:
        if tab == "midyear":
            self.tabs.setCurrentIndex(1)
        elif tab == "final":
            self.tabs.setCurrentIndex(0)
        if code:
            self.select(code)

    def _show_detail(self, d: dict) -> None:
        if d["code"] != self.code:
            return  # the user moved on meanwhile
        self.detail = d
        self._loading = True
        try:
            self.path_label.setText(f"{d['area']} › {d['subarea']} · {d['type_label']}")
            self.title_label.setText(f"{d['code']} {d['title']}")
            # a composed 평가지표 without 평가요소 says once what it is; an empty box is not shown
            self.criteria_box.setTitle("평가요소 — 이렇게 살펴보세요" if d["criteria"] else d["type_label"])
            self.criteria_label.setText("\n".join(f"• {c}" for c in d["criteria"]) or d["note"])
            self.criteria_box.setVisible(bool(d["criteria"] or d["note"]))
            e = d["entry"]
            self._show_rubric(d["rating_labels"], d["rubric"], e["rating"])
            for field, box in self.texts.items():
                box.setPlainText(e.get(field, ""))
            self.evidence_hint.setText("근거 자료 예: " + ", ".join(d["evidence_hints"]) if d["evidence_hints"] else "")
            mid = e.get("midyear_status")
            self.mid_group.setExclusive(False)
            for rb in self.mid_radios.values():
                rb.setChecked(False)
            self.mid_group.setExclusive(True)
            if mid in self.mid_radios:
                self.mid_radios[mid].setChecked(True)
            p = d["previous"]
            self.prev_box.setVisible(p is not None)
            if p:
                self.prev_box.setTitle(f"{p['year']}학년도 개선 계획 (환류)")
                self.prev_box.setToolTip("지난 학년도 자체평가의 개선 계획입니다. 올해 계획과 평가의 출발점입니다.")
                self.prev_label.setText(
                    f"{p['improvements'] or '(적지 않음)'}\n등급: {p['rating_label'] or '없음'}")
        finally:
            self._loading = False
        self.form.setEnabled(True)
        self.session.run(services.self_eval_features, on_done=self._show_feature)

    def _show_rubric(self, labels: list[str], rubric: list[str], rating: int | None) -> None:
        """The rating levels with the indicator's rubric texts, the saved rating checked."""
        if len(self.rubric_options) != len(labels):  # the same options are reused between indicators
            for opt in self.rubric_options:
                self.rating_group.removeButton(opt.radio)
                opt.deleteLater()
            self.rubric_options = []
            for n, label in enumerate(labels, 1):
                opt = RubricOption(n, label, "")
                ro.editable(opt.radio)
                self.rating_group.addButton(opt.radio, n)
                self.rubric_lay.addWidget(opt)
                self.rubric_options.append(opt)
        for n, (opt, label) in enumerate(zip(self.rubric_options, labels), 1):
            opt.radio.setText(f"{n} {label}")
            opt.radio.setToolTip(f"Alt+{n}")
            opt.text.setText(rubric[n - 1] if n <= len(rubric) else "")
        self.rating_group.setExclusive(False)
        for opt in self.rubric_options:
            opt.radio.setChecked(False)
        self.rating_group.setExclusive(True)
        if rating:
            self.rating_group.button(rating).setChecked(True)

    def _show_feature(self, features: list[dict]) -> None:
        if self.detail is None:
            return
        self.flush_feature()
        f = next((f for f in features if f["title"] == self.detail["subarea"]), None)
        self.feature_code = f["subarea"] if f else None
        self._loading = True
        try:
            self.feature_caption.setText(f"<b>학교교육활동 특색사례 — {self.detail['subarea']}</b>")
            self.feature_text.setPlainText(f["text"] if f else "")
        finally:
            self._loading = False

    def _feature_changed(self) -> None:
        if self._loading or self.feature_code is None:
            return
        self._pending_feature = (self.feature_code, self.feature_text.toPlainText())
        self.save_label.setText("입력 중… 곧 자동 저장됩니다")
        self._feature_timer.start()

    def flush_feature(self) -> None:
        """Save the typed 특색사례 (timer, leaving the indicator or the page)."""
        self._feature_timer.stop()
        pending, self._pending_feature = getattr(self, "_pending_feature", None), None
        if pending:
            self.session.save(services.self_eval_set_feature, *pending,
                              on_done=lambda _r: self.save_label.setText(f"저장됨 {time.strftime('%H:%M:%S')}"))

    def _show_linked(self, data: list[dict]) -> None:
        if self.detail is not None and self.detail["code"] != self.code:
            return
        self.linked.show_results(data)

    # ------------------------------------------------------------ editing and autosave
    def _text_changed(self, field: str) -> None:
        if self._loading or self.code is None:
            return
        self._queue(field, self.texts[field].toPlainText())
        self.save_label.setText("입력 중… 곧 자동 저장됩니다")
        self._timer.start()

    def _queue(self, field: str, value) -> None:
        if self._pending_code not in (None, self.code):
            self.flush()
        self._pending_code = self.code
        self._pending[field] = value

    def _rating_clicked(self, level: int) -> None:
        if self._loading or self.code is None:
            return
        self._queue("rating", level)
        self.flush()

    def _rating_key(self, level: int) -> None:
        if self.form.isEnabled() and level <= len(self.rubric_options):
            self.tabs.setCurrentIndex(0)
            self.rubric_options[level - 1].radio.click()

    def _mid_clicked(self, index: int) -> None:
        if self._loading or self.code is None:
            return
        self._queue("midyear_status", MIDYEAR_STATUSES[index])
        self.flush()

    def _take_pending(self) -> tuple[str | None, dict]:
        self._timer.stop()
        code, fields = self._pending_code, self._pending
        self._pending, self._pending_code = {}, None
        return code, fields

    def flush(self) -> None:
        """Save what was typed (in a workspace job); called by the timer, on rating and on leaving."""
        code, fields = self._take_pending()
        if not code or not fields:
            return
        self.save_label.setText("저장 중…")
        self.session.save(services.self_eval_set, code, **fields, on_done=self._saved,
                          on_error=self._save_failed(code, fields))

    def _save_failed(self, code: str, fields: dict):
        def handle(_exc) -> bool:
            # keep the text queued so the next keystroke or leaving the page retries it
            if self._pending_code in (None, code):
                self._pending_code = code
                self._pending = {**fields, **self._pending}
            self.save_label.setText("저장하지 못했습니다 — 다시 시도합니다")
            self.save_label.setStyleSheet("color:#b00020;")
            return False
        return handle

    def _saved(self, row: dict) -> None:
        self.saves += 1
        self.save_label.setStyleSheet("color:#25613a;")
        self.save_label.setText(f"저장됨 {time.strftime('%H:%M:%S')}")
        it = getattr(self, "_items", {}).get(row["indicator"])
        if it is not None:
            self._mark(it, row["indicator"], row["title"], row["rating"] is not None, bool(row["midyear_status"]))
            self._update_progress()
        self.changed(flags.SELFEVAL)

    def save_settings(self) -> None:
        QSettings().setValue(SPLITTER_KEY, self.split.saveState())

    def eventFilter(self, obj, event) -> bool:  # Qt name
        if obj is self.form_scroll.viewport() and event.type() == QEvent.Resize:
            wide = event.size().width() >= SIDE_BY_SIDE_MIN
            self.top_row.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        return super().eventFilter(obj, event)

    def flush_now(self) -> None:
        """Save pending text before the window closes (synchronously, after queued jobs)."""
        code, fields = self._take_pending()
        if code and fields:
            self.session.call_now(services.self_eval_set, code, **fields)
        self._feature_timer.stop()
        pending, self._pending_feature = getattr(self, "_pending_feature", None), None
        if pending:
            self.session.call_now(services.self_eval_set_feature, *pending)

    def leave(self) -> None:
        self.flush()
        self.flush_feature()

    def go_next_todo(self) -> None:
        self.flush()
        codes = list(getattr(self, "_items", {}))
        if not codes:
            return
        start = codes.index(self.code) + 1 if self.code in codes else 0
        role = Qt.UserRole + 2 if self.midyear_mode() else Qt.UserRole + 1
        for code in codes[start:] + codes[:start]:
            if not self._items[code].data(0, role) and code != self.code:
                self.select(code)
                return
        self.save_label.setText("모든 지표를 점검했습니다. 대시보드에서 다음 단계로 넘어가세요." if self.midyear_mode()
                                else "모든 지표의 등급을 매겼습니다. 대시보드에서 다음 단계로 넘어가세요.")
