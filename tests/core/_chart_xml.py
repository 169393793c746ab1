"""Helpers shared by the workbook tests: how each chart series of a written .xlsx looks on paper."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl


def series_looks(path: Path) -> list[list[tuple[str, str]]]:
    """Per chart, its series as (name, look): the look is what tells a series apart without colour —
    the fill pattern (`pattFill` preset, or "solid") plus the line dash and marker symbol, if any."""
    wb = openpyxl.load_workbook(path)
    charts = []
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if not re.fullmatch(r"xl/charts/chart\d+\.xml", n):
                continue
            series = []
            for ser in re.findall(r"<c:ser>.*?</c:ser>", z.read(n).decode("utf-8"), re.DOTALL):
                ref = re.search(r"<c:tx><c:strRef><c:f>'?(.+?)'?!\$([A-Z]+)\$(\d+)</c:f>", ser)
                name = str(wb[ref.group(1)][f"{ref.group(2)}{ref.group(3)}"].value) if ref else ""
                sp = re.search(r"<c:spPr>(.*?)</c:spPr>", ser, re.DOTALL)
                fill = sp.group(1) if sp else ""
                patt = re.search(r'<a:pattFill prst="(\w+)"', fill)
                look = [patt.group(1) if patt else "solid" if fill.startswith("<a:solidFill") else "none"]
                dash = re.search(r'<a:prstDash val="(\w+)"', ser)
                mark = re.search(r'<c:symbol val="(\w+)"', ser)
                look += [dash.group(1) if dash else "", mark.group(1) if mark else ""]
                series.append((name, "/".join(look)))
            charts.append(series)
    wb.close()
    return charts
