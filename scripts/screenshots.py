"""Regenerate the README's GUI screenshots and report page images in docs/ from fresh demo data.

Builds a demo school workspace in a temporary folder through the CLI (init 서울예시초등학교 초 동부 2026,
code B100000001; demo --seed 7), opens the real MainWindow at 1366×768 with the Nanum fonts, visits
each page the README shows, waits until its data is in, and saves `QWidget.grab()` of the window to
docs/screenshot-*.png. The report images are pages of the 학교평가 결과 보고서 and the SODI report,
rendered with `pdftoppm -r 60` (poppler-utils; --dpi to change); the page is found by its heading,
not its number.

    xvfb-run -a -s '-screen 0 1400x900x24' .venv/bin/python scripts/screenshots.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py      # also works

    --out DIR   write the PNGs to DIR instead of docs/ (to look at them before replacing)
    --dpi N     resolution of the report page images (default 60)

Not part of the test suite. Look at every image before committing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1366, 768)  # the smallest laptop screen schools use
YEAR = 2026  # the official year `make run` opens
SCHOOL = ["--school", "서울예시초등학교", "--level", "초", "--district", "동부", "--year", str(YEAR),
          "--code", "B100000001"]
SODI = "sodi-example-2025"
GUIDEBOOK_SURVEY = "seoul-eval-survey-2026"
INDICATOR = "2-2-S1"  # a composed 평가지표 of the 2026 demo, linked to survey items
# report image -> (which report, text that marks its page, text that must be on the same page)
REPORT_PAGES = {
    "report-evaluation-summary.png": ("evaluation", "1. 한눈에 보는 올해 결과", None),
    "report-evaluation-indicator.png": ("evaluation", "2-2-S1 학생 참여 중심 수업 혁신", "관련 설문 문항"),
    "report-sodi-profile.png": ("sodi", "2. 영역·요인 프로필", None),
}


def cli(db: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "schoolvault", "--db", str(db), *args], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def build_workspace(tmp: Path) -> Path:
    db = tmp / "학교평가.sqlite"
    cli(db, "init", *SCHOOL)
    cli(db, "demo", "--seed", "7")
    return db


class Shooter:
    def __init__(self, app, out: Path):
        self.app, self.out = app, out

    def pump(self, seconds: float) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            # outside app.exec() processEvents never runs deleteLater(): replaced widgets would stay
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.005)

    def wait(self, ready, what: str, timeout: float = 60.0) -> None:
        """Pump events until ready() holds, then a little longer for tabs filled in later turns."""
        end = time.perf_counter() + timeout
        while not ready():
            if time.perf_counter() > end:
                raise SystemExit(f"timed out waiting for {what}")
            self.pump(0.05)
        self.pump(0.8)

    def save(self, widget, name: str) -> None:
        path = self.out / name
        if not widget.grab().save(str(path)):
            raise SystemExit(f"could not save {path}")
        print(f"wrote {path}")


def gui_shots(db: Path, out: Path) -> None:
    from schoolvault.ui.app import make_app
    from schoolvault.ui.errors import install_excepthook

    app = make_app()
    install_excepthook()
    from schoolvault.ui.mainwindow import MainWindow

    s = Shooter(app, out)
    w = MainWindow(db)
    w.resize(*SIZE)
    w.show()
    w.after_open()
    idle = lambda: w.session.runner.idle and w.session.saver.idle

    def page(key: str, **kw):
        p = w.show_page(key, **kw)
        s.wait(lambda: idle() and p.loaded, key)
        return p

    def shot(name: str) -> None:
        s.pump(0.3)
        s.save(w, name)

    page("dashboard")
    shot("screenshot-dashboard.png")

    plan = page("plan")
    first = plan.tree.topLevelItem(0)
    while first is not None and first.childCount():
        first = first.child(0)
    if first is not None:
        plan.tree.setCurrentItem(first)
    s.pump(0.5)
    shot("screenshot-plan.png")

    se = page("selfeval")
    se.focus(code=INDICATOR, tab="final")
    s.wait(lambda: idle() and se.detail is not None and se.detail["code"] == INDICATOR, f"indicator {INDICATOR}")
    shot("screenshot-indicator.png")
    se.focus(tab="midyear")
    s.pump(0.5)
    shot("screenshot-midyear.png")
    se.focus(tab="final")

    sv = page("surveys")
    shot("screenshot-surveys.png")
    title = next(x["title"] for x in sv.data if x["id"] == GUIDEBOOK_SURVEY)
    fq = sv.open_form_questions(GUIDEBOOK_SURVEY, title, "학부모")
    s.wait(lambda: fq.loaded, "form questions")
    s.save(fq, "screenshot-form-questions.png")
    fq.close()
    scroll = sv.body.parentWidget().parentWidget()
    scroll.ensureWidgetVisible(sv.imports_table, 0, 0)
    s.pump(0.3)
    shot("screenshot-imports.png")

    res = page("results")
    res.focus(GUIDEBOOK_SURVEY, "학부모")  # the 영역 results with 4단계 and the 4단계 grid
    s.wait(lambda: idle() and res.data and res.survey_combo.currentData() == GUIDEBOOK_SURVEY
           and res.group_combo.currentData() == "학부모", "guidebook survey results")
    res.tabs.setCurrentIndex(0)
    s.wait(idle, "results tab 0")
    shot("screenshot-results.png")
    res.focus(SODI, "교원")
    s.wait(lambda: idle() and res.data and res.survey_combo.currentData() == SODI
           and res.group_combo.currentData() == "교원", "SODI results")
    for tab, name in ((2, "screenshot-results-groups.png"), (3, "screenshot-results-strengths.png")):
        res.tabs.setCurrentIndex(tab)
        s.wait(idle, f"results tab {tab}")
        shot(name)

    rp = page("reports")
    shot("screenshot-reports.png")

    # a manual backup next to the one made on opening; made before the dialog so that no
    # "백업했습니다: <temp path>" line shows
    from schoolvault.workspace.backup import make_backup
    make_backup(db, reason="manual")
    dlg = w.open_backups()
    s.wait(lambda: dlg.loaded and dlg.runner.idle and len(dlg.backups) >= 2, "backup list")
    dlg.table.selectRow(0)
    s.pump(0.5)
    s.save(dlg, "screenshot-backups.png")
    dlg.reject()

    # 제출 전 점검 on a year left unfinished: two indicators without rating or findings, no 학부모 answers
    from schoolvault.workspace import open_workspace
    with open_workspace(db) as ws, ws.transaction():
        ws.conn.execute("UPDATE self_evaluations SET rating = NULL, achievements = '', shortcomings = '' "
                        "WHERE year = ? AND indicator IN ('2-2-S2', '3-1-S1')", (YEAR,))
        ws.conn.execute("DELETE FROM administrations WHERE grp = '학부모'")
    w.notify_changed(frozenset({"responses", "selfeval"}))
    from schoolvault.ui.pages.reports import REPORTS
    rp.check_before(next(k for k in REPORTS if k.key == "submission"))
    s.wait(lambda: getattr(rp, "check_dialog", None) is not None and rp.check_dialog.isVisible(), "check")
    s.save(rp.check_dialog, "screenshot-pre-submission.png")
    rp.check_dialog.reject()

    w.close()
    s.pump(0.5)


def pdf_page(pdf: Path, marker: str, also: str | None) -> int:
    """The first page of pdf whose text contains marker (and also), the 차례 page not counted."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    for n, page_text in enumerate(text.split("\f"), 1):
        if "차례" in (line.strip() for line in page_text.splitlines()):
            continue
        flat = " ".join(page_text.split())
        if marker in flat and (also is None or also in flat):
            return n
    raise SystemExit(f"{pdf.name}: no page with {marker!r}")


def report_shots(db: Path, tmp: Path, out: Path, dpi: int) -> None:
    from schoolvault.reports.evaluation_report import evaluation_report
    from schoolvault.reports.sodi_report import sodi_report
    from schoolvault.workspace import open_workspace

    pdfs = {"evaluation": tmp / "evaluation.pdf", "sodi": tmp / "sodi.pdf"}
    with open_workspace(db) as ws:
        evaluation_report(ws, pdfs["evaluation"])
        sodi_report(ws, pdfs["sodi"], instrument=SODI)
    for name, (which, marker, also) in REPORT_PAGES.items():
        n = pdf_page(pdfs[which], marker, also)
        stem = tmp / name.removesuffix(".png")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(n), "-l", str(n), "-singlefile",
                        str(pdfs[which]), str(stem)], check=True)
        shutil.copyfile(stem.with_suffix(".png"), out / name)
        print(f"wrote {out / name} ({pdfs[which].name} page {n})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    ap.add_argument("--dpi", type=int, default=60)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found (apt install poppler-utils)")
    tmp = Path(tempfile.mkdtemp(prefix="sv-shots-"))
    # keep the user's settings, recent files and data folder out of it
    os.environ["SCHOOLVAULT_DATA_DIR"] = str(tmp / "data")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    sys.path.insert(0, str(ROOT))
    try:
        db = build_workspace(tmp)
        report_shots(db, tmp, args.out, args.dpi)
        gui_shots(db, args.out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of live Qt objects; nothing is left to save


if __name__ == "__main__":
    raise SystemExit(main())
