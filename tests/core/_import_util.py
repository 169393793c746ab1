"""Helpers shared by the test_import_* files: run the CLI in-process, write exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from schoolvault.cli import main

AGREE5 = ["전혀 그렇지 않다", "그렇지 않다", "보통이다", "그렇다", "매우 그렇다"]
SODI = "sodi-example-2025"


def run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def assert_refused(code, out, err, fragment: str | None = None):
    assert code == 1, (code, out, err)
    assert err.startswith("오류: ") and "Traceback" not in err, err
    if fragment:
        assert fragment in err, err


def write_csv(path: Path, header: list, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append([None if c == "" else c for c in r])
    wb.save(path)
    return path


def sodi_items(group: str):
    from schoolvault.catalog import resolve
    return resolve(None, SODI).instrument.items_for(group)
