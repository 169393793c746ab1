"""District mode (교육청 분석): import schools' workbooks, tables by level and district, one school, export.

A self-contained window-or-page: `DistrictPage(ws_path, parent=None)` opens its own session on the
district workspace (created when missing) and calls only core functions, on the session's job thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import submission
from ...district.aggregate import ALL, district_stats
from ...district.benchmark import write_benchmark
from ...district.importer import import_submissions, stored_rows
from ...district.report import area_level_rows, write_report
from ...forms.groups import GROUPS
from ...workspace import district as district_db
from ..session import Session
from .base import heading, hint

DISTRICT_WORKSPACE_NAME = "district.sqlite"


def default_district_path() -> Path:
    """The district office's own workspace beside the school one (a district workspace has no school)."""
    from ...paths import user_data_dir
    return user_data_dir() / DISTRICT_WORKSPACE_NAME


def open_district_window(parent: QWidget | None = None, ws_path: str | Path | None = None) -> DistrictPage:
    """The main window's hook: the district page as its own window on the district workspace."""
    w = DistrictPage(ws_path or default_district_path(), parent)
    w.setWindowFlag(Qt.Window, True)
    w.setAttribute(Qt.WA_DeleteOnClose, True)
    w.resize(1200, 800)
    w.show()
    return w


def school_detail(ws, school_id: int) -> dict:
    """One school's stored submission for the drill-down (runs on the job thread)."""
    s = district_db.school(ws, school_id)
    return {"school": s, "rows": stored_rows(ws, school_id)}


class _NumberItem(QTableWidgetItem):
    """Sorts by the number behind the text (missing values first)."""

    def __lt__(self, other) -> bool:
        a, b = self.data(Qt.UserRole), other.data(Qt.UserRole)
        return (a if a is not None else float("-inf")) < (b if b is not None else float("-inf"))


_NO_NUMBER = object()


def _item(text, *, number=_NO_NUMBER, align_right: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None else str(text)) if number is _NO_NUMBER else _NumberItem(
        "" if text is None else str(text))
    if number is not _NO_NUMBER and number is not None:
        it.setData(Qt.UserRole, number)
    if align_right:
        it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    it.setFlags(it.flags() & ~Qt.ItemIsEditable)
    return it


def _instrument_titles() -> dict[str, str]:
    from ...catalog import shipped
    return {a.instrument.id: a.instrument.title for a in shipped()}


def _fmt(v, digits: int = 1) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


class DistrictPage(QWidget):
    """Import folder → tables by 학교급 / 소속청 → one school → PDF, xlsx, benchmark."""

    loaded_changed = Signal()

    def __init__(self, ws_path: str | Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = Session(ws_path, self)
        self.stats: dict | None = None
        self.last_import: dict | None = None
        self.last_export: dict | None = None
        self.detail: dict | None = None
        self.loaded = False
        self._build()
        self.retranslate()
        self.refresh()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_toolbar())
        self.summary = hint("")
        lay.addWidget(self.summary)
        lay.addLayout(self._build_filters())

        self.tabs = QTabWidget()
        self.level_table = self._table()
        self.district_table = self._table()
        self.ratings_table = self._table()
        schools = self._build_schools()
        self.tabs.addTab(self.level_table, "")
        self.tabs.addTab(self.district_table, "")
        self.tabs.addTab(schools, "")
        self.tabs.addTab(self.ratings_table, "")
        self.tabs.addTab(self._build_area_levels(), "")
        lay.addWidget(self.tabs, 1)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumHeight(110)
        self.log.setPlaceholderText("가져오기 결과와 주의할 점이 여기에 나옵니다.")
        lay.addWidget(self.log)
        # a file kept out because it claims a known school code differently, or is an edited copy of a
        # verified submission: the earlier one stays until the user chooses this
        self.btn_replace = QPushButton("보류된 파일로 바꾸기", clicked=self.replace_pending)
        self.btn_replace.setToolTip("보류된 파일이 같은 학교 코드의 앞 제출을 대신합니다.")
        self.btn_replace.setVisible(False)
        lay.addWidget(self.btn_replace)

    def _build_toolbar(self) -> QHBoxLayout:
        """The title, the two ways to import and the three exports (texts set in retranslate)."""
        top = QHBoxLayout()
        self.title = heading("")
        top.addWidget(self.title, 1)
        self.btn_folder = QPushButton(clicked=self._pick_folder)
        self.btn_files = QPushButton(clicked=self._pick_files)
        self.btn_pdf = QPushButton(clicked=lambda: self._pick_export("pdf"))
        self.btn_xlsx = QPushButton(clicked=lambda: self._pick_export("xlsx"))
        self.btn_bench = QPushButton(clicked=lambda: self._pick_export("json"))
        for b in (self.btn_folder, self.btn_files, self.btn_pdf, self.btn_xlsx, self.btn_bench):
            top.addWidget(b)
        return top

    def _build_filters(self) -> QHBoxLayout:
        """Which survey and which respondent group the tables show."""
        filt = QHBoxLayout()
        self.instrument_label = QLabel()
        self.instrument = QComboBox()
        self.instrument.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.group_label = QLabel()
        self.group = QComboBox()
        self.instrument.currentIndexChanged.connect(self._fill_scopes)
        self.group.currentIndexChanged.connect(self._fill_scopes)
        for w in (self.instrument_label, self.instrument, self.group_label, self.group):
            filt.addWidget(w)
        filt.addStretch(1)
        return filt

    def _build_schools(self) -> QSplitter:
        """The school list beside the chosen school's own rows."""
        schools = QSplitter(Qt.Horizontal)
        self.school_table = self._table()
        self.school_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.school_table.setSortingEnabled(True)
        self.school_table.itemSelectionChanged.connect(self._school_selected)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.school_title = heading("", 12)
        self.school_info = hint("")
        self.school_rows = self._table()
        rl.addWidget(self.school_title)
        rl.addWidget(self.school_info)
        rl.addWidget(self.school_rows, 1)
        schools.addWidget(self.school_table)
        schools.addWidget(right)
        schools.setSizes([600, 400])
        return schools

    def _build_area_levels(self) -> QWidget:
        """영역 4단계: the table for the chosen scope, and its note."""
        levels = QWidget()
        ll = QVBoxLayout(levels)
        ll.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.area_scope_label = QLabel()
        self.area_scope = QComboBox()
        self.area_scope.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.area_scope.currentIndexChanged.connect(self._fill_area_levels)
        row.addWidget(self.area_scope_label)
        row.addWidget(self.area_scope)
        row.addStretch(1)
        ll.addLayout(row)
        self.area_table = self._table()
        ll.addWidget(self.area_table, 1)
        self.area_note = hint("")
        ll.addWidget(self.area_note)
        return levels

    @staticmethod
    def _table() -> QTableWidget:
        t = QTableWidget()
        t.verticalHeader().setVisible(False)
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        return t

    def retranslate(self) -> None:
        self.setWindowTitle("SchoolVault — 교육청 분석")
        self.title.setText("교육청 분석")
        self.btn_folder.setText("폴더 가져오기…")
        self.btn_files.setText("파일 가져오기…")
        self.btn_pdf.setText("종합보고서 PDF…")
        self.btn_xlsx.setText("내부용 엑셀…")
        self.btn_bench.setText("벤치마크 파일…")
        self.instrument_label.setText("설문")
        self.group_label.setText("응답 집단")
        self.area_scope_label.setText("범위")
        for i, name in enumerate(("학교급별", "소속청별", "학교", "지표 분포", "영역 4단계")):
            self.tabs.setTabText(i, name)

    # ------------------------------------------------------------ jobs
    def refresh(self) -> None:
        def done(stats) -> None:
            self.show_stats(stats)

        def failed(exc) -> bool:
            from ...errors import SchoolVaultError
            if isinstance(exc, SchoolVaultError):  # an empty district workspace: say what to do
                self.show_stats(None)
                return True
            return False

        self.session.run(district_stats, on_done=done, on_error=failed)

    def import_paths(self, paths: list[str]) -> None:
        """Import files and folders on the job thread; the log lists refused files and warnings."""
        self.session.run(import_submissions, list(paths), on_done=self._imported, with_progress=True,
                         label="학교 제출 파일을 가져오는 중")

    def _imported(self, result: dict) -> None:
        self.last_import = result
        lines = [f"가져옴 {result['imported']}개, 바꿔 넣음 {result['replaced']}개, 거부 {result['refused']}개"
                 + (f", 수정된 파일 {result['edited']}개" if result["edited"] else "")]
        pending = [f for f in result["files"] if f["status"] == "conflict"]
        if pending:
            lines[0] += f", 보류 {len(pending)}개"
        for f in result["files"]:
            if f["status"] == "conflict":
                lines.append(f"보류: {f['file']} — {f['reason']}")
            elif f["status"] == "refused":
                lines.append(f"거부: {f['file']} — {f['reason']}")
            elif f["status"] == "replaced":
                lines.append(f"바꿔 넣음: {f['file']} ({f['school']}) ← {f['replaced']['file']}")
            for w in f.get("warnings") or ():
                lines.append(f"주의: {f['file']} — {w}")
        self.log.setPlainText("\n".join(lines))
        self.pending = [(f["path"], f["school_code"]) for f in pending]
        self.btn_replace.setVisible(bool(pending))
        self.refresh()

    def replace_pending(self) -> None:
        """Import the held-back files again, letting each replace the earlier submission of its code."""
        pending, self.pending = getattr(self, "pending", []), []
        if pending:
            self.session.run(import_submissions, [p for p, _ in pending], on_done=self._imported, with_progress=True,
                             replace_schools=[c for _, c in pending], label="보류된 파일로 바꾸는 중")

    def export(self, path: str | Path) -> None:
        """PDF or xlsx report, or (.json) the benchmark file, by the file's suffix."""
        path = Path(path)

        def done(result) -> None:
            self.last_export = result
            self.log.appendPlainText(f"저장했습니다: {result['out']}")

        if path.suffix.lower() == ".json":
            self.session.run(write_benchmark, path, on_done=done, label="벤치마크 파일을 만드는 중")
        else:
            self.session.run(write_report, path, on_done=done, with_progress=True, label="종합보고서를 만드는 중")

    def show_school(self, school_id: int) -> None:
        self.session.run(school_detail, school_id, on_done=self._show_school)

    # ------------------------------------------------------------ dialogs
    def _pick_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "학교 제출 파일이 든 폴더")
        if d:
            self.import_paths([d])

    def _pick_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "학교 제출 파일", "", "엑셀 통합문서 (*.xlsx)")
        if files:
            self.import_paths(files)

    def _pick_export(self, kind: str) -> None:
        names = {"pdf": ("종합보고서.pdf", "PDF (*.pdf)"), "xlsx": ("종합보고서_내부용.xlsx", "엑셀 (*.xlsx)"),
                 "json": ("벤치마크.json", "벤치마크 (*.json)")}
        name, filt = names[kind]
        path, _ = QFileDialog.getSaveFileName(self, "저장", name, filt)
        if path:
            self.export(path)

    # ------------------------------------------------------------ showing
    def show_stats(self, stats: dict | None) -> None:
        self.stats = stats
        busy = stats is not None
        for b in (self.btn_pdf, self.btn_xlsx, self.btn_bench):
            b.setEnabled(busy)
        if stats is None:
            self.summary.setText("아직 가져온 학교가 없습니다. '폴더 가져오기…'로 학교들이 보낸 워크북(.xlsx)을 가져오세요.")
            for t in (self.level_table, self.district_table, self.school_table, self.ratings_table, self.area_table):
                t.setRowCount(0)
            self.area_scope.clear()
            self.loaded = True
            self.loaded_changed.emit()
            return
        levels = ", ".join(f"{lv} {b['n_schools']}" for lv, b in stats["by_level"].items())
        support = sum(1 for s in stats["schools"] if s["needs_support"])
        self.summary.setText(f"{stats['year']}학년도 학교 {stats['n_schools']:,}개 ({levels}) · 지원 필요 {support}개")
        self.instrument.blockSignals(True)
        self.group.blockSignals(True)
        insts = sorted({lab["instrument"] for lab in stats["labels"]["domains"].values()})
        cur_inst = self.instrument.currentData()
        self.instrument.clear()
        titles = _instrument_titles()
        for inst in insts:
            self.instrument.addItem(titles.get(inst, inst), inst)
        if cur_inst in insts:
            self.instrument.setCurrentIndex(insts.index(cur_inst))
        cur_group = self.group.currentData()
        self.group.clear()
        for g in (ALL, *GROUPS):
            self.group.addItem(g, g)
        if cur_group:
            self.group.setCurrentIndex(max(0, self.group.findData(cur_group)))
        self.instrument.blockSignals(False)
        self.group.blockSignals(False)
        self._fill_scopes()
        self._fill_schools()
        self._fill_ratings()
        self._fill_area_scopes()
        self.loaded = True
        self.loaded_changed.emit()

    def _scope_rows(self, scopes: dict, table: QTableWidget) -> None:
        stats = self.stats
        inst, grp = self.instrument.currentData(), self.group.currentData() or ALL
        names = list(scopes)
        table.setSortingEnabled(False)
        table.clear()
        table.setColumnCount(2 + len(names))
        table.setHorizontalHeaderLabels(["구분", "영역 / 요인", *[f"{n} ({scopes[n]['n_schools']})" for n in names]])
        rows = []
        for kind, kname in (("domains", "영역"), ("factors", "요인")):
            for key, lab in stats["labels"][kind].items():
                if lab["instrument"] == inst:
                    rows.append((kind, kname, key, lab["title"]))
        table.setRowCount(len(rows))
        for r, (kind, kname, key, title) in enumerate(rows):
            table.setItem(r, 0, _item(kname))
            table.setItem(r, 1, _item(title))
            for c, n in enumerate(names):
                blk = scopes[n]["all"] if grp == ALL else scopes[n]["groups"].get(grp, {})
                e = blk.get(kind, {}).get(key)
                text = "–" if not e else f"{_fmt(e.get('score100'))} (SD {_fmt(e.get('sd'), 2)}, {e['n_schools']})"
                table.setItem(r, 2 + c, _item(text, number=e.get("score100") if e else None, align_right=True))

    def _fill_scopes(self) -> None:
        if not self.stats:
            return
        self._scope_rows(self.stats["by_level"], self.level_table)
        self._scope_rows(self.stats["by_district"], self.district_table)

    def _fill_schools(self) -> None:
        t = self.school_table
        schools = self.stats["schools"]
        t.setSortingEnabled(False)
        t.clear()
        headers = ["학교명", "학교급", "소속청", "설문 종합", "학교급 내 백분위", "지표 평균", "지원 필요", "파일"]
        t.setColumnCount(len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setRowCount(len(schools))
        for r, s in enumerate(schools):
            name = _item(s["name"])
            name.setData(Qt.UserRole, s["id"])
            t.setItem(r, 0, name)
            t.setItem(r, 1, _item(s["level"]))
            t.setItem(r, 2, _item(s["district"]))
            t.setItem(r, 3, _item(_fmt(s["score100"]), number=s["score100"], align_right=True))
            t.setItem(r, 4, _item(_fmt(s["percentile"], 0), number=s["percentile"], align_right=True))
            t.setItem(r, 5, _item(_fmt(s["rating_mean"], 2), number=s["rating_mean"], align_right=True))
            t.setItem(r, 6, _item("예" if s["needs_support"] else ""))
            status = _item(submission.UNEDITED_LABEL if s["checksum_ok"] else submission.EDITED_LABEL)
            status.setToolTip(submission.CHECKSUM_NOTE)
            t.setItem(r, 7, status)
        t.setSortingEnabled(True)

    def _fill_ratings(self) -> None:
        t = self.ratings_table
        ind = self.stats["indicators"]
        points = ind["points"]
        t.clear()
        t.setColumnCount(4 + points)
        t.setHorizontalHeaderLabels(["지표", "지표명", "학교 수", *[f"{k}등급" for k in range(1, points + 1)], "평균"])
        rows = list(ind["overall"].items())
        t.setRowCount(len(rows))
        for r, (code, d) in enumerate(rows):
            t.setItem(r, 0, _item(code))
            t.setItem(r, 1, _item(d["title"]))
            t.setItem(r, 2, _item(d["n_schools"], align_right=True))
            for k in range(1, points + 1):
                t.setItem(r, 2 + k, _item(d["counts"].get(str(k), 0), align_right=True))
            t.setItem(r, 3 + points, _item(_fmt(d["mean"], 2), align_right=True))

    def _fill_area_scopes(self) -> None:
        al = self.stats["area_levels"]
        cur = self.area_scope.currentData()
        self.area_scope.blockSignals(True)
        self.area_scope.clear()
        self.area_scope.addItem("전체", "overall\t")
        for lv in al["by_level"]:
            self.area_scope.addItem(f"학교급 {lv}", f"by_level\t{lv}")
        for d in al["by_district"]:
            self.area_scope.addItem(f"소속청 {d}", f"by_district\t{d}")
        if cur is not None:
            self.area_scope.setCurrentIndex(max(0, self.area_scope.findData(cur)))
        self.area_scope.blockSignals(False)
        self._fill_area_levels()

    def _fill_area_levels(self) -> None:
        """Schools per 4단계 of each 영역 and 평가주체 in the chosen scope (the district report's table)."""
        t = self.area_table
        t.clear()
        if not self.stats or self.area_scope.currentData() is None:
            t.setRowCount(0)
            return
        al = self.stats["area_levels"]
        kind, name = self.area_scope.currentData().split("\t", 1)  # scope key: "by_level\t초"
        block = al["overall"] if kind == "overall" else al[kind].get(name, {})
        header, rows = area_level_rows(self.stats, block, public=False)
        t.setColumnCount(len(header))
        t.setHorizontalHeaderLabels(header)
        t.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, v in enumerate(cells):
                t.setItem(r, c, _item(v, align_right=c >= 2))
        if not al["cells"]:
            self.area_note.setText("영역 결과(4단계)가 든 제출 파일이 없습니다. 학교들이 새 SchoolVault로 내보낸 파일에 들어 있습니다.")
        else:
            self.area_note.setText("학교 수입니다. n<5: 응답자 5명 미만이라 단계를 내지 않은 학교 · 자료 없음: 결과가 없는 학교"
                                   " · 학교 평균: 학교별 평균(5점)의 평균 (학교 수)")

    def _school_selected(self) -> None:
        rows = self.school_table.selectionModel().selectedRows()
        if rows:
            sid = self.school_table.item(rows[0].row(), 0).data(Qt.UserRole)
            self.show_school(int(sid))

    def select_school(self, name: str) -> None:
        """Select a school by name in the school table (drill-down)."""
        self.tabs.setCurrentIndex(2)
        for r in range(self.school_table.rowCount()):
            if self.school_table.item(r, 0).text() == name:
                self.school_table.selectRow(r)
                return

    def _show_school(self, d: dict) -> None:
        self.detail = d
        s = d["school"]
        self.school_title.setText(f"{s.school_name} ({s.level} · {s.district})")
        info = [f"{s.year}학년도 · 파일 {s.source_name} · " + (f"{submission.UNEDITED_LABEL} (검증값 일치)" if s.checksum_ok
                                                              else "내보낸 뒤 수정된 파일")]
        self.school_info.setToolTip(submission.CHECKSUM_NOTE)
        info += s.warnings
        self.school_info.setText("\n".join(info))
        rows = [r for r in d["rows"] if r["kind"] in ("respondents", "domain", "factor", "level", "rating")]
        t = self.school_rows
        t.clear()
        t.setColumnCount(6)
        t.setHorizontalHeaderLabels(["구분", "집단", "코드", "이름", "n", "평균 / 등급"])
        t.setRowCount(len(rows))
        t.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        kinds = {"respondents": "응답자", "domain": "영역", "factor": "요인", "level": "영역 4단계", "rating": "지표"}
        for i, r in enumerate(rows):
            n = "n<5" if r["suppressed"] else r["n"]
            if r["kind"] == "level":  # the school's 영역 result as submitted: rounded mean and its 4단계
                value = " ".join(x for x in (_fmt(r["rounded"]) if r["rounded"] is not None else "", r["level"] or "")
                                 if x)
            else:
                value = r["rating"] if r["kind"] == "rating" else _fmt(r["mean"], 2) if r["mean"] is not None else ""
            for c, v in enumerate((kinds[r["kind"]], r["grp"], r["code"], r["title"], n, value)):
                t.setItem(i, c, _item(v, align_right=c >= 4))

    def closeEvent(self, event) -> None:
        self.session.close()
        super().closeEvent(event)
