"""결과: per survey and group — domain/factor profile, items sortable by 긍정률 or mean, group
comparison, strengths and weaknesses, last year beside this year, and open-ended comments."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import results
from ...forms.periods import MIDYEAR, PERIOD_LABELS, YEAR_END
from ...forms.scoring import alpha_note, alpha_text, level_text
from .. import session as flags
from ..widgets.charts import BarChart, RadarChart
from .base import Page, heading, hint
from .comment_themes import CommentThemesPanel

ALL_GROUPS = "__all__"
COMPARE = "비교"  # the period selector's third choice: 중간 and 학년말 side by side
GRADE_TAB = 5     # index of the 학년별 tab (appended after the comments)
THEMES_TAB = 6    # 의견 주제: comments by theme, analysed only when the tab is opened


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def wrap_title(title: str, width: int = 10) -> str:
    """A long title on lines of about `width` characters, broken between words (table headers)."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def num(v: float | None, digits: int = 2) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


# A negatively worded item is scored reversed: its 긍정률 counts those who disagreed.
REVERSE_NOTE = " · 역문항 (그렇지 않다고 답할수록 긍정으로 셉니다)"

class SortItem(QTableWidgetItem):
    """A table cell that shows text but sorts by a number (None sorts last)."""

    def __init__(self, text: str, key: float | str | None):
        super().__init__(text)
        self.key = key
        self.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        if isinstance(key, (int, float)):
            self.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def __lt__(self, other) -> bool:
        a, b = self.key, getattr(other, "key", None)
        if a is None:
            return b is not None
        if b is None:
            return False
        if isinstance(a, str) != isinstance(b, str):
            return str(a) < str(b)
        return a < b


def _scroll(widget: QWidget) -> QScrollArea:
    s = QScrollArea()
    s.setWidgetResizable(True)
    s.setFrameShape(QFrame.NoFrame)
    s.setWidget(widget)
    return s


def _readonly_table(name: str = "") -> QTableWidget:
    """A table the user reads but does not edit, without row numbers."""
    t = QTableWidget()
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    if name:
        t.setAccessibleName(name)
    return t


class ResultsPage(Page):
    title = "결과"
    concerns = frozenset({flags.RESPONSES, flags.YEAR, flags.SCHOOL})

    ITEM_COLUMNS = ("코드", "문항", "요인", "응답 수", "평균", "긍정률", "100점 환산")

    def __init__(self, main):
        super().__init__(main)
        self.surveys: list[dict] = []
        self.data: dict | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        outer.addLayout(self._build_selectors())
        self.caption = hint("")
        outer.addWidget(self.caption)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_empty())
        self.tabs = QTabWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self._build_period_compare())  # stack page 2: 중간 and 학년말 side by side
        self.tabs.addTab(_scroll(self._build_profile()), "영역·요인 프로필")
        self.tabs.addTab(self._build_items(), "문항별 결과")
        self.tabs.addTab(_scroll(self._build_group_compare()), "집단 비교")
        self.tabs.addTab(self._build_strengths(), "강점·약점")
        self.tabs.addTab(self._build_comments(), "서술형 의견")
        self.tabs.addTab(self._build_grades(), "학년별")
        self.themes_panel = CommentThemesPanel(self.session.run)
        self.tabs.addTab(self.themes_panel, "의견 주제")
        outer.addLayout(self._build_footer())

        self.tabs.currentChanged.connect(lambda i: self._fill_tab(i))
        self.survey_combo.activated.connect(lambda _i: self._load_survey())
        self.group_combo.activated.connect(lambda _i: self._group_changed())
        self.period_combo.activated.connect(lambda _i: self._load_survey())

    # ------------------------------------------------------------ layout
    def _build_selectors(self) -> QHBoxLayout:
        """The heading and the survey, group and period choosers."""
        top = QHBoxLayout()
        top.addWidget(heading("설문 결과", 16))
        top.addStretch(1)
        top.addWidget(QLabel("설문"))
        self.survey_combo = QComboBox()
        self.survey_combo.setMinimumWidth(380)
        self.survey_combo.setAccessibleName("설문 선택")
        top.addWidget(self.survey_combo)
        top.addWidget(QLabel("집단"))
        self.group_combo = QComboBox()
        self.group_combo.setMinimumWidth(110)
        # "학부모 (중간 148명 · 학년말 1648명)" is read whole, never cut
        self.group_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.group_combo.setAccessibleName("응답 집단 선택")
        top.addWidget(self.group_combo)
        top.addWidget(QLabel("시기"))
        self.period_combo = QComboBox()
        for p in (YEAR_END, MIDYEAR):
            self.period_combo.addItem(PERIOD_LABELS[p], p)
        self.period_combo.addItem("중간·학년말 비교", COMPARE)
        self.period_combo.setAccessibleName("설문 시기 선택")
        self.period_combo.setToolTip("학교평가서에는 학년말평가 결과만 들어갑니다.")
        top.addWidget(self.period_combo)
        return top

    def _build_empty(self) -> QWidget:
        """Stack page 0: no answers yet, and the way to import them."""
        empty = QWidget()
        el = QVBoxLayout(empty)
        self.empty_label = heading("아직 분석할 설문 응답이 없습니다", 13)
        el.addWidget(self.empty_label)
        el.addWidget(hint("'설문'에서 응답 파일을 가져오면 영역·요인별 점수, 문항별 긍정률, 집단 비교가 여기에 나옵니다."))
        b = QPushButton("응답 파일 가져오기…")
        b.setObjectName("primary")
        b.clicked.connect(lambda: self.main.open_import_wizard(self.survey_combo.currentData()))
        el.addWidget(b, 0, Qt.AlignLeft)
        el.addStretch(1)
        return empty

    def _build_period_compare(self) -> QWidget:
        cmpw = QWidget()
        cml = QVBoxLayout(cmpw)
        cml.addWidget(hint("같은 집단의 1학기 중간평가와 학년말평가를 영역·세부영역별로 나란히 봅니다 (평균, 변화 = 학년말 − 중간)."))
        self.period_table = _readonly_table("시기 비교")
        cml.addWidget(self.period_table, 1)
        return cmpw

    def _build_profile(self) -> QWidget:
        """영역 4단계 (guidebook-scored surveys), the 영역 × 평가주체 grid, 영역 and 요인 charts."""
        prof = QWidget()
        pl = QVBoxLayout(prof)
        # guidebook-scored surveys only: the 영역 result of the group as the school submits it
        self.level_heading = heading("영역별 결과 (가이드북 방식: 모든 응답의 평균, 4단계)", 12)
        pl.addWidget(self.level_heading)
        self.level_table = _readonly_table()
        pl.addWidget(self.level_table)
        # 영역 × 평가주체 4단계: the cells the 학교평가서 prints (results.area_levels)
        pl.addWidget(heading("영역 × 평가주체 4단계 (학교평가서와 같은 표)", 12))
        self.grid_table = _readonly_table("영역 평가주체 4단계")
        pl.addWidget(self.grid_table)
        pl.addWidget(heading("영역별 점수 (100점 환산)", 12))
        self.domain_chart = BarChart()
        pl.addWidget(self.domain_chart)
        pl.addWidget(heading("요인별 점수 (100점 환산)", 12))
        self.factor_chart = BarChart()
        pl.addWidget(self.factor_chart)
        self.factor_table = _readonly_table()
        pl.addWidget(self.factor_table)
        pl.addStretch(1)
        return prof

    def _build_items(self) -> QWidget:
        """The sortable item table and the chosen question's answers per option."""
        items = QWidget()
        il = QVBoxLayout(items)
        il.addWidget(hint("열 머리글을 누르면 그 기준으로 정렬됩니다. 긍정률 = 위 두 단계('그렇다' 이상)를 고른 비율."))
        self.item_table = _readonly_table()
        self.item_table.setSortingEnabled(True)
        self.item_table.setWordWrap(True)
        self.item_table.setAccessibleName("문항별 결과")
        self.item_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        il.addWidget(self.item_table, 3)
        # the chosen question's answers per option, as answered (like a Google Forms summary)
        self.dist_caption = hint("문항을 고르면 보기별 응답 분포가 여기에 나옵니다.")
        il.addWidget(self.dist_caption)
        self.dist_chart = BarChart(value_format="{:.0f}%")
        self.dist_chart.setAccessibleName("보기별 응답 분포")
        il.addWidget(self.dist_chart, 1)
        self.item_table.itemSelectionChanged.connect(self._show_distribution)
        return items

    def _build_group_compare(self) -> QWidget:
        comp = QWidget()
        cl = QVBoxLayout(comp)
        cl.addWidget(hint("같은 영역·요인을 집단마다 어떻게 보는지 비교합니다 (100점 환산)."))
        cl.addWidget(heading("요인 프로필", 12))
        cl.addWidget(hint("점으로만 보이는 집단은 일부 요인의 문항에만 답한 집단입니다."))
        self.radar = RadarChart()
        cl.addWidget(self.radar, 0, Qt.AlignHCenter)
        cl.addWidget(heading("영역", 12))
        self.compare_domain_chart = BarChart(bar_height=12)
        cl.addWidget(self.compare_domain_chart)
        cl.addWidget(heading("요인", 12))
        self.compare_factor_chart = BarChart(bar_height=9)
        cl.addWidget(self.compare_factor_chart)
        cl.addStretch(1)
        return comp

    def _build_strengths(self) -> QWidget:
        """Two lists side by side: the items with the highest and the lowest 긍정률."""
        sw = QWidget()
        sl = QHBoxLayout(sw)
        for attr, title, note in (("top_list", "강점 문항", "긍정률이 가장 높은 문항"),
                                  ("bottom_list", "약점 문항", "긍정률이 가장 낮은 문항 — 개선 계획에 반영하세요")):
            col = QVBoxLayout()
            col.addWidget(heading(title, 12))
            col.addWidget(hint(note))
            lw = QListWidget()
            lw.setWordWrap(True)
            lw.setSpacing(3)
            lw.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            lw.setAlternatingRowColors(True)
            lw.setAccessibleName(title)
            setattr(self, attr, lw)
            col.addWidget(lw, 1)
            sl.addLayout(col)
        return sw

    def _build_comments(self) -> QWidget:
        cm = QWidget()
        cml = QVBoxLayout(cm)
        crow = QHBoxLayout()
        self.comment_caption = hint("")
        crow.addWidget(self.comment_caption, 1)
        # the comment picker chooses the comments the report quotes
        pick = QPushButton("보고서에 실을 의견 고르기…")
        pick.clicked.connect(lambda: self.main.open_comment_picker())
        crow.addWidget(pick)
        cml.addLayout(crow)
        self.comment_list = QListWidget()
        self.comment_list.setWordWrap(True)
        self.comment_list.setAccessibleName("서술형 의견")
        cml.addWidget(self.comment_list, 1)
        return cm

    def _build_grades(self) -> QWidget:
        """학년별 (GRADE_TAB): each 학년 cell of the group, computed on a worker when the tab is shown."""
        gw = QWidget()
        gl = QVBoxLayout(gw)
        self.grade_caption = hint("")
        gl.addWidget(self.grade_caption)
        self.grade_table = _readonly_table("학년별 결과")
        gl.addWidget(self.grade_table, 1)
        return gw

    def _build_footer(self) -> QHBoxLayout:
        foot = QHBoxLayout()
        foot.addWidget(hint("다음 할 일: 약점 문항과 의견을 살펴보고, 관련 지표의 '개선 계획(환류)'에 반영하세요."), 1)
        go = QPushButton("자체평가로 가서 개선 계획 쓰기 →")
        go.clicked.connect(lambda: self.main.show_page("selfeval"))
        foot.addWidget(go)
        return foot

    # ------------------------------------------------------------ loading
    def refresh(self) -> None:
        self.session.run(results.surveys_overview, on_done=self._show_surveys)
        self.session.run(results.area_levels, on_done=self._show_area_grid)

    GRID_STATES = {"suppressed": "n<5", "absent": "응답 없음", "not_asked": "해당 없음", "no_answers": "응답 없음"}

    def _show_area_grid(self, g: dict) -> None:
        """One row per 영역, one column per 평가주체: the 4단계 (mean), or why there is none."""
        t = self.grid_table
        t.clear()
        t.setColumnCount(1 + len(g["groups"]))
        t.setHorizontalHeaderLabels(["영역", *g["groups"]])
        t.setRowCount(len(g["areas"]))
        for r, (key, title) in enumerate(g["areas"]):
            t.setItem(r, 0, SortItem(f"{key}. {title}", key))
            for c, grp in enumerate(g["groups"], 1):
                cell = g["grid"][key, grp]
                text = (level_text(cell.rounded, cell.level) if cell.state == "level"
                        else self.GRID_STATES.get(cell.state, ""))
                t.setItem(r, c, SortItem(text, cell.mean))
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        t.resizeRowsToContents()
        t.setFixedHeight(t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(t.rowCount())) + 4)

    def _show_surveys(self, surveys: list[dict]) -> None:
        keep = (getattr(self, "_want_survey", None) or self.survey_combo.currentData()
                or next((s["id"] for s in surveys if s.get("year_survey") and s["counts"]), None))
        self._want_survey = None
        self.surveys = surveys
        self.survey_combo.clear()
        with_data = [s for s in surveys if s["counts"]]
        for s in with_data + [s for s in surveys if not s["counts"]]:
            n = sum(s["counts"].values())
            self.survey_combo.addItem(f"{s['title']} ({n}명)" if n else f"{s['title']} (응답 없음)", s["id"])
        i = self.survey_combo.findData(keep)
        self.survey_combo.setCurrentIndex(max(i, 0))
        self._load_survey()

    def _load_survey(self) -> None:
        sid = self.survey_combo.currentData()
        s = next((x for x in self.surveys if x["id"] == sid), None)
        self.empty_label.setText("아직 분석할 설문 응답이 없습니다")
        if not s or not s["counts"]:
            self.stack.setCurrentIndex(0)
            self.group_combo.clear()
            self.caption.setText("")
            self.loaded = True
            return
        period = self.period_combo.currentData()
        if period == COMPARE:
            self.session.run(results.period_comparison, sid, on_done=self._show_periods,
                             label="두 시기의 결과를 계산하는 중")
            return
        periods = {i.get("period") for i in s["imports"]}
        if period not in periods and len(periods) == 1:  # e.g. only the 1학기 survey so far: show that one
            period = periods.pop()
            self.period_combo.setCurrentIndex(self.period_combo.findData(period))
        self.session.run(results.survey_results, sid, year=None, period=period, on_done=self._show_results,
                         label="설문 결과를 계산하는 중")

    def focus(self, instrument: str | None = None, group: str | None = None) -> None:
        """Show one survey (and group); remembered until the survey list has loaded."""
        self._want_survey, self._want_group = instrument, group
        i = self.survey_combo.findData(instrument) if instrument else -1
        if i >= 0:
            self.survey_combo.setCurrentIndex(i)
            self._want_survey = None
            self._load_survey()

    def _group_changed(self) -> None:
        if self.period_combo.currentData() == COMPARE:
            self._fill_periods()
        else:
            self._show_group()

    def _show_periods(self, data: dict) -> None:
        self.periods_data = data
        keep = self.group_combo.currentData()
        self.group_combo.clear()
        for g, e in data["groups"].items():
            self.group_combo.addItem(f"{g} (중간 {e['n'][MIDYEAR]}명 · 학년말 {e['n'][YEAR_END]}명)", g)
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(keep), 0))
        self.stack.setCurrentIndex(2)
        self._fill_periods()
        self.loaded = True

    def _fill_periods(self) -> None:
        data = getattr(self, "periods_data", None)
        g = self.group_combo.currentData()
        entry = (data or {}).get("groups", {}).get(g)
        self.caption.setText(f"{data['year']}학년도 {g} — 중간평가(1학기)와 학년말평가" if entry else
                             "두 시기 모두 응답이 있는 집단이 없습니다.")
        rows = [(label, code, row) for kind, label in (("domains", "영역"), ("factors", "세부영역"))
                for code, row in (entry or {}).get(kind, {}).items()]
        cols = ["구분", "이름", "중간 평균", "학년말 평균", "변화", "학년말 4단계"]
        t = self.period_table
        t.setSortingEnabled(False)
        t.clear()
        t.setColumnCount(len(cols))
        t.setHorizontalHeaderLabels(cols)
        t.setRowCount(len(rows))
        for r, (label, code, row) in enumerate(rows):
            mid, end = row[MIDYEAR] or {}, row[YEAR_END] or {}
            change = row["change"]
            cells = [SortItem(f"{label} {code}", code), SortItem(row["title"], row["title"]),
                     SortItem(num(mid.get("mean")), mid.get("mean")), SortItem(num(end.get("mean")), end.get("mean")),
                     SortItem("—" if change is None else f"{change:+.2f}", change),
                     SortItem(level_text(end.get("rounded"), end.get("level")) if end.get("rounded") is not None
                              else "—", end.get("rounded"))]
            for c, cell in enumerate(cells):
                t.setItem(r, c, cell)
        t.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)

    def _show_results(self, data: dict) -> None:
        self.data = data
        self.themes_panel.invalidate()
        keep = getattr(self, "_want_group", None) or self.group_combo.currentData()
        self._want_group = None
        self.group_combo.clear()
        for g in data["groups"]:
            self.group_combo.addItem(f"{g} ({data['by_group'][g]['n']}명)", g)
        i = self.group_combo.findData(keep)
        self.group_combo.setCurrentIndex(max(i, 0))
        if not data["groups"]:  # this period has no answers: say so (the other period may have some)
            self.stack.setCurrentIndex(0)
            self.empty_label.setText(data.get("note") or "이 시기의 설문 응답이 없습니다")
            self.loaded = True
            return
        self.stack.setCurrentIndex(1)
        self._show_group()
        self.loaded = True

    # ------------------------------------------------------------ views
    # Each tab is filled in its own event-loop turn (the visible one first), so showing a large
    # survey never holds the GUI thread for long.
    def _show_group(self) -> None:
        if not self.data:
            return
        self._generation = getattr(self, "_generation", 0) + 1
        self._filled: set[int] = set()
        g = self.group_combo.currentData()
        d = self.data["by_group"][g]
        prev = self.data["previous_year"]
        period = PERIOD_LABELS.get(self.data.get("period"), "")
        cap = (f"{self.data['year']}학년도 {period} {g} 응답자 {d['n']}명 · {self.data['scale_points']}점 척도"
               f" ({' / '.join(self.data['scale_labels'])})")
        if d["small"]:
            cap += " · 응답자가 5명 미만이라 외부로 내보내는 통계에서는 가려집니다"
        if prev:
            cap += f" · {prev}학년도 결과를 함께 보여 줍니다"
        self.caption.setText(cap)
        self._fill_tab(self.tabs.currentIndex())
        gen = self._generation
        for i in range(self.tabs.count()):
            QTimer.singleShot(0, lambda i=i: gen == self._generation and self._fill_tab(i))

    def _fill_tab(self, index: int) -> None:
        if not self.data or index in self._filled or index < 0:
            return
        self._filled.add(index)
        g = self.group_combo.currentData()
        d = self.data["by_group"][g]
        prev = self.data["previous_year"]
        year = self.data["year"]
        if index == 0:
            def series(rows: list[dict]) -> list:
                s = [(f"{year}학년도", [r["score100"] for r in rows])]
                if prev:
                    s.append((f"{prev}학년도", [r["prev_score100"] for r in rows]))
                return s
            self.domain_chart.set_data([r["title"] for r in d["domains"]], series(d["domains"]))
            self.factor_chart.set_data([r["title"] for r in d["factors"]], series(d["factors"]))
            pooled = self.data.get("scoring") == "guidebook"
            self.level_heading.setVisible(pooled)
            self.level_table.setVisible(pooled)
            if pooled:
                self._fill_level_table(d["domains"])
            self._fill_factor_table(d["factors"], prev, pooled)
        elif index == 1:
            self._fill_items(d["items"], prev)
        elif index == 2:
            if getattr(self, "_compared", None) is not self.data:
                self._compared = self.data
                self._show_comparison()
        elif index == 3:
            self._fill_top_bottom(d)
        elif index == 4:
            self._show_comments()
        elif index == THEMES_TAB:
            if self.tabs.currentIndex() != index:  # Kiwi loads on demand: wait until the tab is opened
                self._filled.discard(index)
                return
            period = self.period_combo.currentData()
            self.themes_panel.load(self.data["instrument"], YEAR_END if period == COMPARE else period)
        elif index == GRADE_TAB:
            self.grade_caption.setText("학년별 결과를 계산하는 중…")
            self.grade_table.setRowCount(0)
            self.session.run(results.grade_breakdown, self.data["instrument"], g, self.data.get("period", YEAR_END),
                             on_done=self._show_grades)

    def _show_grades(self, b: dict) -> None:
        if not self.data or b["group"] != self.group_combo.currentData():
            return  # the user moved on while it was computed
        if not b["cells"]:
            self.grade_caption.setText(f"{b['group']} 응답에는 학년 문항이 없습니다. 설문지에 학년(학부모는 '자녀의 학년') "
                                       "문항을 넣으면 학년별로 나눠 볼 수 있습니다.")
            self.grade_table.setRowCount(0)
            return
        self.grade_caption.setText(
            "학교 안에서는 모든 칸을 보여 줍니다. '외부 비공개' 칸은 응답자가 5명 미만이거나 다른 칸과 전체 값으로 "
            "계산해 낼 수 있어 보고서·제출 파일에는 싣지 않습니다."
            + (f" 여러 학년을 고른 응답자 {b['several']}명은 고른 학년마다 셉니다." if b["several"] else ""))
        # 영역 titles are long: two lines in the header, the whole title in its tooltip
        cols = ["학년", "응답자", *[wrap_title(title) + "\n(평균 · 4단계)" for _c, title in b["domains"]], "학교 밖 공개"]
        t = self.grade_table
        t.setSortingEnabled(False)
        t.clear()
        t.setColumnCount(len(cols))
        t.setHorizontalHeaderLabels(cols)
        for k, (_c, title) in enumerate(b["domains"], 2):
            t.horizontalHeaderItem(k).setToolTip(title)
        t.setRowCount(len(b["cells"]))
        for r, c in enumerate(b["cells"]):
            cells = [SortItem(c["cell"], r), SortItem(str(c["n"]), c["n"]),
                     *[SortItem(num(c["domains"][code]) + (f" · {level_text(*c['levels'][code])}"
                                                            if c["levels"][code][1] else ""), c["domains"][code])
                       for code, _t in b["domains"]],
                     SortItem("외부 비공개" if c["hidden"] else "공개", int(c["hidden"]))]
            for k, cell in enumerate(cells):
                t.setItem(r, k, cell)
        t.resizeColumnsToContents()

    def _fill_level_table(self, domains: list[dict]) -> None:
        """영역 × (응답자, 응답 수, 평균, 4단계) of a guidebook-scored survey."""
        cols = ["영역", "응답자", "응답 수", "평균", "4단계"]
        t = self.level_table
        t.setSortingEnabled(False)
        t.clear()
        t.setColumnCount(len(cols))
        t.setHorizontalHeaderLabels(cols)
        t.setRowCount(len(domains))
        for r, d in enumerate(domains):
            vals = [SortItem(d["title"], d["title"]), SortItem(str(d["n"]), d["n"]),
                    SortItem(str(d["answers"] or 0), d["answers"]), SortItem(num(d["mean"], 3), d["mean"]),
                    SortItem(level_text(d["rounded"], d["level"]), d["rounded"])]
            for c, it in enumerate(vals):
                t.setItem(r, c, it)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        t.resizeRowsToContents()
        t.setFixedHeight(t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(len(domains))) + 4)

    def _fill_factor_table(self, factors: list[dict], prev: int | None, pooled: bool = False) -> None:
        cols = (["세부영역", "응답자", "평균", "표준편차", "100점 환산", "신뢰도(α)", "4단계"] if pooled
                else ["요인", "응답 수", "평균", "표준편차", "100점 환산", "신뢰도(α)"]) + ([f"{prev}학년도"] if prev else [])
        t = self.factor_table
        t.setSortingEnabled(False)
        t.clear()
        t.setColumnCount(len(cols))
        t.setHorizontalHeaderLabels(cols)
        t.setRowCount(len(factors))
        for r, f in enumerate(factors):
            vals = [SortItem(f["title"], f["title"]), SortItem(str(f["n"]), f["n"]), SortItem(num(f["mean"]), f["mean"]),
                    SortItem(num(f["sd"]), f["sd"]), SortItem(num(f["score100"], 1), f["score100"]),
                    SortItem(alpha_text(f["alpha"], f["alpha_n"]), f["alpha"])]
            if alpha_note(f["alpha"], f["alpha_n"]):
                vals[-1].setToolTip(alpha_note(f["alpha"], f["alpha_n"]))
            if pooled:
                vals.append(SortItem(level_text(f["rounded"], f["level"]), f["rounded"]))
            if prev:
                vals.append(SortItem(num(f["prev_score100"], 1), f["prev_score100"]))
            for c, it in enumerate(vals):
                t.setItem(r, c, it)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        t.resizeRowsToContents()
        t.setFixedHeight(t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(len(factors))) + 4)
        t.setSortingEnabled(True)

    def _fill_items(self, items: list[dict], prev: int | None) -> None:
        cols = [*self.ITEM_COLUMNS, *([f"{prev} 긍정률"] if prev else [])]
        t = self.item_table
        t.setSortingEnabled(False)
        t.clear()
        t.setColumnCount(len(cols))
        t.setHorizontalHeaderLabels(cols)
        t.setRowCount(len(items))
        for r, it in enumerate(items):
            text = it["text"] + (" (역문항)" if it["reverse"] else "")
            cells = [SortItem(it["code"], it["code"]), SortItem(text, text), SortItem(it["factor_title"], it["factor_title"]),
                     SortItem(str(it["n"]), it["n"]), SortItem(num(it["mean"]), it["mean"]),
                     SortItem(pct(it["positive_rate"]), it["positive_rate"]),
                     SortItem(num(it["score100"], 1), it["score100"])]
            if prev:
                cells.append(SortItem(pct(it["prev_positive_rate"]), it["prev_positive_rate"]))
            cells[1].setToolTip(it["text"])
            for c, cell in enumerate(cells):
                t.setItem(r, c, cell)
        # fixed widths: measuring every wrapped cell (ResizeToContents) stalls the GUI thread
        h = t.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.Interactive)
        for c, width in enumerate([56, 0, 170, 64, 60, 70, 84] + ([90] if prev else [])):
            if width:
                t.setColumnWidth(c, width)
        h.setSectionResizeMode(1, QHeaderView.Stretch)
        t.setSortingEnabled(True)
        t.sortByColumn(5, Qt.DescendingOrder)

    def _show_distribution(self) -> None:
        """Bars per option of the selected question: the share who chose it, with the count."""
        rows = self.item_table.selectionModel().selectedRows() if self.data else []
        if not rows:
            return
        code = self.item_table.item(rows[0].row(), 0).key
        d = self.data["by_group"][self.group_combo.currentData()]
        it = next((r for r in d["items"] if r["code"] == code), None)
        if it is None:
            return
        counts = [it["answered"].get(v, 0) for v in range(1, len(self.data["scale_labels"]) + 1)]
        total = sum(counts)
        self.dist_caption.setText(f"{it['code']} {it['text']} — 응답 {total}명"
                                  + (" · 역문항이지만 고른 그대로 보여 줍니다" if it["reverse"] else ""))
        self.dist_chart.set_data([f"{label} ({n}명)" for label, n in zip(self.data["scale_labels"], counts)],
                                 [("응답 비율", [n / total * 100 if total else None for n in counts])])

    def _fill_top_bottom(self, d: dict) -> None:
        for lw, rows, color in ((self.top_list, d["top"], "#25613a"), (self.bottom_list, d["bottom"], "#a33a1f")):
            lw.clear()
            for rank, r in enumerate(rows, 1):
                extra = (f" <span style='color:#666'>(작년 {pct(r['prev_positive_rate'])})</span>"
                         if r.get("prev_positive_rate") is not None else "")
                label = QLabel(f"<div><b style='color:{color}; font-size:13pt'>{pct(r['positive_rate'])}</b>"
                               f" &nbsp;평균 {num(r['mean'])}{extra}<br>{rank}. {r['text']}"
                               f"<br><span style='color:#666'>{r['code']} · 요인: {r['factor_title']}"
                               f"{REVERSE_NOTE if r.get('reverse') else ''}</span></div>")
                label.setWordWrap(True)
                label.setContentsMargins(8, 6, 8, 6)
                item = QListWidgetItem()
                item.setData(Qt.UserRole, r["code"])
                item.setToolTip(r["text"])
                lw.addItem(item)
                label.setFixedWidth(max(lw.viewport().width() - 16, 300))
                label.adjustSize()
                item.setSizeHint(label.sizeHint())
                lw.setItemWidget(item, label)

    def _show_comparison(self) -> None:
        comp = self.data["comparison"]
        groups = self.data["groups"]
        self.radar.set_data([f["title"] for f in comp["factors"]],
                            [(g, [f["scores"].get(g) for f in comp["factors"]]) for g in groups])
        self.compare_domain_chart.set_data([d["title"] for d in comp["domains"]],
                                           [(g, [d["scores"].get(g) for d in comp["domains"]]) for g in groups])
        self.compare_factor_chart.set_data([f["title"] for f in comp["factors"]],
                                           [(g, [f["scores"].get(g) for f in comp["factors"]]) for g in groups])

    def _show_comments(self) -> None:
        """The selected group's open-ended answers, under their questions."""
        self.comment_list.clear()
        g = self.group_combo.currentData()
        comments = [c for c in self.data["comments"] if c["group"] == g]
        self.comment_caption.setText(f"{g}의 의견 {len(comments)}개 ('없음', '.' 같은 답은 뺐습니다)"
                                     if comments else f"{g}의 서술형 의견이 없습니다.")
        last_q = None
        for c in comments:
            if c["question"] != last_q:
                n = sum(1 for x in comments if x["question"] == c["question"])
                head = QListWidgetItem(f"■ {c['question_text']} ({n}개)")
                f = head.font()
                f.setBold(True)
                head.setFont(f)
                head.setFlags(Qt.ItemIsEnabled)
                self.comment_list.addItem(head)
                last_q = c["question"]
            it = QListWidgetItem(f"    · {'⚠ ' if c.get('personal') else ''}{c['text']}")
            if c.get("personal"):
                it.setToolTip("개인정보(전화번호, 이름 등)로 보이는 내용이 있습니다. 문서에는 가려서 싣습니다.")
            self.comment_list.addItem(it)
