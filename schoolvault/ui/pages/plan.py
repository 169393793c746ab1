"""평가 계획: choose the year's indicators (common ones preselected), add the school's own 자율지표."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ... import composing, guide, results, services
from .. import readonly as ro
from .. import session as flags
from .base import Page, heading, hint

CODE_ROLE = Qt.UserRole
INFO_ROLE = Qt.UserRole + 1


class PlanPage(Page):
    title = "평가 계획"
    concerns = frozenset({flags.YEAR, flags.SCHOOL})
    LISTED_HINT = ("평가할 지표에 체크하세요. 공통지표는 모든 학교가 평가하므로 미리 골라 두었습니다. "
                   "자율지표는 학교 여건에 맞게 고르고, 목록에 없으면 '학교 자율지표 만들기'로 직접 만드세요. "
                   "체크하는 즉시 저장되고, 체크를 풀어도 이미 적은 평가 내용은 지워지지 않습니다.")
    COMPOSED_HINT = ("올해는 세부영역이 정해져 있고 평가지표는 학교가 구성합니다. 세부영역마다 '지표 추가'를 눌러 "
                     "문항 예시자료의 지표를 고르거나 직접 적으세요. 지표를 지워도 이미 적은 평가 내용이 있으면 "
                     "체크만 풀리고 내용은 남습니다.")

    def __init__(self, main):
        super().__init__(main)
        self.data: dict | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self._filling = False
        self.add_buttons: dict[str, QPushButton] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 10)
        self.header = heading("올해 평가 계획", 16)
        lay.addWidget(self.header)
        self.hint_label = hint(self.LISTED_HINT)
        lay.addWidget(self.hint_label)
        self.summary = QLabel("")
        self.summary.setStyleSheet("font-size:11pt; color:#1f3a5f; font-weight:bold;")
        lay.addWidget(self.summary)

        split = QSplitter(Qt.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["지표", "구분"])
        self.tree.setAccessibleName("평가 지표 고르기")
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._show_info)
        split.addWidget(self.tree)
        self.info = QTextBrowser()
        self.info.setOpenLinks(False)
        split.addWidget(self.info)
        split.setSizes([700, 420])
        lay.addWidget(split, 1)

        row = QHBoxLayout()
        self.custom_button = QPushButton("학교 자율지표 만들기…")
        self.custom_button.clicked.connect(self.add_custom)
        row.addWidget(self.custom_button)
        self.remove_button = QPushButton("고른 지표 지우기")
        self.remove_button.clicked.connect(self.remove_current)
        self.remove_button.hide()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.done_button = QPushButton(f"{guide.FINISH_LABELS['plan']} → 자체평가로")
        self.done_button.setObjectName("primary")
        self.done_button.setToolTip("올해 단계를 중간점검으로 옮기고 자체평가 화면을 엽니다.")
        self.done_button.clicked.connect(self.finish_plan)
        row.addWidget(self.done_button)
        lay.addLayout(row)
        # ticking indicators, 자율지표 and the plan's finish write to the workspace (ui/readonly.py)
        ro.editable(self.tree, self.custom_button, self.remove_button, self.done_button)

    def finish_plan(self) -> None:
        """The plan's one finish: the year moves to 중간점검 (never back), then the indicator workspace."""
        self.leave()
        self.session.run(guide.finish_stage, "plan", on_done=lambda _s: self.changed(flags.STAGE))
        self.main.show_page("selfeval")

    def confirm_drop_common(self, title: str) -> bool:
        return QMessageBox.question(
            self, "공통지표 빼기", f"'{title}'은(는) 모든 학교가 평가하는 공통지표입니다.\n"
            "올해 평가에서 빼면 자체평가와 학교평가서에 나오지 않습니다. 빼시겠습니까?") == QMessageBox.Yes

    def refresh(self) -> None:
        self.session.run(results.indicator_tree, on_done=self._show)

    def _show(self, data: dict) -> None:
        self.data = data
        self._filling = True
        current = self.tree.currentItem().data(0, CODE_ROLE) if self.tree.currentItem() else None
        self.tree.clear()
        self._items = {}
        level_name = {"초": "초등학교", "중": "중학교", "고": "고등학교", "특수": "특수학교"}[data["level"]]
        self.header.setText(f"{data['year']}학년도 평가 계획")
        composed = bool(data.get("composed"))
        self.hint_label.setText(self.COMPOSED_HINT if composed else self.LISTED_HINT)
        self.custom_button.setVisible(not composed)
        self.remove_button.setVisible(composed)
        self.add_buttons = {}
        for a in data["areas"]:
            ai = QTreeWidgetItem([a["title"], ""])
            f = ai.font(0)
            f.setBold(True)
            ai.setFont(0, f)
            self.tree.addTopLevelItem(ai)
            for s in a["subareas"]:
                si = QTreeWidgetItem([f"{s['code']} {s['title']}", ""])
                si.setData(0, INFO_ROLE, {"subarea": s["code"]})
                ai.addChild(si)
                if composed:
                    self._add_button(si, s["code"], s["title"])
                for ind in s["indicators"]:
                    kind = ind["type_label"]
                    it = QTreeWidgetItem([f"{ind['code']} {ind['title']}", kind])
                    it.setData(0, CODE_ROLE, ind["code"])
                    it.setData(0, INFO_ROLE, ind)
                    flags_ = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable
                    if not ind["applies"] and not ind["chosen"]:
                        flags_ &= ~Qt.ItemIsUserCheckable
                        it.setText(1, f"{kind} · {level_name} 해당 없음")
                        it.setForeground(0, QColor("#999"))
                    it.setFlags(flags_)
                    it.setCheckState(0, Qt.Checked if ind["chosen"] else Qt.Unchecked)
                    if ind["type"] == "common":
                        it.setForeground(1, QColor("#2f6db5"))
                    self._items[ind["code"]] = it
                    si.addChild(it)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.setColumnWidth(0, max(420, self.tree.width() - self.tree.columnWidth(1) - 30))
        self._filling = False
        self._update_summary()
        if current in self._items:
            self.tree.setCurrentItem(self._items[current])
        elif self._items:
            self.tree.setCurrentItem(next(iter(self._items.values())))
        self.loaded = True

    def _add_button(self, item: QTreeWidgetItem, code: str, title: str) -> None:
        button = QPushButton("지표 추가…")
        button.setAccessibleName(f"{code} {title}에 지표 추가")
        button.clicked.connect(lambda _=False, c=code, t=title: self.add_indicator(c, t))
        ro.editable(button)
        self.tree.setItemWidget(item, 1, button)
        self.add_buttons[code] = button

    def _update_summary(self) -> None:
        if self.data and self.data.get("composed"):
            chosen = [c for c, it in self._items.items() if it.checkState(0) == Qt.Checked]
            subs = {c.rsplit("-S", 1)[0] for c in chosen}
            total = sum(len(a["subareas"]) for a in self.data["areas"])
            self.summary.setText(f"구성한 지표 {len(chosen)}개 · 지표가 있는 세부영역 {len(subs)}/{total}개")
            return
        common = sum(1 for it in self._items.values()
                     if it.checkState(0) == Qt.Checked and it.data(0, INFO_ROLE)["type"] == "common")
        auto = sum(1 for it in self._items.values()
                   if it.checkState(0) == Qt.Checked and it.data(0, INFO_ROLE)["type"] != "common")
        self.summary.setText(f"고른 지표: 공통지표 {common}개 + 자율지표 {auto}개 = {common + auto}개")

    def chosen_codes(self) -> list[str]:
        return [c for c, it in self._items.items() if it.checkState(0) == Qt.Checked]

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        code = item.data(0, CODE_ROLE)
        if not code:
            return
        chosen = item.checkState(0) == Qt.Checked
        info = item.data(0, INFO_ROLE) or {}
        if not chosen and info.get("type") == "common":
            if not self.confirm_drop_common(info.get("title", code)):
                self._filling = True
                item.setCheckState(0, Qt.Checked)
                self._filling = False
                return
            self.main.set_status(f"공통지표 '{info.get('title', code)}'을(를) 올해 평가에서 뺐습니다.")
        self._update_summary()
        self.session.run(services.choose_indicators, [code], chosen,
                         on_done=lambda _: self.changed(flags.PLAN),
                         on_error=lambda _e: (self.refresh(), False)[1])

    def _show_info(self, item: QTreeWidgetItem | None, _prev=None) -> None:
        if item is None:
            return
        ind = item.data(0, INFO_ROLE)
        if not ind or "code" not in ind:
            self.info.setHtml("<p>지표를 고르면 평가요소와 등급별 수준이 여기에 나옵니다.</p>")
            return
        self.session.run(results.indicator_detail, ind["code"], on_done=self._info_html)

    def _info_html(self, d: dict) -> None:
        crit = "".join(f"<li>{c}</li>" for c in d["criteria"])
        rub = "".join(f"<tr><td valign='top'><b>{lab}</b></td><td>{d['rubric'][i] if i < len(d['rubric']) else ''}</td></tr>"
                      for i, lab in enumerate(d["rating_labels"]))
        ev = ", ".join(d["evidence_hints"])
        self.info.setHtml(f"<h3>{d['code']} {d['title']}</h3>"
                          f"<p style='color:#555'>{d['area']} › {d['subarea']} · {d['type_label']}</p>"
                          + (f"<p>{d['note']}</p>" if d["note"] else "")
                          + (f"<h4>평가요소</h4><ul>{crit}</ul>" if crit else "")
                          + (f"<h4>등급별 수준</h4><table cellspacing=4>{rub}</table>" if d["rubric"] else "")
                          + (f"<h4>근거 자료 예</h4><p>{ev}</p>" if ev else ""))

    def add_indicator(self, subarea: str, subarea_title: str) -> None:
        """지표 추가 under one 세부영역 of a composed year."""
        from ..dialogs.compose_indicator import ComposeIndicatorDialog
        dlg = ComposeIndicatorDialog(self.main, subarea, subarea_title)
        self.compose_dialog = dlg

        def finished(result: int) -> None:
            if result and dlg.created:
                c = dlg.created
                self.main.set_status(f"{c['indicator']} {c['title']}을(를) {c['subarea']} {c['subarea_title']}에 더했습니다.")
                self.changed(flags.PLAN)
                self.refresh()
        dlg.finished.connect(finished)
        dlg.open()

    def remove_current(self) -> None:
        cur = self.tree.currentItem()
        code = cur.data(0, CODE_ROLE) if cur is not None else None
        if not code:
            self.main.set_status("지울 지표를 목록에서 고르세요.")
            return

        def done(r: dict) -> None:
            self.main.set_status(f"{r['indicator']} {r['title']}을(를) 지웠습니다." if r["deleted"] else
                                 f"{r['indicator']} {r['title']}을(를) 계획에서 뺐습니다 (적은 내용은 남아 있습니다).")
            self.changed(flags.PLAN)
            self.refresh()
        self.session.run(composing.remove_indicator, code, on_done=done)

    def add_custom(self) -> None:
        from ..dialogs.custom_indicator import CustomIndicatorDialog
        if not self.data:
            return
        subs = [(s["code"], s["title"]) for a in self.data["areas"] for s in a["subareas"]]
        cur = self.tree.currentItem()
        info = cur.data(0, INFO_ROLE) if cur else None
        sub = (info or {}).get("subarea") or ((info or {}).get("code", "").rsplit("-", 1)[0] or None)
        dlg = CustomIndicatorDialog(self.main, subs, self.data["rating_labels"], sub)
        self.custom_dialog = dlg

        def finished(result: int) -> None:
            if result and dlg.created:
                self.main.set_status(f"학교 자율지표 {dlg.created}을(를) 계획에 더했습니다.")
                self.changed(flags.PLAN)
                self.refresh()
        dlg.finished.connect(finished)
        dlg.open()
