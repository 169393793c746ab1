"""지표 추가 (composed year): a 평가지표 under one 세부영역, from the item bank's examples or typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from ... import composing
from . import add_error_and_buttons

EXAMPLE_ROLE = Qt.UserRole


class ComposeIndicatorDialog(QDialog):
    """Saves with composing.compose_indicator under `subarea`; `created` holds the result after OK."""

    def __init__(self, main, subarea: str, subarea_title: str):
        super().__init__(main)
        self.main = main
        self.subarea = subarea
        self.created: dict | None = None
        self.setWindowTitle("지표 추가")
        self.setMinimumWidth(640)
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{subarea} {subarea_title}</b>에 넣을 평가지표를 고르거나 직접 적으세요.")
        head.setWordWrap(True)
        lay.addWidget(head)
        lay.addWidget(QLabel("문항 예시자료의 지표(&E)"))
        self.examples = QListWidget()
        self.examples.setAccessibleName("예시자료의 지표")
        self.examples.setMinimumHeight(180)
        self.examples.currentItemChanged.connect(self._picked)
        lay.addWidget(self.examples)
        self.preview = QLabel("")
        self.preview.setObjectName("hint")
        self.preview.setWordWrap(True)
        lay.addWidget(self.preview)
        lbl = QLabel("지표 이름(&T)")
        lay.addWidget(lbl)
        self.title = QLineEdit()
        self.title.setPlaceholderText("예: 학생 주도 프로젝트 수업 활성화")
        lbl.setBuddy(self.title)
        lay.addWidget(self.title)
        lbl = QLabel("관련 설문 문항(&Q) — 체크한 문항의 결과가 자체평가의 '관련 설문 결과'와 학교평가서 서식3-2에 "
                     "이 지표로 나옵니다")
        lbl.setWordWrap(True)
        lay.addWidget(lbl)
        self.items = QListWidget()
        self.items.setAccessibleName("관련 설문 문항")
        self.items.setMinimumHeight(160)
        lbl.setBuddy(self.items)
        lay.addWidget(self.items)
        self.error, self.buttons = add_error_and_buttons(self, lay, "계획에 더하기")
        self.loaded = False
        self._pending = 2
        main.session.run(composing.bank_examples, subarea, on_done=self._fill)
        main.session.run(composing.linkable_items, subarea, on_done=self._fill_items)

    def _fill(self, rows: list[dict]) -> None:
        self.examples.clear()
        for r in rows:
            text = r["indicator"]
            if r["placement"]["kind"] == "earlier":
                text += f"  ({r['placement']['earlier_year']}학년도 세부영역 '{r['label']}')"
            if r["taken"]:
                text += "  — 이미 계획에 있음"
            it = QListWidgetItem(text)
            it.setData(EXAMPLE_ROLE, r)
            it.setToolTip("\n".join(r["examples"]))
            if r["taken"]:
                it.setFlags(it.flags() & ~Qt.ItemIsEnabled)
            self.examples.addItem(it)
        if not rows:
            it = QListWidgetItem("가져온 문항 예시자료에 이 세부영역의 지표가 없습니다. 아래에 직접 적으세요.")
            it.setFlags(Qt.NoItemFlags)
            self.examples.addItem(it)
        self._loaded_one()

    def _loaded_one(self) -> None:
        self._pending -= 1
        self.loaded = self._pending <= 0

    def _fill_items(self, rows: list[dict]) -> None:
        """The year's survey items of this 세부영역, the proposal (items no other 지표 links) ticked."""
        self.items.clear()
        for r in rows:
            text = f"{r['item']}. {r['text']} [{'·'.join(r['groups'])}]"
            if r["linked_to"]:
                text += f"  — {', '.join(r['linked_to'])}에 연결됨"
            it = QListWidgetItem(text)
            it.setData(EXAMPLE_ROLE, r["link"])
            it.setToolTip(f"{r['survey_title']} · {r['factor']}")
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked if r["proposed"] else Qt.Unchecked)
            self.items.addItem(it)
        if not rows:
            it = QListWidgetItem("올해 교육공동체 설문에 이 세부영역의 문항이 없습니다.")
            it.setFlags(Qt.NoItemFlags)
            self.items.addItem(it)
        self._loaded_one()

    def checked_items(self) -> list[str]:
        return [self.items.item(i).data(EXAMPLE_ROLE) for i in range(self.items.count())
                if self.items.item(i).data(EXAMPLE_ROLE) and self.items.item(i).checkState() == Qt.Checked]

    def _picked(self, item: QListWidgetItem | None, _prev=None) -> None:
        r = item.data(EXAMPLE_ROLE) if item is not None else None
        if not r:
            return
        self.title.setText(r["indicator"])
        self.preview.setText("예시 문항: " + " / ".join(r["examples"][:3]))

    def _bank_choice(self) -> dict | None:
        """The chosen bank indicator, when the name was not changed after choosing it."""
        cur = self.examples.currentItem()
        r = cur.data(EXAMPLE_ROLE) if cur is not None else None
        return r if r and self.title.text().strip() == r["indicator"] else None

    def accept(self) -> None:
        title = self.title.text().strip()
        if not title:
            self.error.setText("지표 이름을 적거나 예시자료에서 고르세요.")
            self.title.setFocus()
            return
        bank = self._bank_choice()
        self.buttons.setEnabled(False)

        def failed(exc) -> bool:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
            return True

        def done(result: dict) -> None:
            self.created = result
            QDialog.accept(self)

        # the 세부영역 is the one the user is adding to: an earlier year's bank label is placed by that choice
        self.main.session.run(composing.compose_indicator, title=title, subarea=self.subarea,
                              bank_id=bank["bank"] if bank else None, items=self.checked_items(),
                              on_done=done, on_error=failed)
