"""The README's 의견 주제 screenshot (docs/screenshot-themes.png), made the way scripts/screenshots.py makes
the others: a demo school through the CLI, then the real MainWindow at 1400×900.

The demo's comments repeat a handful of sentences, so this adds the comments written for the theme tests
(tests/core/test_themes.py: planted themes across 교원/학생/학부모) to the 학교평가 survey's 학년말 answers.

    xvfb-run -a -s '-screen 0 1400x900x24' .venv/bin/python scripts/screenshot_themes.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests" / "core")]

from screenshots import SIZE, Shooter, build_workspace
from test_themes import GROUPS, SURVEY, corpus


def add_comments(db: Path) -> None:
    from schoolvault import services
    from schoolvault.workspace import open_workspace, responses
    with open_workspace(db) as ws:
        _, year = services.require_school(ws)
        ref = services.freeze_for_use(ws, SURVEY)
        with ws.transaction():
            for g in GROUPS:
                rows = [responses.ResponseRow(n + 2, {}, {"O1": t}) for n, (grp, t, _) in enumerate(corpus())
                        if grp == g]
                responses.add_administration(ws, year=year, instrument_ref=ref, group=g, rows=rows,
                                             source_name=f"의견 예시 ({g})", method="demo")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        db = build_workspace(Path(d))
        add_comments(db)
        from schoolvault.ui.app import make_app
        from schoolvault.ui.errors import install_excepthook
        app = make_app()
        install_excepthook()
        from schoolvault.ui.mainwindow import MainWindow
        from schoolvault.ui.pages.results import THEMES_TAB
        s = Shooter(app, args.out)
        w = MainWindow(db)
        w.resize(*SIZE)
        w.show()
        w.after_open()
        idle = lambda: w.session.runner.idle and w.session.saver.idle
        res = w.show_page("results")
        s.wait(lambda: idle() and res.loaded, "results")
        res.focus(SURVEY, "학부모")
        s.wait(lambda: idle() and res.data and res.survey_combo.currentData() == SURVEY, "survey results")
        res.tabs.setCurrentIndex(THEMES_TAB)
        s.wait(lambda: idle() and res.themes_panel.result is not None, "themes", timeout=120)
        panel = res.themes_panel
        row = next(r for r, t in enumerate(panel.result.themes) if "방과후" in t.label)
        panel.table.selectRow(row)
        s.pump(0.5)
        s.save(w, "screenshot-themes.png")
        w.close()
        s.pump(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
