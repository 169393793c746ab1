"""Import benchmark: 10,000 respondents × 60 items from .xlsx.

SchoolVault's import (read, map, check, write in one transaction) against the raw baseline in the
same run: python-calamine read + sqlite3.executemany of the same answers into the same table shape.
Each side runs in its own process so peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/bench_import.py [--respondents 10000] [--items 60]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LABELS = ["전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"]
GOAL_RATIO = 1.5
GOAL_MB = 300


def make_xlsx(path: Path, respondents: int, items: int, seed: int = 7) -> None:
    import xlsxwriter
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("설문지 응답 시트1")
    ws.write_row(0, 0, ["타임스탬프", "이메일 주소"] + [
        f"{n}. 우리 학교의 교육활동 {n}번 영역은 학생의 성장에 도움이 된다고 생각하십니까?" for n in range(1, items + 1)])
    for r in range(1, respondents + 1):
        base = rng.randint(2, 4)
        row = [f"2025/06/{1 + r % 28:02d} {r // 3600 % 24:02d}:{r // 60 % 60:02d}:{r % 60:02d}", f"p{r}@school.kr"]
        row += ["" if rng.random() < 0.01 else LABELS[min(4, max(0, base + rng.randint(-2, 1)))]
                for _ in range(items)]
        ws.write_row(r, 0, row)
    wb.close()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_baseline(xlsx: Path, db: Path) -> dict:
    from python_calamine import CalamineWorkbook
    t0 = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    value = {lab: n for n, lab in enumerate(LABELS, start=1)}
    header = rows[0]
    cols = [(ci, f"Q{ci - 1:02d}") for ci in range(2, len(header))]
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE answers (respondent_id INTEGER NOT NULL, item TEXT NOT NULL, value INTEGER NOT NULL, "
                 "PRIMARY KEY (respondent_id, item)) WITHOUT ROWID")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO answers VALUES (?, ?, ?)",
                     ((rid, code, value[row[ci]]) for rid, row in enumerate(rows[1:], start=1)
                      for ci, code in cols if row[ci] != ""))
    conn.execute("COMMIT")
    n = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    conn.close()
    return {"seconds": time.perf_counter() - t0, "answers": n, "peak_mb": _peak_mb()}


def run_schoolvault(xlsx: Path, db: Path) -> dict:
    from schoolvault.importing import import_responses
    from schoolvault.workspace import open_workspace
    with open_workspace(db) as ws:
        t0 = time.perf_counter()
        summary = import_responses(ws, xlsx, "bench-survey", "교원")
        seconds = time.perf_counter() - t0
        n = ws.conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    return {"seconds": seconds, "answers": n, "respondents": summary["respondents"], "peak_mb": _peak_mb(),
            "dropped": [c["header"] for c in summary["columns_dropped"]]}


def prepare_workspace(xlsx: Path, db: Path) -> None:
    from schoolvault import services
    from schoolvault.importing.survey_from import create_from_file
    ws = services.init_workspace(db, name="벤치마크초등학교", level="초", district="동부", year=2025)
    with ws:
        create_from_file(ws, xlsx, survey_id="bench-survey", group="교원")


def _child(kind: str, xlsx: str, db: str) -> None:
    fn = run_baseline if kind == "baseline" else run_schoolvault
    print(json.dumps(fn(Path(xlsx), Path(db))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=10_000)
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3, help="runs per side, alternating; the best is reported")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="sv-bench-"))
    try:
        xlsx = tmp / "responses.xlsx"
        make_xlsx(xlsx, args.respondents, args.items)
        prepare_workspace(xlsx, tmp / "sv.sqlite")

        def child(kind: str, db: Path) -> dict:
            out = subprocess.run([sys.executable, __file__, "--child", kind, str(xlsx), str(db)],
                                 check=True, capture_output=True, text=True)
            return json.loads(out.stdout)
        bases, svs = [], []
        for r in range(args.repeat):  # alternate, so machine load hits both sides alike
            bases.append(child("baseline", tmp / f"raw{r}.sqlite"))
            shutil.copy(tmp / "sv.sqlite", tmp / f"sv{r}.sqlite")
            svs.append(child("schoolvault", tmp / f"sv{r}.sqlite"))
        base = min(bases, key=lambda x: x["seconds"])
        sv = min(svs, key=lambda x: x["seconds"])
        base["peak_mb"] = max(x["peak_mb"] for x in bases)
        sv["peak_mb"] = max(x["peak_mb"] for x in svs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = sv["seconds"] / base["seconds"]
    print(f"import {args.respondents:,} respondents × {args.items} items (.xlsx), best of {args.repeat}")
    print(f"  baseline  (calamine + executemany): {base['seconds']:.2f} s, {base['answers']:,} answers, "
          f"peak {base['peak_mb']:.0f} MB")
    print(f"  SchoolVault import-responses:       {sv['seconds']:.2f} s, {sv['answers']:,} answers, "
          f"peak {sv['peak_mb']:.0f} MB")
    print(f"  ratio {ratio:.2f}× (goal ≤ {GOAL_RATIO}×), memory goal ≤ {GOAL_MB} MB; dropped columns: {sv['dropped']}")
    ok = base["answers"] == sv["answers"] and ratio <= GOAL_RATIO and sv["peak_mb"] <= GOAL_MB
    print("  OK" if ok else "  NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
