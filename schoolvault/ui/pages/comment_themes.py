"""의견 주제: a survey's comments grouped by theme, with counts per group; tick comments for the report.

The analysis (`themes.comment_themes`) loads Kiwi on first use, so it always runs as a workspace job,
never on the GUI thread. Ticking a comment stores the report choice at once (`select_comments`, the same
flag the comment picker sets). Inside the school every group is shown, small ones too; what leaves the
school goes through `themes.publishable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...forms.scoring import suppressed
from ...importing.comments import select_comments
from ...themes import ThemesResult, comment_themes


class CommentThemesPanel(QWidget):
    """Themes on the left (주제, 의견 수, one column per group), the chosen theme's comments on the right.

    `run(fn, *args, on_done=…, label=…)` queues a workspace job (a Session or WorkspaceJobs runner)."""

    def __init__(self, run: Callable, parent: QWidget | None = None):
        super().__init__(parent)
        self._run = run
        self.result: ThemesResult | None = None
        self._key: tuple | None = None
        self._filling = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        split = QSplitter(Qt.Horizontal)
        self.table = QTableWidget()
        self.table.setAccessibleName("의견 주제")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        split.addWidget(self.table)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        self.theme_caption = QLabel("주제를 고르면 그 의견이 보입니다.")
        self.theme_caption.setWordWrap(True)
        rl.addWidget(self.theme_caption)
        self.comments = QListWidget()
        self.comments.setWordWrap(True)
        self.comments.setAlternatingRowColors(True)
        self.comments.setAccessibleName("주제의 의견")
        rl.addWidget(self.comments, 1)
        hint = QLabel("체크한 의견은 보고서에 실립니다. ★ 표시는 주제를 가장 잘 보여 주는 대표 의견입니다.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6B7280")
        rl.addWidget(hint)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 4)
        body = QHBoxLayout()
        body.addWidget(split)
        lay.addLayout(body, 1)
        self.table.itemSelectionChanged.connect(self._theme_chosen)
        self.comments.itemChanged.connect(self._ticked)

    def load(self, instrument_id: str, period: str | None) -> None:
        """Analyse the survey's comments of the period (once per survey and period until `invalidate`)."""
        key = (instrument_id, period)
        if key == self._key and self.result is not None:
            return
        self._key = key
        self.caption.setText("의견을 주제별로 묶는 중… (처음 한 번은 한국어 분석기를 불러오느라 몇 초 걸립니다)")
        self._run(comment_themes, instrument_id, period=period, on_done=self.show_result,
                  label="서술형 의견을 주제별로 묶는 중", with_progress=True)

    def invalidate(self) -> None:
        self._key = None

    def show_result(self, result: ThemesResult) -> None:
        self.result = result
        groups = list(result.groups)
        self.caption.setText(
            f"서술형 의견 {result.comments}개를 주제 {len(result.themes)}개로 묶었습니다"
            f" ({result.period or '모든 시기'}). 칸의 숫자는 의견 수(응답자 수)입니다. "
            "응답자 5명 미만 칸은 밖으로 나가는 문서에서 n<5로 가려집니다."
            if result.comments else "이 시기에 분석할 서술형 의견이 없습니다.")
        cols = ["주제", "의견"] + groups
        t = self.table
        t.blockSignals(True)
        t.clear()
        t.setColumnCount(len(cols))
        t.setHorizontalHeaderLabels(cols)
        rows = result.themes + ([result.other] if result.other.comments else [])
        t.setRowCount(len(rows))
        for r, th in enumerate(rows):
            label = QTableWidgetItem(th.label)
            label.setToolTip("핵심어: " + ", ".join(th.keywords[:10]) if th.keywords else "어느 주제에도 들지 않은 의견")
            label.setData(Qt.UserRole, r)
            t.setItem(r, 0, label)
            t.setItem(r, 1, _num(str(th.comments)))
            for c, g in enumerate(groups, start=2):
                v = th.by_group.get(g)
                cell = _num(f"{v['comments']} ({v['respondents']})" if v else "–")
                if v and suppressed(v["respondents"]):
                    cell.setForeground(Qt.darkRed)
                    cell.setToolTip("응답자 5명 미만: 밖으로 나가는 문서에는 n<5")
                t.setItem(r, c, cell)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for c in range(1, len(cols)):
            t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeToContents)
        t.blockSignals(False)
        self.comments.clear()
        if rows:
            t.selectRow(0)

    def _theme_chosen(self) -> None:
        if self.result is None:
            return
        sel = self.table.selectedItems()
        if not sel:
            return
        rows = self.result.themes + [self.result.other]
        th = rows[self.table.item(sel[0].row(), 0).data(Qt.UserRole)]
        central = {q.id for q in th.quotes} if th is not self.result.other else set()
        self.theme_caption.setText(f"'{th.label}' 의견 {th.comments}개 — 주제에 가까운 순서입니다.")
        self._filling = True
        self.comments.clear()
        for q in th.members:
            it = QListWidgetItem(f"{'★ ' if q.id in central else ''}[{q.group}] {q.text}")
            it.setData(Qt.UserRole, q.id)
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked if q.selected else Qt.Unchecked)
            self.comments.addItem(it)
        self._filling = False

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        cid, picked = item.data(Qt.UserRole), item.checkState() == Qt.Checked
        self._run(select_comments, [cid], picked)
        if self.result is not None:  # keep the shown result true without analysing again
            for th in self.result.themes + [self.result.other]:
                th.members = [replace(q, selected=picked) if q.id == cid else q for q in th.members]


def _num(text: str) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setTextAlignment(Qt.AlignCenter)
    return it
