"""The one writer rule for every .xlsx the app writes (워크북, 빈 설문 양식, 교육청 파일).

Why one place: text in these files comes from people — survey titles, item texts, school names, free-text
answers — and a spreadsheet runs text that looks like a formula (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`, DDE).
`new_workbook(path)` gives an xlsxwriter Workbook in which
- no string is ever parsed as a formula or a link (`strings_to_formulas`/`strings_to_urls` off);
- every text cell, however it is written (`write`, `write_string`, `write_row` …), passes `cell_text`:
  formula-like text gets the neutralising apostrophe (`safe_text.neutralize_formula`) and text longer than
  a cell holds (32,767 UTF-16 units) is cut with a visible note saying how much was left out, never silently
  (xlsxwriter would drop the end without a word); the workbook counts such cells (`cut_cells`); lone
  surrogates, which xlsxwriter cannot encode, become U+FFFD (`safe_text.replace_surrogates`); text shaped
  like `<r>…</r>`, which xlsxwriter takes for its own rich-string XML and writes into the file unescaped,
  is written as one plain run holding the escaped text (`plain_run`), so it reads back as it was;
- a chart's title or series name never becomes a cell reference: xlsxwriter reads any name shaped like
  `Sheet!A1` (with or without "=") as a formula, so a survey titled "요약!A1" would show another cell.
Writers keep choosing formats and layout; they only open the workbook here.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .safe_text import FORMULA_STARTS, has_surrogate, neutralize_formula

CELL_MAX = 32767  # UTF-16 code units a cell holds (Excel's limit)
# the first characters of a text that may need the apostrophe: the formula starts and the spaces
# `is_formula_like` looks past, and "<" of a rich-string shape; a text starting otherwise, short enough to
# fit and free of surrogates, is written as it is
RISKY_FIRST = frozenset(s[0] for s in FORMULA_STARTS) | {" ", "\u3000", "<"}
CUT_NOTE = " … [엑셀 한 칸에 다 들어가지 않아 뒤의 {n:,}자를 싣지 못했습니다]"
BASE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True}
# what xlsxwriter takes for a reference in a chart name (xlsxwriter.chart.Chart._process_names)
_CHART_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def is_rich_shaped(text: str) -> bool:
    """True when xlsxwriter would write the text as rich-string XML (Worksheet._write_cell, SharedStrings)."""
    return text.startswith("<r>") and text.endswith("</r>")


def plain_run(text: str) -> str:
    """The text as one unformatted rich-string run: xlsxwriter writes it unescaped, so it is escaped here."""
    return f'<r><t xml:space="preserve">{escape(text, quote=False)}</t></r>'


def cell_text(text: str) -> tuple[str, bool]:
    """(text as a cell may hold it, cut?): formula-like text neutralised, lone surrogates replaced, rich-shaped
    text wrapped in a plain run; over CELL_MAX, the end cut and the cut said at the end of the cell, in
    characters of the original text (a cut text ends with the note, so it is never rich-shaped)."""
    if (not text or text[0] not in RISKY_FIRST) and len(text) <= CELL_MAX // 2 and not has_surrogate(text):
        return text, False  # the bulk of the cells: a set lookup and one scan
    out = neutralize_formula(text)
    if len(out) > CELL_MAX // 2 and _utf16(out) > CELL_MAX:
        return _cut(out, len(out)), True
    if not is_rich_shaped(out):
        return out, False
    run = plain_run(out)
    if _utf16(run) <= CELL_MAX:
        return run, False
    return _cut(out, len(out) - 1), True  # the escaped run would not fit: cut, which ends it with the note


def _cut(out: str, keep: int) -> str:
    """At most the first `keep` characters of `out` and the note saying how many were left out, in CELL_MAX."""
    while True:
        note = CUT_NOTE.format(n=len(out) - keep)
        budget = CELL_MAX - _utf16(note)
        head = out[:keep]
        size = _utf16(head)
        if size <= budget:
            return head + note
        keep -= max(1, (size - budget) // 2)


def chart_name(name: Any) -> Any:
    """A chart title or series name that xlsxwriter keeps as text: "요약!A1" → "요약！A1" (a full-width
    exclamation mark); references we build ourselves are lists and pass unchanged."""
    if isinstance(name, str) and _CHART_REFERENCE.match(name):
        return name.replace("!", "！")
    return name


class SafeWorksheet(Worksheet):
    """A worksheet whose every string cell goes through `cell_text`."""

    def _write_string(self, row, col, string, cell_format=None):  # every text path of xlsxwriter ends here
        text, cut = cell_text(string)
        if cut:
            self.cut_cells.append((self.name, row, col))
        return super()._write_string(row, col, text, cell_format)

    def write_numbers(self, row: int, cells) -> None:
        """(column, number) pairs of one row, unformatted, straight into the cell table: the raw answer
        sheets' hundreds of thousands of numbers skip xlsxwriter's per-cell dispatch (`write_row` → `write` →
        type checks), about a quarter of their writing time. Numbers only (int or float; anything else raises
        TypeError); text still goes through `write_string` and the rule above."""
        number = self._write_number
        for col, value in cells:
            number(row, col, value)


class SafeWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter Workbook under the writer rule (see the module docstring)."""

    def __init__(self, filename, options: dict | None = None):
        super().__init__(filename, {**(options or {}), **BASE_OPTIONS})
        self.worksheet_class = SafeWorksheet
        self.cut_cells: list[tuple[str, int, int]] = []  # (sheet, row, col) of cells cut to fit

    def add_worksheet(self, name=None, worksheet_class=None):
        ws = super().add_worksheet(name, worksheet_class or SafeWorksheet)
        ws.cut_cells = self.cut_cells
        return ws

    def add_chart(self, options):
        chart = super().add_chart(options)
        if chart is not None:
            names = chart._process_names
            chart._process_names = lambda name, formula: names(chart_name(name), formula)
        return chart


def new_workbook(path: str | Path, options: dict | None = None) -> SafeWorkbook:
    """Open an .xlsx for writing under the one writer rule; `options` are xlsxwriter's (constant_memory …),
    the formula and link options are always off."""
    return SafeWorkbook(str(path), options)
