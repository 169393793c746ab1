"""A workbook that computes the submission checksum (format 3) from its cells as it writes them.

`submission.workbook_checksum` is defined over the values a reader gets back from the file. Reading the
finished file back and rewriting its zip to put the result in doubled the cost of sealing a large export;
here every row is put into the canonical form (`submission.row_line`) at the moment xlsxwriter writes it
out, so the result is known before the metadata sheet's last cell is written and the file is written once.

What a reader gets back is predicted only where it is certain: numbers are taken as xlsxwriter prints
them (`%.16G`, parsed back as a reader does), text as it is, except text shaped like an `_xHHHH_` escape or
a rich string, and non-characters. Such text, or a cell of another kind (a formula, an error for NaN, a
date), makes `checksum()` return None, and the caller seals the closed file by reading it back
(`submission.seal`), as every file was sealed before.

Needs constant_memory: rows leave xlsxwriter one at a time (`_write_single_row`), in order, and a row
written out of order is dropped by xlsxwriter and here alike. The rows' temporary file is opened for
writing alone until close, which spares xlsxwriter a Python call per cell (`SealingWorksheet._initialize`).
"""

from __future__ import annotations

import hashlib
import re
from typing import TextIO

from . import submission
from .xlsx import SafeWorkbook, SafeWorksheet

# text a reader may not get back as written: xlsxwriter escapes control characters as `_xHHHH_` (a reader
# decodes them: tested), but also text already shaped like `_xHHHH_`, and non-characters, which do not all
# read back as they were (xmlwriter._escape_control_characters)
_ESCAPED = re.compile(r"_x[0-9a-fA-F]{4}_|[\ufffe\uffff]")
_EXACT_INT = 10**15  # an int below this prints and reads back as its own digits


def _number(v) -> str:
    """`submission._canon` of a number as a reader parses it from xlsxwriter's `%.16G`."""
    return submission._canon(float(f"{v:.16G}"))


class SealingWorksheet(SafeWorksheet):
    """A worksheet (under the writer rule) that keeps the canonical line of every row it writes out."""

    lines: list[bytes]
    uncertain: bool
    row_data_fh: TextIO

    def _row_line(self, r: int, row: dict) -> bytes:
        cells = [""] * (max(row) + 1)
        for c, cell in row.items():  # the bulk are small ints (the raw answer sheets): that case first
            kind = cell.__class__.__name__  # xlsxwriter's own dispatch (Worksheet._write_cell)
            if kind == "Number":
                v = cell[0]
                cells[c] = str(v) if v.__class__ is int and -_EXACT_INT < v < _EXACT_INT else _number(v)
            elif kind == "String":
                s = cell[0]
                if _ESCAPED.search(s) or (s.startswith("<r>") and s.endswith("</r>")):
                    self.uncertain = True
                cells[c] = s.strip()
            elif kind == "Boolean":
                cells[c] = "1" if cell[0] else "0"
            elif kind != "Blank":
                self.uncertain = True
        return submission.row_line(self.name, r, cells)

    def _initialize(self, init_data) -> None:
        super()._initialize(init_data)
        # xlsxwriter keeps the rows in a temporary file open for reading too ("w+"), and such a text file
        # resets its decoder on every write: a Python call per cell. Until close it is only written to, so it
        # is reopened for writing alone; `SealingWorkbook.close` closes it and xlsxwriter reopens it to read.
        self.row_data_fh.close()
        self.row_data_fh = self.fh = open(self.row_data_filename, "w", encoding="utf-8")  # noqa: SIM115

    def _write_single_row(self, current_row_num=0) -> None:
        row = self.table.get(self.previous_row)
        if row:
            self.lines.append(self._row_line(self.previous_row, row))
        super()._write_single_row(current_row_num)

    def pending_line(self) -> bytes:
        """The line of the row not yet written out (xlsxwriter writes a sheet's last row at close)."""
        row = self.table.get(self.previous_row)
        return self._row_line(self.previous_row, row) if row else b""


class SealingWorkbook(SafeWorkbook):
    """An xlsxwriter workbook under the writer rule (`xlsx.new_workbook`), constant_memory, whose
    `checksum()` is `submission.workbook_checksum` of what it has written."""

    def __init__(self, filename, options: dict | None = None):
        super().__init__(filename, {**(options or {}), "constant_memory": True})

    def add_worksheet(self, name=None, worksheet_class=None):
        ws = super().add_worksheet(name, worksheet_class or SealingWorksheet)
        ws.lines, ws.uncertain = [], False
        return ws

    def close(self) -> None:
        for ws in self.worksheets():
            ws._opt_close()  # xlsxwriter reopens each row file ("a+") to write its last row and read it back
        super().close()

    def checksum(self) -> str | None:
        """The whole-workbook checksum of every cell written so far, or None when a cell may read back
        otherwise than written (then seal the closed file with `submission.seal`). Call it before writing
        the value beside the metadata sheet's `checksum` key: that value is not part of the checksum."""
        h = hashlib.sha256()
        for ws in self.worksheets():
            if ws.uncertain:
                return None
            h.update(submission.sheet_line(ws.name))
            h.update(b"".join(ws.lines))
            h.update(ws.pending_line())
            if ws.uncertain:
                return None
        return h.hexdigest()
