"""Smoke-test a built bundle outside any venv: the CLI on a demo school to a PDF, the GUI to its dashboard.

    python installer/smoke_test.py [dist/SchoolVault] [--runs 3] [--strict]

Both executables run with PATH stripped of virtual environments, PYTHONPATH/PYTHONHOME unset, a
temporary directory as cwd and as the user's home/data folders, so anything the bundle misses
(a module, a font, an instrument file, a Qt plugin) fails here rather than on a school PC.
Prints the bundle size and the GUI start-up time (goal: dashboard in ≤ 2 s; --strict makes
a slower start fail). Exit 0 when everything passed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo

STARTUP_GOAL_S = 2.0
CMD_TIMEOUT_S = 300
GUI_TIMEOUT_S = 60
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
SCHOOL = ["--school", "서울예시초등학교", "--level", "초", "--district", "동부", "--year", "2025",
          "--code", "B100000001"]
SURVEY = "sodi-example-2025"


class SmokeFailure(Exception):
    pass


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a school PC: no venv on PATH, no Python variables, a fresh user profile."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "PYENV", "PIP_", "QT_", "SCHOOLVAULT_"))}
    venvs = {Path(sys.prefix).resolve(), buildinfo.ROOT.resolve()}

    def foreign(entry: str) -> bool:
        p = Path(entry).resolve()
        return ".venv" in p.parts or "pyenv" in str(p) or any(v == p or v in p.parents for v in venvs)

    env["PATH"] = os.pathsep.join(e for e in os.environ.get("PATH", "").split(os.pathsep) if e and not foreign(e))
    for var in ("HOME", "USERPROFILE"):
        env[var] = str(home)
    for var, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_CACHE_HOME", ".cache"), ("LOCALAPPDATA", "AppData/Local"),
                     ("APPDATA", "AppData/Roaming")):
        env[var] = str(home / sub)
        (home / sub).mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        # Windows finds %LOCALAPPDATA% through the shell, not the variable: without this the default
        # workspace steps below would write demo data into the developer's real workspace.
        env["SCHOOLVAULT_DATA_DIR"] = str(home / "AppData/Local/SchoolVault")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


class Bundle:
    def __init__(self, root: Path, env: dict[str, str], cwd: Path):
        self.root, self.env, self.cwd = root, env, cwd
        self.cli_exe = root / f"{buildinfo.CLI_EXE}{EXE_SUFFIX}"
        self.gui_exe = root / f"{buildinfo.GUI_EXE}{EXE_SUFFIX}"
        for exe in (self.cli_exe, self.gui_exe):
            if not exe.is_file():
                raise SmokeFailure(f"missing executable {exe}")

    def cli(self, *args: str, db: Path | None = None, expect: int = 0) -> str:
        cmd = [str(self.cli_exe), *(["--db", str(db)] if db else []), *args]
        started = time.perf_counter()
        p = subprocess.run(cmd, env=self.env, cwd=self.cwd, capture_output=True, text=True, check=False,
                           encoding="utf-8", errors="replace", timeout=CMD_TIMEOUT_S)
        took = time.perf_counter() - started
        shown = " ".join(a if " " not in a else repr(a) for a in args)
        if p.returncode != expect:
            raise SmokeFailure(f"schoolvault-cli {shown} exited {p.returncode} (expected {expect})\n"
                               f"--- stdout\n{p.stdout[-3000:]}\n--- stderr\n{p.stderr[-3000:]}")
        print(f"  ok  {took:5.2f} s  schoolvault-cli {shown}")
        return p.stdout

    def gui_startup(self, db: Path | None) -> tuple[float, float]:
        """Start the GUI offscreen until its dashboard has loaded; (wall-clock s, s after main()).

        Without `db` it opens the default workspace; were that not the CLI's, a first-run setup
        dialog would wait for input and the run would time out.
        """
        env = dict(self.env, SCHOOLVAULT_SMOKE_EXIT="1")
        started = time.perf_counter()
        args = ["--db", str(db)] if db else []
        # One merged pipe read to its end: no second pipe to fill up, no line left in a read buffer.
        p = subprocess.Popen([str(self.gui_exe), *args], env=env, cwd=self.cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
        watchdog = threading.Timer(GUI_TIMEOUT_S, p.kill)  # a dialog waiting for input would block forever
        watchdog.start()
        wall = in_app = None
        lines = []
        assert p.stdout is not None
        try:
            for line in p.stdout:
                lines.append(line)
                if line.startswith("smoke: dashboard loaded"):  # printed before Qt shuts down: time it here
                    wall = time.perf_counter() - started
                    in_app = float(line.split()[3])
            p.wait()
        finally:
            watchdog.cancel()
        output = "".join(lines)
        if p.returncode != 0 or wall is None or in_app is None:
            raise SmokeFailure(f"schoolvault (GUI) {'' if db else '(no --db) '}exited {p.returncode} "
                               f"without reaching the dashboard within {GUI_TIMEOUT_S} s\n"
                               f"--- output\n{output[-3000:]}")
        if "Cancel button reads 취소" not in output:
            raise SmokeFailure(f"Qt's own dialogs are not in Korean (qtbase_ko.qm missing?)\n--- output\n{output[-2000:]}")
        return wall, in_app


def commands(b: Bundle) -> set[str]:
    """Top-level CLI commands of this build (reports and district tools arrive over time)."""
    text = b.cli("--help")
    return {line.split()[0] for line in text.splitlines() if line.startswith("    ") and line.split()}


def run_cli(b: Bundle, work: Path) -> Path:
    print("CLI (outside the venv):")
    version = buildinfo.read_version()
    out = b.cli("--version")
    if version not in out:
        raise SmokeFailure(f"--version printed {out.strip()!r}, expected {version}")
    available = commands(b)

    # Default workspace: lands in the user's data folder (platformdirs), here inside the fake profile.
    out = b.cli("init", *SCHOOL, "--json")
    default_db = Path(json.loads(out)["db"])
    home = Path(b.env["HOME"])
    if home.resolve() not in default_db.resolve().parents or not default_db.is_file():
        raise SmokeFailure(f"default workspace {default_db} is not inside the user's data folder under {home}")
    print(f"        default workspace: {default_db}")
    b.cli("demo", "--seed", "3")  # the GUI opens this one without --db: CLI and GUI must agree

    db = work / "서울예시초.sqlite"  # a Korean path, as on a school PC
    b.cli("init", *SCHOOL, db=db)
    b.cli("demo", "--seed", "7", db=db)
    stats = json.loads(b.cli("stats", "--instrument", SURVEY, "--json", db=db))
    groups = stats.get("groups") or {}
    if not groups or not any(g.get("n", 0) > 0 for g in groups.values()):
        raise SmokeFailure(f"stats of {SURVEY} has no respondents: {list(groups)}")
    b.cli("status", db=db)
    if "template" in available:
        xlsx = work / "양식.xlsx"
        b.cli("template", "--instrument", SURVEY, "--group", "교원", str(xlsx), db=db)
        _check_file(xlsx, b"PK")
    pdfs = []
    if "report" in available:
        pdfs += run_report(b, db, work)
    else:
        print("  --  report: no `report` command in this build yet; the district report PDF stands in")
    if "backup" in available:
        b.cli("backup", str(work / "백업.sqlite"), db=db)
    b.cli("check", db=db)

    if {"demo-district", "district"} <= available:
        subs, ddb = work / "제출", work / "교육청.sqlite"
        b.cli("demo-district", "--schools", "6", "--out", str(subs), "--seed", "1", "--workers", "2")
        b.cli("district", "import", str(subs), "--workers", "2", db=ddb)  # process pool, frozen
        pdf = work / "종합보고서.pdf"
        b.cli("district", "report", str(pdf), db=ddb)
        pdfs.append(_check_file(pdf, b"%PDF"))
    for pdf in pdfs:
        _check_pdf_fonts(pdf)
    if not pdfs:
        raise SmokeFailure("no command of this build wrote a PDF")
    return db


def run_report(b: Bundle, db: Path, work: Path) -> list[Path]:
    """The PDFs a school prints: the evaluation report, the SODI report, a paper questionnaire."""
    kinds = b.cli("report", "--help")
    jobs = [("evaluation", "학교평가_결과보고서.pdf", []),
            ("sodi", "학교조직진단_보고서.pdf", ["--instrument", SURVEY]),
            ("questionnaire", "종이설문지_교원.pdf", ["--instrument", SURVEY, "--group", "교원"])]
    pdfs = []
    for kind, name, extra in jobs:
        if kind in kinds:
            b.cli("report", "--kind", kind, *extra, str(work / name), db=db)
            pdfs.append(_check_file(work / name, b"%PDF"))
    if not pdfs:
        raise SmokeFailure(f"`report --help` offers none of {[k for k, _, _ in jobs]}")
    return pdfs


def _check_file(path: Path, magic: bytes) -> Path:
    if not path.is_file() or path.stat().st_size < 1000 or not path.read_bytes().startswith(magic):
        raise SmokeFailure(f"{path} was not written properly")
    print(f"        wrote {path.name} ({path.stat().st_size // 1024} KiB)")
    return path


def _check_pdf_fonts(pdf: Path) -> None:
    """A Korean PDF must embed its font (FontFile2), or it prints as boxes on a PC without it."""
    data = pdf.read_bytes()
    if b"/FontFile2" not in data and b"/FontFile" not in data:
        raise SmokeFailure(f"{pdf.name} embeds no font")


def run_gui(b: Bundle, db: Path, runs: int) -> list[float]:
    print("GUI (offscreen, outside the venv):")
    wall, _ = b.gui_startup(None)
    print(f"  ok  default workspace (no --db): dashboard loaded {wall:.2f} s after launch; Qt dialogs in Korean")
    walls = []
    for i in range(runs):
        wall, in_app = b.gui_startup(db)
        walls.append(wall)
        print(f"  ok  run {i + 1}: dashboard loaded {wall:.2f} s after launch ({in_app:.2f} s after main())")
    return walls


# Heavy things an offline widgets app must never ship; finding one means an exclusion stopped working.
FORBIDDEN = ("webengine", "qt6quick", "qt6qml", "qtquick", "qtqml", "qt63d", "qt3d", "multimedia", "numpy",
             "pandas", "scipy", "matplotlib", "tcl", "tk86", "_tkinter", "pytest")


def check_lean(root: Path) -> None:
    found = sorted({str(p.relative_to(root)) for p in root.rglob("*")
                    if any(f in p.name.lower() for f in FORBIDDEN)})
    if found:
        raise SmokeFailure("the bundle carries modules the app does not use:\n  " + "\n  ".join(found[:20]))
    print("  ok  no QtWebEngine/QtQuick/QML/Qt3D/QtMultimedia, numpy, pandas, Tk or pytest in the bundle")


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Windows CI log is cp1252: never die on Korean text
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    ap = argparse.ArgumentParser(description="Smoke-test a built SchoolVault bundle")
    ap.add_argument("bundle", nargs="?", default=str(buildinfo.ROOT / "dist" / buildinfo.DIST_NAME))
    ap.add_argument("--runs", type=int, default=3, help="GUI start-ups to time (first one is cold)")
    ap.add_argument("--strict", action="store_true", help=f"fail when start-up exceeds {STARTUP_GOAL_S} s")
    args = ap.parse_args(argv)
    root = Path(args.bundle).resolve()
    with tempfile.TemporaryDirectory(prefix="sv-smoke-") as tmp:
        home, work = Path(tmp) / "home", Path(tmp) / "작업"
        home.mkdir()
        work.mkdir()
        try:
            b = Bundle(root, clean_env(home), work)
            check_lean(root)
            db = run_cli(b, work)
            walls = run_gui(b, db, max(args.runs, 1))
        except (SmokeFailure, subprocess.TimeoutExpired) as e:
            print(f"SMOKE TEST FAILED: {e}", file=sys.stderr)
            return 1
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    median = statistics.median(walls)
    verdict = "within" if median <= STARTUP_GOAL_S else "OVER"
    print(f"bundle size: {size / 1024 / 1024:.1f} MiB ({root})")
    print(f"GUI start-up to dashboard: first {walls[0]:.2f} s, median {median:.2f} s over {len(walls)} runs "
          f"({verdict} the {STARTUP_GOAL_S:.0f} s goal)")
    if args.strict and median > STARTUP_GOAL_S:
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
