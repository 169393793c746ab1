"""How long the GUI thread is ever blocked while a vice-principal walks every page (goal: < 100 ms).

Runs the main window offscreen on a demo workspace, visits every page, opens indicators, switches
survey groups and tabs, types into a text box, and records the longest gap between ticks of a 5 ms
timer on the GUI thread. Baseline in the same run: the same timer in an idle event loop.
`--respondents N` replaces the demo's answers with N respondents per survey (bench_reports.replace_answers),
e.g. 5000 for a large school.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--respondents 5000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=None,
                    help="replace the demo's answers with N respondents per survey")
    args = ap.parse_args()
    from bench_reports import replace_answers  # type: ignore[import-not-found]
    from PySide6.QtCore import QTimer

    from schoolvault import services
    from schoolvault.demo import fill_demo
    from schoolvault.ui.app import make_app

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bench.sqlite"
    services.init_workspace(path, name="서울벤치초등학교", level="초", district="동부", year=2025).close()
    from schoolvault.workspace import open_workspace
    with open_workspace(path) as ws:
        fill_demo(ws, seed=2)
        if args.respondents:
            replace_answers(ws, args.respondents)

    app = make_app()
    from schoolvault.ui.mainwindow import MainWindow

    # (wall gap, phase, CPU the GUI thread itself used in the gap): a gap with little GUI-thread CPU was
    # spent waiting (a worker holding the GIL, or other processes on a busy machine), not computing here
    gaps: list[tuple[float, str, float]] = []
    state: dict = {"last": time.perf_counter(), "cpu": time.thread_time(), "phase": "idle"}

    def tick() -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        gaps.append((now - state["last"], state["phase"], cpu - state["cpu"]))
        state["last"], state["cpu"] = now, cpu

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    pump(0.5)
    baseline = max(g for g, _, _ in gaps[1:])
    gaps.clear()

    state["phase"] = "window"
    start = time.perf_counter()
    w = MainWindow(path)
    w.resize(1400, 900)
    w.show()
    state["last"], state["cpu"] = time.perf_counter(), time.thread_time()
    construct = state["last"] - start
    pump(1.0)
    for key in ("plan", "selfeval", "surveys", "results", "reports", "dashboard"):
        state["phase"] = f"page {key}"
        w.show_page(key)
        pump(1.0)
    se = w.show_page("selfeval")
    for code in ("1-1-2", "2-2-1", "3-4-1", "1-1-1"):
        state["phase"] = f"indicator {code}"
        se.select(code)
        pump(0.6)
    state["phase"] = "typing"
    for ch in "수업 나눔 주간을 운영하였다":
        se.texts["achievements"].insertPlainText(ch)
        pump(0.03)
    pump(1.5)
    res = w.show_page("results")
    for sid in ("sodi-example-2025", "seoul-eval-survey-2025"):
        for g in ("교원", "학생", "학부모"):
            state["phase"] = f"results {sid} {g}"
            res.focus(sid, g)
            pump(0.8)
        for tab in range(res.tabs.count()):
            state["phase"] = f"results tab {tab}"
            res.tabs.setCurrentIndex(tab)
            pump(0.3)
    w.close()
    worst = sorted(gaps[1:], reverse=True)[:5]
    print(f"school: {'demo answers' if not args.respondents else f'{args.respondents:,} respondents per survey'}")
    print(f"window constructed in {construct * 1000:.0f} ms")
    print(f"longest GUI-thread stall: {worst[0][0] * 1000:.0f} ms ({worst[0][1]}; GUI thread busy "
          f"{worst[0][2] * 1000:.0f} ms of it); idle event-loop baseline in the same run: {baseline * 1000:.0f} ms")
    for g, phase, cpu in worst[1:]:
        print(f"  next: {g * 1000:.0f} ms ({phase}; busy {cpu * 1000:.0f} ms)")
    busy = max(gaps[1:], key=lambda x: x[2])
    print(f"most GUI-thread CPU in one gap: {busy[2] * 1000:.0f} ms ({busy[1]}; gap {busy[0] * 1000:.0f} ms)")
    shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of live Qt objects; nothing is left to save


if __name__ == "__main__":
    main()
